import { platformDirectory } from './directories';
import { renderArgoCd } from './gitops-argocd';
import { GitOpsContext } from './gitops-context';
import { renderFlux } from './gitops-flux';
import { cellsByEnvironment, groupBy, manifestsByNamespace } from './grouping';
import type { RenderedObject } from './types';
import { Labels, MANAGED_BY } from '../resolve/labels';
import { Cell, Plan } from '../resolve/plan';

/**
 * Argo CD and/or Flux objects that deliver the tree (see `renderArgoCd` and `renderFlux`); names,
 * sync waves and dependencies come from the plan's delivery. @internal
 */
export function renderGitOps(plan: Plan, objects: RenderedObject[]): RenderedObject[] {
  const d = plan.delivery;
  if (!d) return [];
  const org = plan.organization.name;
  const byNamespace = manifestsByNamespace(objects);
  const ctx: GitOpsContext = {
    plan,
    delivery: d,
    organization: org,
    projects: [...groupBy(plan.cells, c => c.project).entries()].sort(([a], [b]) => (a < b ? -1 : 1)),
    environments: cellsByEnvironment(plan.cells),
    // Each data plane's platform folder (gateways, builds): delivered before and beside the cells.
    platforms: plan.dataPlanes
      .map(dp => {
        const inFolder = objects.filter(o => o.dir === platformDirectory(dp.name));
        return { dp, manifests: inFolder.map(o => o.manifest), groups: [...new Set(inFolder.map(o => o.group))].sort() };
      })
      .filter(p => p.manifests.length > 0),
    labels: { [Labels.NAMESPACE]: org, [Labels.MANAGED_BY]: MANAGED_BY },
    manifestsOf: (cells: Cell[]) => cells.flatMap(c => byNamespace.get(c.namespace) ?? []),
  };
  return [...(d.argoCd ? renderArgoCd(ctx) : []), ...(d.flux ? renderFlux(ctx) : [])];
}
