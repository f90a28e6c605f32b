// Compiles CiliumNetworkPolicy / CiliumClusterwideNetworkPolicy rules for the connectivity engine.
import { cidrContains, parseCidr } from './cidr';
import { ALL_PORTS, ANY_POD, checkKeys, CILIUM_POLICY_PREFIX, compare, CompiledDirection, CompiledPolicy, CompiledRule, Direction, ExternalPeer, list, NS_KEY, NS_LABELS_PREFIX, PodPeer, PortEntry, PortMatch, SA_KEY, unsupported } from './connectivity-model';
import { CompiledSelector, compileSelectorParts, SelectorSource } from './label-selector';

// --- Cilium

export const CILIUM_SPEC_KEYS = ['endpointSelector', 'ingress', 'egress', 'enableDefaultDeny', 'description', 'labels', 'log'];
export const CILIUM_INGRESS_KEYS = ['fromEndpoints', 'fromCIDR', 'fromCIDRSet', 'fromEntities', 'toPorts'];
export const CILIUM_EGRESS_KEYS = ['toEndpoints', 'toCIDR', 'toCIDRSet', 'toFQDNs', 'toEntities', 'toPorts'];

export function compileCiliumRule(spec: any, namespace: string | undefined, where: string, path: string): CompiledPolicy {
  checkKeys(spec, CILIUM_SPEC_KEYS, where, path);
  if (spec.endpointSelector === undefined) throw new Error(`connectivity: ${where}: ${path}.endpointSelector is required`);
  const subject = compileCiliumSelector(spec.endpointSelector, where, `${path}.endpointSelector`).test;
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

/** A direction's L3 fields, in Cilium's order (constant keys: no key string built per rule). */
const CILIUM_L3 = {
  ingress: { endpoints: 'fromEndpoints', cidr: 'fromCIDR', cidrSet: 'fromCIDRSet', entities: 'fromEntities', entity: 'host' },
  egress: { endpoints: 'toEndpoints', cidr: 'toCIDR', cidrSet: 'toCIDRSet', entities: 'toEntities', entity: 'kube-apiserver' },
} as const;
const K8S_NS_KEY = `k8s:${NS_KEY}`;

export function compileCiliumTrafficRule(
  rule: any, dir: Direction, namespace: string | undefined, where: string, path: string,
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
  const l3 = (k: string, v: any[] | undefined): void => {
    if (v === undefined) return;
    anyL3Field = true;
    if (v.length === 0) return;
    if (first !== undefined) throw unsupported(where, path, `Cilium rejects combining ${first} and ${k} in one rule`);
    first = k;
  };
  l3(f.endpoints, endpoints);
  l3(f.cidr, cidr);
  l3(f.cidrSet, cidrSet);
  l3(f.entities, entities);
  l3('toFQDNs', fqdns);

  let pods: PodPeer[] = [];
  let externals: Array<(peer: ExternalPeer) => boolean> = [];
  if (endpoints !== undefined) {
    for (let i = 0; i < endpoints.length; i++) pods.push(compileCiliumEndpoint(endpoints[i], namespace, where, `${path}.${f.endpoints}[${i}]`));
  }
  (cidr ?? []).forEach((c, i) => {
    const block = parseCidr(c, where, `${path}.${f.cidr}[${i}]`);
    externals.push(x => cidrContains(block, [], x));
  });
  (cidrSet ?? []).forEach((s, i) => {
    const setPath = `${path}.${f.cidrSet}[${i}]`;
    checkKeys(s, ['cidr', 'except'], where, setPath);
    if (s.cidr === undefined) throw new Error(`connectivity: ${where}: ${setPath}.cidr is required`);
    const block = parseCidr(s.cidr, where, `${setPath}.cidr`);
    const except = (list(s.except, where, `${setPath}.except`) ?? []).map((e, j) => parseCidr(e, where, `${setPath}.except[${j}]`));
    externals.push(x => cidrContains(block, except, x));
  });
  (fqdns ?? []).forEach((fqdn, i) => {
    const matches = compileFqdnSelector(fqdn, where, `${path}.toFQDNs[${i}]`);
    externals.push(x => x.fqdn !== undefined && matches(x.fqdn));
  });

  const toPorts = list(rule.toPorts, where, path, 'toPorts');
  if (!anyL3Field) {
    // L4-only rule: any L3 peer; empty rule {}: default deny without allowing anything
    const l4Only = toPorts !== undefined && toPorts.length > 0;
    pods = l4Only ? [ANY_POD] : [];
    externals = l4Only ? [() => true] : [];
  }

  let hasHttp = false;
  let entries: PortEntry[] = ALL_PORTS;
  if (toPorts !== undefined && toPorts.length > 0) {
    entries = toPorts.map((tp, i) => {
      const entry = compileCiliumPortRule(tp, dir, where, `${path}.toPorts[${i}]`);
      hasHttp = hasHttp || entry.http;
      return entry.entry;
    });
  }
  return { rule: { pods, externals, entries }, hasHttp };
}

/**
 * One `from/toEndpoints` selector. In a namespaced policy, a selector that does not name the pod
 * namespace key matches only pods of the policy's namespace.
 */
function compileCiliumEndpoint(sel: any, namespace: string | undefined, where: string, path: string): PodPeer {
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

export function compileCiliumPortRule(tp: any, dir: Direction, where: string, path: string): { entry: PortEntry; http: boolean } {
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
export function httpRequest(h: any, where: string, path: string): string | undefined {
  checkKeys(h, ['method', 'path', 'host', 'headers'], where, path);
  const headers = list(h.headers, where, `${path}.headers`) ?? [];
  if (h.method === undefined && h.path === undefined && h.host === undefined && headers.length === 0) return undefined;
  let text = `${h.method ?? '*'} ${h.path ?? '*'}`;
  if (h.host !== undefined) text += ` host=${h.host}`;
  if (headers.length > 0) text += ` headers=${[...headers].sort(compare).join(',')}`;
  return text;
}

/** Compiles a Cilium endpoint selector against a pod's Cilium labels. */
export function compileCiliumSelector(sel: any, where: string, path: string): CompiledSelector {
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
  return selector.equalities.find(([k]) => k !== NS_KEY && k !== SA_KEY && !k.startsWith(NS_LABELS_PREFIX));
}

export function ciliumKey(key: string, where: string, path: string): string {
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
  const strip = (k: string) => (k.startsWith('k8s:') || k.startsWith('any:') ? k.slice(4) : k);
  return Object.keys(sel.matchLabels ?? {}).some(k => strip(k) === key)
    || (sel.matchExpressions ?? []).some((e: any) => strip(e.key) === key);
}

/** A matcher of fqdns already normalized (`normalizeFqdn`). */
export function compileFqdnSelector(f: any, where: string, path: string): (fqdn: string) => boolean {
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

