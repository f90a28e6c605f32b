import { Duration } from 'cdk8s';
import { buildPlatform } from '../examples/platform/main';
import {
  ApiAuthentication, ClientIpDetection, DataPlane, DataPlaneProps, DeploymentPipeline, EndpointType, Environment, EnvironmentGatewayOptions,
  GatewayCertificate, GatewayServiceType, HttpMethod, Organization, Project, RateLimitUnit, RetryOn, SecretRef, Service, TlsVersion,
  Visibility, WebApplication,
} from '../src';
import { assertReferencesResolve, referenceProblems } from './support/references';
import { validateManifest } from './support/schema-validator';
import { one, synth, testApp } from './support/synth';
import { generateName } from '../src/resolve/naming';

const ns = (project: string, env: string) => generateName(63, 'dp', 'acme', project, env);
const GW_NS = 'openchoreo-data-plane';

interface Options {
  readonly dataPlane?: DataPlaneProps;
  readonly prodGateway?: EnvironmentGatewayOptions;
}

/** acme / dp with both gateways / dev → prod / projects shop and billing. */
function platform(o: Options = {}) {
  const org = new Organization(testApp(), 'acme');
  const dataPlane = new DataPlane(org, 'dp', o.dataPlane ?? {
    externalGateway: { domain: 'apps.acme.example', certificate: GatewayCertificate.fromSecret('wildcard-apps') },
    internalGateway: { domain: 'internal.acme.example' },
  });
  const dev = new Environment(org, 'dev', { dataPlane });
  const prod = new Environment(org, 'prod', { dataPlane, isProduction: true, externalGateway: o.prodGateway });
  const pipeline = new DeploymentPipeline(org, 'p', { promotionPaths: [{ source: dev, targets: [prod] }] });
  const shop = new Project(org, 'shop', { pipeline });
  const billing = new Project(org, 'billing', { pipeline });
  return { org, dataPlane, dev, prod, shop, billing };
}

const api = (project: Project, id = 'api') => new Service(project, id, { image: 'r.example/api:1.0.0' });
const ofKind = (objects: any[], kind: string) => objects.filter(o => o.kind === kind);
const route = (objects: any[], kind: string, env: string, name: string) =>
  one(objects, kind, o => o.metadata.namespace?.includes(`-${env}-`) && o.metadata.name === name);

describe('gateways of a data plane', () => {
  test('a GatewayClass for Envoy Gateway, and per gateway an EnvoyProxy, a Gateway and a ClientTrafficPolicy', () => {
    const { org } = platform();
    const objects = synth(org);
    expect(one(objects, 'GatewayClass').spec.controllerName).toBe('gateway.envoyproxy.io/gatewayclass-controller');
    expect(ofKind(objects, 'Gateway').map(g => g.metadata.name).sort()).toEqual(['gateway-external', 'gateway-internal']);
    expect(ofKind(objects, 'EnvoyProxy').map(g => g.metadata.name).sort()).toEqual(['gateway-external', 'gateway-internal']);
    expect(ofKind(objects, 'ClientTrafficPolicy').map(g => g.spec.targetRefs[0].name).sort()).toEqual(['gateway-external', 'gateway-internal']);
    expect(one(objects, 'Namespace', GW_NS).metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
  });

  test('with a certificate: HTTP only redirects, HTTPS admits the cells of its environments; without: HTTP admits them', () => {
    const { org } = platform();
    const objects = synth(org);
    const ext = one(objects, 'Gateway', 'gateway-external');
    const cells = {
      from: 'Selector',
      selector: {
        matchLabels: { 'openchoreo.dev/namespace': 'acme', 'app.kubernetes.io/managed-by': 'cdk8s-openchoreo' },
        matchExpressions: [{ key: 'openchoreo.dev/environment', operator: 'In', values: ['dev', 'prod'] }],
      },
    };
    expect(ext.spec.listeners).toEqual([
      { name: 'http', protocol: 'HTTP', port: 80, hostname: '*.apps.acme.example', allowedRoutes: { namespaces: { from: 'Same' } } },
      {
        name: 'https',
        protocol: 'HTTPS',
        port: 443,
        hostname: '*.apps.acme.example',
        tls: { mode: 'Terminate', certificateRefs: [{ group: '', kind: 'Secret', name: 'wildcard-apps' }] },
        allowedRoutes: { namespaces: cells },
      },
    ]);
    const redirect = one(objects, 'HTTPRoute', 'gateway-external-https-redirect');
    expect(redirect.spec.rules).toEqual([{ filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }] }]);
    const int = one(objects, 'Gateway', 'gateway-internal');
    expect(int.spec.listeners).toEqual([{ name: 'http', protocol: 'HTTP', port: 80, hostname: '*.internal.acme.example', allowedRoutes: { namespaces: cells } }]);
    expect(objects.filter(o => o.metadata.name === 'gateway-internal-https-redirect')).toEqual([]);
    assertReferencesResolve(objects, [`${GW_NS}/wildcard-apps`]);
  });

  test('certificates from the secret store become an ExternalSecret; from cert-manager an annotation', () => {
    const { org } = platform({
      dataPlane: {
        externalGateway: { domain: 'apps.acme.example', certificate: GatewayCertificate.fromCertManager('letsencrypt') },
        internalGateway: { domain: 'internal.acme.example', certificate: GatewayCertificate.fromSecretStore('certs/internal') },
      },
    });
    const objects = synth(org);
    expect(one(objects, 'Gateway', 'gateway-external').metadata.annotations).toEqual({ 'cert-manager.io/cluster-issuer': 'letsencrypt' });
    expect(one(objects, 'Gateway', 'gateway-external').spec.listeners[1].tls.certificateRefs[0].name).toBe('gateway-external-tls');
    const es = one(objects, 'ExternalSecret', 'gateway-internal-tls');
    expect(es.metadata.namespace).toBe(GW_NS);
    expect(es.spec.target).toEqual({ name: 'gateway-internal-tls', creationPolicy: 'Owner', template: { type: 'kubernetes.io/tls' } });
    expect(es.spec.data).toEqual([
      { secretKey: 'tls.crt', remoteRef: { key: 'certs/internal', property: 'tls.crt' } },
      { secretKey: 'tls.key', remoteRef: { key: 'certs/internal', property: 'tls.key' } },
    ]);
    assertReferencesResolve(objects);
  });

  test('proxy settings: replicas with a disruption budget, a load balancer outside, cluster-internal inside unless asked', () => {
    const { org } = platform({
      dataPlane: {
        externalGateway: { domain: 'apps.acme.example', replicas: 3 },
        internalGateway: { domain: 'internal.acme.example', replicas: 1, serviceType: GatewayServiceType.LOAD_BALANCER, serviceAnnotations: { 'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internal' } },
      },
    });
    const objects = synth(org);
    const ext = one(objects, 'EnvoyProxy', 'gateway-external').spec.provider.kubernetes;
    expect(ext.envoyDeployment.replicas).toBe(3);
    expect(ext.envoyDeployment.pod.labels).toEqual({ 'openchoreo.dev/system-component': 'gateway', 'openchoreo.dev/gateway': 'external' });
    expect(ext.envoyPDB).toEqual({ minAvailable: 1 });
    expect(ext.envoyService).toEqual({ type: 'LoadBalancer' });
    const int = one(objects, 'EnvoyProxy', 'gateway-internal').spec.provider.kubernetes;
    expect(int.envoyPDB).toBeUndefined();
    expect(int.envoyService).toEqual({ type: 'LoadBalancer', annotations: { 'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internal' } });
    const { org: plain } = platform();
    expect(one(synth(plain), 'EnvoyProxy', 'gateway-internal').spec.provider.kubernetes.envoyService).toEqual({ type: 'ClusterIP' });
  });

  test('client traffic: minimum TLS version, timeouts, HTTP/2 streams and client address detection', () => {
    const { org } = platform({
      dataPlane: {
        externalGateway: {
          domain: 'apps.acme.example',
          certificate: GatewayCertificate.fromSecret('wildcard-apps'),
          clientTraffic: {
            minTlsVersion: TlsVersion.TLS_1_3,
            requestTimeout: Duration.seconds(30),
            idleTimeout: Duration.minutes(15),
            http2MaxConcurrentStreams: 250,
            clientIpDetection: ClientIpDetection.xForwardedFor(2),
          },
        },
        internalGateway: { domain: 'internal.acme.example', clientTraffic: { clientIpDetection: ClientIpDetection.customHeader('X-Real-IP') } },
      },
    });
    const objects = synth(org);
    expect(one(objects, 'ClientTrafficPolicy', 'gateway-external').spec).toEqual({
      targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'gateway-external' }],
      tls: { minVersion: '1.3' },
      timeout: { http: { requestReceivedTimeout: '30s', idleTimeout: '15m' } },
      http2: { maxConcurrentStreams: 250 },
      clientIPDetection: { xForwardedFor: { numTrustedHops: 2 } },
    });
    // no TLS settings without an HTTPS listener
    expect(one(objects, 'ClientTrafficPolicy', 'gateway-internal').spec).toEqual({
      targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'gateway-internal' }],
      clientIPDetection: { customHeader: { name: 'X-Real-IP' } },
    });
  });

  test('an environment that changes a gateway gets a Gateway of its own; its routes and network peers follow', () => {
    const { org, shop } = platform({ prodGateway: { domain: 'acme.example', clientTraffic: { minTlsVersion: TlsVersion.TLS_1_3 } } });
    api(shop).addEndpoint('http', { port: 8080, visibility: [Visibility.PUBLIC] });
    const objects = synth(org);
    const own = one(objects, 'Gateway', 'gateway-external-prod');
    expect(own.metadata.labels['openchoreo.dev/environment']).toBe('prod');
    // the certificate is inherited from the data plane's gateway
    expect(own.spec.listeners.map((l: any) => [l.name, l.hostname, l.tls?.certificateRefs[0].name])).toEqual([
      ['http', '*.acme.example', undefined], ['https', '*.acme.example', 'wildcard-apps'],
    ]);
    expect(own.spec.listeners[1].allowedRoutes.namespaces.selector.matchExpressions[0].values).toEqual(['prod']);
    expect(one(objects, 'Gateway', 'gateway-external').spec.listeners[1].allowedRoutes.namespaces.selector.matchExpressions[0].values).toEqual(['dev']);
    expect(one(objects, 'ClientTrafficPolicy', 'gateway-external-prod').spec.tls).toEqual({ minVersion: '1.3' });
    const prodRoute = route(objects, 'HTTPRoute', 'prod', generateName(253, 'api', 'http'));
    expect(prodRoute.spec.parentRefs[0].name).toBe('gateway-external-prod');
    expect(prodRoute.spec.hostnames).toEqual(['prod-acme.acme.example']);
    expect(route(objects, 'HTTPRoute', 'dev', generateName(253, 'api', 'http')).spec.hostnames).toEqual(['dev-acme.apps.acme.example']);
    // only the production gateway's proxies reach the production pods
    const peer = (env: string) => one(objects, 'CiliumNetworkPolicy', o => o.metadata.namespace === ns('shop', env) && o.metadata.name === 'openchoreo-api')
      .spec.ingress[0].fromEndpoints[0].matchLabels['gateway.envoyproxy.io/owning-gateway-name'];
    expect(peer('prod')).toBe('gateway-external-prod');
    expect(peer('dev')).toBe('gateway-external');
    assertReferencesResolve(objects, [`${GW_NS}/wildcard-apps`]);
  });
});

describe('routes of exposed endpoints', () => {
  test('two projects with components and endpoints of the same names do not collide', () => {
    const { org, shop, billing } = platform();
    for (const p of [shop, billing]) {
      api(p).addEndpoint('http', { port: 8080, visibility: [Visibility.PUBLIC] });
      new WebApplication(p, 'web', { image: 'r.example/web:1.0.0' }).addEndpoint('http', { port: 3000, visibility: [Visibility.PUBLIC] });
    }
    const objects = synth(org);
    const dev = ofKind(objects, 'HTTPRoute').filter(r => r.metadata.namespace?.includes('-dev-'));
    const claims = dev.map(r => `${r.spec.hostnames[0]}${r.spec.rules[0].matches[0].path.value}`);
    expect(claims).toHaveLength(4);
    expect(new Set(claims).size).toBe(4);
    expect(claims).toEqual(expect.arrayContaining(['dev-acme.apps.acme.example/shop/api-http', 'dev-acme.apps.acme.example/billing/api-http']));
  });

  test('a Service: shared host per environment, path prefix /<project>/<component>-<endpoint> rewritten to the base path', () => {
    const { org, shop } = platform();
    api(shop).addEndpoint('http', { port: 8080, targetPort: 9000, basePath: '/api/v1', visibility: [Visibility.PUBLIC, Visibility.INTERNAL] });
    const objects = synth(org);
    const ext = route(objects, 'HTTPRoute', 'dev', generateName(253, 'api', 'http'));
    expect(ext.metadata.labels).toMatchObject({ 'openchoreo.dev/endpoint-name': 'http', 'openchoreo.dev/endpoint-visibility': 'external', 'openchoreo.dev/component': 'api' });
    expect(ext.metadata.annotations).toEqual({ 'openchoreo.dev/endpoint-base-path': '/api/v1' });
    expect(ext.spec).toEqual({
      parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'gateway-external', namespace: GW_NS, sectionName: 'https' }],
      hostnames: ['dev-acme.apps.acme.example'],
      rules: [{
        matches: [{ path: { type: 'PathPrefix', value: '/shop/api-http' } }],
        filters: [{ type: 'URLRewrite', urlRewrite: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/api/v1' } } }],
        backendRefs: [{ name: 'api', port: 8080 }],
      }],
    });
    const int = route(objects, 'HTTPRoute', 'dev', generateName(253, 'api', 'http', 'internal'));
    expect(int.spec.parentRefs[0]).toMatchObject({ name: 'gateway-internal', sectionName: 'http' });
    expect(int.spec.hostnames).toEqual(['dev-acme.internal.acme.example']);
    // the gateways reach the container port, nothing else
    const ingress = one(objects, 'CiliumNetworkPolicy', o => o.metadata.namespace === ns('shop', 'dev') && o.metadata.name === 'openchoreo-api').spec.ingress;
    expect(ingress.map((r: any) => [r.fromEndpoints[0].matchLabels['gateway.envoyproxy.io/owning-gateway-name'], r.toPorts[0].ports])).toEqual([
      ['gateway-external', [{ port: '9000', protocol: 'TCP' }]], ['gateway-internal', [{ port: '9000', protocol: 'TCP' }]],
    ]);
    assertReferencesResolve(objects, [`${GW_NS}/wildcard-apps`]);
  });

  test('a web application gets a host of its own at /, a gRPC endpoint a GRPCRoute on a host of its own', () => {
    const { org, shop } = platform();
    new WebApplication(shop, 'web', { image: 'r.example/web:1.0.0' }).addEndpoint('http', { port: 3000, visibility: [Visibility.PUBLIC] });
    api(shop).addEndpoint('rpc', { port: 9090, type: EndpointType.GRPC, visibility: [Visibility.INTERNAL] });
    const objects = synth(org);
    const web = route(objects, 'HTTPRoute', 'dev', generateName(253, 'web', 'http'));
    expect(web.spec.hostnames).toEqual([`${generateName(63, 'http', 'web', 'shop', 'dev', 'acme')}.apps.acme.example`]);
    expect(web.spec.rules).toEqual([{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ name: 'web', port: 3000 }] }]);
    const rpc = route(objects, 'GRPCRoute', 'dev', generateName(253, 'api', 'rpc', 'internal'));
    expect(rpc.spec).toEqual({
      parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'gateway-internal', namespace: GW_NS, sectionName: 'http' }],
      hostnames: [`${generateName(63, 'rpc', 'api', 'shop', 'dev', 'acme')}.internal.acme.example`],
      rules: [{ backendRefs: [{ name: 'api', port: 9090 }] }],
    });
    expect(ofKind(objects, 'HTTPRoute').filter(r => r.metadata.name.startsWith('api-rpc'))).toEqual([]);
  });

  test('host label and path prefix per environment; a prefix equal to the base path needs no rewrite', () => {
    const { org, shop, prod } = platform();
    const web = new WebApplication(shop, 'web', { image: 'r.example/web:1.0.0' });
    web.addEndpoint('http', { port: 3000, visibility: [Visibility.PUBLIC] }).configureRoute({ hostLabel: 'shop' }, { environment: prod });
    api(shop).addEndpoint('http', { port: 8080, basePath: '/orders', visibility: [Visibility.INTERNAL], route: { pathPrefix: '/orders' } });
    const objects = synth(org);
    expect(route(objects, 'HTTPRoute', 'prod', generateName(253, 'web', 'http')).spec.hostnames).toEqual(['shop.apps.acme.example']);
    expect(route(objects, 'HTTPRoute', 'dev', generateName(253, 'web', 'http')).spec.hostnames).not.toEqual(['shop.apps.acme.example']);
    const orders = route(objects, 'HTTPRoute', 'prod', generateName(253, 'api', 'http', 'internal'));
    expect(orders.spec.rules[0]).toEqual({ matches: [{ path: { type: 'PathPrefix', value: '/orders' } }], backendRefs: [{ name: 'api', port: 8080 }] });
  });

  test('header changes become route filters, sorted by name', () => {
    const { org, shop } = platform();
    api(shop).addEndpoint('http', {
      port: 8080,
      visibility: [Visibility.INTERNAL],
      route: { policy: { requestHeaders: { set: { 'X-Zone': 'eu', 'X-Api': 'v1' }, add: { 'X-Trace': 'on' }, remove: ['Cookie'] }, responseHeaders: { remove: ['Server'] } } },
    });
    const objects = synth(org);
    expect(route(objects, 'HTTPRoute', 'dev', generateName(253, 'api', 'http', 'internal')).spec.rules[0].filters).toEqual([
      { type: 'URLRewrite', urlRewrite: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/' } } },
      {
        type: 'RequestHeaderModifier',
        requestHeaderModifier: { set: [{ name: 'X-Api', value: 'v1' }, { name: 'X-Zone', value: 'eu' }], add: [{ name: 'X-Trace', value: 'on' }], remove: ['Cookie'] },
      },
      { type: 'ResponseHeaderModifier', responseHeaderModifier: { remove: ['Server'] } },
    ]);
    expect(ofKind(objects, 'SecurityPolicy').concat(ofKind(objects, 'BackendTrafficPolicy'))).toEqual([]);
  });
});

describe('API policies', () => {
  const jwt = ApiAuthentication.jwt({
    issuer: 'https://auth.acme.example/',
    jwksUri: 'https://auth.acme.example/jwks.json',
    audiences: ['shop'],
    claimToHeaders: [{ claim: 'sub', header: 'X-User' }],
  });

  test('JWT authentication and authorization by scopes and claims become a SecurityPolicy on exactly the route', () => {
    const { org, shop } = platform();
    api(shop).addEndpoint('http', {
      port: 8080,
      visibility: [Visibility.PUBLIC],
      route: {
        pathPrefix: '/shop',
        policy: {
          authentication: jwt,
          authorization: [
            { scopes: ['orders:read'], methods: [HttpMethod.GET] },
            { claims: [{ name: 'groups', values: ['admins'] }], pathPrefix: '/admin' },
          ],
        },
      },
    });
    const objects = synth(org);
    const name = generateName(253, 'api', 'http');
    const sp = route(objects, 'SecurityPolicy', 'dev', name);
    expect(sp.spec).toEqual({
      targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name }],
      jwt: {
        providers: [{
          name: 'jwt',
          issuer: 'https://auth.acme.example/',
          remoteJWKS: { uri: 'https://auth.acme.example/jwks.json' },
          audiences: ['shop'],
          claimToHeaders: [{ claim: 'sub', header: 'X-User' }],
        }],
      },
      authorization: {
        defaultAction: 'Deny',
        rules: [
          { name: 'allow-0', action: 'Allow', principal: { jwt: { provider: 'jwt', scopes: ['orders:read'] } }, operation: { methods: ['GET'] } },
          {
            name: 'allow-1',
            action: 'Allow',
            principal: { jwt: { provider: 'jwt', claims: [{ name: 'groups', values: ['admins'] }] } },
            operation: { path: { type: 'PathPrefix', value: '/shop/admin' } },
          },
        ],
      },
    });
    expect(ofKind(objects, 'BackendTrafficPolicy')).toEqual([]);
  });

  test('OIDC sign-in reads its client secret through an ExternalSecret; the redirect URL is under the route', () => {
    const { org, shop, dev } = platform();
    const oidc = ApiAuthentication.oidc({ issuer: 'https://login.acme.example', clientId: 'shop', clientSecret: SecretRef.fromStore('shop/oidc', { property: 'secret' }), scopes: ['email'] });
    new WebApplication(shop, 'web', { image: 'r.example/web:1.0.0' })
      .addEndpoint('http', { port: 3000, visibility: [Visibility.PUBLIC], route: { policy: { authentication: oidc } } })
      .configureRoute({ hostLabel: 'shop' }, { environment: dev });
    const objects = synth(org);
    const name = generateName(253, 'web', 'http');
    const secretName = generateName(253, name, 'oidc-client');
    expect(route(objects, 'SecurityPolicy', 'dev', name).spec.oidc).toEqual({
      provider: { issuer: 'https://login.acme.example' },
      clientID: 'shop',
      clientSecret: { group: '', kind: 'Secret', name: secretName },
      redirectURL: 'https://shop.apps.acme.example/oauth2/callback',
      logoutPath: '/logout',
      scopes: ['email'],
    });
    const es = route(objects, 'ExternalSecret', 'dev', secretName);
    expect(es.spec.data).toEqual([{ secretKey: 'client-secret', remoteRef: { key: 'shop/oidc', property: 'secret' } }]);
    expect(JSON.stringify(objects)).not.toContain('"client-secret":"');
    assertReferencesResolve(objects, [`${GW_NS}/wildcard-apps`]);
  });

  test('API keys: one ExternalSecret with a key per client, read from the header', () => {
    const { org, shop } = platform();
    api(shop).addEndpoint('rpc', {
      port: 9090,
      type: EndpointType.GRPC,
      visibility: [Visibility.INTERNAL],
      route: {
        policy: {
          authentication: ApiAuthentication.apiKey({
            clients: { zeta: SecretRef.fromStore('keys/zeta'), alpha: SecretRef.fromStore('keys/all', { property: 'alpha' }) },
            header: 'X-Key',
            forwardClientIdHeader: 'X-Client',
          }),
        },
      },
    });
    const objects = synth(org);
    const name = generateName(253, 'api', 'rpc', 'internal');
    const secretName = generateName(253, name, 'api-keys');
    expect(route(objects, 'SecurityPolicy', 'dev', name).spec).toEqual({
      targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'GRPCRoute', name }],
      apiKeyAuth: { credentialRefs: [{ group: '', kind: 'Secret', name: secretName }], extractFrom: [{ headers: ['X-Key'] }], forwardClientIDHeader: 'X-Client' },
    });
    expect(route(objects, 'ExternalSecret', 'dev', secretName).spec.data).toEqual([
      { secretKey: 'alpha', remoteRef: { key: 'keys/all', property: 'alpha' } },
      { secretKey: 'zeta', remoteRef: { key: 'keys/zeta' } },
    ]);
    assertReferencesResolve(objects, [`${GW_NS}/wildcard-apps`]);
  });

  test('CORS in the SecurityPolicy; rate limit, retries, timeouts and circuit breaking in a BackendTrafficPolicy', () => {
    const { org, shop } = platform();
    api(shop).addEndpoint('http', {
      port: 8080,
      visibility: [Visibility.PUBLIC],
      route: {
        policy: {
          cors: { allowOrigins: ['https://shop.acme.example', 'https://*.acme.example'], allowMethods: [HttpMethod.GET, HttpMethod.PUT], allowHeaders: ['Authorization'], allowCredentials: true, maxAge: Duration.minutes(10) },
          rateLimit: { requests: 600, unit: RateLimitUnit.MINUTE },
          retry: {
            attempts: 3,
            on: [RetryOn.CONNECT_FAILURE, RetryOn.RESET],
            statusCodes: [503, 502],
            perTryTimeout: Duration.seconds(2),
            backoffBase: Duration.millis(100),
            backoffMax: Duration.seconds(1),
          },
          timeout: { request: Duration.seconds(15), idle: Duration.minutes(5), connect: Duration.seconds(2) },
          circuitBreaker: { maxConnections: 100, maxPendingRequests: 50 },
        },
      },
    });
    const objects = synth(org);
    const name = generateName(253, 'api', 'http');
    expect(route(objects, 'SecurityPolicy', 'dev', name).spec.cors).toEqual({
      allowOrigins: ['https://shop.acme.example', 'https://*.acme.example'], allowMethods: ['GET', 'PUT'], allowHeaders: ['Authorization'], allowCredentials: true, maxAge: '10m',
    });
    expect(route(objects, 'BackendTrafficPolicy', 'dev', name).spec).toEqual({
      targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name }],
      rateLimit: { type: 'Local', local: { rules: [{ limit: { requests: 600, unit: 'Minute' } }] } },
      retry: {
        numRetries: 3,
        retryOn: { triggers: ['connect-failure', 'reset', 'retriable-status-codes'], httpStatusCodes: [502, 503] },
        perRetry: { timeout: '2s', backOff: { baseInterval: '100ms', maxInterval: '1s' } },
      },
      timeout: { http: { requestTimeout: '15s', connectionIdleTimeout: '5m' }, tcp: { connectTimeout: '2s' } },
      circuitBreaker: { maxConnections: 100, maxPendingRequests: 50 },
    });
  });

  test('scopes: endpoint < visibility < environment < both, field by field; later calls win within a scope', () => {
    const { org, shop, prod } = platform();
    const http = api(shop).addEndpoint('http', {
      port: 8080,
      visibility: [Visibility.PUBLIC, Visibility.INTERNAL],
      route: { policy: { rateLimit: { requests: 10, unit: RateLimitUnit.SECOND }, timeout: { request: Duration.seconds(5) } } },
    });
    const prodPublic = { environment: prod, visibility: Visibility.PUBLIC };
    const lifted = { rateLimit: { requests: 40, unit: RateLimitUnit.SECOND }, authentication: ApiAuthentication.none() };
    http.configureRoute({ policy: lifted }, prodPublic);
    http.configureRoute({ policy: { rateLimit: { requests: 20, unit: RateLimitUnit.SECOND } } }, { visibility: Visibility.PUBLIC });
    http.configureRoute({ policy: { rateLimit: { requests: 30, unit: RateLimitUnit.SECOND }, authentication: jwt } }, { environment: prod });
    http.configureRoute({ policy: { timeout: { request: Duration.seconds(9) } } });
    const objects = synth(org);
    const limit = (env: string, internal: boolean) => {
      const btp = route(objects, 'BackendTrafficPolicy', env, generateName(253, 'api', 'http', ...(internal ? ['internal'] : [])));
      return [btp.spec.rateLimit.local.rules[0].limit.requests, btp.spec.timeout.http.requestTimeout];
    };
    expect(limit('dev', true)).toEqual([10, '9s']);
    expect(limit('dev', false)).toEqual([20, '9s']);
    expect(limit('prod', true)).toEqual([30, '9s']);
    expect(limit('prod', false)).toEqual([40, '9s']);
    // JWT in production, lifted again for production's PUBLIC route
    expect(ofKind(objects, 'SecurityPolicy').map(o => `${o.metadata.namespace.includes('-prod-') ? 'prod' : 'dev'} ${o.metadata.name}`))
      .toEqual([`prod ${generateName(253, 'api', 'http', 'internal')}`]);
  });

  test('ApiAuthentication.none() lifts authorization with the authentication it depends on', () => {
    const { org, shop, dev } = platform();
    const options = { policy: { authentication: jwt, authorization: [{ scopes: ['x'] }] } };
    api(shop).addEndpoint('http', { port: 8080, visibility: [Visibility.INTERNAL], route: options })
      .configureRoute({ policy: { authentication: ApiAuthentication.none() } }, { environment: dev });
    const objects = synth(org);
    expect(ofKind(objects, 'SecurityPolicy').map(o => o.metadata.namespace)).toEqual([ns('shop', 'prod')]);
  });
});

describe('reference integrity', () => {
  test('every route, policy and gateway reference of the example platform resolves to an emitted object', () => {
    const objects = buildPlatform(testApp()).toJson();
    expect(referenceProblems(objects)).toEqual([]);
    expect(ofKind(objects, 'HTTPRoute').length + ofKind(objects, 'GRPCRoute').length).toBeGreaterThan(5);
  });

  test('the check fails for a wrong port, an unknown listener, a foreign namespace, a dangling policy and a missing Secret', () => {
    const objects = structuredClone(buildPlatform(testApp()).toJson());
    const [dev, prod, staging] = ofKind(objects, 'HTTPRoute').filter(r => r.metadata.labels['openchoreo.dev/component'] === 'web')
      .sort((a, b) => (a.metadata.namespace < b.metadata.namespace ? -1 : 1));
    dev.spec.rules[0].backendRefs[0].port = 3001;
    prod.spec.parentRefs[0].sectionName = 'grpc';
    // a route in a namespace the listener's selector does not admit (still pointing at its Service)
    staging.spec.rules[0].backendRefs[0].namespace = staging.metadata.namespace;
    staging.metadata.namespace = 'elsewhere';
    ofKind(objects, 'BackendTrafficPolicy')[0].spec.targetRefs[0].name = 'gone';
    ofKind(objects, 'SecurityPolicy').find(p => p.spec.apiKeyAuth)!.spec.apiKeyAuth.credentialRefs[0].name = 'keys';
    expect(referenceProblems(objects)).toEqual([
      expect.stringMatching(/^SecurityPolicy .*\/ledger-grpc-internal-[0-9a-f]+: Secret .*\/keys is written by no ExternalSecret$/),
      expect.stringMatching(/^BackendTrafficPolicy .*\/payments-api-http-internal-[0-9a-f]+: targetRef HTTPRoute .*\/gone is not emitted$/),
      expect.stringMatching(/^HTTPRoute dp-acme-storefront-development-[0-9a-f]+\/web-http-[0-9a-f]+: Service .*\/web has no port 3001$/),
      expect.stringMatching(/^HTTPRoute dp-acme-storefront-production-[0-9a-f]+\/web-http-[0-9a-f]+: Gateway openchoreo-data-plane\/gateway-external-production has no listener 'grpc'$/),
      expect.stringMatching(/^HTTPRoute elsewhere\/web-http-[0-9a-f]+: listener 'https' of Gateway openchoreo-data-plane\/gateway-external does not admit routes from namespace elsewhere$/),
      // the policy of the moved route no longer finds it
      expect.stringMatching(/^BackendTrafficPolicy dp-acme-storefront-staging-[0-9a-f]+\/web-http-[0-9a-f]+: targetRef HTTPRoute .* is not emitted$/),
    ]);
  });

  test('the CRDs\' CEL rules hold for the example\'s gateway objects, and catch the same objects tampered with', () => {
    const objects = buildPlatform(testApp()).toJson();
    const gatewayKinds = ['Gateway', 'GatewayClass', 'HTTPRoute', 'GRPCRoute', 'SecurityPolicy', 'BackendTrafficPolicy', 'ClientTrafficPolicy', 'EnvoyProxy'];
    const checked = objects.filter(o => gatewayKinds.includes(o.kind));
    expect(checked.length).toBeGreaterThan(30);
    for (const o of checked) expect(validateManifest(o)).toEqual([]);
    const r = structuredClone(checked.find(o => o.kind === 'HTTPRoute' && o.metadata.labels['openchoreo.dev/component']));
    delete r.spec.rules[0].backendRefs[0].port;
    expect(validateManifest(r)).toEqual([expect.stringMatching(/^spec\.rules\[0\]\.backendRefs\[0\]: Must have port for Service reference \(rule: /)]);
    const sp = structuredClone(checked.find(o => o.kind === 'SecurityPolicy' && o.spec.authorization));
    delete sp.spec.jwt;
    expect(validateManifest(sp)).toEqual([expect.stringMatching(/^spec: if authorization\.rules\.principal\.jwt is used, jwt must be defined/)]);
  });
});
