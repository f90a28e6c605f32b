import {
  DataPlane, DeploymentPipeline, EndpointType, Environment, ExternalService, HttpMethod, IsolationMode,
  NetworkPolicyProvider, Organization, Project, Service, Tracing, Visibility, Worker,
} from '../src';
import { one, synth, testApp } from './support/synth';
import { generateName } from '../src/resolve/naming';

const ns = (project: string, env = 'dev') => generateName(63, 'dp', 'acme', project, env);

interface Options { provider?: NetworkPolicyProvider; isolation?: IsolationMode; acceptWider?: boolean }

/** acme / dp / dev, projects `shop` and `billing`. */
function platform(o: Options = {}) {
  const org = new Organization(testApp(), 'acme', { isolation: o.isolation });
  const dataPlane = new DataPlane(org, 'dp', {
    networkPolicyProvider: o.provider,
    acceptWiderNetworkRules: o.acceptWider,
    externalGateway: { domain: 'apps.acme.example' },
    internalGateway: { domain: 'internal.acme.example' },
    // telemetry paths are tested in observability.test.ts; here every flow is a dependency or an exposure
    observability: { defaultTracing: Tracing.none() },
  });
  const dev = new Environment(org, 'dev', { dataPlane });
  const pipeline = new DeploymentPipeline(org, 'p', { promotionPaths: [{ source: dev, targets: [new Environment(org, 'prod', { dataPlane })] }] });
  const shop = new Project(org, 'shop', { pipeline });
  const billing = new Project(org, 'billing', { pipeline });
  return { org, shop, billing, dataPlane };
}

const policy = (objects: any[], project: string, name: string) =>
  one(objects, 'CiliumNetworkPolicy', o => o.metadata.namespace === ns(project) && o.metadata.name === name);
const netpol = (objects: any[], project: string, name: string) =>
  one(objects, 'NetworkPolicy', o => o.metadata.namespace === ns(project) && o.metadata.name === name);

describe('Cilium back-end', () => {
  test('every cell starts closed both ways, with DNS to the cluster DNS through the DNS proxy', () => {
    const { org, shop } = platform();
    new Worker(shop, 'w', { image: 'r.example/w:1.0.0' });
    const objects = synth(org);
    expect(objects.filter(o => o.kind === 'CiliumNetworkPolicy' && o.metadata.name === 'cell-baseline')).toHaveLength(4);
    const base = policy(objects, 'shop', 'cell-baseline');
    expect(base.spec).toEqual({
      endpointSelector: {},
      enableDefaultDeny: { ingress: true, egress: true },
      egress: [{
        toEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'kube-system', 'k8s-app': 'kube-dns' } }],
        toPorts: [{ ports: [{ port: '53', protocol: 'UDP' }, { port: '53', protocol: 'TCP' }], rules: { dns: [{ matchPattern: '*' }] } }],
      }],
    });
    const w = policy(objects, 'shop', 'openchoreo-w');
    expect(w.spec.ingress).toEqual([]);
    expect(w.spec.egress).toEqual([]);
    expect(w.spec.enableDefaultDeny).toEqual({ ingress: true, egress: true });
    expect(w.spec.endpointSelector.matchLabels['openchoreo.dev/component']).toBe('w');
  });

  test('a dependency opens egress on the consumer and ingress on the provider, on exactly the endpoint port', () => {
    const { org, shop } = platform();
    const api = new Service(shop, 'api', { image: 'r.example/api:1.0.0' });
    const grpc = api.addEndpoint('grpc', { port: 9090, type: EndpointType.GRPC });
    api.addEndpoint('admin', { port: 9091 });
    new Worker(shop, 'w', { image: 'r.example/w:1.0.0' }).dependOn(grpc);
    const objects = synth(org);
    expect(policy(objects, 'shop', 'openchoreo-w').spec.egress).toEqual([{
      toEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': ns('shop'), 'openchoreo.dev/component': 'api' } }],
      toPorts: [{ ports: [{ port: '9090', protocol: 'TCP' }] }],
    }]);
    expect(policy(objects, 'shop', 'openchoreo-api').spec.ingress).toEqual([{
      fromEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': ns('shop'), 'openchoreo.dev/component': 'w' } }],
      toPorts: [{ ports: [{ port: '9090', protocol: 'TCP' }] }],
    }]);
  });

  test('cross-project dependencies use the other cell\'s namespace', () => {
    const { org, shop, billing } = platform();
    const inv = new Service(billing, 'invoices', { image: 'r.example/i:1.0.0' }).addEndpoint('http', { port: 8080, visibility: [Visibility.ORGANIZATION] });
    new Worker(shop, 'w', { image: 'r.example/w:1.0.0' }).dependOn(inv);
    const objects = synth(org);
    expect(policy(objects, 'shop', 'openchoreo-w').spec.egress[0].toEndpoints[0].matchLabels['k8s:io.kubernetes.pod.namespace']).toBe(ns('billing'));
    expect(policy(objects, 'billing', 'openchoreo-invoices').spec.ingress[0].fromEndpoints[0].matchLabels['k8s:io.kubernetes.pod.namespace']).toBe(ns('shop'));
  });

  test('gateways reach INTERNAL and PUBLIC endpoints only, on their ports', () => {
    const { org, shop } = platform();
    const api = new Service(shop, 'api', { image: 'r.example/api:1.0.0' });
    api.addEndpoint('public', { port: 8080, visibility: [Visibility.PUBLIC] });
    api.addEndpoint('internal', { port: 8081, visibility: [Visibility.INTERNAL] });
    api.addEndpoint('private', { port: 8082 });
    const ingress = policy(synth(org), 'shop', 'openchoreo-api').spec.ingress;
    expect(ingress).toEqual([
      {
        fromEndpoints: [{
          matchLabels: {
            'k8s:io.kubernetes.pod.namespace': 'envoy-gateway-system',
            'gateway.envoyproxy.io/owning-gateway-name': 'gateway-external',
            'gateway.envoyproxy.io/owning-gateway-namespace': 'openchoreo-data-plane',
          },
        }],
        toPorts: [{ ports: [{ port: '8080', protocol: 'TCP' }] }],
      },
      {
        fromEndpoints: [{
          matchLabels: {
            'k8s:io.kubernetes.pod.namespace': 'envoy-gateway-system',
            'gateway.envoyproxy.io/owning-gateway-name': 'gateway-internal',
            'gateway.envoyproxy.io/owning-gateway-namespace': 'openchoreo-data-plane',
          },
        }],
        toPorts: [{ ports: [{ port: '8081', protocol: 'TCP' }] }],
      },
    ]);
  });

  test('external services: toFQDNs for hosts, toCIDRSet for declared ranges', () => {
    const { org, shop } = platform();
    const w = new Worker(shop, 'w', { image: 'r.example/w:1.0.0' });
    w.dependOnExternal(new ExternalService(org, 'stripe', { host: 'api.stripe.com', port: 443 }));
    w.dependOnExternal(new ExternalService(org, 'db', { host: 'db.corp.example', cidrs: ['10.20.0.0/24'], port: 5432 }));
    const egress = policy(synth(org), 'shop', 'openchoreo-w').spec.egress;
    expect(egress).toContainEqual({ toCIDRSet: [{ cidr: '10.20.0.0/24' }], toPorts: [{ ports: [{ port: '5432', protocol: 'TCP' }] }] });
    expect(egress).toContainEqual({ toFQDNs: [{ matchName: 'api.stripe.com' }], toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }] });
    expect(egress).toHaveLength(2);
  });

  test('HTTP rules narrow a dependency to methods and paths on both sides', () => {
    const { org, shop } = platform();
    const http = new Service(shop, 'api', { image: 'r.example/api:1.0.0' }).addEndpoint('http', { port: 8080 });
    new Worker(shop, 'w', { image: 'r.example/w:1.0.0' }).dependOn(http, {
      httpRules: [{ method: HttpMethod.GET, path: '/orders/*' }, { method: HttpMethod.POST, path: '/orders' }],
    });
    const objects = synth(org);
    const rules = { http: [{ method: 'GET', path: '/orders(/.*)?' }, { method: 'POST', path: '/orders' }] };
    expect(policy(objects, 'shop', 'openchoreo-w').spec.egress[0].toPorts).toEqual([{ ports: [{ port: '8080', protocol: 'TCP' }], rules }]);
    expect(policy(objects, 'shop', 'openchoreo-api').spec.ingress[0].toPorts).toEqual([{ ports: [{ port: '8080', protocol: 'TCP' }], rules }]);
  });

  test('OpenChoreo-compatible isolation: the cell reaches PROJECT endpoints, the organization reaches ORGANIZATION endpoints', () => {
    const { org, shop } = platform({ isolation: IsolationMode.OPENCHOREO_COMPATIBLE });
    const api = new Service(shop, 'api', { image: 'r.example/api:1.0.0' });
    api.addEndpoint('http', { port: 8080, visibility: [Visibility.ORGANIZATION] });
    api.addEndpoint('metrics', { port: 9100 });
    const p = policy(synth(org), 'shop', 'openchoreo-api').spec;
    expect(p.ingress).toEqual([
      {
        fromEndpoints: [{
          matchLabels: {
            'k8s:io.cilium.k8s.namespace.labels.openchoreo.dev/namespace': 'acme',
            'k8s:io.cilium.k8s.namespace.labels.openchoreo.dev/environment': 'dev',
            'k8s:io.cilium.k8s.namespace.labels.app.kubernetes.io/managed-by': 'cdk8s-openchoreo',
          },
          matchExpressions: [{ key: 'k8s:io.kubernetes.pod.namespace', operator: 'Exists' }],
        }],
        toPorts: [{ ports: [{ port: '8080', protocol: 'TCP' }] }],
      },
      {
        fromEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': ns('shop') } }],
        toPorts: [{ ports: [{ port: '8080', protocol: 'TCP' }, { port: '9100', protocol: 'TCP' }] }],
      },
    ]);
    expect(p.egress).toHaveLength(2);
  });
});

describe('Kubernetes NetworkPolicy back-end', () => {
  test('the same flows as NetworkPolicy objects, with a closed baseline and DNS', () => {
    const { org, shop, billing } = platform({ provider: NetworkPolicyProvider.KUBERNETES });
    const inv = new Service(billing, 'invoices', { image: 'r.example/i:1.0.0' }).addEndpoint('http', { port: 8080, visibility: [Visibility.ORGANIZATION] });
    const w = new Worker(shop, 'w', { image: 'r.example/w:1.0.0' });
    w.dependOn(inv);
    w.dependOnExternal(new ExternalService(org, 'db', { cidrs: ['10.20.0.5/32'], port: 5432 }));
    const objects = synth(org);
    expect(objects.filter(o => o.kind === 'CiliumNetworkPolicy')).toHaveLength(0);
    expect(netpol(objects, 'shop', 'cell-baseline').spec).toEqual({
      podSelector: {},
      policyTypes: ['Ingress', 'Egress'],
      egress: [{
        to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
        ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
      }],
    });
    expect(netpol(objects, 'shop', 'openchoreo-w').spec.egress).toEqual([
      { to: [{ ipBlock: { cidr: '10.20.0.5/32' } }], ports: [{ protocol: 'TCP', port: 5432 }] },
      {
        to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns('billing') } }, podSelector: { matchLabels: { 'openchoreo.dev/component': 'invoices' } } }],
        ports: [{ protocol: 'TCP', port: 8080 }],
      },
    ]);
    expect(netpol(objects, 'billing', 'openchoreo-invoices').spec.ingress).toEqual([{
      from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns('shop') } }, podSelector: { matchLabels: { 'openchoreo.dev/component': 'w' } } }],
      ports: [{ protocol: 'TCP', port: 8080 }],
    }]);
  });

  test('FQDN egress is refused unless the data plane accepts wider rules', () => {
    const strict = platform({ provider: NetworkPolicyProvider.KUBERNETES });
    new Worker(strict.shop, 'w', { image: 'r.example/w:1.0.0' })
      .dependOnExternal(new ExternalService(strict.org, 'stripe', { host: 'api.stripe.com', port: 443 }));
    expect(() => strict.org.toJson()).toThrow(/\[acme\/shop\/w\] depends on external service 'stripe' by host name \(api\.stripe\.com\).*Fix: declare the service's cidrs/);

    const wide = platform({ provider: NetworkPolicyProvider.KUBERNETES, acceptWider: true });
    new Worker(wide.shop, 'w', { image: 'r.example/w:1.0.0' })
      .dependOnExternal(new ExternalService(wide.org, 'stripe', { host: 'api.stripe.com', port: 443 }));
    const objects = synth(wide.org);
    expect(netpol(objects, 'shop', 'openchoreo-w').spec.egress).toEqual([{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ protocol: 'TCP', port: 443 }] }]);
  });

  test('HTTP rules are refused unless the data plane accepts the whole port', () => {
    const build = (acceptWider: boolean) => {
      const p = platform({ provider: NetworkPolicyProvider.KUBERNETES, acceptWider });
      const http = new Service(p.shop, 'api', { image: 'r.example/api:1.0.0' }).addEndpoint('http', { port: 8080 });
      new Worker(p.shop, 'w', { image: 'r.example/w:1.0.0' }).dependOn(http, { httpRules: [{ method: HttpMethod.GET }] });
      return p.org;
    };
    expect(() => build(false).toJson()).toThrow(/\[acme\/shop\/w\] narrows its dependency on 'shop\/api' endpoint 'http' with httpRules.*Fix: remove httpRules/);
    const objects = synth(build(true));
    expect(netpol(objects, 'shop', 'openchoreo-api').spec.ingress[0].ports).toEqual([{ protocol: 'TCP', port: 8080 }]);
  });
});

describe('network input errors', () => {
  test('HTTP rules on a TCP endpoint', () => {
    const { org, shop } = platform();
    const tcp = new Service(shop, 'db', { image: 'r.example/db:1.0.0' }).addEndpoint('tcp', { port: 5432, type: EndpointType.TCP });
    new Worker(shop, 'w', { image: 'r.example/w:1.0.0' }).dependOn(tcp, { httpRules: [{ path: '/x' }] });
    expect(() => org.toJson()).toThrow(/\[acme\/shop\/w\] dependency on endpoint 'db\/tcp' sets httpRules, but the endpoint is TCP\. Fix: remove httpRules/);
  });

  test('an empty HTTP rule list', () => {
    const { org, shop } = platform();
    const http = new Service(shop, 'api', { image: 'r.example/api:1.0.0' }).addEndpoint('http', { port: 8080 });
    new Worker(shop, 'w', { image: 'r.example/w:1.0.0' }).dependOn(http, { httpRules: [] });
    expect(() => org.toJson()).toThrow(/\[acme\/shop\/w\] dependency on endpoint 'api\/http' sets an empty httpRules list.*Fix: list the requests/);
  });

  test('an external service without host or cidrs, or without port', () => {
    const { org } = platform();
    expect(() => new ExternalService(org, 'x', { port: 443 })).toThrow(/\[acme\/x\] external service 'x' has neither a host nor cidrs\. Fix: set host/);
    expect(() => new ExternalService(org, 'y', { host: 'y.example.com' } as any)).toThrow(/\[acme\/y\] external service 'y' has no port\. Fix: set port/);
    expect(() => new ExternalService(org, 'z', { cidrs: ['10.0.0.0/33'], port: 1 })).toThrow(/\[acme\/z\] external service CIDR '10\.0\.0\.0\/33' is not an IPv4 CIDR/);
  });

  test('an external service with only a wide range has no address to inject', () => {
    const { org, shop } = platform();
    new Worker(shop, 'w', { image: 'r.example/w:1.0.0' }).dependOnExternal(new ExternalService(org, 'lan', { cidrs: ['10.0.0.0/8'], port: 22 }));
    expect(() => org.toJson()).toThrow(/\[acme\/shop\/w\] depends on external service 'lan', which declares only IP ranges \(10\.0\.0\.0\/8\).*Fix: set host/);
  });

  test('HTTP rules on an external dependency, an unknown method, a malformed path', () => {
    const { org, shop } = platform();
    const w = new Worker(shop, 'w', { image: 'r.example/w:1.0.0' });
    const ext = new ExternalService(org, 'e', { host: 'e.example.com', port: 443 });
    const http = new Service(shop, 'api', { image: 'r.example/api:1.0.0' }).addEndpoint('http', { port: 8080 });
    expect(() => w.dependOnExternal(ext, { httpRules: [{ path: '/' }] })).toThrow(/\[acme\/shop\/w\] dependency on external service 'e' sets httpRules\. Fix: remove httpRules/);
    expect(() => w.dependOn(http, { httpRules: [{ method: 'FETCH' as HttpMethod }] })).toThrow(/HTTP rule method 'FETCH' is unknown\. Fix: use one of HttpMethod\.GET/);
    expect(() => w.dependOn(http, { httpRules: [{ path: 'orders' }] })).toThrow(/HTTP rule path 'orders' is invalid\. Fix: use an absolute path/);
  });

  test('a gateway peer without labels', () => {
    const org = new Organization(testApp(), 'acme');
    expect(() => new DataPlane(org, 'dp', { externalGatewayPods: { namespace: 'gw', labels: {} } }))
      .toThrow(/\[acme\/dp\] externalGatewayPods selects pods by no label\. Fix: give at least one label/);
  });
});
