import { envVarStem, sortDependencies } from './dependencies';
import { Labels, MANAGED_BY } from './labels';
import { generateName, NameLimit, stableUid } from './naming';
import type { PlanDependency, PlanEnvVar, PlanNetworkRule, PlanResources, PlanSecretData } from './plan';
import type { QuotaComponent } from './quota';
import { RESERVED_NAMES } from './reserved-names';
import { resolvePostgres } from './resources-postgres';
import type { PlanPostgres } from './resources-postgres';
import { secretData } from './secret-data';
import { CIDR } from '../model/build-checks';
import { Component } from '../model/component';
import { Environment } from '../model/environment';
import { ProblemCollector } from '../model/errors';
import { HOSTNAME } from '../model/external-service';
import { Organization } from '../model/organization';
import { Project } from '../model/project';
import { Resource, RESOURCE_ENV_SUFFIXES } from '../model/resource';
import { ExternalResourceType } from '../model/resource-external';
import { PostgresResourceType } from '../model/resource-postgres';
import type { ResourceConnection } from '../model/resource-type';
import { SecretRef } from '../model/secrets';
import { maskHostCredentials } from '../model/url-checks';

export type { PlanPostgres } from './resources-postgres';

/** CloudNativePG object names leave room for the suffixes the operator appends (`-rw`, `-pooler`, `-1-initdb`). @internal */
export const RESOURCE_NAME_LIMIT = 50;

/** A pod a resource runs, for the connectivity report (the evaluator cannot see operator-created pods). @internal */
export interface PlanResourcePod {
  /** `project/resource` or `project/resource:pooler`. */
  readonly display: string;
  /** Unique within the cell namespace. */
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly ports: Array<{ readonly port: number; readonly protocol: 'TCP' | 'UDP' }>;
}

/** A network policy of a resource's pods (both back-ends render it). @internal */
export interface PlanResourcePolicy {
  readonly name: string;
  readonly matchLabels: Record<string, string>;
  readonly matchExpressions?: Array<{ readonly key: string; readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; readonly values?: string[] }>;
  readonly ingress: PlanNetworkRule[];
  readonly egress: PlanNetworkRule[];
}

/** A managed resource in one cell. @internal */
export interface PlanResource {
  readonly path: string;
  readonly name: string;
  readonly typeName: string;
  /** The name of its objects in the cell. */
  readonly objectName: string;
  /** Labels of its objects. */
  readonly labels: Record<string, string>;
  /** Its outputs. */
  readonly connection: { readonly host: string; readonly port: number; readonly database?: string; readonly user?: string };
  /** The Secret with its credentials, and the keys. */
  readonly credentials?: { readonly secretName: string; readonly userKey?: string; readonly passwordKey?: string };
  /** ExternalSecret data of an external resource's credentials. */
  readonly storeSecret?: PlanSecretData[];
  /** Names of the components of the cell that consume it, sorted. */
  readonly consumers: string[];
  /** Egress every consumer gets (in-cluster resources). */
  readonly consumerEgress?: PlanNetworkRule;
  readonly postgres?: PlanPostgres;
  readonly pods: PlanResourcePod[];
  readonly policies: PlanResourcePolicy[];
  /** Pods of the operator that manages it (connectivity report). */
  readonly operatorPods?: { readonly namespace: string; readonly labels: Record<string, string> };
}

/** What the resources of a cell give its components. @internal */
export interface CellResources {
  readonly resources: PlanResource[];
  readonly env: Map<Component, PlanEnvVar[]>;
  readonly dependencies: Map<Component, PlanDependency[]>;
}

/**
 * Cross-object checks of resources: a resource shares its project's namespace with the
 * components (their names and the names the tree reserves), consumers use resources of their own
 * project, and per-environment settings name environments of the project's pipeline.
 * @internal
 */
export function checkResources(
  org: Organization, envsOf: (p: Project) => Environment[], resourcesOfProject: (p: Project) => Resource[], problems: ProblemCollector,
): void {
  for (const project of org.projects) {
    const envNames = new Set(envsOf(project).map(e => e.name));
    for (const r of resourcesOfProject(project)) {
      const clash = project.findComponent(r.name);
      if (clash) {
        problems.add(r, `resource name '${r.name}' is also the name of component ${clash.node.path} in project '${project.name}' (their files and policies would collide)`,
          `give the resource another name, e.g. '${r.name}-db'`);
      }
      const reserved = RESERVED_NAMES.find(n => n.name === r.name && n.reservedFor.includes('component'));
      if (reserved) problems.add(r, `resource name '${r.name}' is reserved: the output tree uses it for ${reserved.usedFor}`, `give the resource another name, e.g. '${r.name}-1'`);
      const perEnv = r.type instanceof PostgresResourceType ? r.type._props.environments
        : r.type instanceof ExternalResourceType ? r.type._props.environments : undefined;
      for (const env of Object.keys(perEnv ?? {}).sort()) {
        if (!envNames.has(env)) {
          problems.add(r, `resource '${r.name}' configures environment '${env}', which is not on pipeline '${project.pipeline.name}' of project '${project.name}'`,
            `use one of: ${[...envNames].sort().join(', ') || '(the pipeline has no environments)'}`);
        }
      }
      const backupEnvs = r.type instanceof PostgresResourceType ? r.type._props.backup?.environments : undefined;
      for (const env of backupEnvs ?? []) {
        if (!envNames.has(env)) {
          problems.add(r, `resource '${r.name}' backs up in environment '${env}', which is not on pipeline '${project.pipeline.name}' of project '${project.name}'`,
            `use one of: ${[...envNames].sort().join(', ')}`);
        }
      }
    }
    for (const c of project.components) {
      for (const d of c._resourceDependencies) {
        if (d.resource.project !== project) {
          problems.add(c, `depends on resource '${d.resource.node.path}' of project '${d.resource.project.name}'; resources serve their own project only`,
            `declare the resource in project '${project.name}', or call an endpoint of a component of '${d.resource.project.name}' that owns the data`);
        }
      }
    }
  }
}

/**
 * Places a project's resources (`projectResources`, as resourcesOf lists them) in one cell:
 * their plan, and the variables and dependencies of their consumers. @internal
 */
export function placeResources(
  org: Organization, project: Project, projectResources: Resource[], env: Environment, namespace: string, placed: Component[],
  problems: ProblemCollector,
): CellResources {
  const resources: PlanResource[] = [];
  const envOf = new Map<Component, PlanEnvVar[]>();
  const depsOf = new Map<Component, PlanDependency[]>();
  const add = <T>(m: Map<Component, T[]>, c: Component, ...v: T[]) => m.set(c, [...(m.get(c) ?? []), ...v]);
  for (const r of projectResources) {
    const objectName = generateName(RESOURCE_NAME_LIMIT, r.name, env.name);
    const context = {
      resourceName: r.name,
      project: project.name,
      environment: env.name,
      isProduction: env.isProduction,
      namespace,
      clusterDomain: env.dataPlane.clusterDomain,
      objectName,
    };
    let connection: ResourceConnection;
    try {
      connection = r.type.connect(context);
    } catch (e) {
      problems.add(r, `resource type '${r.type.typeName}' failed to connect resource '${r.name}' in '${env.name}': ${(e as Error).message}`,
        'fix the resource type\'s connect() implementation', { environment: env.name });
      continue;
    }
    const consumers = placed.filter(c => c._resourceDependencies.some(d => d.resource === r));
    const labels = {
      [Labels.NAMESPACE]: org.name,
      [Labels.PROJECT]: project.name,
      [Labels.ENVIRONMENT]: env.name,
      [Labels.RESOURCE]: r.name,
      [Labels.RESOURCE_UID]: stableUid('Resource', org.name, project.name, r.name),
      [Labels.MANAGED_BY]: MANAGED_BY,
    };
    const base = { path: r.node.path, name: r.name, typeName: r.type.typeName, objectName, labels, consumers: consumers.map(c => c.name).sort() };
    let plan: PlanResource;
    if (r.type instanceof PostgresResourceType) {
      const pg = resolvePostgres(r, r.type, { env, namespace, objectName, labels, consumers: base.consumers, connection }, problems);
      plan = { ...base, ...pg };
    } else {
      if (!checkExternalConnection(r, env, connection, problems)) continue;
      const storeSecret: PlanSecretData[] = [];
      if (connection.userSecret) storeSecret.push(secretData('username', connection.userSecret));
      if (connection.passwordSecret) storeSecret.push(secretData('password', connection.passwordSecret));
      plan = {
        ...base,
        connection: { host: connection.host, port: connection.port, database: connection.database, user: connection.user },
        ...(storeSecret.length > 0 ? {
          storeSecret,
          credentials: {
            secretName: generateName(NameLimit.SUBDOMAIN, objectName, 'credentials'),
            ...(connection.userSecret ? { userKey: 'username' } : {}),
            ...(connection.passwordSecret ? { passwordKey: 'password' } : {}),
          },
        } : {}),
        pods: [],
        policies: [],
      };
      for (const c of consumers) {
        add(depsOf, c, {
          kind: 'external',
          host: connection.host,
          port: connection.port,
          targetPort: connection.port,
          protocol: 'TCP',
          address: `${connection.host}:${connection.port}`,
          service: `${project.name}/${r.name}`,
          fqdn: connection.cidrs ? undefined : connection.host,
          cidrs: connection.cidrs,
        });
      }
    }
    resources.push(plan);
    for (const c of consumers) add(envOf, c, ...consumerEnv(c, r, plan));
  }
  return { resources, env: envOf, dependencies: depsOf };
}

/** The variables a consumer gets: plain outputs as values, credentials as Secret key references. */
function consumerEnv(c: Component, r: Resource, plan: PlanResource): PlanEnvVar[] {
  const prefix = c._resourceDependencies.find(d => d.resource === r)!.options.envPrefix ?? envVarStem(r.name);
  const name = (output: string) => `${prefix}_${RESOURCE_ENV_SUFFIXES[output]}`;
  const out: PlanEnvVar[] = [
    { name: name('host'), value: plan.connection.host },
    { name: name('port'), value: String(plan.connection.port) },
  ];
  if (plan.connection.database !== undefined) out.push({ name: name('database'), value: plan.connection.database });
  const creds = plan.credentials;
  if (creds?.userKey) out.push({ name: name('username'), value: '', secretKeyRef: { name: creds.secretName, key: creds.userKey } });
  else if (plan.connection.user !== undefined) out.push({ name: name('username'), value: plan.connection.user });
  if (creds?.passwordKey) out.push({ name: name('password'), value: '', secretKeyRef: { name: creds.secretName, key: creds.passwordKey } });
  return out;
}

function checkExternalConnection(r: Resource, env: Environment, c: ResourceConnection, problems: ProblemCollector): boolean {
  if (!c.host) {
    problems.add(r, `resource '${r.name}' has no host in environment '${env.name}'`,
      `set host on the resource type, or environments: { '${env.name}': { host: '...' } }`, { environment: env.name });
    return false;
  }
  if (c.host.includes('@') || c.host.includes('://') || !HOSTNAME.test(c.host)) {
    problems.add(r, `resource type '${r.type.typeName}' gives resource '${r.name}' the host '${maskHostCredentials(c.host)}' in environment '${env.name}', which is not a plain DNS host name`,
      'return the host name only from connect() (no scheme, port, path or credentials; credentials go in userSecret/passwordSecret)', { environment: env.name });
    return false;
  }
  for (const cidr of c.cidrs ?? []) {
    if (!CIDR.test(cidr)) {
      problems.add(r, `resource '${r.name}' has CIDR '${cidr}' in environment '${env.name}', which is not an IPv4 CIDR`, "use the form '10.20.0.0/24'", { environment: env.name });
      return false;
    }
  }
  for (const [what, ref] of [['userSecret', c.userSecret], ['passwordSecret', c.passwordSecret]] as const) {
    if (ref !== undefined && !(ref instanceof SecretRef)) {
      problems.add(r, `resource '${r.name}' has a ${what} that is not a SecretRef in environment '${env.name}'`, "use SecretRef.fromStore('<remote-key>')", { environment: env.name });
      return false;
    }
  }
  if (!Number.isInteger(c.port) || c.port < 1 || c.port > 65535) {
    problems.add(r, `resource '${r.name}' has port ${c.port} in environment '${env.name}'`,
      `set port (1-65535) on the resource type, or environments: { '${env.name}': { port: ... } }`, { environment: env.name });
    return false;
  }
  return true;
}

/**
 * Adds the resources' variables and dependencies to what a component's endpoint and external
 * dependencies gave it, sorted, reporting variables injected twice. @internal
 */
export function withResourceBindings(
  c: Component, env: Environment, placed: { dependencies: PlanDependency[]; env: PlanEnvVar[] }, cell: CellResources, problems: ProblemCollector,
): { dependencies: PlanDependency[]; env: PlanEnvVar[] } {
  const extraVars = cell.env.get(c) ?? [];
  const extraDeps = cell.dependencies.get(c) ?? [];
  if (extraVars.length === 0 && extraDeps.length === 0) return placed;
  const vars = [...placed.env, ...extraVars].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (let i = 1; i < vars.length; i++) {
    if (vars[i].name === vars[i - 1].name) {
      problems.add(c, `two dependencies inject environment variable '${vars[i].name}' in '${env.name}'`,
        'give the resource dependency another envPrefix (dependOnResource(db, { envPrefix: ... })) or the endpoint dependency another addressEnvVar', { environment: env.name });
    }
  }
  const dependencies = sortDependencies([...placed.dependencies, ...extraDeps]);
  return { dependencies, env: vars };
}

/**
 * What a cell's resources add to its quota, as quota entries: each Postgres instance (plus one
 * operator job pod, which runs with the instances' resources while an instance is created or
 * joins) with its volume, and the pooler's pods with the cell's default container resources (the
 * LimitRange gives them those, as CloudNativePG sets none). @internal
 */
export function resourceQuotaEntries(resources: readonly PlanResource[] | undefined, defaults: PlanResources): QuotaComponent[] {
  const out: QuotaComponent[] = [];
  for (const r of resources ?? []) {
    const pg = r.postgres;
    if (!pg) continue;
    const size = { requests: { cpu: pg.cpu, memory: pg.memory }, limits: { cpu: pg.cpu, memory: pg.memory } };
    // only the fields quotas read (peakPods, podResources, cellDemand)
    const volumes = [{ size: pg.storageSize }];
    const entry = { replicas: pg.instances + 1, pod: {}, resources: size, sidecars: [], initContainers: [], stateful: { volumes } };
    out.push(entry as unknown as QuotaComponent);
    if (pg.pooler) {
      out.push({ replicas: pg.pooler.instances + 1, pod: {}, resources: defaults, sidecars: [], initContainers: [] } as unknown as QuotaComponent);
    }
  }
  return out;
}
