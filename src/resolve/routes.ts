import { Duration } from 'cdk8s';
import { flat } from './flat-string';
import { ResolvedGateways } from './gateway';
import { orNone } from './memo';
import { generateName, NameLimit } from './naming';
import { PlanApiPolicy, PlanGateway, PlanGatewayVisibility, PlanHeaderChanges, PlanRoute } from './plan';
import { secretData } from './secret-data';
import { ApiPolicy, AuthenticationKind, HeaderChanges, RouteOptions } from '../model/api-policy';
import { Component } from '../model/component';
import { kindTraits } from '../model/component-kind';
import { DurationTarget, formatDuration } from '../model/duration';
import { Endpoint, EndpointType, Visibility } from '../model/endpoint';
import { Environment } from '../model/environment';
import { ProblemCollector } from '../model/errors';
import { HttpMethod } from '../model/network';

const GATEWAY_OF: Array<[Visibility, PlanGatewayVisibility]> = [[Visibility.INTERNAL, 'internal'], [Visibility.PUBLIC, 'external']];

/**
 * The gateway routes of a component's INTERNAL and PUBLIC endpoints in one environment, with
 * their merged route options and API policies (OpenChoreo's route names, host names and path
 * prefixes). @internal
 */
export function resolveRoutes(
  c: Component, env: Environment, gateways: ResolvedGateways, missing: MissingGateways, problems: ProblemCollector,
  endpoints: readonly Endpoint[] = c.endpoints,
): PlanRoute[] {
  const routes: PlanRoute[] = [];
  const org = c.project.organization.name;
  for (const ep of endpoints) {
    for (const [visibility, which] of GATEWAY_OF) {
      if (!ep.isVisibleTo(visibility)) continue;
      const gateway = gateways.gatewayOf(env.name, which);
      if (gateway) {
        routes.push(resolveRoute(c, ep, env, org, visibility, gateway, problems));
        continue;
      }
      const key = `${ep.node.path}|${env.dataPlane.name}|${which}`;
      const entry = missing.get(key) ?? { endpoint: ep, visibility, dataPlane: env.dataPlane.name, environments: [] };
      entry.environments.push(env.name);
      missing.set(key, entry);
    }
  }
  return orNone(routes);
}

/** Exposed endpoints whose environments have no gateway of their visibility, by endpoint and data plane. @internal */
export type MissingGateways = Map<string, { endpoint: Endpoint; visibility: Visibility; dataPlane: string; environments: string[] }>;

/** Reports each exposed endpoint without a gateway once per data plane, naming the environments. @internal */
export function reportMissingGateways(missing: MissingGateways, problems: ProblemCollector): void {
  for (const m of missing.values()) {
    const which = m.visibility === Visibility.PUBLIC ? 'external' : 'internal';
    const v = m.visibility === Visibility.PUBLIC ? 'PUBLIC' : 'INTERNAL';
    problems.add(m.endpoint, `endpoint '${m.endpoint.name}' is ${v}, but data plane '${m.dataPlane}' has no ${which} gateway for ${m.environments.sort().map(e => `'${e}'`).join(', ')}`,
      `declare ${which}Gateway: { domain: '...' } on data plane '${m.dataPlane}', or remove Visibility.${v} from the endpoint`);
  }
}

/** Route options of every scope that applies, merged: wider scopes first, later calls last. */
function mergedOptions(ep: Endpoint, env: Environment, visibility: Visibility): RouteOptions {
  // most endpoints declare no route options: no layers to filter and sort
  if (ep._routeLayers.length === 0) return { hostLabel: undefined, pathPrefix: undefined, policy: {} };
  const rank = (l: { visibility?: Visibility; environment?: Environment }) => (l.visibility ? 1 : 0) + (l.environment ? 2 : 0);
  const layers = ep._routeLayers
    .map((l, i) => ({ l, i }))
    .filter(({ l }) => (l.visibility === undefined || l.visibility === visibility) && (l.environment === undefined || l.environment === env))
    .sort((a, b) => rank(a.l) - rank(b.l) || a.i - b.i)
    .map(({ l }) => l.options);
  let hostLabel: string | undefined;
  let pathPrefix: string | undefined;
  let policy: ApiPolicy = {};
  for (const o of layers) {
    hostLabel = o.hostLabel ?? hostLabel;
    pathPrefix = o.pathPrefix ?? pathPrefix;
    policy = { ...policy, ...Object.fromEntries(Object.entries(o.policy ?? {}).filter(([, v]) => v !== undefined)) };
  }
  return { hostLabel, pathPrefix, policy };
}

function resolveRoute(
  c: Component, ep: Endpoint, env: Environment, org: string, visibility: Visibility, gateway: PlanGateway, problems: ProblemCollector,
): PlanRoute {
  const which: PlanGatewayVisibility = visibility === Visibility.PUBLIC ? 'external' : 'internal';
  const o = mergedOptions(ep, env, visibility);
  const grpc = ep.type === EndpointType.GRPC;
  const ownHost = grpc || kindTraits(c.kind).ownHost;
  const sharedLabel = `${env.name}-${org}`;
  const sharedHost = sharedLabel.length <= 63 ? sharedLabel : generateName(NameLimit.LABEL, env.name, org);
  // OpenChoreo's names are unique per namespace (our organization), ours per project: the project
  // joins the generated host label and the shared host's path so that no two projects collide.
  const project = c.project.name;
  const hostLabel = o.hostLabel ?? (ownHost ? generateName(NameLimit.LABEL, ep.name, c.name, project, env.name, org) : sharedHost);
  const hostname = flat(`${hostLabel}.${gateway.domain}`);
  const pathPrefix = grpc ? undefined : o.pathPrefix ?? (ownHost ? '/' : flat(`/${project}/${c.name}-${ep.name}`));
  const name = which === 'external' ? generateName(NameLimit.SUBDOMAIN, c.name, ep.name) : generateName(NameLimit.SUBDOMAIN, c.name, ep.name, 'internal');
  const https = gateway.certificate !== undefined;
  const where = `route of endpoint '${ep.name}' on the ${which} gateway in '${env.name}'`;
  const policy = resolvePolicy(ep, where, o.policy ?? {}, { name, hostname, pathPrefix: pathPrefix ?? '/', https, grpc }, problems);
  return {
    kind: grpc ? 'GRPCRoute' : 'HTTPRoute',
    name,
    endpoint: ep.name,
    visibility: which,
    gateway: { name: gateway.name, namespace: gateway.namespace, sectionName: https ? 'https' : 'http' },
    hostname,
    pathPrefix,
    rewritePath: pathPrefix !== undefined && pathPrefix !== ep.basePath ? ep.basePath : undefined,
    backend: { service: c.name, port: ep.port },
    url: flat(`${https ? 'https' : 'http'}://${hostname}${pathPrefix === undefined || pathPrefix === '/' ? '' : pathPrefix}`),
    policy,
  };
}

interface RouteFacts {
  readonly name: string;
  readonly hostname: string;
  readonly pathPrefix: string;
  readonly https: boolean;
  readonly grpc: boolean;
}

/** Joins a route's prefix and a path below it. */
const below = (prefix: string, path: string) => (prefix === '/' ? path : path === '/' ? prefix : `${prefix}${path}`);
const sortedPairs = (m: { [k: string]: string } | undefined) =>
  Object.entries(m ?? {}).sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, value]) => ({ name, value }));

function headerChanges(h: HeaderChanges | undefined): PlanHeaderChanges | undefined {
  if (!h) return undefined;
  const out = { set: sortedPairs(h.set), add: sortedPairs(h.add), remove: [...(h.remove ?? [])].sort() };
  return out.set.length + out.add.length + out.remove.length > 0 ? out : undefined;
}

/** Resolves an API policy for one route, checking the combinations a single scope cannot see. */
function resolvePolicy(ep: Endpoint, where: string, p: ApiPolicy, r: RouteFacts, problems: ProblemCollector): PlanApiPolicy {
  const lifted = p.authentication?._kind === AuthenticationKind.NONE;
  const auth = lifted ? undefined : p.authentication;
  // ApiAuthentication.none() lifts authentication and the authorization that depends on it.
  if (p.authorization && !lifted && auth?._kind !== AuthenticationKind.JWT) {
    problems.add(ep, `${where}: authorization rules need JWT authentication, but the route's authentication is ${auth ? auth._kind : 'none'}`,
      'set authentication: ApiAuthentication.jwt({ issuer, jwksUri }) in the same or a wider scope, or remove authorization');
  }
  if (auth?._kind === AuthenticationKind.OIDC && !r.https) {
    problems.add(ep, `${where}: OIDC sign-in needs HTTPS, but the gateway has no certificate`, 'give the gateway a certificate (GatewayCertificate...), or use JWT authentication');
  }
  if (r.grpc && (p.cors || auth?._kind === AuthenticationKind.OIDC)) {
    problems.add(ep, `${where}: ${p.cors ? 'CORS' : 'OIDC sign-in'} is set on a gRPC endpoint`, 'remove it: CORS and browser sign-in apply to HTTP, GraphQL and Websocket endpoints');
  }
  const jwt = auth?._jwt;
  const oidc = auth?._oidc;
  const apiKey = auth?._apiKey;
  const scheme = r.https ? 'https' : 'http';
  return {
    jwt: jwt ? {
      issuer: jwt.issuer,
      jwksUri: jwt.jwksUri,
      audiences: jwt.audiences && jwt.audiences.length > 0 ? [...jwt.audiences] : undefined,
      claimToHeaders: jwt.claimToHeaders && jwt.claimToHeaders.length > 0
        ? jwt.claimToHeaders.map(x => ({ claim: x.claim, header: x.header })) : undefined,
    } : undefined,
    oidc: oidc ? {
      issuer: oidc.issuer,
      clientId: oidc.clientId,
      secretName: generateName(NameLimit.SUBDOMAIN, r.name, 'oidc-client'),
      secret: secretData('client-secret', oidc.clientSecret),
      scopes: oidc.scopes && oidc.scopes.length > 0 ? [...oidc.scopes] : undefined,
      redirectUrl: `${scheme}://${r.hostname}${below(r.pathPrefix, oidc.redirectPath ?? '/oauth2/callback')}`,
      logoutPath: below(r.pathPrefix, oidc.logoutPath ?? '/logout'),
    } : undefined,
    apiKey: apiKey ? {
      secretName: generateName(NameLimit.SUBDOMAIN, r.name, 'api-keys'),
      clients: Object.entries(apiKey.clients).sort(([a], [b]) => (a < b ? -1 : 1)).map(([id, ref]) => secretData(id, ref)),
      header: apiKey.header ?? 'x-api-key',
      forwardClientIdHeader: apiKey.forwardClientIdHeader,
    } : undefined,
    authorization: p.authorization && auth?._kind === AuthenticationKind.JWT ? p.authorization.map(a => ({
      scopes: a.scopes && a.scopes.length > 0 ? [...a.scopes] : undefined,
      claims: a.claims && a.claims.length > 0 ? a.claims.map(x => ({ name: x.name, values: [...x.values] })) : undefined,
      methods: a.methods && a.methods.length > 0 ? [...a.methods] : undefined,
      pathPrefix: a.pathPrefix === undefined ? undefined : below(r.pathPrefix, a.pathPrefix),
    })) : undefined,
    cors: p.cors && !r.grpc ? {
      allowOrigins: [...p.cors.allowOrigins],
      allowMethods: [...(p.cors.allowMethods ?? [HttpMethod.GET, HttpMethod.HEAD, HttpMethod.POST])],
      allowHeaders: p.cors.allowHeaders ? [...p.cors.allowHeaders] : undefined,
      exposeHeaders: p.cors.exposeHeaders ? [...p.cors.exposeHeaders] : undefined,
      allowCredentials: p.cors.allowCredentials ?? false,
      maxAge: gatewayDuration(p.cors.maxAge),
    } : undefined,
    rateLimit: p.rateLimit ? { requests: p.rateLimit.requests, unit: p.rateLimit.unit } : undefined,
    retry: p.retry ? {
      attempts: p.retry.attempts,
      on: p.retry.on && p.retry.on.length > 0 ? [...new Set(p.retry.on)] : undefined,
      statusCodes: p.retry.statusCodes && p.retry.statusCodes.length > 0 ? [...new Set(p.retry.statusCodes)].sort((a, b) => a - b) : undefined,
      perTryTimeout: gatewayDuration(p.retry.perTryTimeout),
      backoffBase: gatewayDuration(p.retry.backoffBase),
      backoffMax: gatewayDuration(p.retry.backoffMax),
    } : undefined,
    timeout: p.timeout && (p.timeout.request || p.timeout.idle || p.timeout.connect) ? {
      request: gatewayDuration(p.timeout.request), idle: gatewayDuration(p.timeout.idle), connect: gatewayDuration(p.timeout.connect),
    } : undefined,
    circuitBreaker: p.circuitBreaker && Object.values(p.circuitBreaker).some(v => v !== undefined) ? { ...p.circuitBreaker } : undefined,
    requestHeaders: headerChanges(p.requestHeaders),
    responseHeaders: headerChanges(p.responseHeaders),
  };
}

/**
 * Routes on the same gateway must not claim the same host name and path prefix, and a gRPC route
 * needs its host name to itself: otherwise the gateway picks one silently. @internal
 */
export function checkRouteConflicts(routes: Array<{ path: string; environment: string; route: PlanRoute }>, problems: ProblemCollector): void {
  const claims = new Map<string, { path: string; environment: string; route: PlanRoute }>();
  const hosts = new Map<string, Array<{ path: string; environment: string; route: PlanRoute }>>();
  for (const entry of routes) {
    const r = entry.route;
    const gw = `${r.gateway.namespace}/${r.gateway.name}`;
    const hostKey = `${gw} ${r.hostname}`;
    hosts.set(hostKey, [...(hosts.get(hostKey) ?? []), entry]);
    if (r.pathPrefix === undefined) continue;
    const key = `${hostKey}${r.pathPrefix}`;
    const prev = claims.get(key);
    if (prev) {
      problems.add(entry.path, `route '${r.name}' (endpoint '${r.endpoint}' in '${entry.environment}') claims ${r.hostname}${r.pathPrefix === '/' ? '/' : r.pathPrefix} on gateway ${gw}, which route '${prev.route.name}' of ${prev.path} (endpoint '${prev.route.endpoint}' in '${prev.environment}') already claims`,
        'give one of the endpoints another pathPrefix or hostLabel with configureRoute(...)');
    } else {
      claims.set(key, entry);
    }
  }
  for (const [hostKey, entries] of hosts) {
    const grpc = entries.find(e => e.route.kind === 'GRPCRoute');
    if (!grpc || entries.length === 1) continue;
    const other = entries.find(e => e !== grpc)!;
    problems.add(grpc.path, `gRPC route '${grpc.route.name}' (endpoint '${grpc.route.endpoint}' in '${grpc.environment}') needs host ${hostKey.split(' ')[1]} to itself, but route '${other.route.name}' of ${other.path} also serves it`,
      'give one of the endpoints another hostLabel with configureRoute(...)');
  }
}

/** A validated optional duration in gateway syntax. */
function gatewayDuration(d: Duration | undefined): string | undefined {
  return d === undefined ? undefined : formatDuration(d, DurationTarget.GATEWAY);
}
