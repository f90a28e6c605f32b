import { createHash } from 'crypto';
import type { RenderedDocument } from './connectivity-report';
import type { RenderedObject } from './platform';
import { Plan } from '../resolve/plan';

/**
 * `platform.json`: a machine-readable summary of the organization for tools (the `promote`
 * command): environments, the pipeline edges and approvals per project, the image of every
 * component in every environment, and a digest of every rendered object per environment. @internal
 */
export function renderPlatformManifest(plan: Plan, objects: RenderedObject[]): RenderedDocument {
  const envs: any = {};
  for (const e of plan.environments) envs[e.name] = { dataPlane: e.dataPlane, isProduction: e.isProduction, projects: {}, objects: {} };
  const envOfNamespace = new Map<string, string>();
  for (const cell of plan.cells) {
    envOfNamespace.set(cell.namespace, cell.environment);
    envs[cell.environment].projects[cell.project] = {
      promotedFrom: cell.promotedFrom,
      requiresApproval: cell.requiresApproval,
      components: Object.fromEntries(cell.components.map(c => [c.name, { image: c.image }])),
    };
  }
  for (const o of objects) {
    const m = o.manifest;
    const env = envOfNamespace.get(m.kind === 'Namespace' ? m.metadata.name : m.metadata.namespace);
    if (!env) continue;
    const key = `${m.kind}/${m.metadata.namespace ?? ''}/${m.metadata.name}`;
    envs[env].objects[key] = createHash('sha256').update(JSON.stringify(m)).digest('hex').slice(0, 16);
  }
  for (const e of Object.values<any>(envs)) e.objects = Object.fromEntries(Object.entries(e.objects).sort(([a], [b]) => (a < b ? -1 : 1)));
  return { file: 'platform.json', content: `${JSON.stringify({ format: 1, organization: plan.organization.name, environments: envs }, undefined, 2)}\n` };
}
