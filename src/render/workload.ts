import { k8s } from 'cdk8s-plus-28';
import { addExtraVolumes, containerSecurityContext, mainVolumeMounts, renderContainer, sidecarServes } from './containers';
import { object, Plain, Writable } from './json';
import { componentMetadata } from './metadata';
import { setContainerLifecycle, setDeploymentStrategy, setPodScheduling, withUserMetadata } from './pod-settings';
import { renderStatefulSet } from './stateful';
import { kindTraits } from '../model/component-kind';
import { Annotations } from '../resolve/labels';
import { Cell, PlanComponent, PlanEnvVar } from '../resolve/plan';

/**
 * The component's workload: a Deployment, or a CronJob for scheduled tasks. Pods meet the
 * restricted Pod Security profile unless the component opted out of a rule with a reason.
 * `configHash` rolls the pods when their configuration changes. Objects on this path (once per
 * component and environment) are built field by field in output order, without temporary
 * objects to spread. @internal
 */
export function renderWorkload(cell: Cell, c: PlanComponent, configHash: string): any {
  const annotations: Record<string, string> = {};
  // the pod's annotations, in output order: the configuration hash, the security exceptions, the agents'
  const podAnnotations: Record<string, string> = { [Annotations.RESOURCE_HASH]: configHash };
  for (const e of c.security.exceptions) {
    const key = `${Annotations.SECURITY_EXCEPTION_PREFIX}${e.rule}`;
    annotations[key] = e.reason;
    podAnnotations[key] = e.reason;
  }
  const o = c.observability;
  // the OpenTelemetry operator injects the agent configured by the cell's Instrumentation
  if (o.tracing?.mode === 'auto') podAnnotations[`instrumentation.opentelemetry.io/inject-${o.tracing.language}`] = cell.instrumentation!.name;
  // Fluent Bit parses JSON lines into fields (K8S-Logging.Parser)
  if (o.logFormat === 'json') podAnnotations['fluentbit.io/parser'] = 'json';
  const template: Writable<Plain<k8s.PodTemplateSpec>> = {
    metadata: withUserMetadata(c, { labels: c.labels, annotations: podAnnotations }),
    spec: podSpec(c),
  };
  if (kindTraits(c.kind).workload === 'CronJob') {
    const s = c.schedule!;
    // the template is this object's own: its pod spec takes the restart policy last
    (template.spec as Writable<Plain<k8s.PodSpec>>).restartPolicy = 'OnFailure';
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
            template,
          },
        },
      },
    });
  }
  if (c.stateful) return renderStatefulSet(c, c.stateful, template, withUserMetadata(c, componentMetadata(cell, c, c.workloadName, annotations)));
  const spec: Partial<Writable<Plain<k8s.DeploymentSpec>>> = {};
  if (c.replicas !== undefined) spec.replicas = c.replicas;
  spec.revisionHistoryLimit = 5;
  spec.selector = { matchLabels: c.labels };
  setDeploymentStrategy(spec, c);
  spec.template = template;
  return object<k8s.KubeDeploymentProps>('apps/v1', 'Deployment', {
    metadata: withUserMetadata(c, componentMetadata(cell, c, c.workloadName, annotations)),
    spec: spec as Plain<k8s.DeploymentSpec>,
  });
}

function podSpec(c: PlanComponent): Plain<k8s.PodSpec> {
  const sec = c.security;
  const volumes: Array<Plain<k8s.Volume>> = [];
  const mounts: Array<Plain<k8s.VolumeMount>> = mainVolumeMounts(c);
  for (const f of c.files) {
    volumes.push(f.secret
      ? { name: f.volumeName, secret: { secretName: f.objectName } }
      : { name: f.volumeName, configMap: { name: f.objectName } });
    mounts.push({ name: f.volumeName, mountPath: `${f.mountPath === '/' ? '' : f.mountPath}/${f.fileName}`, subPath: f.fileName, readOnly: true });
  }
  for (let i = 0; i < c.scratchPaths.length; i++) {
    const name = `scratch-${i}`;
    volumes.push({ name, emptyDir: { sizeLimit: '256Mi' } });
    mounts.push({ name, mountPath: c.scratchPaths[i] });
  }
  addExtraVolumes(volumes, c);
  const ports: Array<Plain<k8s.ContainerPort>> = [];
  for (const e of c.endpoints) {
    if (!sidecarServes(c, e.targetPort, e.protocol)) ports.push({ name: e.portName, containerPort: e.targetPort, protocol: e.protocol });
  }
  const metrics = c.observability.metrics;
  if (metrics?.ownContainerPort) ports.push({ name: metrics.portName, containerPort: metrics.containerPort, protocol: 'TCP' });
  const vars = envSortedByName(c.dependencyEnv, c.telemetryEnv);
  const env: Array<Plain<k8s.EnvVar>> = new Array(vars.length);
  for (let i = 0; i < vars.length; i++) {
    const v = vars[i];
    env[i] = v.secretKeyRef
      ? { name: v.name, valueFrom: { secretKeyRef: { name: v.secretKeyRef.name, key: v.secretKeyRef.key } } }
      : { name: v.name, value: v.value };
  }
  const envFrom: Array<Plain<k8s.EnvFromSource>> = [];
  if (c.configMapName) envFrom.push({ configMapRef: { name: c.configMapName } });
  if (c.secretEnvName) envFrom.push({ secretRef: { name: c.secretEnvName } });
  const container: Writable<Plain<k8s.Container>> = { name: 'main', image: c.image, imagePullPolicy: 'IfNotPresent' };
  if (c.command) container.command = c.command;
  if (c.args) container.args = c.args;
  if (ports.length > 0) container.ports = ports;
  if (env.length > 0) container.env = env;
  if (envFrom.length > 0) container.envFrom = envFrom;
  container.resources = {
    requests: { cpu: c.resources.requests.cpu, memory: c.resources.requests.memory },
    limits: { cpu: c.resources.limits.cpu, memory: c.resources.limits.memory },
  };
  container.securityContext = containerSecurityContext(sec);
  if (mounts.length > 0) container.volumeMounts = mounts;
  setContainerLifecycle(container, c);
  const securityContext: Writable<Plain<k8s.PodSecurityContext>> = {};
  if (sec.runAsNonRoot) securityContext.runAsNonRoot = true;
  if (sec.seccompRuntimeDefault) securityContext.seccompProfile = { type: 'RuntimeDefault' };
  const spec: Partial<Writable<Plain<k8s.PodSpec>>> = {
    serviceAccountName: c.serviceAccountName,
    automountServiceAccountToken: sec.automountServiceAccountToken,
    securityContext,
  };
  if (c.initContainers.length > 0) spec.initContainers = c.initContainers.map(x => renderContainer(x, sec));
  const containers = [container];
  for (const x of c.sidecars) containers.push(renderContainer(x, sec));
  spec.containers = containers;
  if (volumes.length > 0) spec.volumes = volumes;
  setPodScheduling(spec, c);
  return spec as Plain<k8s.PodSpec>;
}

const byName = (a: PlanEnvVar, b: PlanEnvVar) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/**
 * `first` then `second`, stably sorted by name. Resolve hands over the dependencies' variables
 * sorted and most components have no telemetry variables: then `first` is the answer as it is
 * (read only), without a copy and a sort per component and environment.
 */
function envSortedByName(first: PlanEnvVar[], second: PlanEnvVar[]): PlanEnvVar[] {
  if (second.length === 0) {
    let sorted = true;
    for (let i = 1; i < first.length && sorted; i++) sorted = byName(first[i - 1], first[i]) <= 0;
    if (sorted) return first;
  }
  return first.concat(second).sort(byName);
}
