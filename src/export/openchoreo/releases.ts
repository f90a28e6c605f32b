import { createHash } from 'crypto';
import { ExportedObject, defined, displayNameAnnotation, meta, orgDir } from './infra';
import { BUILT_IN_TRAITS, builtInTraitSpec, modelComponentTypeSpec } from './standards';
import { API_VERSION, PROJECT_TYPE, TRAITS, componentTypeSpec, traitSpec } from './types';
import { baseEnv, componentSpec, secretReferenceName, workloadImage, workloadSpec } from './workloads';
import { Component } from '../../model/component';
import { Project } from '../../model/project';
import { StatefulService } from '../../model/stateful-service';
import { Plan, PlanComponent } from '../../resolve/plan';

/*
 * Projects and their components as OpenChoreo's release chain: Project + a ProjectReleaseBinding
 * per environment; Component + Workload; a content-addressed ComponentRelease per distinct
 * workload snapshot (`<component>-<hash8>`); a ReleaseBinding per environment that pins one and
 * carries the environment's values; the component's SecretReference.
 */

/** Sorted-key JSON, the canonical form hashed for release names. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map(k => `${JSON.stringify(k)}:${canonical((value as any)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** `<component>-<first 8 hex of sha256(canonical JSON of the spec without owner)>`. @internal */
export function releaseName(component: string, specWithoutOwner: unknown): string {
  return `${component}-${createHash('sha256').update(canonical(specWithoutOwner)).digest('hex').slice(0, 8)}`;
}

/** The component in each environment it runs in, sorted by environment name. @internal */
export function plannedByEnvironment(plan: Plan, component: Component): Array<{ environment: string; planned: PlanComponent }> {
  const out = [];
  for (const cell of plan.cells) {
    if (cell.project !== component.project.name) continue;
    const planned = cell.components.find(c => c.name === component.name);
    if (planned) out.push({ environment: cell.environment, planned });
  }
  return out.sort((a, b) => (a.environment < b.environment ? -1 : 1));
}

const labels = (project: string, component?: string, environment?: string) => ({
  ...(component ? { 'openchoreo.dev/component': component } : {}),
  ...(environment ? { 'openchoreo.dev/environment': environment } : {}),
  'openchoreo.dev/project': project,
});

/** Project and its ProjectReleaseBindings. @internal */
export function projectObjects(org: string, plan: Plan, project: Project): ExportedObject[] {
  const dir = `${orgDir(org)}/projects/${project.name}`;
  const environments = [...new Set(plan.cells.filter(c => c.project === project.name).map(c => c.environment))].sort();
  return [
    {
      file: `${dir}/project.yaml`,
      manifest: {
        apiVersion: API_VERSION,
        kind: 'Project',
        metadata: meta(org, project.name, { 'openchoreo.dev/name': project.name }, displayNameAnnotation(project.displayName)),
        spec: { deploymentPipelineRef: { name: project.pipeline.name }, type: { kind: 'ClusterProjectType', name: PROJECT_TYPE } },
      },
    },
    ...environments.map(env => ({
      file: `${dir}/release-bindings/${project.name}-${env}.yaml`,
      manifest: {
        apiVersion: API_VERSION,
        kind: 'ProjectReleaseBinding',
        metadata: meta(org, `${project.name}-${env}`, labels(project.name, undefined, env)),
        spec: { owner: { projectName: project.name }, environment: env },
      },
    })),
  ];
}

function environmentConfigs(component: Component, environment: string, p: PlanComponent): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (p.schedule) {
    out.schedule = p.schedule.schedule;
    out.suspend = p.schedule.suspend;
  } else {
    out.replicas = p.replicas ?? p.autoscaling?.minReplicas ?? 1;
  }
  out.resources = { requests: { ...p.resources.requests }, limits: { ...p.resources.limits } };
  if (component instanceof StatefulService) {
    const sizes = [...component._overrides.entries()].find(([env]) => env.name === environment)?.[1].volumeSizes;
    if (sizes && Object.keys(sizes).length > 0) out.volumeSizes = Object.fromEntries(Object.entries(sizes).sort(([a], [b]) => (a < b ? -1 : 1)));
  }
  return out;
}

function traitConfigs(traits: Array<Record<string, any>>, p: PlanComponent): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  for (const t of traits) {
    if (t.name === TRAITS.autoscaler) {
      const a = p.autoscaling;
      out[t.instanceName] = a
        ? defined({
          minReplicas: a.minReplicas, maxReplicas: a.maxReplicas, cpuUtilization: a.cpuUtilization, memoryUtilization: a.memoryUtilization,
        })
        : { enabled: false };
    } else if (t.name === TRAITS.disruptionBudget) {
      const d = p.disruptionBudget;
      out[t.instanceName] = d ? { [d.kind]: d.value } : { enabled: false };
    }
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Env entries of an environment that differ from the Workload's. */
function envOverrides(component: Component, p: PlanComponent): Array<{ key: string; value: string }> {
  const base = new Map(baseEnv(component).map(e => [e.key as string, e.value]));
  return p.configEnv.filter(e => base.get(e.name) !== e.value).map(e => ({ key: e.name, value: e.value }))
    .sort((a, b) => (a.key < b.key ? -1 : 1));
}

/** Component, Workload, SecretReference, ComponentReleases and ReleaseBindings of a component. @internal */
export function componentObjects(org: string, plan: Plan, component: Component): ExportedObject[] {
  const project = component.project.name;
  const dir = `${orgDir(org)}/projects/${project}/components/${component.name}`;
  const placed = plannedByEnvironment(plan, component);
  const planned = placed.map(p => p.planned);
  const image = workloadImage(component, planned);
  if (image === undefined) return [];
  const spec = componentSpec(component, planned);
  const owner = { projectName: project, componentName: component.name };
  const out: ExportedObject[] = [
    {
      file: `${dir}/component.yaml`,
      manifest: {
        apiVersion: API_VERSION,
        kind: 'Component',
        metadata: meta(org, component.name, { 'openchoreo.dev/name': component.name, 'openchoreo.dev/project': project }, displayNameAnnotation(component.displayName)),
        spec,
      },
    },
    {
      file: `${dir}/workload.yaml`,
      manifest: { apiVersion: API_VERSION, kind: 'Workload', metadata: meta(org, component.name, labels(project, component.name)), spec: { owner, ...workloadSpec(component, image) } },
    },
  ];
  const secrets = secretData(component);
  if (secrets.length > 0) {
    const dataPlane = plan.environments.find(e => e.name === placed[0]?.environment)?.dataPlane;
    const dp = plan.dataPlanes.find(d => d.name === dataPlane);
    out.push({
      file: `${orgDir(org)}/platform/secret-references/${secretReferenceName(component.name)}.yaml`,
      manifest: {
        apiVersion: API_VERSION,
        kind: 'SecretReference',
        metadata: meta(org, secretReferenceName(component.name), labels(project, component.name)),
        spec: { template: { type: 'Opaque' }, data: secrets, refreshInterval: dp?.secretRefreshInterval ?? plan.dataPlanes[0]?.secretRefreshInterval ?? '1h' },
      },
    });
  }
  const traits = (spec.traits ?? []) as Array<Record<string, any>>;
  const type = component.componentType;
  const typeSpec = type ? modelComponentTypeSpec(type, type.organization) : componentTypeSpec(component.kind);
  const embedded = ((typeSpec.traits ?? []) as Array<{ name: string }>).map(t => t.name);
  const traitSpecs = [...new Set([...traits.map(t => t.name as string), ...embedded])].sort()
    .map(name => ({ kind: 'ClusterTrait', name, spec: (Object.values(BUILT_IN_TRAITS) as string[]).includes(name) ? builtInTraitSpec(name) : traitSpec(name) }));
  const releases = new Map<string, ExportedObject>();
  for (const { environment, planned: p } of placed) {
    const releaseSpec = {
      componentType: { ...(spec.componentType as object), spec: typeSpec },
      ...(traitSpecs.length > 0 ? { traits: traitSpecs } : {}),
      componentProfile: { parameters: spec.parameters, ...(traits.length > 0 ? { traits } : {}) },
      workload: workloadSpec(component, p.image),
    };
    const name = releaseName(component.name, releaseSpec);
    releases.set(name, {
      file: `${dir}/releases/${name}.yaml`,
      manifest: { apiVersion: API_VERSION, kind: 'ComponentRelease', metadata: meta(org, name, labels(project, component.name)), spec: { owner, ...releaseSpec } },
    });
    const overrides = envOverrides(component, p);
    const traitEnv = traitConfigs(traits, p);
    out.push({
      file: `${dir}/release-bindings/${component.name}-${environment}.yaml`,
      manifest: {
        apiVersion: API_VERSION,
        kind: 'ReleaseBinding',
        metadata: meta(org, `${component.name}-${environment}`, labels(project, component.name, environment)),
        spec: {
          owner,
          environment,
          releaseName: name,
          componentTypeEnvironmentConfigs: environmentConfigs(component, environment, p),
          ...(traitEnv ? { traitEnvironmentConfigs: traitEnv } : {}),
          ...(overrides.length > 0 ? { workloadOverrides: { container: { env: overrides } } } : {}),
        },
      },
    });
  }
  out.push(...[...releases.keys()].sort().map(k => releases.get(k)!));
  return out;
}

/** SecretReference data: secret env vars and secret files, by secret key. */
function secretData(component: Component): object[] {
  const data = new Map<string, { key: string; property?: string; version?: string }>();
  for (const [key, ref] of Object.entries(component._props.secretEnv ?? {})) data.set(key, ref);
  for (const f of component._props.files ?? []) if (f.secret) data.set(f.fileName, f.secret);
  return [...data.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([secretKey, r]) => ({
    secretKey,
    remoteRef: defined({ key: r.key, property: r.property, version: r.version }),
  }));
}
