import { orNone } from './memo';
import { fnv1a32, generateName, NameLimit } from './naming';
import type { PlanEnvVar, PlanResources, PlanSecretData } from './plan';
import { planProbe, PlanProbe } from './pod-settings';
import { Component } from '../model/component';
import { ProblemCollector } from '../model/errors';
import { EnvironmentOverrides } from '../model/options';
import { PROBE_KINDS } from '../model/probe';
import { ContainerOptions } from '../model/sidecar';
import { StatefulService } from '../model/stateful-service';
import { EmptyDirMedium, VolumeAccessMode } from '../model/volume';

/** An init container or sidecar, resolved for one environment. @internal */
export interface PlanContainer {
  readonly name: string;
  readonly image: string;
  readonly command?: string[];
  readonly args?: string[];
  /** Plain env vars, inlined into the container (sorted by name). */
  readonly env: PlanEnvVar[];
  /** Secret env vars, fetched by an ExternalSecret of the container's own. */
  readonly secretEnv: PlanSecretData[];
  readonly secretEnvName?: string;
  readonly resources: PlanResources;
  readonly ports: Array<{ readonly name: string; readonly containerPort: number; readonly protocol: 'TCP' | 'UDP' }>;
  /** Scratch directories with their volume names. */
  readonly scratch: Array<{ readonly volume: string; readonly mountPath: string }>;
  readonly mounts: Array<{ readonly volume: string; readonly mountPath: string; readonly readOnly: boolean }>;
  /** Its probes (sidecars only), in output order. */
  readonly probes: { readonly startup?: PlanProbe; readonly readiness?: PlanProbe; readonly liveness?: PlanProbe };
}

/** A pod-scoped emptyDir volume. @internal */
export interface PlanEmptyDir {
  readonly name: string;
  /** Where the main container mounts it, if it does. */
  readonly mountPath?: string;
  readonly medium: 'disk' | 'memory';
  readonly sizeLimit: string;
}

/** A StatefulService's volume claim template. @internal */
export interface PlanPersistentVolume {
  readonly name: string;
  readonly mountPath: string;
  /** The size in this environment (override applied). */
  readonly size: string;
  readonly storageClass?: string;
  readonly accessModes: string[];
}

/** What a StatefulService adds to its component. @internal */
export interface PlanStateful {
  readonly headlessServiceName: string;
  readonly podManagementPolicy: string;
  readonly whenDeleted: string;
  readonly whenScaled: string;
  readonly volumes: PlanPersistentVolume[];
  /** Ports among its own replicas (TCP), sorted. */
  readonly peerPorts: number[];
}

/** The containers and volumes of a component beyond its main container. @internal */
export interface PlanPodExtras {
  readonly initContainers: PlanContainer[];
  readonly sidecars: PlanContainer[];
  readonly emptyDirs: PlanEmptyDir[];
  readonly stateful?: PlanStateful;
}

/** Resolves the resources of one container (its own, then environment and organization defaults). @internal */
export type ContainerResources = (c: ContainerOptions) => PlanResources;

/** Resolves init containers, sidecars, emptyDirs and a StatefulService's volumes in one environment. @internal */
export function resolvePodExtras(
  c: Component, o: EnvironmentOverrides, compEnv: string, resources: ContainerResources, problems: ProblemCollector,
  traitSidecars: ContainerOptions[] = [],
): PlanPodExtras {
  const p = c._props;
  const container = (opts: ContainerOptions, prefix: string, index: number): PlanContainer => {
    const secretEnv: PlanSecretData[] = Object.entries(opts.secretEnv ?? {})
      .map(([secretKey, ref]) => ({ secretKey, remoteKey: ref.key, property: ref.property, version: ref.version }))
      .sort((a, b) => (a.secretKey < b.secretKey ? -1 : 1));
    const fingerprint = secretEnv.map(s => `${s.secretKey}\0${s.remoteKey}\0${s.property ?? ''}\0${s.version ?? ''}\0`).join('');
    const scratchPaths = [...new Set(opts.scratchPaths ?? ['/tmp'])].sort();
    return {
      name: opts.name,
      image: opts.image,
      command: opts.command,
      args: opts.args,
      env: Object.entries(opts.env ?? {}).map(([name, value]) => ({ name, value })).sort((a, b) => (a.name < b.name ? -1 : 1)),
      secretEnv,
      secretEnvName: secretEnv.length === 0 ? undefined : generateName(NameLimit.SUBDOMAIN, compEnv, opts.name, 'env-secrets', fnv1a32(fingerprint)),
      resources: resources(opts),
      ports: (opts.ports ?? []).map(x => ({ name: x.name, containerPort: x.port, protocol: x.udp ? 'UDP' as const : 'TCP' as const })),
      scratch: scratchPaths.map((mountPath, i) => ({ volume: `scratch-${prefix}${index}-${i}`, mountPath })),
      mounts: (opts.volumeMounts ?? []).map(m => ({ volume: m.volume, mountPath: m.mountPath, readOnly: m.readOnly ?? false })),
      probes: Object.fromEntries(PROBE_KINDS.filter(k => opts.probes?.[k])
        .map(k => [k, planProbe(opts.probes![k]!, opts.probes![k]!._options.port)])),
    };
  };
  const initContainers = (p.initContainers ?? []).map((x, i) => container(x, 'i', i));
  const sidecars = [...(p.sidecars ?? []), ...traitSidecars].map((x, i) => container(x, 's', i));
  const metrics = p.metrics;
  for (const s of sidecars) {
    for (const port of s.ports) {
      if (metrics?.port === port.containerPort && port.protocol === 'TCP') {
        problems.add(c, `sidecar '${s.name}' port ${port.containerPort} is also the metrics port`, 'give the sidecar or the metrics endpoint another port');
      }
    }
  }
  const emptyDirs: PlanEmptyDir[] = (p.emptyDirs ?? []).map(v => ({
    name: v.name,
    mountPath: v.mountPath,
    medium: v.medium === EmptyDirMedium.MEMORY ? 'memory' as const : 'disk' as const,
    sizeLimit: v.sizeLimit ?? '256Mi',
  })).sort((a, b) => (a.name < b.name ? -1 : 1));
  let stateful: PlanStateful | undefined;
  if (c instanceof StatefulService) {
    const sizes = o.volumeSizes ?? {};
    stateful = {
      headlessServiceName: generateName(NameLimit.LABEL, c.name, 'headless'),
      podManagementPolicy: c.podManagement,
      whenDeleted: c.retainOnDelete,
      whenScaled: c.retainOnScaleDown,
      volumes: c.volumes.map(v => ({
        name: v.name,
        mountPath: v.mountPath,
        size: sizes[v.name] ?? v.size,
        storageClass: v.storageClass,
        accessModes: [...new Set(v.accessModes ?? [VolumeAccessMode.READ_WRITE_ONCE])].sort(),
      })),
      peerPorts: c.peerPorts,
    };
  }
  return { initContainers: orNone(initContainers), sidecars: orNone(sidecars), emptyDirs: orNone(emptyDirs), stateful };
}
