/**
 * An independent connectivity evaluator: from emitted manifests alone (workloads, namespaces,
 * CiliumNetworkPolicy / CiliumClusterwideNetworkPolicy and networking.k8s.io/v1 NetworkPolicy), it
 * computes which pod → pod and pod → external flows the policies allow. It deliberately shares no
 * code with the model, resolver or renderers, so tests can compare its answer with the declared
 * dependency graph.
 *
 * Model (the semantics below are what the evaluator implements; anything it cannot judge exactly
 * makes it throw an Error naming the policy and the field, never guess):
 *
 * - Pods: every Deployment / StatefulSet / DaemonSet / ReplicaSet / Job (`spec.template`), CronJob
 *   (`spec.jobTemplate.spec.template`) and Pod is one pod identity `${namespace}/${metadata.name}`
 *   (replicas are one identity; a pod never talks to itself), plus `extraPods`. A pod listens on its
 *   containers' `ports` (and those of restartable init containers). Pod IPs are unknown: CIDR /
 *   ipBlock peers never match pods.
 * - Namespaces: labels from Namespace manifests and `extraNamespaces`, plus the implicit
 *   `kubernetes.io/metadata.name: <name>`.
 * - A flow src → dst:port/protocol (dst a listening port of a pod, or an external target) is allowed
 *   iff src's egress allows it and, for pod destinations, dst's ingress allows it.
 * - Per pod and direction, Cilium and Kubernetes policies combine as Cilium enforces them: the pod is
 *   default-deny if any selecting policy of either kind makes it so, and a flow is then allowed iff
 *   any rule of any selecting policy matches the peer and the port. A pod that no policy puts into
 *   default-deny for a direction allows everything in that direction.
 * - Cilium default deny: a policy puts its selected pods into default-deny for a direction iff it has
 *   rules in that direction and `enableDefaultDeny.<dir>` is not `false`, or `enableDefaultDeny.<dir>`
 *   is `true`.
 * - Cilium rules: the L3 peers are the union of `from/toEndpoints`, `from/toCIDR`, `from/toCIDRSet`,
 *   `toFQDNs` (Cilium rejects combining two of these kinds in one rule; so does this evaluator). A rule
 *   with no L3 field but with `toPorts` matches every peer (pods and externals); an empty rule `{}`
 *   matches nothing (Cilium's "default deny" idiom); an explicitly empty list (`fromEndpoints: []`)
 *   matches nothing.
 * - Cilium endpoint selectors see a pod's labels plus `io.kubernetes.pod.namespace`,
 *   `io.cilium.k8s.namespace.labels.<key>` (the namespace's labels) and
 *   `io.cilium.k8s.policy.serviceaccount`; keys may carry a `k8s:` or `any:` source prefix. In a
 *   namespaced CNP, the endpointSelector selects only pods of the policy's namespace, and a peer
 *   selector that does not name the `io.kubernetes.pod.namespace` key (in matchLabels or
 *   matchExpressions) only matches pods of the policy's namespace. In a clusterwide policy neither is
 *   restricted.
 * - Cilium `toPorts`: absent = all ports; each entry's `ports` (empty = all) match by number, named
 *   port (resolved against the destination pod's port names; externals have none), `endPort` range,
 *   `protocol` (absent / ANY = any); port "0" = any port. `rules.http` restricts the requests: the
 *   flow's `l7` lists `${method ?? '*'} ${path ?? '*'}` (plus ` host=…` / ` headers=…` when given),
 *   sorted; an empty HTTP rule `{}` allows every request. If any matching rule allows the peer/port
 *   without HTTP rules, the flow is unrestricted (`l7` undefined) — Cilium documents that an L4 rule
 *   voids a similar L7 rule. `rules.dns` restricts DNS queries only, which are not modelled: the port
 *   is allowed unrestricted.
 * - `toFQDNs`: `matchName` (case-insensitive, trailing dot ignored) and `matchPattern` (`*` matches
 *   zero or more DNS characters within one label; `*` alone matches any name) match an external
 *   target's `fqdn`. CIDR rules (`toCIDR`, `toCIDRSet {cidr, except}`, NetworkPolicy `ipBlock`) match
 *   an external target's IPv4 `ip`; a target with an `fqdn` but no `ip` is matched only by a `/0`
 *   CIDR (its addresses are assumed public and outside every `except`).
 * - Kubernetes NetworkPolicy: selects pods of its namespace by `podSelector`; `policyTypes` defaults
 *   to `[Ingress]`, plus `Egress` when `egress` has rules; a pod is default-deny for a direction iff a
 *   selecting policy lists it. Rules of directions not in `policyTypes` are ignored. A rule with no
 *   (or an empty) `from`/`to` matches every peer, externals included; `podSelector` alone = pods of
 *   the policy's namespace; `namespaceSelector` alone = every pod of the matching namespaces; both =
 *   matching pods in matching namespaces; `ipBlock` = externals by IP as above. `ports` (empty = all)
 *   match by number or named port, `protocol` (default TCP) and `endPort`. No L7.
 * - If both the egress and the ingress side restrict HTTP requests, their lists must be equal (the
 *   intersection of path regular expressions is not computed): otherwise the evaluator throws.
 *
 * Unsupported (throws): `fromEntities` / `toEntities` (non-empty), `ingressDeny` / `egressDeny`,
 * `toServices`, `toGroups`, `from/toRequires`, `from/toNodes`, `icmps`, `authentication`,
 * `nodeSelector`, CIDR groups, TLS / listener settings on `toPorts`, Kafka and generic L7 rules, HTTP
 * `headerMatches`, HTTP rules on a direction that is not default-deny, explicit empty `ingress: []` /
 * `egress: []` without `enableDefaultDeny`, label keys with other sources (`reserved:`, …),
 * `hostNetwork` pods, IPv6 target addresses, AdminNetworkPolicy and unknown policy API versions.
 *
 * @module
 */
import { parseIpv4 } from './cidr';
import { compileCiliumRule, normalizeFqdn } from './connectivity-cilium';
import { memoizingCompilation } from './connectivity-compile-memo';
import { allowedFlows, ExternalDestination } from './connectivity-flows';
import { PodIndex } from './connectivity-index';
import { compileNetworkPolicy } from './connectivity-kubernetes';
import {
  checkPort, compare, CompiledPolicy, CompiledRule, ConnectivityInput, Direction, DirectionState, ExternalPeer, Flow, IMPLICIT_NS_LABEL, Labels,
  Listening, NS_KEY, NS_LABELS_PREFIX, Pod, PodIdentity, PodState, PortSpec, SA_KEY,
} from './connectivity-model';

export type { ConnectivityInput, ExternalTarget, Flow, NamespaceIdentity, PodIdentity, PortSpec } from './connectivity-model';

/** A port a pod listens on. @internal */

const POD_TEMPLATE_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job'];

const POLICY_LIKE_KINDS = [
  'AdminNetworkPolicy', 'BaselineAdminNetworkPolicy', 'ClusterNetworkPolicy', 'GlobalNetworkPolicy',
  'CiliumNetworkPolicy', 'CiliumClusterwideNetworkPolicy', 'NetworkPolicy',
];

/** The kinds the evaluator reads (workloads, Namespaces, policies and Lists of them); it ignores every other manifest. */
const READ_KINDS = new Set([...POD_TEMPLATE_KINDS, 'CronJob', 'Pod', 'Namespace', 'List', ...POLICY_LIKE_KINDS]);

/** Whether `evaluateConnectivity` reads `manifest` (callers may leave out the others). @internal */
export function readsManifest(manifest: any): boolean {
  return READ_KINDS.has(manifest.kind);
}

/**
 * The pod identities of the workloads in `manifests`, sorted by id: Deployments, StatefulSets,
 * DaemonSets, ReplicaSets and Jobs (`spec.template`), CronJobs (`spec.jobTemplate.spec.template`)
 * and bare Pods. id = `${namespace}/${metadata.name}`; labels = the pod template's labels; ports =
 * the containers' ports (protocol default TCP).
 * @internal
 */
export function workloadsOf(manifests: any[]): PodIdentity[] {
  return podIdentitiesOf(flatten(manifests));
}

/** {@link workloadsOf} of manifests already flattened (no Lists). */
function podIdentitiesOf(all: any[]): PodIdentity[] {
  const pods: PodIdentity[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < all.length; i++) {
    const m = all[i];
    let template: any;
    if (POD_TEMPLATE_KINDS.includes(m.kind)) template = m.spec?.template;
    else if (m.kind === 'CronJob') template = m.spec?.jobTemplate?.spec?.template;
    else if (m.kind === 'Pod') template = m;
    else continue;
    const namespace: string = m.metadata?.namespace ?? 'default';
    const id = `${namespace}/${m.metadata?.name}`;
    const where = `${m.kind} ${id}`;
    if (!template?.spec) throw new Error(`connectivity: ${where} has no pod template`);
    if (seen.has(id)) throw new Error(`connectivity: two workloads share the pod identity ${id}`);
    seen.add(id);
    const spec = template.spec;
    if (spec.hostNetwork === true) throw new Error(`connectivity: ${where} uses hostNetwork, which network policies do not govern`);
    // the containers' ports, then those of restartable init containers (sidecars)
    const ports: PortSpec[] = [];
    for (const c of spec.containers ?? NONE) containerPorts(c, where, ports);
    for (const c of spec.initContainers ?? NONE) if (c.restartPolicy === 'Always') containerPorts(c, where, ports);
    const labels = { ...(template.metadata?.labels ?? {}) };
    pods.push(spec.serviceAccountName
      ? { id, namespace, labels, ports, serviceAccount: spec.serviceAccountName }
      : { id, namespace, labels, ports });
  }
  return pods.sort((a, b) => compare(a.id, b.id));
}

const NONE: readonly any[] = [];

/** Adds the ports of container `c` (protocol default TCP) to `ports`. */
function containerPorts(c: any, where: string, ports: PortSpec[]): void {
  for (const p of c.ports ?? NONE) {
    const protocol = p.protocol ?? 'TCP';
    if (protocol !== 'TCP' && protocol !== 'UDP') {
      throw new Error(`connectivity: ${where} container ${c.name} port ${p.containerPort}: protocol ${protocol} is not supported`);
    }
    ports.push(p.name === undefined ? { port: p.containerPort, protocol } : { port: p.containerPort, protocol, name: p.name });
  }
}

/**
 * Every allowed flow, sorted by from, to, port, protocol. See the module comment for the semantics.
 * @internal
 */
export function evaluateConnectivity(input: ConnectivityInput): Flow[] {
  return evaluateConnectivityUnsorted(input).sort(compareFlows);
}

/**
 * Every allowed flow, in no particular order (for a caller that renames the ends and sorts once
 * afterwards; no two flows have the same from, to, port and protocol). @internal
 */
export function evaluateConnectivityUnsorted(input: ConnectivityInput): Flow[] {
  const manifests = flatten(input.manifests);

  // Namespaces and their labels.
  const namespaces = new Map<string, Labels>();
  const nsLabels = (name: string): Labels => namespaces.get(name) ?? { [IMPLICIT_NS_LABEL]: name };
  for (const m of manifests) {
    if (m.kind === 'Namespace') {
      namespaces.set(m.metadata.name, { ...(m.metadata.labels ?? {}), [IMPLICIT_NS_LABEL]: m.metadata.name });
    }
  }
  for (const n of input.extraNamespaces ?? []) {
    namespaces.set(n.name, { ...(namespaces.get(n.name) ?? {}), ...n.labels, [IMPLICIT_NS_LABEL]: n.name });
  }

  // Pods.
  const identities = podIdentitiesOf(manifests);
  for (const p of input.extraPods ?? NONE) identities.push(p);
  const ids = new Set<string>();
  for (const p of identities) {
    if (ids.has(p.id)) throw new Error(`connectivity: duplicate pod id ${p.id}`);
    ids.add(p.id);
    for (const port of p.ports) checkPort(port.port, port.protocol, `pod ${p.id}`);
  }
  // A namespace's labels as Cilium shows them on its pods, built once per namespace (not per pod).
  const ciliumNsLabels = new Map<string, Labels>();
  const pods: Pod[] = identities.map((identity, index) => {
    const ns = nsLabels(identity.namespace);
    let prefixed = ciliumNsLabels.get(identity.namespace);
    if (prefixed === undefined) {
      prefixed = {};
      for (const [k, v] of Object.entries(ns)) prefixed[NS_LABELS_PREFIX + k] = v;
      ciliumNsLabels.set(identity.namespace, prefixed);
    }
    const cilium = ciliumLabels(identity, prefixed);
    return { index, identity, nsLabels: ns, ciliumLabels: cilium, listens: listening(identity.ports) };
  });
  // External targets as peers (address parsed, name normalized) and the port they listen on, once.
  const externals: ExternalDestination[] = [];
  for (const e of input.externals ?? []) {
    if (ids.has(e.id)) throw new Error(`connectivity: external target id ${e.id} is also a pod id`);
    ids.add(e.id);
    if (e.fqdn === undefined && e.ip === undefined) throw new Error(`connectivity: external target ${e.id} needs an fqdn or an ip`);
    const ip = e.ip === undefined ? undefined : parseIpv4(e.ip, `external target ${e.id}`);
    checkPort(e.port, e.protocol, `external target ${e.id}`);
    const peer: ExternalPeer = { target: e, ip, fqdn: e.fqdn === undefined ? undefined : normalizeFqdn(e.fqdn) };
    externals.push({ target: e, peer: { external: peer }, port: { port: e.port, protocol: e.protocol, names: [] } });
  }

  // Policies, compiled (and validated) up front, whether or not they select anything.
  // (rules of the same shape share one compiled peer or port entry: ./connectivity-compile-memo)
  const policies: CompiledPolicy[] = [];
  memoizingCompilation(() => {
    for (let i = 0; i < manifests.length; i++) {
      const compiled = compilePolicy(manifests[i]);
      for (let c = 0; c < (compiled?.length ?? 0); c++) policies.push(compiled![c]);
    }
  });

  // Per pod (by index) and direction: is it default-deny, and which rules apply.
  const index = new PodIndex(pods);
  return allowedFlows(pods, podStates(pods, policies, index), externals, index);
}

/**
 * Per pod (by index) and direction: whether a selecting policy makes it default-deny, and the rules
 * of every selecting policy. Each policy is tried on the pods the index finds for its namespace
 * and label equality (not on every pod of its namespace); a pod's policies stay in declaration
 * order, namespaced ones first, then clusterwide ones.
 */
function podStates(pods: Pod[], policies: CompiledPolicy[], index: PodIndex): PodState[] {
  const selecting: CompiledPolicy[][] = new Array(pods.length);
  for (let i = 0; i < pods.length; i++) selecting[i] = [];
  const select = (p: CompiledPolicy) => {
    const candidates = index.candidates(p);
    for (let c = 0; c < candidates.length; c++) if (p.selects(candidates[c])) selecting[candidates[c].index].push(p);
  };
  for (let i = 0; i < policies.length; i++) if (policies[i].namespace !== undefined) select(policies[i]);
  for (let i = 0; i < policies.length; i++) if (policies[i].namespace === undefined) select(policies[i]);
  return pods.map(pod => {
    const own = selecting[pod.index];
    return { ingress: directionState(pod, own, 'ingress'), egress: directionState(pod, own, 'egress') };
  });
}

function directionState(pod: Pod, selecting: CompiledPolicy[], dir: Direction): DirectionState {
  if (selecting.length === 0) return OPEN;
  let isolated = false;
  let http: CompiledPolicy | undefined;
  for (let i = 0; i < selecting.length; i++) {
    const d = selecting[i][dir];
    isolated = isolated || d.defaultDeny;
    if (http === undefined && d.hasHttp) http = selecting[i];
  }
  if (!isolated && http) {
    throw new Error(`connectivity: ${http.where}: HTTP rules on ${dir} of ${pod.identity.id}, which no policy puts into default-deny, are not supported`);
  }
  if (selecting.length === 1) return { isolated, rules: selecting[0][dir].rules };
  const rules: CompiledRule[] = [];
  for (let i = 0; i < selecting.length; i++) {
    const own = selecting[i][dir].rules;
    for (let r = 0; r < own.length; r++) rules.push(own[r]);
  }
  return { isolated, rules };
}

/** The state of a direction no policy selects the pod for (shared: states are only read). */
const OPEN: DirectionState = Object.freeze({ isolated: false, rules: [] });

/** Total order on flows: from, to, port, protocol. @internal */
export function compareFlows(a: Flow, b: Flow): number {
  return compare(a.from, b.from) || compare(a.to, b.to) || a.port - b.port || compare(a.protocol, b.protocol);
}

/**
 * A pod's labels as Cilium selectors see them: its own labels, overridden by its namespace's
 * (`prefixed`, shared by the namespace's pods as the prototype: selectors read labels with `[]`
 * and `in`, which see it), overridden by the namespace and service-account keys. The same answers
 * as one merged object, without a ~2 KB dictionary-mode object per pod.
 */
function ciliumLabels(identity: PodIdentity, prefixed: Labels): Labels {
  const cilium: Labels = Object.assign(Object.create(prefixed), identity.labels);
  for (const k in identity.labels) {
    if (Object.prototype.hasOwnProperty.call(identity.labels, k) && Object.prototype.hasOwnProperty.call(prefixed, k)) cilium[k] = prefixed[k];
  }
  cilium[NS_KEY] = identity.namespace;
  cilium[SA_KEY] = identity.serviceAccount ?? 'default';
  return cilium;
}

/** A pod's distinct ports (with their names), sorted by port and protocol; a pod has a few, so a list, not a map. */
function listening(ports: PortSpec[]): Listening[] {
  const out: Array<{ port: number; protocol: 'TCP' | 'UDP'; names: string[] }> = [];
  for (let i = 0; i < ports.length; i++) {
    const p = ports[i];
    let entry = out.find(e => e.port === p.port && e.protocol === p.protocol);
    if (entry === undefined) out.push(entry = { port: p.port, protocol: p.protocol, names: [] });
    if (p.name !== undefined && !entry.names.includes(p.name)) entry.names.push(p.name);
  }
  return out.length < 2 ? out : out.sort((a, b) => a.port - b.port || compare(a.protocol, b.protocol));
}

// ---------------------------------------------------------------------------------------------
// Policy compilation

function compilePolicy(m: any): CompiledPolicy[] | undefined {
  if (!POLICY_LIKE_KINDS.includes(m.kind)) return undefined;
  const where = `${m.kind} ${m.metadata?.namespace ? `${m.metadata.namespace}/` : ''}${m.metadata?.name}`;
  if (m.kind === 'NetworkPolicy' && m.apiVersion === 'networking.k8s.io/v1') return [compileNetworkPolicy(m, where)];
  if ((m.kind === 'CiliumNetworkPolicy' || m.kind === 'CiliumClusterwideNetworkPolicy') && m.apiVersion === 'cilium.io/v2') {
    const clusterwide = m.kind === 'CiliumClusterwideNetworkPolicy';
    const namespace: string | undefined = clusterwide ? undefined : (m.metadata?.namespace ?? 'default');
    const specs: Array<{ spec: any; path: string }> = [];
    if (m.spec !== undefined) specs.push({ spec: m.spec, path: 'spec' });
    (m.specs ?? []).forEach((s: any, i: number) => specs.push({ spec: s, path: `specs[${i}]` }));
    if (specs.length === 0) throw new Error(`connectivity: ${where}: has neither spec nor specs`);
    return specs.map(s => compileCiliumRule(s.spec, namespace, where, s.path));
  }
  throw new Error(`connectivity: ${where} (${m.apiVersion}) is not supported by the connectivity evaluator`);
}

// ---------------------------------------------------------------------------------------------
// Helpers

function flatten(manifests: any[]): any[] {
  const out: any[] = [];
  const list = manifests ?? [];
  for (let i = 0; i < list.length; i++) {
    const m = list[i];
    if (m === null || m === undefined || typeof m !== 'object') continue;
    if (m.kind === 'List' && Array.isArray(m.items)) out.push(...flatten(m.items));
    else out.push(m);
  }
  return out;
}

