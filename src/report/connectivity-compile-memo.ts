/*
 * Compiled Cilium peers, ports and rules shared by content within one evaluation. A platform's
 * policies repeat the same few shapes: every component's policy admits Prometheus and the
 * gateways, reaches DNS and the collector, and each component's selector recurs in the policies
 * of its callers and callees, mostly with the same single port. Compiling each distinct shape once
 * (the memo lives only while one evaluation compiles its policies) saves most of the compilation
 * and keeps one compiled object per shape instead of one per rule.
 *
 * Only shapes whose compilation depends on nothing but their content are memoized: a selector with
 * matchLabels of text values only, a port rule with one `{ port, protocol }` of text values, and a
 * traffic rule of one such selector and at most one such port rule (its compiled rule is then
 * shared by the policies that repeat it: the engine only reads compiled rules, and a rule listed
 * twice for a pod allows what it allowed once). A shape that fails to compile is never stored, so
 * its errors come as before, at every occurrence.
 *
 * The memos are tries over a shape's values (namespace, label key, label value, …, port,
 * protocol), which the manifests already hold: a lookup builds no key string.
 */
import type { CompiledRule, Direction, PodPeer, PortEntry } from './connectivity-model';

/**
 * One node of a memo: the value stored for the token sequence leading to it, and the nodes below.
 * Most nodes have one child (a component's selector has one port, a port one protocol): the first
 * child is a field, a map is made only for a second one. Tokens are texts, undefined or marker
 * objects, so `===` compares them as a map would.
 */
class Trie<V> {
  public value: V | undefined = undefined;
  private firstToken: unknown = undefined;
  private first: Trie<V> | undefined = undefined;
  private others: Map<unknown, Trie<V>> | undefined = undefined;

  public child(token: unknown): Trie<V> {
    if (this.first === undefined) {
      this.firstToken = token;
      return this.first = new Trie<V>();
    }
    if (token === this.firstToken) return this.first;
    const others = this.others ??= new Map<unknown, Trie<V>>();
    let c = others.get(token);
    if (c === undefined) others.set(token, c = new Trie<V>());
    return c;
  }
}

interface Memos {
  readonly endpoints: Trie<PodPeer>;
  readonly ports: { readonly ingress: Trie<PortEntry>; readonly egress: Trie<PortEntry> };
  readonly rules: { readonly ingress: Trie<CompiledRule>; readonly egress: Trie<CompiledRule> };
}

let memos: Memos | undefined;

/** Runs `fn` (an evaluation's compilation) with compiled endpoints, ports and rules shared by content. @internal */
export function memoizingCompilation<T>(fn: () => T): T {
  const outer = memos;
  memos = {
    endpoints: new Trie(),
    ports: { ingress: new Trie(), egress: new Trie() },
    rules: { ingress: new Trie(), egress: new Trie() },
  };
  try {
    return fn();
  } finally {
    memos = outer;
  }
}

const hasOwn = Object.prototype.hasOwnProperty;

/** Where a rule's selector ends and its port rule begins (a token no manifest value equals). */
const END_OF_SELECTOR = {};
/** A rule without toPorts. */
const NO_PORTS = {};

function isPlainObject(value: any): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Whether `sel` is `{ matchLabels: { key: 'text', … } }`. */
function isMemoizedSelector(sel: any): boolean {
  if (!isPlainObject(sel)) return false;
  let only = false;
  for (const k in sel) {
    if (!hasOwn.call(sel, k)) continue;
    if (k !== 'matchLabels') return false;
    only = true;
  }
  const labels = sel.matchLabels;
  if (!only || !isPlainObject(labels)) return false;
  for (const k in labels) if (hasOwn.call(labels, k) && typeof labels[k] !== 'string') return false;
  return true;
}

/** The node of a memoized selector of a policy of `namespace`: namespace, then each label key and value. */
function selectorNode<V>(root: Trie<V>, sel: any, namespace: string | undefined): Trie<V> {
  let node = root.child(namespace);
  const labels = sel.matchLabels;
  for (const k in labels) if (hasOwn.call(labels, k)) node = node.child(k).child(labels[k]);
  return node;
}

/** Whether `tp` is `{ ports: [{ port: 'text', protocol?: 'text' }] }`. */
function isMemoizedPortRule(tp: any): boolean {
  if (!isPlainObject(tp)) return false;
  for (const k in tp) if (hasOwn.call(tp, k) && k !== 'ports') return false;
  const list = tp.ports;
  if (!Array.isArray(list) || list.length !== 1) return false;
  const pp = list[0];
  if (!isPlainObject(pp)) return false;
  for (const k in pp) if (hasOwn.call(pp, k) && k !== 'port' && k !== 'protocol') return false;
  return typeof pp.port === 'string' && (pp.protocol === undefined || typeof pp.protocol === 'string');
}

/** The node of a memoized port rule: port, then protocol (undefined when absent). */
function portNode<V>(node: Trie<V>, tp: any): Trie<V> {
  const pp = tp.ports[0];
  return node.child(pp.port).child(pp.protocol);
}

/** The value of `node`, compiled by `compile` the first time (a value that fails to compile is not stored). */
function memoized<V>(node: Trie<V>, compile: () => V): V {
  let value = node.value;
  if (value === undefined) node.value = value = compile();
  return value;
}

/** The endpoint peer `compile` makes of `sel` in a policy of `namespace`, compiled once per content while memoizing. @internal */
export function sharedEndpoint(sel: any, namespace: string | undefined, compile: () => PodPeer): PodPeer {
  if (memos === undefined || !isMemoizedSelector(sel)) return compile();
  return memoized(selectorNode(memos.endpoints, sel, namespace), compile);
}

/** The port entry `compile` makes of `tp` (no HTTP rules: see {@link isMemoizedPortRule}), compiled once per content while memoizing. @internal */
export function sharedPortEntry(tp: any, dir: Direction, compile: () => PortEntry): PortEntry {
  if (memos === undefined || !isMemoizedPortRule(tp)) return compile();
  return memoized(portNode(memos.ports[dir], tp), compile);
}

const ENDPOINTS_FIELD = { ingress: 'fromEndpoints', egress: 'toEndpoints' } as const;

/**
 * The rule `compile` makes of `rule`, a Cilium traffic rule of direction `dir` in a policy of
 * `namespace`, compiled once per content while memoizing when it is `{ from/toEndpoints:
 * [selector], toPorts?: [port rule] }` of memoized shapes (so without HTTP rules). @internal
 */
export function sharedRule(rule: any, dir: Direction, namespace: string | undefined, compile: () => CompiledRule): CompiledRule {
  if (memos === undefined || !isPlainObject(rule)) return compile();
  const field = ENDPOINTS_FIELD[dir];
  for (const k in rule) if (hasOwn.call(rule, k) && k !== field && k !== 'toPorts') return compile();
  const selectors = rule[field];
  if (!Array.isArray(selectors) || selectors.length !== 1 || !isMemoizedSelector(selectors[0])) return compile();
  const toPorts = rule.toPorts;
  if (toPorts !== undefined && (!Array.isArray(toPorts) || toPorts.length !== 1 || !isMemoizedPortRule(toPorts[0]))) return compile();
  const node = selectorNode(memos.rules[dir], selectors[0], namespace).child(END_OF_SELECTOR);
  return memoized(toPorts === undefined ? node.child(NO_PORTS) : portNode(node, toPorts[0]), compile);
}
