import { k8s } from 'cdk8s-plus-28';
import { object } from './json';
import { resourcesWhere } from './kinds';
import { cellLabels } from './metadata';
import { AccessCapability } from '../model/access';
import { PlanAccess, PlanAccessRole, PlanCellAccess } from '../resolve/access';
import { Labels, MANAGED_BY } from '../resolve/labels';
import { Cell, Plan } from '../resolve/plan';

const RBAC_GROUP = 'rbac.authorization.k8s.io';
const VERB_ORDER = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'];
const READ_VERBS = ['get', 'list', 'watch'];
const WRITE_VERBS = ['create', 'update', 'patch', 'delete', 'deletecollection'];

/**
 * What READ covers in a cell (see `readInCells` in ./kinds): every kind the library emits into
 * cells and those their controllers create, never Secrets or RBAC objects. Kinds a cell does not
 * use cost nothing. EDIT covers the `editable` ones of them.
 */
const READ_RESOURCES = resourcesWhere(k => k.readInCells);
const EDIT_RESOURCES = resourcesWhere(k => k.readInCells && k.editable);

/** The Kubernetes permissions of each capability in a cell, as [apiGroup, resource, verbs]. */
function kubernetesPermissions(capability: AccessCapability): Array<readonly [string, string, readonly string[]]> {
  switch (capability) {
    case AccessCapability.READ:
      return READ_RESOURCES.map(([g, r]) => [g, r, READ_VERBS] as const);
    case AccessCapability.LOGS:
      return [['', 'pods/log', ['get']]];
    case AccessCapability.RESTART:
      return [['', 'pods', ['delete']]];
    case AccessCapability.EXEC:
      return [['', 'pods/exec', ['create']], ['', 'pods/attach', ['create']]];
    case AccessCapability.PORT_FORWARD:
      return [['', 'pods/portforward', ['create']]];
    case AccessCapability.READ_SECRETS:
      return [['', 'secrets', READ_VERBS]];
    case AccessCapability.EDIT:
      return [
        ...EDIT_RESOURCES.map(([g, r]) => [g, r, WRITE_VERBS] as const),
        ['apps', 'deployments/scale', ['get', 'update', 'patch']],
        ['apps', 'statefulsets/scale', ['get', 'update', 'patch']],
      ];
    case AccessCapability.DEPLOY:
      return []; // deploying goes through Argo CD / Flux
    default:
      throw new Error(`unknown capability ${capability}`);
  }
}

const rulesCache = new Map<string, any[]>();

/** PolicyRules granting exactly the capabilities' permissions: one rule per API group and verb set, sorted. @internal */
export function kubernetesRules(capabilities: readonly AccessCapability[]): any[] {
  return structuredClone(cachedRules(capabilities));
}

/** Whether the capabilities grant any Kubernetes permission (without copying the rules). @internal */
export function hasKubernetesRules(capabilities: readonly AccessCapability[]): boolean {
  return cachedRules(capabilities).length > 0;
}

function cachedRules(capabilities: readonly AccessCapability[]): any[] {
  const key = capabilities.join(',');
  let rules = rulesCache.get(key);
  if (!rules) {
    rules = computeRules(capabilities);
    rulesCache.set(key, rules);
  }
  return rules;
}

function computeRules(capabilities: readonly AccessCapability[]): any[] {
  const verbs = new Map<string, Map<string, Set<string>>>(); // group → resource → verbs
  for (const c of capabilities) {
    for (const [g, r, vs] of kubernetesPermissions(c)) {
      const byResource = verbs.get(g) ?? new Map<string, Set<string>>();
      const set = byResource.get(r) ?? new Set<string>();
      for (const v of vs) set.add(v);
      byResource.set(r, set);
      verbs.set(g, byResource);
    }
  }
  const rules: any[] = [];
  for (const g of [...verbs.keys()].sort()) {
    const byVerbs = new Map<string, string[]>();
    for (const [r, set] of verbs.get(g)!) {
      const key = VERB_ORDER.filter(v => set.has(v)).join(',');
      byVerbs.set(key, [...(byVerbs.get(key) ?? []), r]);
    }
    const groupRules = [...byVerbs.entries()].map(([key, resources]) => ({ apiGroups: [g], resources: resources.sort(), verbs: key.split(',') }));
    rules.push(...groupRules.sort((a, b) => (a.resources[0] < b.resources[0] ? -1 : 1)));
  }
  return rules;
}

/** Argo CD project-role policies granting the capabilities on one Application, as `[resource, action]`. */
function argoPermissions(capability: AccessCapability): Array<readonly [string, string]> {
  switch (capability) {
    case AccessCapability.READ: return [['applications', 'get']];
    case AccessCapability.LOGS: return [['logs', 'get']];
    case AccessCapability.DEPLOY: return [['applications', 'sync']];
    case AccessCapability.RESTART: return [['applications', 'action/apps/*/restart'], ['applications', 'delete//Pod/*/*']];
    case AccessCapability.EXEC: return [['exec', 'create']];
    case AccessCapability.EDIT: return [['applications', 'update'], ['applications', 'delete'], ['applications', 'override'], ['applications', 'action/*']];
    default: return []; // PORT_FORWARD, READ_SECRETS: Kubernetes only
  }
}

/** Flux verbs on a project's Kustomization for the capabilities. */
function fluxVerbs(capabilities: readonly AccessCapability[]): { view: boolean; reconcile: boolean } {
  return {
    view: capabilities.includes(AccessCapability.READ),
    reconcile: capabilities.includes(AccessCapability.DEPLOY) || capabilities.includes(AccessCapability.EDIT),
  };
}

/** The name of a role's ClusterRole (and of the RoleBindings to it): `<organization>-<role id>`. @internal */
export function accessRoleName(organization: string, roleId: string): string {
  return `${organization}-${roleId}`;
}

const cellIndex = new WeakMap<PlanAccess, Map<string, PlanCellAccess>>();

/** The access of a cell, if any group holds a role there. @internal */
export function cellAccessOf(access: PlanAccess | undefined, namespace: string): PlanCellAccess | undefined {
  if (!access) return undefined;
  let index = cellIndex.get(access);
  if (!index) {
    index = new Map(access.cells.map(c => [c.namespace, c]));
    cellIndex.set(access, index);
  }
  return index.get(namespace);
}

/**
 * The ClusterRoles of the organization's roles bound on a data plane (`<org>-<role>`, and
 * `<org>-<role>-read-only` for production variants): what each role may do inside a cell, bound
 * per cell by RoleBindings. @internal
 */
export function renderAccessClusterRoles(plan: Plan, dataPlane: string): any[] {
  const access = plan.access;
  if (!access) return [];
  const used = new Set(access.cells.filter(c => c.dataPlane === dataPlane).flatMap(c => c.bindings.map(b => b.role)));
  const org = plan.organization.name;
  return access.roles.filter(r => used.has(r.id) && hasKubernetesRules(r.capabilities)).map(r => object<k8s.KubeClusterRoleProps>(`${RBAC_GROUP}/v1`, 'ClusterRole', {
    metadata: {
      name: accessRoleName(org, r.id),
      labels: { [Labels.NAMESPACE]: org, [Labels.MANAGED_BY]: MANAGED_BY, 'openchoreo.dev/access-role': r.role },
      annotations: { 'openchoreo.dev/capabilities': r.capabilities.join(','), 'openchoreo.dev/description': r.description },
    },
    rules: kubernetesRules(r.capabilities),
  }));
}

/**
 * The RoleBindings of a cell: one per role held there, binding the role's ClusterRole to the
 * groups (with the data plane's Kubernetes group prefix). @internal
 */
export function renderCellAccess(plan: Plan, cell: Cell): any[] {
  const access = cellAccessOf(plan.access, cell.namespace);
  if (!access) return [];
  const prefix = plan.access!.groupPrefixes[cell.dataPlane] ?? '';
  const org = plan.organization.name;
  return access.bindings
    .filter(b => hasKubernetesRules(roleOf(plan.access!, b.role).capabilities))
    .map(b => object<k8s.KubeRoleBindingProps>(`${RBAC_GROUP}/v1`, 'RoleBinding', {
      metadata: { name: accessRoleName(org, b.role), namespace: cell.namespace, labels: { ...cellLabels(cell), 'openchoreo.dev/access-role': roleOf(plan.access!, b.role).role } },
      roleRef: { apiGroup: RBAC_GROUP, kind: 'ClusterRole', name: accessRoleName(org, b.role) },
      subjects: b.groups.map(g => ({ apiGroup: RBAC_GROUP, kind: 'Group', name: `${prefix}${g}` })),
    }));
}

/**
 * Argo CD project roles of a project's AppProject: one per role held in one of its cells, named
 * `<role id>_<environment>`, whose policies name only that environment's Application. @internal
 */
export function argoProjectRoles(plan: Plan, appProject: string, applications: Array<{ readonly cell: Cell; readonly application: string }>): any[] {
  const roles: any[] = [];
  for (const { cell, application } of [...applications].sort((a, b) => (a.cell.environment < b.cell.environment ? -1 : 1))) {
    const access = cellAccessOf(plan.access, cell.namespace);
    for (const b of access?.bindings ?? []) {
      const role = roleOf(plan.access!, b.role);
      const name = `${b.role}_${cell.environment}`; // `_` never occurs in either part: names cannot collide
      const app = `${appProject}/${application}`;
      const policies = role.capabilities.flatMap(c => argoPermissions(c)).map(([resource, action]) => `p, proj:${appProject}:${name}, ${resource}, ${action}, ${app}, allow`);
      if (policies.length === 0) continue;
      roles.push({ name, description: `${role.description} (environment ${cell.environment})`, policies, groups: b.groups });
    }
  }
  return roles.sort((a, b) => (a.name < b.name ? -1 : 1));
}

/**
 * Human access to the project's Flux Kustomizations, in the Flux namespace: per cell a Role
 * `<kustomization>-view` (get, list, watch) for the groups with READ, and a Role
 * `<kustomization>-reconcile` (patch: reconcile now, suspend, resume) for the groups with DEPLOY
 * or EDIT, each limited to that Kustomization by name and bound to those groups. @internal
 */
export function renderFluxAccess(plan: Plan, dataPlane: string, fluxNamespace: string, kustomizationOf: (cell: Cell) => string): any[] {
  const access = plan.access;
  if (!access) return [];
  const prefix = access.groupPrefixes[dataPlane] ?? '';
  const org = plan.organization.name;
  const out: any[] = [];
  for (const cell of plan.cells.filter(c => c.dataPlane === dataPlane)) {
    const cellAccess = cellAccessOf(access, cell.namespace);
    if (!cellAccess) continue;
    const view = new Set<string>();
    const reconcile = new Set<string>();
    for (const b of cellAccess.bindings) {
      const verbs = fluxVerbs(roleOf(access, b.role).capabilities);
      for (const g of b.groups) {
        if (verbs.view) view.add(g);
        if (verbs.reconcile) reconcile.add(g);
      }
    }
    const kustomization = kustomizationOf(cell);
    const labels = {
      [Labels.NAMESPACE]: org, [Labels.PROJECT]: cell.project, [Labels.ENVIRONMENT]: cell.environment, [Labels.MANAGED_BY]: MANAGED_BY,
    };
    for (const [suffix, groups, verbs] of [['view', view, READ_VERBS], ['reconcile', reconcile, ['patch']]] as const) {
      if (groups.size === 0) continue;
      const name = `${kustomization}-${suffix}`;
      out.push(object<k8s.KubeRoleProps>(`${RBAC_GROUP}/v1`, 'Role', {
        metadata: { name, namespace: fluxNamespace, labels },
        rules: [{ apiGroups: ['kustomize.toolkit.fluxcd.io'], resources: ['kustomizations'], resourceNames: [kustomization], verbs: [...verbs] }],
      }));
      out.push(object<k8s.KubeRoleBindingProps>(`${RBAC_GROUP}/v1`, 'RoleBinding', {
        metadata: { name, namespace: fluxNamespace, labels },
        roleRef: { apiGroup: RBAC_GROUP, kind: 'Role', name },
        subjects: [...groups].sort().map(g => ({ apiGroup: RBAC_GROUP, kind: 'Group', name: `${prefix}${g}` })),
      }));
    }
  }
  return out;
}

function roleOf(access: PlanAccess, id: string): PlanAccessRole {
  const role = access.roles.find(r => r.id === id);
  if (!role) throw new Error(`access role ${id} is not in the plan`);
  return role;
}
