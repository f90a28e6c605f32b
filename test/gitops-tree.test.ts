import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { buildPlatform } from '../examples/platform/main';
import { OutputLayout, PlatformApp } from '../src';
import { testApp } from './support/synth';

/** Every folder holding a kustomization.yaml, relative to `root`. */
function kustomizedFolders(root: string): string[] {
  return fs.readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter(f => path.basename(f) === 'kustomization.yaml')
    .map(f => path.dirname(f))
    .sort();
}

/** Objects in the YAML files below `dir` (kustomization files excluded). */
function objectsBelow(dir: string): any[] {
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter(f => f.endsWith('.yaml') && path.basename(f) !== 'kustomization.yaml')
    .flatMap(f => parseAllDocuments(fs.readFileSync(path.join(dir, f), 'utf8')).map(d => d.toJS()));
}

function kustomize(dir: string): any[] {
  const out = execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return parseAllDocuments(out).map(d => d.toJS()).filter(o => o !== null);
}

const key = (o: any) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;

describe.each([OutputLayout.FILE_PER_COMPONENT, OutputLayout.FILE_PER_RESOURCE])('GitOps tree, %s', layout => {
  const app = testApp();
  const layoutApp = new PlatformApp({ outdir: app.outdir, layout });
  buildPlatform(layoutApp);
  layoutApp.synth();
  const root = layoutApp.outdir;

  test('a kustomization.yaml at every level: organization, data plane, environments, projects', () => {
    const folders = kustomizedFolders(root);
    const expected = ['acme', 'acme/eu-west',
      ...['development', 'production', 'staging'].flatMap(e => [`acme/eu-west/${e}`, `acme/eu-west/${e}/payments`, `acme/eu-west/${e}/storefront`])];
    if (layout === OutputLayout.FILE_PER_RESOURCE) {
      for (const e of ['development', 'production', 'staging']) {
        for (const c of ['payments/ledger', 'payments/payments-api', 'payments/settlement', 'storefront/catalog', 'storefront/order-worker', 'storefront/web']) {
          expected.push(`acme/eu-west/${e}/${c}`);
        }
      }
    }
    expect(folders).toEqual(expected.sort());
  });

  test('kubectl kustomize builds every folder, with exactly the objects below it', () => {
    const folders = kustomizedFolders(root);
    for (const folder of folders) {
      const built = kustomize(path.join(root, folder));
      const files = objectsBelow(path.join(root, folder));
      expect(built.map(key).sort()).toEqual(files.map(key).sort());
    }
    expect(kustomize(path.join(root, 'acme'))).toHaveLength(108);
    expect(kustomize(path.join(root, 'acme/eu-west/production'))).toHaveLength(36);
    expect(kustomize(path.join(root, 'acme/eu-west/production/payments'))).toHaveLength(19);
  });

  test('each environment folder has a README with a Mermaid picture and a connectivity report', () => {
    for (const e of ['development', 'production', 'staging']) {
      const readme = fs.readFileSync(path.join(root, `acme/eu-west/${e}/README.md`), 'utf8');
      expect(readme).toContain(`# ${e} on eu-west`);
      expect(readme).toContain('```mermaid');
      expect(readme).toContain('c__storefront__web -->|"http :8080"| c__payments__payments_api');
      expect(readme).toContain('gw__external -->|"http :3000"| c__storefront__web');
      expect(fs.existsSync(path.join(root, `acme/eu-west/${e}/connectivity.md`))).toBe(true);
    }
  });
});

test('both layouts hold the same objects', () => {
  const a = new PlatformApp({ outdir: testApp().outdir });
  buildPlatform(a);
  const b = new PlatformApp({ outdir: testApp().outdir, layout: OutputLayout.FILE_PER_RESOURCE });
  buildPlatform(b);
  const objects = (app: PlatformApp) => Object.entries(app.synthFiles())
    .filter(([f]) => f.endsWith('.yaml') && !f.endsWith('kustomization.yaml'))
    .flatMap(([, text]) => parseAllDocuments(text).map(d => d.toJS()));
  expect(objects(b).map(key).sort()).toEqual(objects(a).map(key).sort());
  expect(Object.keys(b.synthFiles())).toContain('acme/eu-west/production/payments/payments-api/deployment-payments-api-production-eb0ddf53.yaml');
});
