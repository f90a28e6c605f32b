import { k8s } from 'cdk8s-plus-28';
import { containerSecurityContext, extraVolumes, mainVolumeMounts, renderContainer, sidecarServes } from './containers';
import { object, Plain } from './json';
import { componentMetadata } from './metadata';
import { containerLifecycle, deploymentStrategy, podScheduling, withUserMetadata } from './pod-settings';
import { renderStatefulSet } from './stateful';
import { kindTraits } from '../model/component-kind';
import { Annotations } from '../resolve/labels';
import { Cell, PlanComponent } from '../resolve/plan';

/**
 * The component's workload: a Deployment, or a CronJob for scheduled tasks. Pods meet the
 * restricted Pod Security profile unless the component opted out of a rule with a reason.
 * `configHash` rolls the pods when their configuration changes. @internal
 */
export function renderWorkload(cell: Cell, c: PlanComponent, configHash: string): any {
  const annotations: Record<string, string> = {};
  for (const e of c.security.exceptions) annotations[`${Annotations.SECURITY_EXCEPTION_PREFIX}${e.rule}`] = e.reason;
  const o = c.observability;
  const template: Plain<k8s.PodTemplateSpec> = {
    metadata: withUserMetadata(c, {
      labels: c.labels,
      annotations: {
        [Annotations.RESOURCE_HASH]: configHash,
        ...annotations,
        // the OpenTelemetry operator injects the agent configured by the cell's Instrumentation
        ...(o.tracing?.mode === 'auto' ? { [`instrumentation.opentelemetry.io/inject-${o.tracing.language}`]: cell.instrumentation!.name } : {}),
        // Fluent Bit parses JSON lines into fields (K8S-Logging.Parser)
        ...(o.logFormat === 'json' ? { 'fluentbit.io/parser': 'json' } : {}),
      },
    }),
    spec: podSpec(c),
  };
  if (kindTraits(c.kind).workload === 'CronJob') {
    const s = c.schedule!;
    return object<k8s.KubeCronJobProps>('batch/v1', 'CronJob', {
      metadata: withUserMetadata(c, componentMetadata(cell, c, c.workloadName, annotations)),
      spec: {
        schedule: s.schedule,
        ...(s.timeZone ? { timeZone: s.timeZone } : {}),
        concurrencyPolicy: s.concurrencyPolicy,
        suspend: s.suspend,
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 1,
        jobTemplate: {
          metadata: { labels: c.labels },
          spec: {
            backoffLimit: s.backoffLimit,
            activeDeadlineSeconds: s.activeDeadlineSeconds,
            template: { ...template, spec: { ...template.spec!, restartPolicy: 'OnFailure' } },
          },
        },
      },
    });
  }
  if (c.stateful) return renderStatefulSet(c, c.stateful, template, withUserMetadata(c, componentMetadata(cell, c, c.workloadName, annotations)));
  return object<k8s.KubeDeploymentProps>('apps/v1', 'Deployment', {
    metadata: withUserMetadata(c, componentMetadata(cell, c, c.workloadName, annotations)),
    spec: {
      ...(c.replicas !== undefined ? { replicas: c.replicas } : {}),
      revisionHistoryLimit: 5,
      selector: { matchLabels: c.labels },
      ...deploymentStrategy(c),
      template,
    },
  });
}

function podSpec(c: PlanComponent): Plain<k8s.PodSpec> {
  const sec = c.security;
  const seccomp = sec.seccompRuntimeDefault ? { seccompProfile: { type: 'RuntimeDefault' } } : {};
  const volumes: Array<Plain<k8s.Volume>> = [];
  const mounts: Array<Plain<k8s.VolumeMount>> = mainVolumeMounts(c);
  for (const f of c.files) {
    volumes.push(f.secret
      ? { name: f.volumeName, secret: { secretName: f.objectName } }
      : { name: f.volumeName, configMap: { name: f.objectName } });
    mounts.push({ name: f.volumeName, mountPath: `${f.mountPath === '/' ? '' : f.mountPath}/${f.fileName}`, subPath: f.fileName, readOnly: true });
  }
  c.scratchPaths.forEach((p, i) => {
    const name = `scratch-${i}`;
    volumes.push({ name, emptyDir: { sizeLimit: '256Mi' } });
    mounts.push({ name, mountPath: p });
  });
  volumes.push(...extraVolumes(c));
  const ports: Array<Plain<k8s.ContainerPort>> = c.endpoints.filter(e => !sidecarServes(c, e.targetPort, e.protocol))
    .map(e => ({ name: e.portName, containerPort: e.targetPort, protocol: e.protocol }));
  const metrics = c.observability.metrics;
  if (metrics?.ownContainerPort) ports.push({ name: metrics.portName, containerPort: metrics.containerPort, protocol: 'TCP' });
  const env = [...c.dependencyEnv, ...c.telemetryEnv].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map(v => (v.secretKeyRef
      ? { name: v.name, valueFrom: { secretKeyRef: { name: v.secretKeyRef.name, key: v.secretKeyRef.key } } }
      : { name: v.name, value: v.value }));
  const envFrom: Array<Plain<k8s.EnvFromSource>> = [];
  if (c.configMapName) envFrom.push({ configMapRef: { name: c.configMapName } });
  if (c.secretEnvName) envFrom.push({ secretRef: { name: c.secretEnvName } });
  const container: Plain<k8s.Container> = {
    name: 'main',
    image: c.image,
    imagePullPolicy: 'IfNotPresent',
    ...(c.command ? { command: c.command } : {}),
    ...(c.args ? { args: c.args } : {}),
    ...(ports.length > 0 ? { ports } : {}),
    ...(env.length > 0 ? { env } : {}),
    ...(envFrom.length > 0 ? { envFrom } : {}),
    resources: {
      requests: { cpu: c.resources.requests.cpu, memory: c.resources.requests.memory },
      limits: { cpu: c.resources.limits.cpu, memory: c.resources.limits.memory },
    },
    securityContext: containerSecurityContext(sec),
    ...(mounts.length > 0 ? { volumeMounts: mounts } : {}),
    ...containerLifecycle(c),
  };
  return {
    serviceAccountName: c.serviceAccountName,
    automountServiceAccountToken: sec.automountServiceAccountToken,
    securityContext: { ...(sec.runAsNonRoot ? { runAsNonRoot: true } : {}), ...seccomp },
    ...(c.initContainers.length > 0 ? { initContainers: c.initContainers.map(x => renderContainer(x, sec)) } : {}),
    containers: [container, ...c.sidecars.map(x => renderContainer(x, sec))],
    ...(volumes.length > 0 ? { volumes } : {}),
    ...podScheduling(c),
  };
}
