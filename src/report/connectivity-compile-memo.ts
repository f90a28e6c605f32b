/*
 * Compiled Cilium peers and ports shared by content within one evaluation. A platform's policies
 * repeat the same few shapes: every component's policy admits Prometheus and the gateways, reaches
 * DNS and the collector, and each component's selector recurs in the policies of its callers and
 * callees, mostly with the same single port. Compiling each distinct shape once (the memo lives
 * only while one evaluation compiles its policies) saves most of the compilation and keeps one
 * compiled object per shape instead of one per rule.
 *
 * Only shapes whose compilation depends on nothing but the key are memoized: a selector with
 * matchLabels of text values only, a port rule with one `{ port, protocol }` of text values, and a
 * traffic rule of one such selector and at most one such port rule (its compiled rule is then
 * shared by the policies that repeat it: the engine only reads compiled rules, and a rule listed
 * twice for a pod allows what it allowed once). A shape that fails to compile is never stored, so
 * its errors come as before, at every occurrence.
 */
import type { CompiledRule, PodPeer, PortEntry } from './connectivity-model';

let endpoints: Map<string, PodPeer> | undefined;
let ports: Map<string, PortEntry> | undefined;
let rules: Map<string, CompiledRule> | undefined;

/** Runs `fn` (an evaluation's compilation) with compiled endpoints and ports shared by content. @internal */
export function memoizingCompilation<T>(fn: () => T): T {
  const outer = { endpoints, ports, rules };
  endpoints = new Map();
  ports = new Map();
  rules = new Map();
  try {
    return fn();
  } finally {
    ({ endpoints, ports, rules } = outer);
  }
}

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * The memo key of a `from/toEndpoints` selector compiled for a policy of `namespace`; undefined
 * when it is not memoized (no memo, or not a plain matchLabels selector with text values). The
 * parts are length-prefixed, so that different selectors never share a key.
 */
function endpointKey(sel: any, namespace: string | undefined): string | undefined {
  if (endpoints === undefined || sel === null || typeof sel !== 'object' || Array.isArray(sel)) return undefined;
  let only = false;
  for (const k in sel) {
    if (!hasOwn.call(sel, k)) continue;
    if (k !== 'matchLabels') return undefined;
    only = true;
  }
  const labels = sel.matchLabels;
  if (!only || labels === null || typeof labels !== 'object' || Array.isArray(labels)) return undefined;
  let key = namespace === undefined ? '*' : `${namespace.length}:${namespace}`;
  for (const k in labels) {
    if (!hasOwn.call(labels, k)) continue;
    const v = labels[k];
    if (typeof v !== 'string') return undefined;
    key += `|${k.length}:${k}${v.length}:${v}`;
  }
  return key;
}

/** The endpoint peer `compile` makes of `sel` in a policy of `namespace`, compiled once per content while memoizing. @internal */
export function sharedEndpoint(sel: any, namespace: string | undefined, compile: () => PodPeer): PodPeer {
  const key = endpointKey(sel, namespace);
  if (key === undefined) return compile();
  let peer = endpoints!.get(key);
  if (peer === undefined) {
    peer = compile();
    endpoints!.set(key, peer);
  }
  return peer;
}

/**
 * The memo key of a `toPorts` entry and direction; undefined unless it is `{ ports: [{ port, protocol }] }`
 * (protocol optional) with text values.
 */
function portKey(tp: any, dir: string): string | undefined {
  if (ports === undefined || tp === null || typeof tp !== 'object' || Array.isArray(tp)) return undefined;
  for (const k in tp) if (hasOwn.call(tp, k) && k !== 'ports') return undefined;
  const list = tp.ports;
  if (!Array.isArray(list) || list.length !== 1) return undefined;
  const pp = list[0];
  if (pp === null || typeof pp !== 'object' || Array.isArray(pp)) return undefined;
  for (const k in pp) if (hasOwn.call(pp, k) && k !== 'port' && k !== 'protocol') return undefined;
  const port = pp.port;
  const protocol = pp.protocol;
  if (typeof port !== 'string' || (protocol !== undefined && typeof protocol !== 'string')) return undefined;
  return protocol === undefined ? `${dir}|${port.length}:${port}` : `${dir}|${port.length}:${port}|${protocol}`;
}

/** The port entry `compile` makes of `tp` (no HTTP rules: see {@link portKey}), compiled once per content while memoizing. @internal */
export function sharedPortEntry(tp: any, dir: string, compile: () => PortEntry): PortEntry {
  const key = portKey(tp, dir);
  if (key === undefined) return compile();
  let entry = ports!.get(key);
  if (entry === undefined) {
    entry = compile();
    ports!.set(key, entry);
  }
  return entry;
}

const ENDPOINTS_FIELD = { ingress: 'fromEndpoints', egress: 'toEndpoints' } as const;

/**
 * The memo key of a Cilium traffic rule of direction `dir` in a policy of `namespace`; undefined
 * unless it is `{ from/toEndpoints: [selector], toPorts?: [port rule] }` of memoized shapes
 * (their keys are self-delimiting, so the parts joined stay distinct).
 */
function ruleKey(rule: any, dir: 'ingress' | 'egress', namespace: string | undefined): string | undefined {
  if (rules === undefined || rule === null || typeof rule !== 'object' || Array.isArray(rule)) return undefined;
  const field = ENDPOINTS_FIELD[dir];
  for (const k in rule) if (hasOwn.call(rule, k) && k !== field && k !== 'toPorts') return undefined;
  const selectors = rule[field];
  if (!Array.isArray(selectors) || selectors.length !== 1) return undefined;
  const endpoint = endpointKey(selectors[0], namespace);
  if (endpoint === undefined) return undefined;
  const toPorts = rule.toPorts;
  if (toPorts === undefined) return `${dir}#${endpoint}#-`;
  if (!Array.isArray(toPorts) || toPorts.length !== 1) return undefined;
  const port = portKey(toPorts[0], dir);
  return port === undefined ? undefined : `${dir}#${endpoint}#${port}`;
}

/** The rule `compile` makes of `rule` (no HTTP rules: see {@link ruleKey}), compiled once per content while memoizing. @internal */
export function sharedRule(rule: any, dir: 'ingress' | 'egress', namespace: string | undefined, compile: () => CompiledRule): CompiledRule {
  const key = ruleKey(rule, dir, namespace);
  if (key === undefined) return compile();
  let compiled = rules!.get(key);
  if (compiled === undefined) {
    compiled = compile();
    rules!.set(key, compiled);
  }
  return compiled;
}
