import { evaluateConnectivity, ExternalTarget, Flow, PodIdentity, workloadsOf } from '../src/report/connectivity';
import { connectivityMarkdown } from '../src/report/connectivity-markdown';

// --- hand-written manifests -------------------------------------------------------------------

const namespace = (name: string, labels: Record<string, string> = {}) => ({
  apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels },
});

interface PortDecl { containerPort: number; protocol?: string; name?: string }

const deployment = (ns: string, name: string, labels: Record<string, string>, ports: PortDecl[] = []) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: ns },
  spec: {
    selector: { matchLabels: labels },
    template: { metadata: { labels }, spec: { containers: [{ name: 'main', image: 'x', ports }] } },
  },
});

const cronJob = (ns: string, name: string, labels: Record<string, string>) => ({
  apiVersion: 'batch/v1',
  kind: 'CronJob',
  metadata: { name, namespace: ns },
  spec: {
    schedule: '0 * * * *',
    jobTemplate: { spec: { template: { metadata: { labels }, spec: { containers: [{ name: 'main', image: 'x' }] } } } },
  },
});

const cnp = (ns: string, name: string, spec: any) => ({
  apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name, namespace: ns }, spec,
});

const ccnp = (name: string, spec: any) => ({
  apiVersion: 'cilium.io/v2', kind: 'CiliumClusterwideNetworkPolicy', metadata: { name }, spec,
});

const np = (ns: string, name: string, spec: any) => ({
  apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: ns }, spec,
});

/** Shorthand for an expected flow. */
const f = (from: string, to: string, port: number, protocol = 'TCP', l7?: string[]): Flow =>
  (l7 === undefined ? { from, to, port, protocol } : { from, to, port, protocol, l7 });

/** Flows of one source only (keeps expectations short). */
const fromOnly = (flows: Flow[], from: string) => flows.filter(x => x.from === from);
const toOnly = (flows: Flow[], to: string) => flows.filter(x => x.to === to);

// Two cells `a` and `b`: a/api (8080 http), a/web (no ports), b/db (5432), b/cache (6379 TCP, 6380 UDP)
const twoCells = () => [
  namespace('a', { tier: 'front' }),
  namespace('b', { tier: 'back' }),
  deployment('a', 'api', { app: 'api' }, [{ containerPort: 8080, name: 'http' }]),
  deployment('a', 'web', { app: 'web' }),
  deployment('b', 'db', { app: 'db' }, [{ containerPort: 5432, name: 'pg' }]),
  deployment('b', 'cache', { app: 'cache' }, [{ containerPort: 6379 }, { containerPort: 6380, protocol: 'UDP' }]),
];

const dns: PodIdentity = {
  id: 'kube-system/coredns',
  namespace: 'kube-system',
  labels: { 'k8s-app': 'kube-dns' },
  ports: [{ port: 53, protocol: 'UDP', name: 'dns' }, { port: 53, protocol: 'TCP', name: 'dns-tcp' }],
};

const stripe: ExternalTarget = { id: 'ext/stripe', fqdn: 'api.stripe.com', port: 443, protocol: 'TCP' };
const s3: ExternalTarget = { id: 'ext/s3', fqdn: 's3.eu-west-1.amazonaws.com', port: 443, protocol: 'TCP' };
const ldap: ExternalTarget = { id: 'ext/ldap', ip: '10.20.30.40', port: 636, protocol: 'TCP' };
const billing: ExternalTarget = { id: 'ext/billing', ip: '192.0.2.10', port: 443, protocol: 'TCP' };

// --- workloads ---------------------------------------------------------------------------------

describe('workloadsOf', () => {
  test('Deployments and CronJobs become pod identities with template labels and container ports', () => {
    const pods = workloadsOf([
      cronJob('b', 'report', { app: 'report' }),
      deployment('a', 'api', { app: 'api' }, [{ containerPort: 8080, name: 'http' }, { containerPort: 9000, protocol: 'UDP' }]),
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'api', namespace: 'a' } },
    ]);
    expect(pods).toEqual([
      {
        id: 'a/api',
        namespace: 'a',
        labels: { app: 'api' },
        ports: [{ port: 8080, protocol: 'TCP', name: 'http' }, { port: 9000, protocol: 'UDP' }],
      },
      { id: 'b/report', namespace: 'b', labels: { app: 'report' }, ports: [] },
    ]);
  });

  test('duplicate identities and hostNetwork pods are rejected', () => {
    expect(() => workloadsOf([deployment('a', 'x', {}), cronJob('a', 'x', {})])).toThrow(/share the pod identity a\/x/);
    const host = deployment('a', 'h', {});
    (host.spec.template.spec as any).hostNetwork = true;
    expect(() => workloadsOf([host])).toThrow(/hostNetwork/);
  });
});

// --- Cilium ------------------------------------------------------------------------------------

describe('Cilium', () => {
  test('no policy: every pod reaches every listening port and every external', () => {
    const flows = evaluateConnectivity({ manifests: twoCells(), externals: [stripe] });
    expect(fromOnly(flows, 'a/web')).toEqual([
      f('a/web', 'a/api', 8080),
      f('a/web', 'b/cache', 6379),
      f('a/web', 'b/cache', 6380, 'UDP'),
      f('a/web', 'b/db', 5432),
      f('a/web', 'ext/stripe', 443),
    ]);
    expect(flows).toHaveLength(4 * 5 - 4); // 4 sources × (4 ports + 1 external), minus the 4 own ports (api 1, db 1, cache 2)
  });

  test('enableDefaultDeny without rules denies that direction only', () => {
    const flows = evaluateConnectivity({
      manifests: [...twoCells(), cnp('b', 'lock-db', { endpointSelector: { matchLabels: { app: 'db' } }, enableDefaultDeny: { ingress: true } })],
    });
    expect(toOnly(flows, 'b/db')).toEqual([]);
    expect(fromOnly(flows, 'b/db')).toEqual([
      f('b/db', 'a/api', 8080), f('b/db', 'b/cache', 6379), f('b/db', 'b/cache', 6380, 'UDP'),
    ]);
  });

  test('an empty rule {} puts the pod into default deny without allowing anything', () => {
    const flows = evaluateConnectivity({
      manifests: [...twoCells(), cnp('a', 'deny-egress', { endpointSelector: {}, egress: [{}] })],
      externals: [stripe],
    });
    expect(fromOnly(flows, 'a/api')).toEqual([]);
    expect(fromOnly(flows, 'a/web')).toEqual([]);
    expect(toOnly(flows, 'a/api')).toEqual([f('b/cache', 'a/api', 8080), f('b/db', 'a/api', 8080)]);
  });

  test('fromEndpoints without the namespace key only matches pods of the policy namespace', () => {
    const manifests = [
      ...twoCells(),
      deployment('b', 'worker', { role: 'client' }),
      deployment('a', 'client', { role: 'client' }),
      cnp('a', 'api-in', {
        endpointSelector: { matchLabels: { app: 'api' } },
        ingress: [{ fromEndpoints: [{ matchLabels: { role: 'client' } }] }],
      }),
    ];
    expect(toOnly(evaluateConnectivity({ manifests }), 'a/api')).toEqual([f('a/client', 'a/api', 8080)]);
  });

  test('fromEndpoints: [{}] is every pod of the policy namespace', () => {
    const manifests = [...twoCells(), cnp('b', 'cell', { endpointSelector: {}, ingress: [{ fromEndpoints: [{}] }] })];
    expect(toOnly(evaluateConnectivity({ manifests }), 'b/db')).toEqual([f('b/cache', 'b/db', 5432)]);
  });

  test('a selector with the namespace key reaches across namespaces (k8s: prefix stripped)', () => {
    const manifests = [
      ...twoCells(),
      cnp('b', 'db-in', {
        endpointSelector: { matchLabels: { 'k8s:app': 'db' } },
        ingress: [{ fromEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'a', 'app': 'api' } }] }],
      }),
    ];
    expect(toOnly(evaluateConnectivity({ manifests }), 'b/db')).toEqual([f('a/api', 'b/db', 5432)]);
  });

  test('namespace-label selectors need the namespace key to leave the policy namespace', () => {
    const manifests = (withKey: boolean) => [
      ...twoCells(),
      cnp('b', 'db-in', {
        endpointSelector: { matchLabels: { app: 'db' } },
        ingress: [{
          fromEndpoints: [{
            matchLabels: { 'k8s:io.cilium.k8s.namespace.labels.tier': 'front' },
            matchExpressions: withKey ? [{ key: 'k8s:io.kubernetes.pod.namespace', operator: 'Exists' }] : [],
          }],
        }],
      }),
    ];
    expect(toOnly(evaluateConnectivity({ manifests: manifests(true) }), 'b/db')).toEqual([
      f('a/api', 'b/db', 5432), f('a/web', 'b/db', 5432),
    ]);
    expect(toOnly(evaluateConnectivity({ manifests: manifests(false) }), 'b/db')).toEqual([]);
  });

  test('matchExpressions In / NotIn / DoesNotExist on pod labels', () => {
    const manifests = [
      ...twoCells(),
      cnp('b', 'cache-in', {
        endpointSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['cache'] }] },
        ingress: [{
          fromEndpoints: [{
            matchExpressions: [
              { key: 'io.kubernetes.pod.namespace', operator: 'NotIn', values: ['b'] },
              { key: 'role', operator: 'DoesNotExist' },
              { key: 'app', operator: 'NotIn', values: ['web'] },
            ],
          }],
        }],
      }),
    ];
    expect(toOnly(evaluateConnectivity({ manifests }), 'b/cache')).toEqual([
      f('a/api', 'b/cache', 6379), f('a/api', 'b/cache', 6380, 'UDP'),
    ]);
  });

  test('toPorts: port + protocol, ANY, endPort range, named port', () => {
    const rule = (ports: any[]) => [
      ...twoCells(),
      cnp('b', 'cache-in', {
        endpointSelector: { matchLabels: { app: 'cache' } },
        ingress: [{ fromEndpoints: [{ matchLabels: { 'io.kubernetes.pod.namespace': 'a', 'app': 'web' } }], toPorts: [{ ports }] }],
      }),
    ];
    const into = (ports: any[]) => toOnly(evaluateConnectivity({ manifests: rule(ports) }), 'b/cache');
    expect(into([{ port: '6379', protocol: 'TCP' }])).toEqual([f('a/web', 'b/cache', 6379)]);
    expect(into([{ port: '6380', protocol: 'TCP' }])).toEqual([]);
    expect(into([{ port: '6380', protocol: 'ANY' }])).toEqual([f('a/web', 'b/cache', 6380, 'UDP')]);
    expect(into([{ port: '6000', endPort: 6379, protocol: 'TCP' }])).toEqual([f('a/web', 'b/cache', 6379)]);
    expect(into([{ port: '0' }])).toEqual([f('a/web', 'b/cache', 6379), f('a/web', 'b/cache', 6380, 'UDP')]);

    const named = [
      ...twoCells(),
      cnp('a', 'api-in', {
        endpointSelector: { matchLabels: { app: 'api' } },
        ingress: [{ fromEndpoints: [{ matchLabels: { app: 'web' } }], toPorts: [{ ports: [{ port: 'http', protocol: 'TCP' }] }] }],
      }),
    ];
    expect(toOnly(evaluateConnectivity({ manifests: named }), 'a/api')).toEqual([f('a/web', 'a/api', 8080)]);
  });

  test('HTTP rules are reported as l7; an empty HTTP rule or an L4 rule for the same peer/port lifts them', () => {
    const policy = (extra: any[]) => [
      ...twoCells(),
      cnp('a', 'api-in', {
        endpointSelector: { matchLabels: { app: 'api' } },
        ingress: [
          {
            fromEndpoints: [{ matchLabels: { app: 'web' } }],
            toPorts: [{
              ports: [{ port: '8080', protocol: 'TCP' }],
              rules: { http: [{ method: 'POST', path: '/orders' }, { method: 'GET', path: '/orders(/.*)?' }, { path: '/health' }] },
            }],
          },
          ...extra,
        ],
      }),
    ];
    expect(toOnly(evaluateConnectivity({ manifests: policy([]) }), 'a/api')).toEqual([
      f('a/web', 'a/api', 8080, 'TCP', ['* /health', 'GET /orders(/.*)?', 'POST /orders']),
    ]);
    const l4 = { fromEndpoints: [{ matchLabels: { app: 'web' } }], toPorts: [{ ports: [{ port: '8080', protocol: 'TCP' }] }] };
    expect(toOnly(evaluateConnectivity({ manifests: policy([l4]) }), 'a/api')).toEqual([f('a/web', 'a/api', 8080)]);
    const anyRequest = { ...l4, toPorts: [{ ports: [{ port: '8080', protocol: 'TCP' }], rules: { http: [{}] } }] };
    expect(toOnly(evaluateConnectivity({ manifests: policy([anyRequest]) }), 'a/api')).toEqual([f('a/web', 'a/api', 8080)]);
  });

  test('egress and ingress HTTP rules: equal lists are reported, differing lists are refused', () => {
    const http = (method: string) => ({ ports: [{ port: '8080', protocol: 'TCP' }], rules: { http: [{ method, path: '/x' }] } });
    const manifests = (egressMethod: string) => [
      ...twoCells(),
      cnp('a', 'web-out', { endpointSelector: { matchLabels: { app: 'web' } }, egress: [{ toEndpoints: [{ matchLabels: { app: 'api' } }], toPorts: [http(egressMethod)] }] }),
      cnp('a', 'api-in', { endpointSelector: { matchLabels: { app: 'api' } }, ingress: [{ fromEndpoints: [{ matchLabels: { app: 'web' } }], toPorts: [http('GET')] }] }),
    ];
    expect(fromOnly(evaluateConnectivity({ manifests: manifests('GET') }), 'a/web')).toEqual([f('a/web', 'a/api', 8080, 'TCP', ['GET /x'])]);
    expect(() => evaluateConnectivity({ manifests: manifests('POST') })).toThrow(/does not intersect differing HTTP rule sets/);
  });

  test('toFQDNs matchName (case-insensitive, trailing dot) and matchPattern', () => {
    const egress = (fqdns: any[]) => [
      ...twoCells(),
      cnp('a', 'api-out', {
        endpointSelector: { matchLabels: { app: 'api' } },
        egress: [{ toFQDNs: fqdns, toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }] }],
      }),
    ];
    const out = (fqdns: any[]) => fromOnly(evaluateConnectivity({ manifests: egress(fqdns), externals: [stripe, s3, billing] }), 'a/api');
    expect(out([{ matchName: 'API.Stripe.com.' }])).toEqual([f('a/api', 'ext/stripe', 443)]);
    expect(out([{ matchPattern: '*.amazonaws.com' }])).toEqual([]); // one label only
    expect(out([{ matchPattern: 's3.*.amazonaws.com' }])).toEqual([f('a/api', 'ext/s3', 443)]);
    expect(out([{ matchPattern: '*' }])).toEqual([f('a/api', 'ext/s3', 443), f('a/api', 'ext/stripe', 443)]);
  });

  test('toCIDRSet with except, toCIDR, and /0 for fqdn-only targets', () => {
    const egress = (rule: any) => [
      ...twoCells(),
      cnp('a', 'api-out', { endpointSelector: { matchLabels: { app: 'api' } }, egress: [rule] }),
    ];
    const out = (rule: any) => fromOnly(evaluateConnectivity({ manifests: egress(rule), externals: [stripe, ldap, billing] }), 'a/api');
    expect(out({ toCIDRSet: [{ cidr: '10.0.0.0/8', except: ['10.20.0.0/16'] }] })).toEqual([]);
    expect(out({ toCIDRSet: [{ cidr: '10.0.0.0/8', except: ['10.21.0.0/16'] }] })).toEqual([f('a/api', 'ext/ldap', 636)]);
    expect(out({ toCIDR: ['192.0.2.0/24'] })).toEqual([f('a/api', 'ext/billing', 443)]);
    expect(out({ toCIDRSet: [{ cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] }] })).toEqual([
      f('a/api', 'ext/billing', 443), f('a/api', 'ext/stripe', 443),
    ]);
  });

  test('an L4-only rule reaches any peer, pods and externals; a dns rule allows the DNS port', () => {
    const manifests = [
      ...twoCells(),
      cnp('a', 'web-out', {
        endpointSelector: { matchLabels: { app: 'web' } },
        egress: [
          { toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }, { port: '6379', protocol: 'TCP' }] }] },
          {
            toEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'kube-system', 'k8s:k8s-app': 'kube-dns' } }],
            toPorts: [{ ports: [{ port: '53', protocol: 'ANY' }], rules: { dns: [{ matchPattern: '*' }] } }],
          },
        ],
      }),
    ];
    expect(fromOnly(evaluateConnectivity({ manifests, extraPods: [dns], externals: [stripe] }), 'a/web')).toEqual([
      f('a/web', 'b/cache', 6379),
      f('a/web', 'ext/stripe', 443),
      f('a/web', 'kube-system/coredns', 53, 'TCP'),
      f('a/web', 'kube-system/coredns', 53, 'UDP'),
    ]);
  });

  test('enableDefaultDeny: false makes rules additive only; another policy can still isolate', () => {
    const additive = cnp('b', 'allow-a', {
      endpointSelector: { matchLabels: { app: 'db' } },
      enableDefaultDeny: { ingress: false },
      ingress: [{ fromEndpoints: [{ matchLabels: { 'io.kubernetes.pod.namespace': 'a', 'app': 'web' } }] }],
    });
    expect(toOnly(evaluateConnectivity({ manifests: [...twoCells(), additive] }), 'b/db')).toEqual([
      f('a/api', 'b/db', 5432), f('a/web', 'b/db', 5432), f('b/cache', 'b/db', 5432),
    ]);
    const isolate = cnp('b', 'deny', { endpointSelector: {}, enableDefaultDeny: { ingress: true } });
    expect(toOnly(evaluateConnectivity({ manifests: [...twoCells(), additive, isolate] }), 'b/db')).toEqual([f('a/web', 'b/db', 5432)]);
  });

  test('a clusterwide policy selects and matches pods of every namespace', () => {
    const manifests = [
      ...twoCells(),
      ccnp('db-from-front', {
        endpointSelector: { matchLabels: { app: 'db' } },
        ingress: [{ fromEndpoints: [{ matchLabels: { 'io.cilium.k8s.namespace.labels.tier': 'front' } }] }],
      }),
    ];
    expect(toOnly(evaluateConnectivity({ manifests }), 'b/db')).toEqual([f('a/api', 'b/db', 5432), f('a/web', 'b/db', 5432)]);
  });

  test('unsupported or ambiguous constructs throw, naming the policy and the field', () => {
    const run = (spec: any) => () => evaluateConnectivity({ manifests: [...twoCells(), cnp('a', 'p', spec)] });
    const sel = { matchLabels: { app: 'api' } };
    expect(run({ endpointSelector: sel, egress: [{ toEntities: ['world'] }] }))
      .toThrow('CiliumNetworkPolicy a/p: spec.egress[0].toEntities is not supported');
    expect(run({ endpointSelector: sel, ingressDeny: [{ fromEndpoints: [{}] }] })).toThrow('spec.ingressDeny is not supported');
    expect(run({ endpointSelector: sel, egress: [{ toServices: [{ k8sService: { serviceName: 'x' } }] }] })).toThrow('spec.egress[0].toServices');
    expect(run({ endpointSelector: sel, egress: [{ toEndpoints: [{}], toCIDR: ['10.0.0.0/8'] }] })).toThrow(/combining toEndpoints and toCIDR/);
    expect(run({ endpointSelector: sel, egress: [] })).toThrow(/ambiguous default deny/);
    expect(run({ endpointSelector: { matchLabels: { 'reserved:host': '' } } })).toThrow(/label source reserved/);
    expect(run({ endpointSelector: sel, ingress: [{ toPorts: [{ ports: [{ port: '80' }], rules: { kafka: [{}] } }] }] }))
      .toThrow('spec.ingress[0].toPorts[0].rules.kafka');
    expect(() => evaluateConnectivity({
      manifests: [{ apiVersion: 'policy.networking.k8s.io/v1alpha1', kind: 'AdminNetworkPolicy', metadata: { name: 'x' }, spec: {} }],
    })).toThrow(/AdminNetworkPolicy x .* not supported/);
  });

  test('HTTP rules on a direction that is not default-deny are refused', () => {
    const manifests = [
      ...twoCells(),
      cnp('a', 'p', {
        endpointSelector: { matchLabels: { app: 'api' } },
        enableDefaultDeny: { ingress: false },
        ingress: [{ fromEndpoints: [{}], toPorts: [{ ports: [{ port: '8080' }], rules: { http: [{ method: 'GET' }] } }] }],
      }),
    ];
    expect(() => evaluateConnectivity({ manifests })).toThrow(/HTTP rules on ingress of a\/api/);
  });
});

// --- Kubernetes NetworkPolicy --------------------------------------------------------------------

describe('Kubernetes NetworkPolicy', () => {
  const denyAll = (ns: string) => np(ns, 'default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });

  test('default deny in both directions isolates the namespace', () => {
    const flows = evaluateConnectivity({ manifests: [...twoCells(), denyAll('b')], externals: [stripe] });
    expect(flows.filter(x => x.from.startsWith('b/') || x.to.startsWith('b/'))).toEqual([]);
    expect(fromOnly(flows, 'a/web')).toEqual([f('a/web', 'a/api', 8080), f('a/web', 'ext/stripe', 443)]);
  });

  test('a podSelector-only peer means pods of the policy namespace', () => {
    const manifests = [
      ...twoCells(),
      deployment('a', 'worker', { role: 'db-client' }),
      deployment('b', 'migrator', { role: 'db-client' }),
      np('b', 'db-in', { podSelector: { matchLabels: { app: 'db' } }, ingress: [{ from: [{ podSelector: { matchLabels: { role: 'db-client' } } }] }] }),
    ];
    expect(toOnly(evaluateConnectivity({ manifests }), 'b/db')).toEqual([f('b/migrator', 'b/db', 5432)]);
  });

  test('namespaceSelector alone, and namespaceSelector + podSelector', () => {
    const manifests = (peer: any) => [
      ...twoCells(),
      np('b', 'db-in', { podSelector: { matchLabels: { app: 'db' } }, ingress: [{ from: [peer] }] }),
    ];
    const into = (peer: any) => toOnly(evaluateConnectivity({ manifests: manifests(peer) }), 'b/db');
    expect(into({ namespaceSelector: { matchLabels: { tier: 'front' } } })).toEqual([f('a/api', 'b/db', 5432), f('a/web', 'b/db', 5432)]);
    expect(into({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'a' } }, podSelector: { matchLabels: { app: 'api' } } }))
      .toEqual([f('a/api', 'b/db', 5432)]);
    expect(into({ namespaceSelector: {} })).toEqual([f('a/api', 'b/db', 5432), f('a/web', 'b/db', 5432), f('b/cache', 'b/db', 5432)]);
  });

  test('ipBlock with except matches external IPs, never pods; an empty to list matches everything', () => {
    const manifests = (egress: any[]) => [
      ...twoCells(),
      np('a', 'api-out', { podSelector: { matchLabels: { app: 'api' } }, policyTypes: ['Egress'], egress }),
    ];
    const out = (egress: any[]) => fromOnly(evaluateConnectivity({ manifests: manifests(egress), externals: [stripe, ldap, billing] }), 'a/api');
    expect(out([{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } }] }])).toEqual([
      f('a/api', 'ext/billing', 443), f('a/api', 'ext/stripe', 443),
    ]);
    expect(out([{ to: [{ ipBlock: { cidr: '10.20.30.40/32' } }], ports: [{ port: 636 }] }])).toEqual([f('a/api', 'ext/ldap', 636)]);
    expect(out([{ ports: [{ port: 443 }, { port: 6380, protocol: 'UDP' }] }])).toEqual([
      f('a/api', 'b/cache', 6380, 'UDP'), f('a/api', 'ext/billing', 443), f('a/api', 'ext/stripe', 443),
    ]);
  });

  test('named ports, protocol default TCP, and endPort', () => {
    const manifests = (ports: any[]) => [
      ...twoCells(),
      np('b', 'in', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: {} }], ports }] }),
    ];
    const into = (ports: any[]) => evaluateConnectivity({ manifests: manifests(ports) }).filter(x => x.from === 'a/web' && x.to.startsWith('b/'));
    expect(into([{ port: 'pg' }])).toEqual([f('a/web', 'b/db', 5432)]);
    expect(into([{ port: 6380 }])).toEqual([]); // 6380 is UDP only
    expect(into([{ port: 5000, endPort: 6380, protocol: 'UDP' }])).toEqual([f('a/web', 'b/cache', 6380, 'UDP')]);
  });

  test('policyTypes [Ingress] leaves egress open; without policyTypes, egress rules make it Egress too', () => {
    const ingressOnly = np('a', 'api', {
      podSelector: { matchLabels: { app: 'api' } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }] }],
      egress: [{ to: [{ podSelector: { matchLabels: { app: 'nothing' } } }] }],
    });
    const flows = evaluateConnectivity({ manifests: [...twoCells(), ingressOnly], externals: [stripe] });
    expect(toOnly(flows, 'a/api')).toEqual([f('a/web', 'a/api', 8080)]);
    expect(fromOnly(flows, 'a/api')).toHaveLength(4);

    const defaulted = np('a', 'api', { podSelector: { matchLabels: { app: 'api' } }, egress: [{ to: [{ podSelector: { matchLabels: { app: 'web' } } }] }] });
    const flows2 = evaluateConnectivity({ manifests: [...twoCells(), defaulted], externals: [stripe] });
    expect(fromOnly(flows2, 'a/api')).toEqual([]); // web listens on nothing
    expect(toOnly(flows2, 'a/api')).toEqual([]); // Ingress is always a default type
  });

  test('a flow needs both the source egress and the destination ingress', () => {
    const egressToDb = np('a', 'web-out', {
      podSelector: { matchLabels: { app: 'web' } },
      policyTypes: ['Egress'],
      egress: [{ to: [{ namespaceSelector: { matchLabels: { tier: 'back' } }, podSelector: { matchLabels: { app: 'db' } } }] }],
    });
    const dbFromApi = np('b', 'db-in', {
      podSelector: { matchLabels: { app: 'db' } },
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { tier: 'front' } }, podSelector: { matchLabels: { app: 'api' } } }] }],
    });
    const webToDb = (manifests: any[]) => evaluateConnectivity({ manifests }).filter(x => x.from === 'a/web' && x.to === 'b/db');
    expect(webToDb([...twoCells(), egressToDb])).toEqual([f('a/web', 'b/db', 5432)]);
    expect(webToDb([...twoCells(), dbFromApi])).toEqual([]);
    expect(webToDb([...twoCells(), egressToDb, dbFromApi])).toEqual([]);
    expect(evaluateConnectivity({ manifests: [...twoCells(), egressToDb, dbFromApi] }).filter(x => x.to === 'b/db'))
      .toEqual([f('a/api', 'b/db', 5432)]);
  });

  test('Cilium and Kubernetes policies on the same pod combine (union of allows)', () => {
    const manifests = [
      ...twoCells(),
      np('b', 'db-in', { podSelector: { matchLabels: { app: 'db' } }, ingress: [{ from: [{ podSelector: {} }] }] }),
      cnp('b', 'db-in', {
        endpointSelector: { matchLabels: { app: 'db' } },
        ingress: [{ fromEndpoints: [{ matchLabels: { 'io.kubernetes.pod.namespace': 'a', 'app': 'api' } }] }],
      }),
    ];
    expect(toOnly(evaluateConnectivity({ manifests }), 'b/db')).toEqual([f('a/api', 'b/db', 5432), f('b/cache', 'b/db', 5432)]);
  });

  test('extraPods and extraNamespaces take part like manifest pods (DNS egress via namespace labels)', () => {
    const manifests = [
      ...twoCells(),
      np('a', 'dns-out', {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [{
          to: [{ namespaceSelector: { matchLabels: { role: 'system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
          ports: [{ port: 53, protocol: 'UDP' }],
        }],
      }),
    ];
    const flows = evaluateConnectivity({ manifests, extraPods: [dns], extraNamespaces: [{ name: 'kube-system', labels: { role: 'system' } }] });
    expect(fromOnly(flows, 'a/web')).toEqual([f('a/web', 'kube-system/coredns', 53, 'UDP')]);
    expect(toOnly(flows, 'a/api')).toEqual([f('b/cache', 'a/api', 8080), f('b/db', 'a/api', 8080), f('kube-system/coredns', 'a/api', 8080)]);
    expect(evaluateConnectivity({ manifests, extraPods: [dns] }).filter(x => x.from === 'a/web')).toEqual([]);
  });

  test('an empty peer and ipBlock combined with a selector are rejected like Kubernetes does', () => {
    const run = (peer: any) => () => evaluateConnectivity({ manifests: [...twoCells(), np('a', 'p', { podSelector: {}, ingress: [{ from: [peer] }] })] });
    expect(run({})).toThrow('NetworkPolicy a/p: spec.ingress[0].from[0] is empty');
    expect(run({ ipBlock: { cidr: '10.0.0.0/8' }, podSelector: {} })).toThrow(/combines ipBlock/);
    expect(run({ podSelector: {}, serviceAccount: 'x' })).toThrow('spec.ingress[0].from[0].serviceAccount is not supported');
  });
});

// --- Markdown ----------------------------------------------------------------------------------

describe('connectivityMarkdown', () => {
  const flows = [
    f('b/db', 'a/api', 8080),
    f('a/web', 'a/api', 8080, 'TCP', ['GET /orders(/.*)?', 'POST /orders']),
    f('a/web', 'kube-system/coredns', 53, 'UDP'),
    f('a/web', 'kube-system/coredns', 53, 'TCP'),
  ];

  test('heading, sorted table rows with L7, and a mermaid flowchart with one edge per pair', () => {
    const md = connectivityMarkdown('Development', flows, { nodes: [{ id: 'a/api', label: 'api (shop)' }, { id: 'a/web', label: 'say "hi"' }] });
    expect(md).toBe([
      '# Development',
      '',
      '| From | To | Port | Protocol | L7 |',
      '| --- | --- | --- | --- | --- |',
      '| a/web | a/api | 8080 | TCP | GET /orders(/.*)?<br>POST /orders |',
      '| a/web | kube-system/coredns | 53 | TCP | any |',
      '| a/web | kube-system/coredns | 53 | UDP | any |',
      '| b/db | a/api | 8080 | TCP | any |',
      '',
      '```mermaid',
      'flowchart LR',
      '  n_a_api["api (shop)"]',
      '  n_a_web["say #quot;hi#quot;"]',
      '  n_b_db["b/db"]',
      '  n_kube_system_coredns["kube-system/coredns"]',
      '  n_a_web -->|"8080/TCP (L7)"| n_a_api',
      '  n_a_web -->|"53/TCP, 53/UDP"| n_kube_system_coredns',
      '  n_b_db -->|"8080/TCP"| n_a_api',
      '```',
      '',
    ].join('\n'));
  });

  test('deterministic whatever the input order; colliding sanitized ids stay distinct; empty input', () => {
    expect(connectivityMarkdown('X', [...flows].reverse())).toBe(connectivityMarkdown('X', flows));
    const md = connectivityMarkdown('Y', [f('a.b/x', 'a-b/x', 1), f('a|b', 'a-b/x', 2)], { headingLevel: 2 });
    expect(md).toContain('## Y');
    expect(md).toContain('| a\\|b | a-b/x | 2 | TCP | any |');
    expect(md).toContain('  n_a_b_x["a-b/x"]\n  n_a_b_x_2["a.b/x"]');
    expect(connectivityMarkdown('Z', [])).toBe('# Z\n\n_No allowed flows._\n\n```mermaid\nflowchart LR\n```\n');
  });
});
