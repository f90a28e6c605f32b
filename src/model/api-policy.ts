import { Duration } from 'cdk8s';
import { HttpMethod } from './network';
import { SecretRef } from './secrets';

/** The period of a rate limit. */
export enum RateLimitUnit {
  SECOND = 'Second',
  MINUTE = 'Minute',
  HOUR = 'Hour',
  DAY = 'Day',
}

/**
 * A request budget for a route, enforced by each gateway proxy replica on its own (Envoy local
 * rate limiting: with 2 replicas a route accepts up to twice the budget). Excess requests get 429.
 * @see https://gateway.envoyproxy.io/docs/tasks/traffic/local-rate-limit/
 */
export interface RateLimit {
  /** Requests allowed per unit (at least 1). */
  readonly requests: number;
  /** The period. */
  readonly unit: RateLimitUnit;
}

/** Conditions under which the gateway retries a request. */
export enum RetryOn {
  /** The connection to the backend failed. */
  CONNECT_FAILURE = 'connect-failure',
  /** The backend reset the connection or did not answer. */
  RESET = 'reset',
  /** The backend answered 5xx. */
  SERVER_ERROR = '5xx',
  /** The backend answered 502, 503 or 504. */
  GATEWAY_ERROR = 'gateway-error',
  /** The backend answered 409. */
  RETRIABLE_4XX = 'retriable-4xx',
  /** The backend refused an HTTP/2 stream. */
  REFUSED_STREAM = 'refused-stream',
  /** A gRPC backend answered UNAVAILABLE. */
  UNAVAILABLE = 'unavailable',
  /** A gRPC backend answered RESOURCE_EXHAUSTED. */
  RESOURCE_EXHAUSTED = 'resource-exhausted',
  /** A gRPC backend answered CANCELLED. */
  CANCELLED = 'cancelled',
  /** A gRPC backend answered DEADLINE_EXCEEDED. */
  DEADLINE_EXCEEDED = 'deadline-exceeded',
}

/**
 * Retries of failed requests. Retry only idempotent APIs, or ones that tolerate repeats.
 * @see https://gateway.envoyproxy.io/docs/tasks/traffic/retry/
 */
export interface RetryPolicy {
  /** Retries after the first attempt (1 to 10). */
  readonly attempts: number;
  /**
   * When to retry.
   * @default - Envoy Gateway's default: connection failures, refused streams and 503
   */
  readonly on?: RetryOn[];
  /**
   * Also retry on these HTTP status codes.
   * @default - none beyond `on`
   */
  readonly statusCodes?: number[];
  /**
   * Time allowed for each attempt, e.g. `Duration.seconds(2)`.
   * @default - the route's request timeout
   */
  readonly perTryTimeout?: Duration;
  /**
   * First back-off interval between attempts, e.g. `Duration.millis(100)`.
   * @default - 25ms (Envoy's default)
   */
  readonly backoffBase?: Duration;
  /**
   * Longest back-off interval, e.g. `Duration.seconds(2)`.
   * @default - ten times backoffBase
   */
  readonly backoffMax?: Duration;
}

/**
 * Timeouts between the gateway and the backend.
 * @see https://gateway.envoyproxy.io/docs/api/extension_types/#timeout
 */
export interface TimeoutPolicy {
  /**
   * Time for the whole request, from the gateway to the backend and back, e.g. `Duration.seconds(15)`.
   * @default - 15s (Envoy's default)
   */
  readonly request?: Duration;
  /**
   * Idle time after which an upstream connection is closed, e.g. `Duration.minutes(5)`.
   * @default - 1h (Envoy's default)
   */
  readonly idle?: Duration;
  /**
   * Time to establish a connection to the backend, e.g. `Duration.seconds(2)`.
   * @default - 10s (Envoy Gateway's default)
   */
  readonly connect?: Duration;
}

/**
 * Limits that stop a struggling backend from being flooded (Envoy circuit breakers: requests over
 * a limit fail fast with 503).
 * @see https://gateway.envoyproxy.io/docs/tasks/traffic/circuit-breaker/
 */
export interface CircuitBreakerPolicy {
  /**
   * Connections to the backend.
   * @default 1024
   */
  readonly maxConnections?: number;
  /**
   * Requests waiting for a connection.
   * @default 1024
   */
  readonly maxPendingRequests?: number;
  /**
   * Requests in flight.
   * @default 1024
   */
  readonly maxParallelRequests?: number;
  /**
   * Retries in flight.
   * @default 1024
   */
  readonly maxParallelRetries?: number;
}

/**
 * Changes to request or response headers, applied by the gateway (Gateway API header modifier
 * filters).
 * @see https://gateway-api.sigs.k8s.io/guides/http-header-modifier/
 */
export interface HeaderChanges {
  /**
   * Headers set to a value, replacing any existing value.
   * @default - none
   */
  readonly set?: { [name: string]: string };
  /**
   * Headers added, keeping existing values.
   * @default - none
   */
  readonly add?: { [name: string]: string };
  /**
   * Headers removed.
   * @default - none
   */
  readonly remove?: string[];
}

/**
 * Cross-origin resource sharing for browser clients.
 * @see https://gateway.envoyproxy.io/docs/tasks/security/cors/
 */
export interface CorsPolicy {
  /** Origins allowed, e.g. `https://shop.acme.example`, `https://*.acme.example`, or `*`. */
  readonly allowOrigins: string[];
  /**
   * Methods allowed.
   * @default [HttpMethod.GET, HttpMethod.HEAD, HttpMethod.POST]
   */
  readonly allowMethods?: HttpMethod[];
  /**
   * Request headers allowed.
   * @default - the CORS-safelisted headers only
   */
  readonly allowHeaders?: string[];
  /**
   * Response headers exposed to the browser.
   * @default - the CORS-safelisted headers only
   */
  readonly exposeHeaders?: string[];
  /**
   * Whether credentials (cookies, authorization headers) may be sent. Not allowed with a wildcard origin.
   * @default false
   */
  readonly allowCredentials?: boolean;
  /**
   * How long browsers may cache a preflight answer, e.g. `Duration.minutes(10)`.
   * @default - the browser's default
   */
  readonly maxAge?: Duration;
}

/** A JWT claim copied into a request header for the backend. */
export interface ClaimToHeader {
  /** The claim, e.g. `sub`. */
  readonly claim: string;
  /** The header, e.g. `X-User-Id`. */
  readonly header: string;
}

/**
 * Validation of bearer JSON Web Tokens.
 * @see https://gateway.envoyproxy.io/docs/tasks/security/jwt-authentication/
 */
export interface JwtOptions {
  /** The token issuer (`iss`), e.g. `https://auth.acme.example/`. */
  readonly issuer: string;
  /** HTTPS URL of the issuer's JSON Web Key Set. */
  readonly jwksUri: string;
  /**
   * Audiences (`aud`) of which a token must name one.
   * @default - any audience
   */
  readonly audiences?: string[];
  /**
   * Claims passed to the backend as headers.
   * @default - none
   */
  readonly claimToHeaders?: ClaimToHeader[];
}

/**
 * Browser sign-in with OpenID Connect (authorization code flow at the gateway). Needs an HTTPS
 * gateway.
 * @see https://gateway.envoyproxy.io/docs/tasks/security/oidc/
 */
export interface OidcOptions {
  /** The provider's issuer URL (its discovery document lives below it). */
  readonly issuer: string;
  /** The client ID registered with the provider. */
  readonly clientId: string;
  /** The client secret, kept in the secret store. */
  readonly clientSecret: SecretRef;
  /**
   * Scopes requested (`openid` is always requested).
   * @default - openid only
   */
  readonly scopes?: string[];
  /**
   * Path of the redirect (callback) URL, below the route's path prefix.
   * @default '/oauth2/callback'
   */
  readonly redirectPath?: string;
  /**
   * Path that signs the user out, below the route's path prefix.
   * @default '/logout'
   */
  readonly logoutPath?: string;
}

/**
 * API keys sent by clients in a header. Each key is kept in the secret store; the gateway learns
 * them through an ExternalSecret (never in the output).
 * @see https://gateway.envoyproxy.io/docs/tasks/security/apikey-auth/
 */
export interface ApiKeyOptions {
  /** Client ID → its key in the secret store. */
  readonly clients: { [clientId: string]: SecretRef };
  /**
   * The header clients send the key in.
   * @default 'x-api-key'
   */
  readonly header?: string;
  /**
   * A header the gateway sets to the authenticated client ID for the backend.
   * @default - not forwarded
   */
  readonly forwardClientIdHeader?: string;
}

/** The kind of authentication. @internal */
export enum AuthenticationKind {
  NONE = 'none',
  JWT = 'jwt',
  OIDC = 'oidc',
  API_KEY = 'api-key',
}

/**
 * How clients authenticate at the gateway (rendered into an Envoy Gateway SecurityPolicy).
 * @see https://gateway.envoyproxy.io/docs/api/extension_types/#securitypolicy
 */
export class ApiAuthentication {
  /** Bearer JSON Web Tokens validated against the issuer's key set. */
  public static jwt(options: JwtOptions): ApiAuthentication {
    return new ApiAuthentication(AuthenticationKind.JWT, options, undefined, undefined);
  }
  /** Browser sign-in with OpenID Connect. */
  public static oidc(options: OidcOptions): ApiAuthentication {
    return new ApiAuthentication(AuthenticationKind.OIDC, undefined, options, undefined);
  }
  /** API keys in a request header. */
  public static apiKey(options: ApiKeyOptions): ApiAuthentication {
    return new ApiAuthentication(AuthenticationKind.API_KEY, undefined, undefined, options);
  }
  /**
   * No authentication: lifts authentication set at a wider scope (e.g. in a development
   * environment), together with the authorization rules that depend on it.
   */
  public static none(): ApiAuthentication {
    return new ApiAuthentication(AuthenticationKind.NONE, undefined, undefined, undefined);
  }
  private constructor(
    /** @internal */ public readonly _kind: AuthenticationKind,
    /** @internal */ public readonly _jwt?: JwtOptions,
    /** @internal */ public readonly _oidc?: OidcOptions,
    /** @internal */ public readonly _apiKey?: ApiKeyOptions,
  ) {}
}

/** A JWT claim and the values of which it must have one. */
export interface JwtClaim {
  /** The claim, e.g. `groups` (nested claims with dots: `realm_access.roles`). */
  readonly name: string;
  /** Accepted values. */
  readonly values: string[];
}

/**
 * One allowed kind of request: a token with these scopes and claims may send these requests.
 * Requests that no rule allows are denied (403).
 * @see https://gateway.envoyproxy.io/docs/tasks/security/jwt-claim-authorization/
 */
export interface AuthorizationRule {
  /**
   * Scopes the token must all have (the `scope` claim).
   * @default - none required (then `claims` must be set)
   */
  readonly scopes?: string[];
  /**
   * Claims the token must have.
   * @default - none required (then `scopes` must be set)
   */
  readonly claims?: JwtClaim[];
  /**
   * Methods the rule allows.
   * @default - every method
   */
  readonly methods?: HttpMethod[];
  /**
   * Path prefix the rule allows, below the route's path prefix (e.g. `/admin`).
   * @default - every path
   */
  readonly pathPrefix?: string;
}

/**
 * The API policy of an exposed endpoint's gateway route: who may call it, and how the gateway
 * protects the backend. Fields set at a narrower scope (a visibility, an environment) replace the
 * same fields set at a wider one.
 */
export interface ApiPolicy {
  /**
   * How clients authenticate.
   * @default - no authentication
   */
  readonly authentication?: ApiAuthentication;
  /**
   * Which authenticated requests are allowed (needs JWT authentication); others are denied.
   * @default - every authenticated request
   */
  readonly authorization?: AuthorizationRule[];
  /**
   * Cross-origin resource sharing (HTTP, GraphQL and Websocket endpoints).
   * @default - no CORS headers: browsers block cross-origin calls
   */
  readonly cors?: CorsPolicy;
  /**
   * A request budget.
   * @default - no rate limit
   */
  readonly rateLimit?: RateLimit;
  /**
   * Retries of failed requests.
   * @default - Envoy Gateway's default (no retries)
   */
  readonly retry?: RetryPolicy;
  /**
   * Timeouts towards the backend.
   * @default - Envoy's defaults
   */
  readonly timeout?: TimeoutPolicy;
  /**
   * Circuit breaking towards the backend.
   * @default - Envoy's defaults (1024 of each)
   */
  readonly circuitBreaker?: CircuitBreakerPolicy;
  /**
   * Changes to request headers before they reach the backend.
   * @default - none
   */
  readonly requestHeaders?: HeaderChanges;
  /**
   * Changes to response headers before they reach the client.
   * @default - none
   */
  readonly responseHeaders?: HeaderChanges;
}

/**
 * How an exposed endpoint is routed on a gateway, and its API policy.
 */
export interface RouteOptions {
  /**
   * The host name's first label: the route serves `<hostLabel>.<gateway domain>`.
   * @default - Services share `<environment>-<organization>`; web applications and gRPC endpoints get a label of their own, generated from endpoint, component, project, environment and organization
   */
  readonly hostLabel?: string;
  /**
   * The path prefix the route matches; it is rewritten to the endpoint's base path. Not for gRPC.
   * @default - `/<project>/<component>-<endpoint>` for Services, `/` for web applications
   */
  readonly pathPrefix?: string;
  /**
   * The API policy.
   * @default - none
   */
  readonly policy?: ApiPolicy;
}
