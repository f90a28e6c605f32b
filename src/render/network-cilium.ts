import { cellLabels, componentMetadata } from './metadata';
import { CiliumNetworkPolicy, CiliumNetworkPolicySpecEgressToPortsPortsProtocol } from '../imports/cilium.io';
import { PodPeer } from '../model/network';
import { Cell, PlanComponent, PlanNetworkRule, PlanPeer } from '../resolve/plan';

const NAMESPACE_KEY = 'k8s:io.kubernetes.pod.namespace';
const NAMESPACE_LABEL_PREFIX = 'k8s:io.cilium.k8s.namespace.labels.';

/**
 * Cilium back-end: a cell baseline (default deny both ways, DNS to the cluster DNS with Cilium's
 * DNS proxy so FQDN rules work) and one CiliumNetworkPolicy per component with exactly its
 * declared flows. @internal
 */
export function renderCiliumPolicies(cell: Cell): any[] {
  // The JSON `CiliumNetworkPolicy.manifest()` makes of these props, written directly (its generated
  // conversion, once per cell, orders fields alphabetically: egress, enableDefaultDeny, endpointSelector).
  return [{
    apiVersion: CiliumNetworkPolicy.GVK.apiVersion,
    kind: CiliumNetworkPolicy.GVK.kind,
    metadata: { name: 'cell-baseline', namespace: cell.namespace, labels: cellLabels(cell) },
    spec: {
      egress: [dnsEgress(cell.network.dnsPods)],
      enableDefaultDeny: { egress: true, ingress: true },
      endpointSelector: {},
    },
  }];
}

/** Egress to the cluster DNS, through Cilium's DNS proxy (which FQDN rules need). */
function dnsEgress(dns: PodPeer) {
  return {
    toEndpoints: [{ matchLabels: { [NAMESPACE_KEY]: dns.namespace, ...dns.labels } }],
    toPorts: [{
      ports: [
        { port: '53', protocol: CiliumNetworkPolicySpecEgressToPortsPortsProtocol.UDP },
        { port: '53', protocol: CiliumNetworkPolicySpecEgressToPortsPortsProtocol.TCP },
      ],
      rules: { dns: [{ matchPattern: '*' }] },
    }],
  };
}

/**
 * A policy for pods of a platform namespace (the build namespace): default deny in both
 * directions for the pods `podLabels` selects (every pod of the namespace when empty), egress to
 * the cluster DNS when `dns` is given, then the `egress` rules; no ingress. Plain JSON, like the
 * component policies. @internal
 */
export function renderCiliumEgressPolicy(
  metadata: { name: string; namespace: string; labels: Record<string, string>; annotations?: Record<string, string> },
  podLabels: Record<string, string>, egress: PlanNetworkRule[], dns?: PodPeer,
): any {
  return closedPolicy(metadata, Object.keys(podLabels).length > 0 ? { matchLabels: podLabels } : {}, {
    egress: [...(dns ? [dnsEgress(dns)] : []), ...egress.map(r => egressRule(r))],
  });
}

/** A CiliumNetworkPolicy closed both ways for the pods `endpointSelector` picks, with `rules`. */
function closedPolicy(metadata: object, endpointSelector: object, rules: { ingress?: object[]; egress: object[] }): any {
  return {
    apiVersion: 'cilium.io/v2',
    kind: 'CiliumNetworkPolicy',
    metadata,
    spec: { endpointSelector, enableDefaultDeny: { ingress: true, egress: true }, ...rules },
  };
}

/**
 * The component's own policy. Written as plain JSON (cilium.io field names such as `toFQDNs`,
 * which the generated bindings rename), one per component and environment, so no conversion pass
 * runs per object; the test suite validates every one against the CRD schema. @internal
 */
export function renderCiliumComponentPolicy(cell: Cell, c: PlanComponent): any {
  return {
    apiVersion: 'cilium.io/v2',
    kind: 'CiliumNetworkPolicy',
    metadata: componentMetadata(cell, c, `openchoreo-${c.name}`),
    spec: {
      endpointSelector: { matchLabels: c.labels },
      enableDefaultDeny: { ingress: true, egress: true },
      // empty lists are explicit: the component accepts / sends nothing (the schema needs one present)
      ingress: c.network.ingress.map(r => ingressRule(r)),
      egress: c.network.egress.map(r => egressRule(r)),
    },
  };
}

/** A policy for pods that `endpointSelector` picks (a managed resource's pods), with its ingress and egress rules. @internal */
export function renderCiliumSelectedPolicy(
  metadata: { name: string; namespace: string; labels: Record<string, string> },
  endpointSelector: { matchLabels: Record<string, string>; matchExpressions?: any[] },
  ingress: PlanNetworkRule[], egress: PlanNetworkRule[],
): any {
  return closedPolicy(metadata, endpointSelector, { ingress: ingress.map(r => ingressRule(r)), egress: egress.map(r => egressRule(r)) });
}

function selector(peer: PlanPeer): { matchLabels?: Record<string, string>; matchExpressions?: any[] } {
  switch (peer.kind) {
    case 'pods': return { matchLabels: withNamespace(peer.namespace!, peer.labels!) };
    case 'namespace': return { matchLabels: { [NAMESPACE_KEY]: peer.namespace! } };
    case 'cells': return {
      matchLabels: Object.fromEntries(Object.entries(peer.namespaceLabels!).map(([k, v]) => [NAMESPACE_LABEL_PREFIX + k, v])),
      // a selector without the namespace key would only match the policy's own namespace
      matchExpressions: [{ key: NAMESPACE_KEY, operator: 'Exists' }],
    };
    default: throw new Error(`peer kind ${peer.kind} is not an endpoint selector`);
  }
}

/** The namespace label, then a copy of `labels` (each policy gets its own: manifests are mutable after render). */
function withNamespace(namespace: string, labels: Record<string, string>): Record<string, string> {
  const matchLabels: Record<string, string> = { [NAMESPACE_KEY]: namespace };
  for (const k in labels) matchLabels[k] = labels[k];
  return matchLabels;
}

function ports(rule: PlanNetworkRule) {
  if (rule.ports.length === 0) return undefined;
  const toPorts: { ports: Array<{ port: string; protocol: string }>; rules?: { http: Array<{ method?: string; path?: string }> } } = {
    ports: rule.ports.map(p => ({ port: String(p.port), protocol: p.protocol })),
  };
  if (rule.http) {
    toPorts.rules = {
      http: rule.http.map(h => {
        const match: { method?: string; path?: string } = {};
        if (h.method) match.method = h.method;
        if (h.pathRegex) match.path = h.pathRegex;
        return match;
      }),
    };
  }
  return [toPorts];
}

/** A Cilium rule in its JSON form (the subset we emit). */
interface CiliumRuleJson {
  readonly fromEndpoints?: Array<ReturnType<typeof selector>>;
  readonly toEndpoints?: Array<ReturnType<typeof selector>>;
  readonly toFQDNs?: Array<{ readonly matchName?: string; readonly matchPattern?: string }>;
  readonly toEntities?: string[];
  readonly fromEntities?: string[];
  readonly toCIDRSet?: Array<{ readonly cidr: string }>;
  toPorts?: ReturnType<typeof ports>;
}

// Rules are built peer first, then toPorts when the rule has ports (once per rule of every component policy).
function ingressRule(rule: PlanNetworkRule): CiliumRuleJson {
  const r: CiliumRuleJson = rule.peer.kind === 'host' ? { fromEntities: ['host'] } : { fromEndpoints: [selector(rule.peer)] };
  const toPorts = ports(rule);
  if (toPorts) r.toPorts = toPorts;
  return r;
}

function egressRule(rule: PlanNetworkRule): CiliumRuleJson {
  const r = egressPeer(rule.peer);
  const toPorts = ports(rule);
  if (toPorts) r.toPorts = toPorts;
  return r;
}

function egressPeer(peer: PlanPeer): CiliumRuleJson {
  switch (peer.kind) {
    case 'fqdn': return { toFQDNs: [peer.fqdn!.startsWith('*.') ? { matchPattern: peer.fqdn! } : { matchName: peer.fqdn! }] };
    case 'kube-apiserver': return { toEntities: ['kube-apiserver'] };
    case 'cidrs': return { toCIDRSet: peer.cidrs!.map(cidr => ({ cidr })) };
    case 'anywhere': return { toCIDRSet: [{ cidr: '0.0.0.0/0' }] };
    default: return { toEndpoints: [selector(peer)] };
  }
}
