import { DataPlane, Organization, PlatformApp } from 'cdk8s-openchoreo';
import { baseline, service } from '../../../test/support/fixtures';
import { KubernetesManifestStack, PlatformStack } from '../src';
import { expectValidationError, scratchApp } from './support/stack-check';

const platform = () => {
  const app = new PlatformApp();
  const b = baseline(app);
  service(b.project, 'api');
  return b;
};
const cm = (name: string, namespace = 'shop') => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data: {} });

describe('bad input is an error naming where, the value and the fix', () => {
  test('an unknown data plane', () => {
    const { org } = platform();
    expectValidationError(() => new PlatformStack(scratchApp(), 'x', { platform: org, dataPlane: 'nowhere' }), { path: 'acme', value: "'nowhere'", fix: /one of 'eu'/ });
  });

  test('several data planes and none named', () => {
    const { org } = platform();
    new DataPlane(org, 'us');
    expectValidationError(() => new PlatformStack(scratchApp(), 'x', { platform: org }), { path: 'acme', value: '2 data planes (eu, us)', fix: /dataPlane to one of 'eu', 'us'.*toTerraform/ });
  });

  test('a construct without an organization, and two organizations for one stack', () => {
    const app = new PlatformApp();
    expectValidationError(() => new PlatformStack(scratchApp(), 'x', { platform: app }), { path: '<root>', value: 'holds no Organization', fix: /pass the Organization/ });
    baseline(app);
    new Organization(app, 'globex');
    expectValidationError(() => new PlatformStack(scratchApp(), 'x', { platform: app }), { path: '<root>', value: '2 organizations (acme, globex)', fix: /one Organization.*toTerraform/ });
  });

  test('an absolute backend or kubeconfig path', () => {
    const { org } = platform();
    expectValidationError(() => new PlatformStack(scratchApp(), 'abs', { platform: org, backendPath: '/var/state/x.tfstate' }), { path: 'abs', value: "backendPath '/var/state/x.tfstate'", fix: /relative/ });
    expectValidationError(() => new PlatformStack(scratchApp(), 'abs', { platform: org, kubeconfigPath: '/home/me/.kube/config' }), { path: 'abs', value: "kubeconfigPath '/home/me/.kube/config'", fix: /~\/.*KUBE_CONFIG_PATH/ });
  });

  test('two objects with one resource name, and an object without a name', () => {
    expectValidationError(() => new KubernetesManifestStack(scratchApp(), 'dup', { objects: [cm('a.b'), cm('a-b')] }),
      { path: 'dup', value: "ConfigMap 'shop/a-b' and ConfigMap 'shop/a.b' both become the Terraform resource kubernetes_manifest.core_ConfigMap_shop_a-b", fix: /rename one/ });
    expectValidationError(() => new KubernetesManifestStack(scratchApp(), 'same', { objects: [cm('a'), cm('a')] }), { path: 'same', value: 'kubernetes_manifest.core_ConfigMap_shop_a', fix: /remove the duplicate/ });
    expectValidationError(() => new KubernetesManifestStack(scratchApp(), 'shape', { objects: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: {} }] }), { path: 'shape', value: 'object #1', fix: /metadata.name/ });
  });

  test('a CRD in the same stack as an object of its kind', () => {
    const crd = { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' }, spec: { group: 'example.com', names: { kind: 'Widget', plural: 'widgets' }, scope: 'Namespaced', versions: [] } };
    const widget = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'shop' } };
    expectValidationError(() => new KubernetesManifestStack(scratchApp(), 'mixed', { objects: [crd, widget] }), { path: 'mixed', value: "example.com/Widget 'shop/w' shares the stack with apiextensions.k8s.io/CustomResourceDefinition 'widgets.example.com'", fix: /stack of their own.*-crds/ });
  });
});
