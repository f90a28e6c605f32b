import * as fs from 'fs';
import type { RenderedDocument } from './types';
import { Plan } from '../resolve/plan';

/** The `format` of the `platform.json` this version writes and reads. @internal */
export const PLATFORM_SUMMARY_FORMAT = 1;

/**
 * `platform.json`: a machine-readable summary of an organization for tools (the `promote` and
 * `release` commands). Its writer ({@link renderPlatformSummary}) and its readers share this type.
 * @internal
 */
export interface PlatformSummary {
  /** Version of this layout ({@link PLATFORM_SUMMARY_FORMAT}); readers refuse any other. */
  readonly format: number;
  readonly organization: string;
  readonly environments: { readonly [environment: string]: PlatformSummaryEnvironment };
  /** Built components (`project/component`); absent without build planes. */
  readonly builds?: { readonly [component: string]: PlatformSummaryBuild };
}

/** @internal */
export interface PlatformSummaryEnvironment {
  readonly dataPlane: string;
  readonly isProduction: boolean;
  readonly projects: { readonly [project: string]: PlatformSummaryProject };
}

/** A project's cell in one environment: its pipeline edges, approval and components. @internal */
export interface PlatformSummaryProject {
  /** Environments it is promoted from. */
  readonly promotedFrom: string[];
  readonly requiresApproval: boolean;
  readonly components: { readonly [component: string]: PlatformSummaryComponent };
}

/** @internal */
export interface PlatformSummaryComponent {
  readonly image: string;
  /** Its gateway routes; absent when it has none. */
  readonly routes?: Array<{ readonly endpoint: string; readonly gateway: string; readonly url: string }>;
}

/** A built component: its image repository, and the environment `release` pins its builds in. @internal */
export interface PlatformSummaryBuild {
  readonly repository: string;
  readonly releaseEnvironment: string | null;
  readonly buildPlane: string;
  readonly dataPlane: string;
  readonly namespace: string;
  readonly workflowTemplate: string;
}

/**
 * `platform.json`: environments, the pipeline edges and approvals per project, and the image and
 * gateway URLs of every component in every environment; with build planes, per built component
 * its image repository and the environment `release` pins its builds in. @internal
 */
export function renderPlatformSummary(plan: Plan): RenderedDocument {
  const envs: { [environment: string]: { dataPlane: string; isProduction: boolean; projects: { [project: string]: PlatformSummaryProject } } } = {};
  for (const e of plan.environments) envs[e.name] = { dataPlane: e.dataPlane, isProduction: e.isProduction, projects: {} };
  for (const cell of plan.cells) {
    envs[cell.environment].projects[cell.project] = {
      promotedFrom: cell.promotedFrom,
      requiresApproval: cell.requiresApproval,
      components: Object.fromEntries(cell.components.map((c): [string, PlatformSummaryComponent] => [c.name, {
        image: c.image,
        ...(c.routes.length > 0 ? { routes: c.routes.map(r => ({ endpoint: r.endpoint, gateway: r.visibility, url: r.url })) } : {}),
      }])),
    };
  }
  const builds = plan.buildPlanes.flatMap(bp => bp.builds.map((b): [string, PlatformSummaryBuild] => [`${b.project}/${b.component}`, {
    repository: b.repository,
    releaseEnvironment: b.releaseEnvironment ?? null,
    buildPlane: bp.name,
    dataPlane: bp.dataPlane,
    namespace: bp.namespace,
    workflowTemplate: b.templateName,
  }])).sort(([a], [b]) => (a < b ? -1 : 1));
  const summary: PlatformSummary = {
    format: PLATFORM_SUMMARY_FORMAT,
    organization: plan.organization.name,
    environments: envs,
    ...(builds.length > 0 ? { builds: Object.fromEntries(builds) } : {}),
  };
  return { file: 'platform.json', content: `${JSON.stringify(summary, undefined, 2)}\n` };
}

/**
 * Reads a `platform.json`, refusing one of another format (written by another version of the
 * library) or one that is not a summary at all. @internal
 */
export function readPlatformSummary(file: string): PlatformSummary {
  let parsed: any;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`${file} is not readable JSON (${(e as Error).message}). Fix: synthesize the app again to rewrite it.`);
  }
  if (typeof parsed !== 'object' || parsed === null || typeof parsed.organization !== 'string' || typeof parsed.environments !== 'object') {
    throw new Error(`${file} is not a platform summary (no organization or environments). Fix: point the tool at the output of a PlatformApp.`);
  }
  if (parsed.format !== PLATFORM_SUMMARY_FORMAT) {
    throw new Error(`${file} has format ${JSON.stringify(parsed.format)}, but this version of cdk8s-openchoreo reads format ${PLATFORM_SUMMARY_FORMAT}. `
      + 'Fix: synthesize the app with the same version of cdk8s-openchoreo as the tool.');
  }
  return parsed as PlatformSummary;
}
