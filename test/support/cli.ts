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

/** A writable that keeps what is written (`text`). */
export class Sink {
  private readonly chunks: string[] = [];
  public get text(): string {
    return this.chunks.join('');
  }
  public write(t: string): boolean {
    this.chunks.push(t);
    return true;
  }
}

/** A new {@link Sink}. */
export function sink(): Sink {
  return new Sink();
}
