import { AccessCapability, AccessGrant, BUILT_IN_ROLES, CAPABILITY_ORDER, CustomRole, PRODUCTION_READ_ONLY } from '../model/access';
import { Environment } from '../model/environment';
import { ProblemCollector } from '../model/errors';
import { Organization } from '../model/organization';
import { Project } from '../model/project';

/**
 * A role as bound in the cells: a declared role, or the production variant of a role restricted
 * in production (`<role>-read-only`, READ and LOGS only). @internal
 */
export interface PlanAccessRole {
  /** The ClusterRole and RoleBinding name suffix: `<role>` or `<role>-read-only`. */
  readonly id: string;
  /** The declared role it comes from. */
  readonly role: string;
  readonly readOnlyVariant: boolean;
  readonly builtIn: boolean;
  /** Its capabilities, in report order. */
  readonly capabilities: AccessCapability[];
  readonly description: string;
}

/** Groups holding one role in one cell. @internal */
export interface PlanAccessBinding {
  /** A {@link PlanAccessRole} id. */
  readonly role: string;
  /** Identity-provider group names (without the Kubernetes group prefix), sorted. */
  readonly groups: string[];
}

/** Who holds which role in one cell. @internal */
export interface PlanCellAccess {
  readonly namespace: string;
  readonly project: string;
  readonly environment: string;
  readonly dataPlane: string;
  readonly isProduction: boolean;
  /** Sorted by role id. */
  readonly bindings: PlanAccessBinding[];
}

/** One declared grant, for reports and tests. @internal */
export interface PlanGrant {
  readonly path: string;
  readonly groups: string[];
  readonly role: string;
  readonly project?: string;
  readonly environment?: string;
}

/** The organization's access model, resolved per cell. @internal */
export interface PlanAccess {
  /** Every role id bound in some cell, sorted by id. */
  readonly roles: PlanAccessRole[];
  /** Cells with at least one binding, sorted by data plane, environment and project. */
  readonly cells: PlanCellAccess[];
  /** The Kubernetes group prefix of each data plane. */
  readonly groupPrefixes: Record<string, string>;
  /** The grants as declared, sorted by construct path. */
  readonly grants: PlanGrant[];
}

/** The cells the resolver produced, as the access model needs them. @internal */
export interface AccessCell {
  readonly namespace: string;
  readonly project: string;
  readonly environment: string;
  readonly dataPlane: string;
  readonly isProduction: boolean;
}

interface RoleDefinition {
  readonly name: string;
  readonly capabilities: readonly AccessCapability[];
  readonly restrictedInProduction: boolean;
  readonly description: string;
  readonly builtIn: boolean;
}

const byPath = (a: { node: { path: string } }, b: { node: { path: string } }) => (a.node.path < b.node.path ? -1 : a.node.path > b.node.path ? 1 : 0);

/**
 * Resolves the organization's grants into role bindings per cell. Production environments keep
 * only READ and LOGS of roles restricted in production, except for grants that name the
 * environment. Cross-object problems (a role that does not exist, a duplicate grant, an
 * environment a project is not deployed to, a role name that collides with a Flux tenant's
 * objects) go to `problems`. Returns undefined when the organization grants nothing.
 * `environmentsOf` gives a project's environments, or undefined when its pipeline is invalid
 * (reported elsewhere). @internal
 */
export function resolveAccess(
  org: Organization, cells: AccessCell[], environmentsOf: (project: Project) => Environment[] | undefined, problems: ProblemCollector,
): PlanAccess | undefined {
  const all = org.node.findAll();
  const grants = all.filter(AccessGrant.isAccessGrant).filter(g => g.organization === org).sort(byPath);
  const custom = all.filter((c): c is CustomRole => c instanceof CustomRole && c.organization === org).sort(byPath);
  if (grants.length === 0) return undefined;

  const definitions = new Map<string, RoleDefinition>();
  for (const [name, d] of Object.entries(BUILT_IN_ROLES)) definitions.set(name, { name, ...d, builtIn: true });
  for (const r of custom) {
    definitions.set(r.roleName, {
      name: r.roleName, capabilities: r.capabilities, restrictedInProduction: r.restrictedInProduction, description: r.description, builtIn: false,
    });
    for (const p of org.projects) {
      const clash = ['reconciler', 'reconciler-objects', 'reconciler-namespaces'].find(s => r.roleName === `${p.name}-${s}`);
      if (clash) {
        problems.add(r, `custom role name '${r.roleName}' gives its ClusterRole and RoleBindings the name of project '${p.name}''s Flux tenant objects (${org.name}-${r.roleName})`,
          `choose another name, e.g. '${p.name}-operator'`);
      }
    }
  }

  const resolved: Array<{ grant: AccessGrant; definition: RoleDefinition }> = [];
  const seen = new Map<string, AccessGrant>();
  for (const grant of grants) {
    const definition = definitions.get(grant.role.roleName);
    if (!definition) {
      problems.add(grant, `grants role '${grant.role.roleName}', which does not exist in organization '${org.name}'`,
        `declare it with new CustomRole(organization, '${grant.role.roleName}', { capabilities: [...] }), or grant one of: ${[...definitions.keys()].sort().join(', ')}`);
      continue;
    }
    if (grant.project && grant.environment) {
      const envs = environmentsOf(grant.project);
      if (envs && !envs.includes(grant.environment)) {
        problems.add(grant, `grants access to project '${grant.project.name}' in environment '${grant.environment.name}', which is not on the project's pipeline '${grant.project.pipeline.name}'`,
          `name one of the project's environments (${envs.map(e => e.name).join(', ')}), or leave 'environment' out`);
      }
    }
    for (const group of grant.groups) {
      const key = [group, definition.name, grant.project?.name ?? '*', grant.environment?.name ?? '*'].join('\n');
      const earlier = seen.get(key);
      if (earlier) {
        problems.add(grant, `grants role '${definition.name}' to group '${group}' ${scopeText(grant)} again (already granted by ${earlier.node.path})`,
          'remove one of the two grants (or the group from one of them)');
      } else {
        seen.set(key, grant);
      }
    }
    resolved.push({ grant, definition });
  }

  const roles = new Map<string, PlanAccessRole>();
  const cellAccess: PlanCellAccess[] = [];
  for (const cell of cells) {
    const byGroup = new Map<string, Set<string>>();
    for (const { grant, definition } of resolved) {
      if (grant.project && grant.project.name !== cell.project) continue;
      if (grant.environment && grant.environment.name !== cell.environment) continue;
      const restricted = cell.isProduction && definition.restrictedInProduction && grant.environment === undefined;
      const role = restricted ? readOnlyVariant(definition) : fullRole(definition);
      if (!role) continue;
      if (!roles.has(role.id)) roles.set(role.id, role);
      for (const group of grant.groups) {
        const held = byGroup.get(group) ?? new Set<string>();
        held.add(role.id);
        byGroup.set(group, held);
      }
    }
    const groupsByRole = new Map<string, string[]>();
    for (const [group, held] of byGroup) {
      for (const id of held) {
        const r = roles.get(id)!;
        // The read-only variant adds nothing to the full role the same group holds here.
        if (r.readOnlyVariant && held.has(r.role)) continue;
        groupsByRole.set(id, [...(groupsByRole.get(id) ?? []), group]);
      }
    }
    if (groupsByRole.size === 0) continue;
    cellAccess.push({
      namespace: cell.namespace,
      project: cell.project,
      environment: cell.environment,
      dataPlane: cell.dataPlane,
      isProduction: cell.isProduction,
      bindings: [...groupsByRole.entries()].sort(([a], [b]) => compare(a, b)).map(([role, groups]) => ({ role, groups: groups.sort(compare) })),
    });
  }
  const bound = new Set(cellAccess.flatMap(c => c.bindings.map(b => b.role)));
  cellAccess.sort((a, b) => compare(`${a.dataPlane}/${a.environment}/${a.project}`, `${b.dataPlane}/${b.environment}/${b.project}`));
  return {
    roles: [...roles.values()].filter(r => bound.has(r.id)).sort((a, b) => compare(a.id, b.id)),
    cells: cellAccess,
    groupPrefixes: Object.fromEntries(org.dataPlanes.map(d => [d.name, d.kubernetesGroupPrefix])),
    grants: resolved.map(({ grant, definition }) => ({
      path: grant.node.path,
      groups: grant.groups,
      role: definition.name,
      ...(grant.project ? { project: grant.project.name } : {}),
      ...(grant.environment ? { environment: grant.environment.name } : {}),
    })),
  };
}

function fullRole(d: RoleDefinition): PlanAccessRole {
  return { id: d.name, role: d.name, readOnlyVariant: false, builtIn: d.builtIn, capabilities: ordered(d.capabilities), description: d.description };
}

/** The part of a role kept in production: READ and LOGS (the role itself if that is all it has). */
function readOnlyVariant(d: RoleDefinition): PlanAccessRole | undefined {
  const kept = d.capabilities.filter(c => PRODUCTION_READ_ONLY.includes(c));
  if (kept.length === 0) return undefined;
  if (kept.length === d.capabilities.length) return fullRole(d);
  return {
    id: `${d.name}-read-only`,
    role: d.name,
    readOnlyVariant: true,
    builtIn: d.builtIn,
    capabilities: ordered(kept),
    description: `Role ${d.name} in production environments its grant does not name: ${ordered(kept).join(' and ')} only`,
  };
}

function ordered(capabilities: readonly AccessCapability[]): AccessCapability[] {
  return CAPABILITY_ORDER.filter(c => capabilities.includes(c));
}

function scopeText(grant: AccessGrant): string {
  if (grant.project && grant.environment) return `in project '${grant.project.name}', environment '${grant.environment.name}'`;
  if (grant.project) return `in project '${grant.project.name}'`;
  if (grant.environment) return `in environment '${grant.environment.name}'`;
  return 'in the whole organization';
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
