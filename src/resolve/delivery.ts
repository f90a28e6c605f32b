import { generateName, NameLimit } from './naming';
import type { Cell, PlanDelivery } from './plan';
import { DurationTarget, formatDuration } from '../model/duration';
import { GitOpsDelivery, GitOpsTool } from '../model/gitops';

/*
 * GitOps delivery decisions, made once for every renderer and report: the project dependency
 * graph of each environment, its sync waves, which dependencies form cycles, and the names of the
 * Argo CD and Flux objects.
 */

/** One project's delivery in one environment (one cell). @internal */
export interface PlanCellDelivery {
  readonly dataPlane: string;
  readonly environment: string;
  readonly project: string;
  /** Name of its Argo CD Application and of its Flux Kustomization. */
  readonly name: string;
  /** Name of its project's Argo CD AppProject. */
  readonly appProject: string;
  /** Name of its project's Flux tenant service account. */
  readonly tenant: string;
  /**
   * Sync wave: one more than the highest wave of the projects it depends on; projects in a
   * dependency cycle share a wave. Waves start at 1 (0 is for platform objects).
   */
  readonly wave: number;
  /** Other projects of the environment its components call, sorted. */
  readonly dependsOn: string[];
  /** Those of `dependsOn` it can wait for: the ones not in a dependency cycle with it (Flux `dependsOn`). */
  readonly waitsFor: string[];
}

/** The name of a project's Argo CD AppProject. @internal */
export function appProjectName(organization: string, project: string): string {
  return `${organization}-${project}`;
}

/** The name of a project's Argo CD Application and Flux Kustomization in an environment. @internal */
export function deliveryName(organization: string, project: string, environment: string): string {
  return generateName(NameLimit.SUBDOMAIN, organization, project, environment);
}

/** The name of a project's Flux tenant service account. @internal */
export function tenantName(organization: string, project: string): string {
  return `${organization}-${project}-reconciler`;
}

/** Resolves delivery settings and, per cell, its names, wave and dependencies. @internal */
export function resolveDelivery(organization: string, delivery: GitOpsDelivery, cells: Cell[]): PlanDelivery {
  const byEnvironment = new Map<string, Cell[]>();
  for (const cell of cells) {
    const key = `${cell.dataPlane}/${cell.environment}`;
    byEnvironment.set(key, [...(byEnvironment.get(key) ?? []), cell]);
  }
  const out: PlanCellDelivery[] = [];
  for (const envCells of byEnvironment.values()) {
    const edges = new Map(envCells.map(cell => [cell.project, providersOf(cell)]));
    const waves = projectWaves(edges);
    for (const cell of envCells) {
      const dependsOn = edges.get(cell.project)!;
      out.push({
        dataPlane: cell.dataPlane,
        environment: cell.environment,
        project: cell.project,
        name: deliveryName(organization, cell.project, cell.environment),
        appProject: appProjectName(organization, cell.project),
        tenant: tenantName(organization, cell.project),
        wave: waves.get(cell.project)!,
        dependsOn,
        waitsFor: dependsOn.filter(p => !inCycle(edges, cell.project, p)),
      });
    }
  }
  const key = (c: { dataPlane: string; environment: string; project: string }) => `${c.dataPlane}/${c.environment}/${c.project}`;
  return {
    repoUrl: delivery.repoUrl,
    revision: delivery.revision,
    basePath: delivery.basePath,
    argoCd: delivery.tools.includes(GitOpsTool.ARGO_CD),
    flux: delivery.tools.includes(GitOpsTool.FLUX),
    argoCdNamespace: delivery.argoCdNamespace,
    fluxNamespace: delivery.fluxNamespace,
    interval: formatDuration(delivery.interval, DurationTarget.GO),
    cells: out.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0)),
  };
}

/**
 * Delivery records by data plane, environment and project, per delivery: renderers and reports ask
 * once or more per cell (a linear search each made that quadratic in cells). The plan is read-only
 * after resolve, so an index stays valid.
 */
const cellIndexes = new WeakMap<PlanDelivery, Map<string, PlanCellDelivery>>();

function cellKey(dataPlane: string, environment: string, project: string): string {
  return `${dataPlane}\u0000${environment}\u0000${project}`;
}

/** A cell's delivery record (the plan has one for every cell when delivery is declared). @internal */
export function cellDelivery(delivery: PlanDelivery, cell: Cell): PlanCellDelivery {
  let index = cellIndexes.get(delivery);
  if (index === undefined) {
    index = new Map();
    // the first record of a key, as a linear search would find it
    for (const d of delivery.cells) {
      const key = cellKey(d.dataPlane, d.environment, d.project);
      if (!index.has(key)) index.set(key, d);
    }
    cellIndexes.set(delivery, index);
  }
  const found = index.get(cellKey(cell.dataPlane, cell.environment, cell.project));
  if (!found) throw new Error(`internal: no delivery record for cell ${cell.namespace}`);
  return found;
}

/** The other projects a cell's components depend on, sorted. */
function providersOf(cell: Cell): string[] {
  const projects = new Set<string>();
  for (const c of cell.components) {
    for (const d of c.dependencies) if (d.kind === 'endpoint' && d.project !== cell.project) projects.add(d.project!);
  }
  return [...projects].sort();
}

/** Waves of one environment's projects (see {@link PlanCellDelivery.wave}). */
function projectWaves(needs: Map<string, string[]>): Map<string, number> {
  const wave = new Map<string, number>([...needs.keys()].map(p => [p, 1]));
  // Relax at most |projects| times: enough for any acyclic chain; cycles stop growing at the cap.
  for (let round = 0; round < needs.size; round++) {
    let changed = false;
    for (const [p, deps] of needs) {
      for (const d of deps) {
        const w = Math.min((wave.get(d) ?? 1) + 1, needs.size);
        if (w > wave.get(p)!) {
          wave.set(p, w);
          changed = true;
        }
      }
    }
    if (!changed) break;
  }
  return wave;
}

/** Projects that depend on each other (directly or through others) cannot wait for each other. */
function inCycle(edges: Map<string, string[]>, from: string, to: string): boolean {
  const seen = new Set<string>();
  const stack = [to];
  while (stack.length > 0) {
    const p = stack.pop()!;
    if (p === from) return true;
    if (seen.has(p)) continue;
    seen.add(p);
    stack.push(...(edges.get(p) ?? []));
  }
  return false;
}
