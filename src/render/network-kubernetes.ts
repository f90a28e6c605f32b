import { k8s } from 'cdk8s-plus-28';
import { object, Plain } from './json';
import { cellLabels, componentMetadata } from './metadata';
import { PodPeer } from '../model/network';
import { Cell, PlanComponent, PlanNetworkRule, PlanPeer } from '../resolve/plan';

const NAMESPACE_NAME = 'kubernetes.io/metadata.name';

/**
 * Kubernetes NetworkPolicy back-end: a cell baseline (default deny both ways, DNS egress to the
 * cluster DNS) and one NetworkPolicy per component with its declared flows. @internal
 */
export function renderKubernetesPolicies(cell: Cell): any[] {
  return [object<k8s.KubeNetworkPolicyProps>('networking.k8s.io/v1', 'NetworkPolicy', {
    metadata: {
      name: 'cell-baseline',
      namespace: cell.namespace,
      labels: cellLabels(cell),
    },
    spec: {
      podSelector: {},
      policyTypes: ['Ingress', 'Egress'],
      egress: [dnsEgress(cell.network.dnsPods)],
    },
  })];
}

function dnsEgress(dns: PodPeer): Plain<k8s.NetworkPolicyEgressRule> {
  return {
    to: [{ namespaceSelector: { matchLabels: { [NAMESPACE_NAME]: dns.namespace } }, podSelector: { matchLabels: dns.labels } }],
    ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
  };
}

/**
 * A policy for pods of a platform namespace (the build namespace): default deny in both
 * directions for the pods `podLabels` selects (every pod when empty), egress to the cluster DNS
 * when `dns` is given, then the `egress` rules; no ingress. @internal
 */
export function renderKubernetesEgressPolicy(
  metadata: { name: string; namespace: string; labels: Record<string, string>; annotations?: Record<string, string> },
  podLabels: Record<string, string>, egress: PlanNetworkRule[], dns?: PodPeer,
): any {
  return object<k8s.KubeNetworkPolicyProps>('networking.k8s.io/v1', 'NetworkPolicy', {
    metadata,
    spec: {
      podSelector: Object.keys(podLabels).length > 0 ? { matchLabels: podLabels } : {},
      policyTypes: ['Ingress', 'Egress'],
      egress: [...(dns ? [dnsEgress(dns)] : []), ...egress.map(r => ({ to: peers(r.peer), ...ports(r) }))],
    },
  });
}

/** The component's own policy. @internal */
export function renderKubernetesComponentPolicy(cell: Cell, c: PlanComponent): any {
  return object<k8s.KubeNetworkPolicyProps>('networking.k8s.io/v1', 'NetworkPolicy', {
    metadata: componentMetadata(cell, c, `openchoreo-${c.name}`),
    spec: {
      podSelector: { matchLabels: c.labels },
      policyTypes: ['Ingress', 'Egress'],
      ingress: c.network.ingress.map(r => ({ from: peers(r.peer), ...ports(r) })),
      egress: c.network.egress.map(r => ({ to: peers(r.peer), ...ports(r) })),
    },
  });
}

/** A policy for pods that `selector` picks (a managed resource's pods), with its ingress and egress rules. @internal */
export function renderKubernetesSelectedPolicy(
  metadata: { name: string; namespace: string; labels: Record<string, string> }, selector: Plain<k8s.LabelSelector>,
  ingress: PlanNetworkRule[], egress: PlanNetworkRule[],
): any {
  return object<k8s.KubeNetworkPolicyProps>('networking.k8s.io/v1', 'NetworkPolicy', {
    metadata,
    spec: {
      podSelector: selector,
      policyTypes: ['Ingress', 'Egress'],
      ingress: ingress.map(r => ({ from: peers(r.peer), ...ports(r) })),
      egress: egress.map(r => ({ to: peers(r.peer), ...ports(r) })),
    },
  });
}

function peers(peer: PlanPeer): Array<Plain<k8s.NetworkPolicyPeer>> {
  switch (peer.kind) {
    case 'pods': return [{ namespaceSelector: { matchLabels: { [NAMESPACE_NAME]: peer.namespace! } }, podSelector: { matchLabels: peer.labels } }];
    case 'namespace': return [{ namespaceSelector: { matchLabels: { [NAMESPACE_NAME]: peer.namespace! } } }];
    case 'cells': return [{ namespaceSelector: { matchLabels: peer.namespaceLabels } }];
    case 'cidrs': return peer.cidrs!.map(cidr => ({ ipBlock: { cidr } }));
    case 'anywhere': return [{ ipBlock: { cidr: '0.0.0.0/0' } }];
    default: throw new Error(`peer kind ${peer.kind} cannot be expressed as a NetworkPolicy peer`);
  }
}

function ports(rule: PlanNetworkRule): { ports?: Array<Plain<k8s.NetworkPolicyPort>> } {
  if (rule.ports.length === 0) return {};
  return { ports: rule.ports.map(p => ({ protocol: p.protocol, port: p.port })) };
}
