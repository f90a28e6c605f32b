import { Construct } from 'constructs';
import { checkDns1035Label } from './checks';
import { fail } from './errors';
import { Project } from './project';
import { ExternalResourceType } from './resource-external';
import { PostgresResourceType } from './resource-postgres';
import type { IResourceType } from './resource-type';
import { checkRequired } from './runtime-types';

/**
 * The outputs of a managed resource and the suffix of the variable `dependOnResource` injects for
 * each (`<PREFIX>_<SUFFIX>`): what the resolver injects and what the exports and importers map. @internal
 */
export const RESOURCE_ENV_SUFFIXES: Readonly<Record<string, string>> = { host: 'HOST', port: 'PORT', database: 'DATABASE', username: 'USER', password: 'PASSWORD' };

/** Properties of a {@link Resource}. */
export interface ResourceProps {
  /**
   * The resource's name, unique within its project (components included).
   * @default - the construct id
   */
  readonly name?: string;
  /** What it is: `ResourceType.postgres(...)`, `ResourceType.external(...)` or a platform's own type. */
  readonly type: IResourceType;
}

/** How a component consumes a resource. */
export interface ResourceDependencyOptions {
  /**
   * Prefix of the injected variables: `<PREFIX>_HOST`, `_PORT`, `_DATABASE`, `_USER` and `_PASSWORD`.
   * @default - the resource name in upper snake case (`orders-db` → `ORDERS_DB`)
   */
  readonly envPrefix?: string;
}

/** A recorded resource dependency. @internal */
export interface ResourceDependencyDeclaration {
  readonly resource: Resource;
  readonly options: ResourceDependencyOptions;
}

/**
 * A managed resource of a project (a database, a cache), instance of a platform-defined
 * {@link IResourceType}. Components consume it with `component.dependOnResource(resource)`, which
 * injects its outputs as environment variables (credentials as Secret references) and opens exactly
 * the network path to it.
 * @see https://openchoreo.dev/docs/concepts/platform-abstractions/
 */
export class Resource extends Construct {
  /** The project it belongs to. */
  public readonly project: Project;
  /** Its name. */
  public readonly name: string;
  /** Its type. */
  public readonly type: IResourceType;

  constructor(scope: Construct, id: string, props: ResourceProps) {
    super(scope, id);
    this.project = Project.of(this);
    this.name = checkDns1035Label(this, 'resource name', props?.name ?? id, 'the prefix of its Services and Secrets');
    if (this.name.length > 40) {
      fail(this, `resource name '${this.name}' is longer than 40 characters (the operator appends suffixes to its object names)`, `use a shorter name, e.g. '${this.name.slice(0, 40).replace(/-+$/, '')}'`);
    }
    this.type = checkRequired(this, 'resource type', props?.type, 'pass type: ResourceType.postgres(...) or ResourceType.external(...)');
    if (typeof this.type.connect !== 'function' || typeof this.type.typeName !== 'string') {
      fail(this, `resource type of '${this.name}' does not implement IResourceType`, 'pass ResourceType.postgres(...), ResourceType.external(...) or an object with typeName and connect()');
    }
    if (this.type instanceof PostgresResourceType) this.type._check(this, this.name);
    if (this.type instanceof ExternalResourceType) this.type._check(this);
    this.project.organization._register('Resource', `${this.project.name}/${this.name}`, this);
  }
}

/** The resources of a project, sorted by name. @internal */
export function resourcesOf(project: Project): Resource[] {
  return project.node.findAll().filter((c): c is Resource => c instanceof Resource && c.project === project)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
