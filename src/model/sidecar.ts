import { IConstruct } from 'constructs';
import { checkDnsLabel, checkEnvVarName, checkPort, checkResourceFields } from './checks';
import { fail } from './errors';
import { ResourceRequirements } from './options';
import { checkProbes, PROBE_KINDS, Probes, ProbeType } from './probe';
import { checkNoLiteralSecret, SecretRef } from './secrets';
import { checkEmptyDirs, checkMountPath, checkUnique, EmptyDirVolume, VolumeMount } from './volume';

/** A port a sidecar listens on. An endpoint whose `targetPort` equals it is served by the sidecar. */
export interface SidecarPort {
  /** Port name, a DNS label of at most 15 characters (e.g. `proxy`). */
  readonly name: string;
  /** The container port. */
  readonly port: number;
  /**
   * UDP instead of TCP.
   * @default false
   */
  readonly udp?: boolean;
}

/**
 * A container beside the main one: an init container (runs to completion before the main
 * container starts) or a sidecar (runs alongside it). It is hardened exactly like the main
 * container: restricted Pod Security, a read-only root filesystem with its own scratch paths, the
 * component's security exceptions, no service-account token unless the component has one.
 */
export interface ContainerOptions {
  /** Container name, a DNS label unique in the pod; `main` is the component's own container. */
  readonly name: string;
  /** Image with a tag or digest, e.g. `ghcr.io/acme/proxy:2.1.0`. */
  readonly image: string;
  /**
   * Entrypoint.
   * @default - the image's entrypoint
   */
  readonly command?: string[];
  /**
   * Arguments.
   * @default - the image's arguments
   */
  readonly args?: string[];
  /**
   * Plain environment variables (secret values are refused: use `secretEnv`).
   * @default - none
   */
  readonly env?: { [key: string]: string };
  /**
   * Environment variables from the secret store, fetched by an ExternalSecret of their own.
   * @default - none
   */
  readonly secretEnv?: { [key: string]: SecretRef };
  /**
   * CPU and memory; counted in the pod's requests and limits (and the cell's quota).
   * @default - the environment's, then the organization's defaults
   */
  readonly resources?: ResourceRequirements;
  /**
   * Ports it listens on (sidecars only); an endpoint whose targetPort is one of them is served by this sidecar.
   * @default - none
   */
  readonly ports?: SidecarPort[];
  /**
   * Writable scratch directories (emptyDir volumes of its own).
   * @default ['/tmp']
   */
  readonly scratchPaths?: string[];
  /**
   * The component's volumes (emptyDirs, or a StatefulService's persistent volumes) it mounts.
   * @default - none
   */
  readonly volumeMounts?: VolumeMount[];
  /**
   * Readiness, liveness and startup probes (sidecars only): exec probes, or network probes on one of
   * the sidecar's own TCP `ports` (by `port`). A pod is ready only when all its containers are.
   * @default - none
   * @see https://kubernetes.io/docs/concepts/configuration/liveness-readiness-startup-probes/
   */
  readonly probes?: Probes;
}

/** Init containers, sidecars and shared volumes: accepted by every component kind. */
export interface ContainerSettings {
  /**
   * Containers that run to completion, in order, before the main container starts.
   * @default - none
   */
  readonly initContainers?: ContainerOptions[];
  /**
   * Containers that run beside the main container for the pod's lifetime.
   * @default - none
   */
  readonly sidecars?: ContainerOptions[];
  /**
   * Pod-scoped emptyDir volumes, mounted by the main container at their `mountPath` and by
   * sidecars and init containers through `volumeMounts`.
   * @default - none
   */
  readonly emptyDirs?: EmptyDirVolume[];
}

const PORT_NAME = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Validates init containers, sidecars and emptyDirs. `volumeNames` are the component's other
 * volumes a container may mount (a StatefulService's persistent volumes). @internal
 */
export function checkContainerSettings(
  scope: IConstruct, s: ContainerSettings, volumeNames: string[], isImage: (image: string) => boolean,
): void {
  // Most components have no extra container and no volume: nothing below can fail then, and no list is built.
  if (isNone(s.emptyDirs) && volumeNames.length === 0 && isNone(s.initContainers) && isNone(s.sidecars)) return;
  const emptyDirs = s.emptyDirs ?? [];
  checkEmptyDirs(scope, emptyDirs);
  const volumes = [...emptyDirs.map(v => v.name), ...volumeNames];
  checkUnique(scope, 'volume name', volumes, 'give each emptyDir and persistent volume its own name');
  for (const v of volumes) {
    if (/^(scratch|file-mount)-/.test(v)) fail(scope, `volume name '${v}' uses a prefix the library reserves for scratch paths and files`, `rename it, e.g. '${v.replace(/^(scratch|file-mount)-/, 'data-')}'`);
  }
  const containers = [...(s.initContainers ?? []).map(c => ({ c, init: true })), ...(s.sidecars ?? []).map(c => ({ c, init: false }))];
  checkUnique(scope, 'container name', ['main', ...containers.map(x => x.c.name)], "give every init container and sidecar its own name ('main' is the component's container)");
  const sidecarPorts = (s.sidecars ?? []).flatMap(c => (c.ports ?? []).map(p => ({ c, p })));
  checkUnique(scope, 'sidecar port name', sidecarPorts.map(x => x.p.name), 'give each sidecar port its own name');
  checkUnique(scope, 'sidecar port', sidecarPorts.map(x => `${x.p.port}/${x.p.udp ? 'UDP' : 'TCP'}`), 'give each sidecar port its own number');
  for (const { c, init } of containers) {
    const what = `${init ? 'init container' : 'sidecar'} '${c.name}'`;
    checkDnsLabel(scope, `${init ? 'init container' : 'sidecar'} name`, c.name);
    if (typeof c.image !== 'string' || !isImage(c.image)) {
      fail(scope, `${what} image '${c.image}' is not a valid image reference`, "use 'registry/repository:tag' or 'registry/repository@sha256:<digest>'");
    }
    for (const [key, value] of Object.entries(c.env ?? {})) {
      checkEnvVarName(scope, key);
      if (typeof value !== 'string') fail(scope, `${what} environment variable '${key}' has a non-string value ${JSON.stringify(value)}`, 'quote the value as a string');
      checkNoLiteralSecret(scope, 'environment variable', key, value);
    }
    for (const [key, ref] of Object.entries(c.secretEnv ?? {})) {
      checkEnvVarName(scope, key);
      if (!(ref instanceof SecretRef)) fail(scope, `${what} secretEnv '${key}' is not a SecretRef`, "use SecretRef.fromStore('<remote-key>')");
      if (c.env && key in c.env) fail(scope, `${what} sets environment variable '${key}' both in env and in secretEnv`, 'keep only the secretEnv entry');
    }
    checkResourceFields(scope, `${what} resources`, c.resources);
    if (init && (c.ports ?? []).length > 0) {
      fail(scope, `${what} declares ports, but an init container exits before the pod serves traffic`, 'move the ports to a sidecar, or remove them');
    }
    for (const p of c.ports ?? []) {
      if (typeof p.name !== 'string' || p.name.length > 15 || !PORT_NAME.test(p.name)) {
        fail(scope, `${what} port name '${p.name}' is invalid`, "use a DNS label starting with a letter, at most 15 characters (e.g. 'proxy')");
      }
      checkPort(scope, `${what} port '${p.name}'`, p.port);
    }
    checkContainerProbes(scope, what, c, init);
    for (const p of c.scratchPaths ?? []) checkMountPath(scope, `${what} scratch path`, p);
    const mounts = c.volumeMounts ?? [];
    for (const m of mounts) {
      if (!volumes.includes(m.volume)) {
        fail(scope, `${what} mounts volume '${m.volume}', which the component does not declare`,
          volumes.length === 0 ? "declare it in emptyDirs: [{ name: '" + m.volume + "' }]" : `use one of ${volumes.map(v => `'${v}'`).join(', ')}, or declare it in emptyDirs`);
      }
      checkMountPath(scope, `${what} volume '${m.volume}'`, m.mountPath);
    }
    checkUnique(scope, `${what} mount path`, [...mounts.map(m => m.mountPath), ...(c.scratchPaths ?? ['/tmp'])],
      'mount one volume per directory');
  }
}

/** Unset or an empty list. */
function isNone(list: unknown): boolean {
  return list === undefined || (Array.isArray(list) && list.length === 0);
}

/** A sidecar's probes target its own TCP ports (by number) or run a command; init containers have none. */
function checkContainerProbes(scope: IConstruct, what: string, c: ContainerOptions, init: boolean): void {
  if (c.probes === undefined) return;
  const declared = PROBE_KINDS.filter(k => c.probes![k] !== undefined);
  if (init && declared.length > 0) {
    fail(scope, `${what} declares ${declared.join(', ')} probes, but an init container runs to completion before any probe runs`, 'remove the probes, or make it a sidecar');
  }
  checkProbes(scope, `${what} `, c.probes);
  const tcp = (c.ports ?? []).filter(p => !p.udp).map(p => p.port);
  for (const kind of declared) {
    const probe = c.probes[kind]!;
    if (probe.type === ProbeType.EXEC) continue;
    const o = probe._options;
    if (o.endpoint !== undefined) {
      fail(scope, `${what} ${kind} probe names endpoint '${o.endpoint}'; a sidecar's probe targets one of its own ports`,
        tcp.length > 0 ? `use port: ${tcp[0]}` : 'declare the port in the sidecar\'s ports, or use Probe.exec([...])');
    }
    if (!tcp.includes(o.port!)) {
      fail(scope, `${what} ${kind} probe port ${o.port} is not one of its TCP ports (${tcp.join(', ') || 'none declared'})`,
        'probe a port the sidecar declares in ports, or use Probe.exec([...])');
    }
  }
}
