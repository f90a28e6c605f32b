import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdk8s';
import {
  DataPlane, DeployableComponentProps, DeploymentPipeline, Environment, Organization, OrganizationProps, PlatformApp, Project, Service,
} from '../../src';

/** A pinned, valid image for components that do not care about their image. */
export const IMAGE = 'ghcr.io/acme/api:1.0.0';

/** A small, valid platform: acme / eu / development → staging → production / shop. */
export interface Baseline {
  readonly app: App;
  readonly org: Organization;
  readonly dataPlane: DataPlane;
  readonly dev: Environment;
  readonly staging: Environment;
  readonly prod: Environment;
  readonly pipeline: DeploymentPipeline;
  readonly project: Project;
}

/** Declares the baseline platform in `app`. Nothing in it is invalid. */
export function baseline(app: App, orgProps: OrganizationProps = {}): Baseline {
  const org = new Organization(app, 'acme', orgProps);
  const dataPlane = new DataPlane(org, 'eu');
  const dev = new Environment(org, 'development', { dataPlane });
  const staging = new Environment(org, 'staging', { dataPlane, defaultReplicas: 2 });
  const prod = new Environment(org, 'production', { dataPlane, isProduction: true, defaultReplicas: 3 });
  const pipeline = new DeploymentPipeline(org, 'standard', {
    promotionPaths: [
      { source: dev, targets: [staging] },
      { source: staging, targets: [prod], requiresApproval: true },
    ],
  });
  const project = new Project(org, 'shop', { pipeline });
  return { app, org, dataPlane, dev, staging, prod, pipeline, project };
}

/** A Service with a pinned image; `props` are merged over the defaults. */
export function service(project: Project, id: string, props: Partial<DeployableComponentProps> = {}): Service {
  return new Service(project, id, { image: IMAGE, ...props });
}

/** A fresh temporary directory. */
export function tempDir(prefix = 'cdk8s-openchoreo-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Every file below `dir`, as paths relative to it. */
export function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter(f => fs.statSync(path.join(dir, f)).isFile())
    .sort();
}

/** Runs `fn` with a PlatformApp writing into a fresh temporary directory, then removes it. */
export function withApp<T>(fn: (app: PlatformApp, outdir: string) => T): T {
  const outdir = tempDir();
  try {
    return fn(new PlatformApp({ outdir }), outdir);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}
