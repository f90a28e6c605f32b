import { JsonPatch } from 'cdk8s';
import { POSTGRES_PARAMETERS, isExportedResource } from './resources';
import { traitInstance } from './standards';
import { ComponentType } from '../../model/component-type';
import { Organization } from '../../model/organization';
import { resourcesOf } from '../../model/resource';
import { PostgresResourceType } from '../../model/resource-postgres';
import type { ITrait } from '../../model/trait';

/*
 * What the export cannot express of the platform standards (#13): component type rules and
 * defaults without a schema field, custom trait classes, patches, policy suppressions, and the
 * managed resources' settings OpenChoreo's Resource has no place for.
 */

type Add = (path: string, feature: string, reason: string) => void;

const RULES = 'OpenChoreo checks only the type\'s parameter schemas: the library enforces the rule at synthesis, OpenChoreo does not';
const CODE_TRAIT = 'a trait class is code the library runs on its rendered objects; OpenChoreo applies only Trait CRs (Traits.podAnnotations and Traits.databaseProxy are exported as ClusterTraits)';
const PATCH = 'a patch is code applied to the library\'s rendered objects; OpenChoreo renders from the ComponentType\'s templates';
const SUPPRESSION = 'the policy pack checks the library\'s GitOps tree; OpenChoreo has no policy pack, so there is nothing to suppress';
/** Type defaults the namespaced ComponentType carries as schema defaults. */
const CARRIED_DEFAULTS = new Set(['scratchPaths', 'replicas']);
const RESOURCE_REASONS: Record<string, string> = {
  environments: 'the Resource has one set of parameters: per-environment settings would need a ResourceReleaseBinding per environment, which the export does not write',
  backup: 'the cloudnative-pg-postgres ClusterResourceType has no backup parameters (the credentials are secret references)',
  pooler: 'the cloudnative-pg-postgres ClusterResourceType renders no PgBouncer pooler',
  operatorNamespace: 'the ClusterResourceType does not open the operator\'s network path; OpenChoreo\'s cell policies apply',
};

const opText = (p: JsonPatch) => {
  const j = p._toJson();
  return `${j.op} ${j.from ? `${j.from} → ` : ''}${j.path}`;
};
const isCustom = (t: ITrait) => traitInstance(t) === undefined;
const keysOf = (o: object) => Object.keys(o).filter(k => (o as Record<string, unknown>)[k] !== undefined).sort();

function componentTypeItems(t: ComponentType, add: Add): void {
  for (const key of keysOf(t._defaults)) {
    const carried = CARRIED_DEFAULTS.has(key) || (key === 'resources' && keysOf(t._defaults.resources ?? {}).length === 4);
    if (!carried) add(t.node.path, `defaults.${key}`, 'the ComponentType\'s schemas have no parameter for it: components of the type list it too');
  }
  for (const key of keysOf(t._constraints)) add(t.node.path, `constraints.${key}`, RULES);
  for (const key of keysOf(t._productionConstraints)) {
    const own = (t._productionConstraints as Record<string, unknown>)[key];
    if (JSON.stringify(own) !== JSON.stringify((t._constraints as Record<string, unknown>)[key])) add(t.node.path, `productionConstraints.${key}`, RULES);
  }
  for (const [env, rules] of [...t._environmentConstraints.entries()].sort(([a], [b]) => (a.name < b.name ? -1 : 1))) {
    for (const key of keysOf(rules)) add(t.node.path, `constraints for ${env.name}: ${key}`, RULES);
  }
  for (const trait of t._traits.filter(isCustom)) add(t.node.path, `trait ${trait.name}`, CODE_TRAIT);
}

/** The not-expressible items of component types, traits, patches, suppressions and resources. @internal */
export function standardsNotExpressible(org: Organization, add: Add): void {
  for (const t of org.componentTypes) componentTypeItems(t, add);
  for (const p of org._patches) add(org.node.path, `patch ${opText(p.patch)} of the objects selected by ${JSON.stringify(p.selector)}`, PATCH);
  for (const s of org._policySuppressions) add(org.node.path, `policy suppression ${s.ruleId}${s.environment ? ` in ${s.environment.name}` : ''}`, SUPPRESSION);
  for (const project of org.projects) {
    for (const r of resourcesOf(project)) {
      if (!isExportedResource(r)) {
        add(r.node.path, `resource of type ${r.type.typeName}`, 'the export ships a ClusterResourceType for PostgreSQL only; consumers get no Workload resource dependency for it');
        continue;
      }
      const props = (r.type as PostgresResourceType)._props as unknown as Record<string, unknown>;
      for (const key of keysOf(props).filter(k => !(POSTGRES_PARAMETERS as readonly string[]).includes(k))) {
        add(r.node.path, key, RESOURCE_REASONS[key] ?? 'the cloudnative-pg-postgres ClusterResourceType has no parameter for it');
      }
    }
    for (const c of project.components) {
      for (const trait of c._traits.filter(isCustom)) add(c.node.path, `trait ${trait.name}`, CODE_TRAIT);
      for (const p of c._patches) {
        add(c.node.path, `patch ${opText(p.patch)} of ${p.kind}${p.name ? ` '${p.name}'` : ''}${p.environment ? ` in ${p.environment.name}` : ''}`, PATCH);
      }
      for (const s of c._policySuppressions) add(c.node.path, `policy suppression ${s.ruleId}${s.environment ? ` in ${s.environment.name}` : ''}`, SUPPRESSION);
    }
  }
}
