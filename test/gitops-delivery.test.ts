import { Duration } from 'cdk8s';
import {
  DataPlane, DeploymentPipeline, Environment, GitOpsDelivery, GitOpsTool, Organization, Project, Service, Visibility, WebApplication, Worker,
} from '../src';
import { baseline } from './support/fixtures';
import { one, synth, testApp } from './support/synth';
import { generateName } from '../src/resolve/naming';
import { synthesizeOrganization } from '../src/synth';

/** shop → billing (billing provides), plus GitOps delivery with both tools. */
function platform(options: { cycle?: boolean } = {}) {
  const b = baseline(testApp());
  const billing = new Project(b.org, 'billing', { pipeline: b.pipeline });
  const invoices = new Service(billing, 'invoices', { image: 'r.example/i:1.0.0' });
  const http = invoices.addEndpoint('http', { port: 8080, visibility: [Visibility.ORGANIZATION] });
  const api = new Service(b.project, 'api', { image: 'r.example/api:1.0.0' });
  const apiHttp = api.addEndpoint('http', { port: 8080, visibility: [Visibility.ORGANIZATION] });
  api.dependOn(http);
  if (options.cycle) invoices.dependOn(apiHttp);
  new GitOpsDelivery(b.org, 'delivery', { repoUrl: 'https://git.example/ops.git', revision: 'release', basePath: './deploy/', tools: [GitOpsTool.ARGO_CD, GitOpsTool.FLUX] });
  return { ...b, billing };
}

const app = (objects: any[], project: string, env: string) => one(objects, 'Application', generateName(253, 'acme', project, env));
const kustomization = (objects: any[], project: string, env: string) => one(objects, 'Kustomization', generateName(253, 'acme', project, env));

describe('Argo CD', () => {
  test('an AppProject per project, restricted to its cells and to the kinds it emits', () => {
    const objects = synth(platform().org);
    const shop = one(objects, 'AppProject', 'acme-shop');
    expect(shop.metadata.namespace).toBe('argocd');
    expect(shop.spec.sourceRepos).toEqual(['https://git.example/ops.git']);
    expect(shop.spec.destinations).toEqual(['development', 'production', 'staging'].map(e => ({
      server: 'https://kubernetes.default.svc', namespace: generateName(63, 'dp', 'acme', 'shop', e),
    })));
    expect(shop.spec.clusterResourceWhitelist).toEqual([{ group: '', kind: 'Namespace' }]);
    expect(shop.spec.namespaceResourceWhitelist).toEqual([
      { group: '', kind: 'Service' }, { group: '', kind: 'ServiceAccount' }, { group: 'apps', kind: 'Deployment' },
      { group: 'cilium.io', kind: 'CiliumNetworkPolicy' }, { group: 'monitoring.coreos.com', kind: 'PrometheusRule' },
    ]);
  });

  test('the data plane\'s platform folder (dashboards, gateways) is an application of its own, limited to its namespaces and kinds', () => {
    const objects = synth(platform().org);
    const project = one(objects, 'AppProject', 'acme-eu-platform');
    // the dashboards' namespace, which is the Application's destination
    expect(project.spec.destinations).toEqual([{ server: 'https://kubernetes.default.svc', namespace: 'monitoring' }]);
    expect(project.spec.clusterResourceWhitelist).toEqual([]);
    expect(project.spec.namespaceResourceWhitelist).toEqual([{ group: '', kind: 'ConfigMap' }]);
    expect(one(objects, 'Application', 'acme-eu-platform').spec).toMatchObject({
      project: 'acme-eu-platform',
      source: { path: 'deploy/acme/eu/platform', targetRevision: 'release' },
      syncPolicy: { automated: { prune: true, selfHeal: true } },
    });
    expect(one(objects, 'Kustomization', 'acme-platform').spec).toMatchObject({ path: './deploy/acme/eu/platform', prune: true, wait: true });
  });

  test('automated sync with prune and self-heal, manual where the pipeline requires approval', () => {
    const objects = synth(platform().org);
    expect(app(objects, 'shop', 'staging').spec.syncPolicy).toEqual({ automated: { prune: true, selfHeal: true }, syncOptions: ['ServerSideApply=true'] });
    expect(app(objects, 'shop', 'production').spec.syncPolicy).toEqual({ syncOptions: ['ServerSideApply=true'] });
    expect(app(objects, 'shop', 'staging').spec.source).toEqual({
      repoURL: 'https://git.example/ops.git', targetRevision: 'release', path: 'deploy/acme/eu/staging/shop',
    });
  });

  test('providers sync before their consumers (sync waves), under one app-of-apps per environment', () => {
    const objects = synth(platform().org);
    const wave = (p: string) => Number(app(objects, p, 'development').metadata.annotations['argocd.argoproj.io/sync-wave']);
    expect(wave('billing')).toBe(1);
    expect(wave('shop')).toBe(2);
    const root = one(objects, 'Application', 'acme-eu-development');
    expect(root.spec.project).toBe('acme-platform');
    expect(root.spec.source.path).toBe('deploy/acme/gitops/argocd/eu-development');
  });

  test('projects depending on each other share a wave', () => {
    const objects = synth(platform({ cycle: true }).org);
    const wave = (p: string) => app(objects, p, 'development').metadata.annotations['argocd.argoproj.io/sync-wave'];
    expect(wave('billing')).toBe(wave('shop'));
  });
});

describe('Flux', () => {
  test('a GitRepository and a Kustomization per environment × project, with dependsOn from the dependency graph', () => {
    const objects = synth(platform().org);
    expect(one(objects, 'GitRepository', 'acme').spec).toEqual({ url: 'https://git.example/ops.git', ref: { branch: 'release' }, interval: '5m' });
    const shop = kustomization(objects, 'shop', 'staging');
    expect(shop.spec).toEqual({
      interval: '5m',
      path: './deploy/acme/eu/staging/shop',
      sourceRef: { kind: 'GitRepository', name: 'acme' },
      prune: true,
      wait: true,
      timeout: '5m',
      serviceAccountName: 'acme-shop-reconciler',
      dependsOn: [{ name: generateName(253, 'acme', 'billing', 'staging') }],
    });
    expect(kustomization(objects, 'billing', 'staging').spec.dependsOn).toBeUndefined();
  });

  test('a dependency cycle never becomes a dependsOn deadlock', () => {
    const objects = synth(platform({ cycle: true }).org);
    expect(kustomization(objects, 'shop', 'staging').spec.dependsOn).toBeUndefined();
    expect(kustomization(objects, 'billing', 'staging').spec.dependsOn).toBeUndefined();
  });

  test('each project reconciles as its own tenant, limited to its cells', () => {
    const objects = synth(platform().org);
    const cells = ['development', 'production', 'staging'].map(e => generateName(63, 'dp', 'acme', 'shop', e));
    expect(one(objects, 'ClusterRole', 'acme-shop-reconciler-namespaces').rules).toEqual([
      { apiGroups: [''], resources: ['namespaces'], verbs: ['create'] },
      { apiGroups: [''], resources: ['namespaces'], resourceNames: cells, verbs: ['get', 'update', 'patch', 'delete'] },
    ]);
    const bindings = objects.filter(o => o.kind === 'RoleBinding' && o.metadata.name === 'acme-shop-reconciler');
    const access = one(objects, 'Kustomization', 'acme-tenant-access');
    expect(access.spec).toMatchObject({ path: './deploy/acme/eu/flux-tenants', retryInterval: '1m', prune: true });
    expect(access.spec.serviceAccountName).toBeUndefined();
    expect(bindings.map(b => b.metadata.namespace).sort()).toEqual(cells);
    expect(bindings[0].subjects).toEqual([{ kind: 'ServiceAccount', name: 'acme-shop-reconciler', namespace: 'flux-system' }]);
    expect(one(objects, 'ClusterRole', 'acme-shop-reconciler-objects').rules).toEqual([
      { apiGroups: [''], resources: ['services', 'serviceaccounts'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] },
      { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] },
      { apiGroups: ['cilium.io'], resources: ['ciliumnetworkpolicies'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] },
      { apiGroups: ['monitoring.coreos.com'], resources: ['prometheusrules'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] },
    ]);
  });
});

describe('delivery in the plan', () => {
  test('names, waves and dependencies are decided once per cell, before any renderer runs', () => {
    const plan = synthesizeOrganization(platform().org).plan;
    const staging = plan.delivery!.cells.filter(c => c.environment === 'staging');
    expect(staging.map(c => [c.project, c.wave, c.dependsOn, c.waitsFor])).toEqual([
      ['billing', 1, [], []],
      ['shop', 2, ['billing'], ['billing']],
    ]);
    expect(staging[1]).toMatchObject({ name: generateName(253, 'acme', 'shop', 'staging'), appProject: 'acme-shop', tenant: 'acme-shop-reconciler' });
    expect(plan.delivery!.cells).toHaveLength(plan.cells.length);
  });

  test('a dependency cycle shares a wave and waits for nobody', () => {
    const staging = synthesizeOrganization(platform({ cycle: true }).org).plan.delivery!.cells.filter(c => c.environment === 'staging');
    expect(staging.map(c => [c.project, c.wave, c.dependsOn, c.waitsFor])).toEqual([
      ['billing', 2, ['shop'], []],
      ['shop', 2, ['billing'], []],
    ]);
  });
});

describe('delivery errors', () => {
  test.each([
    [{ repoUrl: 'git.example/ops' }, /repoUrl 'git\.example\/ops' is not a Git repository URL\. Fix: use an https:\/\//],
    [{ repoUrl: 'https://git.example/ops.git', basePath: '../elsewhere' }, /basePath '\.\.\/elsewhere' leaves the repository/],
    [{ repoUrl: 'https://git.example/ops.git', tools: [] }, /tools is empty\. Fix: list GitOpsTool\.ARGO_CD/],
    [{ repoUrl: 'https://git.example/ops.git', interval: 'often' }, /interval "often" is not a Duration .*Fix: use a Duration from 'cdk8s', e\.g\. interval: Duration\.minutes\(5\)/],
    [{ repoUrl: 'https://git.example/ops.git', interval: '5m' }, /\[acme\/delivery\] interval "5m" is not a Duration/],
    [{ repoUrl: 'https://git.example/ops.git', interval: Duration.seconds(0) }, /interval 0 seconds is not a positive whole number of milliseconds\. Fix: use a positive duration/],
  ])('%j', (props, message) => {
    const { org } = baseline(testApp());
    expect(() => new GitOpsDelivery(org, 'delivery', props as any)).toThrow(message);
  });

  test('a second delivery', () => {
    const { org } = baseline(testApp());
    new GitOpsDelivery(org, 'a', { repoUrl: 'https://git.example/ops.git' });
    expect(() => new GitOpsDelivery(org, 'b', { repoUrl: 'https://git.example/ops.git' })).toThrow(/\[acme\/b\] GitOpsDelivery name 'delivery' is already used by acme\/a/);
  });

  test('a worker-only project still gets its application', () => {
    const { org, project } = baseline(testApp());
    new Worker(project, 'w', { image: 'r.example/w:1.0.0' });
    new GitOpsDelivery(org, 'd', { repoUrl: 'https://git.example/ops.git' });
    // per environment the project's application and the app-of-apps, and the platform folder's (dashboards)
    expect(synth(org).filter(o => o.kind === 'Application')).toHaveLength(3 + 3 + 1);
  });
});

describe('two data planes', () => {
  test('each cluster gets its platform folder, gateways and Flux objects; names repeat only across clusters', () => {
    const org = new Organization(testApp(), 'acme');
    const planes = ['eu', 'us'].map(name => new DataPlane(org, name, {
      apiServer: `https://${name}.k8s.acme.example`, externalGateway: { domain: `${name}.apps.acme.example` },
    }));
    const envs = planes.map(dataPlane => new Environment(org, `prod-${dataPlane.name}`, { dataPlane }));
    const pipeline = new DeploymentPipeline(org, 'p', { promotionPaths: [{ source: envs[0], targets: [envs[1]] }] });
    const shop = new Project(org, 'shop', { pipeline });
    new WebApplication(shop, 'web', { image: 'r.example/web:1.0.0' }).addEndpoint('http', { port: 3000, visibility: [Visibility.PUBLIC] });
    new GitOpsDelivery(org, 'delivery', { repoUrl: 'https://git.example/ops.git', tools: [GitOpsTool.ARGO_CD, GitOpsTool.FLUX] });
    const objects = synth(org);
    const rendered = synthesizeOrganization(org).objects;
    for (const dp of ['eu', 'us']) {
      const inCluster = rendered.filter(o => o.dir.startsWith(`${dp}/`)).map(o => o.manifest);
      expect(inCluster.filter(o => o.kind === 'Gateway').map(o => o.spec.listeners[0].hostname)).toEqual([`*.${dp}.apps.acme.example`]);
      expect(inCluster.filter(o => o.kind === 'GitRepository').map(o => o.metadata.name)).toEqual(['acme']);
      expect(inCluster.filter(o => o.kind === 'Kustomization').map(o => o.spec.path).sort()).toEqual(
        [`./acme/${dp}/flux-tenants`, `./acme/${dp}/platform`, `./acme/${dp}/prod-${dp}/shop`]);
    }
    // Argo CD: a platform application per cluster, each targeting its own API server
    expect(objects.filter(o => o.kind === 'Application' && o.metadata.name.endsWith('-platform')).map(o => o.spec.destination.server))
      .toEqual(['https://eu.k8s.acme.example', 'https://us.k8s.acme.example']);
  });
});
