import { IConstruct } from 'constructs';
import { fail } from './errors';

/**
 * A format the organization is exported to besides its GitOps tree. Exports are written under
 * `<organization>/exports/<format>/`, a folder no Argo CD Application, Flux Kustomization or
 * generated kustomization.yaml points at: nothing in it is applied to a cluster.
 */
export enum ExportFormat {
  /**
   * A Backstage software catalog (`exports/backstage/catalog-info.yaml`, a Location listing one
   * file per project): Domain, System, Component, API, Resource and Group entities.
   * @see https://backstage.io/docs/features/software-catalog/descriptor-format
   */
  BACKSTAGE = 'backstage',
  /**
   * OpenChoreo v1.2.3 control-plane CRs (`exports/openchoreo/`, with NOT-EXPRESSIBLE.md): the same
   * as declaring `new OpenChoreoExport(org, 'openchoreo')`, which {@link OpenChoreoExport.of} returns.
   * @see https://openchoreo.dev/docs/platform-engineer-guide/gitops/overview/
   */
  OPENCHOREO = 'openchoreo',
}

/** Validates a list of export formats (each once, each known). @internal */
export function checkExportFormats(scope: IConstruct, formats: readonly ExportFormat[] | undefined): ExportFormat[] {
  if (formats === undefined) return [];
  if (!Array.isArray(formats)) fail(scope, `exports '${String(formats)}' is not a list`, 'pass a list such as exports: [ExportFormat.BACKSTAGE]');
  const known = Object.values(ExportFormat) as string[];
  const seen = new Set<string>();
  for (const f of formats) {
    if (!known.includes(f)) fail(scope, `export format '${String(f)}' is unknown`, `use ${Object.keys(ExportFormat).map(k => `ExportFormat.${k}`).join(', ')}`);
    if (seen.has(f)) fail(scope, `export format '${f}' is listed twice`, 'list each format once');
    seen.add(f);
  }
  return [...seen].sort() as ExportFormat[];
}

const NAME = /^([a-zA-Z0-9]+[-_.])*[a-zA-Z0-9]+$/;
const NAMESPACE = /^[a-z0-9]+(-+[a-z0-9]+)*$/;

/** Whether `name` is a valid Backstage entity name (`[a-zA-Z0-9]` runs joined by `-`, `_` or `.`, at most 63 characters). @internal */
export function isCatalogName(name: string): boolean {
  return typeof name === 'string' && name.length <= 63 && NAME.test(name);
}

/**
 * Validates a Backstage owner reference and returns it in full form (`group:<namespace>/<name>`).
 * Accepted: `<name>`, `<namespace>/<name>`, `group:<name>`, `group:<namespace>/<name>`; the
 * namespace defaults to `default`. Owners are groups: the catalog export defines each owner
 * group as a Group entity so that the relation resolves. @internal
 */
export function checkOwnerRef(scope: IConstruct, what: string, ref: string | undefined): string | undefined {
  if (ref === undefined) return undefined;
  const example = "e.g. 'payments-team' or 'group:default/payments-team'";
  if (typeof ref !== 'string' || ref.length === 0) fail(scope, `${what} '${String(ref)}' is not an owner reference`, `name the owning group, ${example}`);
  const match = /^(?:([^:/]+):)?(?:([^:/]+)\/)?([^:/]+)$/.exec(ref);
  if (!match) fail(scope, `${what} '${ref}' is not an owner reference ([group:][<namespace>/]<name>)`, `name the owning group, ${example}`);
  const [, kind, namespace, name] = match;
  if (kind !== undefined && kind.toLowerCase() !== 'group') {
    fail(scope, `${what} '${ref}' names a ${kind}, not a group`, `owners are groups in the catalog export: name the team's group, ${example}`);
  }
  if (namespace !== undefined && (namespace.length > 63 || !NAMESPACE.test(namespace))) {
    fail(scope, `${what} '${ref}' has namespace '${namespace}', which is not a Backstage namespace (lowercase letters, digits and '-', at most 63 characters)`, `use a namespace such as 'default', ${example}`);
  }
  if (!isCatalogName(name)) {
    fail(scope, `${what} '${ref}' has name '${name}', which is not a Backstage entity name (letters and digits joined by '-', '_' or '.', at most 63 characters)`, `name the owning group, ${example}`);
  }
  return `group:${namespace ?? 'default'}/${name}`;
}
