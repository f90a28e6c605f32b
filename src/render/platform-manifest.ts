import type { RenderedDocument } from './types';
import { Plan } from '../resolve/plan';

/**
 * `platform.json`: a machine-readable summary of the organization for tools (the `promote`
 * command): environments, the pipeline edges and approvals per project, and the image and gateway
 * URLs of every component in every environment; with build planes, per built component its image
 * repository and the environment `release` pins its builds in. @internal
 */
export function renderPlatformManifest(plan: Plan): RenderedDocument {
  const envs: any = {};
  for (const e of plan.environments) envs[e.name] = { dataPlane: e.dataPlane, isProduction: e.isProduction, projects: {} };
  for (const cell of plan.cells) {
    envs[cell.environment].projects[cell.project] = {
      promotedFrom: cell.promotedFrom,
      requiresApproval: cell.requiresApproval,
      components: Object.fromEntries(cell.components.map(c => [c.name, {
        image: c.image,
        ...(c.routes.length > 0 ? { routes: c.routes.map(r => ({ endpoint: r.endpoint, gateway: r.visibility, url: r.url })) } : {}),
      }])),
    };
  }
  const builds = plan.buildPlanes.flatMap(bp => bp.builds.map(b => [`${b.project}/${b.component}`, {
    repository: b.repository,
    releaseEnvironment: b.releaseEnvironment ?? null,
    buildPlane: bp.name,
    dataPlane: bp.dataPlane,
    namespace: bp.namespace,
    workflowTemplate: b.templateName,
  }] as const)).sort(([a], [b]) => (a < b ? -1 : 1));
  const summary = {
    format: 1,
    organization: plan.organization.name,
    environments: envs,
    ...(builds.length > 0 ? { builds: Object.fromEntries(builds) } : {}),
  };
  return { file: 'platform.json', content: `${JSON.stringify(summary, undefined, 2)}\n` };
}
