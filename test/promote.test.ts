import * as fs from 'fs';
import * as path from 'path';
import { DataPlane, DeploymentPipeline, Environment, Organization, PlatformApp, Project, ReleaseLedger, Service } from '../src';
import { InProcessApp, sink, tempWorkspace } from './support/cli';
import { baseline } from './support/fixtures';
import { testApp } from './support/synth';
import { main } from '../src/cli/main';
import { promote } from '../src/cli/promote';

/**
 * The small platform of these tests (acme: dev → staging → prod (approval), shop/api), declared in
 * `app`; it reads `<dir>/releases.json` unless `readsLedger` is false. test/cli.test.ts runs the
 * same platform as a subprocess, end to end.
 */
function declareShop(dir: string, readsLedger = true) {
  return (app: PlatformApp) => {
    const org = new Organization(app, 'acme', readsLedger ? { releases: ReleaseLedger.fromFile(path.join(dir, 'releases.json')) } : {});
    const dataPlane = new DataPlane(org, 'dp');
    const dev = new Environment(org, 'dev', { dataPlane });
    const staging = new Environment(org, 'staging', { dataPlane });
    const prod = new Environment(org, 'prod', { dataPlane, isProduction: true });
    const pipeline = new DeploymentPipeline(org, 'p', { promotionPaths: [{ source: dev, targets: [staging] }, { source: staging, targets: [prod], requiresApproval: true }] });
    const shop = new Project(org, 'shop', { pipeline });
    new Service(shop, 'api', { image: 'r.example/api:2.0.0' }).addEndpoint('http', { port: 8080 });
  };
}

/** A temp folder with the ledger and the in-process app reading it. */
function workspace(ledger?: object, readsLedger = true) {
  const { dir, ledgerFile } = tempWorkspace('promote-', ledger);
  const runner = new InProcessApp('shop app', declareShop(dir, readsLedger));
  return { dir, ledgerFile, runner, app: 'npx ts-node main.ts' };
}

/** Runs the CLI in this process in `dir` with `runner` as the app. */
function cli(argv: string[], dir: string, runner?: InProcessApp) {
  const stdout = sink();
  const stderr = sink();
  const code = main(argv, { stdout, stderr, cwd: dir, runner });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** dev runs 2.0.0 (after 1.0.0); staging and prod still run 1.0.0. */
const START = {
  format: 1,
  environments: {
    dev: { 'shop/api': { image: 'r.example/api:2.0.0', previous: ['r.example/api:1.0.0'] } },
    staging: { 'shop/api': { image: 'r.example/api:1.0.0' } },
    prod: { 'shop/api': { image: 'r.example/api:1.0.0' } },
  },
};

describe('promote command', () => {
  let dirs: string[] = [];
  const track = <T extends { dir: string }>(w: T): T => { dirs.push(w.dir); return w; };
  afterEach(() => {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
    dirs = [];
  });

  test('pins the source release in the target, along the pipeline, and reports the change', () => {
    const { dir, runner, app } = track(workspace(START));
    const result = promote({ from: 'dev', to: 'staging', ledger: 'releases.json', app, runner, cwd: dir });
    expect(result.ok).toBe(true);
    expect(result.report).toContain('shop/api: r.example/api:1.0.0 → r.example/api:2.0.0');
    expect(result.report).toMatch(/changed {2}Deployment\/dp-acme-shop-staging-[0-9a-f]{8}\/api-staging-[0-9a-f]{8}/);
    expect(result.report).toContain('0 added, 1 changed, 0 removed.');
    expect(result.report).toContain("Approval: not required; 'staging' syncs automatically");
    // without an output folder, the report says which command re-synthesizes the tree
    expect(result.report).toContain('Ledger updated: releases.json\nGitOps tree not re-synthesized: run `CDK8S_OUTDIR=dist npx ts-node main.ts` and commit it with releases.json.');
    const ledger = JSON.parse(fs.readFileSync(path.join(dir, 'releases.json'), 'utf8'));
    expect(ledger.environments.staging['shop/api']).toEqual({ image: 'r.example/api:2.0.0', previous: ['r.example/api:1.0.0'] });
    expect(ledger.environments.prod['shop/api']).toEqual({ image: 'r.example/api:1.0.0' });

    // the next step needs approval, and a dry run leaves the ledger alone
    const next = promote({ from: 'staging', to: 'prod', ledger: 'releases.json', app, runner, cwd: dir, dryRun: true });
    expect(next.report).toContain("Approval: 'prod' requires approval");
    expect(next.report).toContain('Dry run: releases.json is unchanged.');
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'releases.json'), 'utf8')).environments.prod['shop/api'].image).toBe('r.example/api:1.0.0');
  });

  test('refuses a promotion the pipeline does not allow and leaves the ledger untouched', () => {
    const { dir, runner, app, ledgerFile } = track(workspace(START));
    const before = fs.readFileSync(ledgerFile, 'utf8');
    const result = promote({ from: 'dev', to: 'prod', ledger: 'releases.json', app, runner, cwd: dir });
    expect(result.ok).toBe(false);
    expect(result.report).toBe("promotion refused: the pipeline of project 'shop' does not promote 'dev' to 'prod' ('prod' is promoted from 'staging')");
    expect(fs.readFileSync(ledgerFile, 'utf8')).toBe(before);
    // the command exits 1 for a refusal, with the reason on stderr
    const run = cli(['promote', '--from', 'dev', '--to', 'prod'], dir, runner);
    expect(run).toEqual({ code: 1, stdout: '', stderr: `${result.report}\n` });
  });

  test('re-synthesizes the GitOps tree after a change, prints field-level diffs with --diff, and skips the synth with --no-synth', () => {
    const { dir, runner, ledgerFile } = track(workspace(START));
    const run = cli(['promote', '--from', 'dev', '--to', 'staging', '--diff', '--output', 'gitops'], dir, runner);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/ {2}changed {2}Deployment\/dp-acme-shop-staging-[0-9a-f]{8}\/api-staging-[0-9a-f]{8}\n {6}spec\.template\.spec\.containers\[0\]\.image: r\.example\/api:1\.0\.0 -> r\.example\/api:2\.0\.0\n0 added, 1 changed, 0 removed\./);
    expect(run.stdout).toContain('Ledger updated: releases.json\nGitOps tree re-synthesized: gitops (commit it with releases.json).\n');
    expect(runner.runs).toBe(3); // before, after (temp folders), and the tree itself
    const deployments = fs.readdirSync(path.join(dir, 'gitops/acme/dp/staging/shop'));
    expect(deployments).toContain('api.yaml');
    expect(fs.readFileSync(path.join(dir, 'gitops/acme/dp/staging/shop/api.yaml'), 'utf8')).toContain('image: r.example/api:2.0.0');

    // --no-synth: the ledger changes, the tree does not, and the report names the command
    const noSynth = cli(['promote', '--from', 'staging', '--to', 'prod', '--no-synth', '--app', 'npx ts-node main.ts'], dir, runner);
    expect(noSynth.code).toBe(0);
    expect(runner.runs).toBe(5);
    expect(noSynth.stdout).toContain('GitOps tree not re-synthesized: run `CDK8S_OUTDIR=dist npx ts-node main.ts` and commit it with releases.json.');
    expect(JSON.parse(fs.readFileSync(ledgerFile, 'utf8')).environments.prod['shop/api'].image).toBe('r.example/api:2.0.0');
    expect(fs.existsSync(path.join(dir, 'gitops/acme/dp/prod'))).toBe(true);
    expect(fs.readFileSync(path.join(dir, 'gitops/acme/dp/prod/shop/api.yaml'), 'utf8')).toContain('image: r.example/api:1.0.0');
    expect(fs.existsSync(path.join(dir, 'dist'))).toBe(false);
  });

  test('refuses, with the fix, an app that does not read the ledger it was given', () => {
    const FIX = ". Fix: give its Organization `releases: ReleaseLedger.fromFile('releases.json')`, or pass --ledger <the file the app reads>\n";
    // a ledger whose pins the app does not render: found before anything is written
    const pinned = track(workspace(START, false));
    const before = fs.readFileSync(pinned.ledgerFile, 'utf8');
    const run = cli(['promote', '--from', 'dev', '--to', 'staging'], pinned.dir, pinned.runner);
    expect(run).toEqual({
      code: 1,
      stdout: '',
      stderr: `promotion refused: the app does not read the ledger releases.json: it pins shop/api in 'prod' to r.example/api:1.0.0, but the app renders r.example/api:2.0.0${FIX}`,
    });
    expect(fs.readFileSync(pinned.ledgerFile, 'utf8')).toBe(before);

    // no ledger yet: the pin written does not show in the app's output, so the new ledger file goes away again
    const { dir, ledgerFile } = track(tempWorkspace('promote-unread-'));
    const unread = new InProcessApp('shop app', app => {
      const org = new Organization(app, 'acme');
      const dataPlane = new DataPlane(org, 'dp');
      const dev = new Environment(org, 'dev', { dataPlane });
      const staging = new Environment(org, 'staging', { dataPlane });
      const pipeline = new DeploymentPipeline(org, 'p', { promotionPaths: [{ source: dev, targets: [staging] }] });
      const shop = new Project(org, 'shop', { pipeline });
      new Service(shop, 'api', { image: 'r.example/api:2.0.0' }).configureEnvironment(dev, { image: 'r.example/api:3.0.0' });
    });
    const refused = cli(['promote', '--from', 'dev', '--to', 'staging'], dir, unread);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe("promotion refused: the app does not read the ledger releases.json: with shop/api pinned to r.example/api:3.0.0 in 'staging', "
      + `the app still renders r.example/api:2.0.0 there${FIX}`);
    expect(fs.existsSync(ledgerFile)).toBe(false);
    expect(unread.runs).toBe(2);
  });

  test('command-line usage errors', () => {
    const { dir } = track(tempWorkspace('promote-usage-'));
    const runs = [
      cli(['promote', '--from', 'dev'], dir),
      cli(['promote', '--from', 'dev', '--to', 'staging', '--colour', 'red'], dir),
      cli(['deploy'], dir),
      cli(['promote', '--from'], dir),
      cli(['promote', 'staging'], dir),
    ];
    expect(runs.map(r => r.code)).toEqual([2, 2, 2, 2, 2]);
    expect(runs[0].stderr).toContain('--from and --to are required');
    expect(runs[1].stderr).toMatch(/^cdk8s-openchoreo: unknown option --colour\n\nusage: cdk8s-openchoreo promote --from <env> --to <env>/);
    expect(runs[2].stderr).toMatch(/^cdk8s-openchoreo: unknown command 'deploy' \(commands: promote, release, verify\)\n\nusage: cdk8s-openchoreo <command> \[options\]/);
    expect(runs[3].stderr).toMatch(/^cdk8s-openchoreo: --from needs a value\n/);
    expect(runs[4].stderr).toMatch(/^cdk8s-openchoreo: unexpected argument 'staging'\n/);
    expect(runs.every(r => r.stdout === '')).toBe(true);
  });
});

describe('release ledger', () => {
  test('pins override images; a pin must have run where its environment is promoted from', () => {
    const releases = ReleaseLedger.fromJson({ format: 1, environments: { production: { 'shop/api': { image: 'r.example/api:9.9.9' } } } });
    const b = baseline(testApp(), { releases });
    new Service(b.project, 'api', { image: 'r.example/api:1.0.0' });
    expect(() => b.org.toJson()).toThrow(/\[acme\/shop\/api\] release 'r\.example\/api:9\.9\.9' is pinned in 'production' but never ran in 'staging'.*Fix: promote it along the pipeline: npx cdk8s-openchoreo promote --from staging --to production --project shop --component api/);
  });

  test('unknown environments and components in the ledger are errors', () => {
    const releases = ReleaseLedger.fromJson({ format: 1, environments: { qa: {}, development: { 'shop/ghost': { image: 'r.example/g:1.0.0' } } } });
    const b = baseline(testApp(), { releases });
    expect(() => b.org.toJson()).toThrow(/\[acme \(release ledger inline ledger\)\] the ledger pins releases in unknown environment 'qa'\. Fix: use one of: development, production, staging/);
    expect(() => b.org.toJson()).toThrow(/\[acme \(release ledger inline ledger\)\] the ledger pins 'shop\/ghost' in 'development', but no such component is deployed there\. Fix: remove the entry/);
  });

  test('withPin keeps history, output is deterministic, malformed ledgers are refused', () => {
    let l = ReleaseLedger.fromJson({ format: 1, environments: {} });
    l = l.withPin('staging', 'shop', 'api', 'a:1').withPin('staging', 'shop', 'api', 'a:2').withPin('dev', 'shop', 'api', 'a:2');
    expect(l.pinOf('staging', 'shop', 'api')).toEqual({ image: 'a:2', previous: ['a:1'] });
    expect(l.toJsonString()).toBe(ReleaseLedger.fromJson(JSON.parse(l.toJsonString())).toJsonString());
    expect(Object.keys(JSON.parse(l.toJsonString()).environments)).toEqual(['dev', 'staging']);
    expect(() => ReleaseLedger.fromJson({ environments: {} })).toThrow(/is not a release ledger/);
    expect(() => ReleaseLedger.fromJson({ format: 1, environments: { dev: { api: { image: 'x' } } } })).toThrow(/entry 'dev' \/ 'api' is malformed/);
  });
});
