import { AccessEntry, CAPABILITY_NAMES, capabilityChecks, consistent } from './access-capabilities';
import { EnvironmentAccess, verdictText } from './access-report';
import { groupBy } from '../render/grouping';
import { compareText, listText, plural, tableCell } from '../render/markdown';
import type { RenderedDocument } from '../render/types';

/**
 * `access.md` per environment, an index (one row per project: how many groups hold which
 * capabilities, with a link), what each capability checks and the cluster-wide service accounts;
 * and `<project>/access.md` per project: its groups and their capabilities and the service accounts
 * bound in its cell. Entries are indexed by project once, so the reports grow linearly with the
 * platform. @internal
 */
export function renderAccessReports(envs: EnvironmentAccess[]): RenderedDocument[] {
  return envs.flatMap(env => {
    const entries = groupBy(env.entries, e => e.target);
    const accounts = groupBy(env.serviceAccounts, s => s.project ?? '');
    const dir = `${env.dataPlane}/${env.environment}`;
    return [
      { file: `${dir}/access.md`, content: index(env, entries, accounts.get('') ?? []) },
      ...env.projects.map(project => ({
        file: `${dir}/${project}/access.md`,
        content: projectPage(env, project, entries.get(project) ?? [], accounts.get(project) ?? []),
      })),
    ];
  });
}

function header(env: EnvironmentAccess, title: string): string[] {
  const layers = ['Kubernetes RBAC in the cells', ...(env.layers.argoCd ? ['Argo CD project roles'] : []), ...(env.layers.flux ? ['Flux Kustomization Roles'] : [])];
  return [
    `# ${title}`,
    '',
    ...(env.isProduction ? ['A production environment.', ''] : []),
    `Computed from the emitted ${listText(layers)}, not from the declarations. A capability is listed when every layer that has it allows it;`,
    'one that only some layers allow is marked ⚠ with the layers that do. Anyone not listed has no access to these cells.',
    '',
  ];
}

function index(env: EnvironmentAccess, entries: Map<string, AccessEntry[]>, clusterWide: EnvironmentAccess['serviceAccounts']): string {
  const lines = header(env, `Access: ${env.environment} (data plane ${env.dataPlane})`);
  lines.push('## Projects', '', '| project | groups with access | groups that can deploy | groups that can exec | layers disagree | details |', '| --- | --- | --- | --- | --- | --- |');
  for (const project of env.projects) {
    const list = entries.get(project) ?? [];
    const can = (capability: string) => list.filter(e => e.verdicts.some(v => v.capability === capability && consistent(v))).length;
    const inconsistent = list.filter(e => e.verdicts.some(v => !consistent(v))).length;
    lines.push(`| ${tableCell(project)} | ${list.length} | ${can('deploy')} | ${can('exec')} | ${inconsistent === 0 ? '—' : `⚠ ${plural(inconsistent, 'group')}`} | [${project}/access.md](${project}/access.md) |`);
  }
  lines.push('');
  lines.push('## What each capability checks', '', `| capability | Kubernetes (cell namespace) |${env.layers.argoCd ? ' Argo CD (the Application) |' : ''}${env.layers.flux ? ' Flux (the Kustomization) |' : ''}`);
  lines.push(`| --- | --- |${env.layers.argoCd ? ' --- |' : ''}${env.layers.flux ? ' --- |' : ''}`);
  for (const c of CAPABILITY_NAMES) {
    const checks = capabilityChecks(c);
    const [k, a, f] = [checks.kubernetes, checks.argoCd, checks.flux].map(t => (t ? tableCell(t) : '—'));
    lines.push(`| ${c} | ${k} |${env.layers.argoCd ? ` ${a} |` : ''}${env.layers.flux ? ` ${f} |` : ''}`);
  }
  lines.push('');
  lines.push('## Service accounts bound in every namespace', '');
  serviceAccounts(lines, clusterWide, 'every namespace (ClusterRoleBinding)');
  return lines.join('\n');
}

function projectPage(env: EnvironmentAccess, project: string, entries: AccessEntry[], accounts: EnvironmentAccess['serviceAccounts']): string {
  const lines = header(env, `Access: project ${project} in ${env.environment} (data plane ${env.dataPlane})`);
  lines.push('What each capability checks, and the service accounts bound in every namespace: [../access.md](../access.md).', '');
  if (entries.length === 0) {
    lines.push('_No group has access._', '');
  } else {
    lines.push('| group | capabilities |', '| --- | --- |');
    for (const e of [...entries].sort((a, b) => compareText(a.group, b.group))) lines.push(`| ${tableCell(e.group)} | ${e.verdicts.map(verdictText).join(', ')} |`);
    lines.push('');
  }
  lines.push(`## Service accounts bound in the cell of ${project}`, '');
  serviceAccounts(lines, accounts, `cell of ${project}`);
  return lines.join('\n');
}

function serviceAccounts(lines: string[], accounts: EnvironmentAccess['serviceAccounts'], where: string): void {
  if (accounts.length === 0) {
    lines.push('_None._', '');
    return;
  }
  lines.push('| service account | where | role |', '| --- | --- | --- |');
  for (const s of accounts) lines.push(`| ${tableCell(s.subject)} | ${where} | ${tableCell(s.role)} |`);
  lines.push('');
}
