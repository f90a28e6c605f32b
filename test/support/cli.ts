import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PlatformApp } from '../../src';
import { AppRunner } from '../../src/cli/synthesize';

/** A temp folder for a CLI test, with an optional ledger written to ./releases.json. */
export function tempWorkspace(prefix: string, ledger?: object): { dir: string; ledgerFile: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const ledgerFile = path.join(dir, 'releases.json');
  if (ledger) fs.writeFileSync(ledgerFile, JSON.stringify(ledger));
  return { dir, ledgerFile };
}

/**
 * Runs an app in this process, as `CDK8S_OUTDIR=<outdir> <app command>` would in a subprocess:
 * `declare` builds the platform in a fresh PlatformApp (reading the workspace's ledger itself).
 * Counts its runs, so tests can check how often the CLI synthesized.
 */
export class InProcessApp implements AppRunner {
  public runs = 0;
  constructor(public readonly description: string, private readonly declare: (app: PlatformApp) => void) {}

  public synthesize(outdir: string): void {
    this.runs++;
    const app = new PlatformApp({ outdir });
    this.declare(app);
    app.synth();
  }
}

/** Captured stdout and stderr of an in-process CLI run. */
export interface Captured {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number;
}

/** A writable that keeps what is written. */
export function sink(): { write(text: string): boolean; readonly text: string } {
  let text = '';
  return { write: (t: string) => { text += t; return true; }, get text() { return text; } };
}
