import { catalogName, entityRef } from './names';
import type { ProblemCollector } from '../../model/errors';
import type { Organization } from '../../model/organization';
import { resourcesOf } from '../../model/resource';

/** A link of a catalog entity. @internal */
export interface CatalogLink {
  readonly url: string;
  readonly title: string;
}

/**
 * Something components depend on that the catalog shows as a Resource entity. External services
 * ({@link externalServiceResources}) and managed resources ({@link managedResources}) map to it. @internal
 */
export interface CatalogResource {
  /** Construct path, for problems. */
  readonly path: string;
  /** The model name (the entity name is {@link catalogName} of it). */
  readonly name: string;
  /** The Resource's `spec.type`, e.g. `external-service`. */
  readonly type: string;
  readonly title?: string;
  readonly links: CatalogLink[];
  readonly annotations: Record<string, string>;
  /** The owner, when not the one {@link resourceEntities} is given (a project's owner). */
  readonly owner?: string;
  /** The System entity ref of the project it belongs to (managed resources). */
  readonly system?: string;
}

/** The Resource entity ref of a resource name in an organization. @internal */
export function resourceRef(org: string, name: string): string {
  return entityRef('resource', org, catalogName(name));
}

/** The organization's external services as catalog resources (type `external-service`), sorted by name. @internal */
export function externalServiceResources(org: Organization): CatalogResource[] {
  return org.externalServices.map(s => {
    const host = s._connectHost;
    const links = s.scheme && host ? [{ url: `${s.scheme}://${host}:${s.port}`, title: host }] : [];
    return {
      path: s.node.path,
      name: s.name,
      type: 'external-service',
      links,
      annotations: {
        'openchoreo.io/namespace': org.name,
        'openchoreo.io/external-service': s.name,
        ...(host ? { 'openchoreo.io/address': `${host}:${s.port}` } : {}),
      },
    };
  });
}

/**
 * The projects' managed resources as catalog resources: `spec.type` is the resource type's name
 * (e.g. `postgres`), owned by the project's owner, in the project's System. @internal
 */
export function managedResources(org: Organization, projectOwners: ReadonlyMap<string, string>): CatalogResource[] {
  return org.projects.flatMap(p => resourcesOf(p).map(r => ({
    path: r.node.path,
    name: r.name,
    type: r.type.typeName,
    links: [],
    annotations: { 'openchoreo.io/namespace': org.name, 'openchoreo.io/project': p.name, 'openchoreo.io/resource': r.name, 'openchoreo.io/resource-type': r.type.typeName },
    owner: projectOwners.get(p.name),
    system: entityRef('system', org.name, catalogName(p.name)),
  })));
}

/**
 * Resource entities for a list of resources (external services and managed resources), owned by
 * `owner` unless a resource names its own. Two resources whose entity names meet are reported to `problems`. @internal
 */
export function resourceEntities(org: string, owner: string, resources: readonly CatalogResource[], problems: ProblemCollector): any[] {
  const seen = new Map<string, CatalogResource>();
  const entities: any[] = [];
  for (const r of [...resources].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const name = catalogName(r.name);
    const first = seen.get(name);
    if (first) {
      problems.add(r.path, `resource '${r.name}' gets the Backstage Resource name '${org}/${name}', which ${first.path} ('${first.name}') already has`,
        'rename one of them so that each resource of the organization has its own name');
      continue;
    }
    seen.set(name, r);
    entities.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: {
        name,
        namespace: org,
        ...(r.title ? { title: r.title } : {}),
        annotations: r.annotations,
        ...(r.links.length > 0 ? { links: r.links } : {}),
      },
      spec: { type: r.type, owner: r.owner ?? owner, ...(r.system ? { system: r.system } : {}) },
    });
  }
  return entities;
}
