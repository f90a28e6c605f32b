import { AccessEvaluator, accessReads } from './access';
import { AccessEntry, AccessTarget, CapabilityVerdict, consistent, evaluateAccess } from './access-capabilities';
import { cellsByEnvironment } from '../render/grouping';
import type { RenderedObject } from '../render/types';
import { cellDelivery } from '../resolve/delivery';
import { Plan } from '../resolve/plan';

/** Who may do what to each project of one environment, computed from the emitted objects. @internal */
export interface EnvironmentAccess {
  readonly dataPlane: string;
  readonly environment: string;
  readonly isProduction: boolean;
  /** Projects of the environment, sorted. */
  readonly projects: string[];
  /** Which layers deliver the environment. */
  readonly layers: { readonly argoCd: boolean; readonly flux: boolean };
  /** Group × project entries (groups without the Kubernetes prefix). */
  readonly entries: AccessEntry[];
  /**
   * Service accounts bound to a role in the environment's cells (`project`), or in every namespace
   * (`project` undefined: a ClusterRoleBinding).
   */
  readonly serviceAccounts: Array<{ readonly subject: string; readonly project?: string; readonly role: string }>;
}

/**
 * Evaluates every environment's access from the emitted RBAC objects and AppProjects with the
 * independent evaluator (only when the organization grants access). @internal
 */
export function accessOf(plan: Plan, objects: RenderedObject[]): EnvironmentAccess[] {
  if (!plan.access) return [];
  const d = plan.delivery;
  // only the objects it reads (RBAC and AppProjects, a few in a hundred), in their order
  const manifests: any[] = [];
  for (let i = 0; i < objects.length; i++) if (accessReads(objects[i].manifest)) manifests.push(objects[i].manifest);
  const evaluator = new AccessEvaluator(manifests);
  return cellsByEnvironment(plan.cells).map(([, cells]) => {
    const first = cells[0];
    const targets: AccessTarget[] = cells.map(c => ({
      id: c.project,
      namespace: c.namespace,
      ...(d?.argoCd ? { argoCd: { project: cellDelivery(d, c).appProject, application: cellDelivery(d, c).name } } : {}),
      ...(d?.flux ? { flux: { namespace: d.fluxNamespace, kustomization: cellDelivery(d, c).name } } : {}),
    }));
    const serviceAccounts = [...new Map(cells.flatMap(c => evaluator.bindingsIn(c.namespace).flatMap(b => b.subjects
      .filter(s => s.kind === 'ServiceAccount')
      .map(s => ({ subject: `${s.namespace ?? c.namespace}/${s.name}`, ...(b.namespace ? { project: c.project } : {}), role: b.role }))))
      .map(s => [`${s.subject}\n${s.project ?? ''}\n${s.role}`, s] as const)).entries()]
      .sort(([a], [b]) => compare(a, b)).map(([, s]) => s);
    return {
      dataPlane: first.dataPlane,
      environment: first.environment,
      isProduction: first.isProduction,
      projects: [...new Set(cells.map(c => c.project))].sort(),
      layers: { argoCd: d?.argoCd ?? false, flux: d?.flux ?? false },
      entries: evaluateAccess(evaluator, targets, plan.access!.groupPrefixes[first.dataPlane] ?? ''),
      serviceAccounts,
    };
  });
}

/** A capability as a matrix cell shows it: its name, marked when the layers disagree. @internal */
export function verdictText(v: CapabilityVerdict): string {
  if (consistent(v)) return v.capability;
  const allowed = [v.kubernetes && 'Kubernetes', v.argoCd && 'Argo CD', v.flux && 'Flux'].filter(Boolean).join(' + ');
  return `${v.capability} ⚠ ${allowed} only`;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
