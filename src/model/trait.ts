import { JsonPatch } from 'cdk8s';
import { ComponentKind } from './component-kind';
import { ContainerOptions } from './sidecar';

/**
 * What a trait sees of a component in one environment. Plain data: changing it changes nothing.
 * @see https://openchoreo.dev/docs/concepts/platform-abstractions/trait/
 */
export interface TraitContext {
  /** The component's name. */
  readonly component: string;
  /** The component's construct path (for messages). */
  readonly componentPath: string;
  /** The component's kind. */
  readonly kind: ComponentKind;
  /**
   * The name of the component's type.
   * @default - the component has no type
   */
  readonly componentType?: string;
  /** The component's project. */
  readonly project: string;
  /** The environment. */
  readonly environment: string;
  /** Whether the environment is marked production. */
  readonly isProduction: boolean;
  /** The cell namespace the component runs in. */
  readonly namespace: string;
  /** The seven `openchoreo.dev` labels every object of the component carries (and its pod selector). */
  readonly labels: { [key: string]: string };
  /** The workload object's kind: `Deployment`, `StatefulSet` or `CronJob`. */
  readonly workloadKind: string;
  /** The workload object's name. */
  readonly workloadName: string;
}

/** What a trait sees after rendering: the context plus the component's rendered objects. */
export interface TraitRenderContext extends TraitContext {
  /** The component's rendered objects in this environment, as read-only copies (after earlier traits). */
  readonly objects: any[];
}

/**
 * Egress a trait needs (for example a sidecar's connection to a managed database). It goes through
 * the network plan like an external-service dependency: the emitted policies allow it and the
 * connectivity report shows it as `external:<name>`.
 */
export interface TraitEgress {
  /** A DNS label naming the destination in the reports (`external:<name>`), e.g. `orders-db`. */
  readonly name: string;
  /**
   * The destination's DNS host name (Cilium `toFQDNs`, unless `cidrs` are given).
   * @default - none; `cidrs` must be set
   */
  readonly host?: string;
  /**
   * The destination's IPv4 ranges.
   * @default - none; `host` must be set
   */
  readonly cidrs?: string[];
  /** The destination port. */
  readonly port: number;
  /**
   * UDP instead of TCP.
   * @default false
   */
  readonly udp?: boolean;
}

/**
 * What a trait adds to a component's plan in one environment, before anything is rendered: its
 * containers and its network needs. Traffic a trait needs must be declared here; a trait can
 * never open traffic by patching or adding network policies.
 */
export interface TraitNeeds {
  /**
   * Sidecars, hardened, counted in quotas and probed exactly like the component's own.
   * @default - none
   */
  readonly sidecars?: ContainerOptions[];
  /**
   * Egress to destinations outside the cluster.
   * @default - none
   */
  readonly egress?: TraitEgress[];
  /**
   * Container ports Prometheus scrapes on the component's pods (a port of the main container or of
   * a sidecar, the trait's own included): ingress from the data plane's Prometheus pods.
   * @default - none
   */
  readonly scrapePorts?: number[];
}

/** JSON patches for some of a component's rendered objects. */
export interface TraitPatch {
  /** The kind of object to patch, e.g. `Deployment`. */
  readonly kind: string;
  /**
   * The object's name.
   * @default - every object of the kind that belongs to the component
   */
  readonly name?: string;
  /** The operations, applied in order (RFC 6902). */
  readonly operations: JsonPatch[];
}

/** What a trait renders for a component in one environment. */
export interface TraitRendering {
  /**
   * Plain Kubernetes manifests to add (`apiVersion`, `kind`, `metadata.name`, …). They land in the
   * component's file, in its namespace, with its `openchoreo.dev` labels. Network policies and
   * cluster-scoped kinds are refused.
   * @default - none
   */
  readonly objects?: any[];
  /**
   * Patches of the component's rendered objects. Each must target at least one object; network
   * policies and the `openchoreo.dev` labels cannot be patched.
   * @default - none
   */
  readonly patches?: TraitPatch[];
}

/**
 * A trait: platform code that adds containers, network needs, objects and patches to every
 * component it is attached to, per environment. Attach it to a {@link ComponentType} (default
 * traits) or to a component (`component.addTrait(trait)`). Implement it as a class; see
 * {@link Traits} for the built-in ones and docs/writing-a-trait.md.
 * @see https://openchoreo.dev/docs/concepts/platform-abstractions/trait/
 */
export interface ITrait {
  /** The trait's name, a DNS label unique among a component's traits (ComponentType `allowedTraits` lists names). */
  readonly name: string;
  /** Containers and network needs for the component in one environment (called while resolving). */
  needs(context: TraitContext): TraitNeeds;
  /** Objects and patches for the component in one environment (called after rendering). */
  render(context: TraitRenderContext): TraitRendering;
}
