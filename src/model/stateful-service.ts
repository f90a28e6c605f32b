import { Construct } from 'constructs';
import { checkPort } from './checks';
import { Component, DeployableComponentProps } from './component';
import { ComponentKind } from './component-kind';
import { fail } from './errors';
import { EnvironmentOverrides } from './options';
import { checkEnum } from './runtime-types';
import { checkPersistentVolumes, checkStorage, checkUnique, PersistentVolume, PodManagement, VolumeRetention } from './volume';

/** Properties of a {@link StatefulService}. */
export interface StatefulServiceProps extends DeployableComponentProps {
  /** Persistent volumes: one PersistentVolumeClaim per volume and replica. At least one. */
  readonly volumes: PersistentVolume[];
  /**
   * Ordered (one pod at a time, by ordinal) or parallel pod management.
   * @default PodManagement.ORDERED
   */
  readonly podManagement?: PodManagement;
  /**
   * What happens to the claims when the StatefulSet is deleted.
   * @default VolumeRetention.RETAIN
   */
  readonly retainOnDelete?: VolumeRetention;
  /**
   * What happens to the claims of replicas removed by scaling down.
   * @default VolumeRetention.RETAIN
   */
  readonly retainOnScaleDown?: VolumeRetention;
  /**
   * Container ports its replicas use to reach each other (replication, gossip), allowed among
   * its own pods by the network policies and reachable through the headless Service's DNS
   * names (`<pod>.<headless service>`).
   * @default - none: replicas do not talk to each other
   */
  readonly peerPorts?: number[];
}

/**
 * A stateful backend (OpenChoreo workload type `statefulset`): a StatefulSet with one
 * PersistentVolumeClaim per volume and replica, a headless Service for stable pod DNS names, and
 * a ClusterIP Service for its endpoints. Endpoints, dependencies, network policies,
 * observability and access work exactly as for a {@link Service}.
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/
 */
export class StatefulService extends Component {
  /** The persistent volumes. */
  public readonly volumes: PersistentVolume[];
  /** Pod management policy. */
  public readonly podManagement: PodManagement;
  /** Claim retention when the StatefulSet is deleted. */
  public readonly retainOnDelete: VolumeRetention;
  /** Claim retention when it scales down. */
  public readonly retainOnScaleDown: VolumeRetention;
  /** Ports among its own replicas, sorted. */
  public readonly peerPorts: number[];

  constructor(scope: Construct, id: string, props: StatefulServiceProps) {
    super(scope, id, ComponentKind.STATEFUL_SERVICE, props);
    checkPersistentVolumes(this, props.volumes);
    checkUnique(this, 'volume name', props.volumes.map(v => v.name), 'give each volume its own name');
    checkUnique(this, 'mount path', [...props.volumes.map(v => v.mountPath), ...this._scratchPaths, ...(props.emptyDirs ?? []).flatMap(v => v.mountPath ?? [])],
      'mount one volume per directory of the main container');
    this.volumes = [...props.volumes].sort((a, b) => (a.name < b.name ? -1 : 1));
    this.podManagement = checkEnum(this, 'podManagement', props.podManagement, PodManagement, 'PodManagement') ?? PodManagement.ORDERED;
    this.retainOnDelete = checkEnum(this, 'retainOnDelete', props.retainOnDelete, VolumeRetention, 'VolumeRetention') ?? VolumeRetention.RETAIN;
    this.retainOnScaleDown = checkEnum(this, 'retainOnScaleDown', props.retainOnScaleDown, VolumeRetention, 'VolumeRetention') ?? VolumeRetention.RETAIN;
    for (const p of props.peerPorts ?? []) checkPort(this, 'peer port', p);
    checkUnique(this, 'peer port', (props.peerPorts ?? []).map(String), 'list each peer port once');
    this.peerPorts = [...(props.peerPorts ?? [])].sort((a, b) => a - b);
  }

  /** @internal */
  protected _checkKindOverrides(overrides: EnvironmentOverrides, scope: string): void {
    for (const [name, size] of Object.entries(overrides.volumeSizes ?? {})) {
      if (!this.volumes.some(v => v.name === name)) {
        fail(this, `${scope} size volume '${name}', which the StatefulService does not declare`,
          `use one of ${this.volumes.map(v => `'${v.name}'`).join(', ')}`);
      }
      checkStorage(this, `${scope}: volume '${name}' size`, size);
    }
  }
}
