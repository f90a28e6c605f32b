import { isCatalogName } from '../../model/exports';
import { sha256Hex } from '../../resolve/naming';

/** The longest Backstage entity name. @internal */
export const CATALOG_NAME_LIMIT = 63;

/**
 * A Backstage entity name for `raw`: `raw` itself when it is a valid name (`[a-zA-Z0-9]` runs
 * joined by `-`, `_` or `.`, at most 63 characters); otherwise the deterministic shortening rule:
 * every run of other characters becomes one `-`, the result is cut to 54 characters (trailing
 * separators dropped) and `-<first 8 hex characters of the SHA-256 of raw>` is appended. Two raw
 * names that differ keep different results. @internal
 */
export function catalogName(raw: string): string {
  if (isCatalogName(raw)) return raw;
  const hash = sha256Hex(raw, 8);
  const base = raw.replace(/[^a-zA-Z0-9]+/g, '-').slice(0, CATALOG_NAME_LIMIT - hash.length - 1).replace(/^-+|-+$/g, '');
  return base.length > 0 ? `${base}-${hash}` : hash;
}

/**
 * The API entity name of an endpoint: `<project>-<component>-<endpoint>`, as OpenChoreo's own
 * catalog module names it; longer than 63 characters, the shortening rule of {@link catalogName}.
 * @internal
 */
export function apiEntityName(project: string, component: string, endpoint: string): string {
  return catalogName(`${project}-${component}-${endpoint}`);
}

/** `<kind>:<namespace>/<name>`, the full entity reference. @internal */
export function entityRef(kind: string, namespace: string, name: string): string {
  return `${kind.toLowerCase()}:${namespace}/${name}`;
}
