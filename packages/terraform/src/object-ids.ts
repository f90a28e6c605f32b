import { PlatformValidationError, ValidationProblem } from 'cdk8s-openchoreo/lib/model/errors';

/** A Kubernetes object as the platform renders it (plain JSON). */
export interface KubernetesObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly [key: string]: unknown };
  readonly [key: string]: unknown;
}

/** The API group of an apiVersion ('' for the core group). */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** `group/Kind namespace/name`, as problems name an object. */
export function describeObject(o: KubernetesObject): string {
  const group = groupOf(o.apiVersion);
  return `${group ? `${group}/` : ''}${o.kind} '${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}'`;
}

/**
 * The Terraform resource name of an object: `<group|core>_<Kind>_<namespace|_cluster>_<name>`,
 * characters outside `[A-Za-z0-9_-]` replaced by `-`. Stable: it depends on the object's identity only.
 */
export function resourceIdOf(o: KubernetesObject): string {
  const group = groupOf(o.apiVersion) || 'core';
  return `${group}_${o.kind}_${o.metadata.namespace ?? '_cluster'}_${o.metadata.name}`.replace(/[^A-Za-z0-9_-]/g, '-');
}

/**
 * Checks each object's shape and gives each its resource id; two objects with one id (the same
 * object twice, or names that differ only in characters the id replaces) are an error.
 */
export function assignResourceIds(objects: readonly unknown[], path: string): Array<{ id: string; object: KubernetesObject }> {
  const problems: ValidationProblem[] = [];
  const byId = new Map<string, KubernetesObject>();
  const out: Array<{ id: string; object: KubernetesObject }> = [];
  for (const [i, o] of objects.entries()) {
    const shapeProblem = checkShape(o);
    if (shapeProblem) {
      problems.push({ path, message: `object #${i + 1} (${JSON.stringify(o)?.slice(0, 120)}) ${shapeProblem}`, fix: 'give every object a string apiVersion, kind and metadata.name' });
      continue;
    }
    const object = o as KubernetesObject;
    const id = resourceIdOf(object);
    const first = byId.get(id);
    if (first) {
      problems.push({
        path,
        message: `${describeObject(object)} and ${describeObject(first)} both become the Terraform resource kubernetes_manifest.${id}`,
        fix: 'remove the duplicate object, or rename one of them so that their names differ in letters, digits, - or _',
      });
      continue;
    }
    byId.set(id, object);
    out.push({ id, object });
  }
  if (problems.length > 0) throw new PlatformValidationError(problems);
  return out;
}

function checkShape(o: unknown): string | undefined {
  if (o === null || typeof o !== 'object' || Array.isArray(o)) return 'is not an object';
  const x = o as Record<string, any>;
  if (typeof x.apiVersion !== 'string' || x.apiVersion === '') return 'has no apiVersion';
  if (typeof x.kind !== 'string' || x.kind === '') return 'has no kind';
  if (x.metadata === null || typeof x.metadata !== 'object' || typeof x.metadata.name !== 'string' || x.metadata.name === '') return 'has no metadata.name';
  if (x.metadata.namespace !== undefined && (typeof x.metadata.namespace !== 'string' || x.metadata.namespace === '')) return 'has an empty or non-string metadata.namespace';
  return undefined;
}
