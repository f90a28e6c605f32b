import { k8s } from 'cdk8s-plus-28';
import { Plain, Writable } from './json';
import { setProbes } from './pod-settings';
import { PlanContainer } from '../resolve/containers';
import { PlanComponent, PlanSecurity } from '../resolve/plan';

/** The container security context every container of a pod gets (restricted baseline minus declared exceptions). @internal */
export function containerSecurityContext(sec: PlanSecurity): Plain<k8s.SecurityContext> {
  const context: Writable<Plain<k8s.SecurityContext>> = {
    allowPrivilegeEscalation: !sec.noPrivilegeEscalation,
    readOnlyRootFilesystem: sec.readOnlyRootFilesystem,
  };
  if (sec.runAsNonRoot) context.runAsNonRoot = true;
  if (sec.dropAllCapabilities) context.capabilities = { drop: ['ALL'] };
  if (sec.seccompRuntimeDefault) context.seccompProfile = { type: 'RuntimeDefault' };
  return context;
}

/** Whether a sidecar of `c` listens on the container port (so the endpoint is the sidecar's). @internal */
export function sidecarServes(c: PlanComponent, containerPort: number, protocol: string): boolean {
  return c.sidecars.some(s => s.ports.some(p => p.containerPort === containerPort && p.protocol === protocol));
}

/** The main container's mounts of the component's emptyDirs and persistent volumes. @internal */
export function mainVolumeMounts(c: PlanComponent): Array<Plain<k8s.VolumeMount>> {
  const mounts: Array<Plain<k8s.VolumeMount>> = [];
  for (const v of c.emptyDirs) if (v.mountPath !== undefined) mounts.push({ name: v.name, mountPath: v.mountPath });
  for (const v of c.stateful?.volumes ?? []) mounts.push({ name: v.name, mountPath: v.mountPath });
  return mounts;
}

/** Appends the pod's emptyDir volumes to `volumes`: declared emptyDirs, then each extra container's scratch paths. @internal */
export function addExtraVolumes(volumes: Array<Plain<k8s.Volume>>, c: PlanComponent): void {
  for (const v of c.emptyDirs) {
    volumes.push({ name: v.name, emptyDir: v.medium === 'memory' ? { medium: 'Memory', sizeLimit: v.sizeLimit } : { sizeLimit: v.sizeLimit } });
  }
  for (const containers of [c.initContainers, c.sidecars]) {
    for (const x of containers) for (const s of x.scratch) volumes.push({ name: s.volume, emptyDir: { sizeLimit: '256Mi' } });
  }
}

/** An init container or sidecar, hardened like the main container. @internal */
export function renderContainer(x: PlanContainer, sec: PlanSecurity): Plain<k8s.Container> {
  const mounts: Array<Plain<k8s.VolumeMount>> = [];
  for (const m of x.mounts) {
    mounts.push(m.readOnly ? { name: m.volume, mountPath: m.mountPath, readOnly: true } : { name: m.volume, mountPath: m.mountPath });
  }
  for (const s of x.scratch) mounts.push({ name: s.volume, mountPath: s.mountPath });
  const container: Writable<Plain<k8s.Container>> = { name: x.name, image: x.image, imagePullPolicy: 'IfNotPresent' };
  if (x.command) container.command = x.command;
  if (x.args) container.args = x.args;
  if (x.ports.length > 0) container.ports = x.ports.map(p => ({ name: p.name, containerPort: p.containerPort, protocol: p.protocol }));
  if (x.env.length > 0) container.env = x.env.map(v => ({ name: v.name, value: v.value }));
  if (x.secretEnvName) container.envFrom = [{ secretRef: { name: x.secretEnvName } }];
  container.resources = {
    requests: { cpu: x.resources.requests.cpu, memory: x.resources.requests.memory },
    limits: { cpu: x.resources.limits.cpu, memory: x.resources.limits.memory },
  };
  setProbes(container, x.probes);
  container.securityContext = containerSecurityContext(sec);
  if (mounts.length > 0) container.volumeMounts = mounts;
  return container;
}
