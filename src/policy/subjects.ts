import { PolicySubject } from '../model/policy';
import type { OwnedObject } from '../render/identities';
import type { RenderedObject } from '../render/types';
import { Labels } from '../resolve/labels';
import { Plan, PlanComponent } from '../resolve/plan';

/**
 * Each rendered object as a rule sees it, with its component's plan facts; objects of one component
 * in one environment share one `componentObjects` list. @internal
 */
export function policySubjects(
  plan: Plan, objects: readonly RenderedObject[], owned: readonly OwnedObject[], allowedRegistries: string[],
): PolicySubject[] {
  const production = new Map(plan.environments.map(e => [e.name, e.isProduction]));
  const components = new Map<string, PlanComponent>();
  for (const cell of plan.cells) {
    for (const c of cell.components) components.set(key(cell.environment, cell.project, c.name), c);
  }
  const groups = new Map<string, any[]>();
  const keys = objects.map(o => {
    const labels = o.manifest.metadata?.labels ?? {};
    if (!o.isComponent || labels[Labels.ENVIRONMENT] === undefined || labels[Labels.PROJECT] === undefined) return undefined;
    const k = key(labels[Labels.ENVIRONMENT], labels[Labels.PROJECT], o.group);
    const group = groups.get(k);
    if (group) group.push(o.manifest);
    else groups.set(k, [o.manifest]);
    return k;
  });
  return objects.map((o, i) => {
    const labels = o.manifest.metadata?.labels ?? {};
    const environment: string | undefined = labels[Labels.ENVIRONMENT];
    const k = keys[i];
    const c = k === undefined ? undefined : components.get(k);
    return {
      manifest: o.manifest,
      path: owned[i].path,
      owner: owned[i].owner,
      environment,
      isProduction: environment !== undefined && production.get(environment) === true,
      project: labels[Labels.PROJECT],
      component: k === undefined ? undefined : o.group,
      componentKind: c?.kind,
      hasEndpoints: (c?.endpoints.length ?? 0) > 0,
      securityExceptions: c?.security.exceptions.map(e => e.rule) ?? [],
      componentObjects: k === undefined ? [] : groups.get(k)!,
      allowedRegistries,
    };
  });
}

function key(environment: string, project: string, component: string): string {
  return `${environment}\u0000${project}\u0000${component}`;
}
