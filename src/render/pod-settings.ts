import { k8s } from 'cdk8s-plus-28';
import { Plain, Writable } from './json';
import { ProbeType } from '../model/probe';
import { RolloutStrategy } from '../model/rollout';
import type { PlanComponent } from '../resolve/plan';
import type { PlanProbe } from '../resolve/pod-settings';

/** A probe as the Container API spells it: the handler, then the timings. @internal */
export function renderProbe(p: PlanProbe): Plain<k8s.Probe> {
  const probe: Writable<Plain<k8s.Probe>> = {};
  switch (p.type) {
    case ProbeType.HTTP: {
      const httpGet: Writable<Plain<k8s.HttpGetAction>> = { path: p.path, port: p.port as any, scheme: p.scheme };
      if (p.headers) httpGet.httpHeaders = p.headers.map(h => ({ ...h }));
      probe.httpGet = httpGet;
      break;
    }
    case ProbeType.GRPC:
      probe.grpc = p.service ? { port: p.port!, service: p.service } : { port: p.port! };
      break;
    case ProbeType.TCP:
      probe.tcpSocket = { port: p.port as any };
      break;
    default:
      probe.exec = { command: p.command };
  }
  probe.initialDelaySeconds = p.initialDelaySeconds;
  probe.periodSeconds = p.periodSeconds;
  probe.timeoutSeconds = p.timeoutSeconds;
  probe.failureThreshold = p.failureThreshold;
  probe.successThreshold = p.successThreshold;
  return probe;
}

/** Sets a container's probe fields, in output order. @internal */
export function setProbes(
  container: Writable<Plain<k8s.Container>>, probes: { startup?: PlanProbe; readiness?: PlanProbe; liveness?: PlanProbe },
): void {
  if (probes.startup) container.startupProbe = renderProbe(probes.startup);
  if (probes.readiness) container.readinessProbe = renderProbe(probes.readiness);
  if (probes.liveness) container.livenessProbe = renderProbe(probes.liveness);
}

/** Sets the main container's probes and preStop hook. @internal */
export function setContainerLifecycle(container: Writable<Plain<k8s.Container>>, c: PlanComponent): void {
  const { probes, preStop } = c.pod;
  setProbes(container, probes);
  if (preStop) container.lifecycle = { preStop: { exec: { command: preStop.command } } };
}

/** Sets the scheduling and shutdown fields of the pod spec, in output order. @internal */
export function setPodScheduling(spec: Partial<Writable<Plain<k8s.PodSpec>>>, c: PlanComponent): void {
  const { placement: pl, spread, preStop, terminationGracePeriodSeconds: grace } = c.pod;
  if (preStop || grace !== 30) spec.terminationGracePeriodSeconds = grace;
  if (Object.keys(pl.nodeSelector).length > 0) spec.nodeSelector = pl.nodeSelector;
  if (pl.required.length > 0 || pl.preferred.length > 0) {
    const nodeAffinity: Writable<Plain<k8s.NodeAffinity>> = {};
    if (pl.required.length > 0) {
      // one term: its expressions must all hold (terms would be alternatives)
      nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution = { nodeSelectorTerms: [{ matchExpressions: pl.required.map(r => ({ ...r })) }] };
    }
    if (pl.preferred.length > 0) {
      nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution = pl.preferred
        .map(({ weight, ...r }) => ({ weight, preference: { matchExpressions: [r] } }));
    }
    spec.affinity = { nodeAffinity };
  }
  if (pl.tolerations.length > 0) spec.tolerations = pl.tolerations.map(t => ({ ...t }));
  if (pl.priorityClassName) spec.priorityClassName = pl.priorityClassName;
  if (spread.length > 0) {
    spec.topologySpreadConstraints = spread.map(s => ({
      topologyKey: s.topologyKey,
      maxSkew: s.maxSkew,
      whenUnsatisfiable: s.whenUnsatisfiable,
      labelSelector: { matchLabels: c.labels },
      // count each revision's pods apart, so a rolling update is spread too (the label each controller sets)
      matchLabelKeys: [c.stateful ? 'controller-revision-hash' : 'pod-template-hash'],
      // nodes the pods cannot run on (taints) are no domain to balance over
      nodeTaintsPolicy: 'Honor',
    }));
  }
}

/** Sets the Deployment's strategy, minReadySeconds and progressDeadlineSeconds. @internal */
export function setDeploymentStrategy(spec: Partial<Writable<Plain<k8s.DeploymentSpec>>>, c: PlanComponent): void {
  const r = c.pod.rollout;
  if (!r) return;
  spec.strategy = r.type === RolloutStrategy.RECREATE ? { type: 'Recreate' }
    : { type: 'RollingUpdate', rollingUpdate: { maxSurge: r.maxSurge as any, maxUnavailable: r.maxUnavailable as any } };
  if (r.minReadySeconds !== undefined) spec.minReadySeconds = r.minReadySeconds;
  if (r.progressDeadlineSeconds !== undefined) spec.progressDeadlineSeconds = r.progressDeadlineSeconds;
}

/** The user's own labels and annotations added to generated ones (generated keys win; reserved keys were refused). @internal */
export function withUserMetadata<T extends { labels?: Record<string, string>; annotations?: Record<string, string> }>(c: PlanComponent, m: T): T {
  const { labels, annotations } = c.pod;
  const hasLabels = Object.keys(labels).length > 0;
  const hasAnnotations = Object.keys(annotations).length > 0;
  if (!hasLabels && !hasAnnotations) return m;
  return {
    ...m,
    ...(hasLabels ? { labels: { ...labels, ...m.labels } } : {}),
    ...(hasAnnotations || m.annotations ? { annotations: { ...annotations, ...(m.annotations ?? {}) } } : {}),
  };
}
