import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { assertValidManifests } from './support/schema-validator';
import { testApp } from './support/synth';
import { buildPlatform } from '../examples/platform/main';

const root = path.join(__dirname, '..');

describe('README', () => {
  test('the quick start states the example platform\'s object counts', () => {
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8').replace(/\s+/g, ' ');
    const [, total, cells, platform, delivery] = /writes (\d+) objects into `dist\/acme\/`: (\d+) in the cells .*?, (\d+) in the data plane's platform folder .*? and (\d+) that deliver/.exec(readme)!.map(Number);
    const app = testApp();
    buildPlatform(app);
    // objects per folder: the environments' cell folders, the platform folder, the rest delivers
    const count = (where: (file: string) => boolean) => Object.entries(app.synthFiles())
      .filter(([f]) => f.endsWith('.yaml') && !f.endsWith('kustomization.yaml') && where(f))
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
