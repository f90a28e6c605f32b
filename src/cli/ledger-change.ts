import * as fs from 'fs';
import * as path from 'path';
import { AppRunner, imageIn, PlatformSummary, ShellApp, synthesize } from './synthesize';
import { ReleaseLedger } from '../model/ledger';

/** What `promote` and `release` share: the app, its ledger, and what to do after a change. @internal */
export interface LedgerChangeOptions {
  /** The ledger file the app reads (relative to `cwd`). */
  readonly ledger: string;
  /** The command that synthesizes the app (honours CDK8S_OUTDIR). */
  readonly app: string;
  readonly cwd: string;
  /** Runs the app instead of the `app` command (tests run it in-process). */
  readonly runner?: AppRunner;
  /** Compute and print the report without changing the ledger. */
  readonly dryRun?: boolean;
  /** Print the changed fields of each changed object. */
  readonly diff?: boolean;
  /** After a change, re-synthesize the GitOps tree into this folder (relative to `cwd`); unset: only say how. */
  readonly output?: string;
  /** The command that re-synthesizes the tree, for the message when `output` is unset. */
  readonly synthCommand?: string;
}

/** The outcome of a promotion or a release. @internal */
export interface LedgerChangeResult {
  readonly ok: boolean;
  readonly report: string;
}

/** One image to pin. @internal */
export interface Pin {
  readonly environment: string;
  readonly project: string;
  readonly component: string;
  readonly image: string;
}

/** The app runner of `o`. @internal */
export function runnerOf(o: LedgerChangeOptions): AppRunner {
  return o.runner ?? new ShellApp(o.app, o.cwd);
}

/** The fix when the app renders other images than the ledger pins. */
function notRead(o: LedgerChangeOptions, detail: string): string {
  return `the app does not read the ledger ${o.ledger}: ${detail}. `
    + `Fix: give its Organization \`releases: ReleaseLedger.fromFile('${o.ledger}')\`, or pass --ledger <the file the app reads>`;
}

/**
 * Why the synthesized app (`before`) does not read `ledger`, if it does not: a pin of a deployed
 * component that the app renders with another image. @internal
 */
export function ledgerNotRead(o: LedgerChangeOptions, before: PlatformSummary[], ledger: ReleaseLedger): string | undefined {
  for (const env of ledger.environments) {
    for (const key of ledger.componentsIn(env)) {
      const [project, component] = key.split('/');
      const pinned = ledger.pinOf(env, project, component)!.image;
      for (const org of before) {
        const rendered = imageIn(org, env, project, component);
        if (rendered !== undefined && rendered !== pinned) return notRead(o, `it pins ${key} in '${env}' to ${pinned}, but the app renders ${rendered}`);
      }
    }
  }
  return undefined;
}

/**
 * Writes `ledger` to `ledgerFile` and synthesizes the app with it; checks the app now renders every
 * pin. The previous ledger file comes back if synthesis fails or the pins do not show (the reason
 * is returned) and in a dry run. @internal
 */
export function synthesizeWithLedger(o: LedgerChangeOptions, ledgerFile: string, ledger: ReleaseLedger, pins: Pin[]): PlatformSummary[] | string {
  const previous = fs.existsSync(ledgerFile) ? fs.readFileSync(ledgerFile, 'utf8') : undefined;
  const restore = () => (previous === undefined ? fs.rmSync(ledgerFile, { force: true }) : fs.writeFileSync(ledgerFile, previous));
  fs.writeFileSync(ledgerFile, ledger.toJsonString());
  try {
    const after = synthesize(runnerOf(o), 'after');
    const missed = pins.find(p => !after.some(org => imageIn(org, p.environment, p.project, p.component) === p.image));
    if (missed) {
      restore();
      return notRead(o, `with ${missed.project}/${missed.component} pinned to ${missed.image} in '${missed.environment}', the app still renders `
        + `${after.map(org => imageIn(org, missed.environment, missed.project, missed.component)).find(i => i !== undefined) ?? 'no such component'} there`);
    }
    if (o.dryRun) restore();
    return after;
  } catch (e) {
    restore();
    return (e as Error).message;
  }
}

/**
 * The closing lines of a change: the ledger line, and the GitOps tree re-synthesized into
 * `o.output` (or the command that does it). A failed re-synthesis is returned as an Error. @internal
 */
export function closingLines(o: LedgerChangeOptions): string[] | Error {
  if (o.dryRun) return [`Dry run: ${o.ledger} is unchanged.`];
  const lines = [`Ledger updated: ${o.ledger}`];
  if (o.output === undefined) {
    lines.push(`GitOps tree not re-synthesized: run \`${o.synthCommand ?? `CDK8S_OUTDIR=dist ${o.app}`}\` and commit it with ${o.ledger}.`);
    return lines;
  }
  try {
    runnerOf(o).synthesize(path.resolve(o.cwd, o.output));
  } catch (e) {
    return new Error(`${lines[0]}, but re-synthesizing the GitOps tree into ${o.output} failed: ${(e as Error).message}`);
  }
  lines.push(`GitOps tree re-synthesized: ${o.output} (commit it with ${o.ledger}).`);
  return lines;
}
