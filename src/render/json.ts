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
  T extends k8s.IntOrString | k8s.Quantity ? string | number
    : T extends Array<infer U> ? Array<Plain<U>>
      : T extends object ? { [K in keyof T]: Plain<T[K]> }
        : T;

/** A Kubernetes object: apiVersion and kind first, then the body. @internal */
export function object<T>(apiVersion: string, kind: string, body: Plain<T>): any {
  return { apiVersion, kind, ...body };
}
