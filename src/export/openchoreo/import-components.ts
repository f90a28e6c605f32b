import { ImportProblems, ReadDocument, at, checkKnownKeys, requireString } from './import-read';
import { ImportedResourceDependency, isBuiltInTrait, readBuiltInTrait, readModelComponentType, readResourceDependencies } from './import-standards';
import { defined } from './infra';
import { BUILT_IN_TRAITS } from './standards';
import { TRAITS, WORKFLOWS, componentTypeName, kindOfComponentType } from './types';
import { ComponentKind } from '../../model/component-kind';
import type { ComponentType } from '../../model/component-type';
import { EndpointType, Visibility } from '../../model/endpoint';
import type { ITrait } from '../../model/trait';

/*
 * The import's first phase: Component, Workload, ReleaseBinding and ComponentRelease CRs of one
 * component read into a plain description (every problem collected), before any construct exists.
 */

/** What the import declares for one component. @internal */
export interface ImportedComponent {
  readonly doc: ReadDocument;
  readonly name: string;
  readonly project: string;
  readonly kind: ComponentKind;
  /** The organization's ComponentType a `{kind: ComponentType}` reference names. */
  readonly type?: ComponentType;
  /** The built-in model traits of the component's database-proxy and pod-annotations instances. */
  readonly traits: ITrait[];
  readonly resourceDependencies: ImportedResourceDependency[];
  readonly displayName?: string;
  readonly image?: string;
  readonly source?: { repository: string; branch: string; path: string; dockerfile: boolean; dockerfilePath?: string; context?: string };
  readonly command?: string[];
  readonly args?: string[];
  readonly env: Record<string, string>;
  readonly secretEnv: Record<string, SecretSource>;
  readonly files: Array<{ mountPath: string; fileName: string; content?: string; secret?: SecretSource }>;
  readonly endpoints: Array<{ name: string; type: EndpointType; port: number; targetPort?: number; basePath?: string; visibility: Visibility[] }>;
  readonly dependencies: ImportedDependency[];
  readonly externals: ImportedExternal[];
  readonly parameters: Record<string, any>;
  readonly metrics?: { port: number; path?: string };
  readonly environments: ImportedEnvironment[];
}

/** A Workload endpoint dependency and the env vars it binds. @internal */
export interface ImportedDependency {
  readonly project: string;
  readonly component: string;
  readonly endpoint: string;
  readonly address: string;
  readonly host?: string;
  readonly port?: string;
  readonly basePath?: string;
}

/** An `external-egress` trait instance: an external service and the env vars it binds. @internal */
export interface ImportedExternal {
  readonly name: string;
  readonly host?: string;
  readonly cidrs?: string[];
  readonly port: number;
  readonly protocol: string;
  readonly scheme?: string;
  readonly address: string;
  readonly hostEnv?: string;
  readonly portEnv?: string;
}

/** A component's values in one environment (its ReleaseBinding). @internal */
export interface ImportedEnvironment {
  readonly name: string;
  readonly image?: string;
  readonly env: Record<string, string>;
  readonly resources?: { cpuRequest: string; cpuLimit: string; memoryRequest: string; memoryLimit: string };
  readonly replicas?: number;
  readonly schedule?: string;
  readonly suspend?: boolean;
  readonly volumeSizes?: Record<string, string>;
  readonly autoscaling?: { minReplicas: number; maxReplicas: number; cpuUtilization?: number; memoryUtilization?: number };
  readonly disruptionBudget?: { kind: 'minAvailable' | 'maxUnavailable'; value: number | string };
}

/** A SecretReference entry. @internal */
export interface SecretSource { readonly key: string; readonly property?: string; readonly version?: string }

const PARAMETERS: Record<string, readonly string[]> = {
  common: ['kubernetesApiAccess', 'scratchPaths'],
  [ComponentKind.SCHEDULED_TASK]: ['timeZone', 'concurrencyPolicy', 'backoffLimit', 'activeDeadlineSeconds'],
  [ComponentKind.STATEFUL_SERVICE]: ['volumes'],
};
const KNOWN_TRAITS = [...Object.values(TRAITS), ...Object.values(BUILT_IN_TRAITS)].sort();
const ENDPOINT_TYPES = Object.values(EndpointType) as string[];
const VISIBILITIES = [Visibility.ORGANIZATION, Visibility.INTERNAL, Visibility.PUBLIC] as string[];
const list = (a: readonly string[]) => a.join(', ');

/** Context of one component's reading. @internal */
export interface ComponentSources {
  readonly component: ReadDocument;
  readonly workload?: ReadDocument;
  readonly bindings: ReadDocument[];
  readonly releases: ReadonlyMap<string, ReadDocument>;
  readonly secretReferences: ReadonlyMap<string, ReadDocument>;
  readonly environments: readonly string[];
  /** The organization's component types, for `{kind: ComponentType}` references. */
  readonly componentTypes: readonly ComponentType[];
}

function secretOf(d: ReadDocument, jsonPath: string, ref: any, s: ComponentSources, problems: ImportProblems): SecretSource | undefined {
  const sr = s.secretReferences.get(ref?.name);
  if (!sr) {
    problems.add(d, `${jsonPath}.valueFrom.secretKeyRef.name`, `names SecretReference ${JSON.stringify(ref?.name)}, which is not in platform/secret-references/`,
      'add the SecretReference to platform/secret-references/, or set a plain value');
    return undefined;
  }
  const entry = (at(sr.doc, 'spec.data') ?? []).find((x: any) => x?.secretKey === ref?.key);
  if (!entry || typeof entry.remoteRef?.key !== 'string') {
    problems.add(d, `${jsonPath}.valueFrom.secretKeyRef.key`, `names key ${JSON.stringify(ref?.key)}, which SecretReference '${sr.name}' (${sr.file}) does not list in spec.data`,
      `add { secretKey: ${ref?.key}, remoteRef: { key: ... } } to the SecretReference`);
    return undefined;
  }
  return { key: entry.remoteRef.key, property: entry.remoteRef.property, version: entry.remoteRef.version };
}

function readTraits(c: ReadDocument, problems: ImportProblems): { externals: ImportedExternal[]; metrics?: ImportedComponent['metrics']; names: Set<string>; builtIn: ITrait[] } {
  const externals: ImportedExternal[] = [];
  const builtIn: ITrait[] = [];
  let metrics: ImportedComponent['metrics'];
  const names = new Set<string>();
  ((at(c.doc, 'spec.traits') ?? []) as any[]).forEach((t, i) => {
    const p = `.spec.traits[${i}]`;
    if (!KNOWN_TRAITS.includes(t?.name) || (t?.kind ?? 'Trait') !== 'ClusterTrait') {
      problems.add(c, `${p}.name`, `trait ${t?.kind ?? 'Trait'} ${JSON.stringify(t?.name)} is not one the import maps (it maps the ClusterTraits ${list(KNOWN_TRAITS)})`,
        'remove the trait and declare the behaviour in code after the import');
      return;
    }
    names.add(t.instanceName);
    if (isBuiltInTrait(t.name)) {
      const trait = readBuiltInTrait(c, p, t, problems);
      if (trait) builtIn.push(trait);
      return;
    }
    const q = t.parameters ?? {};
    if (t.name === TRAITS.externalEgress) {
      if (typeof q.port !== 'number' || typeof q.envBindings?.address !== 'string') {
        problems.add(c, `${p}.parameters`, 'needs port (a number) and envBindings.address', 'set the external service\'s port and the env var its address is bound to');
        return;
      }
      externals.push({ name: t.instanceName, host: q.host, cidrs: q.cidrs, port: q.port, protocol: q.protocol ?? 'TCP', scheme: q.scheme, address: q.envBindings.address, hostEnv: q.envBindings.host, portEnv: q.envBindings.port });
    } else if (t.name === TRAITS.metrics) {
      metrics = { port: q.port, path: q.path };
    }
  });
  return { externals, metrics, names, builtIn };
}

function readEnvironment(b: ReadDocument, s: ComponentSources, problems: ImportProblems): ImportedEnvironment | undefined {
  checkKnownKeys(b, '.spec', ['owner', 'environment', 'releaseName', 'componentTypeEnvironmentConfigs', 'traitEnvironmentConfigs', 'workloadOverrides', 'state'], problems, 'a ReleaseBinding');
  const env = requireString(b, '.spec.environment', problems, 'name the environment the binding deploys to');
  if (env === undefined) return undefined;
  if (!s.environments.includes(env)) {
    problems.add(b, '.spec.environment', `names environment '${env}', which the organization does not declare (it has ${list(s.environments)})`, `declare Environment '${env}' in the organization before the import`);
    return undefined;
  }
  if ((at(b.doc, 'spec.state') ?? 'Active') !== 'Active') problems.add(b, '.spec.state', `is ${JSON.stringify(at(b.doc, 'spec.state'))}`, 'remove the binding: the model has no undeployed state');
  const releaseName = requireString(b, '.spec.releaseName', problems, 'pin the ComponentRelease the environment runs');
  const release = releaseName === undefined ? undefined : s.releases.get(releaseName);
  if (releaseName !== undefined && !release) {
    problems.add(b, '.spec.releaseName', `names ComponentRelease '${releaseName}', which is not in the component's releases/ folder`, 'add the ComponentRelease, or pin one that exists');
  }
  const cfg = at(b.doc, 'spec.componentTypeEnvironmentConfigs') ?? {};
  checkKnownKeys(b, '.spec.componentTypeEnvironmentConfigs', ['replicas', 'resources', 'schedule', 'suspend', 'volumeSizes'], problems, 'the zero-trust ComponentTypes\' environmentConfigs');
  const r = cfg.resources;
  const traits = at(b.doc, 'spec.traitEnvironmentConfigs') ?? {};
  const auto = traits.autoscaler;
  const pdb = traits['disruption-budget'];
  const overrides: Record<string, string> = {};
  ((at(b.doc, 'spec.workloadOverrides.container.env') ?? []) as any[]).forEach((e, i) => {
    if (typeof e?.value !== 'string') {
      problems.add(b, `.spec.workloadOverrides.container.env[${i}]`, `entry ${JSON.stringify(e?.key)} has no plain value`, 'override only plain values per environment; put secret references in the Workload');
    } else {
      overrides[e.key] = e.value;
    }
  });
  checkKnownKeys(b, '.spec.workloadOverrides', ['container'], problems, 'workloadOverrides');
  checkKnownKeys(b, '.spec.workloadOverrides.container', ['env'], problems, 'workloadOverrides.container');
  const pdbKind = pdb && pdb.enabled !== false ? (pdb.maxUnavailable !== undefined ? 'maxUnavailable' : 'minAvailable') : undefined;
  return {
    name: env,
    image: at(release?.doc, 'spec.workload.container.image'),
    env: overrides,
    resources: r && { cpuRequest: r.requests?.cpu, cpuLimit: r.limits?.cpu, memoryRequest: r.requests?.memory, memoryLimit: r.limits?.memory },
    replicas: cfg.replicas,
    schedule: cfg.schedule,
    suspend: cfg.suspend,
    volumeSizes: cfg.volumeSizes,
    autoscaling: auto && auto.enabled !== false
      ? defined({
        minReplicas: auto.minReplicas, maxReplicas: auto.maxReplicas, cpuUtilization: auto.cpuUtilization, memoryUtilization: auto.memoryUtilization,
      })
      : undefined,
    disruptionBudget: pdbKind ? { kind: pdbKind, value: pdb[pdbKind] } : undefined,
  };
}

/** Reads one component's CRs; undefined when they have problems (collected). @internal */
export function readComponent(s: ComponentSources, projects: ReadonlySet<string>, problems: ImportProblems): ImportedComponent | undefined {
  const c = s.component;
  const before = problems.collector.count;
  checkKnownKeys(c, '.spec', ['owner', 'componentType', 'autoDeploy', 'parameters', 'traits', 'workflow'], problems, 'a Component');
  const project = requireString(c, '.spec.owner.projectName', problems, 'name the project that owns the component');
  if (project !== undefined && !projects.has(project)) {
    problems.add(c, '.spec.owner.projectName', `names project '${project}', which has no project.yaml in the imported directory`, `add projects/${project}/project.yaml, or name an imported project`);
  }
  const typeName = requireString(c, '.spec.componentType.name', problems, 'name the ComponentType');
  const modelType = typeName !== undefined && at(c.doc, 'spec.componentType.kind') === 'ComponentType'
    ? readModelComponentType(c, typeName, s.componentTypes, problems) : undefined;
  const kind = typeName === undefined ? undefined
    : modelType?.kind ?? kindOfComponentType(typeName) ?? Object.values(ComponentKind).find(k => k === typeName);
  if (typeName !== undefined && kind === undefined && at(c.doc, 'spec.componentType.kind') !== 'ComponentType') {
    problems.add(c, '.spec.componentType.name', `'${typeName}' is not a component type the import maps`,
      `use one of ${list(Object.values(ComponentKind).map(componentTypeName))} (platform-shared/component-types/) or OpenChoreo's ${list(Object.values(ComponentKind))}`);
  }
  const parameters = at(c.doc, 'spec.parameters') ?? {};
  if (kind) checkKnownKeys(c, '.spec.parameters', [...PARAMETERS.common, ...(PARAMETERS[kind] ?? [])], problems, `a ${kind} component's parameters`);
  const traits = readTraits(c, problems);
  const w = s.workload;
  if (!w) {
    problems.add(c, '', `Component '${c.name}' has no Workload`, `add workload.yaml (kind Workload, name ${c.name}) beside component.yaml`);
    return undefined;
  }
  checkKnownKeys(w, '.spec', ['owner', 'container', 'endpoints', 'dependencies'], problems, 'a Workload');
  checkKnownKeys(w, '.spec.container', ['image', 'command', 'args', 'env', 'files'], problems, 'a Workload container');
  checkKnownKeys(w, '.spec.dependencies', ['endpoints', 'resources'], problems, 'Workload dependencies');
  const resourceDependencies = readResourceDependencies(w, problems);
  const image = requireString(w, '.spec.container.image', problems, 'set the container image');
  const externalEnv = new Set(traits.externals.flatMap(e => [e.address, e.hostEnv, e.portEnv].filter((x): x is string => !!x)));
  const env: Record<string, string> = {};
  const secretEnv: Record<string, SecretSource> = {};
  ((at(w.doc, 'spec.container.env') ?? []) as any[]).forEach((e, i) => {
    if (externalEnv.has(e?.key)) return;
    if (e?.valueFrom !== undefined) {
      const secret = secretOf(w, `.spec.container.env[${i}]`, e.valueFrom?.secretKeyRef, s, problems);
      if (secret) secretEnv[e.key] = secret;
    } else {
      env[e.key] = e.value ?? '';
    }
  });
  const files = ((at(w.doc, 'spec.container.files') ?? []) as any[]).map((f, i) => (f?.valueFrom !== undefined
    ? { mountPath: f.mountPath, fileName: f.key, secret: secretOf(w, `.spec.container.files[${i}]`, f.valueFrom?.secretKeyRef, s, problems) }
    : { mountPath: f.mountPath, fileName: f.key, content: f.value ?? '' }));
  const endpoints: ImportedComponent['endpoints'] = [];
  for (const [name, e] of Object.entries<any>(at(w.doc, 'spec.endpoints') ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (!ENDPOINT_TYPES.includes(e?.type)) {
      problems.add(w, `.spec.endpoints.${name}.type`, `${JSON.stringify(e?.type)} is not an endpoint type`, `use one of ${list(ENDPOINT_TYPES)}`);
      continue;
    }
    const visibility = (e.visibility ?? []) as string[];
    const bad = visibility.filter(v => !VISIBILITIES.includes(v) && v !== 'project');
    if (bad.length > 0) problems.add(w, `.spec.endpoints.${name}.visibility`, `${JSON.stringify(bad)} is not a visibility`, `use ${list(['project', ...VISIBILITIES])}`);
    const visible = visibility.filter(v => VISIBILITIES.includes(v)) as Visibility[];
    endpoints.push({ name, type: e.type, port: e.port, targetPort: e.targetPort, basePath: e.basePath, visibility: visible });
  }
  const dependencies = ((at(w.doc, 'spec.dependencies.endpoints') ?? []) as any[]).map((d, i) => {
    if (typeof d?.envBindings?.address !== 'string') {
      problems.add(w, `.spec.dependencies.endpoints[${i}].envBindings.address`, 'is missing', 'name the env var the address is bound to (the model always injects the address)');
    }
    return { project: d?.project ?? project ?? '', component: d?.component, endpoint: d?.name, address: d?.envBindings?.address, host: d?.envBindings?.host, port: d?.envBindings?.port, basePath: d?.envBindings?.basePath };
  });
  const environments = s.bindings.map(b => readEnvironment(b, s, problems)).filter((e): e is ImportedEnvironment => e !== undefined)
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  const wf = at(c.doc, 'spec.workflow');
  let source: ImportedComponent['source'];
  if (wf !== undefined) {
    if (wf.name !== WORKFLOWS.dockerfile && wf.name !== WORKFLOWS.buildpacks) {
      problems.add(c, '.spec.workflow.name', `${JSON.stringify(wf.name)} is not a build the import maps`, `use ClusterWorkflow ${WORKFLOWS.dockerfile} or ${WORKFLOWS.buildpacks}`);
    } else {
      const repo = wf.parameters?.repository ?? {};
      source = {
        repository: repo.url,
        branch: repo.revision?.branch ?? 'main',
        path: repo.appPath ?? '.',
        dockerfile: wf.name === WORKFLOWS.dockerfile,
        dockerfilePath: wf.parameters?.docker?.filePath,
        context: wf.parameters?.docker?.context,
      };
    }
  }
  if (problems.collector.count > before || project === undefined || kind === undefined || image === undefined) return undefined;
  return {
    doc: c,
    name: c.name,
    project,
    kind,
    type: modelType,
    traits: traits.builtIn,
    resourceDependencies,
    displayName: c.doc.metadata?.annotations?.['openchoreo.dev/display-name'],
    image,
    source,
    command: at(w.doc, 'spec.container.command'),
    args: at(w.doc, 'spec.container.args'),
    env,
    secretEnv,
    files: files as ImportedComponent['files'],
    endpoints,
    dependencies,
    externals: traits.externals,
    parameters,
    metrics: traits.metrics,
    environments,
  };
}
