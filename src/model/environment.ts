import { Construct } from 'constructs';
import { Capacity, checkCapacity, checkQuotaHeadroom } from './capacity';
import { checkDnsLabel, checkInteger, checkResourceFields } from './checks';
import { DataPlane } from './data-plane';
import { fail } from './errors';
import { checkGatewaySettings, EnvironmentGatewayOptions } from './gateway';
import { ResourceRequirements } from './options';
import { Organization } from './organization';
import { checkPlacement, checkTopologySpread, Placement, TopologySpread } from './placement';
import { checkBoolean } from './runtime-types';
import { snapshotProps } from './snapshot';

/** Properties of an {@link Environment}. */
export interface EnvironmentProps {
  /**
   * The environment's name (e.g. `development`).
   * @default - the construct id
   */
  readonly name?: string;
  /** The data plane the environment runs on. */
  readonly dataPlane: DataPlane;
  /**
   * Whether this is a production environment: images must be pinned to an immutable tag or digest.
   * @default false
   */
  readonly isProduction?: boolean;
  /**
   * Human-readable name.
   * @default - none
   */
  readonly displayName?: string;
  /**
   * Replica count for Deployment-backed components that set none.
   * @default 1
   */
  readonly defaultReplicas?: number;
  /**
   * Container resources for components that set none in this environment.
   * @default - the organization's default resources
   */
  readonly defaultResources?: ResourceRequirements;
  /**
   * This environment's changes to the data plane's external gateway (another domain, certificate,
   * client settings). The environment then gets an external Gateway of its own.
   * @default - the data plane's external gateway
   */
  readonly externalGateway?: EnvironmentGatewayOptions;
  /**
   * This environment's changes to the data plane's internal gateway.
   * @default - the data plane's internal gateway
   */
  readonly internalGateway?: EnvironmentGatewayOptions;
  /**
   * How components with two or more replicas spread over zones and nodes.
   * @default - TopologySpread.zonesAndNodes() in production environments, TopologySpread.none() elsewhere
   */
  readonly topologySpread?: TopologySpread;
  /**
   * Where this environment's pods run, merged over the data plane's placement (components add theirs).
   * @default - the data plane's placement
   */
  readonly placement?: Placement;
  /**
   * Put a ResourceQuota and a LimitRange in each of this environment's cells: what the cell
   * declares (requests, limits, pods at the highest replica count with rollout surge, claims and
   * storage) times this factor, from 1 to 10 (e.g. 1.2).
   * @default - no quotas
   */
  readonly quotaHeadroom?: number;
  /**
   * Allocatable capacity reserved for this environment; synthesis fails when its cells' quota requests exceed it.
   * @default - not checked (the data plane's capacity still is)
   */
  readonly capacity?: Capacity;
}

/**
 * A stage (development, staging, production) on a data plane.
 * @see https://openchoreo.dev/docs/concepts/platform-abstractions/environment/
 */
export class Environment extends Construct {
  /** The organization this environment belongs to. */
  public readonly organization: Organization;
  /** The environment's name. */
  public readonly name: string;
  /** The data plane it runs on. */
  public readonly dataPlane: DataPlane;
  /** Whether it is a production environment. */
  public readonly isProduction: boolean;
  /** Human-readable name, if set. */
  public readonly displayName?: string;
  /** Default replica count. */
  public readonly defaultReplicas: number;
  /** Default container resources, if set. */
  public readonly defaultResources?: ResourceRequirements;
  /** Changes to the external gateway, if any. */
  public readonly externalGateway?: EnvironmentGatewayOptions;
  /** Changes to the internal gateway, if any. */
  public readonly internalGateway?: EnvironmentGatewayOptions;
  /** How replicas spread over zones and nodes. */
  public readonly topologySpread: TopologySpread;
  /** The environment's placement, if set. */
  public readonly placement?: Placement;
  /** The quota headroom factor, if quotas are on. */
  public readonly quotaHeadroom?: number;
  /** Allocatable capacity, if declared. */
  public readonly capacity?: Capacity;

  constructor(scope: Construct, id: string, props: EnvironmentProps) {
    super(scope, id);
    props = snapshotProps(props);
    this.organization = Organization.ofConstruct(this);
    this.name = checkDnsLabel(this, 'environment name', props.name ?? id);
    if (!props.dataPlane || props.dataPlane.organization !== this.organization) {
      fail(this, `environment '${this.name}' is placed on data plane ${props.dataPlane ? `'${props.dataPlane.node.path}'` : 'undefined'}, which is not a data plane of organization '${this.organization.name}'`,
        `declare the DataPlane in organization '${this.organization.name}' and pass it as 'dataPlane'`);
    }
    this.dataPlane = props.dataPlane;
    this.isProduction = checkBoolean(this, 'isProduction', props.isProduction) ?? false;
    this.displayName = props.displayName;
    checkInteger(this, 'defaultReplicas', props.defaultReplicas, 0, 1000);
    this.defaultReplicas = props.defaultReplicas ?? 1;
    const r = props.defaultResources;
    checkResourceFields(this, 'defaultResources', r);
    this.defaultResources = r;
    if (props.externalGateway) checkGatewaySettings(this, 'externalGateway', props.externalGateway);
    if (props.internalGateway) checkGatewaySettings(this, 'internalGateway', props.internalGateway);
    this.externalGateway = props.externalGateway;
    this.internalGateway = props.internalGateway;
    checkTopologySpread(this, 'topologySpread', props.topologySpread);
    this.topologySpread = props.topologySpread ?? (this.isProduction ? TopologySpread.zonesAndNodes() : TopologySpread.none());
    checkPlacement(this, '', props.placement);
    this.placement = props.placement;
    checkQuotaHeadroom(this, props.quotaHeadroom);
    this.quotaHeadroom = props.quotaHeadroom;
    checkCapacity(this, 'capacity', props.capacity);
    this.capacity = props.capacity;
    this.organization._register('Environment', this.name, this);
  }
}
