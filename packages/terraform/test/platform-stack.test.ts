import { DataPlane, DeploymentPipeline, Environment, Organization, PlatformApp, Project, Service } from 'cdk8s-openchoreo';
import { synthesizeOrganization } from 'cdk8s-openchoreo/lib/synth';
import { Testing } from 'cdktf';
import { buildPlatform as buildBench } from '../../../bench/platform';
import { buildPlatform as buildExample } from '../../../examples/platform/main';
import { baseline, service } from '../../../test/support/fixtures';
import { PlatformStack, toTerraform } from '../src';
import { checkStackFile, expectNoMachinePaths, scratchApp, synthTerraform } from './support/stack-check';

const stackFile = (id: string) => `stacks/${id}/cdk.tf.json`;
const dataPlaneObjects = (org: Organization, dp: string) => synthesizeOrganization(org).dataPlaneObjects.filter(o => o.dir.startsWith(`${dp}/`)).map(o => o.manifest);

describe('the example platform as a Terraform stack', () => {
  const org = buildExample(new PlatformApp());
  const { files, outdir } = synthTerraform(app => toTerraform(app, org));
  const objects = dataPlaneObjects(org, 'eu-west');
  const tf = checkStackFile(files.get(stackFile('acme-eu-west'))!, objects, 'acme-eu-west');

  test('one kubernetes_manifest per data-plane object (cells and platform folder), delivery objects left out', () => {
    expect(objects).toHaveLength(247); // + the database-proxy PodMonitors (3) and orders-db (8)
    expect(synthesizeOrganization(org).objects).toHaveLength(308);
    const kinds = new Set(Object.values<any>(tf.resource.kubernetes_manifest).map(b => b.manifest.kind));
    expect(kinds.has('Application')).toBe(false);
    expect(kinds.has('Kustomization')).toBe(false);
    expect([...files.keys()].sort()).toEqual(['manifest.json', stackFile('acme-eu-west')]);
  });

  test('depends_on: namespaced objects after their Namespace, bindings after their roles, Gateways after their GatewayClass', () => {
    const blocks: Record<string, any> = tf.resource.kubernetes_manifest;
    const edges = Object.values(blocks).reduce((n, b) => n + (b.depends_on?.length ?? 0), 0);
    expect(edges).toBeGreaterThan(150);
    const bindings = Object.entries(blocks).filter(([, b]) => b.manifest.kind === 'RoleBinding' && b.manifest.roleRef.kind === 'ClusterRole');
    expect(bindings.length).toBeGreaterThan(0);
    for (const [, b] of bindings) expect(b.depends_on).toContain(`kubernetes_manifest.rbac-authorization-k8s-io_ClusterRole__cluster_${b.manifest.roleRef.name}`);
    const gateways = Object.values(blocks).filter(b => b.manifest.kind === 'Gateway');
    expect(gateways.length).toBeGreaterThan(0);
    for (const g of gateways) expect(g.depends_on.some((d: string) => d.includes('_GatewayClass_'))).toBe(true);
  });

  test('template syntax in the objects is escaped (Grafana ${datasource}, build scripts)', () => {
    const text = files.get(stackFile('acme-eu-west'))!;
    expect(text).toContain('$${');
    expect(objects.some(o => JSON.stringify(o).includes('${'))).toBe(true);
  });

  test('provider from the data plane: kubeconfig context named after it, no host for the in-cluster API server', () => {
    expect(tf.provider.kubernetes).toEqual([{ config_context: 'eu-west', config_path: '~/.kube/config' }]);
    expect(Object.values<any>(tf.resource.kubernetes_manifest).every(b => b.field_manager.name === 'cdk8s-openchoreo')).toBe(true);
  });

  test('no absolute path of this machine in any file', () => {
    expectNoMachinePaths(files, outdir);
  });

  test('cdktf\'s own view (Testing.synth reads toTerraform()) equals the file the fast synthesizer wrote', () => {
    const stack = toTerraform(scratchApp(), org)[0];
    const written = JSON.parse(files.get(stackFile('acme-eu-west'))!);
    delete written['//'];
    for (const block of Object.values<any>(written.resource.kubernetes_manifest)) delete block['//'];
    expect(JSON.parse(Testing.synth(stack))).toEqual(written);
  });
});

describe('a generated platform', () => {
  test('40 components × 3 environments: every object once, byte-equal, tiered', () => {
    const built = buildBench(new PlatformApp(), { components: 40 });
    const { files, outdir } = synthTerraform(app => new PlatformStack(app, 'bench', { platform: built.organization }));
    const objects = dataPlaneObjects(built.organization, 'eu-west');
    expect(objects.length).toBeGreaterThan(1000);
    checkStackFile(files.get(stackFile('bench'))!, objects, 'bench');
    expectNoMachinePaths(files, outdir);
  });
});

describe('determinism', () => {
  test('two runs write identical files', () => {
    const a = synthTerraform(app => toTerraform(app, buildExample(new PlatformApp()))).files;
    const b = synthTerraform(app => toTerraform(app, buildExample(new PlatformApp()))).files;
    expect([...a.keys()]).toEqual([...b.keys()]);
    for (const [file, text] of a) expect(b.get(file)).toBe(text);
  });

  test('declaration order does not change the stack', () => {
    const declare = (reversed: boolean) => (app: PlatformApp) => {
      const { org, project } = baseline(app);
      const shop2 = new Project(org, 'catalog', { pipeline: project.pipeline });
      const steps = [
        () => service(project, 'api').addEndpoint('http', { port: 8080 }),
        () => service(project, 'worker'),
        () => service(shop2, 'search').addEndpoint('http', { port: 9000 }),
      ];
      (reversed ? [...steps].reverse() : steps).forEach(s => s());
      return org;
    };
    const forward = synthTerraform(app => toTerraform(app, declare(false)(new PlatformApp()))).files;
    const reversed = synthTerraform(app => toTerraform(app, declare(true)(new PlatformApp()))).files;
    expect(reversed.get(stackFile('acme-eu'))).toBe(forward.get(stackFile('acme-eu')));
  });
});

describe('data planes', () => {
  const twoPlanes = () => {
    const app = new PlatformApp();
    const { org, project } = baseline(app);
    const us = new DataPlane(org, 'us-east', { apiServer: 'https://us-east.k8s.acme.example' });
    const usDev = new Environment(org, 'us-development', { dataPlane: us });
    const usProd = new Environment(org, 'us-production', { dataPlane: us, isProduction: true });
    const usShop = new Project(org, 'us-shop', { pipeline: new DeploymentPipeline(org, 'us', { promotionPaths: [{ source: usDev, targets: [usProd] }] }) });
    service(usShop, 'web');
    service(project, 'api');
    return { app, org };
  };

  test('toTerraform: one stack per data plane, each with its own cells; a declared apiServer becomes the provider host', () => {
    const { org } = twoPlanes();
    const { files } = synthTerraform(app => toTerraform(app, org));
    const eu = checkStackFile(files.get(stackFile('acme-eu'))!, dataPlaneObjects(org, 'eu'), 'acme-eu');
    const us = checkStackFile(files.get(stackFile('acme-us-east'))!, dataPlaneObjects(org, 'us-east'), 'acme-us-east');
    expect(Object.keys(eu.resource.kubernetes_manifest).length).toBeGreaterThan(0);
    expect(us.provider.kubernetes).toEqual([{ config_context: 'us-east', config_path: '~/.kube/config', host: 'https://us-east.k8s.acme.example' }]);
    expect(eu.provider.kubernetes[0].host).toBeUndefined();
  });

  test('PlatformStack exports the named data plane with the given provider settings', () => {
    const { org } = twoPlanes();
    const { files } = synthTerraform(app => new PlatformStack(app, 'us', {
      platform: org, dataPlane: 'us-east', kubeconfigContext: 'prod-us', kubeconfigPath: 'kubeconfig.yaml', fieldManager: 'platform-team', backendPath: 'state/us.tfstate',
    }));
    const tf = JSON.parse(files.get(stackFile('us'))!);
    expect(tf.provider.kubernetes[0]).toMatchObject({ config_context: 'prod-us', config_path: 'kubeconfig.yaml' });
    expect(tf.terraform.backend.local.path).toBe('state/us.tfstate');
    expect(Object.values<any>(tf.resource.kubernetes_manifest).every(b => b.field_manager.name === 'platform-team')).toBe(true);
    const namespaces = Object.values<any>(tf.resource.kubernetes_manifest).filter(b => b.manifest.kind === 'Namespace').map(b => b.manifest.metadata.name);
    expect(namespaces.length).toBeGreaterThan(0);
    expect(namespaces.every((n: string) => n.includes('us-shop'))).toBe(true);
  });

  test('the organization inside a PlatformApp is found', () => {
    const app = new PlatformApp();
    const { project } = baseline(app);
    service(project, 'api');
    const stack = new PlatformStack(scratchApp(), 'acme', { platform: app });
    expect(stack.dataPlane).toBe('eu');
    expect(stack.resources.size).toBeGreaterThan(0);
    expect(stack.crdStack).toBeUndefined();
  });
});

describe('a service in a cell', () => {
  test('the graph the stack reports matches its resources', () => {
    const app = new PlatformApp();
    const { project } = baseline(app);
    new Service(project, 'api', { image: 'ghcr.io/acme/api:1.0.0' });
    const stack = new PlatformStack(scratchApp(), 'acme', { platform: app });
    expect(stack.graph.map(g => g.id)).toEqual([...stack.resources.keys()]);
    const deployment = stack.graph.find(g => g.id.startsWith('apps_Deployment_'))!;
    expect(deployment.dependsOn).toHaveLength(1);
    expect(stack.objectOf(deployment.dependsOn[0])?.kind).toBe('Namespace');
  });
});
