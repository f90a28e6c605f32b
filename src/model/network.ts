/**
 * Which enforcement back-end a data plane's network policies target.
 */
export enum NetworkPolicyProvider {
  /** CiliumNetworkPolicy: L3/L4 plus DNS-aware FQDN egress and HTTP (L7) rules. */
  CILIUM = 'cilium',
  /** Plain Kubernetes NetworkPolicy: L3/L4 only. */
  KUBERNETES = 'kubernetes',
}

/**
 * How widely endpoints are reachable inside the platform.
 */
export enum IsolationMode {
  /** Only declared dependencies reach an endpoint (the default). */
  LEAST_PRIVILEGE = 'least-privilege',
  /**
   * OpenChoreo's visibility rules: any pod of the same cell reaches PROJECT endpoints, any pod of
   * the organization's cells in the same environment reaches ORGANIZATION endpoints.
   * @see https://openchoreo.dev/docs/concepts/developer-abstractions/endpoint/
   */
  OPENCHOREO_COMPATIBLE = 'openchoreo-compatible',
}

/** Pods outside the cells (gateway proxies, cluster DNS) that policies name as peers. */
export interface PodPeer {
  /** Namespace the pods run in. */
  readonly namespace: string;
  /** Labels selecting the pods. */
  readonly labels: { [key: string]: string };
}

/** HTTP methods for L7 rules. */
export enum HttpMethod {
  GET = 'GET',
  HEAD = 'HEAD',
  POST = 'POST',
  PUT = 'PUT',
  PATCH = 'PATCH',
  DELETE = 'DELETE',
  OPTIONS = 'OPTIONS',
}

/**
 * One kind of HTTP request a dependency may send (Cilium back-end). A dependency with HTTP rules
 * may send only the requests they list.
 * @see https://docs.cilium.io/en/stable/security/policy/language/#layer-7-examples
 */
export interface HttpRule {
  /**
   * The method.
   * @default - any method
   */
  readonly method?: HttpMethod;
  /**
   * The path: exact (`/orders`), or a prefix ending in `/*` (`/orders/*` matches `/orders` and
   * everything below it).
   * @default - any path
   */
  readonly path?: string;
}
