import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ReleaseLedger } from '../model/ledger';
import { PlatformSummary as PlatformJson, readPlatformSummary } from '../render/platform-summary';

/** Options of a promotion. @internal */
export interface PromoteOptions {
  readonly from: string;
  readonly to: string;
  readonly project?: string;
  readonly component?: string;
  /** The ledger file the app reads (relative to `cwd`). */
  readonly ledger: string;
  /** The command that synthesizes the app (honours CDK8S_OUTDIR). */
  readonly app: string;
  readonly cwd: string;
  /** Compute and print the report without changing the ledger. */
  readonly dryRun?: boolean;
}

/** The outcome of a promotion. @internal */
export interface PromoteResult {
  readonly ok: boolean;
  readonly report: string;
}

/** An organization's platform.json and rendered objects. @internal */
export interface PlatformSummary extends PlatformJson {
  /** Rendered objects per environment: `Kind/namespace/name` → its YAML. */
  readonly objects: { [env: string]: Map<string, string> };
}

/** Synthesizes the app into a temp folder and reads every organization's platform.json and objects. @internal */
export function synthesize(o: Pick<PromoteOptions, 'app' | 'cwd'>, label: string): PlatformSummary[] {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `cdk8s-openchoreo-promote-${label}-`));
  try {
    const run = spawnSync(o.app, { cwd: o.cwd, shell: true, encoding: 'utf8', env: { ...process.env, CDK8S_OUTDIR: outdir } });
    if (run.status !== 0) throw new Error(`synthesizing the app (${o.app}) failed:\n${(run.stderr || run.stdout || '').trim()}`);
    return fs.readdirSync(outdir).filter(d => fs.existsSync(path.join(outdir, d, 'platform.json'))).sort().map(d => {
      const summary = readPlatformSummary(path.join(outdir, d, 'platform.json'));
      const objects: { [env: string]: Map<string, string> } = {};
      for (const [env, e] of Object.entries(summary.environments)) objects[env] = readObjects(path.join(outdir, d, e.dataPlane, env));
      return { ...summary, objects };
    });
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** The objects of the YAML files below `dir`, keyed by kind, namespace and name (our own output's layout). */
function readObjects(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  if (!fs.existsSync(dir)) return out;
  const files = fs.readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter(f => f.endsWith('.yaml') && path.basename(f) !== 'kustomization.yaml').sort();
  for (const f of files) {
    for (const doc of fs.readFileSync(path.join(dir, f), 'utf8').split(/^---\n/m)) {
      const id = identity(doc);
      if (id) out.set(id, doc);
    }
  }
  return out;
}

/** `Kind/namespace/name` of a YAML document written by our emitter (top-level kind, metadata's name and namespace). */
function identity(doc: string): string | undefined {
  const value = (v: string) => (v.startsWith('"') ? JSON.parse(v) : v);
  let kind: string | undefined;
  let name = '';
  let namespace = '';
  let inMetadata = false;
  for (const line of doc.split('\n')) {
    if (/^\S/.test(line)) inMetadata = line === 'metadata:';
    if (line.startsWith('kind: ')) kind = value(line.slice(6));
    else if (inMetadata && line.startsWith('  name: ')) name = value(line.slice(8));
    else if (inMetadata && line.startsWith('  namespace: ')) namespace = value(line.slice(13));
  }
  return kind ? `${kind}/${namespace}/${name}` : undefined;
}

/**
 * Promotes releases from one environment to the next along the pipeline: checks the promotion
 * path, pins the source's images in the target in the release ledger, re-synthesizes, and reports
 * what changes in the target environment's rendered objects and whether it requires approval.
 * Refuses promotions the pipeline does not allow, leaving the ledger untouched. @internal
 */
export function promote(o: PromoteOptions): PromoteResult {
  const refuse = (why: string): PromoteResult => ({ ok: false, report: `promotion refused: ${why}` });
  const before = synthesize(o, 'before');
  const ledgerFile = path.resolve(o.cwd, o.ledger);
  let ledger = ReleaseLedger.fromFile(ledgerFile);
  const lines: string[] = [];
  const moves: string[] = [];
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

  const after = synthesizeWithLedger(o, ledgerFile, ledger);
  if (after instanceof Error) return refuse(after.message);

  lines.push(`Changes in ${o.to} (rendered objects):`);
  lines.push(...objectChanges(after.map(org => [before.find(b => b.organization === org.organization)?.objects[o.to], org.objects[o.to]])));
  lines.push(approval
    ? `Approval: '${o.to}' requires approval. Open a pull request with the ledger change; Argo CD syncs it only when someone syncs manually.`
    : `Approval: not required; '${o.to}' syncs automatically once the change is merged.`);
  lines.push(o.dryRun ? `Dry run: ${o.ledger} is unchanged.` : `Ledger updated: ${o.ledger}`);
  return { ok: true, report: lines.join('\n') };
}

/**
 * Writes `ledger` to `ledgerFile` and synthesizes the app with it. The previous ledger file comes
 * back if synthesis fails (the error is returned) or in a dry run. @internal
 */
export function synthesizeWithLedger(o: Pick<PromoteOptions, 'app' | 'cwd' | 'dryRun'>, ledgerFile: string, ledger: ReleaseLedger): PlatformSummary[] | Error {
  const previous = fs.existsSync(ledgerFile) ? fs.readFileSync(ledgerFile, 'utf8') : undefined;
  const restore = () => (previous === undefined ? fs.rmSync(ledgerFile, { force: true }) : fs.writeFileSync(ledgerFile, previous));
  fs.writeFileSync(ledgerFile, ledger.toJsonString());
  try {
    const after = synthesize(o, 'after');
    if (o.dryRun) restore();
    return after;
  } catch (e) {
    restore();
    return e as Error;
  }
}

type Objects = Map<string, string> | undefined;

/**
 * The objects added, removed and changed between pairs of (before, after) renderings of an
 * environment, one line each in key order, and a line with the counts. @internal
 */
export function objectChanges(pairs: ReadonlyArray<readonly [Objects, Objects]>): string[] {
  const lines: string[] = [];
  const counts = { added: 0, changed: 0, removed: 0 };
  for (const [old = new Map<string, string>(), now = new Map<string, string>()] of pairs) {
    for (const key of [...new Set([...old.keys(), ...now.keys()])].sort()) {
      const change = !old.has(key) ? 'added' : !now.has(key) ? 'removed' : old.get(key) !== now.get(key) ? 'changed' : undefined;
      if (!change) continue;
      counts[change]++;
      lines.push(`  ${change.padEnd(8)} ${key}`);
    }
  }
  lines.push(`${counts.added} added, ${counts.changed} changed, ${counts.removed} removed.`);
  return lines;
}
