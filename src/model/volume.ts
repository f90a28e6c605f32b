import { IConstruct } from 'constructs';
import { checkDnsLabel, checkMemory, memoryBytes } from './checks';
import { fail } from './errors';

/** How a persistent volume may be mounted. */
export enum VolumeAccessMode {
  /** Read-write by one node. */
  READ_WRITE_ONCE = 'ReadWriteOnce',
  /** Read-write by one pod. */
  READ_WRITE_ONCE_POD = 'ReadWriteOncePod',
  /** Read-only by many nodes. */
  READ_ONLY_MANY = 'ReadOnlyMany',
  /** Read-write by many nodes. */
  READ_WRITE_MANY = 'ReadWriteMany',
}

/**
 * A persistent volume of a {@link StatefulService}: one PersistentVolumeClaim per replica,
 * from the StatefulSet's volumeClaimTemplates.
 */
export interface PersistentVolume {
  /** Volume name, a DNS label unique among the component's volumes (e.g. `data`). */
  readonly name: string;
  /** Where the main container mounts it (e.g. `/var/lib/postgresql/data`). */
  readonly mountPath: string;
  /** Requested storage per replica (e.g. `10Gi`); environments may override it with `volumeSizes`. */
  readonly size: string;
  /**
   * Storage class of the claims.
   * @default - the cluster's default storage class
   */
  readonly storageClass?: string;
  /**
   * Access modes of the claims.
   * @default [VolumeAccessMode.READ_WRITE_ONCE]
   */
  readonly accessModes?: VolumeAccessMode[];
}

/** Where an emptyDir volume lives. */
export enum EmptyDirMedium {
  /** The node's disk (ephemeral storage). */
  DISK = 'disk',
  /** Memory (tmpfs): counted against the container's memory limit. */
  MEMORY = 'memory',
}

/**
 * A pod-scoped scratch volume (emptyDir) beyond `scratchPaths`, shareable between the main
 * container, init containers and sidecars.
 */
export interface EmptyDirVolume {
  /** Volume name, a DNS label unique among the component's volumes (e.g. `cache`). */
  readonly name: string;
  /**
   * Where the main container mounts it.
   * @default - not mounted in the main container (only in the sidecars or init containers that name it)
   */
  readonly mountPath?: string;
  /**
   * Disk or memory.
   * @default EmptyDirMedium.DISK
   */
  readonly medium?: EmptyDirMedium;
  /**
   * Size limit (e.g. `1Gi`).
   * @default '256Mi'
   */
  readonly sizeLimit?: string;
}

/** Mounts one of the component's volumes (emptyDir or persistent) into a sidecar or init container. */
export interface VolumeMount {
  /** The volume's name, as declared in `emptyDirs` or in a StatefulService's `volumes`. */
  readonly volume: string;
  /** Where the container mounts it. */
  readonly mountPath: string;
  /**
   * Mount it read-only.
   * @default false
   */
  readonly readOnly?: boolean;
}

/** How a StatefulSet starts and stops its pods. */
export enum PodManagement {
  /** One pod at a time, each waiting for the previous one to be ready (ordinal order). */
  ORDERED = 'OrderedReady',
  /** All pods at once (for members that find each other without an order). */
  PARALLEL = 'Parallel',
}

/** What happens to a StatefulSet's claims. */
export enum VolumeRetention {
  /** Keep the PersistentVolumeClaims (and their data). */
  RETAIN = 'Retain',
  /** Delete the PersistentVolumeClaims. */
  DELETE = 'Delete',
}

const ABS_PATH = /^\/[^\0]*$/;
const ACCESS_MODES = Object.values(VolumeAccessMode);

/** Validates an absolute mount path. @internal */
export function checkMountPath(scope: IConstruct, what: string, path: string | undefined): string {
  if (typeof path !== 'string' || !ABS_PATH.test(path)) {
    fail(scope, `${what} mountPath '${path}' is not absolute`, "use an absolute directory such as '/var/lib/app'");
  }
  return path;
}

/** Validates a storage quantity (binary or decimal suffix, positive). @internal */
export function checkStorage(scope: IConstruct, what: string, value: string | undefined): string {
  if (typeof value !== 'string') fail(scope, `${what} '${value}' is not a storage quantity`, "use a quantity such as '10Gi'");
  checkMemory(scope, what, value);
  if (memoryBytes(value) <= 0) fail(scope, `${what} '${value}' is not positive`, "use a quantity such as '10Gi'");
  return value;
}

/** Validates persistent volumes (names, paths, sizes, access modes). @internal */
export function checkPersistentVolumes(scope: IConstruct, volumes: PersistentVolume[] | undefined): void {
  if (!Array.isArray(volumes) || volumes.length === 0) {
    fail(scope, `a StatefulService declares no volumes (${JSON.stringify(volumes)})`, "declare at least one: volumes: [{ name: 'data', mountPath: '/data', size: '10Gi' }], or use a Service");
  }
  for (const v of volumes) {
    checkDnsLabel(scope, 'volume name', v.name);
    checkMountPath(scope, `volume '${v.name}'`, v.mountPath);
    checkStorage(scope, `volume '${v.name}' size`, v.size);
    if (v.storageClass !== undefined) checkDnsLabel(scope, `volume '${v.name}' storageClass`, v.storageClass, 253);
    if (v.accessModes !== undefined) {
      if (v.accessModes.length === 0) fail(scope, `volume '${v.name}' has an empty accessModes list`, 'leave accessModes unset for ReadWriteOnce, or name at least one mode');
      for (const m of v.accessModes) {
        if (!ACCESS_MODES.includes(m)) fail(scope, `volume '${v.name}' access mode '${m}' is unknown`, `use one of ${Object.keys(VolumeAccessMode).map(k => `VolumeAccessMode.${k}`).join(', ')}`);
      }
    }
  }
}

/** Validates emptyDir volumes. @internal */
export function checkEmptyDirs(scope: IConstruct, volumes: EmptyDirVolume[]): void {
  for (const v of volumes) {
    checkDnsLabel(scope, 'emptyDir name', v.name);
    if (v.mountPath !== undefined) checkMountPath(scope, `emptyDir '${v.name}'`, v.mountPath);
    if (v.medium !== undefined && !Object.values(EmptyDirMedium).includes(v.medium)) {
      fail(scope, `emptyDir '${v.name}' medium '${v.medium}' is unknown`, 'use EmptyDirMedium.DISK or EmptyDirMedium.MEMORY');
    }
    if (v.sizeLimit !== undefined) checkStorage(scope, `emptyDir '${v.name}' sizeLimit`, v.sizeLimit);
  }
}

/** Fails when two volumes share a name, or two mounts of one container share a path. @internal */
export function checkUnique(scope: IConstruct, what: string, values: string[], fix: string): void {
  const seen = new Set<string>();
  for (const v of values) {
    if (seen.has(v)) fail(scope, `${what} '${v}' is declared twice`, fix);
    seen.add(v);
  }
}
