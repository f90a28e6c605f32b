// The connectivity evaluation proper: every allowed flow, from the pods' compiled policy states.
import { PodIndex } from './connectivity-index';
import { compare, CompiledRule, DirectionState, ExternalTarget, Flow, Listening, Peer, Pod, PodState, PortMatch, ruleMatches, Verdict } from './connectivity-model';

/** An external target as a peer, and the port it listens on. */
export interface ExternalDestination {
  readonly target: ExternalTarget;
  readonly peer: Peer;
  readonly port: Listening;
}

/**
 * Every allowed flow (unsorted): src → dst:port is allowed iff src's egress rules matching dst
 * allow the port and dst's ingress rules matching src do (a direction no policy isolates allows
 * everything). An isolated source is paired only with the pods its egress rules match (found
 * through the index); the loops are indexed and the per-pair lists reused, as this runs for every
 * pair of a platform's pods in one cold call.
 */
export function allowedFlows(pods: Pod[], states: PodState[], externals: ExternalDestination[], index: PodIndex): Flow[] {
  const flows: Flow[] = [];
  const destinations = new Destinations(pods.length);
  // The rules matching one pair: refilled for every pair rather than allocated.
  const scratch: CompiledRule[] = [];
  for (let s = 0; s < pods.length; s++) {
    const src = pods[s];
    const egress = states[s].egress;
    const srcPeer: Peer = { pod: src };
    // undefined: egress not isolated, every pod is a destination
    const dsts = egress.isolated ? destinations.of(src, egress.rules, index) : undefined;
    const count = dsts === undefined ? pods.length : dsts.length;
    for (let d = 0; d < count; d++) {
      const dst = dsts === undefined ? pods[d] : dsts[d];
      if (dst === src || dst.listens.length === 0) continue;
      const outRules = dsts === undefined ? undefined : destinations.rules(dst);
      let inRules: CompiledRule[] | undefined | null = null;
      for (let p = 0; p < dst.listens.length; p++) {
        const port = dst.listens[p];
        const out = decideMatched(outRules, port);
        if (!out) continue;
        if (inRules === null) inRules = matchingRules(states[dst.index].ingress, srcPeer, scratch);
        const inn = decideMatched(inRules, port);
        if (!inn) continue;
        const l7 = combineL7(out.l7, inn.l7, src, dst, port);
        flows.push(flow(src.identity.id, dst.identity.id, port.port, port.protocol, l7));
      }
    }
    if (dsts !== undefined) destinations.clear();
    for (let e = 0; e < externals.length; e++) {
      const { target, peer, port } = externals[e];
      const out = decideMatched(matchingRules(egress, peer, scratch), port);
      if (out) flows.push(flow(src.identity.id, target.id, target.port, target.protocol, out.l7));
    }
  }
  return flows;
}

/**
 * The destinations of one isolated source: the pods its egress rules match, each with the rules
 * matching it (kept by pod index, cleared after each source instead of a map per source).
 */
class Destinations {
  private readonly matched: Array<CompiledRule[] | undefined>;
  private readonly pods: Pod[] = [];

  constructor(size: number) {
    this.matched = new Array(size).fill(undefined);
  }

  /**
   * The pods `rules` match (but `src` and pods that listen on nothing), found through the index
   * rather than by testing every pod, in the order a scan would visit them (so that the first
   * conflict reported stays the same): pods of the namespaces the rules name, in that order, or
   * every pod in order when a rule can match pods of any namespace.
   */
  of(src: Pod, rules: CompiledRule[], index: PodIndex): readonly Pod[] {
    for (let r = 0; r < rules.length; r++) {
      const rule = rules[r];
      for (let p = 0; p < rule.pods.length; p++) {
        const peer = rule.pods[p];
        const candidates = index.candidates(peer);
        for (let c = 0; c < candidates.length; c++) {
          const dst = candidates[c];
          if (dst === src || dst.listens.length === 0 || !peer.matches(dst)) continue;
          const list = this.matched[dst.index];
          if (list === undefined) {
            this.matched[dst.index] = [rule];
            this.pods.push(dst);
          } else if (list[list.length - 1] !== rule) {
            list.push(rule);
          }
        }
      }
    }
    if (this.pods.length > 1) this.sort(rules, index.size);
    return this.pods;
  }

  /** The rules matching `dst`, a pod `of` returned. */
  rules(dst: Pod): CompiledRule[] {
    return this.matched[dst.index]!;
  }

  clear(): void {
    for (const pod of this.pods) this.matched[pod.index] = undefined;
    this.pods.length = 0;
  }

  private sort(rules: CompiledRule[], size: number): void {
    const scopes = new Map<string, number>();
    for (const rule of rules) {
      for (const peer of rule.pods) {
        if (peer.namespace === undefined) {
          if (!inOrder(this.pods, byIndex)) this.pods.sort((a, b) => a.index - b.index);
          return;
        }
        if (!scopes.has(peer.namespace)) scopes.set(peer.namespace, scopes.size);
      }
    }
    const rank = (pod: Pod) => scopes.get(pod.identity.namespace)! * size + pod.index;
    if (!inOrder(this.pods, rank)) this.pods.sort((a, b) => rank(a) - rank(b));
  }
}

const byIndex = (pod: Pod) => pod.index;

/**
 * Whether `pods` are already sorted by `rank` (numbers, none NaN): the index mostly finds them in
 * that order, and then the sort (and the work array it allocates) is skipped.
 */
function inOrder(pods: readonly Pod[], rank: (pod: Pod) => number): boolean {
  let previous = rank(pods[0]);
  if (Number.isNaN(previous)) return false;
  for (let i = 1; i < pods.length; i++) {
    const r = rank(pods[i]);
    if (!(r >= previous)) return false; // (false for NaN too)
    previous = r;
  }
  return true;
}

/** The rules of an isolated direction that match `peer`, in order, in `out` (emptied first); undefined when the direction is not isolated. */
function matchingRules(state: DirectionState, peer: Peer, out: CompiledRule[]): CompiledRule[] | undefined {
  if (!state.isolated) return undefined;
  out.length = 0;
  const rules = state.rules;
  for (let i = 0; i < rules.length; i++) if (ruleMatches(rules[i], peer)) out.push(rules[i]);
  return out;
}

const ALLOW_ALL: Verdict = Object.freeze({});

/** Whether `rules` (already known to match the peer; undefined: not isolated) allow `port`, and which HTTP requests. */
function decideMatched(rules: CompiledRule[] | undefined, port: Listening): Verdict | undefined {
  if (rules === undefined) return ALLOW_ALL;
  let allowed = false;
  let unrestricted = false;
  let requests: Set<string> | undefined;
  for (let r = 0; r < rules.length; r++) {
    const entries = rules[r].entries;
    for (let e = 0; e < entries.length; e++) {
      const entry = entries[e];
      if (entry.ports.length > 0 && !anyPortMatches(entry.ports, port)) continue;
      allowed = true;
      if (entry.l7 === undefined) unrestricted = true;
      else for (const request of entry.l7) (requests ??= new Set<string>()).add(request);
    }
  }
  if (!allowed) return undefined;
  return unrestricted ? ALLOW_ALL : { l7: [...(requests ?? [])].sort(compare) };
}

function anyPortMatches(matches: PortMatch[], port: Listening): boolean {
  for (let i = 0; i < matches.length; i++) if (portMatches(matches[i], port)) return true;
  return false;
}

function portMatches(m: PortMatch, port: Listening): boolean {
  if (m.protocol !== undefined && m.protocol !== port.protocol) return false;
  if (m.name !== undefined) return port.names.includes(m.name);
  if (m.port === undefined) return true;
  return port.port >= m.port && port.port <= (m.endPort ?? m.port);
}

function combineL7(egress: string[] | undefined, ingress: string[] | undefined, src: Pod, dst: Pod, port: Listening): string[] | undefined {
  if (egress === undefined) return ingress;
  if (ingress === undefined) return egress;
  if (egress.join('\n') === ingress.join('\n')) return egress;
  const what = `${src.identity.id} → ${dst.identity.id}:${port.port}/${port.protocol}`;
  throw new Error(`connectivity: ${what}: egress allows HTTP [${egress.join(', ')}] and ingress allows [${ingress.join(', ')}]; `
    + 'the evaluator does not intersect differing HTTP rule sets');
}

function flow(from: string, to: string, port: number, protocol: string, l7: string[] | undefined): Flow {
  return l7 === undefined ? { from, to, port, protocol } : { from, to, port, protocol, l7 };
}
