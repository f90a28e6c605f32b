import { IConstruct } from 'constructs';
import { ApiAuthentication, ApiPolicy, AuthorizationRule, CorsPolicy, HeaderChanges, RateLimitUnit, RetryOn } from './api-policy';
import { checkInteger, checkNonEmpty } from './checks';
import { checkFormatDuration, DurationTarget } from './duration';
import { fail } from './errors';
import { checkHeaderName } from './gateway';
import { HttpMethod } from './network';
import { checkBoolean } from './runtime-types';
import { SecretRef } from './secrets';
import { checkNoUrlCredentials, maskUrl } from './url-checks';

// Validators of the API policy types (./api-policy): each names the construct path, the value and the fix.

const URL_PATH = /^\/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*$/;
const HTTPS_URL = /^https:\/\/[A-Za-z0-9.-]+(:[0-9]{1,5})?(\/[^\s]*)?$/;
const ORIGIN = /^(\*|[A-Za-z][A-Za-z0-9+.-]*:\/\/(\*|(\*\.)?(([\w-]+\.?)+)?[\w-]+)(:\d{1,5})?)$/;
const CLIENT_ID = /^[A-Za-z0-9._-]{1,253}$/;

/** Validates a URL path prefix (no trailing slash unless it is `/`). @internal */
export function checkPathPrefix(scope: IConstruct, what: string, value: string | undefined): void {
  if (value === undefined) return;
  if (typeof value !== 'string' || !URL_PATH.test(value) || value.length > 1024 || (value.length > 1 && value.endsWith('/')) || value.includes('//')) {
    fail(scope, `${what} '${value}' is not a URL path prefix`, "start it with '/', use URL path characters and no trailing '/' (e.g. '/payments')");
  }
}

/** Validates what an API policy can check on its own; combinations are checked at resolution. @internal */
export function checkApiPolicy(scope: IConstruct, what: string, p: ApiPolicy | undefined): void {
  if (!p) return;
  if (p.authentication !== undefined) checkAuthentication(scope, `${what}.authentication`, p.authentication);
  (p.authorization ?? []).forEach((r, i) => checkAuthorizationRule(scope, `${what}.authorization[${i}]`, r));
  if (p.authorization !== undefined && p.authorization.length === 0) {
    fail(scope, `${what}.authorization is an empty list, which would deny every request`, 'list the requests to allow, or leave authorization unset to allow every authenticated request');
  }
  if (p.cors) checkCors(scope, `${what}.cors`, p.cors);
  if (p.rateLimit) {
    const r = p.rateLimit;
    if (!Number.isInteger(r.requests) || r.requests < 1 || r.requests > 4294967295) {
      fail(scope, `${what}.rateLimit.requests ${r.requests} is invalid (a budget of zero would refuse every request)`, 'use a whole number of requests of at least 1, or remove rateLimit');
    }
    if (!Object.values(RateLimitUnit).includes(r.unit)) fail(scope, `${what}.rateLimit.unit '${r.unit}' is unknown`, 'use RateLimitUnit.SECOND, MINUTE, HOUR or DAY');
  }
  if (p.retry) {
    const r = p.retry;
    checkInteger(scope, `${what}.retry.attempts`, r.attempts ?? Number.NaN, 1, 10);
    for (const o of r.on ?? []) {
      if (!Object.values(RetryOn).includes(o)) fail(scope, `${what}.retry.on '${o}' is unknown`, `use one of ${Object.keys(RetryOn).map(k => `RetryOn.${k}`).join(', ')}`);
    }
    for (const code of r.statusCodes ?? []) checkInteger(scope, `${what}.retry.statusCodes entry`, code, 100, 599);
    checkFormatDuration(scope, `${what}.retry.perTryTimeout`, r.perTryTimeout, DurationTarget.GATEWAY, 'Duration.seconds(2)');
    checkFormatDuration(scope, `${what}.retry.backoffBase`, r.backoffBase, DurationTarget.GATEWAY, 'Duration.millis(100)');
    checkFormatDuration(scope, `${what}.retry.backoffMax`, r.backoffMax, DurationTarget.GATEWAY, 'Duration.seconds(2)');
  }
  if (p.timeout) {
    checkFormatDuration(scope, `${what}.timeout.request`, p.timeout.request, DurationTarget.GATEWAY, 'Duration.seconds(15)');
    checkFormatDuration(scope, `${what}.timeout.idle`, p.timeout.idle, DurationTarget.GATEWAY, 'Duration.minutes(5)');
    checkFormatDuration(scope, `${what}.timeout.connect`, p.timeout.connect, DurationTarget.GATEWAY, 'Duration.seconds(2)');
  }
  if (p.circuitBreaker) {
    const c = p.circuitBreaker;
    for (const f of ['maxConnections', 'maxPendingRequests', 'maxParallelRequests', 'maxParallelRetries'] as const) {
      checkInteger(scope, `${what}.circuitBreaker.${f}`, c[f], 1, 4294967295);
    }
  }
  checkHeaderChanges(scope, `${what}.requestHeaders`, p.requestHeaders);
  checkHeaderChanges(scope, `${what}.responseHeaders`, p.responseHeaders);
}

function checkAuthentication(scope: IConstruct, what: string, a: ApiAuthentication): void {
  if (!(a instanceof ApiAuthentication)) fail(scope, `${what} is not an ApiAuthentication`, 'use ApiAuthentication.jwt(...), oidc(...), apiKey(...) or none()');
  if (a._jwt) {
    const j = a._jwt;
    if (!j.issuer || j.issuer.trim() === '') fail(scope, `${what}: JWT authentication has no issuer`, "set issuer to the token issuer ('iss'), e.g. 'https://auth.acme.example/'");
    if (!j.jwksUri || j.jwksUri.trim() === '') fail(scope, `${what}: JWT authentication has no jwksUri`, "set jwksUri to the issuer's key set, e.g. 'https://auth.acme.example/.well-known/jwks.json'");
    checkNoUrlCredentials(scope, `${what}: jwksUri`, j.jwksUri, 'a key set is public: use its URL without user or password');
    checkNoUrlCredentials(scope, `${what}: JWT issuer`, j.issuer, "use the issuer exactly as tokens carry it in 'iss'");
    if (!HTTPS_URL.test(j.jwksUri)) fail(scope, `${what}: jwksUri '${maskUrl(j.jwksUri)}' is not an https URL`, 'fetch keys over https only, e.g. \'https://auth.acme.example/.well-known/jwks.json\'');
    for (const aud of j.audiences ?? []) checkNonEmpty(scope, `${what} audience`, aud);
    for (const c of j.claimToHeaders ?? []) {
      checkNonEmpty(scope, `${what} claimToHeaders claim`, c.claim);
      checkHeaderName(scope, `${what} claimToHeaders header`, c.header);
    }
  }
  if (a._oidc) {
    const o = a._oidc;
    checkNoUrlCredentials(scope, `${what}: OIDC issuer`, o.issuer, "keep the client secret in clientSecret: SecretRef.fromStore('<remote-key>')");
    if (!o.issuer || !HTTPS_URL.test(o.issuer)) fail(scope, `${what}: OIDC issuer '${maskUrl(o.issuer ?? '')}' is not an https URL`, "set issuer to the provider's https URL, e.g. 'https://auth.acme.example/realms/acme'");
    checkNonEmpty(scope, `${what} OIDC clientId`, o.clientId);
    if (!(o.clientSecret instanceof SecretRef)) {
      fail(scope, `${what}: OIDC clientSecret is not a SecretRef`, "keep the client secret in the secret store: clientSecret: SecretRef.fromStore('<remote-key>')");
    }
    checkNonEmpty(scope, `${what} OIDC clientSecret remote key`, o.clientSecret.key);
    checkPathPrefix(scope, `${what} OIDC redirectPath`, o.redirectPath);
    checkPathPrefix(scope, `${what} OIDC logoutPath`, o.logoutPath);
    for (const s of o.scopes ?? []) {
      if (!/^[\x21\x23-\x5B\x5D-\x7E]+$/.test(s)) fail(scope, `${what}: OIDC scope '${s}' is invalid`, "use scope tokens such as 'profile' or 'email'");
    }
  }
  if (a._apiKey) {
    const k = a._apiKey;
    const clients = Object.entries(k.clients ?? {});
    if (clients.length === 0) fail(scope, `${what}: API key authentication lists no clients`, "list each client's key: clients: { 'partner-a': SecretRef.fromStore('api-keys/partner-a') }");
    for (const [id, ref] of clients) {
      if (!CLIENT_ID.test(id)) fail(scope, `${what}: API key client ID '${id}' is invalid`, "use letters, digits, '.', '_' and '-' (it becomes a Secret key)");
      if (!(ref instanceof SecretRef)) fail(scope, `${what}: the key of API client '${id}' is not a SecretRef`, "keep keys in the secret store: SecretRef.fromStore('<remote-key>')");
    }
    if (k.header !== undefined) checkHeaderName(scope, `${what} API key header`, k.header);
    if (k.forwardClientIdHeader !== undefined) checkHeaderName(scope, `${what} forwardClientIdHeader`, k.forwardClientIdHeader);
  }
}

function checkAuthorizationRule(scope: IConstruct, what: string, r: AuthorizationRule): void {
  if ((r.scopes ?? []).length === 0 && (r.claims ?? []).length === 0) {
    fail(scope, `${what} requires neither scopes nor claims, so it would allow every authenticated request`, 'give the rule scopes or claims, or leave authorization unset');
  }
  for (const s of r.scopes ?? []) checkNonEmpty(scope, `${what} scope`, s);
  for (const c of r.claims ?? []) {
    checkNonEmpty(scope, `${what} claim name`, c.name);
    if ((c.values ?? []).length === 0) fail(scope, `${what} claim '${c.name}' lists no values`, 'list the accepted values of the claim');
  }
  for (const m of r.methods ?? []) {
    if (!Object.values(HttpMethod).includes(m)) fail(scope, `${what} method '${m}' is unknown`, `use one of ${Object.keys(HttpMethod).map(k => `HttpMethod.${k}`).join(', ')}`);
  }
  checkPathPrefix(scope, `${what}.pathPrefix`, r.pathPrefix);
}

function checkCors(scope: IConstruct, what: string, c: CorsPolicy): void {
  if ((c.allowOrigins ?? []).length === 0) fail(scope, `${what}.allowOrigins is empty`, "list the origins allowed, e.g. ['https://shop.acme.example']");
  for (const o of c.allowOrigins) {
    if (!ORIGIN.test(o)) fail(scope, `${what} origin '${o}' is invalid`, "use 'scheme://host[:port]' (a '*.' host wildcard is allowed), or '*'");
  }
  checkBoolean(scope, `${what}.allowCredentials`, c.allowCredentials);
  const anyOrigin = c.allowOrigins.find(o => o === '*' || /:\/\/\*(:\d+)?$/.test(o));
  if (c.allowCredentials && anyOrigin) {
    fail(scope, `${what} allows credentials for the wildcard origin '${anyOrigin}', which lets any site act as the signed-in user`,
      'list the exact origins allowed to send credentials, or set allowCredentials: false');
  }
  for (const m of c.allowMethods ?? []) {
    if (!Object.values(HttpMethod).includes(m)) fail(scope, `${what} method '${m}' is unknown`, `use one of ${Object.keys(HttpMethod).map(k => `HttpMethod.${k}`).join(', ')}`);
  }
  for (const h of [...(c.allowHeaders ?? []), ...(c.exposeHeaders ?? [])]) {
    if (h !== '*') checkHeaderName(scope, `${what} header`, h);
  }
  checkFormatDuration(scope, `${what}.maxAge`, c.maxAge, DurationTarget.GATEWAY, 'Duration.minutes(10)');
}

function checkHeaderChanges(scope: IConstruct, what: string, h: HeaderChanges | undefined): void {
  if (!h) return;
  const seen = new Map<string, string>();
  const names = [
    ...Object.keys(h.set ?? {}).map(n => ['set', n]),
    ...Object.keys(h.add ?? {}).map(n => ['add', n]),
    ...(h.remove ?? []).map(n => ['remove', n]),
  ];
  for (const [op, name] of names) {
    checkHeaderName(scope, `${what}.${op} header`, name);
    const key = name.toLowerCase();
    if (key === 'host' || key.startsWith(':')) fail(scope, `${what}.${op} changes the '${name}' header`, 'leave Host to the gateway; set the route\'s host name instead');
    const prev = seen.get(key);
    if (prev) fail(scope, `${what} names header '${name}' in both '${prev}' and '${op}' (header names are case-insensitive)`, 'change each header once');
    seen.set(key, op);
  }
  for (const [name, value] of [...Object.entries(h.set ?? {}), ...Object.entries(h.add ?? {})]) {
    if (typeof value !== 'string' || /[\r\n\0]/.test(value) || value.length > 4096) {
      fail(scope, `${what} value of header '${name}' is invalid`, 'use a single-line value of at most 4096 characters');
    }
  }
  for (const op of ['set', 'add', 'remove'] as const) {
    const n = op === 'remove' ? (h.remove ?? []).length : Object.keys(h[op] ?? {}).length;
    if (n > 16) fail(scope, `${what}.${op} changes ${n} headers`, 'change at most 16 headers per operation (a Gateway API limit)');
  }
}
