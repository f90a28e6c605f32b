import * as fs from 'fs';
import * as path from 'path';
import {
  DataPlane, DeploymentPipeline, Environment, Organization, Project, Rollout, Service, StatefulService,
} from '../src';
import { IMAGE } from './support/fixtures';
import { expectProblem } from './support/problems';
import { one, synth, testApp } from './support/synth';
import { ceilMebibytes, formatBytes, formatCpu } from '../src/model/capacity';
import { cpuMillis, memoryBytes } from '../src/model/checks';
import type { PlatformApp } from '../src/output/platform-app';
import { generateName } from '../src/resolve/naming';
import { synthesizeOrganization } from '../src/synth';

const ns = (project: string, env: string) => generateName(63, 'dp', 'acme', project, env);

interface Options {
  readonly headroom?: number;
  readonly dpCapacity?: ConstructorParameters<typeof DataPlane>[2] extends infer P ? P extends { capacity?: infer C } ? C : never : never;
  readonly envCapacity?: { cpu?: string; memory?: string; storage?: string };
}

/** An organization with development (no quotas) and production (3 replicas, quotas) on data plane eu. */
function platform(app: PlatformApp, o: Options = {}) {
  const org = new Organization(app, 'acme', { defaultResources: { cpuRequest: '100m', cpuLimit: '200m', memoryRequest: '128Mi', memoryLimit: '256Mi' } });
  const dataPlane = new DataPlane(org, 'eu', { capacity: o.dpCapacity });
  const dev = new Environment(org, 'development', { dataPlane });
  const prod = new Environment(org, 'production', {
    dataPlane, isProduction: true, defaultReplicas: 3, quotaHeadroom: o.headroom ?? 1.5, capacity: o.envCapacity,
  });
  const pipeline = new DeploymentPipeline(org, 'standard', { promotionPaths: [{ source: dev, targets: [prod] }] });
  const project = new Project(org, 'shop', { pipeline });
  return { org, dataPlane, dev, prod, project };
}

/** api: main 250m/500m 256Mi/512Mi, a sidecar 50m 64Mi, an init container 1 CPU 128Mi. */
function api(project: Project): Service {
  return new Service(project, 'api', {
    image: IMAGE,
    resources: { cpuRequest: '250m', cpuLimit: '500m', memoryRequest: '256Mi', memoryLimit: '512Mi' },
    sidecars: [{ name: 'proxy', image: 'ghcr.io/acme/proxy:2.1.0', resources: { cpuRequest: '50m', memoryRequest: '64Mi' } }],
    initContainers: [{ name: 'migrate', image: 'ghcr.io/acme/migrate:1.0.0', resources: { cpuRequest: '1', memoryRequest: '128Mi' } }],
  });
}

describe('quantities', () => {
  test('parse and format exactly and deterministically', () => {
    expect(cpuMillis('1.5')).toBe(1500);
    expect(cpuMillis('250m')).toBe(250);
    expect(memoryBytes('1Gi')).toBe(2 ** 30);
    expect(memoryBytes('1G')).toBe(1e9);
    expect(memoryBytes('1k')).toBe(1000);
    expect(formatCpu(4000)).toBe('4');
    expect(formatCpu(1250)).toBe('1250m');
    expect(formatCpu(0.2)).toBe('1m');
    expect(formatBytes(3 * 2 ** 30)).toBe('3Gi');
    expect(formatBytes(1920 * 2 ** 20)).toBe('1920Mi');
    expect(formatBytes(1e9)).toBe('1000000000');
    expect(formatBytes(2 ** 29)).toBe('512Mi');
    expect(formatBytes(1001)).toBe('1001');
    expect(formatBytes(0)).toBe('0');
    expect(formatBytes(ceilMebibytes(1))).toBe('1Mi');
  });
});

describe('ResourceQuota and LimitRange per cell', () => {
  test('peak pods (replicas + 25% surge rounded up), init containers against main + sidecars, times the headroom; schemas validated', () => {
    const app = testApp();
    const { project, org } = platform(app);
    api(project);
    const objects = synth(org);
    // development sets no headroom: no quota
    expect(objects.filter(o => o.kind === 'ResourceQuota')).toHaveLength(1);
    expect(objects.filter(o => o.kind === 'LimitRange')).toHaveLength(1);
    const quota = one(objects, 'ResourceQuota');
    expect(quota.metadata.namespace).toBe(ns('shop', 'production'));
    expect(quota.metadata.annotations['openchoreo.dev/quota-headroom']).toBe('1.5');
    // the rendered pod: the sidecar's memory limit is the organization's default (256Mi)
    const pod = one(objects, 'Deployment', o => o.metadata.namespace === ns('shop', 'production')).spec.template.spec;
    expect(pod.containers.map((c: any) => c.resources.limits.memory)).toEqual(['512Mi', '256Mi']);
    // 3 replicas + ceil(25% of 3) = 4 pods; per pod cpu request max(250m+50m, 1) = 1, limit max(500m+50m, 1) = 1,
    // memory request max(256Mi+64Mi, 128Mi) = 320Mi, limit 512Mi+256Mi = 768Mi; × 4 × 1.5
    expect(quota.spec.hard).toEqual({
      'limits.cpu': '6',
      'limits.memory': '4608Mi',
      'persistentvolumeclaims': '0',
      'pods': '6',
      'requests.cpu': '6',
      'requests.memory': '1920Mi',
      'requests.storage': '0',
    });
    const limits = one(objects, 'LimitRange');
    expect(limits.metadata.namespace).toBe(ns('shop', 'production'));
    expect(limits.spec.limits).toEqual([{
      type: 'Container', default: { cpu: '200m', memory: '256Mi' }, defaultRequest: { cpu: '100m', memory: '128Mi' },
    }]);
    const rendered = synthesizeOrganization(org).objects.filter(x => x.manifest.kind === 'ResourceQuota' || x.manifest.kind === 'LimitRange');
    expect(rendered.map(x => `${x.dir}/${x.group}`)).toEqual(['eu/production/shop/quota', 'eu/production/shop/quota']);
  });

  test('autoscaler maximum, fixed surge, Recreate without surge, and claim templates × replicas', () => {
    const { project, org, prod } = platform(testApp(), { headroom: 1 });
    new Service(project, 'web', {
      image: IMAGE,
      autoscaling: { minReplicas: 2, maxReplicas: 5 },
      rollout: Rollout.rolling({ maxSurge: 2 }),
      resources: { cpuRequest: '100m', memoryRequest: '100Mi' },
    });
    new Service(project, 'batch', { image: IMAGE, rollout: Rollout.recreate(), resources: { cpuRequest: '1', memoryRequest: '1Gi' } });
    const db = new StatefulService(project, 'db', {
      image: IMAGE,
      resources: { cpuRequest: '500m', memoryRequest: '1Gi' },
      volumes: [{ name: 'data', mountPath: '/data', size: '10Gi' }, { name: 'wal', mountPath: '/wal', size: '512Mi' }],
    });
    db.configureEnvironment(prod, { volumeSizes: { data: '20Gi' } });
    const quota = one(synth(org), 'ResourceQuota');
    // web 5 + 2 = 7 pods × 100m; batch 3 × 1; db 3 × 500m  → 700m + 3000m + 1500m
    expect(quota.spec.hard.pods).toBe('13');
    expect(quota.spec.hard['requests.cpu']).toBe('5200m');
    expect(quota.spec.hard['requests.memory']).toBe(formatBytes((700 + 3 * 1024 + 3 * 1024) * 2 ** 20));
    expect(quota.spec.hard.persistentvolumeclaims).toBe('6');
    expect(quota.spec.hard['requests.storage']).toBe(formatBytes(3 * (20 * 2 ** 30 + 512 * 2 ** 20)));
  });

  test('capacity.md per data plane lists each environment and project against the capacity; not listed in kustomizations', () => {
    const app = testApp();
    const { org, project } = platform(app, { dpCapacity: { cpu: '16', memory: '64Gi', storage: '1Ti' } });
    api(project);
    const docs = synthesizeOrganization(org).documents.filter(d => d.file.endsWith('capacity.md'));
    expect(docs.map(d => d.file)).toEqual(['eu/capacity.md']);
    const text = docs[0].content;
    expect(text).toContain('# Capacity of data plane eu');
    // development: 1 replica + 1 surge pod (plain requests, no quota) 2 CPU 640Mi; production: quota 6 CPU 1920Mi
    expect(text).toContain('| Reserved by all cells | 8 of 16 (50%) | 2560Mi of 64Gi (4%) | 0 of 1Ti (0%) |');
    expect(text).toContain('| Declared capacity | 16 | 64Gi | 1Ti |');
    expect(text).toContain('## Environment development');
    expect(text).toContain('| shop | 4 | 4 | 4 | 1280Mi | 3Gi | 0 | 0 | 6, 1920Mi, 0 (×1.5) |');
    expect(text).toContain('| shop | 2 | 2 | 2 | 640Mi | 1536Mi | 0 | 0 | none |');
    app.synth();
    const kustomization = fs.readFileSync(path.join(app.outdir, 'acme', 'eu', 'kustomization.yaml'), 'utf8');
    expect(kustomization).not.toContain('capacity');
    expect(fs.existsSync(path.join(app.outdir, 'acme', 'eu', 'capacity.md'))).toBe(true);
    expect(fs.readFileSync(path.join(app.outdir, 'acme', 'eu', 'production', 'shop', 'quota.yaml'), 'utf8')).toContain('kind: ResourceQuota');
  });

  test('no quotas and no capacity: no quota objects and no capacity.md', () => {
    const app = testApp();
    const org = new Organization(app, 'acme');
    const dataPlane = new DataPlane(org, 'eu');
    const dev = new Environment(org, 'development', { dataPlane });
    const prod = new Environment(org, 'production', { dataPlane, isProduction: true });
    const pipeline = new DeploymentPipeline(org, 'standard', { promotionPaths: [{ source: dev, targets: [prod] }] });
    new Service(new Project(org, 'shop', { pipeline }), 'api', { image: IMAGE });
    expect(synth(org).filter(o => o.kind === 'ResourceQuota' || o.kind === 'LimitRange')).toEqual([]);
    expect(synthesizeOrganization(org).documents.filter(d => d.file.endsWith('capacity.md'))).toEqual([]);
  });
});

describe('bad input', () => {
  const env = (headroom: unknown, capacity?: unknown) => (app: PlatformApp) => {
    const org = new Organization(app, 'acme');
    new Environment(org, 'production', { dataPlane: new DataPlane(org, 'eu'), quotaHeadroom: headroom as number, capacity: capacity as any });
  };
  test.each([
    [0.5, '0.5'], [11, '11'], [Number.NaN, 'NaN'], ['2' as unknown as number, '2'],
  ])('quotaHeadroom %p is refused', (value, shown) => {
    expectProblem(env(value), { path: 'acme/production', value: `quotaHeadroom ${shown}`, fix: /use a number from 1 \(no headroom\) to 10/, at: 'construction' });
  });
  test.each([
    [{ cpu: 'lots' }, "capacity.cpu 'lots'", /cores/],
    [{ memory: '64GB' }, "capacity.memory '64GB'", /binary suffix/],
    [{ storage: '1Tb' }, "capacity.storage '1Tb'", /binary suffix/],
    [{ cpu: '0' }, "capacity.cpu '0' is not above zero", /allocatable CPU/],
    [{ memory: '0Gi' }, "capacity.memory '0Gi' is not above zero", /allocatable memory/],
    ['48', 'capacity is not an object', /cpu: '48'/],
  ])('environment capacity %p is refused', (capacity, shown, fix) => {
    expectProblem(env(undefined, capacity), { path: 'acme/production', value: shown, fix, at: 'construction' });
  });
  test('data plane capacity is validated', () => {
    expectProblem(app => new DataPlane(new Organization(app, 'acme'), 'eu', { capacity: { cpu: '-1' } }),
      { path: 'acme/eu', value: "capacity.cpu '-1'", fix: /cores/, at: 'construction' });
  });
  test('requests over the data plane capacity fail synthesis with the numbers and the fix', () => {
    expectProblem(app => api(platform(app, { dpCapacity: { cpu: '4', memory: '1Ti' } }).project), {
      path: 'acme/eu',
      value: "needs 8 of cpu for its cells (development/shop 2, production/shop 6) but declares capacity.cpu '4'",
      fix: /raise capacity\.cpu to at least 8, or lower the components' requests, replicas, volume sizes or the environments' quotaHeadroom/,
      at: 'synth',
    });
  });
  test('memory over an environment capacity fails synthesis', () => {
    expectProblem(app => api(platform(app, { envCapacity: { memory: '1Gi' } }).project), {
      path: 'acme/production', value: "environment 'production' needs 1920Mi of memory", fix: /raise capacity\.memory to at least 1920Mi/, at: 'synth',
    });
  });
  test('storage over the data plane capacity fails synthesis', () => {
    expectProblem(app => {
      const { project } = platform(app, { dpCapacity: { storage: '10Gi' }, headroom: 1 });
      new StatefulService(project, 'db', { image: IMAGE, volumes: [{ name: 'data', mountPath: '/data', size: '5Gi' }] });
    }, { path: 'acme/eu', value: 'needs 20Gi of storage', fix: /raise capacity\.storage to at least 20Gi/, at: 'synth' });
  });
  test("'quota' is a reserved component name and 'capacity' a reserved environment name", () => {
    expectProblem(app => new Service(platform(app).project, 'quota', { image: IMAGE }),
      { path: 'acme/shop/quota', value: "component name 'quota' is reserved", fix: /another name/, at: 'synth' });
    expectProblem(app => {
      const org = new Organization(app, 'acme');
      const dataPlane = new DataPlane(org, 'eu');
      const dev = new Environment(org, 'capacity', { dataPlane });
      const prod = new Environment(org, 'production', { dataPlane });
      new Project(org, 'shop', { pipeline: new DeploymentPipeline(org, 'p', { promotionPaths: [{ source: dev, targets: [prod] }] }) });
    }, { path: 'acme/capacity', value: "environment name 'capacity' is reserved", fix: /another name/, at: 'synth' });
  });
});
