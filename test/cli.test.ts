import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { AccessGrant, AccessRole, Environment, PlatformApp, PlatformErrors, ReleaseLedger, Service } from '../src';
import { InProcessApp, sink, tempWorkspace } from './support/cli';
import { baseline, IMAGE } from './support/fixtures';
import { fieldChanges } from '../src/cli/diff';
import { commandUsage, main, topUsage } from '../src/cli/main';
import { debugRequested, PlatformValidationError } from '../src/model/errors';

const root = path.join(__dirname, '..');
// tsx (esbuild, with a disk cache) rather than ts-node: the same transpile-only run of the TypeScript app, in a fraction of the time.
const TS_RUN = `${path.join(root, 'node_modules/.bin/tsx')} --tsconfig ${path.join(root, 'tsconfig.json')}`;
const HINT = '(set CDK8S_OPENCHOREO_DEBUG=1 to see the stack trace)\n';

/** Runs the CLI in this process. */
function cli(argv: string[], cwd = root) {
  const stdout = sink();
  const stderr = sink();
  const code = main(argv, { stdout, stderr, cwd });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

describe('command line', () => {
  test('help at the top level and on every command, on stdout with exit code 0; --version', () => {
    for (const flag of ['--help', '-h']) expect(cli([flag])).toEqual({ code: 0, stdout: `${topUsage()}\n`, stderr: '' });
    for (const command of ['promote', 'release']) {
      for (const flag of ['--help', '-h']) expect(cli([command, flag])).toEqual({ code: 0, stdout: `${commandUsage(command)}\n`, stderr: '' });
      // help wins over other arguments, even incomplete ones
      expect(cli([command, '--from', '--help']).code).toBe(0);
    }
    expect(topUsage()).toContain('commands:\n  promote  pin the releases of one environment in the next, along the deployment pipeline\n  release  record');
    expect(commandUsage('promote')).toMatch(/^usage: cdk8s-openchoreo promote --from <env> --to <env> \[--project <p>\] \[--component <c>\] \[options\]\n/);
    expect(commandUsage('release')).toContain('  --no-synth          do not re-synthesize the GitOps tree; print the command that does\n');
    expect(commandUsage('release')).toMatch(/exit codes: 0 done, 1 refused or failed, 2 usage error$/);
    const version = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).version;
    expect(cli(['--version'])).toEqual({ code: 0, stdout: `cdk8s-openchoreo ${version}\n`, stderr: '' });
    // the README shows the help as it is
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    expect(readme).toContain(`\n\`\`\`\n${topUsage()}\n\`\`\`\n`);
    expect(readme).toContain(`\n\`\`\`\n${commandUsage('promote')}\n\`\`\`\n`);
    // no command is a usage error
    expect(cli([])).toEqual({ code: 2, stdout: '', stderr: `cdk8s-openchoreo: no command given\n\n${topUsage()}\n` });
  });

  test('a failing app is reported with its own output, exit code 1', () => {
    const { dir } = tempWorkspace('cli-fail-');
    try {
      const stdout = sink();
      const stderr = sink();
      const failing = new InProcessApp('failing app', () => { throw new Error('boom'); });
      expect(main(['promote', '--from', 'dev', '--to', 'staging'], { stdout, stderr, cwd: dir, runner: failing })).toBe(1);
      expect(stderr.text).toBe('promote failed: boom\n');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('field-level changes: nested fields, list items, added and removed fields, odd keys', () => {
    const before = { spec: { replicas: 2, template: { metadata: { annotations: { 'a.b/c': 'x' } }, spec: { containers: [{ image: 'a:1', args: ['--v'] }] } } } };
    const after = { spec: { template: { metadata: { annotations: { 'a.b/c': 'y z' } }, spec: { containers: [{ image: 'a:2', args: ['--v', '--w'] }, { image: 'b:1' }] } } }, status: {} };
    expect(fieldChanges(before, after)).toEqual([
      'spec.replicas: 2 -> (none)',
      'spec.template.metadata.annotations["a.b/c"]: x -> "y z"',
      'spec.template.spec.containers[0].image: a:1 -> a:2',
      'spec.template.spec.containers[0].args[1]: (none) -> --w',
      'spec.template.spec.containers[1]: (none) -> {"image":"b:1"}',
      'status: (none) -> {}',
    ]);
    expect(fieldChanges({ a: 1 }, { a: 1 })).toEqual([]);
  });
});

describe('readable errors', () => {
  test('what a person sees for three representative errors: one problem, several problems, another error', () => {
    const outdir = tempWorkspace('cli-errors-').dir;
    const failure = (build: () => void): unknown => {
      try {
        build();
      } catch (e) {
        return e;
      }
      throw new Error('expected an error');
    };
    try {
      // 1. a bad value while declaring
      const declared = failure(() => {
        const b = baseline(new PlatformApp({ outdir }));
        new Environment(b.org, 'Bad_Name', { dataPlane: b.dataPlane });
      });
      expect(PlatformErrors.describe(declared)).toBe('Synthesis failed: 1 problem in the platform declaration.\n'
        + "[acme/Bad_Name] environment name 'Bad_Name' is not a valid DNS-1123 label (lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters). Fix: use a name such as 'bad-name'\n"
        + HINT);

      // 2. problems across constructs, collected while synthesizing: each once, sorted by path
      const app = new PlatformApp({ outdir });
      const b = baseline(app);
      new Service(b.project, 'api', { image: IMAGE });
      new AccessGrant(b.org, 'sre', { groups: ['sre'], role: AccessRole.fromName('sre') });
      new AccessGrant(b.org, 'dba', { groups: ['dba'], role: AccessRole.fromName('dba') });
      const synthesized = failure(() => app.synth());
      const fix = (role: string) => `Fix: declare it with new CustomRole(organization, '${role}', { capabilities: [...] }), or grant one of: admin, developer, viewer`;
      expect(PlatformErrors.describe(synthesized)).toBe('Synthesis failed: 2 problems in the platform declaration.\n'
        + `[acme/dba] grants role 'dba', which does not exist in organization 'acme'. ${fix('dba')}\n`
        + `[acme/sre] grants role 'sre', which does not exist in organization 'acme'. ${fix('sre')}\n`
        + HINT);
      expect(fs.readdirSync(outdir)).toEqual([]);

      // 3. an error that is not a declaration problem: its message, still without a stack trace
      const ledgerFile = path.join(outdir, 'releases.json');
      fs.writeFileSync(ledgerFile, '{ "environments": {} }');
      const other = failure(() => ReleaseLedger.fromFile(ledgerFile));
      expect(PlatformErrors.describe(other)).toBe(`Synthesis failed: ${ledgerFile} is not a release ledger (expected { "format": 1, "environments": { ... } }). Fix: restore it from version control\n${HINT}`);

      // the structured form, and the stack only when asked for
      expect(PlatformErrors.isPlatformValidationError(synthesized)).toBe(true);
      expect(PlatformValidationError.isPlatformValidationError(synthesized)).toBe(true);
      expect(PlatformErrors.isPlatformValidationError(other)).toBe(false);
      expect(PlatformErrors.problemsOf(synthesized).map(p => p.path)).toEqual(['acme/dba', 'acme/sre']);
      expect(PlatformErrors.problemsOf(other)).toEqual([]);
      const twice = new PlatformValidationError([...PlatformErrors.problemsOf(synthesized), PlatformErrors.problemsOf(synthesized)[0]]);
      expect(PlatformErrors.describe(twice)).toBe(PlatformErrors.describe(synthesized));
      expect((synthesized as Error).message).toBe(`2 problems in the platform declaration:\n  - [acme/dba] grants role 'dba', which does not exist in organization 'acme'. ${fix('dba')}\n`
        + `  - [acme/sre] grants role 'sre', which does not exist in organization 'acme'. ${fix('sre')}`);
      const debug = PlatformErrors.describe(declared, true);
      expect(debug).toMatch(/^Synthesis failed: 1 problem in the platform declaration\.\n\[acme\/Bad_Name\] .*\n\nPlatformValidationError: \[acme\/Bad_Name\][^\n]*\n {4}at /);
      expect(debug).not.toContain(HINT);
      expect(['1', 'true', 'yes', '', '0', 'false', undefined].map(v => debugRequested({ CDK8S_OPENCHOREO_DEBUG: v }))).toEqual([true, true, true, false, false, false, false]);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});

describe('end to end, in subprocesses', () => {
  /** An app like users write (it reads ./releases.json and uses PlatformApp.handleErrors()), with `extra` declarations. */
  function writeApp(dir: string, extra = ''): void {
    fs.writeFileSync(path.join(dir, 'main.ts'), `
import { DataPlane, DeploymentPipeline, Environment, Organization, PlatformApp, Project, ReleaseLedger, Service } from ${JSON.stringify(path.join(root, 'src'))};
PlatformApp.handleErrors();
const app = new PlatformApp();
const org = new Organization(app, 'acme', { releases: ReleaseLedger.fromFile('releases.json') });
const dataPlane = new DataPlane(org, 'dp');
const dev = new Environment(org, 'dev', { dataPlane });
const staging = new Environment(org, 'staging', { dataPlane });
const pipeline = new DeploymentPipeline(org, 'p', { promotionPaths: [{ source: dev, targets: [staging] }] });
const shop = new Project(org, 'shop', { pipeline });
new Service(shop, 'api', { image: 'r.example/api:2.0.0' }).addEndpoint('http', { port: 8080 });
${extra}
app.synth();
`);
  }

  test('the installed command promotes with a real app and re-synthesizes its tree; a failing app entry prints only its problems', () => {
    const { dir, ledgerFile } = tempWorkspace('cli-e2e-', {
      format: 1,
      environments: { dev: { 'shop/api': { image: 'r.example/api:2.0.0', previous: ['r.example/api:1.0.0'] } }, staging: { 'shop/api': { image: 'r.example/api:1.0.0' } } },
    });
    try {
      writeApp(dir);
      fs.writeFileSync(path.join(dir, 'cdk8s.yaml'), `language: typescript\napp: ${TS_RUN} main.ts\noutput: gitops\n`);
      const run = spawnSync(`${TS_RUN} ${path.join(root, 'src/cli/main.ts')} promote --from dev --to staging --diff`, { cwd: dir, shell: true, encoding: 'utf8' });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(/\n {6}spec\.template\.spec\.containers\[0\]\.image: r\.example\/api:1\.0\.0 -> r\.example\/api:2\.0\.0\n/);
      expect(run.stdout).toContain('Ledger updated: releases.json\nGitOps tree re-synthesized: gitops (commit it with releases.json).\n');
      expect(JSON.parse(fs.readFileSync(ledgerFile, 'utf8')).environments.staging['shop/api']).toEqual({ image: 'r.example/api:2.0.0', previous: ['r.example/api:1.0.0'] });
      expect(fs.readFileSync(path.join(dir, 'gitops/acme/dp/staging/shop/api.yaml'), 'utf8')).toContain('image: r.example/api:2.0.0');

      // the app entry itself, failing: the problem once, exit code 1, no stack trace
      writeApp(dir, "new Environment(org, 'Bad_Name', { dataPlane });");
      const failed = spawnSync(`${TS_RUN} main.ts`, { cwd: dir, shell: true, encoding: 'utf8', env: { ...process.env, CDK8S_OPENCHOREO_DEBUG: '' } });
      expect({ status: failed.status, stdout: failed.stdout, stderr: failed.stderr }).toEqual({
        status: 1,
        stdout: '',
        stderr: 'Synthesis failed: 1 problem in the platform declaration.\n'
          + "[acme/Bad_Name] environment name 'Bad_Name' is not a valid DNS-1123 label (lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters). Fix: use a name such as 'bad-name'\n"
          + HINT,
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
