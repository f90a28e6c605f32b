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
  // Objects come in runs (a component's objects follow each other): the previous object's key,
  // component facts and group are reused while the environment, project and group stay the same.
  const groups = new Map<string, any[]>();
  const facts = new Map<string, ComponentFacts>();
  let previous: { env: unknown; project: unknown; group: string; isComponent: boolean; key: string | undefined } | undefined;
  const keys = objects.map(o => {
    const labels = o.manifest.metadata?.labels ?? {};
    const env = labels[Labels.ENVIRONMENT];
    const project = labels[Labels.PROJECT];
    if (previous === undefined || previous.env !== env || previous.project !== project
      || previous.group !== o.group || previous.isComponent !== o.isComponent) {
      const k = !o.isComponent || env === undefined || project === undefined ? undefined : key(env, project, o.group);
      previous = { env, project, group: o.group, isComponent: o.isComponent, key: k };
    }
    const k = previous.key;
    if (k === undefined) return undefined;
    const group = groups.get(k);
    if (group) group.push(o.manifest);
    else groups.set(k, [o.manifest]);
    return k;
  });
  const factsOf = (k: string): ComponentFacts => {
    let f = facts.get(k);
    if (f === undefined) {
      const c = components.get(k);
      f = { kind: c?.kind, hasEndpoints: (c?.endpoints.length ?? 0) > 0, securityExceptions: c?.security.exceptions.map(e => e.rule) ?? [] };
      facts.set(k, f);
    }
    return f;
  };
  return objects.map((o, i) => {
    const labels = o.manifest.metadata?.labels ?? {};
    const environment: string | undefined = labels[Labels.ENVIRONMENT];
    const k = keys[i];
    const c = k === undefined ? undefined : factsOf(k);
    return {
      manifest: o.manifest,
      path: owned[i].path,
      owner: owned[i].owner,
      environment,
      isProduction: environment !== undefined && production.get(environment) === true,
      project: labels[Labels.PROJECT],
      component: k === undefined ? undefined : o.group,
      componentKind: c?.kind,
      hasEndpoints: c?.hasEndpoints ?? false,
      // one list per component and environment, shared by its objects (rules only read it)
      securityExceptions: c?.securityExceptions ?? [],
      componentObjects: k === undefined ? [] : groups.get(k)!,
      allowedRegistries,
    };
  });
}

/** What a component's objects tell the rules about it, once per component and environment. */
interface ComponentFacts {
  readonly kind?: string;
  readonly hasEndpoints: boolean;
  readonly securityExceptions: string[];
}

function key(environment: string, project: string, component: string): string {
  return `${environment}\u0000${project}\u0000${component}`;
}
