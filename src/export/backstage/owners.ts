import { catalogName } from './names';
import type { Organization } from '../../model/organization';
import type { Project } from '../../model/project';
import type { PlanGrant } from '../../resolve/access';

/** The owners of the catalog's entities and the groups the catalog defines. @internal */
export interface CatalogOwners {
  /** The Domain's owner (also of external services and of projects without an owner of their own). */
  readonly domain: string;
  /** Each project's owner, by project name. */
  readonly projects: ReadonlyMap<string, string>;
  /** Every Group the catalog defines (grant groups and owners), by full ref, sorted by ref. */
  readonly groups: ReadonlyArray<{ readonly ref: string; readonly identityGroup?: string }>;
}

/** The full ref of the Group entity of an identity-provider group. @internal */
export function groupRef(identityGroup: string): string {
  return `group:default/${catalogName(identityGroup)}`;
}

/**
 * Derives owners (the documented rule):
 * - Domain: the organization's `owner`; else the first group (sorted) of the first organization-wide
 *   ADMIN grant (no project, no environment; by construct path); else `group:default/<org>-platform`.
 * - System (and its Components and APIs): the project's `owner`; else the first group of the
 *   project's DEVELOPER grants, grants for every environment before grants limited to one (then
 *   by construct path); else the Domain's owner.
 * Every owner and every group of every grant is defined as a Group entity. @internal
 */
export function deriveOwners(org: Organization, grants: readonly PlanGrant[]): CatalogOwners {
  const byPath = [...grants].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const orgAdmin = byPath.find(g => g.role === 'admin' && g.project === undefined && g.environment === undefined);
  const domain = org.owner ?? (orgAdmin ? groupRef(orgAdmin.groups[0]) : `group:default/${catalogName(`${org.name}-platform`)}`);
  const projects = new Map<string, string>();
  for (const p of org.projects) projects.set(p.name, projectOwner(p, byPath) ?? domain);
  const groups = new Map<string, string | undefined>();
  for (const g of byPath) for (const identityGroup of g.groups) groups.set(groupRef(identityGroup), identityGroup);
  for (const ref of [domain, ...projects.values()]) if (!groups.has(ref)) groups.set(ref, undefined);
  return {
    domain,
    projects,
    groups: [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([ref, identityGroup]) => ({ ref, identityGroup })),
  };
}

function projectOwner(project: Project, grants: readonly PlanGrant[]): string | undefined {
  if (project.owner) return project.owner;
  const developers = grants.filter(g => g.role === 'developer' && g.project === project.name);
  const first = developers.find(g => g.environment === undefined) ?? developers[0];
  return first ? groupRef(first.groups[0]) : undefined;
}
