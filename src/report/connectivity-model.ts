/*
 * The connectivity evaluator's data: its inputs and outputs (flows), the compiled form of a policy
 * that the engine evaluates and the two back-end compilers produce, and their shared checks.
 */
import type { Path } from './json-path';

export interface PortSpec {
  readonly port: number;
  readonly protocol: 'TCP' | 'UDP';
  /** The container port's name, for named-port rules. */
  readonly name?: string;
}

/** One pod identity (all replicas of a workload). @internal */
export interface PodIdentity {
  /** `${namespace}/${name}`. */
  readonly id: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  /** The ports it listens on. */
  readonly ports: PortSpec[];
  /** Its service account (only Cilium's `io.cilium.k8s.policy.serviceaccount` selector key reads it). @default 'default' */
  readonly serviceAccount?: string;
}

/** A destination outside the cluster. At least one of `fqdn` and `ip` is required. @internal */
export interface ExternalTarget {
  readonly id: string;
  readonly fqdn?: string;
  /** IPv4 address. */
  readonly ip?: string;
  readonly port: number;
  readonly protocol: 'TCP' | 'UDP';
}

/** A namespace not in the manifests. @internal */
export interface NamespaceIdentity {
  readonly name: string;
  readonly labels: Record<string, string>;
}

/** One allowed flow. @internal */
export interface Flow {
  /** Source pod id. */
  readonly from: string;
  /** Destination pod id or external target id. */
  readonly to: string;
  readonly port: number;
  readonly protocol: string;
  /** The only HTTP requests allowed (sorted), e.g. `GET /orders(/.*)?`; absent = all traffic on the port. */
  readonly l7?: string[];
}

/** @internal */
export interface ConnectivityInput {
  /** Everything emitted; kinds other than workloads, Namespaces and network policies are ignored. */
  readonly manifests: any[];
  /** Pods not in the manifests (gateway proxies, cluster DNS, …). */
  readonly extraPods?: PodIdentity[];
  /** Namespaces not in the manifests (their labels). */
  readonly extraNamespaces?: NamespaceIdentity[];
  /** External destinations to probe. */
  readonly externals?: ExternalTarget[];
}

export type Labels = Record<string, string>;
export type Direction = 'ingress' | 'egress';

export const NS_KEY = 'io.kubernetes.pod.namespace';
export const NS_LABELS_PREFIX = 'io.cilium.k8s.namespace.labels.';
export const SA_KEY = 'io.cilium.k8s.policy.serviceaccount';
export const CILIUM_POLICY_PREFIX = 'io.cilium.k8s.policy.';
export const IMPLICIT_NS_LABEL = 'kubernetes.io/metadata.name';


// ---------------------------------------------------------------------------------------------
// Evaluation

export interface Listening {
  readonly port: number;
  readonly protocol: 'TCP' | 'UDP';
  readonly names: string[];
}

export interface Pod {
  /** Its position in the evaluation's pod list (the order destinations are visited in). */
  readonly index: number;
  readonly identity: PodIdentity;
  readonly nsLabels: Labels;
  readonly ciliumLabels: Labels;
  readonly listens: Listening[];
}

/** The other end of a flow, seen from the pod whose policy is evaluated. */
export interface Peer {
  readonly pod?: Pod;
  readonly external?: ExternalPeer;
}

/** An external target with what rules match it by, parsed once per evaluation (not per pod and rule). */
export interface ExternalPeer {
  readonly target: ExternalTarget;
  /** The IPv4 address as a number. */
  readonly ip?: number;
  /** The fqdn, lower case without a trailing dot. */
  readonly fqdn?: string;
}

/**
 * One way a rule matches pods, with what narrows the pods worth testing (an index, so that large
 * platforms are not evaluated pair by pair): only pods of `namespace` (undefined = any namespace)
 * whose own label `label[0]` equals `label[1]` (undefined = no such equality) can match.
 */
export interface PodPeer {
  readonly namespace?: string;
  readonly label?: readonly [string, string];
  readonly matches: (pod: Pod) => boolean;
}

/** Matches every pod (L4-only rules, NetworkPolicy rules without peers). */
export const ANY_POD: PodPeer = { matches: () => true };

export interface PortMatch {
  /** undefined = any protocol. */
  readonly protocol?: string;
  /** undefined (and no name) = any port. */
  readonly port?: number;
  readonly endPort?: number;
  readonly name?: string;
}

export interface PortEntry {
  /** Empty = all ports. */
  readonly ports: PortMatch[];
  /** undefined = every request. */
  readonly l7?: string[];
}

export interface CompiledRule {
  /** A pod peer matches iff one of these does. */
  readonly pods: PodPeer[];
  /** An external peer matches iff one of these does. */
  readonly externals: Array<(peer: ExternalPeer) => boolean>;
  readonly entries: PortEntry[];
}

export interface CompiledDirection {
  readonly defaultDeny: boolean;
  readonly hasHttp: boolean;
  readonly rules: CompiledRule[];
}

export interface CompiledPolicy {
  readonly where: string;
  /** The namespace whose pods it may select; undefined for clusterwide policies. */
  readonly namespace?: string;
  /** A (label key, value) of the pod's own labels every pod it selects has (for the pod index); undefined = none known. */
  readonly label?: readonly [string, string];
  readonly selects: (pod: Pod) => boolean;
  readonly ingress: CompiledDirection;
  readonly egress: CompiledDirection;
}

export interface DirectionState {
  readonly isolated: boolean;
  readonly rules: CompiledRule[];
}

export interface PodState {
  readonly ingress: DirectionState;
  readonly egress: DirectionState;
}

/**
 * Whether `rule` matches `peer`. Most pod peers a rule is asked about do not match: the namespace
 * and label equality every match needs (what the index narrows by) are compared first, so that
 * the selector itself is run only on the few pods that pass them.
 */
export function ruleMatches(rule: CompiledRule, peer: Peer): boolean {
  const pod = peer.pod;
  if (pod !== undefined) {
    const pods = rule.pods;
    for (let i = 0; i < pods.length; i++) {
      const p = pods[i];
      // (a namespace read from a manifest as a number stays to the selector, which compares its text)
      if (typeof p.namespace === 'string' && p.namespace !== pod.identity.namespace) continue;
      if (p.label !== undefined && pod.identity.labels[p.label[0]] !== p.label[1]) continue;
      if (p.matches(pod)) return true;
    }
  } else if (peer.external !== undefined) {
    for (let i = 0; i < rule.externals.length; i++) if (rule.externals[i](peer.external)) return true;
  }
  return false;
}

export interface Verdict {
  readonly l7?: string[];
}

export const ALL_PORTS: PortEntry[] = [{ ports: [] }];

export function unsupported(where: string, path: Path, why?: string): Error {
  return new Error(`connectivity: ${where}: ${path} is not supported by the connectivity evaluator${why ? ` (${why})` : ''}`);
}

/** Refuses a non-object or unknown keys; `field` is appended to `path` in errors only (no path built per call). */
export function checkKeys(obj: any, allowed: readonly string[], where: string, path: Path, field?: string): void {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) throw new Error(`connectivity: ${where}: ${joinPath(path, field)} must be an object`);
  // for…in over own keys: the same keys in the same order as Object.keys, without an array per object
  for (const key in obj) {
    if (Object.prototype.hasOwnProperty.call(obj, key) && !allowed.includes(key)) throw unsupported(where, `${joinPath(path, field)}.${key}`);
  }
}

function joinPath(path: Path, field: string | undefined): string {
  return field === undefined ? `${path}` : `${path}.${field}`;
}

/** `value` as a list (undefined when absent); `field` is appended to `path` in the error only (no path built per call). */
export function list(value: any, where: string, path: Path, field?: string): any[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw new Error(`connectivity: ${where}: ${joinPath(path, field)} must be a list`);
  return value;
}


export function checkPort(port: number, protocol: string, where: string): void {
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`connectivity: ${where}: port ${port} is invalid`);
  if (protocol !== 'TCP' && protocol !== 'UDP') throw new Error(`connectivity: ${where}: protocol ${protocol} is not TCP or UDP`);
}

export function compare(a: string, b: string): number {
  if (a < b) return -1;
  return a > b ? 1 : 0;
}

