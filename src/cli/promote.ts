import * as path from 'path';
import { objectChanges } from './diff';
import { closingLines, LedgerChangeOptions, LedgerChangeResult, ledgerNotRead, Pin, runnerOf, synthesizeWithLedger } from './ledger-change';
import { synthesize } from './synthesize';
import { ReleaseLedger } from '../model/ledger';

/** Options of a promotion. @internal */
export interface PromoteOptions extends LedgerChangeOptions {
  readonly from: string;
  readonly to: string;
  readonly project?: string;
  readonly component?: string;
}

/**
 * Promotes releases from one environment to the next along the pipeline: checks the promotion
 * path, pins the source's images in the target in the release ledger, re-synthesizes, and reports
 * what changes in the target environment's rendered objects and whether it requires approval.
 * Refuses promotions the pipeline does not allow, and apps that do not read the ledger, leaving the
 * ledger untouched. @internal
 */
export function promote(o: PromoteOptions): LedgerChangeResult {
  const refuse = (why: string): LedgerChangeResult => ({ ok: false, report: `promotion refused: ${why}` });
  const before = synthesize(runnerOf(o), 'before');
  const ledgerFile = path.resolve(o.cwd, o.ledger);
  let ledger = ReleaseLedger.fromFile(ledgerFile);
  const unread = ledgerNotRead(o, before, ledger);
  if (unread) return refuse(unread);
  const lines: string[] = [];
  const moves: string[] = [];
  const pins: Pin[] = [];
  let approval = false;
  for (const org of before) {
    const from = org.environments[o.from];
    const to = org.environments[o.to];
    if (!from || !to) return refuse(`organization '${org.organization}' has no environment '${!from ? o.from : o.to}' (environments: ${Object.keys(org.environments).sort().join(', ')})`);
    const projects = Object.keys(to.projects).sort().filter(p => o.project === undefined || p === o.project);
    if (projects.length === 0) return refuse(`project '${o.project}' is not deployed in '${o.to}'`);
    for (const project of projects) {
      const target = to.projects[project];
      if (!target.promotedFrom.includes(o.from)) {
        return refuse(`the pipeline of project '${project}' does not promote '${o.from}' to '${o.to}'`
          + (target.promotedFrom.length ? ` ('${o.to}' is promoted from ${target.promotedFrom.map(s => `'${s}'`).join(', ')})` : ` ('${o.to}' is the pipeline's first environment)`));
      }
      const source = from.projects[project];
      const components = Object.keys(source?.components ?? {}).sort().filter(c => o.component === undefined || c === o.component);
      if (o.component !== undefined && components.length === 0) return refuse(`component '${o.component}' is not deployed in '${o.from}' for project '${project}'`);
      approval = approval || target.requiresApproval;
      for (const c of components) {
        const image = source.components[c].image;
        const current = target.components[c]?.image;
        if (current === image) continue;
        moves.push(`  ${project}/${c}: ${current ?? '(none)'} → ${image}`);
        pins.push({ environment: o.to, project, component: c, image });
        ledger = ledger.withPin(o.to, project, c, image);
      }
    }
  }
  lines.push(`Promotion ${o.from} → ${o.to}${o.project ? ` (project ${o.project}${o.component ? `, component ${o.component}` : ''})` : ''}`);
  if (moves.length === 0) {
    lines.push('Nothing to promote: the target already runs the source\'s releases.');
    return { ok: true, report: lines.join('\n') };
  }
  lines.push('Releases:', ...moves);

  const after = synthesizeWithLedger(o, ledgerFile, ledger, pins);
  if (typeof after === 'string') return refuse(after);

  lines.push(`Changes in ${o.to} (rendered objects):`);
  lines.push(...objectChanges(after.map(org => [before.find(b => b.organization === org.organization)?.objects[o.to], org.objects[o.to]]), o.diff));
  lines.push(approval
    ? `Approval: '${o.to}' requires approval. Open a pull request with the ledger change; Argo CD syncs it only when someone syncs manually.`
    : `Approval: not required; '${o.to}' syncs automatically once the change is merged.`);
  const closing = closingLines(o);
  if (closing instanceof Error) return { ok: false, report: [...lines, closing.message].join('\n') };
  return { ok: true, report: [...lines, ...closing].join('\n') };
}
