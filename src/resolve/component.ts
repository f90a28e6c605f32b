import { ComponentInvariantsCache, envVarsOf, secretFingerprint } from './component-invariants';
import { resolvePodExtras } from './containers';
import { sortDependencies } from './dependencies';
import { Labels } from './labels';
import { none, SharedValues } from './memo';
import { fnv1a32, generateName, NameLimit } from './naming';
import { DraftComponent } from './network';
import { ObservabilitySettings, resolveObservability } from './observability';
import { PlanDependency, PlanDisruptionBudget, PlanEnvVar, PlanFile, PlanResources, PlanRoute, PlanSecretData } from './plan';
import { PlanPlacement, PlanSpread, resolvePodSettings } from './pod-settings';
import { resolveTraitNeeds } from './traits';
import { cpuMillis, memoryBytes } from '../model/checks';
import { Component } from '../model/component';
import { kindTraits } from '../model/component-kind';
import { ScheduledTask } from '../model/component-kinds';
import { Environment } from '../model/environment';
import { ProblemCollector } from '../model/errors';
import { DeploymentSettings, DisruptionBudgetKind, EnvironmentOverrides, ResourceRequirements } from '../model/options';
import { Organization } from '../model/organization';
import { ContainerOptions } from '../model/sidecar';

/** Inputs to resolve one component in one environment. @internal */
export interface ComponentContext {
  readonly org: Organization;
  readonly env: Environment;
  readonly environmentUid: string;
  readonly projectUid: string;
  readonly dependencies: PlanDependency[];
  readonly dependencyEnv: PlanEnvVar[];
  readonly routes: PlanRoute[];
  /** The cell namespace. */
  readonly namespace: string;
  /** The data plane's observability services. */
  readonly observability: ObservabilitySettings;
  /** What the component resolves to in every environment (computed once per component). */
  readonly invariants: ComponentInvariantsCache;
  /** Values many components resolve to alike. */
  readonly shared: SharedValues;
  /** The placement of components that declare none in this environment, and the spread of replicated ones. */
  readonly environmentPlacement: PlanPlacement;
  readonly environmentSpread: PlanSpread[];
}

/** Resolves a component in one environment (overrides applied, names computed). @internal */
export function resolveComponent(c: Component, ctx: ComponentContext, problems: ProblemCollector): DraftComponent {
  const { org, env } = ctx;
  const o: EnvironmentOverrides = c._overrides.get(env) ?? {};
  const p = c._props;
  const project = c.project.name;
  const compEnv = `${c.name}-${env.name}`;
  const inv = ctx.invariants.of(c);
  const labels: Record<string, string> = {
    [Labels.NAMESPACE]: org.name,
    [Labels.PROJECT]: project,
    [Labels.COMPONENT]: c.name,
    [Labels.ENVIRONMENT]: env.name,
    [Labels.COMPONENT_UID]: inv.uid,
    [Labels.ENVIRONMENT_UID]: ctx.environmentUid,
    [Labels.PROJECT_UID]: ctx.projectUid,
  };

  const pin = org.releases?.pinOf(env.name, project, c.name);
  // Built components without any of these are not placed in the environment (resolver).
  const image = (pin?.image ?? o.image ?? c.image)!;
  if (env.isProduction && isMutableImage(image)) {
    problems.add(c, `image '${image}' is mutable ('latest' or no tag) but environment '${env.name}' is marked production`,
      `pin an immutable release for '${env.name}': a version tag or a digest, e.g. configureEnvironment(${env.name}, { image: '${image.replace(/:latest$/, '')}:1.2.3' })`, { environment: env.name });
  }

  const secretEnvNames = inv.secretEnvNames;
  // configureEnvironment always records an env map, mostly an empty one: then the declared variables (computed once) stand
  const envOverrides = o.env !== undefined && hasOwnKeys(o.env) ? o.env : undefined;
  const configEnv: PlanEnvVar[] = envOverrides === undefined ? inv.declaredEnv : envVarsOf({ ...(p.env ?? {}), ...envOverrides });
  // plain values set as secrets too: the component's own, then the dependencies' (two loops, no concatenated copy)
  for (const vars of [configEnv, ctx.dependencyEnv]) {
    for (const v of vars) {
      if (secretEnvNames.has(v.name)) {
        problems.add(c, `environment variable '${v.name}' is set both as a secret and as a plain value in '${env.name}'`, 'keep only the secretEnv entry', { environment: env.name });
      }
    }
  }
  const configNames = envOverrides === undefined ? inv.declaredEnvNames : new Set(configEnv.map(v => v.name));
  for (const v of ctx.dependencyEnv) {
    if (configNames.has(v.name)) {
      problems.add(c, `environment variable '${v.name}' is injected by a dependency and also set in env in '${env.name}'`,
        'remove it from env, or give the dependency another addressEnvVar', { environment: env.name });
    }
  }
  const secretEnv = inv.secretEnv;
  const secretEnvName = inv.secretEnvHash === undefined ? undefined : generateName(NameLimit.SUBDOMAIN, compEnv, 'env-secrets', inv.secretEnvHash);

  const files: PlanFile[] = p.files === undefined || p.files.length === 0 ? none() : p.files.map(f => {
    const mountPath = f.mountPath.replace(/\/+$/, '') || '/';
    const fileId = f.fileName.replace(/\./g, '-');
    const volumeName = `file-mount-${fnv1a32(`${mountPath}/${f.fileName}`)}`;
    if (f.secret) {
      const secret: PlanSecretData = { secretKey: f.fileName, remoteKey: f.secret.key, property: f.secret.property, version: f.secret.version };
      return { mountPath, fileName: f.fileName, volumeName, secret, objectName: generateName(NameLimit.SUBDOMAIN, compEnv, 'secret', fileId, fnv1a32(secretFingerprint(secret))) };
    }
    return { mountPath, fileName: f.fileName, volumeName, content: f.content, objectName: generateName(NameLimit.SUBDOMAIN, compEnv, 'config', fileId) };
  }).sort((a, b) => (a.volumeName < b.volumeName ? -1 : 1));

  const endpoints = inv.endpoints;
  for (let i = 1; i < endpoints.length; i++) {
    if (endpoints.some((e, j) => j < i && e.portName === endpoints[i].portName)) {
      problems.add(c, `endpoints '${endpoints[i].name}' and another endpoint share the port name '${endpoints[i].portName}' (port names keep 15 characters)`,
        'give the endpoints names that differ in their first 15 characters');
    }
  }

  const { observability, telemetryEnv } = resolveObservability(c, env, {
    organization: org.name, project, namespace: ctx.namespace, endpoints, settings: ctx.observability, shared: ctx.shared,
  }, problems);
  for (const v of telemetryEnv) {
    if (configNames.has(v.name) || secretEnvNames.has(v.name)) {
      problems.add(c, `environment variable '${v.name}' is set by tracing and also in ${secretEnvNames.has(v.name) ? 'secretEnv' : 'env'} in '${env.name}'`,
        'remove it from env (tracing sets it from the data plane\'s collector), or set tracing: Tracing.none()', { environment: env.name });
    } else if (ctx.dependencyEnv.some(d => d.name === v.name)) {
      problems.add(c, `environment variable '${v.name}' is injected by a dependency and by tracing in '${env.name}'`, 'give the dependency another addressEnvVar',
        { environment: env.name });
    }
  }

  const traits = kindTraits(c.kind);
  const workloadName = generateName(traits.workload === 'CronJob' ? NameLimit.CRONJOB : traits.workload === 'StatefulSet' ? NameLimit.STATEFULSET : NameLimit.SUBDOMAIN, c.name, env.name);
  const needs = resolveTraitNeeds(c, {
    component: c.name,
    componentPath: inv.path,
    kind: c.kind,
    componentType: c.componentType?.name,
    project,
    environment: env.name,
    isProduction: env.isProduction,
    namespace: ctx.namespace,
    labels,
    workloadKind: traits.workload,
    workloadName,
  }, problems);
  const containerResources = (x: ContainerOptions) => resolveResources(c, org, env, x.resources, undefined, ctx.shared, problems);
  const extras = resolvePodExtras(c, o, compEnv, containerResources, problems, needs.sidecars);
  const deployment = traits.scalable ? resolveScaling(c, env, p, o, problems) : undefined;
  const pod = resolvePodSettings(c, {
    env,
    endpoints,
    metricsPort: observability.metrics?.containerPort,
    routed: ctx.routes.length > 0,
    replicas: deployment?.replicas,
    autoscaling: deployment?.autoscaling,
    disruptionBudget: deployment?.disruptionBudget,
    environmentPlacement: ctx.environmentPlacement,
    environmentSpread: ctx.environmentSpread,
    shared: ctx.shared,
  }, problems);
  return {
    path: inv.path,
    kind: c.kind,
    name: c.name,
    displayName: c.displayName,
    workloadName,
    serviceName: c.name,
    serviceAccountName: c.name,
    labels,
    image,
    imageSource: pin?.image ? 'release' : o.image ? 'environment' : 'code',
    command: c.command,
    args: c.args,
    configEnv,
    configMapName: configEnv.length === 0 ? undefined : generateName(NameLimit.SUBDOMAIN, compEnv, 'env-configs'),
    secretEnv,
    secretEnvName,
    dependencyEnv: ctx.dependencyEnv,
    telemetryEnv,
    files,
    scratchPaths: c._scratchPaths,
    ...extras,
    resources: resolveResources(c, org, env, p.resources, o.resources, ctx.shared, problems),
    replicas: deployment?.replicas,
    autoscaling: deployment?.autoscaling,
    disruptionBudget: deployment?.disruptionBudget,
    schedule: c instanceof ScheduledTask ? {
      schedule: o.schedule ?? c.schedule,
      timeZone: c.timeZone,
      concurrencyPolicy: c.concurrencyPolicy,
      backoffLimit: c.backoffLimit,
      activeDeadlineSeconds: c.activeDeadline.toSeconds(),
      suspend: o.suspend ?? false,
    } : undefined,
    endpoints,
    routes: ctx.routes,
    dependencies: needs.dependencies.length === 0 ? ctx.dependencies : sortDependencies([...ctx.dependencies, ...needs.dependencies]),
    observability,
    pod,
    security: inv.security,
    ...(c.componentType ? { componentType: c.componentType.name } : {}),
    ...(needs.uses.length > 0 ? { traits: needs.uses } : {}),
  };
}

/** Whether `o` has an own enumerable key (without listing its keys). */
function hasOwnKeys(o: object): boolean {
  for (const k in o) if (Object.prototype.hasOwnProperty.call(o, k)) return true;
  return false;
}

/** True for `latest`, for images without a tag and without a digest. @internal */
export function isMutableImage(image: string): boolean {
  if (image.includes('@sha256:')) return false;
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const colon = lastSegment.indexOf(':');
  return colon < 0 || lastSegment.slice(colon + 1) === 'latest';
}

function resolveScaling(c: Component, env: Environment, p: DeploymentSettings, o: DeploymentSettings, problems: ProblemCollector) {
  const autoscalingOpts = o.autoscaling ?? p.autoscaling;
  const autoscaling = autoscalingOpts ? {
    minReplicas: autoscalingOpts.minReplicas ?? 1,
    maxReplicas: autoscalingOpts.maxReplicas,
    cpuUtilization: autoscalingOpts.cpuUtilization ?? (autoscalingOpts.memoryUtilization === undefined ? 80 : undefined),
    memoryUtilization: autoscalingOpts.memoryUtilization,
  } : undefined;
  const replicas = autoscaling ? undefined : (o.replicas ?? p.replicas ?? env.defaultReplicas);
  const budget = o.disruptionBudget ?? p.disruptionBudget;
  let disruptionBudget: PlanDisruptionBudget | undefined;
  if (budget) {
    const floor = autoscaling ? autoscaling.minReplicas : replicas!;
    // Kubernetes rounds percentages up: 50% of one replica keeps that replica.
    const pods = budget.isPercent ? Math.ceil((budget.value * floor) / 100) : budget.value;
    const blocksAll = budget.kind === DisruptionBudgetKind.MIN_AVAILABLE ? pods >= floor : pods === 0;
    if (blocksAll) {
      problems.add(c, `disruption budget ${budget.kind}=${budget.value}${budget.isPercent ? '%' : ''} with ${floor} replica(s) in '${env.name}' forbids every voluntary eviction, so node drains would hang`,
        `raise replicas (or autoscaling.minReplicas) above ${pods}, or use DisruptionBudget.maxUnavailable(1)`, { environment: env.name });
    }
    disruptionBudget = { kind: budget.kind, value: budget.isPercent ? `${budget.value}%` : budget.value };
  }
  return { replicas, autoscaling, disruptionBudget };
}

type Layer = ResourceRequirements | undefined;

function resolveResources(
  c: Component, org: Organization, env: Environment, component: Layer, override: Layer, shared: SharedValues, problems: ProblemCollector,
): PlanResources {
  const layers: Layer[] = [override, component, env.defaultResources, org.defaultResources];
  const pick = (field: keyof ResourceRequirements): { value: string; layer: number } => {
    for (let i = 0; i < layers.length; i++) {
      const v = layers[i]?.[field];
      if (v !== undefined) return { value: v, layer: i };
    }
    throw new Error(`organization default for ${field} is missing`);
  };
  const pair = (req: keyof ResourceRequirements, lim: keyof ResourceRequirements, parse: (s: string) => number) => {
    const r = pick(req);
    const l = pick(lim);
    if (parse(r.value) > parse(l.value)) {
      // a limit inherited from environment or organization defaults follows a larger request
      if (l.layer >= 2 && l.layer > r.layer) return { request: r.value, limit: r.value };
      problems.add(c, `${req} ${r.value} exceeds ${lim} ${l.value} in '${env.name}'`, `set ${lim} to at least ${r.value}, or lower ${req}`, { environment: env.name });
    }
    return { request: r.value, limit: l.value };
  };
  const cpu = pair('cpuRequest', 'cpuLimit', cpuMillis);
  const memory = pair('memoryRequest', 'memoryLimit', memoryBytes);
  return shared.get(`resources ${cpu.request} ${memory.request} ${cpu.limit} ${memory.limit}`,
    () => ({ requests: { cpu: cpu.request, memory: memory.request }, limits: { cpu: cpu.limit, memory: memory.limit } }));
}
