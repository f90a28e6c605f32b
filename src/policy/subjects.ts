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
  // One pass over the objects (a subject per object, nothing else per object). Objects come in runs (a
  // component's objects follow each other): the run's key, facts and object list are found once per
  // run, while the environment, project and group stay the same. A component's list is shared by its
  // subjects as it fills (rules read it only once every subject exists).
  const groups = new Map<string, any[]>();
  const facts = new Map<string, ComponentFacts>();
  const factsOf = (k: string): ComponentFacts => {
    let f = facts.get(k);
    if (f === undefined) {
      const c = components.get(k);
      f = { kind: c?.kind, hasEndpoints: (c?.endpoints.length ?? 0) > 0, securityExceptions: c?.security.exceptions.map(e => e.rule) ?? [] };
      facts.set(k, f);
    }
    return f;
  };
  let run: Run | undefined;
  const subjects: PolicySubject[] = new Array(objects.length);
  for (let i = 0; i < objects.length; i++) {
    const o = objects[i];
    const labels = o.manifest.metadata?.labels ?? {};
    const environment: string | undefined = labels[Labels.ENVIRONMENT];
    const project = labels[Labels.PROJECT];
    if (run === undefined || run.env !== environment || run.project !== project || run.group !== o.group || run.isComponent !== o.isComponent) {
      const k = !o.isComponent || environment === undefined || project === undefined ? undefined : key(environment, project, o.group);
      run = {
        env: environment,
        project,
        group: o.group,
        isComponent: o.isComponent,
        key: k,
        facts: k === undefined ? undefined : factsOf(k),
        objects: k === undefined ? NONE : listOf(groups, k),
        isProduction: environment !== undefined && production.get(environment) === true,
      };
    }
    const k = run.key;
    const c = run.facts;
    if (k !== undefined) run.objects.push(o.manifest);
    subjects[i] = {
      manifest: o.manifest,
      path: owned[i].path,
      owner: owned[i].owner,
      environment,
      isProduction: run.isProduction,
      project,
      component: k === undefined ? undefined : o.group,
      componentKind: c?.kind,
      hasEndpoints: c?.hasEndpoints ?? false,
      // one list per component and environment, shared by its objects (rules only read it)
      securityExceptions: c?.securityExceptions ?? [],
      componentObjects: k === undefined ? [] : run.objects,
      allowedRegistries,
    };
  }
  return subjects;
}

/** A run of objects of one component in one environment (or of objects outside any component: no key). */
interface Run {
  readonly env: unknown;
  readonly project: unknown;
  readonly group: string;
  readonly isComponent: boolean;
  readonly key: string | undefined;
  readonly facts: ComponentFacts | undefined;
  /** The component's objects (none for objects outside any component). */
  readonly objects: any[];
  /** Whether its environment is a production one. */
  readonly isProduction: boolean;
}

const NONE: any[] = [];

function listOf(groups: Map<string, any[]>, k: string): any[] {
  let list = groups.get(k);
  if (list === undefined) groups.set(k, list = []);
  return list;
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
