import { evaluateConnectivity, Flow } from '../src/report/connectivity';

// The evaluator finds an isolated source's destinations through an index (pods by namespace and
// by label value) and shows Cilium a pod's labels through its namespace's shared labels: these
// pin the answers those shortcuts must keep.

const namespace = (name: string, labels: Record<string, string> = {}) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });

const deployment = (ns: string, name: string, labels: Record<string, string>, port?: number) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: ns },
  spec: { template: { metadata: { labels }, spec: { containers: [{ name: 'main', image: 'x', ports: port ? [{ containerPort: port }] : [] }] } } },
});

const cnp = (ns: string, name: string, spec: any) => ({ apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name, namespace: ns }, spec });
const ccnp = (name: string, spec: any) => ({ apiVersion: 'cilium.io/v2', kind: 'CiliumClusterwideNetworkPolicy', metadata: { name }, spec });
const np = (ns: string, name: string, spec: any) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: ns }, spec });

/** `from → to:port` of each flow out of `from`. */
const out = (flows: Flow[], from: string) => flows.filter(f => f.from === from).map(f => `${f.to}:${f.port}`);

/** A client in `a` whose egress only `rule` allows. */
const client = (rule: any) => cnp('a', 'client', { endpointSelector: { matchLabels: { app: 'client' } }, egress: [rule] });

// the same component label in two namespaces
const pods = () => [
  namespace('a', { team: 'blue' }),
  namespace('b', { team: 'green' }),
  deployment('a', 'client', { app: 'client' }),
  deployment('a', 'api', { app: 'api' }, 8080),
  deployment('b', 'api', { app: 'api' }, 9090),
];

describe('connectivity index', () => {
  test('a namespaced endpoint selector reaches only its own namespace, even when the label is elsewhere too', () => {
    const flows = evaluateConnectivity({ manifests: [...pods(), client({ toEndpoints: [{ matchLabels: { app: 'api' } }] })] });
    expect(out(flows, 'a/client')).toEqual(['a/api:8080']);
  });

  test('a selector naming the namespace key reaches that namespace', () => {
    const flows = evaluateConnectivity({
      manifests: [...pods(), client({ toEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'b', 'app': 'api' } }] })],
    });
    expect(out(flows, 'a/client')).toEqual(['b/api:9090']);
  });

  test('a clusterwide selector on a label reaches every namespace', () => {
    const flows = evaluateConnectivity({
      manifests: [...pods(), ccnp('client', { endpointSelector: { matchLabels: { app: 'client' } }, egress: [{ toEndpoints: [{ matchLabels: { app: 'api' } }] }] })],
    });
    expect(out(flows, 'a/client')).toEqual(['a/api:8080', 'b/api:9090']);
  });

  test('a selector on namespace labels only (no pod label) reaches the pods of matching namespaces', () => {
    const flows = evaluateConnectivity({
      manifests: [...pods(), client({ toEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'b', 'io.cilium.k8s.namespace.labels.team': 'green' } }] })],
    });
    expect(out(flows, 'a/client')).toEqual(['b/api:9090']);
  });

  test('an L4-only rule reaches every pod', () => {
    const flows = evaluateConnectivity({ manifests: [...pods(), client({ toPorts: [{ ports: [{ port: '9090' }] }] })] });
    expect(out(flows, 'a/client')).toEqual(['b/api:9090']);
  });

  test('NetworkPolicy peers: the policy namespace by default, a named namespace with a namespace selector', () => {
    const egress = (to: any[]) => np('a', 'client', { podSelector: { matchLabels: { app: 'client' } }, policyTypes: ['Egress'], egress: [{ to }] });
    expect(out(evaluateConnectivity({ manifests: [...pods(), egress([{ podSelector: { matchLabels: { app: 'api' } } }])] }), 'a/client')).toEqual(['a/api:8080']);
    expect(out(evaluateConnectivity({
      manifests: [...pods(), egress([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'b' } }, podSelector: { matchLabels: { app: 'api' } } }])],
    }), 'a/client')).toEqual(['b/api:9090']);
    expect(out(evaluateConnectivity({
      manifests: [...pods(), egress([{ namespaceSelector: {}, podSelector: { matchLabels: { app: 'api' } } }])],
    }), 'a/client')).toEqual(['a/api:8080', 'b/api:9090']);
  });
});

describe('Cilium labels of a pod', () => {
  // a pod whose own labels collide with the keys Cilium derives from its namespace and identity
  const odd = () => [
    namespace('a', { team: 'blue' }),
    namespace('b'),
    deployment('a', 'odd', { 'app': 'odd', 'io.cilium.k8s.namespace.labels.team': 'red', 'io.kubernetes.pod.namespace': 'elsewhere', 'own': 'x' }, 8080),
    deployment('b', 'client', { app: 'client' }),
  ];
  const reach = (selector: any) => out(evaluateConnectivity({
    manifests: [...odd(), cnp('b', 'client', { endpointSelector: { matchLabels: { app: 'client' } }, egress: [{ toEndpoints: [selector] }] })],
  }), 'b/client');

  test('namespace labels and the namespace key win over the pod\'s own labels', () => {
    const inA = { 'k8s:io.kubernetes.pod.namespace': 'a' };
    expect(reach({ matchLabels: { ...inA, 'io.cilium.k8s.namespace.labels.team': 'blue' } })).toEqual(['a/odd:8080']);
    expect(reach({ matchLabels: { ...inA, 'io.cilium.k8s.namespace.labels.team': 'red' } })).toEqual([]);
    expect(reach({ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'elsewhere' } })).toEqual([]);
  });

  test('own labels, the service account and expressions are seen', () => {
    const inA = { 'k8s:io.kubernetes.pod.namespace': 'a' };
    expect(reach({ matchLabels: { ...inA, 'own': 'x', 'io.cilium.k8s.policy.serviceaccount': 'default' } })).toEqual(['a/odd:8080']);
    expect(reach({ matchLabels: inA, matchExpressions: [{ key: 'io.cilium.k8s.namespace.labels.team', operator: 'Exists' }] })).toEqual(['a/odd:8080']);
    expect(reach({ matchLabels: inA, matchExpressions: [{ key: 'io.cilium.k8s.namespace.labels.none', operator: 'DoesNotExist' }] })).toEqual(['a/odd:8080']);
    expect(reach({ matchLabels: inA, matchExpressions: [{ key: 'io.cilium.k8s.namespace.labels.team', operator: 'In', values: ['red'] }] })).toEqual([]);
  });
});
