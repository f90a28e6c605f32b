import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { assertValidManifests } from './support/schema-validator';
import { testApp } from './support/synth';
import { buildPlatform } from '../examples/platform/main';
import { DataPlane, DeploymentPipeline, Environment, Organization, Project, Service, Visibility, WebApplication } from '../src';

const root = path.join(__dirname, '..');
const readmeText = () => fs.readFileSync(path.join(root, 'README.md'), 'utf8');
/** The README section under a '## ' heading, up to the next one. */
const section = (heading: string) => {
  const text = readmeText();
  const start = text.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`README has no section '## ${heading}'`);
  const end = text.indexOf('\n## ', start + 1);
  return text.slice(start, end < 0 ? undefined : end);
};
/** The example platform's files (relative path → content), synthesized once for this file. */
let exampleFiles: Record<string, string> | undefined;
const exampleOutput = () => {
  if (!exampleFiles) {
    const app = testApp();
    buildPlatform(app);
    exampleFiles = app.synthFiles();
  }
  return exampleFiles;
};
const objectsIn = (files: Record<string, string>, where: (file: string) => boolean) => Object.entries(files)
  .filter(([f]) => f.endsWith('.yaml') && where(f))
  .flatMap(([, text]) => parseAllDocuments(text).map(d => d.toJS()));
/** A README format such as `<env>-<org>.<domain>` as a regular expression, with the given values and any hash. */
const formatRegex = (format: string, values: Record<string, string>) => new RegExp('^' + format.split(/(<[a-z0-9]+>)/).map(part => {
  if (part === '<hash8>') return '[0-9a-f]{8}';
  const name = /^<([a-z0-9]+)>$/.exec(part)?.[1];
  if (name === undefined) return part.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  if (!(name in values)) throw new Error(`README format '${format}' has an unknown placeholder <${name}>`);
  return values[name];
}).join('') + '$');

describe('README', () => {
  test('the quick start states the example platform\'s object counts', () => {
    const readme = readmeText().replace(/\s+/g, ' ');
    const [, total, cells, platform, delivery] = /writes (\d+) objects into `dist\/acme\/`: (\d+) in the cells .*?, (\d+) in the data plane's platform folder .*? and (\d+) that deliver/.exec(readme)!.map(Number);
    // objects per folder: the environments' cell folders, the platform folder, the rest delivers
    const count = (where: (file: string) => boolean) => Object.entries(exampleOutput())
      .filter(([f]) => f.endsWith('.yaml') && !f.endsWith('kustomization.yaml') && !f.includes('/exports/') && where(f))
      .reduce((n, [, text]) => n + parseAllDocuments(text).length, 0);
    const isCell = (f: string) => /^acme\/eu-west\/(development|staging|production)\//.test(f);
    const isPlatform = (f: string) => f.startsWith('acme/eu-west/platform/');
    expect(total).toBe(count(() => true));
    expect(cells).toBe(count(isCell));
    expect(platform).toBe(count(isPlatform));
    expect(delivery).toBe(count(f => !isCell(f) && !isPlatform(f)));
  });

  test('the worked example is examples/readme/main.ts, word for word', () => {
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    const block = /## A worked example\n\n```ts\n([\s\S]*?)```/.exec(readme)![1];
    const example = fs.readFileSync(path.join(root, 'examples/readme/main.ts'), 'utf8').split('\n').slice(1).join('\n');
    expect(example.replace("from '../../src';", "from 'cdk8s-openchoreo';")).toBe(block);
  });

  test('the worked example synthesizes valid objects, with the dependency address its comment promises', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-'));
    const previous = process.env.CDK8S_OUTDIR;
    process.env.CDK8S_OUTDIR = outdir;
    try {
      // the example synthesizes when loaded, like `cdk8s synth` runs it
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      jest.isolateModules(() => require('../examples/readme/main'));
      const file = path.join(outdir, 'acme/eu-west/production/storefront/web.yaml');
      const objects = parseAllDocuments(fs.readFileSync(file, 'utf8')).map(d => d.toJS());
      assertValidManifests(objects);
      const web = objects.find(o => o.kind === 'Deployment');
      expect(web.spec.template.spec.containers[0].env.find((e: any) => e.name === 'PAYMENTS_API_HTTP_URL')).toEqual({
        name: 'PAYMENTS_API_HTTP_URL',
        value: expect.stringMatching(/^http:\/\/payments-api\.dp-acme-payments-production-[0-9a-f]{8}\.svc\.cluster\.local:8080\/api\/v1$/),
      });
      // the route its comment promises, behind OIDC sign-in and a rate limit
      const route = objects.find(o => o.kind === 'HTTPRoute');
      expect(route.spec.hostnames).toEqual([expect.stringMatching(/^http-web-storefront-production-acme-[0-9a-f]{8}\.apps\.acme\.example$/)]);
      expect(route.spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'gateway-external', namespace: 'openchoreo-data-plane', sectionName: 'https' }]);
      expect(objects.filter(o => o.kind === 'SecurityPolicy' || o.kind === 'BackendTrafficPolicy').map(o => o.spec.targetRefs[0].name))
        .toEqual([route.metadata.name, route.metadata.name]);
      expect(fs.existsSync(path.join(outdir, 'acme/eu-west/development/connectivity.md'))).toBe(true);
    } finally {
      if (previous === undefined) delete process.env.CDK8S_OUTDIR;
      else process.env.CDK8S_OUTDIR = previous;
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});

describe('README claims that can drift from the output', () => {
  test("'Use it in your app' shows test-consumer/ word for word, with the package's peers and package folder", () => {
    const text = section('Use it in your app');
    const blocks = [...text.matchAll(/```(?:ts|yaml)\n(?:\/\/|#) (\S+)\n([\s\S]*?)```/g)];
    expect(blocks.map(b => b[1])).toEqual(['platform.ts', 'main.ts', 'cdk8s.yaml', 'platform.test.ts']);
    for (const [, file, body] of blocks) expect(body).toBe(fs.readFileSync(path.join(root, 'test-consumer', file), 'utf8'));
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
    const peers = Object.entries(pkg.peerDependencies).map(([n, v]) => `${n}@${v}`).sort();
    const installs = [...text.matchAll(/npm install \S+ ((?:[a-z0-9-]+@[\^~\d.]+ ?)+)/g)];
    expect(installs).toHaveLength(2); // from the registry, from the tarball
    for (const [, listed] of installs) expect(listed.trim().split(' ').sort()).toEqual(peers);
    // packages are written where synthesis (dist/) never deletes them
    expect(pkg.jsii.outdir).not.toBe('dist');
    expect(text).toContain(`\`${pkg.jsii.outdir}/js/cdk8s-openchoreo@<version>.jsii.tgz\``);
    expect(fs.readFileSync(path.join(root, 'test-consumer/cdk8s.yaml'), 'utf8')).toContain('app: npx ts-node --transpile-only main.ts');
  });

  test('the output layout names every folder of the example (environments and projects by one of each) and only files it writes', () => {
    const block = /```\n(dist\/\n[\s\S]*?)```/.exec(section('Output layout'))![1];
    const listed: string[] = [];
    const folders: string[] = [];
    for (const line of block.split('\n').slice(1)) {
      const m = /^( *)([^\s#]\S*)/.exec(line);
      if (!m) continue; // a comment continued on its own line
      const depth = m[1].length / 2 - 1;
      folders.length = depth;
      const entry = [...folders, m[2]].join('');
      listed.push(entry);
      if (entry.endsWith('/')) folders.push(m[2]);
    }
    const files = Object.keys(exampleOutput());
    expect(listed).toEqual(expect.arrayContaining(['acme/eu-west/flux-system/', 'acme/eu-west/flux-tenants/', 'acme/gitops/']));
    for (const entry of listed.filter(e => !e.startsWith('.'))) {
      if (entry.endsWith('/')) expect(files.some(f => f.startsWith(entry)) ? entry : `${entry} (not in the output)`).toBe(entry);
      else expect(files.includes(entry) ? entry : `${entry} (not in the output)`).toBe(entry);
    }
    // every folder the example writes is listed, the other environments and projects by production/ and payments/
    // (the OpenChoreo export by its folder: its own layout is in the section 'OpenChoreo control plane export')
    const represented = (dir: string) => (dir.startsWith('acme/exports/') ? 'acme/exports/openchoreo/' : dir).replace(/(^|[/-])(development|staging)\//g, '$1production/').replace(/\/storefront\//g, '/payments/');
    const dirs = new Set(files.flatMap(f => f.split('/').slice(0, -1).map((_, i, parts) => parts.slice(0, i + 1).join('/') + '/')));
    for (const dir of dirs) expect(listed.includes(represented(dir)) ? dir : `${dir} (missing from the README's layout)`).toBe(dir);
  });

  test('the route formats: shared hosts with a path per project, own hosts naming the project', () => {
    const text = section('Concepts').replace(/\s+/g, ' ');
    const [, sharedHost, sharedPath, ownHost] = /Services share `([^`]+)` under the path `([^`]+)`, .*? get a host of their own, `([^`]+)`/.exec(text)!;
    const app = testApp();
    const acme = new Organization(app, 'acme');
    const eu = new DataPlane(acme, 'eu-west', {
      externalGateway: { domain: 'apps.acme.example' },
      internalGateway: { domain: 'internal.acme.example' },
    });
    const dev = new Environment(acme, 'development', { dataPlane: eu });
    const prod = new Environment(acme, 'production', { dataPlane: eu });
    const shop = new Project(acme, 'shop', { pipeline: new DeploymentPipeline(acme, 'standard', { promotionPaths: [{ source: dev, targets: [prod] }] }) });
    new Service(shop, 'orders', { image: 'ghcr.io/acme/orders:1.0.0' }).addEndpoint('http', { port: 8080, visibility: [Visibility.INTERNAL] });
    new WebApplication(shop, 'web', { image: 'ghcr.io/acme/web:1.0.0' }).addEndpoint('http', { port: 3000, visibility: [Visibility.PUBLIC] });
    const routes = objectsIn(app.synthFiles(), f => f.includes('/production/')).filter(o => o.kind === 'HTTPRoute' && o.metadata.labels?.['openchoreo.dev/component']);
    const route = (component: string) => routes.find(o => o.metadata.labels['openchoreo.dev/component'] === component);
    expect(route('orders').spec.hostnames).toEqual([expect.stringMatching(formatRegex(sharedHost, { env: 'production', org: 'acme', domain: 'internal\\.acme\\.example' }))]);
    expect(route('orders').spec.rules[0].matches[0].path.value).toMatch(formatRegex(sharedPath, { project: 'shop', component: 'orders', endpoint: 'http' }));
    expect(route('web').spec.hostnames).toEqual([expect.stringMatching(formatRegex(ownHost,
      { endpoint: 'http', component: 'web', project: 'shop', env: 'production', org: 'acme', domain: 'apps\\.acme\\.example' }))]);
  });

  test("bootstrapping: Argo CD from gitops/ applied once (no Application syncs it), Flux from the data plane's flux-system/", () => {
    const text = section('GitOps delivery').replace(/\s+/g, ' ');
    const argoFolder = /`kubectl apply -k dist\/([^`]+)`/.exec(text)![1];
    const fluxFolder = /`flux bootstrap git [^`]*--path=dist\/([^`\s]+)`/.exec(text)![1];
    const files = exampleOutput();
    const all = objectsIn(files, () => true);
    const under = (dir: string) => (f: string) => f.startsWith(`${dir}/`);
    const repoFolder = (p: string) => p.replace(/^\.\//, '').replace(/^dist\//, ''); // the example's basePath is 'dist'

    // Argo CD: the folder holds every AppProject and Application; the AppProjects and root Applications sit where no Application syncs
    const argo = objectsIn(files, under(argoFolder));
    expect(argo.filter(o => o.kind === 'AppProject').length).toBe(all.filter(o => o.kind === 'AppProject').length);
    expect(argo.filter(o => o.kind === 'Application').length).toBe(all.filter(o => o.kind === 'Application').length);
    const synced = all.filter(o => o.kind === 'Application').map(o => repoFolder(o.spec.source.path));
    const handApplied = Object.keys(files).filter(f => under(argoFolder)(f) && /kind: (AppProject|Application)\n/.test(files[f])
      && !synced.some(dir => f.startsWith(`${dir}/`) && !f.slice(dir.length + 1).includes('/')));
    expect(handApplied.sort()).toEqual([`${argoFolder}/argocd/projects.yaml`, `${argoFolder}/argocd/root-applications.yaml`]);
    for (const dir of synced) expect(handApplied.some(f => f.startsWith(`${dir}/`)) ? `${dir} syncs a hand-applied file` : dir).toBe(dir);

    // Flux: the bootstrap folder holds the source and every Kustomization, which reach every other folder of the data plane
    const flux = objectsIn(files, under(fluxFolder));
    expect(flux.filter(o => o.kind === 'GitRepository')).toHaveLength(1);
    const kustomizations = all.filter(o => o.kind === 'Kustomization' && o.apiVersion.startsWith('kustomize.toolkit.fluxcd.io'));
    expect(flux.filter(o => o.kind === 'Kustomization' && o.apiVersion.startsWith('kustomize.toolkit.fluxcd.io'))).toHaveLength(kustomizations.length);
    const delivered = kustomizations.map(k => repoFolder(k.spec.path));
    // bootstrap's own Kustomization applies the folder; no other Kustomization may apply it too, nor anything inside it
    for (const d of delivered) expect(fluxFolder === d || fluxFolder.startsWith(`${d}/`) || d.startsWith(`${fluxFolder}/`) ? `${d} overlaps ${fluxFolder}` : d).toBe(d);
    const dataPlane = path.posix.dirname(fluxFolder);
    const folders = [...new Set(Object.keys(files).filter(under(dataPlane)).map(f => path.posix.dirname(f)))]
      .filter(d => d !== fluxFolder && d.split('/').length === (/\/(platform|flux-tenants)$/.test(d) ? 3 : 4));
    expect(delivered.sort()).toEqual(folders.sort());
  });
});
