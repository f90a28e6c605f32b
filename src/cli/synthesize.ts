import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { PlatformSummary as PlatformJson, readPlatformSummary } from '../render/platform-summary';

/** Runs the user's app: synthesizes it into a folder. Throws an Error saying why when it fails. @internal */
export interface AppRunner {
  /** A short description for messages, e.g. the command line. */
  readonly description: string;
  /** Synthesizes the app into `outdir` (an absolute path). */
  synthesize(outdir: string): void;
}

/** The app as a shell command that honours `CDK8S_OUTDIR` (what `cdk8s synth` runs). @internal */
export class ShellApp implements AppRunner {
  constructor(public readonly description: string, private readonly cwd: string, private readonly env: NodeJS.ProcessEnv = process.env) {}

  public synthesize(outdir: string): void {
    const run = spawnSync(this.description, { cwd: this.cwd, shell: true, encoding: 'utf8', env: { ...this.env, CDK8S_OUTDIR: outdir } });
    if (run.status !== 0) {
      const output = (run.stderr || run.stdout || String(run.error ?? '')).trim();
      throw new Error(`synthesizing the app (${this.description}) failed${run.status === null ? '' : ` with exit code ${run.status}`}:\n${output}`);
    }
  }
}

/** An organization's platform.json (the shared {@link PlatformJson} type) and its rendered objects. @internal */
export interface PlatformSummary extends PlatformJson {
  /** Rendered objects per environment: `Kind/namespace/name` → the parsed object. */
  readonly objects: { [env: string]: Map<string, any> };
}

/** Synthesizes the app into a temp folder and reads every organization's platform.json and objects. @internal */
export function synthesize(app: AppRunner, label: string): PlatformSummary[] {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `cdk8s-openchoreo-${label}-`));
  try {
    app.synthesize(outdir);
    return fs.readdirSync(outdir).filter(d => fs.existsSync(path.join(outdir, d, 'platform.json'))).sort().map(d => {
      const summary = readPlatformSummary(path.join(outdir, d, 'platform.json'));
      const objects: { [env: string]: Map<string, any> } = {};
      for (const [env, e] of Object.entries(summary.environments)) objects[env] = readObjects(path.join(outdir, d, e.dataPlane, env));
      return { ...summary, objects };
    });
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** The objects of the YAML files below `dir`, keyed by kind, namespace and name. */
function readObjects(dir: string): Map<string, any> {
  const out = new Map<string, any>();
  if (!fs.existsSync(dir)) return out;
  const files = fs.readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter(f => f.endsWith('.yaml') && path.basename(f) !== 'kustomization.yaml').sort();
  for (const f of files) {
    for (const doc of parseAllDocuments(fs.readFileSync(path.join(dir, f), 'utf8')).map(d => d.toJSON())) {
      if (doc && typeof doc.kind === 'string') out.set(`${doc.kind}/${doc.metadata?.namespace ?? ''}/${doc.metadata?.name ?? ''}`, doc);
    }
  }
  return out;
}

/** The image `platform.json` shows for `project/component` in `env` of `org`, if deployed there. @internal */
export function imageIn(org: PlatformSummary, env: string, project: string, component: string): string | undefined {
  return org.environments[env]?.projects[project]?.components[component]?.image;
}
