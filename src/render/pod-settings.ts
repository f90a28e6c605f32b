import { k8s } from 'cdk8s-plus-28';
import { Plain } from './json';
import { ProbeType } from '../model/probe';
import { RolloutStrategy } from '../model/rollout';
import type { PlanComponent } from '../resolve/plan';
import type { PlanProbe } from '../resolve/pod-settings';

/** A probe as the Container API spells it. @internal */
export function renderProbe(p: PlanProbe): Plain<k8s.Probe> {
  const timings = {
    initialDelaySeconds: p.initialDelaySeconds,
    periodSeconds: p.periodSeconds,
    timeoutSeconds: p.timeoutSeconds,
    failureThreshold: p.failureThreshold,
    successThreshold: p.successThreshold,
  };
  switch (p.type) {
    case ProbeType.HTTP: return {
      httpGet: { path: p.path, port: p.port as any, scheme: p.scheme, ...(p.headers ? { httpHeaders: p.headers.map(h => ({ ...h })) } : {}) },
      ...timings,
    };
    case ProbeType.GRPC: return { grpc: { port: p.port!, ...(p.service ? { service: p.service } : {}) }, ...timings };
    case ProbeType.TCP: return { tcpSocket: { port: p.port as any }, ...timings };
    default: return { exec: { command: p.command }, ...timings };
  }
}

/** A container's probe fields, in output order. @internal */
export function probeFields(probes: { startup?: PlanProbe; readiness?: PlanProbe; liveness?: PlanProbe }): Partial<Plain<k8s.Container>> {
  return {
    ...(probes.startup ? { startupProbe: renderProbe(probes.startup) } : {}),
    ...(probes.readiness ? { readinessProbe: renderProbe(probes.readiness) } : {}),
    ...(probes.liveness ? { livenessProbe: renderProbe(probes.liveness) } : {}),
  };
}

/** The main container's probes and preStop hook. @internal */
export function containerLifecycle(c: PlanComponent): Partial<Plain<k8s.Container>> {
  const { probes, preStop } = c.pod;
  return {
    ...probeFields(probes),
    ...(preStop ? { lifecycle: { preStop: { exec: { command: preStop.command } } } } : {}),
  };
}

/** Scheduling and shutdown fields of the pod spec. @internal */
export function podScheduling(c: PlanComponent): Partial<Plain<k8s.PodSpec>> {
  const { placement: pl, spread, preStop, terminationGracePeriodSeconds: grace } = c.pod;
  const affinity = pl.required.length > 0 || pl.preferred.length > 0 ? {
    nodeAffinity: {
      ...(pl.required.length > 0 ? {
        // one term: its expressions must all hold (terms would be alternatives)
        requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: pl.required.map(r => ({ ...r })) }] },
      } : {}),
      ...(pl.preferred.length > 0 ? {
        preferredDuringSchedulingIgnoredDuringExecution: pl.preferred.map(({ weight, ...r }) => ({ weight, preference: { matchExpressions: [r] } })),
      } : {}),
    },
  } : undefined;
  return {
    ...(preStop || grace !== 30 ? { terminationGracePeriodSeconds: grace } : {}),
    ...(Object.keys(pl.nodeSelector).length > 0 ? { nodeSelector: pl.nodeSelector } : {}),
    ...(affinity ? { affinity } : {}),
    ...(pl.tolerations.length > 0 ? { tolerations: pl.tolerations.map(t => ({ ...t })) } : {}),
    ...(pl.priorityClassName ? { priorityClassName: pl.priorityClassName } : {}),
    ...(spread.length > 0 ? {
      topologySpreadConstraints: spread.map(s => ({
        topologyKey: s.topologyKey,
        maxSkew: s.maxSkew,
        whenUnsatisfiable: s.whenUnsatisfiable,
        labelSelector: { matchLabels: c.labels },
        // count each revision's pods apart, so a rolling update is spread too (the label each controller sets)
        matchLabelKeys: [c.stateful ? 'controller-revision-hash' : 'pod-template-hash'],
        // nodes the pods cannot run on (taints) are no domain to balance over
        nodeTaintsPolicy: 'Honor',
      })),
    } : {}),
  };
}

/** The Deployment's strategy, minReadySeconds and progressDeadlineSeconds. @internal */
export function deploymentStrategy(c: PlanComponent): Partial<Plain<k8s.DeploymentSpec>> {
  const r = c.pod.rollout;
  if (!r) return {};
  return {
    strategy: r.type === RolloutStrategy.RECREATE ? { type: 'Recreate' }
      : { type: 'RollingUpdate', rollingUpdate: { maxSurge: r.maxSurge as any, maxUnavailable: r.maxUnavailable as any } },
    ...(r.minReadySeconds !== undefined ? { minReadySeconds: r.minReadySeconds } : {}),
    ...(r.progressDeadlineSeconds !== undefined ? { progressDeadlineSeconds: r.progressDeadlineSeconds } : {}),
  };
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
