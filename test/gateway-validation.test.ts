import { Duration } from 'cdk8s';
import {
  ApiAuthentication, ApiPolicy, ClientIpDetection, ClientTrafficOptions, DataPlane, DataPlaneProps, DeploymentPipeline, EndpointType, Environment,
  GatewayCertificate, GatewayServiceType, HttpMethod, Organization, PlatformApp, Project, RateLimitUnit, RetryOn, SecretRef, Service,
  TlsVersion, Visibility,
} from '../src';
import { IMAGE } from './support/fixtures';
import { expectProblem } from './support/problems';

/** acme / eu (both gateways unless replaced) / development → production / shop. */
function platform(app: PlatformApp, dataPlane: DataPlaneProps = { externalGateway: { domain: 'apps.acme.example' }, internalGateway: { domain: 'internal.acme.example' } }) {
  const org = new Organization(app, 'acme');
  const eu = new DataPlane(org, 'eu', dataPlane);
  const dev = new Environment(org, 'development', { dataPlane: eu });
  const prod = new Environment(org, 'production', { dataPlane: eu, isProduction: true });
  const pipeline = new DeploymentPipeline(org, 'standard', { promotionPaths: [{ source: dev, targets: [prod] }] });
  const shop = new Project(org, 'shop', { pipeline });
  const api = new Service(shop, 'api', { image: IMAGE });
  return { org, eu, dev, prod, pipeline, shop, api };
}

/** An endpoint exposed on both gateways with `policy`. */
const withPolicy = (policy: ApiPolicy, type = EndpointType.HTTP) => (app: PlatformApp) =>
  platform(app).api.addEndpoint('http', { port: 8080, type, visibility: [Visibility.INTERNAL, Visibility.PUBLIC], route: { policy } });

const jwt = { issuer: 'https://auth.acme.example/', jwksUri: 'https://auth.acme.example/jwks.json' };
const EP = 'acme/shop/api/http';

describe('exposing endpoints', () => {
  test.each([EndpointType.TCP, EndpointType.UDP])('a %s endpoint cannot be exposed through the HTTP gateways', type => {
    expectProblem(app => platform(app).api.addEndpoint('db', { port: 5432, type, visibility: [Visibility.PUBLIC] }),
      { path: 'acme/shop/api/db', value: `${type} endpoint 'db' is Visibility.PUBLIC`, fix: /PROJECT or ORGANIZATION visibility/, at: 'construction' });
  });

  test('an exposed endpoint on a data plane without that gateway (once, naming the environments)', () => {
    expectProblem(app => platform(app, { externalGateway: { domain: 'apps.acme.example' } }).api.addEndpoint('http', { port: 8080, visibility: [Visibility.INTERNAL] }),
      { path: EP, value: "data plane 'eu' has no internal gateway for 'development', 'production'", fix: /declare internalGateway: \{ domain/, at: 'synth' });
  });

  test('an environment changes a gateway the data plane lacks, without a domain', () => {
    expectProblem(app => {
      const org = new Organization(app, 'acme');
      const eu = new DataPlane(org, 'eu');
      new Environment(org, 'development', { dataPlane: eu, externalGateway: { replicas: 3 } });
    }, { path: 'acme/development', value: "changes the external gateway, but data plane 'eu' declares no external gateway", fix: /set externalGateway\.domain/, at: 'synth' });
  });

  test('two Services of two projects claim the same host and path: both are named', () => {
    expectProblem(app => {
      const { org, pipeline, api } = platform(app);
      api.addEndpoint('http', { port: 8080, visibility: [Visibility.PUBLIC], route: { pathPrefix: '/api' } });
      new Service(new Project(org, 'blog', { pipeline }), 'api', { image: IMAGE }).addEndpoint('http', { port: 8080, visibility: [Visibility.PUBLIC], route: { pathPrefix: '/api' } });
    }, {
      path: 'acme/shop/api',
      value: "claims development-acme.apps.acme.example/api on gateway openchoreo-data-plane/gateway-external, which route 'api-http-697b47a5' of acme/blog/api",
      fix: /another pathPrefix or hostLabel/,
      at: 'synth',
    });
  });

  test('a host label reused by two web routes in two environments of one gateway', () => {
    expectProblem(app => {
      const { api } = platform(app);
      api.addEndpoint('http', { port: 8080, visibility: [Visibility.PUBLIC], route: { hostLabel: 'shop', pathPrefix: '/' } });
    }, { path: 'acme/shop/api', value: 'claims shop.apps.acme.example/ on gateway', fix: /configureRoute/, at: 'synth' });
  });

  test('a gRPC route must have its host name to itself', () => {
    expectProblem(app => {
      const { api, shop } = platform(app);
      api.addEndpoint('rpc', { port: 9090, type: EndpointType.GRPC, visibility: [Visibility.INTERNAL], route: { hostLabel: 'development-acme' } });
      new Service(shop, 'web', { image: IMAGE }).addEndpoint('http', { port: 8080, visibility: [Visibility.INTERNAL] });
    }, { path: 'acme/shop/api', value: 'needs host development-acme.internal.acme.example to itself', fix: /another hostLabel/, at: 'synth' });
  });
});

describe('gateway settings', () => {
  const gw = (settings: object) => (app: PlatformApp) => platform(app, { externalGateway: { domain: 'apps.acme.example', ...settings } });
  const cases: Array<[string, (app: PlatformApp) => unknown, string, RegExp]> = [
    ['a domain with one label', app => platform(app, { externalGateway: { domain: 'localhost' } }), "externalGateway.domain 'localhost' is not a DNS domain", /at least two labels/],
    ['a wildcard domain', app => platform(app, { internalGateway: { domain: '*.apps.acme.example' } }), "internalGateway.domain '*.apps.acme.example'", /no scheme, port or wildcard/],
    ['a gateway without a domain', app => platform(app, { externalGateway: {} as any }), 'externalGateway has no domain', /set the domain/],
    ['both gateways on one domain', app => platform(app, { externalGateway: { domain: 'acme.example' }, internalGateway: { domain: 'acme.example' } }),
      "both serve domain 'acme.example'", /domain of its own/],
    ['an invalid certificate Secret name', gw({ certificate: GatewayCertificate.fromSecret('Wildcard_TLS') }), "certificate Secret name 'Wildcard_TLS'", /use a name such as/],
    ['an empty secret-store key', gw({ certificate: GatewayCertificate.fromSecretStore(' ') }), 'has an empty secret-store key', /give the remote key/],
    ['an invalid ClusterIssuer name', gw({ certificate: GatewayCertificate.fromCertManager('Lets Encrypt') }), "ClusterIssuer name 'Lets Encrypt'", /use a name such as/],
    ['zero proxy replicas', gw({ replicas: 0 }), 'externalGateway.replicas 0 is invalid', /between 1 and 100/],
    ['an unknown service type', gw({ serviceType: 'Ingress' as GatewayServiceType }), "serviceType 'Ingress' is unknown", /GatewayServiceType\.LOAD_BALANCER/],
    ['an invalid service annotation key', gw({ serviceAnnotations: { 'bad key': 'x' } }), "key 'bad key' is not a valid label key", /DNS prefix/],
  ];
  test.each(cases)('%s', (_, build, value, fix) => {
    expectProblem(build, { path: 'acme/eu', value, fix, at: 'construction' });
  });

  const traffic = (t: ClientTrafficOptions) => gw({ clientTraffic: t });
  const trafficCases: Array<[string, ClientTrafficOptions, string, RegExp]> = [
    ['TLS 1.1', { minTlsVersion: '1.1' as TlsVersion }, "minTlsVersion '1.1' is not supported", /TLS_1_2 or TlsVersion\.TLS_1_3/],
    ['a fractional timeout', { requestTimeout: Duration.millis(1.5) }, 'requestTimeout 1.5 millis is not a positive whole number of milliseconds', /positive duration, e\.g\. Duration\.seconds\(30\)/],
    ['a timeout in the old string form', { requestTimeout: '1.5s' as unknown as Duration }, 'requestTimeout "1.5s" is not a Duration', /requestTimeout: Duration\.seconds\(30\)/],
    ['a zero timeout', { idleTimeout: Duration.seconds(0) }, 'idleTimeout 0 seconds is not a positive whole number of milliseconds', /positive duration/],
    ['zero HTTP/2 streams', { http2MaxConcurrentStreams: 0 }, 'http2MaxConcurrentStreams 0 is invalid', /an integer between 1/],
    ['zero trusted hops', { clientIpDetection: ClientIpDetection.xForwardedFor(0) }, 'trusted hops 0 is invalid', /between 1 and 10/],
    ['a bad client address header', { clientIpDetection: ClientIpDetection.customHeader('X Real IP') }, "header 'X Real IP' is not a header name", /CF-Connecting-IP/],
  ];
  test.each(trafficCases)('client traffic: %s', (_, t, value, fix) => {
    expectProblem(traffic(t), { path: 'acme/eu', value, fix, at: 'construction' });
  });

  test('an environment override is checked like a data plane gateway', () => {
    expectProblem(app => {
      const { org, eu } = platform(app);
      new Environment(org, 'qa', { dataPlane: eu, externalGateway: { domain: 'QA.acme.example' } });
    }, { path: 'acme/qa', value: "externalGateway.domain 'QA.acme.example' is not a DNS domain", fix: /lowercase domain/, at: 'construction' });
  });
});

describe('route options', () => {
  test('on an endpoint without a gateway visibility', () => {
    expectProblem(app => platform(app).api.addEndpoint('http', { port: 8080, route: { pathPrefix: '/x' } }),
      { path: EP, value: "endpoint 'http', which has no gateway route", fix: /add Visibility\.INTERNAL or Visibility\.PUBLIC/, at: 'construction' });
  });

  test('for a visibility the endpoint does not have', () => {
    expectProblem(app => platform(app).api.addEndpoint('http', { port: 8080, visibility: [Visibility.INTERNAL] })
      .configureRoute({ pathPrefix: '/x' }, { visibility: Visibility.PUBLIC }),
    { path: EP, value: "target visibility 'external', which is not a gateway visibility", fix: /Visibility\.INTERNAL/, at: 'construction' });
  });

  test('for an environment of another organization', () => {
    expectProblem(app => {
      const { api } = platform(app);
      const other = new Organization(app, 'globex');
      const staging = new Environment(other, 'staging', { dataPlane: new DataPlane(other, 'us') });
      api.addEndpoint('http', { port: 8080, visibility: [Visibility.PUBLIC] }).configureRoute({ pathPrefix: '/x' }, { environment: staging });
    }, { path: EP, value: "target environment 'globex/staging', which is not an environment of organization 'acme'", fix: /same organization/, at: 'construction' });
  });

  const routeCases: Array<[string, object, string, RegExp]> = [
    ['an invalid host label', { hostLabel: 'Shop' }, "hostLabel 'Shop' is not a valid DNS-1123 label", /use a name such as 'shop'/],
    ['a relative path prefix', { pathPrefix: 'orders' }, "pathPrefix 'orders' is not a URL path prefix", /start it with '\/'/],
    ['a path prefix with a trailing slash', { pathPrefix: '/orders/' }, "pathPrefix '/orders/' is not a URL path prefix", /no trailing '\/'/],
  ];
  test.each(routeCases)('%s', (_, route, value, fix) => {
    expectProblem(app => platform(app).api.addEndpoint('http', { port: 8080, visibility: [Visibility.PUBLIC], route }), { path: EP, value, fix, at: 'construction' });
  });

  test('a path prefix on a gRPC endpoint', () => {
    expectProblem(app => platform(app).api.addEndpoint('rpc', { port: 9090, type: EndpointType.GRPC, visibility: [Visibility.INTERNAL], route: { pathPrefix: '/rpc' } }),
      { path: 'acme/shop/api/rpc', value: "pathPrefix '/rpc' is set on gRPC endpoint 'rpc'", fix: /set hostLabel instead/, at: 'construction' });
  });
});

describe('API policies', () => {
  const literal = 'not-a-ref' as unknown as SecretRef;
  const cases: Array<[string, ApiPolicy, string, RegExp]> = [
    ['JWT without an issuer', { authentication: ApiAuthentication.jwt({ ...jwt, issuer: '' }) }, 'JWT authentication has no issuer', /set issuer/],
    ['JWT without a key set', { authentication: ApiAuthentication.jwt({ ...jwt, jwksUri: '' }) }, 'JWT authentication has no jwksUri', /set jwksUri/],
    ['JWT keys over plain HTTP', { authentication: ApiAuthentication.jwt({ ...jwt, jwksUri: 'http://auth.acme.example/jwks' }) }, "jwksUri 'http://auth.acme.example/jwks' is not an https URL", /over https only/],
    ['a claim copied into an invalid header', { authentication: ApiAuthentication.jwt({ ...jwt, claimToHeaders: [{ claim: 'sub', header: 'X User' }] }) },
      "claimToHeaders header 'X User' is not a valid HTTP header name", /letters, digits and '-'/],
    ['OIDC with a literal client secret', { authentication: ApiAuthentication.oidc({ issuer: 'https://login.acme.example', clientId: 'shop', clientSecret: literal }) },
      'OIDC clientSecret is not a SecretRef', /SecretRef\.fromStore/],
    ['OIDC with an http issuer', { authentication: ApiAuthentication.oidc({ issuer: 'http://login.acme.example', clientId: 'shop', clientSecret: SecretRef.fromStore('k') }) },
      "OIDC issuer 'http://login.acme.example' is not an https URL", /https URL/],
    ['OIDC without a client ID', { authentication: ApiAuthentication.oidc({ issuer: 'https://login.acme.example', clientId: ' ', clientSecret: SecretRef.fromStore('k') }) },
      'OIDC clientId is empty', /non-empty value/],
    ['API keys for no client', { authentication: ApiAuthentication.apiKey({ clients: {} }) }, 'API key authentication lists no clients', /list each client's key/],
    ['an API client ID with a slash', { authentication: ApiAuthentication.apiKey({ clients: { 'team/a': SecretRef.fromStore('k') } }) }, "API key client ID 'team/a' is invalid", /becomes a Secret key/],
    ['a literal API key', { authentication: ApiAuthentication.apiKey({ clients: { a: literal } }) }, "the key of API client 'a' is not a SecretRef", /keep keys in the secret store/],
    ['an authentication that is no ApiAuthentication', { authentication: { _kind: 'jwt' } as unknown as ApiAuthentication }, 'authentication is not an ApiAuthentication', /ApiAuthentication\.jwt/],
    ['an empty authorization list', { authentication: ApiAuthentication.jwt(jwt), authorization: [] }, 'authorization is an empty list, which would deny every request', /leave authorization unset/],
    ['an authorization rule without scopes or claims', { authentication: ApiAuthentication.jwt(jwt), authorization: [{ methods: [HttpMethod.GET] }] },
      'authorization[0] requires neither scopes nor claims', /give the rule scopes or claims/],
    ['a claim without values', { authentication: ApiAuthentication.jwt(jwt), authorization: [{ claims: [{ name: 'groups', values: [] }] }] }, "claim 'groups' lists no values", /accepted values/],
    ['a rate limit of zero', { rateLimit: { requests: 0, unit: RateLimitUnit.SECOND } }, 'rateLimit.requests 0 is invalid (a budget of zero would refuse every request)', /at least 1/],
    ['a fractional rate limit', { rateLimit: { requests: 1.5, unit: RateLimitUnit.SECOND } }, 'rateLimit.requests 1.5 is invalid', /whole number/],
    ['an unknown rate limit unit', { rateLimit: { requests: 5, unit: 'Week' as RateLimitUnit } }, "rateLimit.unit 'Week' is unknown", /RateLimitUnit\.SECOND/],
    ['CORS credentials for any origin', { cors: { allowOrigins: ['*'], allowCredentials: true } }, "allows credentials for the wildcard origin '*'", /list the exact origins/],
    ['CORS credentials for any host', { cors: { allowOrigins: ['https://*'], allowCredentials: true } }, "the wildcard origin 'https://*'", /allowCredentials: false/],
    ['a CORS origin without a scheme', { cors: { allowOrigins: ['shop.acme.example'] } }, "origin 'shop.acme.example' is invalid", /scheme:\/\/host/],
    ['CORS without origins', { cors: { allowOrigins: [] } }, 'cors.allowOrigins is empty', /list the origins allowed/],
    ['a fractional CORS max age', { cors: { allowOrigins: ['*'], maxAge: Duration.millis(0.5) } }, 'maxAge 0.5 millis is not a positive whole number of milliseconds', /Duration\.minutes\(10\)/],
    ['a CORS max age in the old string form', { cors: { allowOrigins: ['*'], maxAge: '1.5h' as unknown as Duration } }, 'cors.maxAge "1.5h" is not a Duration', /maxAge: Duration\.minutes\(10\)/],
    ['no retry attempts', { retry: { attempts: 0 } }, 'retry.attempts 0 is invalid', /between 1 and 10/],
    ['eleven retries', { retry: { attempts: 11 } }, 'retry.attempts 11 is invalid', /between 1 and 10/],
    ['an unknown retry condition', { retry: { attempts: 1, on: ['timeout' as RetryOn] } }, "retry.on 'timeout' is unknown", /RetryOn\.CONNECT_FAILURE/],
    ['a retry on status 600', { retry: { attempts: 1, statusCodes: [600] } }, 'retry.statusCodes entry 600 is invalid', /between 100 and 599/],
    ['an invalid per-try timeout', { retry: { attempts: 1, perTryTimeout: '2 seconds' as unknown as Duration } }, 'retry.perTryTimeout "2 seconds" is not a Duration', /perTryTimeout: Duration\.seconds\(2\)/],
    ['a back-off in the old string form', { retry: { attempts: 1, backoffBase: '100ms' as unknown as Duration } }, 'retry.backoffBase "100ms" is not a Duration', /Duration\.millis\(100\)/],
    ['a zero back-off maximum', { retry: { attempts: 1, backoffMax: Duration.millis(0) } }, 'retry.backoffMax 0 millis is not a positive whole number of milliseconds', /positive duration/],
    ['an invalid request timeout', { timeout: { request: '-1s' as unknown as Duration } }, 'timeout.request "-1s" is not a Duration', /request: Duration\.seconds\(15\)/],
    ['an idle timeout as a number', { timeout: { idle: 300 as unknown as Duration } }, 'timeout.idle 300 is not a Duration', /Duration\.minutes\(5\)/],
    ['a sub-millisecond connect timeout', { timeout: { connect: Duration.seconds(1.0005) } }, 'timeout.connect', /positive duration/],
    ['a circuit breaker of zero', { circuitBreaker: { maxConnections: 0 } }, 'circuitBreaker.maxConnections 0 is invalid', /an integer between 1/],
    ['an invalid header name', { requestHeaders: { set: { 'X Bad': 'v' } } }, "requestHeaders.set header 'X Bad' is not a valid HTTP header name", /letters, digits/],
    ['a header set and removed', { responseHeaders: { set: { 'X-A': '1' }, remove: ['x-a'] } }, "names header 'x-a' in both 'set' and 'remove'", /change each header once/],
    ['a Host header change', { requestHeaders: { set: { Host: 'x' } } }, "changes the 'Host' header", /host name instead/],
    ['a header value with a line break', { requestHeaders: { add: { 'X-A': 'a\r\nX-B: b' } } }, "value of header 'X-A' is invalid", /single-line value/],
    ['seventeen headers removed', { responseHeaders: { remove: Array.from({ length: 17 }, (_, i) => `X-H${i}`) } }, 'responseHeaders.remove changes 17 headers', /at most 16/],
  ];
  test.each(cases)('%s', (_, policy, value, fix) => {
    expectProblem(withPolicy(policy), { path: EP, value, fix, at: 'construction' });
  });

  test('authorization without JWT authentication (checked on the merged policy)', () => {
    expectProblem(withPolicy({ authentication: ApiAuthentication.apiKey({ clients: { a: SecretRef.fromStore('k') } }), authorization: [{ scopes: ['x'] }] }), {
      path: EP, value: 'authorization rules need JWT authentication, but the route\'s authentication is api-key', fix: /ApiAuthentication\.jwt/, at: 'synth',
    });
  });

  test('authorization in one scope, no authentication anywhere', () => {
    expectProblem(app => platform(app).api.addEndpoint('http', { port: 8080, visibility: [Visibility.PUBLIC] })
      .configureRoute({ policy: { authorization: [{ scopes: ['x'] }] } }, { visibility: Visibility.PUBLIC }),
    { path: EP, value: "route of endpoint 'http' on the external gateway in 'development': authorization rules need JWT authentication", fix: /remove authorization/, at: 'synth' });
  });

  test('OIDC on a gateway without a certificate', () => {
    expectProblem(withPolicy({ authentication: ApiAuthentication.oidc({ issuer: 'https://login.acme.example', clientId: 'shop', clientSecret: SecretRef.fromStore('k') }) }),
      { path: EP, value: 'OIDC sign-in needs HTTPS, but the gateway has no certificate', fix: /give the gateway a certificate/, at: 'synth' });
  });

  test('CORS on a gRPC endpoint', () => {
    expectProblem(withPolicy({ cors: { allowOrigins: ['https://shop.acme.example'] } }, EndpointType.GRPC),
      { path: EP, value: 'CORS is set on a gRPC endpoint', fix: /HTTP, GraphQL and Websocket endpoints/, at: 'synth' });
  });
});
