import { Cell, Plan, PlanDataPlane, PlanDelivery } from '../resolve/plan';

/** What every GitOps renderer reads: the plan's delivery, the cells grouped, the emitted objects. @internal */
export interface GitOpsContext {
  readonly plan: Plan;
  readonly delivery: PlanDelivery;
  readonly organization: string;
  /** Cells per project, sorted by project. */
  readonly projects: Array<[string, Cell[]]>;
  /** Cells per `<data plane>/<environment>`, sorted. */
  readonly environments: Array<[string, Cell[]]>;
  /** Data planes whose platform folder holds objects, with those objects and their groups. */
  readonly platforms: Array<{ readonly dp: PlanDataPlane; readonly manifests: any[]; readonly groups: string[] }>;
  /** Common labels of the delivery objects. */
  readonly labels: { [key: string]: string };
  /** The emitted objects in the given cells. */
  manifestsOf(cells: Cell[]): any[];
}

/** A path inside the delivery repository. @internal */
export function repoPath(d: PlanDelivery, ...parts: string[]): string {
  return [d.basePath, ...parts].filter(p => p !== '').join('/');
}

/** The kinds a set of objects uses, as API group + kind, sorted. @internal */
export function kindsOf(manifests: any[]): Array<{ group: string; kind: string }> {
  const seen = new Map<string, { group: string; kind: string }>();
  for (const m of manifests) {
    const group = String(m.apiVersion).includes('/') ? String(m.apiVersion).split('/')[0] : '';
    seen.set(`${group}/${m.kind}`, { group, kind: m.kind });
  }
  return [...seen.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, v]) => v);
}
