import { DeploymentPipeline } from '../model/deployment-pipeline';
import { Environment } from '../model/environment';
import { ProblemCollector } from '../model/errors';

/** A pipeline's environments in promotion order, with its root. @internal */
export interface ResolvedPipeline {
  readonly root: Environment;
  /** Environments reachable from the root, breadth-first, ties by name. */
  readonly environments: Environment[];
  /** For each target environment, the environments it is promoted from. */
  readonly sources: Map<Environment, Environment[]>;
  /** Targets that require approval. */
  readonly approvalRequired: Set<Environment>;
}

const byName = (a: Environment, b: Environment) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/**
 * Checks a pipeline: at least one path, exactly one root, no cycle, every named environment
 * reachable from the root. Returns undefined (and records problems) when it is invalid.
 * @internal
 */
export function resolvePipeline(pipeline: DeploymentPipeline, problems: ProblemCollector): ResolvedPipeline | undefined {
  const paths = pipeline.promotionPaths;
  if (paths.length === 0) {
    problems.add(pipeline, `deployment pipeline '${pipeline.name}' has no promotion paths`,
      'add at least one path, e.g. promotionPaths: [{ source: dev, targets: [staging] }]');
    return undefined;
  }
  const next = new Map<Environment, Set<Environment>>();
  const sources = new Map<Environment, Environment[]>();
  const approvalRequired = new Set<Environment>();
  const all = new Set<Environment>();
  for (const p of paths) {
    all.add(p.source);
    const out = next.get(p.source) ?? new Set();
    next.set(p.source, out);
    for (const t of p.targets) {
      if (t === p.source) {
        problems.add(pipeline, `promotion path promotes '${t.name}' to itself`, `remove '${t.name}' from its own targets`);
        return undefined;
      }
      all.add(t);
      out.add(t);
      sources.set(t, [...(sources.get(t) ?? []), p.source].sort(byName));
      if (p.requiresApproval) approvalRequired.add(t);
    }
  }
  const cycle = findCycle([...all].sort(byName), next);
  if (cycle) {
    problems.add(pipeline, `deployment pipeline '${pipeline.name}' has a cycle: ${cycle.map(e => e.name).join(' -> ')}`,
      'remove one of the promotion paths in the cycle so that promotion flows one way');
    return undefined;
  }
  // With no cycle there is at least one root. A pipeline has exactly one: the environment that is
  // never a promotion target. With several, the one reaching most environments is taken as the
  // root and the rest are reported as unreachable from it.
  const roots = [...all].filter(e => !sources.has(e)).sort(byName);
  const reachable = roots.map(r => reach(r, next));
  let best = 0;
  reachable.forEach((r, i) => { if (r.length > reachable[best].length) best = i; });
  const root = roots[best];
  const order = reachable[best];
  const unreachable = [...all].filter(e => !order.includes(e)).sort(byName);
  if (unreachable.length > 0) {
    problems.add(pipeline, `environments ${unreachable.map(e => `'${e.name}'`).join(', ')} are unreachable from the pipeline root '${root.name}' (a pipeline has exactly one root, the environment that is never a promotion target)`,
      `add a promotion path from '${root.name}' (or an environment it reaches) to ${unreachable.filter(e => roots.includes(e)).map(e => `'${e.name}'`).join(', ')}`);
    return undefined;
  }
  return { root, environments: order, sources, approvalRequired };
}

/** Environments reachable from `root`, breadth-first, ties broken by name. */
function reach(root: Environment, next: Map<Environment, Set<Environment>>): Environment[] {
  const order: Environment[] = [];
  const seen = new Set<Environment>([root]);
  for (const queue = [root]; queue.length > 0;) {
    const e = queue.shift()!;
    order.push(e);
    for (const t of [...(next.get(e) ?? [])].sort(byName)) {
      if (!seen.has(t)) {
        seen.add(t);
        queue.push(t);
      }
    }
  }
  return order;
}

function findCycle(nodes: Environment[], next: Map<Environment, Set<Environment>>): Environment[] | undefined {
  const state = new Map<Environment, 1 | 2>();
  const stack: Environment[] = [];
  const visit = (n: Environment): Environment[] | undefined => {
    state.set(n, 1);
    stack.push(n);
    for (const t of [...(next.get(n) ?? [])].sort(byName)) {
      if (state.get(t) === 1) return [...stack.slice(stack.indexOf(t)), t];
      if (!state.has(t)) {
        const c = visit(t);
        if (c) return c;
      }
    }
    stack.pop();
    state.set(n, 2);
    return undefined;
  };
  for (const n of nodes) {
    if (!state.has(n)) {
      const c = visit(n);
      if (c) return c;
    }
  }
  return undefined;
}
