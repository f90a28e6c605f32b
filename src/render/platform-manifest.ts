import type { RenderedDocument } from './connectivity-report';
import { Plan } from '../resolve/plan';

/**
 * `platform.json`: a machine-readable summary of the organization for tools (the `promote`
 * command): environments, the pipeline edges and approvals per project, and the image and gateway
 * URLs of every component in every environment. @internal
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
  return { file: 'platform.json', content: `${JSON.stringify({ format: 1, organization: plan.organization.name, environments: envs }, undefined, 2)}\n` };
}
