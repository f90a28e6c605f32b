import { Construct } from 'constructs';
import { checkDnsLabel } from './checks';
import type { Component } from './component';
import { DeploymentPipeline } from './deployment-pipeline';
import { fail } from './errors';
import { checkOwnerRef } from './exports';
import { Organization } from './organization';

/** Properties of a {@link Project}. */
export interface ProjectProps {
  /**
   * The project's name.
   * @default - the construct id
   */
  readonly name?: string;
  /** The deployment pipeline the project's components are promoted along. */
  readonly pipeline: DeploymentPipeline;
  /**
   * Human-readable name.
   * @default - none
   */
  readonly displayName?: string;
  /**
   * The owning group in the Backstage catalog export (`[group:][<namespace>/]<name>`): owner of the
   * project's System, Components and APIs.
   * @default - the first group of the project's DEVELOPER grants (grants limited to an environment last), else the organization's owner
   * @see https://backstage.io/docs/features/software-catalog/descriptor-format#specowner-required
   */
  readonly owner?: string;
}

/**
 * A bounded context: a group of components deployed together, one cell namespace per environment
 * of its pipeline.
 * @see https://openchoreo.dev/docs/concepts/developer-abstractions/project/
 */
export class Project extends Construct {
  /** Returns the project that `scope` belongs to, or throws a clear error. */
  public static of(scope: Construct): Project {
    for (let s: any = scope; s; s = s.node.scope) {
      if (s instanceof Project) return s;
    }
    return fail(scope, `${scope.node.path} is not inside a Project`, 'create components with a Project as their scope');
  }

  /** The organization this project belongs to. */
  public readonly organization: Organization;
  /** The project's name. */
  public readonly name: string;
  /** Its deployment pipeline. */
  public readonly pipeline: DeploymentPipeline;
  /** Human-readable name, if set. */
  public readonly displayName?: string;
  /** The catalog owner as declared, in full form (`group:<namespace>/<name>`), if set. */
  public readonly owner?: string;
  private readonly byName = new Map<string, Component>();

  constructor(scope: Construct, id: string, props: ProjectProps) {
    super(scope, id);
    this.organization = Organization.ofConstruct(this);
    this.name = checkDnsLabel(this, 'project name', props.name ?? id);
    if (!props.pipeline || props.pipeline.organization !== this.organization) {
      fail(this, `project '${this.name}' uses pipeline ${props.pipeline ? `'${props.pipeline.node.path}'` : 'undefined'}, which is not a pipeline of organization '${this.organization.name}'`,
        `declare the DeploymentPipeline in organization '${this.organization.name}' and pass it as 'pipeline'`);
    }
    this.pipeline = props.pipeline;
    this.displayName = props.displayName;
    this.owner = checkOwnerRef(this, 'owner', props.owner);
    this.organization._register('Project', this.name, this);
  }


  /** The project's components, sorted by name. */
  public get components(): Component[] {
    return [...this.byName.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, c]) => c);
  }

  /** Looks up a component by name. */
  public findComponent(name: string): Component | undefined {
    return this.byName.get(name);
  }

  /** @internal */
  public _addComponent(component: Component): void {
    const existing = this.byName.get(component.name);
    if (existing) {
      fail(component, `component name '${component.name}' is already used by ${existing.node.path} in project '${this.name}'`,
        'give one of them a different name (the \'name\' prop or the construct id)');
    }
    this.byName.set(component.name, component);
    this.organization._changed();
  }
}
