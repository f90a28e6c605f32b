import { App } from 'cdk8s';
import { DataPlane, DeploymentPipeline, Environment, Organization, Project } from '../../src';

/** A minimal valid platform: org `acme`, data plane `dp1`, dev → staging → prod, project `shop`. */
export interface BasePlatform {
  readonly org: Organization;
  readonly dataPlane: DataPlane;
  readonly dev: Environment;
  readonly staging: Environment;
  readonly prod: Environment;
  readonly pipeline: DeploymentPipeline;
  readonly shop: Project;
}

export function basePlatform(app: App): BasePlatform {
  const org = new Organization(app, 'acme');
  const dataPlane = new DataPlane(org, 'dp1');
  const dev = new Environment(org, 'development', { dataPlane });
  const staging = new Environment(org, 'staging', { dataPlane });
  const prod = new Environment(org, 'production', { dataPlane, isProduction: true });
  const pipeline = new DeploymentPipeline(org, 'default', {
    promotionPaths: [{ source: dev, targets: [staging] }, { source: staging, targets: [prod], requiresApproval: true }],
  });
  const shop = new Project(org, 'shop', { pipeline });
  return { org, dataPlane, dev, staging, prod, pipeline, shop };
}
