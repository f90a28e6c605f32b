import { workloadResourceDependencies } from './resources';
import { componentTypeRef, ownTraitInstances } from './standards';
import { TRAITS, WORKFLOWS } from './types';
import { BuilderKind } from '../../model/builder';
import { Component, ConfigFile } from '../../model/component';
import { ScheduledTask } from '../../model/component-kinds';
import { Endpoint, EndpointType, Visibility } from '../../model/endpoint';
import { StatefulService } from '../../model/stateful-service';
import { envVarStem } from '../../resolve/dependencies';
import { PlanComponent } from '../../resolve/plan';

/*
 * The developer-facing CRs of one component: Component (type, parameters, traits, build workflow)
 * and Workload (container, endpoints, dependencies). Environment-specific values live in the
 * ReleaseBindings (releases.ts).
 */

/** Name of a component's SecretReference. @internal */
export const secretReferenceName = (component: string) => `${component}-secrets`;

const HTTP_LIKE = new Set([EndpointType.HTTP, EndpointType.GRAPHQL, EndpointType.WEBSOCKET]);
const byKey = <T extends { key: string }>(a: T, b: T) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/** The endpoint a dependency names, through its reference when it was declared by name. */
function targetOf(consumer: Component, d: Component['_dependencies'][number]): Endpoint | undefined {
  if (d.endpoint) return d.endpoint;
  const ref = d.reference!;
  const project = consumer.project.organization.projects.find(p => p.name === (ref.project ?? consumer.project.name));
  return project?.findComponent(ref.component)?.findEndpoint(ref.endpoint);
}

/** `Workload.spec.endpoints`. @internal */
export function workloadEndpoints(component: Component): Record<string, unknown> | undefined {
  if (component.endpoints.length === 0) return undefined;
  return Object.fromEntries(component.endpoints.map(e => {
    const visibility = e.visibility.filter(v => v !== Visibility.PROJECT);
    return [e.name, {
      type: e.type,
      port: e.port,
      ...(e.targetPort !== e.port ? { targetPort: e.targetPort } : {}),
      ...(e.basePath !== '/' ? { basePath: e.basePath } : {}),
      ...(visibility.length > 0 ? { visibility } : {}),
    }];
  }));
}

/** `Workload.spec.dependencies.endpoints`: the env var names OpenChoreo binds the addresses to. @internal */
export function workloadDependencies(component: Component): object[] {
  const out: Array<Record<string, any>> = [];
  for (const d of component._dependencies) {
    if (d.external) continue;
    const ep = targetOf(component, d);
    if (!ep) continue;
    const o = d.options;
    const provider = ep.component;
    const sameProject = provider.project === component.project;
    const address = o.addressEnvVar ?? `${envVarStem(provider.name)}_${envVarStem(ep.name)}_${HTTP_LIKE.has(ep.type) ? 'URL' : 'ADDRESS'}`;
    out.push({
      ...(sameProject ? {} : { project: provider.project.name }),
      component: provider.name,
      name: ep.name,
      visibility: sameProject ? 'project' : 'namespace',
      envBindings: {
        address,
        ...(o.basePathEnvVar ? { basePath: o.basePathEnvVar } : {}),
        ...(o.hostEnvVar ? { host: o.hostEnvVar } : {}),
        ...(o.portEnvVar ? { port: o.portEnvVar } : {}),
      },
    });
  }
  const key = (x: Record<string, any>) => `${x.project ?? ''}/${x.component}/${x.name}`;
  return out.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** One `external-egress` trait instance and the env entries of its address. @internal */
export interface ExternalEgress {
  readonly instanceName: string;
  readonly parameters: Record<string, any>;
  readonly env: Array<{ key: string; value: string }>;
}

/** External-service dependencies as `external-egress` trait instances (the address also goes into the env). @internal */
export function externalEgress(component: Component): ExternalEgress[] {
  const out: ExternalEgress[] = [];
  for (const d of component._dependencies) {
    const svc = d.external;
    if (!svc) continue;
    const o = d.options;
    const host = svc._connectHost;
    if (host === undefined) continue;
    const address = svc.scheme ? `${svc.scheme}://${host}:${svc.port}` : `${host}:${svc.port}`;
    const envBindings = { address: o.addressEnvVar ?? `${envVarStem(svc.name)}_ADDRESS`, ...(o.hostEnvVar ? { host: o.hostEnvVar } : {}), ...(o.portEnvVar ? { port: o.portEnvVar } : {}) };
    const env = [{ key: envBindings.address, value: address }];
    if (o.hostEnvVar) env.push({ key: o.hostEnvVar, value: host });
    if (o.portEnvVar) env.push({ key: o.portEnvVar, value: String(svc.port) });
    out.push({
      instanceName: svc.name,
      parameters: {
        ...(svc.host !== undefined ? { host: svc.host } : {}),
        ...(svc.cidrs.length > 0 ? { cidrs: [...svc.cidrs] } : {}),
        port: svc.port,
        protocol: svc.protocol,
        ...(svc.scheme ? { scheme: svc.scheme } : {}),
        envBindings,
      },
      env,
    });
  }
  return out.sort((a, b) => (a.instanceName < b.instanceName ? -1 : 1));
}

function fileEntry(component: Component, f: ConfigFile): Record<string, unknown> {
  return {
    key: f.fileName,
    mountPath: f.mountPath,
    ...(f.secret ? { valueFrom: { secretKeyRef: { name: secretReferenceName(component.name), key: f.fileName } } } : { value: f.content ?? '' }),
  };
}

/** The container's env: plain values, external-service addresses and secret references, sorted by name. @internal */
export function baseEnv(component: Component): Array<Record<string, unknown>> {
  const env: Array<{ key: string; [k: string]: unknown }> = Object.entries(component._props.env ?? {}).map(([key, value]) => ({ key, value }));
  for (const e of externalEgress(component)) env.push(...e.env);
  for (const key of Object.keys(component._props.secretEnv ?? {})) {
    env.push({ key, valueFrom: { secretKeyRef: { name: secretReferenceName(component.name), key } } });
  }
  return env.sort(byKey);
}

/** `Workload.spec` without the owner, with the given image. @internal */
export function workloadSpec(component: Component, image: string): Record<string, unknown> {
  const env = baseEnv(component);
  const files = (component._props.files ?? []).map(f => fileEntry(component, f))
    .sort((a, b) => (`${a.mountPath}/${a.key}` < `${b.mountPath}/${b.key}` ? -1 : 1));
  const endpoints = workloadEndpoints(component);
  const dependencies = workloadDependencies(component);
  const resources = workloadResourceDependencies(component);
  return {
    container: {
      image,
      ...(component.command ? { command: [...component.command] } : {}),
      ...(component.args ? { args: [...component.args] } : {}),
      ...(env.length > 0 ? { env } : {}),
      ...(files.length > 0 ? { files } : {}),
    },
    ...(endpoints ? { endpoints } : {}),
    ...(dependencies.length > 0 || resources.length > 0 ? {
      dependencies: { ...(dependencies.length > 0 ? { endpoints: dependencies } : {}), ...(resources.length > 0 ? { resources } : {}) },
    } : {}),
  };
}

/** `Component.spec.parameters` (the ComponentType's `parameters` schema, types.ts). @internal */
export function componentParameters(component: Component, first: PlanComponent | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = { kubernetesApiAccess: component.kubernetesApiAccess, scratchPaths: [...component._scratchPaths] };
  if (component instanceof ScheduledTask) {
    const s = first?.schedule;
    Object.assign(out, {
      ...(component.timeZone ? { timeZone: component.timeZone } : {}),
      concurrencyPolicy: component.concurrencyPolicy,
      backoffLimit: component.backoffLimit,
      activeDeadlineSeconds: s?.activeDeadlineSeconds ?? component.activeDeadline.toSeconds(),
    });
  }
  if (component instanceof StatefulService) {
    out.volumes = component.volumes.map(v => ({ name: v.name, mountPath: v.mountPath, size: v.size }));
  }
  return out;
}

/** The traits of a component (instances sorted by trait, then instance name). @internal */
export function componentTraits(component: Component, planned: PlanComponent[]): Array<Record<string, unknown>> {
  const traits: Array<Record<string, unknown>> = [];
  if (planned.some(p => p.autoscaling)) traits.push({ kind: 'ClusterTrait', name: TRAITS.autoscaler, instanceName: 'autoscaler' });
  if (planned.some(p => p.disruptionBudget)) traits.push({ kind: 'ClusterTrait', name: TRAITS.disruptionBudget, instanceName: 'disruption-budget' });
  for (const e of externalEgress(component)) traits.push({ kind: 'ClusterTrait', name: TRAITS.externalEgress, instanceName: e.instanceName, parameters: e.parameters });
  const metrics = planned.find(p => p.observability.metrics)?.observability.metrics;
  if (metrics) traits.push({ kind: 'ClusterTrait', name: TRAITS.metrics, instanceName: 'metrics', parameters: { port: metrics.containerPort, path: metrics.path } });
  traits.push(...ownTraitInstances(component).map(t => ({ ...t })));
  const key = (t: Record<string, unknown>) => `${t.name}\u0000${t.instanceName}`;
  return traits.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** `Component.spec.workflow` of a component built from source. @internal */
export function componentWorkflow(component: Component): Record<string, unknown> | undefined {
  const b = component._build;
  if (!b) return undefined;
  const dockerfile = b.builder.kind === BuilderKind.DOCKERFILE;
  return {
    kind: 'ClusterWorkflow',
    name: dockerfile ? WORKFLOWS.dockerfile : WORKFLOWS.buildpacks,
    parameters: {
      repository: { url: b.repository, revision: { branch: b.branch }, appPath: b.path },
      ...(dockerfile ? { docker: { context: b.builder.contextPath ?? '.', filePath: b.builder.dockerfilePath ?? 'Dockerfile' } } : {}),
    },
  };
}

/** `Component.spec`. @internal */
export function componentSpec(component: Component, planned: PlanComponent[]): Record<string, unknown> {
  const traits = componentTraits(component, planned);
  const workflow = componentWorkflow(component);
  return {
    owner: { projectName: component.project.name },
    componentType: componentTypeRef(component),
    autoDeploy: false,
    parameters: componentParameters(component, planned[0]),
    ...(traits.length > 0 ? { traits } : {}),
    ...(workflow ? { workflow } : {}),
  };
}

/** The image of the Workload: the declared one, else the first environment's. @internal */
export function workloadImage(component: Component, planned: PlanComponent[]): string | undefined {
  return component.image ?? planned[0]?.image;
}
