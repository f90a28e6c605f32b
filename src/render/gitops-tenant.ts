import { k8s } from 'cdk8s-plus-28';
import { kindsOf } from './gitops-context';
import { object } from './json';
import { pluralOf } from './kinds';
import type { RenderedObject } from './types';
import { tenantName } from '../resolve/delivery';
import { Labels, MANAGED_BY } from '../resolve/labels';
import { Cell, PlanDelivery } from '../resolve/plan';

/**
 * Flux tenant isolation: the project's Kustomizations run as a service account that may manage
 * exactly its cells (create its namespaces; within them, exactly the kinds the project emits, and
 * bind exactly the ClusterRoles its RoleBindings name: Kubernetes lets an account create a
 * RoleBinding only to a role whose permissions it holds, or that it may `bind`). @internal
 */
export function renderFluxTenant(
  d: PlanDelivery, org: string, project: string, cells: Cell[], manifests: any[], dir: string, accessDir: string,
): RenderedObject[] {
  const kinds = kindsOf(manifests);
  const roleBindings = manifests.filter(m => m.kind === 'RoleBinding');
  const bindable = [...new Set(roleBindings.filter(m => m.roleRef.kind === 'ClusterRole').map(m => m.roleRef.name as string))].sort();
  const sa = tenantName(org, project);
  const labels = { [Labels.NAMESPACE]: org, [Labels.PROJECT]: project, [Labels.MANAGED_BY]: MANAGED_BY };
  // RoleBindings get their own rules: the tenant changes only the ones it applies (never its own).
  const namespaced = kinds.filter(k => k.kind !== 'Namespace' && !(k.group === 'rbac.authorization.k8s.io' && k.kind === 'RoleBinding'));
  const groups = [...new Set(namespaced.map(k => k.group))].sort();
  const verbs = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];
  const group = 'tenant';
  return [
    { dir, group, isComponent: false, manifest: object<k8s.KubeServiceAccountProps>('v1', 'ServiceAccount', { metadata: { name: sa, namespace: d.fluxNamespace, labels } }) },
    {
      dir,
      group,
      isComponent: false,
      manifest: object<k8s.KubeClusterRoleProps>('rbac.authorization.k8s.io/v1', 'ClusterRole', {
        metadata: { name: `${sa}-objects`, labels },
        rules: [
          ...groups.map(g => ({ apiGroups: [g], resources: namespaced.filter(k => k.group === g).map(k => pluralOf(k.group, k.kind)), verbs })),
          ...(roleBindings.length > 0 ? [
            { apiGroups: ['rbac.authorization.k8s.io'], resources: ['rolebindings'], verbs: ['get', 'list', 'watch', 'create'] },
            {
              apiGroups: ['rbac.authorization.k8s.io'],
              resources: ['rolebindings'],
              resourceNames: [...new Set(roleBindings.map(m => m.metadata.name as string))].sort(),
              verbs: ['update', 'patch', 'delete'],
            },
          ] : []),
          ...(bindable.length > 0 ? [{ apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], resourceNames: bindable, verbs: ['bind'] }] : []),
        ],
      }),
    },
    {
      dir,
      group,
      isComponent: false,
      manifest: object<k8s.KubeClusterRoleProps>('rbac.authorization.k8s.io/v1', 'ClusterRole', {
        metadata: { name: `${sa}-namespaces`, labels },
        rules: [
          { apiGroups: [''], resources: ['namespaces'], verbs: ['create'] },
          { apiGroups: [''], resources: ['namespaces'], resourceNames: cells.map(c => c.namespace).sort(), verbs: ['get', 'update', 'patch', 'delete'] },
        ],
      }),
    },
    {
      dir,
      group,
      isComponent: false,
      manifest: object<k8s.KubeClusterRoleBindingProps>('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', {
        metadata: { name: `${sa}-namespaces`, labels },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: `${sa}-namespaces` },
        subjects: [{ kind: 'ServiceAccount', name: sa, namespace: d.fluxNamespace }],
      }),
    },
    ...cells.map(cell => ({
      dir: accessDir,
      group: project,
      isComponent: false,
      manifest: object<k8s.KubeRoleBindingProps>('rbac.authorization.k8s.io/v1', 'RoleBinding', {
        metadata: { name: sa, namespace: cell.namespace, labels },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: `${sa}-objects` },
        subjects: [{ kind: 'ServiceAccount', name: sa, namespace: d.fluxNamespace }],
      }),
    })),
  ];
}
