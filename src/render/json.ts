import { k8s } from 'cdk8s-plus-28';

/**
 * The JSON shape of a cdk8s L1 props type: cdk8s' generated props use the API's own field names,
 * but wrap int-or-string and quantity values in classes that `manifest()` converts on every call.
 * Renderers build this plain shape directly (type-checked against the generated types, no
 * conversion pass), which keeps synthesis of large platforms fast. Only for kinds whose generated
 * field names equal the API's (Kubernetes core, External Secrets); not for Cilium's.
 * @internal
 */
export type Plain<T> =
  0 extends (1 & T) ? any // `any` (index signatures such as ApiObjectMetadata's) stays any
    : T extends unknown ? PlainMember<T> : never; // distributes over unions (optional fields)

/** Plain form of one member of a union. @internal */
export type PlainMember<T> =
  IsWrapper<T> extends true ? string | number
    : T extends Array<infer U> ? Array<Plain<U>>
      : T extends object ? { [K in keyof T]: Plain<T[K]> }
        : T;

/**
 * Whether T is exactly cdk8s' IntOrString or Quantity wrapper (assignable both ways): a plain
 * `{ name, value }` struct also has the wrapper's shape, but is not one. @internal
 */
export type IsWrapper<T> =
  [T] extends [k8s.IntOrString] ? ([k8s.IntOrString] extends [T] ? true : false)
    : [T] extends [k8s.Quantity] ? ([k8s.Quantity] extends [T] ? true : false)
      : false;

/**
 * A plain shape whose fields can be set one by one: renderers on the per-component path build
 * objects field by field in output order (an `if` per optional field) instead of spreading
 * `...(cond ? { field } : {})`, which allocates and copies a temporary object per field. @internal
 */
export type Writable<T> = { -readonly [K in keyof T]: T[K] };

/** A Kubernetes object: apiVersion and kind first, then the body. @internal */
export function object<T>(apiVersion: string, kind: string, body: Plain<T>): any {
  return { apiVersion, kind, ...body };
}

/**
 * The member of a generated (string) enum whose value is `value`. Plans carry plain strings;
 * bindings type enum fields with generated enums whose member names we do not repeat. @internal
 */
export function enumMember<E extends Record<string, string | number>>(e: E, value: string): E[keyof E] {
  const member = Object.values(e).find(v => v === value);
  if (member === undefined) throw new Error(`'${value}' is not a value of the generated enum (${Object.values(e).join(', ')})`);
  return member as E[keyof E];
}
