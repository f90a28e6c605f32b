/**
 * Static CEL types as the Kubernetes API server derives them from a structural schema, and
 * the escaping of property names into CEL field names.
 */
import type { CelType } from '@bufbuild/cel';

/**
 * A CEL type. `object` is a schema object with declared fields (not a map: it cannot be
 * indexed with [], iterated or tested with `in`); int-or-string and untyped values are `dyn`.
 */
export type CelT =
  | { readonly k: 'dyn' | 'bool' | 'int' | 'uint' | 'double' | 'string' | 'bytes' | 'null' | 'duration' | 'timestamp' | 'type' }
  | { readonly k: 'list'; readonly elem: CelT }
  | { readonly k: 'map'; readonly key: CelT; readonly value: CelT }
  | { readonly k: 'object'; readonly fields: ReadonlyMap<string, CelT> };

export const DYN: CelT = { k: 'dyn' };
export const BOOL: CelT = { k: 'bool' };
export const INT: CelT = { k: 'int' };
export const UINT: CelT = { k: 'uint' };
export const DOUBLE: CelT = { k: 'double' };
export const STRING: CelT = { k: 'string' };
export const BYTES: CelT = { k: 'bytes' };
export const NULL: CelT = { k: 'null' };
export const DURATION: CelT = { k: 'duration' };
export const TIMESTAMP: CelT = { k: 'timestamp' };

export function listOf(elem: CelT): CelT {
  return { k: 'list', elem };
}

export function mapOf(key: CelT, value: CelT): CelT {
  return { k: 'map', key, value };
}

/** A @bufbuild/cel function signature type as a CelT. */
export function fromCelType(t: CelType): CelT {
  switch (t.kind) {
    case 'list':
      return listOf(fromCelType(t.element));
    case 'map':
      return mapOf(fromCelType(t.key), fromCelType(t.value));
    case 'object':
      if (t.name === 'google.protobuf.Duration') return DURATION;
      if (t.name === 'google.protobuf.Timestamp') return TIMESTAMP;
      throw new Error(`unsupported CEL object type ${t.name}`);
    case 'scalar':
      return t.name === 'null_type' ? NULL : { k: t.name };
  }
}

/** Whether a value of type `actual` may be passed where `declared` is expected (dyn matches anything). */
export function assignable(actual: CelT, declared: CelT): boolean {
  if (actual.k === 'dyn' || declared.k === 'dyn') return true;
  if (actual.k === 'list' && declared.k === 'list') return assignable(actual.elem, declared.elem);
  if (actual.k === 'map' && declared.k === 'map') return assignable(actual.key, declared.key) && assignable(actual.value, declared.value);
  if (actual.k === 'object' || declared.k === 'object') return actual === declared;
  return actual.k === declared.k;
}

/** The common type of two branches (of ?: or of a list literal): the type itself if equal, else dyn. */
export function join(a: CelT, b: CelT): CelT {
  if (a === b) return a;
  if (a.k === 'list' && b.k === 'list') return listOf(join(a.elem, b.elem));
  if (a.k === 'map' && b.k === 'map') return mapOf(join(a.key, b.key), join(a.value, b.value));
  if (a.k === 'object' || b.k === 'object' || a.k !== b.k) return DYN;
  return a;
}

export function typeName(t: CelT): string {
  switch (t.k) {
    case 'list':
      return `list(${typeName(t.elem)})`;
    case 'map':
      return `map(${typeName(t.key)}, ${typeName(t.value)})`;
    default:
      return t.k;
  }
}

/**
 * CEL's reserved words. Kubernetes exposes a property with one of these names as
 * `__name__` (e.g. `namespace` is `self.__namespace__`).
 */
const RESERVED = new Set([
  'true', 'false', 'null', 'in', 'as', 'break', 'const', 'continue', 'else', 'for', 'function', 'if',
  'import', 'let', 'loop', 'package', 'namespace', 'return', 'var', 'void', 'while',
]);
const ESCAPABLE = /^[a-zA-Z_.\-/][a-zA-Z0-9_.\-/]*$/;
const ESCAPES: Record<string, string> = { '.': '__dot__', '-': '__dash__', '/': '__slash__' };

/**
 * The CEL field name of an object property, Kubernetes style: reserved words become
 * `__word__`; `__` becomes `__underscores__`, and `.`, `-`, `/` become `__dot__`, `__dash__`,
 * `__slash__`. Returns undefined for names CEL cannot address (e.g. a leading digit); such
 * properties are not visible to rules.
 */
export function celFieldName(property: string): string | undefined {
  if (RESERVED.has(property)) return `__${property}__`;
  if (!ESCAPABLE.test(property)) return undefined;
  let out = '';
  for (let i = 0; i < property.length; i++) {
    if (property.startsWith('__', i)) {
      out += '__underscores__';
      i++;
    } else {
      out += ESCAPES[property[i]] ?? property[i];
    }
  }
  return out;
}
