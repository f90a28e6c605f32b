import { externalSecret, SecretStoreSettings } from './external-secret';
import { enumMember } from './json';
import { routeMetadata } from './routes';
import {
  BackendTrafficPolicy, BackendTrafficPolicySpecRateLimitLocalRulesLimitUnit, BackendTrafficPolicySpecRateLimitType,
  BackendTrafficPolicySpecRetryRetryOnTriggers, SecurityPolicy, SecurityPolicySpecAuthorizationDefaultAction,
  SecurityPolicySpecAuthorizationRulesAction, SecurityPolicySpecAuthorizationRulesOperationMethods,
  SecurityPolicySpecAuthorizationRulesOperationPathType,
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
    const traffic = trafficSpec(r);
    if (traffic) out.push(BackendTrafficPolicy.manifest({ metadata, spec: { targetRefs, ...traffic } }));
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

function trafficSpec(r: PlanRoute) {
  const p = r.policy;
  if (!p.rateLimit && !p.retry && !p.timeout && !p.circuitBreaker) return undefined;
  const retry = p.retry;
  const triggers = [...(retry?.on ?? []), ...(retry?.statusCodes ? ['retriable-status-codes'] : [])];
  const http = {
    ...(p.timeout?.request ? { requestTimeout: p.timeout.request } : {}),
    ...(p.timeout?.idle ? { connectionIdleTimeout: p.timeout.idle } : {}),
  };
  return {
    ...(p.rateLimit ? {
      rateLimit: {
        type: BackendTrafficPolicySpecRateLimitType.LOCAL,
        local: {
          rules: [{
            limit: { requests: p.rateLimit.requests, unit: enumMember(BackendTrafficPolicySpecRateLimitLocalRulesLimitUnit, p.rateLimit.unit) },
          }],
        },
      },
    } : {}),
    ...(retry ? {
      retry: {
        numRetries: retry.attempts,
        ...(triggers.length > 0 || retry.statusCodes ? {
          retryOn: {
            ...(triggers.length > 0 ? { triggers: triggers.map(t => enumMember(BackendTrafficPolicySpecRetryRetryOnTriggers, t)) } : {}),
            ...(retry.statusCodes ? { httpStatusCodes: retry.statusCodes } : {}),
          },
        } : {}),
        ...(retry.perTryTimeout || retry.backoffBase || retry.backoffMax ? {
          perRetry: {
            ...(retry.perTryTimeout ? { timeout: retry.perTryTimeout } : {}),
            ...(retry.backoffBase || retry.backoffMax ? {
              backOff: {
                ...(retry.backoffBase ? { baseInterval: retry.backoffBase } : {}),
                ...(retry.backoffMax ? { maxInterval: retry.backoffMax } : {}),
              },
            } : {}),
          },
        } : {}),
      },
    } : {}),
    ...(Object.keys(http).length > 0 || p.timeout?.connect ? {
      timeout: {
        ...(Object.keys(http).length > 0 ? { http } : {}),
        ...(p.timeout?.connect ? { tcp: { connectTimeout: p.timeout.connect } } : {}),
      },
    } : {}),
    ...(p.circuitBreaker ? { circuitBreaker: p.circuitBreaker } : {}),
  };
}
