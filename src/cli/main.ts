#!/usr/bin/env node
import * as fs from 'fs';
import * as path from 'path';
import { promote } from './promote';
import { release } from './release';

const USAGE = `usage: cdk8s-openchoreo promote --from <env> --to <env> [--project <p>] [--component <c>]
                                [--ledger releases.json] [--app "<synth command>"] [--dry-run]
       cdk8s-openchoreo release --project <p> --component <c> --image <repository:tag@sha256:digest>
                                [--ledger releases.json] [--app "<synth command>"] [--dry-run]

promote: pins the releases running in --from into --to in the release ledger, along the
deployment pipeline, and prints what changes in --to.
release: pins a build's output image (the WorkflowTemplate's 'image' output) for a built
component in its pipeline's first environment, and prints what changes there.
--app defaults to the 'app' of ./cdk8s.yaml.`;

const OPTIONS: Record<string, string[]> = {
  promote: ['from', 'to', 'project', 'component', 'ledger', 'app', 'dry-run'],
  release: ['project', 'component', 'image', 'ledger', 'app', 'dry-run'],
};

/** Entry point of the `cdk8s-openchoreo` command. @internal */
export function main(argv: string[]): number {
  const [command, ...rest] = argv;
  if (command === undefined || !Object.keys(OPTIONS).includes(command)) {
    process.stderr.write(`${USAGE}\n`);
    return command === undefined || command === '--help' ? 0 : 2;
  }
  const args: Record<string, string | boolean> = {};
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (!a.startsWith('--')) { process.stderr.write(`unexpected argument '${a}'\n${USAGE}\n`); return 2; }
    if (a === '--dry-run') { args['dry-run'] = true; continue; }
    const value = rest[++i];
    if (value === undefined) { process.stderr.write(`${a} needs a value\n`); return 2; }
    args[a.slice(2)] = value;
  }
  for (const k of Object.keys(args)) {
    if (!OPTIONS[command].includes(k)) { process.stderr.write(`unknown option --${k}\n${USAGE}\n`); return 2; }
  }
  const isRelease = command === 'release';
  if (isRelease && (typeof args.project !== 'string' || typeof args.component !== 'string' || typeof args.image !== 'string')) {
    process.stderr.write(`--project, --component and --image are required\n${USAGE}\n`);
    return 2;
  }
  if (!isRelease && (typeof args.from !== 'string' || typeof args.to !== 'string')) { process.stderr.write(`--from and --to are required\n${USAGE}\n`); return 2; }
  const cwd = process.cwd();
  const app = typeof args.app === 'string' ? args.app : appFromConfig(cwd);
  if (!app) { process.stderr.write('no --app given and no app in ./cdk8s.yaml\n'); return 2; }
  const ledger = typeof args.ledger === 'string' ? args.ledger : 'releases.json';
  const result = isRelease ? release({
    project: args.project as string,
    component: args.component as string,
    image: args.image as string,
    ledger,
    app,
    cwd,
    dryRun: args['dry-run'] === true,
  }) : promote({
    from: args.from as string,
    to: args.to as string,
    project: args.project as string | undefined,
    component: args.component as string | undefined,
    ledger,
    app,
    cwd,
    dryRun: args['dry-run'] === true,
  });
  (result.ok ? process.stdout : process.stderr).write(`${result.report}\n`);
  return result.ok ? 0 : 2;
}

function appFromConfig(cwd: string): string | undefined {
  const file = path.join(cwd, 'cdk8s.yaml');
  if (!fs.existsSync(file)) return undefined;
  const line = fs.readFileSync(file, 'utf8').split('\n').find(l => /^app:\s*/.test(l));
  return line?.replace(/^app:\s*/, '').trim().replace(/^["']|["']$/g, '');
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
