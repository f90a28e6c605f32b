import { AccessEntry, AccessEvaluator, AccessTarget, CAPABILITY_NAMES, capabilityChecks, CapabilityVerdict, consistent, evaluateAccess } from './access';
import { cellsByEnvironment } from '../render/grouping';
import type { RenderedDocument, RenderedObject } from '../render/types';
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
  const manifests = objects.map(o => o.manifest);
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

/** `access.md` per environment: the group × project matrix, what each capability checks, and the service accounts. @internal */
export function renderAccessReports(envs: EnvironmentAccess[]): RenderedDocument[] {
  return envs.map(env => {
    const layers = ['Kubernetes RBAC in the cells', ...(env.layers.argoCd ? ['Argo CD project roles'] : []), ...(env.layers.flux ? ['Flux Kustomization Roles'] : [])];
    const lines = [
      `# Access: ${env.environment} (data plane ${env.dataPlane})`,
      '',
      ...(env.isProduction ? ['A production environment.', ''] : []),
      `Computed from the emitted ${listText(layers)}, not from the declarations. A capability is listed when every layer that has it allows it;`,
      'one that only some layers allow is marked ⚠ with the layers that do. Anyone not listed has no access to these cells.',
      '',
    ];
    const groups = [...new Set(env.entries.map(e => e.group))].sort(compare);
    if (groups.length === 0) {
      lines.push('_No group has access._', '');
    } else {
      lines.push(`| group | ${env.projects.join(' | ')} |`, `| --- | ${env.projects.map(() => '---').join(' | ')} |`);
      for (const g of groups) {
        const row = env.projects.map(p => {
          const entry = env.entries.find(e => e.group === g && e.target === p);
          return entry ? entry.verdicts.map(verdictText).join(', ') : '·';
        });
        lines.push(`| ${cell(g)} | ${row.join(' | ')} |`);
      }
      lines.push('');
    }
    lines.push('## What each capability checks', '', `| capability | Kubernetes (cell namespace) |${env.layers.argoCd ? ' Argo CD (the Application) |' : ''}${env.layers.flux ? ' Flux (the Kustomization) |' : ''}`);
    lines.push(`| --- | --- |${env.layers.argoCd ? ' --- |' : ''}${env.layers.flux ? ' --- |' : ''}`);
    for (const c of CAPABILITY_NAMES) {
      const checks = capabilityChecks(c);
      const [k, a, f] = [checks.kubernetes, checks.argoCd, checks.flux].map(t => (t ? cell(t) : '—'));
      lines.push(`| ${c} | ${k} |${env.layers.argoCd ? ` ${a} |` : ''}${env.layers.flux ? ` ${f} |` : ''}`);
    }
    lines.push('');
    lines.push('## Service accounts bound in these cells', '');
    if (env.serviceAccounts.length === 0) {
      lines.push('_None._', '');
    } else {
      lines.push('| service account | where | role |', '| --- | --- | --- |');
      for (const s of env.serviceAccounts) lines.push(`| ${cell(s.subject)} | ${s.project ? `cell of ${s.project}` : 'every namespace (ClusterRoleBinding)'} | ${cell(s.role)} |`);
      lines.push('');
    }
    return { file: `${env.dataPlane}/${env.environment}/access.md`, content: lines.join('\n') };
  });
}

function listText(items: string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
