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
    const security = securityPolicy(metadata, targetRefs, r);
    if (security) out.push(security);
    const traffic = trafficPolicy(metadata, targetRefs, r);
    if (traffic) out.push(traffic);
    const p = r.policy;
    if (p.oidc) out.push(externalSecret(routeMetadata(cell, c, r, p.oidc.secretName), p.oidc.secretName, [p.oidc.secret], store));
    if (p.apiKey) out.push(externalSecret(routeMetadata(cell, c, r, p.apiKey.secretName), p.apiKey.secretName, p.apiKey.clients, store));
  }
  return out;
}

/** A copy of `o` without its unset fields (as the generated conversion leaves them out). */
function defined<T extends object>(o: T): T {
  const out: Record<string, unknown> = {};
  for (const k in o) if (o[k] !== undefined) out[k] = o[k];
  return out as T;
}

/**
 * The route's SecurityPolicy as the JSON `SecurityPolicy.manifest()` makes of the same props,
 * written directly like {@link trafficPolicy}: fields alphabetical by their JSON names (`apiKeyAuth`
 * before `jwt`, `clientID` before `clientSecret`), unset ones left out, lists copied.
 */
function securityPolicy(metadata: object, targetRefs: Array<{ group: string; kind: string; name: string }>, r: PlanRoute): any {
  const p = r.policy;
  if (!p.jwt && !p.oidc && !p.apiKey && !p.authorization && !p.cors) return undefined;
  const spec: Record<string, unknown> = {};
  if (p.apiKey) {
    spec.apiKeyAuth = defined({
      credentialRefs: [{ group: '', kind: 'Secret', name: p.apiKey.secretName }],
      extractFrom: [{ headers: [p.apiKey.header] }],
      forwardClientIDHeader: p.apiKey.forwardClientIdHeader || undefined,
    });
  }
  if (p.authorization) {
    spec.authorization = {
      defaultAction: SecurityPolicySpecAuthorizationDefaultAction.DENY,
      rules: p.authorization.map((a, i) => {
        const rule: Record<string, unknown> = { action: SecurityPolicySpecAuthorizationRulesAction.ALLOW, name: `allow-${i}` };
        if (a.methods || a.pathPrefix) {
          const operation: Record<string, unknown> = {};
          if (a.methods) operation.methods = a.methods.map(m => enumMember(SecurityPolicySpecAuthorizationRulesOperationMethods, m));
          if (a.pathPrefix) operation.path = { type: SecurityPolicySpecAuthorizationRulesOperationPathType.PATH_PREFIX, value: a.pathPrefix };
          rule.operation = operation;
        }
        const jwt: Record<string, unknown> = {};
        if (a.claims) jwt.claims = a.claims.map(c => defined({ name: c.name, values: c.values === undefined ? undefined : [...c.values] }));
        jwt.provider = JWT_PROVIDER;
        if (a.scopes) jwt.scopes = [...a.scopes];
        rule.principal = { jwt };
        return rule;
      }),
    };
  }
  if (p.cors) {
    const c = p.cors;
    spec.cors = defined({
      allowCredentials: c.allowCredentials,
      allowHeaders: c.allowHeaders && [...c.allowHeaders],
      allowMethods: c.allowMethods && [...c.allowMethods],
      allowOrigins: c.allowOrigins && [...c.allowOrigins],
      exposeHeaders: c.exposeHeaders && [...c.exposeHeaders],
      maxAge: c.maxAge,
    });
  }
  if (p.jwt) {
    const j = p.jwt;
    spec.jwt = {
      providers: [defined({
        audiences: j.audiences && [...j.audiences],
        claimToHeaders: j.claimToHeaders?.map(h => defined({ claim: h.claim, header: h.header })),
        issuer: j.issuer,
        name: JWT_PROVIDER,
        remoteJWKS: defined({ uri: j.jwksUri }),
      })],
    };
  }
  if (p.oidc) {
    const o = p.oidc;
    spec.oidc = defined({
      clientID: o.clientId,
      clientSecret: { group: '', kind: 'Secret', name: o.secretName },
      logoutPath: o.logoutPath,
      provider: defined({ issuer: o.issuer }),
      redirectURL: o.redirectUrl,
      scopes: o.scopes && [...o.scopes],
    });
  }
  spec.targetRefs = targetRefs.map(t => ({ group: t.group, kind: t.kind, name: t.name }));
  return { apiVersion: SecurityPolicy.GVK.apiVersion, kind: SecurityPolicy.GVK.kind, metadata, spec };
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
      out.perRetry = defined({
        backOff: retry.backoffBase || retry.backoffMax
          ? defined({ baseInterval: retry.backoffBase || undefined, maxInterval: retry.backoffMax || undefined }) : undefined,
        timeout: retry.perTryTimeout || undefined,
      });
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
    spec.timeout = defined({
      http: timeout.request || timeout.idle
        ? defined({ connectionIdleTimeout: timeout.idle || undefined, requestTimeout: timeout.request || undefined }) : undefined,
      tcp: timeout.connect ? { connectTimeout: timeout.connect } : undefined,
    });
  }
  return { apiVersion: BackendTrafficPolicy.GVK.apiVersion, kind: BackendTrafficPolicy.GVK.kind, metadata, spec };
}
