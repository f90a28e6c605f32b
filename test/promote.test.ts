import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ReleaseLedger, Service } from '../src';
import { baseline } from './support/fixtures';
import { testApp } from './support/synth';
import { main } from '../src/cli/main';
import { promote } from '../src/cli/promote';

const root = path.join(__dirname, '..');

/** A temp folder with a small app that reads ./releases.json, and the command that synthesizes it. */
function workspace(ledger?: object) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'promote-'));
  fs.writeFileSync(path.join(dir, 'main.ts'), `
import { DataPlane, DeploymentPipeline, Environment, Organization, PlatformApp, Project, ReleaseLedger, Service } from ${JSON.stringify(path.join(root, 'src'))};
const app = new PlatformApp();
const org = new Organization(app, 'acme', { releases: ReleaseLedger.fromFile('releases.json') });
const dataPlane = new DataPlane(org, 'dp');
const dev = new Environment(org, 'dev', { dataPlane });
const staging = new Environment(org, 'staging', { dataPlane });
const prod = new Environment(org, 'prod', { dataPlane, isProduction: true });
const pipeline = new DeploymentPipeline(org, 'p', { promotionPaths: [{ source: dev, targets: [staging] }, { source: staging, targets: [prod], requiresApproval: true }] });
const shop = new Project(org, 'shop', { pipeline });
new Service(shop, 'api', { image: 'r.example/api:2.0.0' }).addEndpoint('http', { port: 8080 });
app.synth();
`);
  if (ledger) fs.writeFileSync(path.join(dir, 'releases.json'), JSON.stringify(ledger));
  const app = `${path.join(root, 'node_modules/.bin/ts-node')} --transpile-only --project ${path.join(root, 'tsconfig.json')} main.ts`;
  return { dir, app };
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
  test('pins the source release in the target, along the pipeline, and reports the change', () => {
    const { dir, app } = workspace(START);
    try {
      const result = promote({ from: 'dev', to: 'staging', ledger: 'releases.json', app, cwd: dir });
      expect(result.ok).toBe(true);
      expect(result.report).toContain('shop/api: r.example/api:1.0.0 → r.example/api:2.0.0');
      expect(result.report).toMatch(/changed {2}Deployment\/dp-acme-shop-staging-[0-9a-f]{8}\/api-staging-[0-9a-f]{8}/);
      expect(result.report).toContain('0 added, 1 changed, 0 removed.');
      expect(result.report).toContain("Approval: not required; 'staging' syncs automatically");
      const ledger = JSON.parse(fs.readFileSync(path.join(dir, 'releases.json'), 'utf8'));
      expect(ledger.environments.staging['shop/api']).toEqual({ image: 'r.example/api:2.0.0', previous: ['r.example/api:1.0.0'] });
      expect(ledger.environments.prod['shop/api']).toEqual({ image: 'r.example/api:1.0.0' });

      // the next step needs approval, and a dry run leaves the ledger alone
      const next = promote({ from: 'staging', to: 'prod', ledger: 'releases.json', app, cwd: dir, dryRun: true });
      expect(next.report).toContain("Approval: 'prod' requires approval");
      expect(JSON.parse(fs.readFileSync(path.join(dir, 'releases.json'), 'utf8')).environments.prod['shop/api'].image).toBe('r.example/api:1.0.0');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('refuses a promotion the pipeline does not allow and leaves the ledger untouched', () => {
    const { dir, app } = workspace(START);
    try {
      const before = fs.readFileSync(path.join(dir, 'releases.json'), 'utf8');
      const result = promote({ from: 'dev', to: 'prod', ledger: 'releases.json', app, cwd: dir });
      expect(result.ok).toBe(false);
      expect(result.report).toBe("promotion refused: the pipeline of project 'shop' does not promote 'dev' to 'prod' ('prod' is promoted from 'staging')");
      expect(fs.readFileSync(path.join(dir, 'releases.json'), 'utf8')).toBe(before);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('command-line usage errors', () => {
    const err = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(main(['promote', '--from', 'dev'])).toBe(2);
      expect(main(['promote', '--from', 'dev', '--to', 'staging', '--colour', 'red'])).toBe(2);
      expect(main(['deploy'])).toBe(2);
      expect(err.mock.calls.map(c => String(c[0])).join('')).toContain('--from and --to are required');
    } finally {
      err.mockRestore();
    }
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
