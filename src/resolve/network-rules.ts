import { flat } from './flat-string';
import { Labels } from './labels';
import { PairCache } from './memo';
import type { PlanNetworkRule, PlanPeer } from './plan';

/** A port of a network rule. @internal */
export type PlanPort = PlanNetworkRule['ports'][number];

/** Rules merged by a scan of those merged so far, up to this many; an index beyond. */
const SCANNED_RULES = 8;

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Merged rules by peer text, HTTP text, ports (a shared list, or the text of a longer one) and reason. */
type RuleIndex = Map<string, Map<string, Map<PlanPort[] | string, Map<string, PlanNetworkRule>>>>;

/** The map under `key` in `map`, added when missing. */
function childMap<K, V extends Map<any, any>>(map: Map<K, V>, key: K): V {
  let child = map.get(key);
  if (child === undefined) {
    child = new Map() as V;
    map.set(key, child);
  }
  return child;
}

/** The text of a port list (`port/protocol,` each). */
function portsText(ports: PlanPort[]): string {
  let text = '';
  for (const p of ports) text += `${p.port}/${p.protocol},`;
  return text;
}

/** Rules with one peer and one set of HTTP rules, while merging. */
interface MergedRule {
  readonly peerKey: string;
  readonly httpKey: string;
  readonly first: PlanNetworkRule;
  ports: PlanPort[];
  reason: string;
}

/**
 * The parts network rules are made of, made once per resolve and shared by every rule that names
 * them: pod peers by namespace and component, ports and one-port lists. Thousands of components
 * name the same few peers and ports; sharing them keeps the plan small (it is read-only).
 * @internal
 */
export class RuleParts {
  /** Every port (an empty list). */
  public readonly everyPort: PlanPort[] = [];
  private readonly podPeers = new PairCache((namespace: string, component: string): PlanPeer =>
    ({ kind: 'pods', namespace, labels: { [Labels.COMPONENT]: component } }));
  private readonly portLists = new PairCache((port: number, protocol: PlanPort['protocol']): PlanPort[] => [{ port, protocol }]);
  /** Merged rules without an `http` property by peer text, then HTTP text, ports and reason. */
  private readonly rules: RuleIndex = new Map();
  /** The same for rules with an `http` property (set or undefined). */
  private readonly rulesWithHttp: RuleIndex = new Map();
  /** Merge keys of peers (JSON text), by peer object. */
  private readonly peerKeys = new WeakMap<PlanPeer, string>();

  /** The pods of `component` in `namespace`. */
  public podsOf(namespace: string, component: string): PlanPeer {
    return this.podPeers.get(namespace, component);
  }

  /** The one-port list of `port`. */
  public onePort(port: number, protocol: PlanPort['protocol']): PlanPort[] {
    return this.portLists.get(port, protocol);
  }

  /** The shared object of `port`. */
  public port(port: number, protocol: PlanPort['protocol']): PlanPort {
    return this.onePort(port, protocol)[0];
  }

  /**
   * Merges rules with the same peer and HTTP rules, sorting ports and rules (by the JSON text of
   * `[peer, http]`, the rule's identity: compared as the pair of peer text and HTTP text, which
   * orders alike, as no JSON object's text starts with another's).
   */
  public mergeRules(rules: PlanNetworkRule[]): PlanNetworkRule[] {
    if (rules.length === 0) return [];
    const merged: MergedRule[] = [];
    // A component has a few rules: found by a scan; an index (peer and HTTP text joined) only for long lists.
    let index: Map<string, MergedRule> | undefined;
    for (const r of rules) {
      const peerKey = this.peerKey(r.peer);
      const httpKey = r.http === undefined ? 'null' : JSON.stringify(r.http);
      let prev: MergedRule | undefined;
      if (index !== undefined) {
        prev = index.get(`${peerKey}\u0000${httpKey}`);
      } else {
        for (let i = 0; i < merged.length && prev === undefined; i++) {
          if (merged[i].peerKey === peerKey && merged[i].httpKey === httpKey) prev = merged[i];
        }
      }
      if (!prev) {
        const m: MergedRule = { peerKey, httpKey, first: r, ports: r.ports, reason: r.reason };
        merged.push(m);
        if (index !== undefined) {
          index.set(`${peerKey}\u0000${httpKey}`, m);
        } else if (merged.length > SCANNED_RULES) {
          index = new Map();
          for (const x of merged) index.set(`${x.peerKey}\u0000${x.httpKey}`, x);
        }
        continue;
      }
      const everyPort = prev.ports.length === 0 || r.ports.length === 0;
      prev.ports = everyPort ? this.everyPort : [...prev.ports, ...r.ports];
      if (prev.reason !== r.reason) prev.reason = `${prev.reason}; ${r.reason}`;
    }
    if (merged.length > 1) merged.sort((a, b) => compareText(a.peerKey, b.peerKey) || compareText(a.httpKey, b.httpKey));
    return merged.map(m => this.shared(m));
  }

  /** The merged rule, the same object for every component with the same rule (egress to a provider, ingress from a gateway). */
  private shared(m: MergedRule): PlanNetworkRule {
    const ports = this.sortedPorts(m.ports);
    // Looked up level by level (no key joined per rule). Rules with and without an `http` property
    // stay apart, so that each keeps its own shape; lists of one port or none are shared objects,
    // their own key; longer lists go by their text.
    const byHttp = childMap(childMap('http' in m.first ? this.rulesWithHttp : this.rules, m.peerKey), m.httpKey);
    const byReason = childMap(byHttp, ports.length <= 1 ? ports : portsText(ports));
    let rule = byReason.get(m.reason);
    if (!rule) {
      rule = { ...m.first, ports, reason: flat(m.reason) };
      byReason.set(m.reason, rule);
    }
    return rule;
  }

  private peerKey(peer: PlanPeer): string {
    let key = this.peerKeys.get(peer);
    if (key === undefined) {
      key = JSON.stringify(peer);
      this.peerKeys.set(peer, key);
    }
    return key;
  }

  /** Ports without repeats, sorted by number then protocol; lists of one port or none are shared. */
  private sortedPorts(ports: PlanPort[]): PlanPort[] {
    if (ports.length === 0) return this.everyPort;
    if (ports.length === 1) return this.onePort(ports[0].port, ports[0].protocol);
    const portKey = (p: PlanPort) => `${String(p.port).padStart(5, '0')}/${p.protocol}`;
    const unique = [...new Map(ports.map(p => [portKey(p), p])).entries()].sort(([a], [b]) => (a < b ? -1 : 1));
    return unique.length === 1 ? this.onePort(unique[0][1].port, unique[0][1].protocol) : unique.map(([, p]) => p);
  }
}
