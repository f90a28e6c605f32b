import { k8s } from 'cdk8s-plus-28';
import { Plain } from './json';
import { probeFields } from './pod-settings';
import { PlanContainer } from '../resolve/containers';
import { PlanComponent, PlanSecurity } from '../resolve/plan';

/** The container security context every container of a pod gets (restricted baseline minus declared exceptions). @internal */
export function containerSecurityContext(sec: PlanSecurity): Plain<k8s.SecurityContext> {
  return {
    allowPrivilegeEscalation: !sec.noPrivilegeEscalation,
    readOnlyRootFilesystem: sec.readOnlyRootFilesystem,
    ...(sec.runAsNonRoot ? { runAsNonRoot: true } : {}),
    ...(sec.dropAllCapabilities ? { capabilities: { drop: ['ALL'] } } : {}),
    ...(sec.seccompRuntimeDefault ? { seccompProfile: { type: 'RuntimeDefault' } } : {}),
  };
}

/** Whether a sidecar of `c` listens on the container port (so the endpoint is the sidecar's). @internal */
export function sidecarServes(c: PlanComponent, containerPort: number, protocol: string): boolean {
  return c.sidecars.some(s => s.ports.some(p => p.containerPort === containerPort && p.protocol === protocol));
}

/** The main container's mounts of the component's emptyDirs and persistent volumes. @internal */
export function mainVolumeMounts(c: PlanComponent): Array<Plain<k8s.VolumeMount>> {
  return [
    ...c.emptyDirs.filter(v => v.mountPath !== undefined).map(v => ({ name: v.name, mountPath: v.mountPath! })),
    ...(c.stateful?.volumes ?? []).map(v => ({ name: v.name, mountPath: v.mountPath })),
  ];
}

/** The pod's emptyDir volumes: declared emptyDirs, then each extra container's scratch paths. @internal */
export function extraVolumes(c: PlanComponent): Array<Plain<k8s.Volume>> {
  return [
    ...c.emptyDirs.map(v => ({ name: v.name, emptyDir: { ...(v.medium === 'memory' ? { medium: 'Memory' } : {}), sizeLimit: v.sizeLimit } })),
    ...[...c.initContainers, ...c.sidecars].flatMap(x => x.scratch.map(s => ({ name: s.volume, emptyDir: { sizeLimit: '256Mi' } }))),
  ];
}

/** An init container or sidecar, hardened like the main container. @internal */
export function renderContainer(x: PlanContainer, sec: PlanSecurity): Plain<k8s.Container> {
  const mounts = [
    ...x.mounts.map(m => ({ name: m.volume, mountPath: m.mountPath, ...(m.readOnly ? { readOnly: true } : {}) })),
    ...x.scratch.map(s => ({ name: s.volume, mountPath: s.mountPath })),
  ];
  return {
    name: x.name,
    image: x.image,
    imagePullPolicy: 'IfNotPresent',
    ...(x.command ? { command: x.command } : {}),
    ...(x.args ? { args: x.args } : {}),
    ...(x.ports.length > 0 ? { ports: x.ports.map(p => ({ name: p.name, containerPort: p.containerPort, protocol: p.protocol })) } : {}),
    ...(x.env.length > 0 ? { env: x.env.map(v => ({ name: v.name, value: v.value })) } : {}),
    ...(x.secretEnvName ? { envFrom: [{ secretRef: { name: x.secretEnvName } }] } : {}),
    resources: {
      requests: { cpu: x.resources.requests.cpu, memory: x.resources.requests.memory },
      limits: { cpu: x.resources.limits.cpu, memory: x.resources.limits.memory },
    },
    ...probeFields(x.probes),
    securityContext: containerSecurityContext(sec),
    ...(mounts.length > 0 ? { volumeMounts: mounts } : {}),
  };
}
