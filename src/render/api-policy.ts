import { externalSecret, SecretStoreSettings } from './external-secret';
import { enumMember } from './json';
import { routeMetadata } from './routes';
import {
  BackendTrafficPolicy, BackendTrafficPolicySpecRateLimitLocalRulesLimitUnit, BackendTrafficPolicySpecRateLimitType,
  BackendTrafficPolicySpecRetryRetryOnTriggers, SecurityPolicy, SecurityPolicySpecAuthorizationDefaultAction,
  SecurityPolicySpecAuthorizationRulesAction, SecurityPolicySpecAuthorizationRulesOperationMethods,
  SecurityPolicySpecAuthorizationRulesOperationPathType, toJson_BackendTrafficPolicySpecCircuitBreaker,
} from '../imports/gateway.envoyproxy.io';
import { Cell, PlanComponent, PlanRoute } from '../resolve/plan';

const GATEWAY_API = 'gateway.networking.k8s.io';
const JWT_PROVIDER = 'jwt';

/**
 * The API policy of each route: a SecurityPolicy (authentication, authorization, CORS) and a
 * BackendTrafficPolicy (rate limit, retries, timeouts, circuit breaking), both named after the
 * route and targeting exactly it, and the ExternalSecrets holding an OIDC client secret or API
 * keys. Header changes are route filters (see routes). @internal
 */
export function renderApiPolicies(cell: Cell, c: PlanComponent, store: SecretStoreSettings): any[] {
  const out: any[] = [];
  for (const r of c.routes) {
    const targetRefs = [{ group: GATEWAY_API, kind: r.kind, name: r.name }];
    const metadata = routeMetadata(cell, c, r);
    const security = securitySpec(r);
    if (security) out.push(SecurityPolicy.manifest({ metadata, spec: { targetRefs, ...security } }));
    const traffic = trafficPolicy(metadata, targetRefs, r);
    if (traffic) out.push(traffic);
    const p = r.policy;
    if (p.oidc) out.push(externalSecret(routeMetadata(cell, c, r, p.oidc.secretName), p.oidc.secretName, [p.oidc.secret], store));
    if (p.apiKey) out.push(externalSecret(routeMetadata(cell, c, r, p.apiKey.secretName), p.apiKey.secretName, p.apiKey.clients, store));
  }
  return out;
}

function securitySpec(r: PlanRoute) {
  const p = r.policy;
  if (!p.jwt && !p.oidc && !p.apiKey && !p.authorization && !p.cors) return undefined;
  return {
    ...(p.jwt ? {
      jwt: {
        providers: [{
          name: JWT_PROVIDER,
          issuer: p.jwt.issuer,
          remoteJwks: { uri: p.jwt.jwksUri },
          ...(p.jwt.audiences ? { audiences: p.jwt.audiences } : {}),
          ...(p.jwt.claimToHeaders ? { claimToHeaders: p.jwt.claimToHeaders } : {}),
        }],
      },
    } : {}),
    ...(p.oidc ? {
      oidc: {
        provider: { issuer: p.oidc.issuer },
        clientId: p.oidc.clientId,
        clientSecret: { group: '', kind: 'Secret', name: p.oidc.secretName },
        redirectUrl: p.oidc.redirectUrl,
        logoutPath: p.oidc.logoutPath,
        ...(p.oidc.scopes ? { scopes: p.oidc.scopes } : {}),
      },
    } : {}),
    ...(p.apiKey ? {
      apiKeyAuth: {
        credentialRefs: [{ group: '', kind: 'Secret', name: p.apiKey.secretName }],
        extractFrom: [{ headers: [p.apiKey.header] }],
        ...(p.apiKey.forwardClientIdHeader ? { forwardClientIdHeader: p.apiKey.forwardClientIdHeader } : {}),
      },
    } : {}),
    ...(p.authorization ? {
      authorization: {
        defaultAction: SecurityPolicySpecAuthorizationDefaultAction.DENY,
        rules: p.authorization.map((a, i) => ({
          name: `allow-${i}`,
          action: SecurityPolicySpecAuthorizationRulesAction.ALLOW,
          principal: {
            jwt: {
              provider: JWT_PROVIDER,
              ...(a.scopes ? { scopes: a.scopes } : {}),
              ...(a.claims ? { claims: a.claims } : {}),
            },
          },
          ...(a.methods || a.pathPrefix ? {
            operation: {
              ...(a.methods ? { methods: a.methods.map(m => enumMember(SecurityPolicySpecAuthorizationRulesOperationMethods, m)) } : {}),
              ...(a.pathPrefix ? { path: { type: SecurityPolicySpecAuthorizationRulesOperationPathType.PATH_PREFIX, value: a.pathPrefix } } : {}),
            },
          } : {}),
        })),
      },
    } : {}),
    ...(p.cors ? { cors: p.cors } : {}),
  };
}

/**
 * The route's BackendTrafficPolicy as the JSON `BackendTrafficPolicy.manifest()` makes of the same
 * props, written directly: the generated conversion (once per route, rebuilding every object by
 * spreads) orders each object's fields alphabetically and leaves out unset ones, and so do the
 * objects here (hence `circuitBreaker` first and `backOff` before `timeout`). The circuit breaker,
 * a user's object passed through, still goes through the generated conversion.
 */
function trafficPolicy(metadata: object, targetRefs: Array<{ group: string; kind: string; name: string }>, r: PlanRoute): any {
  const p = r.policy;
  if (!p.rateLimit && !p.retry && !p.timeout && !p.circuitBreaker) return undefined;
  const spec: Record<string, unknown> = {};
  if (p.circuitBreaker) spec.circuitBreaker = toJson_BackendTrafficPolicySpecCircuitBreaker(p.circuitBreaker);
  if (p.rateLimit) {
    const limit: Record<string, unknown> = {};
    if (p.rateLimit.requests !== undefined) limit.requests = p.rateLimit.requests;
    limit.unit = enumMember(BackendTrafficPolicySpecRateLimitLocalRulesLimitUnit, p.rateLimit.unit);
    spec.rateLimit = { local: { rules: [{ limit }] }, type: BackendTrafficPolicySpecRateLimitType.LOCAL };
  }
  const retry = p.retry;
  if (retry) {
    const out: Record<string, unknown> = {};
    if (retry.attempts !== undefined) out.numRetries = retry.attempts;
    if (retry.perTryTimeout || retry.backoffBase || retry.backoffMax) {
      const perRetry: Record<string, unknown> = {};
      if (retry.backoffBase || retry.backoffMax) {
        const backOff: Record<string, string> = {};
        if (retry.backoffBase) backOff.baseInterval = retry.backoffBase;
        if (retry.backoffMax) backOff.maxInterval = retry.backoffMax;
        perRetry.backOff = backOff;
      }
      if (retry.perTryTimeout) perRetry.timeout = retry.perTryTimeout;
      out.perRetry = perRetry;
    }
    const triggers = [...(retry.on ?? []), ...(retry.statusCodes ? ['retriable-status-codes'] : [])];
    if (triggers.length > 0 || retry.statusCodes) {
      const retryOn: Record<string, unknown> = {};
      if (retry.statusCodes) retryOn.httpStatusCodes = [...retry.statusCodes];
      if (triggers.length > 0) retryOn.triggers = triggers.map(t => enumMember(BackendTrafficPolicySpecRetryRetryOnTriggers, t));
      out.retryOn = retryOn;
    }
    spec.retry = out;
  }
  spec.targetRefs = targetRefs.map(t => ({ group: t.group, kind: t.kind, name: t.name }));
  const timeout = p.timeout;
  if (timeout?.request || timeout?.idle || timeout?.connect) {
    const out: Record<string, unknown> = {};
    if (timeout.request || timeout.idle) {
      const http: Record<string, string> = {};
      if (timeout.idle) http.connectionIdleTimeout = timeout.idle;
      if (timeout.request) http.requestTimeout = timeout.request;
      out.http = http;
    }
    if (timeout.connect) out.tcp = { connectTimeout: timeout.connect };
    spec.timeout = out;
  }
  return { apiVersion: BackendTrafficPolicy.GVK.apiVersion, kind: BackendTrafficPolicy.GVK.kind, metadata, spec };
}
