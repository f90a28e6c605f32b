import type { AccessTarget } from './access-capabilities';

/**
 * The access targets by where a group's permissions could reach them: the Kubernetes namespace, the
 * Flux Kustomization's namespace and the Argo CD project. Each group is then asked only about the
 * targets of its bindings' namespaces and of its Argo CD projects, not about every target (groups
 * and targets both grow with the platform: a scan per group would grow with its square). @internal
 */
export class AccessTargetIndex {
  private readonly byNamespace = new Map<string, number[]>();
  private readonly byArgoCdProject = new Map<string, number[]>();
  private readonly all: number[];
  /** Per position, the last query that listed it (a mark cleared by moving on to the next query). */
  private readonly seen: Int32Array;
  private query = 0;

  /** `sorted`: the targets in the order entries list them. */
  constructor(sorted: readonly AccessTarget[]) {
    this.all = sorted.map((_, i) => i);
    this.seen = new Int32Array(sorted.length);
    sorted.forEach((t, i) => {
      add(this.byNamespace, t.namespace, i);
      if (t.flux !== undefined && t.flux.namespace !== t.namespace) add(this.byNamespace, t.flux.namespace, i);
      if (t.argoCd !== undefined) add(this.byArgoCdProject, t.argoCd.project, i);
    });
  }

  /**
   * The positions (ascending) of every target whose namespace or Flux namespace is in `namespaces`
   * (every target when `everywhere`) or whose Argo CD project is in `argoCdProjects`: a superset of
   * the targets the group reaches, in order.
   */
  public reachable(everywhere: boolean, namespaces: Iterable<string>, argoCdProjects: Iterable<string>): readonly number[] {
    if (everywhere) return this.all;
    const query = ++this.query;
    const out: number[] = [];
    const collect = (list: number[] | undefined) => {
      for (const i of list ?? []) {
        if (this.seen[i] === query) continue;
        this.seen[i] = query;
        out.push(i);
      }
    };
    for (const ns of namespaces) collect(this.byNamespace.get(ns));
    for (const project of argoCdProjects) collect(this.byArgoCdProject.get(project));
    return out.sort((a, b) => a - b);
  }
}

function add(index: Map<string, number[]>, key: string, i: number): void {
  const list = index.get(key);
  if (list === undefined) index.set(key, [i]);
  else list.push(i);
}
