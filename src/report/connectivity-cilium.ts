// Compiles CiliumNetworkPolicy / CiliumClusterwideNetworkPolicy rules for the connectivity engine.
import { cidrContains, parseCidr } from './cidr';
import { sharedEndpoint, sharedPortEntry, sharedRule } from './connectivity-compile-memo';
import { ALL_PORTS, ANY_POD, checkKeys, CILIUM_POLICY_PREFIX, compare, CompiledDirection, CompiledPolicy, CompiledRule, Direction, ExternalPeer, list, NS_KEY, NS_LABELS_PREFIX, PodPeer, PortEntry, PortMatch, SA_KEY, unsupported } from './connectivity-model';
import { JsonPath, Path } from './json-path';
import { CompiledSelector, compileSelectorParts, SelectorSource } from './label-selector';

// --- Cilium

export const CILIUM_SPEC_KEYS = ['endpointSelector', 'ingress', 'egress', 'enableDefaultDeny', 'description', 'labels', 'log'];
export const CILIUM_INGRESS_KEYS = ['fromEndpoints', 'fromCIDR', 'fromCIDRSet', 'fromEntities', 'toPorts'];
export const CILIUM_EGRESS_KEYS = ['toEndpoints', 'toCIDR', 'toCIDRSet', 'toFQDNs', 'toEntities', 'toPorts'];

const DIRECTIONS = ['ingress', 'egress'];

export function compileCiliumRule(spec: any, namespace: string | undefined, where: string, path: string): CompiledPolicy {
  checkKeys(spec, CILIUM_SPEC_KEYS, where, path);
  if (spec.endpointSelector === undefined) throw new Error(`connectivity: ${where}: ${path}.endpointSelector is required`);
  const selector = compileCiliumSelector(spec.endpointSelector, where, new JsonPath(path, 'endpointSelector'));
  const subject = selector.test;
  const edd = spec.enableDefaultDeny ?? {};
  checkKeys(edd, DIRECTIONS, where, path, 'enableDefaultDeny');
  return {
    where,
    namespace,
    label: podLabelEquality(selector),
    selects: pod => (namespace === undefined || pod.identity.namespace === namespace) && subject(pod.ciliumLabels),
    ingress: compileCiliumDirection(spec, edd, 'ingress', namespace, where, path),
    egress: compileCiliumDirection(spec, edd, 'egress', namespace, where, path),
  };
}

function compileCiliumDirection(spec: any, edd: any, dir: Direction, namespace: string | undefined, where: string, path: string): CompiledDirection {
  const rules = list(spec[dir], where, path, dir);
  const explicit: boolean | undefined = edd[dir];
  if (rules !== undefined && rules.length === 0 && explicit === undefined) {
    throw unsupported(where, `${path}.${dir}: []`, `ambiguous default deny; use enableDefaultDeny.${dir} or [{}]`);
  }
  const compiled: CompiledRule[] = [];
  let hasHttp = false;
  for (let i = 0; i < (rules?.length ?? 0); i++) {
    const rule = rules![i];
    let http = false;
    compiled.push(sharedRule(rule, dir, namespace, () => {
      const c = compileCiliumTrafficRule(rule, dir, namespace, where, new JsonPath(path, dir, i));
      http = c.hasHttp;
      return c.rule;
    }));
    hasHttp = hasHttp || http;
  }
  return { defaultDeny: explicit === true || (compiled.length > 0 && explicit !== false), hasHttp, rules: compiled };
}

/** A direction's L3 fields, in Cilium's order (constant keys: no key string built per rule). */
const CILIUM_L3 = {
  ingress: {
    endpoints: 'fromEndpoints',
    cidr: 'fromCIDR',
    cidrSet: 'fromCIDRSet',
    entities: 'fromEntities',
    entity: 'host',
    l3: ['fromEndpoints', 'fromCIDR', 'fromCIDRSet', 'fromEntities', 'toFQDNs'],
  },
  egress: {
    endpoints: 'toEndpoints',
    cidr: 'toCIDR',
    cidrSet: 'toCIDRSet',
    entities: 'toEntities',
    entity: 'kube-apiserver',
    l3: ['toEndpoints', 'toCIDR', 'toCIDRSet', 'toEntities', 'toFQDNs'],
  },
} as const;
const K8S_NS_KEY = `k8s:${NS_KEY}`;

export function compileCiliumTrafficRule(
  rule: any, dir: Direction, namespace: string | undefined, where: string, path: Path,
): { rule: CompiledRule; hasHttp: boolean } {
  checkKeys(rule, dir === 'ingress' ? CILIUM_INGRESS_KEYS : CILIUM_EGRESS_KEYS, where, path);
  const f = CILIUM_L3[dir];
  const endpoints = list(rule[f.endpoints], where, path, f.endpoints);
  const cidr = list(rule[f.cidr], where, path, f.cidr);
  const cidrSet = list(rule[f.cidrSet], where, path, f.cidrSet);
  const entities = list(rule[f.entities], where, path, f.entities);
  const fqdns = dir === 'egress' ? list(rule.toFQDNs, where, path, 'toFQDNs') : undefined;
  // `fromEntities: [host]` (kubelet probes under allow-localhost=policy) admits the node, which is no modelled peer
  // `toEntities: [kube-apiserver]` (operators' instance managers, build pods) reaches the API server, no modelled peer either
  const hostOnly = entities?.length === 1 && entities[0] === f.entity;
  if (entities !== undefined && entities.length > 0 && !hostOnly) throw unsupported(where, `${path}.${f.entities}`);

  let anyL3Field = false;
  let first: string | undefined;
  const l3 = [endpoints, cidr, cidrSet, entities, fqdns];
  for (let k = 0; k < l3.length; k++) {
    const v = l3[k];
    if (v === undefined) continue;
    anyL3Field = true;
    if (v.length === 0) continue;
    if (first !== undefined) throw unsupported(where, path, `Cilium rejects combining ${first} and ${f.l3[k]} in one rule`);
    first = f.l3[k];
  }

  let pods: PodPeer[] = NO_PODS;
  let externals: Array<(peer: ExternalPeer) => boolean> = NO_EXTERNALS;
  if (endpoints !== undefined && endpoints.length > 0) {
    pods = [];
    for (let i = 0; i < endpoints.length; i++) {
      const sel = endpoints[i];
      pods.push(sharedEndpoint(sel, namespace, () => compileCiliumEndpoint(sel, namespace, where, new JsonPath(path, f.endpoints, i))));
    }
  }
  if (cidr?.length || cidrSet?.length || fqdns?.length) externals = compileCiliumExternals(cidr, cidrSet, fqdns, f, where, path);

  const toPorts = list(rule.toPorts, where, path, 'toPorts');
  if (!anyL3Field) {
    // L4-only rule: any L3 peer; empty rule {}: default deny without allowing anything
    const l4Only = toPorts !== undefined && toPorts.length > 0;
    pods = l4Only ? [ANY_POD] : NO_PODS;
    externals = l4Only ? ANY_EXTERNAL : NO_EXTERNALS;
  }

  let hasHttp = false;
  let entries: PortEntry[] = ALL_PORTS;
  if (toPorts !== undefined && toPorts.length > 0) {
    entries = [];
    for (let i = 0; i < toPorts.length; i++) {
      const tp = toPorts[i];
      let http = false;
      entries.push(sharedPortEntry(tp, dir, () => {
        const entry = compileCiliumPortRule(tp, dir, where, new JsonPath(path, 'toPorts', i));
        http = entry.http;
        return entry.entry;
      }));
      hasHttp = hasHttp || http;
    }
  }
  return { rule: { pods, externals, entries }, hasHttp };
}

// Shared by the rules that match no pod / no external / every external (never mutated).
const NO_PODS: PodPeer[] = [];
const NO_EXTERNALS: Array<(peer: ExternalPeer) => boolean> = [];
const ANY_EXTERNAL: Array<(peer: ExternalPeer) => boolean> = [() => true];

/** The external matchers of a rule's CIDR, CIDR set and FQDN fields, in that order. */
function compileCiliumExternals(
  cidr: any[] | undefined, cidrSet: any[] | undefined, fqdns: any[] | undefined, f: typeof CILIUM_L3[Direction], where: string, path: Path,
): Array<(peer: ExternalPeer) => boolean> {
  const externals: Array<(peer: ExternalPeer) => boolean> = [];
  (cidr ?? []).forEach((c, i) => {
    const block = parseCidr(c, where, new JsonPath(path, f.cidr, i));
    externals.push(x => cidrContains(block, [], x));
  });
  (cidrSet ?? []).forEach((s, i) => {
    const setPath = new JsonPath(path, f.cidrSet, i);
    checkKeys(s, ['cidr', 'except'], where, setPath);
    if (s.cidr === undefined) throw new Error(`connectivity: ${where}: ${setPath}.cidr is required`);
    const block = parseCidr(s.cidr, where, new JsonPath(setPath, 'cidr'));
    const except = (list(s.except, where, setPath, 'except') ?? []).map((e, j) => parseCidr(e, where, new JsonPath(setPath, 'except', j)));
    externals.push(x => cidrContains(block, except, x));
  });
  (fqdns ?? []).forEach((fqdn, i) => {
    const matches = compileFqdnSelector(fqdn, where, new JsonPath(path, 'toFQDNs', i));
    externals.push(x => x.fqdn !== undefined && matches(x.fqdn));
  });
  return externals;
}

/**
 * One `from/toEndpoints` selector. In a namespaced policy, a selector that does not name the pod
 * namespace key matches only pods of the policy's namespace.
 */
function compileCiliumEndpoint(sel: any, namespace: string | undefined, where: string, path: Path): PodPeer {
  const selector = compileCiliumSelector(sel, where, path);
  const matches = selector.test;
  const pinned = namespace !== undefined && !selectorNamesKey(sel, NS_KEY);
  const named = sel?.matchLabels?.[K8S_NS_KEY] ?? sel?.matchLabels?.[NS_KEY];
  return {
    namespace: pinned ? namespace : named,
    label: podLabelEquality(selector),
    matches: pinned ? pod => pod.identity.namespace === namespace && matches(pod.ciliumLabels) : pod => matches(pod.ciliumLabels),
  };
}

const PORT_RULE_KEYS = ['ports', 'rules'];
const PORT_KEYS = ['port', 'endPort', 'protocol'];
const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];

export function compileCiliumPortRule(tp: any, dir: Direction, where: string, path: Path): { entry: PortEntry; http: boolean } {
  checkKeys(tp, PORT_RULE_KEYS, where, path);
  const listed = list(tp.ports, where, path, 'ports');
  const ports: PortMatch[] = [];
  for (let i = 0; i < (listed?.length ?? 0); i++) ports.push(compileCiliumPort(listed![i], where, path, i));
  let l7: string[] | undefined;
  let http = false;
  if (tp.rules !== undefined) {
    const rulesPath = new JsonPath(path, 'rules');
    checkKeys(tp.rules, ['http', 'dns'], where, rulesPath);
    const httpRules = list(tp.rules.http, where, rulesPath, 'http');
    const dnsRules = list(tp.rules.dns, where, rulesPath, 'dns');
    if ((httpRules ?? []).length > 0 && (dnsRules ?? []).length > 0) {
      throw unsupported(where, `${path}.rules`, 'Cilium rejects mixing http and dns rules on one port');
    }
    if (dnsRules !== undefined && dnsRules.length > 0) {
      if (dir === 'ingress') throw unsupported(where, `${path}.rules.dns`, 'Cilium rejects DNS rules on ingress');
      dnsRules.forEach((d, i) => compileFqdnSelector(d, where, new JsonPath(rulesPath, 'dns', i))); // validation only
    }
    if (httpRules !== undefined && httpRules.length > 0) {
      http = true;
      const requests = httpRules.map((h, i) => httpRequest(h, where, new JsonPath(rulesPath, 'http', i)));
      l7 = requests.includes(undefined) ? undefined : [...new Set(requests as string[])].sort(compare);
    }
  }
  return { entry: l7 === undefined ? { ports } : { ports, l7 }, http };
}

/** `toPorts[].ports[i]` (its path is spelled out in errors only). */
function compileCiliumPort(pp: any, where: string, path: Path, i: number): PortMatch {
  checkKeys(pp, PORT_KEYS, where, new JsonPath(path, 'ports', i));
  const protocol = pp.protocol === undefined || pp.protocol === '' || pp.protocol === 'ANY' ? undefined : pp.protocol;
  if (protocol !== undefined && !PROTOCOLS.includes(protocol)) throw unsupported(where, `${path}.ports[${i}].protocol ${protocol}`);
  if (pp.port === undefined) throw new Error(`connectivity: ${where}: ${path}.ports[${i}].port is required`);
  const raw = String(pp.port);
  if (/^[0-9]+$/.test(raw)) {
    const port = Number(raw);
    if (port > 65535) throw new Error(`connectivity: ${where}: ${path}.ports[${i}].port ${raw} is out of range`);
    const endPort = pp.endPort === undefined ? undefined : Number(pp.endPort);
    if (endPort !== undefined && (!Number.isInteger(endPort) || endPort < port || port === 0)) {
      throw new Error(`connectivity: ${where}: ${path}.ports[${i}].endPort ${pp.endPort} is invalid for port ${raw}`);
    }
    return port === 0 ? { protocol } : { protocol, port, endPort };
  }
  if (pp.endPort !== undefined) throw new Error(`connectivity: ${where}: ${path}.ports[${i}].endPort needs a numeric port`);
  return { protocol, name: raw };
}

/** `${method} ${path}` (+ host / headers) of one HTTP rule; undefined for the empty rule (every request). */
export function httpRequest(h: any, where: string, path: Path): string | undefined {
  checkKeys(h, ['method', 'path', 'host', 'headers'], where, path);
  const headers = list(h.headers, where, path, 'headers') ?? [];
  if (h.method === undefined && h.path === undefined && h.host === undefined && headers.length === 0) return undefined;
  let text = `${h.method ?? '*'} ${h.path ?? '*'}`;
  if (h.host !== undefined) text += ` host=${h.host}`;
  if (headers.length > 0) text += ` headers=${[...headers].sort(compare).join(',')}`;
  return text;
}

/** Compiles a Cilium endpoint selector against a pod's Cilium labels. */
export function compileCiliumSelector(sel: any, where: string, path: Path): CompiledSelector {
  return compileSelectorParts(sel, { evaluator: 'connectivity', where, path }, ciliumSelectorKey);
}

function ciliumSelectorKey(key: string, source: SelectorSource): string {
  return ciliumKey(key, source.where, source.path);
}

/**
 * An equality of a Cilium selector on one of the pod's own labels (Cilium labels other than the
 * namespace, its labels and the service account are the pod's labels), for the pod index.
 */
function podLabelEquality(selector: CompiledSelector): readonly [string, string] | undefined {
  for (const e of selector.equalities) if (e[0] !== NS_KEY && e[0] !== SA_KEY && !e[0].startsWith(NS_LABELS_PREFIX)) return e;
  return undefined;
}

/**
 * Label keys already mapped by {@link ciliumKey} (valid ones only: an invalid key throws every
 * time). A platform's policies repeat a few keys (`k8s:io.kubernetes.pod.namespace`, …) in every
 * selector: each is sliced once, not once per selector, and selectors share one string per key.
 */
const ciliumKeys = new Map<string, string>();

export function ciliumKey(key: string, where: string, path: Path): string {
  let k = ciliumKeys.get(key);
  if (k === undefined) {
    k = mapCiliumKey(key, where, path);
    if (ciliumKeys.size < MAX_CILIUM_KEYS) ciliumKeys.set(key, k);
  }
  return k;
}

/** Bounds the memo of {@link ciliumKey} (keys come from user manifests; a platform has a few dozen). */
const MAX_CILIUM_KEYS = 10_000;

function mapCiliumKey(key: string, where: string, path: Path): string {
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
export function selectorNamesKey(sel: any, key: string): boolean {
  const labels = sel.matchLabels;
  for (const k in labels) if (Object.prototype.hasOwnProperty.call(labels, k) && namesKey(k, key)) return true;
  const expressions = sel.matchExpressions ?? NO_EXPRESSIONS;
  for (let i = 0; i < expressions.length; i++) if (namesKey(expressions[i].key, key)) return true;
  return false;
}

const NO_EXPRESSIONS: readonly any[] = [];

/** Whether selector key `k` is `key` once a `k8s:` / `any:` source prefix is stripped (compared in place, no slice). */
function namesKey(k: string, key: string): boolean {
  return k.startsWith('k8s:') || k.startsWith('any:') ? k.length === key.length + 4 && k.endsWith(key) : k === key;
}

/** A matcher of fqdns already normalized (`normalizeFqdn`). */
export function compileFqdnSelector(f: any, where: string, path: Path): (fqdn: string) => boolean {
  checkKeys(f, ['matchName', 'matchPattern'], where, path);
  const hasName = f.matchName !== undefined;
  const hasPattern = f.matchPattern !== undefined;
  if (hasName === hasPattern) throw new Error(`connectivity: ${where}: ${path} needs exactly one of matchName and matchPattern`);
  if (hasName) {
    const name = normalizeFqdn(f.matchName);
    return fqdn => fqdn === name;
  }
  const pattern = normalizeFqdn(f.matchPattern);
  if (pattern.includes('**')) throw unsupported(where, `${path}.matchPattern ${f.matchPattern}`);
  if (pattern === '*') return () => true;
  if (!/^[-a-z0-9_.*]+$/.test(pattern)) throw new Error(`connectivity: ${where}: ${path}.matchPattern ${f.matchPattern} is invalid`);
  const re = new RegExp(`^${pattern.replace(/\./g, '\\.').replace(/\*/g, '[-a-z0-9_]*')}$`);
  return fqdn => re.test(fqdn);
}

export function normalizeFqdn(name: string): string {
  const lower = String(name).toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

