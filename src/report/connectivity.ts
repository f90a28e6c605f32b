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

/** A port a pod listens on. @internal */
export interface PortSpec {
  readonly port: number;
  readonly protocol: 'TCP' | 'UDP';
  /** The container port's name, for named-port rules. */
  readonly name?: string;
}

/** One pod identity (all replicas of a workload). @internal */
export interface PodIdentity {
  /** `${namespace}/${name}`. */
  readonly id: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  /** The ports it listens on. */
  readonly ports: PortSpec[];
  /** Its service account (only Cilium's `io.cilium.k8s.policy.serviceaccount` selector key reads it). @default 'default' */
  readonly serviceAccount?: string;
}

/** A destination outside the cluster. At least one of `fqdn` and `ip` is required. @internal */
export interface ExternalTarget {
  readonly id: string;
  readonly fqdn?: string;
  /** IPv4 address. */
  readonly ip?: string;
  readonly port: number;
  readonly protocol: 'TCP' | 'UDP';
}

/** A namespace not in the manifests. @internal */
export interface NamespaceIdentity {
  readonly name: string;
  readonly labels: Record<string, string>;
}

/** One allowed flow. @internal */
export interface Flow {
  /** Source pod id. */
  readonly from: string;
  /** Destination pod id or external target id. */
  readonly to: string;
  readonly port: number;
  readonly protocol: string;
  /** The only HTTP requests allowed (sorted), e.g. `GET /orders(/.*)?`; absent = all traffic on the port. */
  readonly l7?: string[];
}

/** @internal */
export interface ConnectivityInput {
  /** Everything emitted; kinds other than workloads, Namespaces and network policies are ignored. */
  readonly manifests: any[];
  /** Pods not in the manifests (gateway proxies, cluster DNS, …). */
  readonly extraPods?: PodIdentity[];
  /** Namespaces not in the manifests (their labels). */
  readonly extraNamespaces?: NamespaceIdentity[];
  /** External destinations to probe. */
  readonly externals?: ExternalTarget[];
}

type Labels = Record<string, string>;
type Direction = 'ingress' | 'egress';

const NS_KEY = 'io.kubernetes.pod.namespace';
const NS_LABELS_PREFIX = 'io.cilium.k8s.namespace.labels.';
const SA_KEY = 'io.cilium.k8s.policy.serviceaccount';
const CILIUM_POLICY_PREFIX = 'io.cilium.k8s.policy.';
const IMPLICIT_NS_LABEL = 'kubernetes.io/metadata.name';

const POD_TEMPLATE_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job'];

/**
 * The pod identities of the workloads in `manifests`, sorted by id: Deployments, StatefulSets,
 * DaemonSets, ReplicaSets and Jobs (`spec.template`), CronJobs (`spec.jobTemplate.spec.template`)
 * and bare Pods. id = `${namespace}/${metadata.name}`; labels = the pod template's labels; ports =
 * the containers' ports (protocol default TCP).
 * @internal
 */
export function workloadsOf(manifests: any[]): PodIdentity[] {
  const pods: PodIdentity[] = [];
  const seen = new Set<string>();
  for (const m of flatten(manifests)) {
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
    const containers: any[] = [
      ...(spec.containers ?? []),
      ...(spec.initContainers ?? []).filter((c: any) => c.restartPolicy === 'Always'),
    ];
    const ports: PortSpec[] = [];
    for (const c of containers) {
      for (const p of c.ports ?? []) {
        const protocol = p.protocol ?? 'TCP';
        if (protocol !== 'TCP' && protocol !== 'UDP') {
          throw new Error(`connectivity: ${where} container ${c.name} port ${p.containerPort}: protocol ${protocol} is not supported`);
        }
        ports.push(p.name === undefined ? { port: p.containerPort, protocol } : { port: p.containerPort, protocol, name: p.name });
      }
    }
    const pod: PodIdentity = { id, namespace, labels: { ...(template.metadata?.labels ?? {}) }, ports };
    pods.push(spec.serviceAccountName ? { ...pod, serviceAccount: spec.serviceAccountName } : pod);
  }
  return pods.sort((a, b) => compare(a.id, b.id));
}

/**
 * Every allowed flow, sorted by from, to, port, protocol. See the module comment for the semantics.
 * @internal
 */
export function evaluateConnectivity(input: ConnectivityInput): Flow[] {
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
  const identities = [...workloadsOf(manifests), ...(input.extraPods ?? [])];
  const ids = new Set<string>();
  for (const p of identities) {
    if (ids.has(p.id)) throw new Error(`connectivity: duplicate pod id ${p.id}`);
    ids.add(p.id);
    for (const port of p.ports) checkPort(port.port, port.protocol, `pod ${p.id}`);
  }
  const pods: Pod[] = identities.map(identity => {
    const ns = nsLabels(identity.namespace);
    const cilium: Labels = { ...identity.labels };
    for (const [k, v] of Object.entries(ns)) cilium[NS_LABELS_PREFIX + k] = v;
    cilium[NS_KEY] = identity.namespace;
    cilium[SA_KEY] = identity.serviceAccount ?? 'default';
    return { identity, nsLabels: ns, ciliumLabels: cilium, listens: listening(identity.ports) };
  });
  const externals = [...(input.externals ?? [])];
  for (const e of externals) {
    if (ids.has(e.id)) throw new Error(`connectivity: external target id ${e.id} is also a pod id`);
    ids.add(e.id);
    if (e.fqdn === undefined && e.ip === undefined) throw new Error(`connectivity: external target ${e.id} needs an fqdn or an ip`);
    if (e.ip !== undefined) parseIpv4(e.ip, `external target ${e.id}`);
    checkPort(e.port, e.protocol, `external target ${e.id}`);
  }

  // Policies, compiled (and validated) up front, whether or not they select anything.
  const policies: CompiledPolicy[] = [];
  for (const m of manifests) {
    const compiled = compilePolicy(m);
    if (compiled) policies.push(...compiled);
  }

  // Per pod and direction: is it default-deny, and which rules apply.
  const states = new Map<string, PodState>();
  const policiesByNamespace = new Map<string, CompiledPolicy[]>();
  const clusterwide: CompiledPolicy[] = [];
  for (const p of policies) {
    if (p.namespace === undefined) clusterwide.push(p);
    else if (policiesByNamespace.has(p.namespace)) policiesByNamespace.get(p.namespace)!.push(p);
    else policiesByNamespace.set(p.namespace, [p]);
  }
  for (const pod of pods) {
    // declaration order is kept: namespaced policies, then clusterwide ones
    const selecting = [...(policiesByNamespace.get(pod.identity.namespace) ?? []), ...clusterwide].filter(p => p.selects(pod));
    const side = (dir: Direction): DirectionState => {
      const isolated = selecting.some(p => p[dir].defaultDeny);
      const http = selecting.find(p => p[dir].hasHttp);
      if (!isolated && http) {
        throw new Error(`connectivity: ${http.where}: HTTP rules on ${dir} of ${pod.identity.id}, which no policy puts into default-deny, are not supported`);
      }
      return { isolated, rules: selecting.flatMap(p => p[dir].rules) };
    };
    states.set(pod.identity.id, { ingress: side('ingress'), egress: side('egress') });
  }

  const podsByNamespace = new Map<string, Pod[]>();
  for (const pod of pods) {
    if (podsByNamespace.has(pod.identity.namespace)) podsByNamespace.get(pod.identity.namespace)!.push(pod);
    else podsByNamespace.set(pod.identity.namespace, [pod]);
  }
  /** Destinations worth checking: with isolated egress, only pods in the namespaces its rules can reach. */
  const candidates = (state: DirectionState): Pod[] => {
    if (!state.isolated) return pods;
    const scopes = new Set<string>();
    for (const rule of state.rules) {
      if (rule.podNamespaces === undefined) return pods;
      rule.podNamespaces.forEach(n => scopes.add(n));
    }
    return [...scopes].flatMap(n => podsByNamespace.get(n) ?? []);
  };

  const flows: Flow[] = [];
  for (const src of pods) {
    const srcState = states.get(src.identity.id)!;
    for (const dst of candidates(srcState.egress)) {
      if (dst.identity.id === src.identity.id) continue;
      const dstState = states.get(dst.identity.id)!;
      for (const port of dst.listens) {
        const out = decide(srcState.egress, { pod: dst }, port);
        if (!out) continue;
        const inn = decide(dstState.ingress, { pod: src }, port);
        if (!inn) continue;
        const l7 = combineL7(out.l7, inn.l7, `${src.identity.id} → ${dst.identity.id}:${port.port}/${port.protocol}`);
        flows.push(flow(src.identity.id, dst.identity.id, port.port, port.protocol, l7));
      }
    }
    for (const target of externals) {
      const port: Listening = { port: target.port, protocol: target.protocol, names: [] };
      const out = decide(srcState.egress, { external: target }, port);
      if (out) flows.push(flow(src.identity.id, target.id, target.port, target.protocol, out.l7));
    }
  }
  return flows.sort(compareFlows);
}

/** Total order on flows: from, to, port, protocol. @internal */
export function compareFlows(a: Flow, b: Flow): number {
  return compare(a.from, b.from) || compare(a.to, b.to) || a.port - b.port || compare(a.protocol, b.protocol);
}

// ---------------------------------------------------------------------------------------------
// Evaluation

interface Listening {
  readonly port: number;
  readonly protocol: 'TCP' | 'UDP';
  readonly names: string[];
}

interface Pod {
  readonly identity: PodIdentity;
  readonly nsLabels: Labels;
  readonly ciliumLabels: Labels;
  readonly listens: Listening[];
}

/** The other end of a flow, seen from the pod whose policy is evaluated. */
interface Peer {
  readonly pod?: Pod;
  readonly external?: ExternalTarget;
}

interface PortMatch {
  /** undefined = any protocol. */
  readonly protocol?: string;
  /** undefined (and no name) = any port. */
  readonly port?: number;
  readonly endPort?: number;
  readonly name?: string;
}

interface PortEntry {
  /** Empty = all ports. */
  readonly ports: PortMatch[];
  /** undefined = every request. */
  readonly l7?: string[];
}

interface CompiledRule {
  readonly peer: (peer: Peer) => boolean;
  readonly entries: PortEntry[];
  /**
   * The only namespaces whose pods `peer` can match (an index, so that large platforms are not
   * evaluated pair by pair); undefined = pods of any namespace.
   */
  readonly podNamespaces?: string[];
}

interface CompiledDirection {
  readonly defaultDeny: boolean;
  readonly hasHttp: boolean;
  readonly rules: CompiledRule[];
}

interface CompiledPolicy {
  readonly where: string;
  /** The namespace whose pods it may select; undefined for clusterwide policies. */
  readonly namespace?: string;
  readonly selects: (pod: Pod) => boolean;
  readonly ingress: CompiledDirection;
  readonly egress: CompiledDirection;
}

interface DirectionState {
  readonly isolated: boolean;
  readonly rules: CompiledRule[];
}

interface PodState {
  readonly ingress: DirectionState;
  readonly egress: DirectionState;
}

interface Verdict {
  readonly l7?: string[];
}

const ALL_PORTS: PortEntry[] = [{ ports: [] }];

function decide(state: DirectionState, peer: Peer, port: Listening): Verdict | undefined {
  if (!state.isolated) return {};
  let allowed = false;
  let unrestricted = false;
  const requests = new Set<string>();
  for (const rule of state.rules) {
    if (!rule.peer(peer)) continue;
    for (const entry of rule.entries) {
      if (entry.ports.length > 0 && !entry.ports.some(m => portMatches(m, port))) continue;
      allowed = true;
      if (entry.l7 === undefined) unrestricted = true;
      else entry.l7.forEach(r => requests.add(r));
    }
  }
  if (!allowed) return undefined;
  return unrestricted ? {} : { l7: [...requests].sort(compare) };
}

function portMatches(m: PortMatch, port: Listening): boolean {
  if (m.protocol !== undefined && m.protocol !== port.protocol) return false;
  if (m.name !== undefined) return port.names.includes(m.name);
  if (m.port === undefined) return true;
  return port.port >= m.port && port.port <= (m.endPort ?? m.port);
}

function combineL7(egress: string[] | undefined, ingress: string[] | undefined, what: string): string[] | undefined {
  if (egress === undefined) return ingress;
  if (ingress === undefined) return egress;
  if (egress.join('\n') === ingress.join('\n')) return egress;
  throw new Error(`connectivity: ${what}: egress allows HTTP [${egress.join(', ')}] and ingress allows [${ingress.join(', ')}]; `
    + 'the evaluator does not intersect differing HTTP rule sets');
}

function flow(from: string, to: string, port: number, protocol: string, l7: string[] | undefined): Flow {
  return l7 === undefined ? { from, to, port, protocol } : { from, to, port, protocol, l7 };
}

function listening(ports: PortSpec[]): Listening[] {
  const byKey = new Map<string, { port: number; protocol: 'TCP' | 'UDP'; names: string[] }>();
  for (const p of ports) {
    const key = `${p.protocol}/${p.port}`;
    const entry = byKey.get(key) ?? { port: p.port, protocol: p.protocol, names: [] };
    if (p.name !== undefined && !entry.names.includes(p.name)) entry.names.push(p.name);
    byKey.set(key, entry);
  }
  return [...byKey.values()].sort((a, b) => a.port - b.port || compare(a.protocol, b.protocol));
}

// ---------------------------------------------------------------------------------------------
// Policy compilation

const POLICY_LIKE_KINDS = [
  'AdminNetworkPolicy', 'BaselineAdminNetworkPolicy', 'ClusterNetworkPolicy', 'GlobalNetworkPolicy',
  'CiliumNetworkPolicy', 'CiliumClusterwideNetworkPolicy', 'NetworkPolicy',
];

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

function unsupported(where: string, path: string, why?: string): Error {
  return new Error(`connectivity: ${where}: ${path} is not supported by the connectivity evaluator${why ? ` (${why})` : ''}`);
}

function checkKeys(obj: any, allowed: string[], where: string, path: string): void {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) throw new Error(`connectivity: ${where}: ${path} must be an object`);
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) throw unsupported(where, `${path}.${key}`);
  }
}

function list(value: any, where: string, path: string): any[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw new Error(`connectivity: ${where}: ${path} must be a list`);
  return value;
}

// --- Cilium

const CILIUM_SPEC_KEYS = ['endpointSelector', 'ingress', 'egress', 'enableDefaultDeny', 'description', 'labels', 'log'];
const CILIUM_INGRESS_KEYS = ['fromEndpoints', 'fromCIDR', 'fromCIDRSet', 'fromEntities', 'toPorts'];
const CILIUM_EGRESS_KEYS = ['toEndpoints', 'toCIDR', 'toCIDRSet', 'toFQDNs', 'toEntities', 'toPorts'];

function compileCiliumRule(spec: any, namespace: string | undefined, where: string, path: string): CompiledPolicy {
  checkKeys(spec, CILIUM_SPEC_KEYS, where, path);
  if (spec.endpointSelector === undefined) throw new Error(`connectivity: ${where}: ${path}.endpointSelector is required`);
  const subject = compileCiliumSelector(spec.endpointSelector, where, `${path}.endpointSelector`);
  const edd = spec.enableDefaultDeny ?? {};
  checkKeys(edd, ['ingress', 'egress'], where, `${path}.enableDefaultDeny`);

  const direction = (dir: Direction): CompiledDirection => {
    const rules = list(spec[dir], where, `${path}.${dir}`);
    const explicit: boolean | undefined = edd[dir];
    if (rules !== undefined && rules.length === 0 && explicit === undefined) {
      throw unsupported(where, `${path}.${dir}: []`, `ambiguous default deny; use enableDefaultDeny.${dir} or [{}]`);
    }
    const compiled = (rules ?? []).map((r, i) => compileCiliumTrafficRule(r, dir, namespace, where, `${path}.${dir}[${i}]`));
    const hasRules = (rules ?? []).length > 0;
    return {
      defaultDeny: explicit === true || (hasRules && explicit !== false),
      hasHttp: compiled.some(c => c.hasHttp),
      rules: compiled.map(c => c.rule),
    };
  };
  return {
    where,
    namespace,
    selects: pod => (namespace === undefined || pod.identity.namespace === namespace) && subject(pod.ciliumLabels),
    ingress: direction('ingress'),
    egress: direction('egress'),
  };
}

function compileCiliumTrafficRule(
  rule: any, dir: Direction, namespace: string | undefined, where: string, path: string,
): { rule: CompiledRule; hasHttp: boolean } {
  checkKeys(rule, dir === 'ingress' ? CILIUM_INGRESS_KEYS : CILIUM_EGRESS_KEYS, where, path);
  const p = dir === 'ingress' ? 'from' : 'to';
  const endpoints = list(rule[`${p}Endpoints`], where, `${path}.${p}Endpoints`);
  const cidr = list(rule[`${p}CIDR`], where, `${path}.${p}CIDR`);
  const cidrSet = list(rule[`${p}CIDRSet`], where, `${path}.${p}CIDRSet`);
  const entities = list(rule[`${p}Entities`], where, `${path}.${p}Entities`);
  const fqdns = dir === 'egress' ? list(rule.toFQDNs, where, `${path}.toFQDNs`) : undefined;
  if (entities !== undefined && entities.length > 0) throw unsupported(where, `${path}.${p}Entities`);

  const l3 = { [`${p}Endpoints`]: endpoints, [`${p}CIDR`]: cidr, [`${p}CIDRSet`]: cidrSet, [`${p}Entities`]: entities, toFQDNs: fqdns };
  const nonEmpty = Object.entries(l3).filter(([, v]) => v !== undefined && v.length > 0).map(([k]) => k);
  if (nonEmpty.length > 1) throw unsupported(where, path, `Cilium rejects combining ${nonEmpty[0]} and ${nonEmpty[1]} in one rule`);

  const matchers: Array<(peer: Peer) => boolean> = [];
  let podNamespaces: string[] | undefined = [];
  (endpoints ?? []).forEach((sel, i) => {
    const epPath = `${path}.${p}Endpoints[${i}]`;
    const matches = compileCiliumSelector(sel, where, epPath);
    const pinned = namespace !== undefined && !selectorNamesKey(sel, NS_KEY);
    const named = sel?.matchLabels?.[`k8s:${NS_KEY}`] ?? sel?.matchLabels?.[NS_KEY];
    const scope = pinned ? namespace : named;
    podNamespaces = scope === undefined || podNamespaces === undefined ? undefined : [...podNamespaces, scope];
    matchers.push(peer => peer.pod !== undefined && (!pinned || peer.pod.identity.namespace === namespace) && matches(peer.pod.ciliumLabels));
  });
  (cidr ?? []).forEach((c, i) => {
    const block = parseCidr(c, where, `${path}.${p}CIDR[${i}]`);
    matchers.push(peer => peer.external !== undefined && cidrMatches(block, [], peer.external));
  });
  (cidrSet ?? []).forEach((s, i) => {
    const setPath = `${path}.${p}CIDRSet[${i}]`;
    checkKeys(s, ['cidr', 'except'], where, setPath);
    if (s.cidr === undefined) throw new Error(`connectivity: ${where}: ${setPath}.cidr is required`);
    const block = parseCidr(s.cidr, where, `${setPath}.cidr`);
    const except = (list(s.except, where, `${setPath}.except`) ?? []).map((e, j) => parseCidr(e, where, `${setPath}.except[${j}]`));
    matchers.push(peer => peer.external !== undefined && cidrMatches(block, except, peer.external));
  });
  (fqdns ?? []).forEach((f, i) => {
    const fqdnPath = `${path}.toFQDNs[${i}]`;
    const matches = compileFqdnSelector(f, where, fqdnPath);
    matchers.push(peer => peer.external?.fqdn !== undefined && matches(peer.external.fqdn));
  });

  const toPorts = list(rule.toPorts, where, `${path}.toPorts`);
  const anyL3Field = Object.values(l3).some(v => v !== undefined);
  let peer: (x: Peer) => boolean;
  if (anyL3Field) {peer = x => matchers.some(m => m(x));} else if (toPorts !== undefined && toPorts.length > 0) {
    peer = () => true; // L4-only rule: any L3 peer
    podNamespaces = undefined;
  } else {peer = () => false;} // empty rule {}: default deny without allowing anything

  let hasHttp = false;
  let entries: PortEntry[] = ALL_PORTS;
  if (toPorts !== undefined && toPorts.length > 0) {
    entries = toPorts.map((tp, i) => {
      const entry = compileCiliumPortRule(tp, dir, where, `${path}.toPorts[${i}]`);
      hasHttp = hasHttp || entry.http;
      return entry.entry;
    });
  }
  return { rule: { peer, entries, podNamespaces }, hasHttp };
}

function compileCiliumPortRule(tp: any, dir: Direction, where: string, path: string): { entry: PortEntry; http: boolean } {
  checkKeys(tp, ['ports', 'rules'], where, path);
  const ports = (list(tp.ports, where, `${path}.ports`) ?? []).map((pp, i) => {
    const ppPath = `${path}.ports[${i}]`;
    checkKeys(pp, ['port', 'endPort', 'protocol'], where, ppPath);
    const protocol = pp.protocol === undefined || pp.protocol === '' || pp.protocol === 'ANY' ? undefined : pp.protocol;
    if (protocol !== undefined && !['TCP', 'UDP', 'SCTP'].includes(protocol)) throw unsupported(where, `${ppPath}.protocol ${protocol}`);
    if (pp.port === undefined) throw new Error(`connectivity: ${where}: ${ppPath}.port is required`);
    const raw = String(pp.port);
    if (/^[0-9]+$/.test(raw)) {
      const port = Number(raw);
      if (port > 65535) throw new Error(`connectivity: ${where}: ${ppPath}.port ${raw} is out of range`);
      const endPort = pp.endPort === undefined ? undefined : Number(pp.endPort);
      if (endPort !== undefined && (!Number.isInteger(endPort) || endPort < port || port === 0)) {
        throw new Error(`connectivity: ${where}: ${ppPath}.endPort ${pp.endPort} is invalid for port ${raw}`);
      }
      const m: PortMatch = port === 0 ? { protocol } : { protocol, port, endPort };
      return m;
    }
    if (pp.endPort !== undefined) throw new Error(`connectivity: ${where}: ${ppPath}.endPort needs a numeric port`);
    const m: PortMatch = { protocol, name: raw };
    return m;
  });
  let l7: string[] | undefined;
  let http = false;
  if (tp.rules !== undefined) {
    checkKeys(tp.rules, ['http', 'dns'], where, `${path}.rules`);
    const httpRules = list(tp.rules.http, where, `${path}.rules.http`);
    const dnsRules = list(tp.rules.dns, where, `${path}.rules.dns`);
    if ((httpRules ?? []).length > 0 && (dnsRules ?? []).length > 0) {
      throw unsupported(where, `${path}.rules`, 'Cilium rejects mixing http and dns rules on one port');
    }
    if (dnsRules !== undefined && dnsRules.length > 0) {
      if (dir === 'ingress') throw unsupported(where, `${path}.rules.dns`, 'Cilium rejects DNS rules on ingress');
      dnsRules.forEach((d, i) => compileFqdnSelector(d, where, `${path}.rules.dns[${i}]`)); // validation only
    }
    if (httpRules !== undefined && httpRules.length > 0) {
      http = true;
      const requests = httpRules.map((h, i) => httpRequest(h, where, `${path}.rules.http[${i}]`));
      l7 = requests.includes(undefined) ? undefined : [...new Set(requests as string[])].sort(compare);
    }
  }
  return { entry: l7 === undefined ? { ports } : { ports, l7 }, http };
}

/** `${method} ${path}` (+ host / headers) of one HTTP rule; undefined for the empty rule (every request). */
function httpRequest(h: any, where: string, path: string): string | undefined {
  checkKeys(h, ['method', 'path', 'host', 'headers'], where, path);
  const headers = list(h.headers, where, `${path}.headers`) ?? [];
  if (h.method === undefined && h.path === undefined && h.host === undefined && headers.length === 0) return undefined;
  let text = `${h.method ?? '*'} ${h.path ?? '*'}`;
  if (h.host !== undefined) text += ` host=${h.host}`;
  if (headers.length > 0) text += ` headers=${[...headers].sort(compare).join(',')}`;
  return text;
}

/** Compiles a Cilium endpoint selector against a pod's Cilium labels. */
function compileCiliumSelector(sel: any, where: string, path: string): (labels: Labels) => boolean {
  return compileSelector(sel, where, path, key => ciliumKey(key, where, path));
}

function ciliumKey(key: string, where: string, path: string): string {
  let k = key;
  const colon = k.indexOf(':');
  if (colon >= 0) {
    const source = k.slice(0, colon);
    if (source !== 'k8s' && source !== 'any') throw unsupported(where, `${path} label key ${key}`, `label source ${source}`);
    k = k.slice(colon + 1);
  }
  if (k.startsWith(CILIUM_POLICY_PREFIX) && k !== SA_KEY) throw unsupported(where, `${path} label key ${key}`);
  return k;
}

/** Whether a Cilium selector constrains `key` (after source-prefix stripping). */
function selectorNamesKey(sel: any, key: string): boolean {
  const strip = (k: string) => (k.startsWith('k8s:') || k.startsWith('any:') ? k.slice(4) : k);
  return Object.keys(sel.matchLabels ?? {}).some(k => strip(k) === key)
    || (sel.matchExpressions ?? []).some((e: any) => strip(e.key) === key);
}

function compileFqdnSelector(f: any, where: string, path: string): (fqdn: string) => boolean {
  checkKeys(f, ['matchName', 'matchPattern'], where, path);
  const hasName = f.matchName !== undefined;
  const hasPattern = f.matchPattern !== undefined;
  if (hasName === hasPattern) throw new Error(`connectivity: ${where}: ${path} needs exactly one of matchName and matchPattern`);
  if (hasName) {
    const name = normalizeFqdn(f.matchName);
    return fqdn => normalizeFqdn(fqdn) === name;
  }
  const pattern = normalizeFqdn(f.matchPattern);
  if (pattern.includes('**')) throw unsupported(where, `${path}.matchPattern ${f.matchPattern}`);
  if (pattern === '*') return () => true;
  if (!/^[-a-z0-9_.*]+$/.test(pattern)) throw new Error(`connectivity: ${where}: ${path}.matchPattern ${f.matchPattern} is invalid`);
  const re = new RegExp(`^${pattern.replace(/\./g, '\\.').replace(/\*/g, '[-a-z0-9_]*')}$`);
  return fqdn => re.test(normalizeFqdn(fqdn));
}

function normalizeFqdn(name: string): string {
  const lower = String(name).toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

// --- Kubernetes NetworkPolicy

function compileNetworkPolicy(m: any, where: string): CompiledPolicy {
  const namespace: string = m.metadata?.namespace ?? 'default';
  const spec = m.spec ?? {};
  checkKeys(spec, ['podSelector', 'policyTypes', 'ingress', 'egress'], where, 'spec');
  const subject = compileSelector(spec.podSelector ?? {}, where, 'spec.podSelector', k => k);
  const ingress = list(spec.ingress, where, 'spec.ingress') ?? [];
  const egress = list(spec.egress, where, 'spec.egress') ?? [];
  const declared = list(spec.policyTypes, where, 'spec.policyTypes');
  const types: string[] = declared !== undefined && declared.length > 0 ? declared : egress.length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
  for (const t of types) {
    if (t !== 'Ingress' && t !== 'Egress') throw new Error(`connectivity: ${where}: spec.policyTypes value ${t} is invalid`);
  }
  const direction = (dir: Direction, rules: any[]): CompiledDirection => {
    const compiled = rules.map((r, i) => compileNpRule(r, dir, namespace, where, `spec.${dir}[${i}]`));
    const active = types.includes(dir === 'ingress' ? 'Ingress' : 'Egress');
    return { defaultDeny: active, hasHttp: false, rules: active ? compiled : [] };
  };
  return {
    where,
    namespace,
    selects: pod => pod.identity.namespace === namespace && subject(pod.identity.labels),
    ingress: direction('ingress', ingress),
    egress: direction('egress', egress),
  };
}

function compileNpRule(rule: any, dir: Direction, namespace: string, where: string, path: string): CompiledRule {
  const peersKey = dir === 'ingress' ? 'from' : 'to';
  checkKeys(rule, [peersKey, 'ports'], where, path);
  const peers = list(rule[peersKey], where, `${path}.${peersKey}`) ?? [];
  const matchers = peers.map((peer, i) => compileNpPeer(peer, namespace, where, `${path}.${peersKey}[${i}]`));
  const scopes = peers.map(peer => npPeerNamespaces(peer, namespace));
  const podNamespaces = matchers.length === 0 || scopes.some(x => x === undefined) ? undefined : scopes.flatMap(x => x!);
  const ports = (list(rule.ports, where, `${path}.ports`) ?? []).map((pp, i) => {
    const ppPath = `${path}.ports[${i}]`;
    checkKeys(pp, ['port', 'endPort', 'protocol'], where, ppPath);
    const protocol = pp.protocol ?? 'TCP';
    if (!['TCP', 'UDP', 'SCTP'].includes(protocol)) throw new Error(`connectivity: ${where}: ${ppPath}.protocol ${protocol} is invalid`);
    if (pp.port === undefined) {
      if (pp.endPort !== undefined) throw new Error(`connectivity: ${where}: ${ppPath}.endPort needs a port`);
      const any: PortMatch = { protocol };
      return any;
    }
    if (typeof pp.port === 'number') {
      if (pp.endPort !== undefined && (typeof pp.endPort !== 'number' || pp.endPort < pp.port)) {
        throw new Error(`connectivity: ${where}: ${ppPath}.endPort ${pp.endPort} is invalid for port ${pp.port}`);
      }
      const numeric: PortMatch = { protocol, port: pp.port, endPort: pp.endPort };
      return numeric;
    }
    if (pp.endPort !== undefined) throw new Error(`connectivity: ${where}: ${ppPath}.endPort needs a numeric port`);
    const named: PortMatch = { protocol, name: String(pp.port) };
    return named;
  });
  return {
    peer: matchers.length === 0 ? () => true : x => matchers.some(m => m(x)),
    entries: [{ ports }],
    podNamespaces,
  };
}

/** The namespaces a NetworkPolicy peer's pods can be in; undefined = any. */
function npPeerNamespaces(peer: any, namespace: string): string[] | undefined {
  if (peer?.ipBlock !== undefined) return [];
  if (peer?.namespaceSelector === undefined) return [namespace];
  const name = peer.namespaceSelector.matchLabels?.[IMPLICIT_NS_LABEL];
  return name === undefined ? undefined : [name];
}

function compileNpPeer(peer: any, namespace: string, where: string, path: string): (x: Peer) => boolean {
  checkKeys(peer, ['podSelector', 'namespaceSelector', 'ipBlock'], where, path);
  const keys = Object.keys(peer);
  if (keys.length === 0) throw new Error(`connectivity: ${where}: ${path} is empty (Kubernetes rejects a peer without a selector)`);
  if (peer.ipBlock !== undefined) {
    if (keys.length > 1) throw new Error(`connectivity: ${where}: ${path} combines ipBlock with a selector (Kubernetes rejects it)`);
    checkKeys(peer.ipBlock, ['cidr', 'except'], where, `${path}.ipBlock`);
    const block = parseCidr(peer.ipBlock.cidr, where, `${path}.ipBlock.cidr`);
    const except = (list(peer.ipBlock.except, where, `${path}.ipBlock.except`) ?? [])
      .map((e, j) => parseCidr(e, where, `${path}.ipBlock.except[${j}]`));
    return x => x.external !== undefined && cidrMatches(block, except, x.external);
  }
  const pods = peer.podSelector === undefined ? () => true : compileSelector(peer.podSelector, where, `${path}.podSelector`, k => k);
  const nss = peer.namespaceSelector === undefined ? undefined : compileSelector(peer.namespaceSelector, where, `${path}.namespaceSelector`, k => k);
  return x => x.pod !== undefined
    && (nss === undefined ? x.pod.identity.namespace === namespace : nss(x.pod.nsLabels))
    && pods(x.pod.identity.labels);
}

// ---------------------------------------------------------------------------------------------
// Label selectors

function compileSelector(sel: any, where: string, path: string, key: (k: string) => string): (labels: Labels) => boolean {
  checkKeys(sel, ['matchLabels', 'matchExpressions'], where, path);
  const tests: Array<(labels: Labels) => boolean> = [];
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) {
    const kk = key(k);
    const value = String(v);
    tests.push(labels => labels[kk] === value);
  }
  (list(sel.matchExpressions, where, `${path}.matchExpressions`) ?? []).forEach((e, i) => {
    const ePath = `${path}.matchExpressions[${i}]`;
    checkKeys(e, ['key', 'operator', 'values'], where, ePath);
    const kk = key(e.key);
    const values: string[] = (list(e.values, where, `${ePath}.values`) ?? []).map(String);
    switch (e.operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) throw new Error(`connectivity: ${where}: ${ePath} (${e.operator}) needs values`);
        tests.push(e.operator === 'In'
          ? labels => kk in labels && values.includes(labels[kk])
          : labels => !(kk in labels) || !values.includes(labels[kk]));
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0) throw new Error(`connectivity: ${where}: ${ePath} (${e.operator}) must not have values`);
        tests.push(e.operator === 'Exists' ? labels => kk in labels : labels => !(kk in labels));
        break;
      default:
        throw new Error(`connectivity: ${where}: ${ePath}.operator ${e.operator} is invalid`);
    }
  });
  return labels => tests.every(t => t(labels));
}

// ---------------------------------------------------------------------------------------------
// CIDR arithmetic (IPv4; no bitwise operators)

interface Cidr {
  /** undefined for IPv6 blocks, which can match only fqdn-only targets (and only as ::/0). */
  readonly base?: number;
  readonly prefix: number;
}

function parseCidr(text: any, where: string, path: string): Cidr {
  const s = String(text);
  const slash = s.indexOf('/');
  const addr = slash < 0 ? s : s.slice(0, slash);
  const ipv6 = addr.includes(':');
  const max = ipv6 ? 128 : 32;
  const prefix = slash < 0 ? max : Number(s.slice(slash + 1));
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > max || (slash >= 0 && !/^[0-9]+$/.test(s.slice(slash + 1)))) {
    throw new Error(`connectivity: ${where}: ${path} ${s} is not a CIDR`);
  }
  if (ipv6) {
    if (!/^[0-9a-fA-F:.]+$/.test(addr)) throw new Error(`connectivity: ${where}: ${path} ${s} is not a CIDR`);
    return { prefix };
  }
  return { base: parseIpv4(addr, `${where}: ${path}`), prefix };
}

function parseIpv4(text: string, where: string): number {
  const parts = String(text).split('.');
  if (parts.length !== 4 || parts.some(p => !/^[0-9]{1,3}$/.test(p) || Number(p) > 255)) {
    throw new Error(`connectivity: ${where}: ${text} is not an IPv4 address`);
  }
  return parts.reduce((acc, p) => acc * 256 + Number(p), 0);
}

function inBlock(block: Cidr, ip: number): boolean {
  if (block.base === undefined) return false;
  const size = Math.pow(2, 32 - block.prefix);
  return Math.floor(ip / size) === Math.floor(block.base / size);
}

function cidrMatches(block: Cidr, except: Cidr[], target: ExternalTarget): boolean {
  if (target.ip === undefined) return block.prefix === 0; // fqdn-only: only "anywhere" covers it
  const ip = parseIpv4(target.ip, `external target ${target.id}`);
  return inBlock(block, ip) && !except.some(e => inBlock(e, ip));
}

// ---------------------------------------------------------------------------------------------
// Helpers

function flatten(manifests: any[]): any[] {
  const out: any[] = [];
  for (const m of manifests ?? []) {
    if (m === null || m === undefined || typeof m !== 'object') continue;
    if (m.kind === 'List' && Array.isArray(m.items)) out.push(...flatten(m.items));
    else out.push(m);
  }
  return out;
}

function checkPort(port: number, protocol: string, where: string): void {
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`connectivity: ${where}: port ${port} is invalid`);
  if (protocol !== 'TCP' && protocol !== 'UDP') throw new Error(`connectivity: ${where}: protocol ${protocol} is not TCP or UDP`);
}

function compare(a: string, b: string): number {
  if (a < b) return -1;
  return a > b ? 1 : 0;
}
