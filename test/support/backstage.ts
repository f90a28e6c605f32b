import {
  apiEntityV1alpha1Validator, componentEntityV1alpha1Validator, DefaultNamespaceEntityPolicy, domainEntityV1alpha1Validator, EntityPolicies,
  FieldFormatEntityPolicy, groupEntityV1alpha1Validator, locationEntityV1alpha1Validator, NoForeignRootFieldsEntityPolicy, parseEntityRef,
  resourceEntityV1alpha1Validator, SchemaValidEntityPolicy, stringifyEntityRef, systemEntityV1alpha1Validator,
} from '@backstage/catalog-model';
import { parseAllDocuments } from 'yaml';

const validators: Record<string, { check(entity: any): Promise<boolean> }> = {
  API: apiEntityV1alpha1Validator,
  Component: componentEntityV1alpha1Validator,
  Domain: domainEntityV1alpha1Validator,
  Group: groupEntityV1alpha1Validator,
  Location: locationEntityV1alpha1Validator,
  Resource: resourceEntityV1alpha1Validator,
  System: systemEntityV1alpha1Validator,
};

const policies = EntityPolicies.allOf([
  new DefaultNamespaceEntityPolicy(), new NoForeignRootFieldsEntityPolicy(), new FieldFormatEntityPolicy(), new SchemaValidEntityPolicy(),
]);

/** The catalog files of a synthesized tree (paths under `exports/backstage/`), parsed. */
export function catalogFiles(files: Record<string, string>): Record<string, any[]> {
  return Object.fromEntries(Object.entries(files).filter(([f]) => f.includes('/exports/backstage/'))
    .map(([f, text]) => [f, parseAllDocuments(text).map(d => d.toJS())]));
}

/**
 * Validates one entity the way the Backstage catalog does: its kind's validator (Backstage's own
 * JSON schema for the kind) and the four default policies (namespace, no foreign root fields, field
 * formats, the envelope schema). Throws with the entity's ref on the first failure.
 */
export async function validateEntity(entity: any): Promise<void> {
  const validator = validators[entity.kind];
  if (!validator) throw new Error(`no validator for kind ${entity.kind}`);
  const where = `${entity.kind} ${entity.metadata?.namespace}/${entity.metadata?.name}`;
  let ok: boolean;
  try {
    ok = await validator.check(entity);
  } catch (e) {
    throw new Error(`${where}: ${(e as Error).message}`);
  }
  if (!ok) throw new Error(`${where}: the ${entity.kind} validator did not accept it`);
  const enforced = await policies.enforce(entity);
  if (!enforced) throw new Error(`${where}: rejected by the default policies`);
}

/** The default kind of each relation field, as Backstage's processors read it. */
const RELATION_FIELDS: Array<{ kind: string; field: string; defaultKind?: string; many: boolean }> = [
  { kind: '*', field: 'owner', defaultKind: 'Group', many: false },
  { kind: '*', field: 'system', defaultKind: 'System', many: false },
  { kind: 'System', field: 'domain', defaultKind: 'Domain', many: false },
  { kind: 'Component', field: 'providesApis', defaultKind: 'API', many: true },
  { kind: 'Component', field: 'consumesApis', defaultKind: 'API', many: true },
  { kind: '*', field: 'dependsOn', many: true },
];

/** Every relation of every entity as `[from, field, to]`, with full refs (kind:namespace/name, lower case). */
export function relationsOf(entities: any[]): Array<[string, string, string]> {
  const out: Array<[string, string, string]> = [];
  for (const e of entities) {
    const from = refOf(e);
    for (const r of RELATION_FIELDS) {
      if (r.kind !== '*' && r.kind !== e.kind) continue;
      const value = e.spec?.[r.field];
      if (value === undefined) continue;
      for (const target of r.many ? value : [value]) {
        const parsed = parseEntityRef(target, { defaultKind: r.defaultKind, defaultNamespace: e.metadata.namespace ?? 'default' });
        out.push([from, r.field, stringifyEntityRef(parsed).toLowerCase()]);
      }
    }
  }
  return out;
}

/** An entity's full ref, lower case. */
export function refOf(e: any): string {
  return stringifyEntityRef({ kind: e.kind, namespace: e.metadata.namespace ?? 'default', name: e.metadata.name }).toLowerCase();
}

/** Relations whose target is not an entity of the list. */
export function danglingRelations(entities: any[]): Array<[string, string, string]> {
  const defined = new Set(entities.map(refOf));
  return relationsOf(entities).filter(([, , to]) => !defined.has(to));
}
