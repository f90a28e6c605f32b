import { execFile } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { promisify } from 'util';
import { parse, parseAllDocuments } from 'yaml';
import { buildPlatform } from '../examples/platform/main';
import { OutputLayout, PlatformApp, Worker } from '../src';
import { baseline } from './support/fixtures';
import { testApp } from './support/synth';

/** Every folder holding a kustomization.yaml, relative to `root`. */
function kustomizedFolders(root: string): string[] {
  return fs.readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter(f => path.basename(f) === 'kustomization.yaml')
    .map(f => path.dirname(f))
    .sort();
}

/** The Kubernetes objects below `dir` (exports/ holds other YAML: the Backstage catalog, which no kustomization lists). */
function objectsBelow(dir: string): any[] {
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' })
    // the exports (Backstage catalog, OpenChoreo CRs) sit beside the tree (acme/exports/): no kustomization of the tree includes them
    .filter(f => f.endsWith('.yaml') && path.basename(f) !== 'kustomization.yaml' && !/^(acme\/)?exports\//.test(f))
    .flatMap(f => objectsOf(path.join(dir, f)));
}

/** The objects of one YAML file, parsed once per test file (each folder's checks read the files below it again). */
const parsed = new Map<string, any[]>();
function objectsOf(file: string): any[] {
  let objects = parsed.get(file);
  if (!objects) {
    objects = parseAllDocuments(fs.readFileSync(file, 'utf8')).map(d => d.toJS()).filter(o => o !== null);
    parsed.set(file, objects);
  }
  return objects;
}

/** Every kustomization.yaml below `root`, parsed, by folder (relative to `root`). */
function kustomizationsOf(root: string): Map<string, any> {
  return new Map(kustomizedFolders(root).map(folder => [folder, parse(fs.readFileSync(path.join(root, folder, 'kustomization.yaml'), 'utf8'))]));
}

/** The resources of `folder`'s kustomization, relative to the root. */
function resourcesOf(tree: Map<string, any>, folder: string): string[] {
  return (tree.get(folder).resources as string[]).map(r => path.posix.join(folder, r));
}

/** The folders `folder`'s resources reach (itself included), through the folders they list. */
function foldersReached(tree: Map<string, any>, folder: string): string[] {
  return [folder, ...resourcesOf(tree, folder).filter(r => tree.has(r)).flatMap(r => foldersReached(tree, r))];
}

/** The files `folder`'s resources reach (relative to the root), through the folders they list. */
function filesReached(tree: Map<string, any>, folder: string): string[] {
  return foldersReached(tree, folder).flatMap(f => resourcesOf(tree, f).filter(r => !tree.has(r)));
}

/** The folders Argo CD Applications and Flux Kustomizations in the tree are pointed at (relative to the root), sorted. */
function deliveredFolders(root: string): string[] {
  const paths = objectsBelow(root).flatMap(o =>
    o.kind === 'Application' ? [o.spec.source?.path] : o.kind === 'Kustomization' && o.apiVersion.startsWith('kustomize.toolkit.fluxcd.io/') ? [o.spec.path] : []);
  return [...new Set(paths.map((p: string) => p.replace(/^(\.\/)?dist\//, '')))].sort();
}

const execFileAsync = promisify(execFile);

/** `kubectl kustomize` output per folder, memoized: each folder is built once per file. */
const built = new Map<string, Promise<any[]>>();
function kustomize(dir: string): Promise<any[]> {
  let result = built.get(dir);
  if (!result) {
    result = execFileAsync('kubectl', ['kustomize', dir], { encoding: 'utf8' })
      .then(({ stdout }) => parseAllDocuments(stdout).map(d => d.toJS()).filter(o => o !== null));
    built.set(dir, result);
  }
  return result;
}

/** Builds `dirs` two at a time (kubectl is the cost; the machine has 2 cores), in order. */
async function kustomizeAll(dirs: string[]): Promise<any[][]> {
  const results: any[][] = new Array(dirs.length);
  let next = 0;
  const worker = async () => {
    while (next < dirs.length) {
      const i = next++;
      results[i] = await kustomize(dirs[i]);
    }
  };
  await Promise.all([worker(), worker()]);
  return results;
}

const key = (o: any) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;

describe.each([OutputLayout.FILE_PER_COMPONENT, OutputLayout.FILE_PER_RESOURCE])('GitOps tree, %s', layout => {
  const app = testApp();
  const layoutApp = new PlatformApp({ outdir: app.outdir, layout });
  buildPlatform(layoutApp);
  layoutApp.synth();
  const root = layoutApp.outdir;

  test('a kustomization.yaml at every level: organization, data plane, environments, projects', () => {
    const all = kustomizedFolders(root);
    expect(all).toEqual(expect.arrayContaining(['acme/exports/openchoreo/namespaces', 'acme/exports/openchoreo/platform-shared']));
    const folders = all.filter(f => !f.startsWith('acme/exports/'));
    const expected = ['acme', 'acme/eu-west', 'acme/eu-west/flux-system', 'acme/eu-west/flux-tenants', 'acme/eu-west/platform', 'acme/gitops', 'acme/gitops/argocd',
      ...['development', 'production', 'staging'].map(e => `acme/gitops/argocd/eu-west-${e}`),
      ...['development', 'production', 'staging'].flatMap(e => [`acme/eu-west/${e}`, `acme/eu-west/${e}/payments`, `acme/eu-west/${e}/storefront`])];
    if (layout === OutputLayout.FILE_PER_RESOURCE) {
      for (const e of ['development', 'production', 'staging']) {
        // (payments/orders-db is a managed resource: a folder of its own, like a component)
        for (const c of ['payments/ledger', 'payments/orders-db', 'payments/payments-api', 'payments/settlement', 'storefront/catalog', 'storefront/order-worker', 'storefront/sessions', 'storefront/web']) {
          expected.push(`acme/eu-west/${e}/${c}`);
        }
        // released in development only
        if (e === 'development') expected.push('acme/eu-west/development/storefront/recommendations');
      }
    }
    expect(folders).toEqual(expected.sort());
  });

  test('kubectl kustomize builds every folder, with exactly the objects below it', async () => {
    // (of the OpenChoreo export's own kustomization tree: its two roots)
    const exportRoots = ['acme/exports/openchoreo/namespaces', 'acme/exports/openchoreo/platform-shared'];
    const tree = kustomizationsOf(root);
    // Every kustomization only lists resources (no patches, prefixes or generators): what kustomize builds from a
    // folder is then exactly the objects of the files its resources reach, through the folders they list.
    for (const [folder, k] of tree) expect([folder, Object.keys(k).sort()]).toEqual([folder, ['apiVersion', 'kind', 'resources']]);
    for (const folder of tree.keys()) {
      expect([folder, filesReached(tree, folder).flatMap(f => objectsOf(path.join(root, f))).map(key).sort()])
        .toEqual([folder, objectsBelow(path.join(root, folder)).map(key).sort()]);
    }
    // kubectl builds the roots, which builds every folder below them as a base (a folder that fails to build fails
    // its root), and, on its own, every folder Argo CD or Flux is pointed at.
    const roots = ['acme', ...exportRoots];
    const reached = new Set(roots.flatMap(r => foldersReached(tree, r)));
    expect([...tree.keys()].filter(f => !reached.has(f))).toEqual([]);
    const entries = deliveredFolders(root);
    expect(entries).toEqual(['acme/eu-west/flux-tenants', 'acme/eu-west/platform',
      ...['development', 'production', 'staging'].flatMap(e => [`acme/eu-west/${e}/payments`, `acme/eu-west/${e}/storefront`, `acme/gitops/argocd/eu-west-${e}`])].sort());
    const buildable = [...roots, ...entries, 'acme/eu-west/production'];
    const outputs = await kustomizeAll(buildable.map(folder => path.join(root, folder)));
    buildable.forEach((folder, i) => {
      expect([folder, outputs[i].map(key).sort()]).toEqual([folder, objectsBelow(path.join(root, folder)).map(key).sort()]);
    });
    // 180 objects in the cells, 37 in the data plane's platform folder (gateways, dashboards, roles, builds), 14 Argo CD and 47 Flux objects
    expect(await kustomize(path.join(root, 'acme'))).toHaveLength(308); // 293 + a ResourceQuota and a LimitRange in each production cell + the ledger's database-proxy PodMonitor per environment + 8 of orders-db
    expect(await kustomize(path.join(root, 'acme/eu-west/platform'))).toHaveLength(37);
    // + sessions: service account, StatefulSet, 2 Services, policy; + 2 cells' ResourceQuota and LimitRange; + a PodMonitor;
    // + orders-db: Cluster, policy, ScheduledBackup and its credentials' ExternalSecret
    expect(await kustomize(path.join(root, 'acme/eu-west/production'))).toHaveLength(75);
    expect(await kustomize(path.join(root, 'acme/eu-west/production/payments'))).toHaveLength(42); // + ResourceQuota, LimitRange, the database proxy's PodMonitor, 4 of orders-db
  }, 120_000); // some 15 kubectl runs: no 5 s default

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

describe('re-synthesizing into a GitOps checkout', () => {
  /** A small platform with the given components in project `shop`. */
  function synthInto(outdir: string, components: string[]): void {
    const app = new PlatformApp({ outdir });
    const { project } = baseline(app);
    for (const c of components) new Worker(project, c, { image: `r.example/${c}:1.0.0` });
    app.synth();
  }

  test('a deleted component disappears, foreign files stay, unchanged files are not rewritten', () => {
    const outdir = testApp().outdir;
    fs.mkdirSync(path.join(outdir, 'acme/eu/production/shop'), { recursive: true });
    fs.writeFileSync(path.join(outdir, 'README.md'), '# our GitOps repo\n');
    fs.writeFileSync(path.join(outdir, 'acme/eu/production/shop/notes.txt'), 'hand-written\n');

    synthInto(outdir, ['a', 'b']);
    const a = path.join(outdir, 'acme/eu/production/shop/a.yaml');
    const b = path.join(outdir, 'acme/eu/production/shop/b.yaml');
    expect(fs.existsSync(b)).toBe(true);
    const before = fs.statSync(a).mtimeMs;
    const record = JSON.parse(fs.readFileSync(path.join(outdir, '.cdk8s-openchoreo/files.json'), 'utf8'));
    expect(record.files.map((f: any) => f.path)).toContain('acme/eu/production/shop/b.yaml');
    expect(record.files.map((f: any) => f.path)).not.toContain('README.md');

    synthInto(outdir, ['a']);
    expect(fs.existsSync(b)).toBe(false);
    expect(fs.statSync(a).mtimeMs).toBe(before);
    expect(fs.readFileSync(path.join(outdir, 'README.md'), 'utf8')).toBe('# our GitOps repo\n');
    expect(fs.readFileSync(path.join(outdir, 'acme/eu/production/shop/notes.txt'), 'utf8')).toBe('hand-written\n');
    // the project kustomization no longer lists b
    expect(fs.readFileSync(path.join(outdir, 'acme/eu/production/shop/kustomization.yaml'), 'utf8')).not.toContain('b.yaml');
  });

  test('invalid input leaves the previous tree untouched', () => {
    const outdir = testApp().outdir;
    synthInto(outdir, ['a']);
    const snapshot = listTree(outdir);
    const app = new PlatformApp({ outdir });
    const { project, prod } = baseline(app);
    new Worker(project, 'a', { image: 'r.example/a:latest' });
    new Worker(project, 'c', { image: 'r.example/c:1.0.0' }).configureEnvironment(prod, { image: 'r.example/c:latest' });
    expect(() => app.synth()).toThrow(/is mutable/);
    expect(listTree(outdir)).toEqual(snapshot);
  });

  test('a file the generator did not write is never overwritten', () => {
    const outdir = testApp().outdir;
    fs.mkdirSync(path.join(outdir, 'acme/eu/production/shop'), { recursive: true });
    fs.writeFileSync(path.join(outdir, 'acme/eu/production/shop/a.yaml'), 'mine: true\n');
    expect(() => synthInto(outdir, ['a'])).toThrow(/acme\/eu\/production\/shop\/a\.yaml/);
    expect(fs.readFileSync(path.join(outdir, 'acme/eu/production/shop/a.yaml'), 'utf8')).toBe('mine: true\n');
    expect(fs.existsSync(path.join(outdir, 'acme/eu/development'))).toBe(false);
  });
});

/** Every file with its content, for before/after comparisons. */
function listTree(dir: string): Record<string, string> {
  return Object.fromEntries(fs.readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter(f => fs.statSync(path.join(dir, f)).isFile()).sort()
    .map(f => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));
}
