import { ApiObject } from 'cdk8s';
import { PlatformApp } from 'cdk8s-openchoreo';
import * as fc from 'fast-check';
import { baseline, service } from '../../../test/support/fixtures';
import { escapeTemplates, escapeTemplateString, KubernetesManifestStack, PlatformStack, Tier, unescapeTemplates, unescapeTemplateString } from '../src';
import { scratchApp, synthTerraform, topologicalOrder, unescapedTemplates } from './support/stack-check';

describe('escaping Terraform template syntax', () => {
  test.each([
    ['x ${datasource} %{if a} y', 'x $${datasource} %%{if a} y'],
    ['$${x}', '$$${x}'],
    ['%%{x}', '%%%{x}'],
    ['$ { % {', '$ { % {'],
    ['no templates', 'no templates'],
  ])('%s → %s', (raw, escaped) => {
    expect(escapeTemplateString(raw)).toBe(escaped);
    expect(unescapeTemplateString(escaped)).toBe(raw);
    expect(unescapedTemplates(escaped)).toEqual([]);
  });

  test('round trip and nothing left to interpret, for any string', () => {
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom('$', '%', '{', '}', 'a') }), s => {
      expect(unescapeTemplateString(escapeTemplateString(s))).toBe(s);
      expect(unescapedTemplates(escapeTemplateString(s))).toEqual([]);
    }));
  });

  test('keys and nested values are escaped; untouched values are not copied', () => {
    const value = { 'a${k}': [{ v: '${x}' }, 'plain'], 'same': { deep: ['plain'] } };
    const escaped = escapeTemplates(value) as any;
    expect(escaped).toEqual({ 'a$${k}': [{ v: '$${x}' }, 'plain'], 'same': { deep: ['plain'] } });
    expect(escaped.same).toBe(value.same);
    expect(unescapeTemplates(escaped)).toEqual(value);
    expect(escapeTemplates(value.same)).toBe(value.same);
  });
});

describe('tiers and dependencies', () => {
  const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } };
  const role = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'reader', namespace: 'shop' }, rules: [] };
  const binding = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'readers', namespace: 'shop' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'reader' }, subjects: [] };
  const clusterRole = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'viewer' }, rules: [] };
  const clusterBinding = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'viewers' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'viewer' }, subjects: [] };

  test('Namespace, then cluster-scoped, then namespaced; a RoleBinding after its Role; minimal edges', () => {
    const stack = new KubernetesManifestStack(scratchApp(), 'rbac', { objects: [binding, clusterBinding, role, clusterRole, ns] });
    expect(stack.graph).toEqual([
      { id: 'core_Namespace__cluster_shop', tier: Tier.NAMESPACE, dependsOn: [] },
      { id: 'rbac-authorization-k8s-io_ClusterRoleBinding__cluster_viewers', tier: Tier.CLUSTER_SCOPED, dependsOn: ['rbac-authorization-k8s-io_ClusterRole__cluster_viewer'] },
      { id: 'rbac-authorization-k8s-io_ClusterRole__cluster_viewer', tier: Tier.CLUSTER_SCOPED, dependsOn: [] },
      { id: 'rbac-authorization-k8s-io_RoleBinding_shop_readers', tier: Tier.NAMESPACED, dependsOn: ['core_Namespace__cluster_shop', 'rbac-authorization-k8s-io_Role_shop_reader'] },
      { id: 'rbac-authorization-k8s-io_Role_shop_reader', tier: Tier.NAMESPACED, dependsOn: ['core_Namespace__cluster_shop'] },
    ]);
    expect(topologicalOrder(new Map(stack.graph.map(g => [g.id, [...g.dependsOn]])))).toHaveLength(5);
  });

  test('objects outside the stack are prerequisites, not dependencies', () => {
    const stack = new KubernetesManifestStack(scratchApp(), 'lone', { objects: [binding] });
    expect(stack.graph[0].dependsOn).toEqual([]);
  });

  test('CRDs added to the organization go to a <id>-crds stack the platform stack depends on', () => {
    const declare = (includeExtraObjects: boolean) => (app: any) => {
      const platform = new PlatformApp();
      const { org, project } = baseline(platform);
      service(project, 'api');
      new ApiObject(org, 'widgets-crd', {
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name: 'widgets.example.com' },
        spec: { group: 'example.com', names: { kind: 'Widget', plural: 'widgets' }, scope: 'Namespaced', versions: [] },
      });
      new ApiObject(org, 'widget', { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'default' } });
      return new PlatformStack(app, 'acme', { platform: org, includeExtraObjects });
    };
    let stack: PlatformStack | undefined;
    const { files } = synthTerraform(app => { stack = declare(true)(app); });
    expect(stack!.crdStack).toBeDefined();
    const manifest = JSON.parse(files.get('manifest.json')!);
    expect(manifest.stacks.acme.dependencies).toEqual(['acme-crds']);
    const crds = JSON.parse(files.get('stacks/acme-crds/cdk.tf.json')!);
    expect(Object.keys(crds.resource.kubernetes_manifest)).toEqual(['apiextensions-k8s-io_CustomResourceDefinition__cluster_widgets-example-com']);
    const platformTf = JSON.parse(files.get('stacks/acme/cdk.tf.json')!);
    expect(platformTf.resource.kubernetes_manifest['example-com_Widget_default_w']).toBeDefined();
    expect(Object.keys(platformTf.resource.kubernetes_manifest).some(id => id.includes('CustomResourceDefinition'))).toBe(false);
    const without = declare(false)(scratchApp());
    expect(without.crdStack).toBeUndefined();
    expect([...without.resources.keys()].some(id => id.includes('Widget'))).toBe(false);
  });
});
