import { ImportProblems, ReadDocument, at, checkKnownKeys } from './import-read';
import { POSTGRES_PARAMETERS, POSTGRES_RESOURCE_TYPE, RESOURCE_OUTPUTS } from './resources';
import { BUILT_IN_TRAITS } from './standards';
import { componentTypeName } from './types';
import { ComponentType } from '../../model/component-type';
import { PlatformValidationError } from '../../model/errors';
import { PostgresProps } from '../../model/resource-postgres';
import type { ITrait } from '../../model/trait';
import { Traits } from '../../model/traits';

/*
 * The import of what the export writes for the platform standards: namespaced ComponentTypes
 * (matched to the organization's model types by name), the built-in ClusterTraits
 * (database-proxy, pod-annotations), Resources of the cloudnative-pg-postgres ClusterResourceType
 * and the Workload resource dependencies binding their outputs.
 */

/** A Resource CR read for the import. @internal */
export interface ImportedResource {
  readonly name: string;
  readonly project: string;
  readonly props: PostgresProps;
}

/** A Workload resource dependency: the resource and the env var prefix its outputs are bound to. @internal */
export interface ImportedResourceDependency {
  readonly resource: string;
  readonly envPrefix: string;
}

const list = (a: readonly string[]) => a.join(', ');

/**
 * The model ComponentType a Component's `spec.componentType {kind: ComponentType}` names: the
 * organization must declare it (name and kind) before the import. @internal
 */
export function readModelComponentType(
  c: ReadDocument, name: string, types: readonly ComponentType[], problems: ImportProblems,
): ComponentType | undefined {
  const [workloadType, typeName] = name.split('/');
  const type = types.find(t => t.name === typeName);
  if (!type) {
    problems.add(c, '.spec.componentType.name', `names ComponentType '${name}', which the organization does not declare${types.length > 0 ? ` (it declares ${list(types.map(t => t.name))})` : ''}`,
      `declare new ComponentType(org, '${typeName ?? name}', { kind: ... }) before the import`);
    return undefined;
  }
  const expected = componentTypeName(type.kind).split('/')[0];
  if (workloadType !== expected) {
    problems.add(c, '.spec.componentType.name', `is '${name}', but ComponentType '${type.name}' has kind ${type.kind} (workload type ${expected})`, `use '${expected}/${type.name}'`);
    return undefined;
  }
  return type;
}

/** Whether a trait name is a built-in model trait's ClusterTrait. @internal */
export const isBuiltInTrait = (name: string) => (Object.values(BUILT_IN_TRAITS) as string[]).includes(name);

/** The model trait of a built-in ClusterTrait instance; undefined (with a problem) when its parameters are refused. @internal */
export function readBuiltInTrait(c: ReadDocument, jsonPath: string, t: any, problems: ImportProblems): ITrait | undefined {
  const q = t.parameters ?? {};
  try {
    if (t.name === BUILT_IN_TRAITS.podAnnotations) return Traits.podAnnotations(q.annotations, { name: t.instanceName });
    return Traits.databaseProxy(q);
  } catch (e) {
    if (!(e instanceof PlatformValidationError)) throw e;
    for (const p of e.problems) problems.add(c, `${jsonPath}.parameters`, p.message, p.fix);
    return undefined;
  }
}

/** `Workload.spec.dependencies.resources`, each binding the five outputs to `<PREFIX>_HOST`, `_PORT`, … as dependOnResource does. @internal */
export function readResourceDependencies(w: ReadDocument, problems: ImportProblems): ImportedResourceDependency[] {
  const out: ImportedResourceDependency[] = [];
  ((at(w.doc, 'spec.dependencies.resources') ?? []) as any[]).forEach((d, i) => {
    const p = `.spec.dependencies.resources[${i}]`;
    if (d?.fileBindings !== undefined) problems.add(w, `${p}.fileBindings`, 'is not supported by the import', 'bind the outputs to env vars (envBindings)');
    const host = d?.envBindings?.host;
    const prefix = typeof host === 'string' && host.endsWith('_HOST') ? host.slice(0, -'_HOST'.length) : undefined;
    const expected = Object.fromEntries(RESOURCE_OUTPUTS.map(([output, suffix]) => [output, `${prefix ?? '<PREFIX>'}_${suffix}`]));
    if (prefix === undefined || JSON.stringify(d.envBindings) !== JSON.stringify(expected)) {
      problems.add(w, `${p}.envBindings`, `is ${JSON.stringify(d?.envBindings)}, not the variables dependOnResource injects`,
        `bind ${list(RESOURCE_OUTPUTS.map(([o]) => o))} to ${list(Object.values(expected))}`);
      return;
    }
    out.push({ resource: d.ref, envPrefix: prefix });
  });
  return out;
}

/** A Resource CR of the cloudnative-pg-postgres ClusterResourceType. @internal */
export function readResource(r: ReadDocument, projects: ReadonlySet<string>, problems: ImportProblems): ImportedResource | undefined {
  checkKnownKeys(r, '.spec', ['owner', 'type', 'parameters'], problems, 'a Resource');
  checkKnownKeys(r, '.spec.parameters', POSTGRES_PARAMETERS, problems, `the ${POSTGRES_RESOURCE_TYPE} parameters`);
  const type = at(r.doc, 'spec.type');
  let ok = true;
  if (type?.kind !== 'ClusterResourceType' || type?.name !== POSTGRES_RESOURCE_TYPE) {
    problems.add(r, '.spec.type', `is ${JSON.stringify(type)}`, `use { kind: ClusterResourceType, name: ${POSTGRES_RESOURCE_TYPE} } (the model's PostgreSQL), or declare the resource in code after the import`);
    ok = false;
  }
  const project = at(r.doc, 'spec.owner.projectName');
  if (!projects.has(project)) {
    problems.add(r, '.spec.owner.projectName', `names project ${JSON.stringify(project)}, which has no project.yaml in the imported directory`, 'name an imported project');
    ok = false;
  }
  return ok ? { name: r.name, project, props: { ...(at(r.doc, 'spec.parameters') ?? {}) } } : undefined;
}
