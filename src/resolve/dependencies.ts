import { flat } from './flat-string';
import { orNone } from './memo';
import { PlanDependency, PlanEnvVar, PlanHttpRule } from './plan';
import { Component, DependencyDeclaration, DependencyOptions } from '../model/component';
import { Endpoint, EndpointType, Visibility } from '../model/endpoint';
import { Environment } from '../model/environment';
import { ProblemCollector } from '../model/errors';
import { Organization } from '../model/organization';

/** A dependency whose target is known, before it is placed in an environment. @internal */
export interface BoundDependency {
  readonly declaration: DependencyDeclaration;
  readonly endpoint?: Endpoint;
}

const HTTP_LIKE = new Set([EndpointType.HTTP, EndpointType.GRAPHQL, EndpointType.WEBSOCKET]);
const SCHEME: Record<EndpointType, string> = {
  [EndpointType.HTTP]: 'http',
  [EndpointType.GRAPHQL]: 'http',
  [EndpointType.WEBSOCKET]: 'ws',
  [EndpointType.GRPC]: 'grpc',
  [EndpointType.TCP]: 'tcp',
  [EndpointType.UDP]: 'udp',
};

/** UPPER_SNAKE form of a DNS name. @internal */
export function envVarStem(name: string): string {
  return name.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
}

/**
 * Finds each dependency's target and checks that the consumer may see it: the endpoint exists,
 * belongs to this organization, and is ORGANIZATION-visible when it lives in another project.
 * @internal
 */
export function bindDependencies(org: Organization, consumer: Component, problems: ProblemCollector): BoundDependency[] {
  const bound: BoundDependency[] = [];
  for (const d of consumer._dependencies) {
    if (d.external) {
      if (d.external.organization !== org) {
        problems.add(consumer, `depends on external service '${d.external.node.path}' of another organization`, `declare the external service in organization '${org.name}'`);
        continue;
      }
      bound.push({ declaration: d });
      continue;
    }
    const endpoint = d.endpoint ?? lookup(org, consumer, d, problems);
    if (!endpoint) continue;
    const provider = endpoint.component;
    if (provider.project.organization !== org) {
      problems.add(consumer, `depends on endpoint '${endpoint.node.path}' of another organization`, 'depend only on components of the same organization');
      continue;
    }
    if (provider === consumer) {
      problems.add(consumer, `depends on its own endpoint '${endpoint.name}'`, 'remove the dependency: a component reaches itself without one');
      continue;
    }
    if (provider.project !== consumer.project && !endpoint.isVisibleTo(Visibility.ORGANIZATION)) {
      problems.add(consumer, `depends on endpoint '${endpoint.name}' of component '${provider.name}' in project '${provider.project.name}', which is visible to its own project only`,
        `add Visibility.ORGANIZATION to endpoint '${endpoint.name}' of '${provider.project.name}/${provider.name}', or move the consumer into project '${provider.project.name}'`);
      continue;
    }
    bound.push({ declaration: d, endpoint });
  }
  return bound;
}

function lookup(org: Organization, consumer: Component, d: DependencyDeclaration, problems: ProblemCollector): Endpoint | undefined {
  const ref = d.reference!;
  const projectName = ref.project ?? consumer.project.name;
  const project = org.projects.find(p => p.name === projectName);
  if (!project) {
    problems.add(consumer, `depends on unknown project '${projectName}'`, `use one of the organization's projects: ${org.projects.map(p => p.name).join(', ')}`);
    return undefined;
  }
  const component = project.findComponent(ref.component);
  if (!component) {
    problems.add(consumer, `depends on unknown component '${ref.component}' in project '${projectName}'`,
      `use one of: ${project.components.map(c => c.name).join(', ') || '(the project has no components)'}`);
    return undefined;
  }
  const endpoint = component.findEndpoint(ref.endpoint);
  if (!endpoint) {
    problems.add(consumer, `depends on unknown endpoint '${ref.endpoint}' of component '${projectName}/${ref.component}'`,
      `use one of its endpoints: ${component.endpoints.map(e => e.name).join(', ') || '(it has none; add one with addEndpoint)'}`);
    return undefined;
  }
  return endpoint;
}

const L7_CAPABLE = new Set([EndpointType.HTTP, EndpointType.GRAPHQL, EndpointType.WEBSOCKET, EndpointType.GRPC]);

/** Cilium matches HTTP paths with a full-match regular expression. */
function pathRegex(path: string): string {
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return path.endsWith('/*') ? `${escape(path.slice(0, -2))}(/.*)?` : escape(path);
}

function httpRules(
  consumer: Component, o: DependencyOptions, type: EndpointType, what: string, problems: ProblemCollector,
): PlanHttpRule[] | undefined {
  if (!o.httpRules) return undefined;
  if (!L7_CAPABLE.has(type)) {
    problems.add(consumer, `dependency on ${what} sets httpRules, but the endpoint is ${type}`,
      'remove httpRules: L7 rules apply to HTTP, GraphQL, Websocket and gRPC endpoints only');
    return undefined;
  }
  if (o.httpRules.length === 0) {
    problems.add(consumer, `dependency on ${what} sets an empty httpRules list, which would allow no request`, 'list the requests to allow, or leave httpRules unset to allow the whole port');
    return undefined;
  }
  const rules = o.httpRules.map(r => ({ method: r.method, pathRegex: r.path === undefined ? undefined : pathRegex(r.path) }));
  const key = (r: PlanHttpRule) => `${r.method ?? ''} ${r.pathRegex ?? ''}`;
  return rules.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** Where a provider component runs in an environment. @internal */
export interface ProviderLocation {
  readonly namespace: string;
  readonly serviceName: string;
  readonly clusterDomain: string;
}

/** An endpoint placed in one environment: what every consumer without httpRules or its own variable name shares. */
interface PlacedEndpoint {
  readonly dependency: PlanDependency;
  /** The default address variable (`<COMPONENT>_<ENDPOINT>_URL` or `_ADDRESS`). */
  readonly addressVar: PlanEnvVar;
}

/**
 * Placed endpoints by location (one per provider and environment, from the resolver) and endpoint:
 * computed once instead of once per consumer, and shared by the consumers in the plan.
 */
const placedEndpoints = new WeakMap<ProviderLocation, Map<Endpoint, PlacedEndpoint>>();

function placedEndpoint(where: ProviderLocation, ep: Endpoint): PlacedEndpoint {
  let byEndpoint = placedEndpoints.get(where);
  if (!byEndpoint) {
    byEndpoint = new Map();
    placedEndpoints.set(where, byEndpoint);
  }
  const cached = byEndpoint.get(ep);
  if (cached) return cached;
  const provider = ep.component;
  const host = flat(`${where.serviceName}.${where.namespace}.svc.${where.clusterDomain}`);
  const httpLike = HTTP_LIKE.has(ep.type);
  const address = flat(httpLike
    ? `${SCHEME[ep.type]}://${host}:${ep.port}${ep.basePath === '/' ? '' : ep.basePath}`
    : `${host}:${ep.port}`);
  const stem = `${envVarStem(provider.name)}_${envVarStem(ep.name)}`;
  const placed: PlacedEndpoint = {
    dependency: {
      kind: 'endpoint',
      host,
      port: ep.port,
      targetPort: ep.targetPort,
      protocol: ep.type === EndpointType.UDP ? 'UDP' : 'TCP',
      address,
      namespace: where.namespace,
      project: provider.project.name,
      component: provider.name,
      endpoint: ep.name,
      endpointType: ep.type,
      http: undefined,
    },
    addressVar: { name: flat(`${stem}_${httpLike ? 'URL' : 'ADDRESS'}`), value: address },
  };
  byEndpoint.set(ep, placed);
  return placed;
}

/**
 * Places bound dependencies in one environment: computes addresses (OpenChoreo's formats) and
 * the env vars that carry them.
 * @internal
 */
export function placeDependencies(
  consumer: Component, env: Environment, bound: BoundDependency[],
  locate: (provider: Component, env: Environment) => ProviderLocation | undefined,
  problems: ProblemCollector,
): { dependencies: PlanDependency[]; env: PlanEnvVar[] } {
  const dependencies: PlanDependency[] = [];
  const vars: PlanEnvVar[] = [];
  for (const b of bound) {
    const o = b.declaration.options;
    if (b.endpoint) {
      const ep = b.endpoint;
      const provider = ep.component;
      const where = locate(provider, env);
      if (!where) {
        problems.add(consumer, `depends on '${provider.project.name}/${provider.name}', which is not deployed in environment '${env.name}' (its project's pipeline does not include it)`,
          `add '${env.name}' to the pipeline of project '${provider.project.name}', or depend on a component that runs there`, { environment: env.name });
        continue;
      }
      const http = httpRules(consumer, o, ep.type, `endpoint '${provider.name}/${ep.name}'`, problems);
      const placed = placedEndpoint(where, ep);
      const { host, address } = placed.dependency;
      dependencies.push(http === undefined ? placed.dependency : { ...placed.dependency, http });
      vars.push(o.addressEnvVar === undefined ? placed.addressVar : { name: o.addressEnvVar, value: address });
      if (o.hostEnvVar) vars.push({ name: o.hostEnvVar, value: host });
      if (o.portEnvVar) vars.push({ name: o.portEnvVar, value: String(ep.port) });
      if (o.basePathEnvVar) vars.push({ name: o.basePathEnvVar, value: ep.basePath });
    } else {
      const svc = b.declaration.external!;
      const host = svc._connectHost;
      if (host === undefined) {
        problems.add(consumer, `depends on external service '${svc.name}', which declares only IP ranges (${svc.cidrs.join(', ')}) and no host to connect to`,
          `set host on external service '${svc.name}' (its cidrs still scope the network policy), or declare a single /32 range`);
        continue;
      }
      const address = svc.scheme ? `${svc.scheme}://${host}:${svc.port}` : `${host}:${svc.port}`;
      dependencies.push({
        kind: 'external',
        host,
        port: svc.port,
        targetPort: svc.port,
        protocol: svc.protocol === 'UDP' ? 'UDP' : 'TCP',
        address,
        service: svc.name,
        fqdn: svc.cidrs.length === 0 ? svc.host : undefined,
        cidrs: svc.cidrs.length > 0 ? svc.cidrs : undefined,
      });
      vars.push({ name: o.addressEnvVar ?? `${envVarStem(svc.name)}_ADDRESS`, value: address });
      if (o.hostEnvVar) vars.push({ name: o.hostEnvVar, value: host });
      if (o.portEnvVar) vars.push({ name: o.portEnvVar, value: String(svc.port) });
      if (o.basePathEnvVar) {
        problems.add(consumer, `dependency on external service '${svc.name}' sets basePathEnvVar`, 'remove basePathEnvVar: external services have no base path');
      }
    }
  }
  sortDependencies(dependencies);
  vars.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (let i = 1; i < vars.length; i++) {
    if (vars[i].name === vars[i - 1].name) {
      problems.add(consumer, `two dependencies inject environment variable '${vars[i].name}'`, 'give one of them a different addressEnvVar (or host/port variable)');
    }
  }
  return { dependencies: orNone(dependencies), env: orNone(vars) };
}

/**
 * Sorts a component's dependencies in place, in the plan's order (kind, namespace, target, endpoint,
 * then the trait that declared it), and returns the list. @internal
 */
export function sortDependencies(deps: PlanDependency[]): PlanDependency[] {
  if (deps.length < 2) return deps;
  const keyed = deps.map(d => ({ d, key: sortKey(d) }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (let i = 0; i < deps.length; i++) deps[i] = keyed[i].d;
  return deps;
}

/** Sort keys by dependency: each once, not twice per comparison, and once per placed endpoint its consumers share. */
const sortKeys = new WeakMap<PlanDependency, string>();

function sortKey(d: PlanDependency): string {
  let key = sortKeys.get(d);
  if (key === undefined) {
    key = `${d.kind}/${d.namespace ?? ''}/${d.component ?? d.service}/${d.endpoint ?? ''}/${d.trait ?? ''}`;
    sortKeys.set(d, key);
  }
  return key;
}
