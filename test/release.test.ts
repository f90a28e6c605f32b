import * as fs from 'fs';
import * as path from 'path';
import { BuildPlane, DataPlane, DeploymentPipeline, Environment, Organization, Project, ReleaseLedger, SecretRef, Service } from '../src';
import { InProcessApp, sink, tempWorkspace } from './support/cli';
import { main } from '../src/cli/main';
import { promote } from '../src/cli/promote';
import { release } from '../src/cli/release';
import { generateName } from '../src/resolve/naming';

const REPOSITORY = 'ghcr.io/acme/acme-shop-api';
const BUILT = `${REPOSITORY}:git-0123456789ab@sha256:${'b'.repeat(64)}`;

/** A temp folder with an in-process app (a built component 'api', an image-based 'web') reading ./releases.json. */
function workspace(ledger?: object) {
  const { dir, ledgerFile } = tempWorkspace('release-', ledger);
  const runner = new InProcessApp('shop app', app => {
    const org = new Organization(app, 'acme', { releases: ReleaseLedger.fromFile(ledgerFile) });
    const dataPlane = new DataPlane(org, 'dp');
    const dev = new Environment(org, 'dev', { dataPlane });
    const staging = new Environment(org, 'staging', { dataPlane });
    const pipeline = new DeploymentPipeline(org, 'p', { promotionPaths: [{ source: dev, targets: [staging] }] });
    new BuildPlane(org, 'ci', { dataPlane, registry: 'ghcr.io/acme', registryCredentials: SecretRef.fromStore('ci/registry') });
    const shop = new Project(org, 'shop', { pipeline });
    new Service(shop, 'api', { source: { repository: 'https://github.com/acme/shop.git', path: 'api' } }).addEndpoint('http', { port: 8080 });
    new Service(shop, 'web', { image: 'r.example/web:1.0.0' });
  });
  return { dir, app: 'npx ts-node main.ts', runner, ledgerFile };
}

describe('release command', () => {
  test('pins the build output in the pipeline\'s first environment, where the component then runs; promote takes it further', () => {
    const { dir, app, runner, ledgerFile } = workspace();
    try {
      const result = release({ project: 'shop', component: 'api', image: BUILT, ledger: 'releases.json', app, runner, cwd: dir });
      expect(result.ok).toBe(true);
      expect(result.report).toContain(`Release shop/api → dev\n  shop/api: (none) → ${BUILT}`);
      // nothing of api ran before its first release
      const ns = generateName(63, 'dp', 'acme', 'shop', 'dev');
      expect(result.report).toContain(`added    Deployment/${ns}/${generateName(253, 'api', 'dev')}`);
      expect(result.report).toContain(`added    Service/${ns}/api`);
      expect(result.report).toContain('Next: npx cdk8s-openchoreo promote --from dev --to staging --project shop --component api');
      expect(JSON.parse(fs.readFileSync(ledgerFile, 'utf8'))).toEqual({ format: 1, environments: { dev: { 'shop/api': { image: BUILT } } } });

      // the same output again changes nothing
      expect(release({ project: 'shop', component: 'api', image: BUILT, ledger: 'releases.json', app, runner, cwd: dir }).report)
        .toContain(`Nothing to release: 'dev' already runs ${BUILT}.`);

      // the existing promote flow carries the release along the pipeline
      const promoted = promote({ from: 'dev', to: 'staging', component: 'api', ledger: 'releases.json', app, runner, cwd: dir });
      expect(promoted.ok).toBe(true);
      expect(promoted.report).toContain(`shop/api: (none) → ${BUILT}`);
      expect(JSON.parse(fs.readFileSync(ledgerFile, 'utf8')).environments.staging['shop/api']).toEqual({ image: BUILT });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('refuses images outside the build repository, without a digest, or for components that are not built; the ledger is untouched', () => {
    const start = { format: 1, environments: { dev: { 'shop/web': { image: 'r.example/web:1.0.0' } } } };
    const { dir, app, runner, ledgerFile } = workspace(start);
    try {
      const before = fs.readFileSync(ledgerFile, 'utf8');
      const run = (component: string, image: string, dryRun = false) => release({ project: 'shop', component, image, ledger: 'releases.json', app, runner, cwd: dir, dryRun });
      expect(run('api', 'ghcr.io/acme/other:1.0.0').report)
        .toBe(`release refused: 'ghcr.io/acme/other:1.0.0' is not an image of shop/api's build repository '${REPOSITORY}' (pass the build's 'image' output)`);
      expect(run('api', `${REPOSITORY}:1.0.0`).report)
        .toBe(`release refused: '${REPOSITORY}:1.0.0' has no digest; a release is an immutable build output: pass the build's 'image' output (${REPOSITORY}:<tag>@sha256:<digest>)`);
      expect(run('web', 'r.example/web:2.0.0').report)
        .toBe("release refused: component 'shop/web' is not built by a build plane (built components: shop/api); give it a source to build, or pin its images with promote");
      expect(run('api', 'not an image').report).toMatch(/^release refused: 'not an image' is not a valid image reference/);
      const dry = run('api', BUILT, true);
      expect(dry.ok).toBe(true);
      expect(dry.report).toContain('Dry run: releases.json is unchanged.');
      expect(fs.readFileSync(ledgerFile, 'utf8')).toBe(before);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the command re-synthesizes the tree with --diff; an app that does not read the ledger is refused', () => {
    const { dir, runner, ledgerFile } = workspace({ format: 1, environments: { dev: { 'shop/api': { image: `${REPOSITORY}:git-0@sha256:${'a'.repeat(64)}` } } } });
    try {
      const stdout = sink();
      const stderr = sink();
      expect(main(['release', '--project', 'shop', '--component', 'api', '--image', BUILT, '--diff'], { stdout, stderr, cwd: dir, runner })).toBe(0);
      expect(stderr.text).toBe('');
      expect(stdout.text).toContain(`      spec.template.spec.containers[0].image: ${REPOSITORY}:git-0@sha256:${'a'.repeat(64)} -> ${BUILT}\n`);
      expect(stdout.text).toContain('Ledger updated: releases.json\nGitOps tree re-synthesized: dist (commit it with releases.json).\n');
      expect(fs.readFileSync(path.join(dir, 'dist/acme/dp/dev/shop/api.yaml'), 'utf8')).toContain(`image: ${BUILT}`);

      // the same app without the ledger: the pin written does not show, so the ledger goes back
      const before = fs.readFileSync(ledgerFile, 'utf8');
      fs.rmSync(ledgerFile);
      const unread = new InProcessApp('shop app', app => {
        const org = new Organization(app, 'acme');
        const dataPlane = new DataPlane(org, 'dp');
        const dev = new Environment(org, 'dev', { dataPlane });
        const staging = new Environment(org, 'staging', { dataPlane });
        const pipeline = new DeploymentPipeline(org, 'p', { promotionPaths: [{ source: dev, targets: [staging] }] });
        new BuildPlane(org, 'ci', { dataPlane, registry: 'ghcr.io/acme', registryCredentials: SecretRef.fromStore('ci/registry') });
        new Service(new Project(org, 'shop', { pipeline }), 'api', { source: { repository: 'https://github.com/acme/shop.git', path: 'api' } });
      });
      const refused = sink();
      expect(main(['release', '--project', 'shop', '--component', 'api', '--image', BUILT], { stdout: sink(), stderr: refused, cwd: dir, runner: unread })).toBe(1);
      expect(refused.text).toBe(`release refused: the app does not read the ledger releases.json: with shop/api pinned to ${BUILT} in 'dev', the app still renders no such component there. `
        + "Fix: give its Organization `releases: ReleaseLedger.fromFile('releases.json')`, or pass --ledger <the file the app reads>\n");
      expect(fs.existsSync(ledgerFile)).toBe(false);
      expect(before).toContain('git-0');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('command-line usage', () => {
    const err = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(main(['release', '--project', 'shop', '--component', 'api'])).toBe(2);
      expect(main(['release', '--project', 'shop', '--component', 'api', '--image', BUILT, '--from', 'dev'])).toBe(2);
      expect(main(['toString'])).toBe(2);
      const output = err.mock.calls.map(c => String(c[0])).join('');
      expect(output).toContain('--project, --component and --image are required');
      expect(output).toContain('unknown option --from');
      expect(output).toContain('cdk8s-openchoreo release --project <p> --component <c> --image <repository:tag@sha256:digest>');
    } finally {
      err.mockRestore();
    }
  });
});
