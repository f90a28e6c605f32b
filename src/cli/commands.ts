import * as fs from 'fs';
import * as path from 'path';
import { LedgerChangeOptions, LedgerChangeResult } from './ledger-change';
import { promote } from './promote';
import { release } from './release';
import { AppRunner } from './synthesize';
import { verifyDirectory } from './verify';

/** Where a command writes and where it runs. @internal */
export interface CliIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  /** The folder the command runs in (finds ./cdk8s.yaml and the ledger there). */
  readonly cwd: string;
  /** Runs the app instead of its command (tests run it in-process). */
  readonly runner?: AppRunner;
}

/** One option of a command. @internal */
export interface OptionSpec {
  /** `string` takes a value, `boolean` is a flag. */
  readonly type: 'string' | 'boolean';
  /** The value's placeholder in the help, e.g. `<env>`. */
  readonly value?: string;
  readonly short?: string;
  readonly description: string;
}

/** Parsed arguments of a command. @internal */
export interface ParsedArgs {
  readonly values: { readonly [option: string]: string | boolean | undefined };
  readonly positionals: string[];
}

/** A subcommand: its help and what it runs. Exit codes: 0 ok, 1 refused or failed, 2 usage. @internal */
export interface Command {
  /** One line for the top-level help. */
  readonly summary: string;
  /** The synopsis after `usage: cdk8s-openchoreo `. */
  readonly synopsis: string;
  /** A paragraph for the command's help. */
  readonly description: string;
  readonly options: { readonly [name: string]: OptionSpec };
  /** Whether the command takes positional arguments (e.g. a folder). */
  readonly positionals?: boolean;
  run(args: ParsedArgs, io: CliIo): number;
}

/** Thrown for bad usage (exit code 2, with the command's usage). @internal */
export class UsageError extends Error {}

const APP_OPTIONS: { readonly [name: string]: OptionSpec } = {
  'ledger': { type: 'string', value: '<file>', description: 'the release ledger the app reads (default: releases.json)' },
  'app': { type: 'string', value: '<command>', description: "the command that synthesizes the app (default: the 'app' of ./cdk8s.yaml)" },
  'output': { type: 'string', value: '<dir>', short: 'o', description: "where to re-synthesize the GitOps tree (default: the 'output' of ./cdk8s.yaml, or dist)" },
  'no-synth': { type: 'boolean', description: 'do not re-synthesize the GitOps tree; print the command that does' },
  'dry-run': { type: 'boolean', description: 'report only: the ledger and the GitOps tree stay as they are' },
  'diff': { type: 'boolean', description: 'show the changed fields of each changed object (path: old -> new)' },
};

/** The `cdk8s-openchoreo` subcommands. Adding one is one entry. @internal */
export const COMMANDS: { readonly [name: string]: Command } = {
  promote: {
    summary: 'pin the releases of one environment in the next, along the deployment pipeline',
    synopsis: 'promote --from <env> --to <env> [--project <p>] [--component <c>] [options]',
    description: 'Pins the releases running in --from into --to in the release ledger, along the deployment\npipeline, prints what changes in --to and whether it needs approval, and re-synthesizes the\nGitOps tree.',
    options: {
      from: { type: 'string', value: '<env>', description: 'the environment to promote from (required)' },
      to: { type: 'string', value: '<env>', description: 'the environment to promote to (required)' },
      project: { type: 'string', value: '<p>', description: 'only this project' },
      component: { type: 'string', value: '<c>', description: 'only this component' },
      ...APP_OPTIONS,
    },
    run: (args, io) => {
      const v = args.values;
      if (typeof v.from !== 'string' || typeof v.to !== 'string') throw new UsageError('--from and --to are required');
      return report(io, promote({ ...appOptions(args, io), from: v.from, to: v.to, project: str(v.project), component: str(v.component) }));
    },
  },
  release: {
    summary: "record a build's output image in its pipeline's first environment",
    synopsis: 'release --project <p> --component <c> --image <repository:tag@sha256:digest> [options]',
    description: "Pins a build's output image (the WorkflowTemplate's 'image' output) for a built component in\nits pipeline's first environment, prints what changes there, and re-synthesizes the GitOps tree.",
    options: {
      project: { type: 'string', value: '<p>', description: 'the project (required)' },
      component: { type: 'string', value: '<c>', description: 'the built component (required)' },
      image: { type: 'string', value: '<image>', description: "the build's output, <repository>:<tag>@sha256:<digest> (required)" },
      ...APP_OPTIONS,
    },
    run: (args, io) => {
      const v = args.values;
      if (typeof v.project !== 'string' || typeof v.component !== 'string' || typeof v.image !== 'string') {
        throw new UsageError('--project, --component and --image are required');
      }
      return report(io, release({ ...appOptions(args, io), project: v.project, component: v.component, image: v.image }));
    },
  },
  verify: {
    summary: 'say whether a synthesized GitOps tree is complete (exit 0) or not (exit 1)',
    synopsis: 'verify <dir>',
    description: 'Says whether the GitOps tree in <dir> is exactly what its last finished synth wrote: every file\nits .cdk8s-openchoreo/files.json lists is present and unchanged, and no run is in progress or\nwas interrupted. Publish a tree only once verify says complete.\nExit code: 0 complete, 1 not complete, 2 usage error.',
    options: {},
    positionals: true,
    run: (args, io) => {
      if (args.positionals.length !== 1) {
        throw new UsageError(args.positionals.length === 0 ? 'verify needs the directory to check' : `verify takes one directory, got ${args.positionals.length} arguments`);
      }
      return verifyDirectory(args.positionals[0], io);
    },
  },
};

function str(v: string | boolean | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function report(io: CliIo, result: LedgerChangeResult): number {
  (result.ok ? io.stdout : io.stderr).write(`${result.report}\n`);
  return result.ok ? 0 : 1;
}

/** The app, ledger and output options of `promote` and `release`, with ./cdk8s.yaml's defaults. */
function appOptions(args: ParsedArgs, io: CliIo): LedgerChangeOptions {
  const v = args.values;
  const config = readCdk8sConfig(io.cwd);
  const app = str(v.app) ?? config.app;
  if (!app && !io.runner) throw new UsageError('no --app given and no app in ./cdk8s.yaml');
  const output = str(v.output) ?? config.output ?? 'dist';
  const synthCommand = str(v.app) === undefined && config.app ? 'npx cdk8s synth' : `CDK8S_OUTDIR=${output} ${app}`;
  return {
    ledger: str(v.ledger) ?? 'releases.json',
    app: app ?? '(in-process app)',
    cwd: io.cwd,
    runner: io.runner,
    dryRun: v['dry-run'] === true,
    diff: v.diff === true,
    output: v['no-synth'] === true ? undefined : output,
    synthCommand,
  };
}

/** `app` and `output` of `<cwd>/cdk8s.yaml` (top-level scalar keys), if present. */
function readCdk8sConfig(cwd: string): { app?: string; output?: string } {
  const file = path.join(cwd, 'cdk8s.yaml');
  if (!fs.existsSync(file)) return {};
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const key = (k: string) => lines.find(l => l.startsWith(`${k}:`))?.slice(k.length + 1).trim().replace(/^["']|["']$/g, '') || undefined;
  return { app: key('app'), output: key('output') };
}
