import { groupOf, KubernetesObject } from './object-ids';

/**
 * Apply order inside one stack. Each object depends (Terraform `depends_on`, minimal, not
 * transitive) on the objects it needs to exist first, which are always in an earlier tier — or, for
 * a RoleBinding on its Role, in the same one.
 */
export enum Tier {
  /** CustomResourceDefinitions (they get a stack of their own: a CRD and its objects cannot share one plan). */
  CRD = 0,
  NAMESPACE = 1,
  CLUSTER_SCOPED = 2,
  NAMESPACED = 3,
}

const CRD_GROUP = 'apiextensions.k8s.io';
const RBAC_GROUP = 'rbac.authorization.k8s.io';
const GATEWAY_GROUP = 'gateway.networking.k8s.io';

/** Whether an object is a CustomResourceDefinition. */
export function isCrd(o: KubernetesObject): boolean {
  return o.kind === 'CustomResourceDefinition' && groupOf(o.apiVersion) === CRD_GROUP;
}

/** The `group/Kind` a CRD defines (undefined for anything else). */
export function definedKind(o: KubernetesObject): string | undefined {
  if (!isCrd(o)) return undefined;
  const spec = (o as any).spec;
  return typeof spec?.group === 'string' && typeof spec?.names?.kind === 'string' ? `${spec.group}/${spec.names.kind}` : undefined;
}

/** The `group/Kind` of an object. */
export function kindKey(o: KubernetesObject): string {
  return `${groupOf(o.apiVersion)}/${o.kind}`;
}

/** The tier of an object. */
export function tierOf(o: KubernetesObject): Tier {
  if (isCrd(o)) return Tier.CRD;
  if (o.kind === 'Namespace' && o.apiVersion === 'v1') return Tier.NAMESPACE;
  return o.metadata.namespace === undefined ? Tier.CLUSTER_SCOPED : Tier.NAMESPACED;
}

/** Identity key of an object in one cluster: `group/Kind/namespace/name`. */
function identity(group: string, kind: string, namespace: string | undefined, name: string): string {
  return `${group}/${kind}/${namespace ?? ''}/${name}`;
}

/**
 * The resource ids each object depends on, among `entries` (objects absent from them are
 * prerequisites of the stack, not dependencies): its Namespace, the CRD of its kind, the Role or
 * ClusterRole a (Cluster)RoleBinding names, the GatewayClass a Gateway names. Sorted, no duplicates.
 */
export function dependenciesOf(entries: ReadonlyArray<{ id: string; object: KubernetesObject }>): Map<string, string[]> {
  const ids = new Map<string, string>();
  const crds = new Map<string, string>();
  for (const { id, object } of entries) {
    ids.set(identity(groupOf(object.apiVersion), object.kind, object.metadata.namespace, object.metadata.name), id);
    const defined = definedKind(object);
    if (defined) crds.set(defined, id);
  }
  const out = new Map<string, string[]>();
  for (const { id, object } of entries) {
    const deps = new Set<string>();
    const add = (target: string | undefined) => { if (target !== undefined && target !== id) deps.add(target); };
    const ns = object.metadata.namespace;
    if (ns !== undefined) add(ids.get(identity('', 'Namespace', undefined, ns)));
    add(crds.get(kindKey(object)));
    const group = groupOf(object.apiVersion);
    const spec = (object as any).spec;
    const roleRef = (object as any).roleRef;
    if (group === RBAC_GROUP && (object.kind === 'RoleBinding' || object.kind === 'ClusterRoleBinding') && typeof roleRef?.name === 'string') {
      if (roleRef.kind === 'ClusterRole') add(ids.get(identity(RBAC_GROUP, 'ClusterRole', undefined, roleRef.name)));
      if (roleRef.kind === 'Role' && ns !== undefined) add(ids.get(identity(RBAC_GROUP, 'Role', ns, roleRef.name)));
    }
    if (group === GATEWAY_GROUP && object.kind === 'Gateway' && typeof spec?.gatewayClassName === 'string') {
      add(ids.get(identity(GATEWAY_GROUP, 'GatewayClass', undefined, spec.gatewayClassName)));
    }
    out.set(id, [...deps].sort());
  }
  return out;
}
