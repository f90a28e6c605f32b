import { Construct } from 'constructs';
import { checkDnsLabel } from './checks';
import { Environment } from './environment';
import { fail } from './errors';
import { Organization } from './organization';
import { checkBoolean } from './runtime-types';

/** One promotion step: releases running in `source` may be promoted to each of `targets`. */
export interface PromotionPath {
  /** The environment releases are promoted from. */
  readonly source: Environment;
  /** The environments releases are promoted to. */
  readonly targets: Environment[];
  /**
   * Whether promotions along this path need a reviewer's approval.
   * @default false
   */
  readonly requiresApproval?: boolean;
}

/** Properties of a {@link DeploymentPipeline}. */
export interface DeploymentPipelineProps {
  /**
   * The pipeline's name.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * The promotion graph. It must be acyclic, have exactly one root and reach every environment it names.
   * A pipeline needs at least one path by synthesis time: give them here or add them with
   * `addPromotionPath` (a pipeline without paths is an error naming it).
   * @default - none here; then `addPromotionPath` must add at least one
   */
  readonly promotionPaths?: PromotionPath[];
}

/**
 * The promotion graph between environments (for example development → staging → production).
 * @see https://openchoreo.dev/docs/concepts/platform-abstractions/deployment-pipeline/
 */
export class DeploymentPipeline extends Construct {
  /** The organization this pipeline belongs to. */
  public readonly organization: Organization;
  /** The pipeline's name. */
  public readonly name: string;
  private readonly paths: PromotionPath[] = [];

  constructor(scope: Construct, id: string, props: DeploymentPipelineProps = {}) {
    super(scope, id);
    this.organization = Organization.ofConstruct(this);
    this.name = checkDnsLabel(this, 'deployment pipeline name', props.name ?? id);
    this.organization._register('DeploymentPipeline', this.name, this);
    for (const p of props.promotionPaths ?? []) this.addPromotionPath(p);
  }

  /** Adds a promotion path. */
  public addPromotionPath(path: PromotionPath): void {
    checkBoolean(this, 'promotion path requiresApproval', path.requiresApproval);
    for (const env of [path.source, ...path.targets]) {
      if (!env || env.organization !== this.organization) {
        fail(this, `promotion path names environment '${env?.node.path}', which is not an environment of organization '${this.organization.name}'`,
          `declare the environment in organization '${this.organization.name}'`);
      }
    }
    if (path.targets.length === 0) {
      fail(this, `promotion path from '${path.source.name}' has no targets`, 'list at least one target environment');
    }
    this.paths.push(path);
    this.organization._changed();
  }

  /** The promotion paths, as declared. */
  public get promotionPaths(): PromotionPath[] {
    return [...this.paths];
  }
}
