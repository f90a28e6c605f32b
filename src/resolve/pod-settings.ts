import { none, orNone, SharedValues } from './memo';
import type { PlanAutoscaling, PlanDisruptionBudget, PlanEndpoint } from './plan';
import { Component } from '../model/component';
import { kindTraits } from '../model/component-kind';
import { Environment } from '../model/environment';
import { ProblemCollector } from '../model/errors';
import { EnvironmentOverrides, DisruptionBudgetKind } from '../model/options';
import { NodeLabelOperator, Placement, SpreadWhenUnsatisfiable, TolerationOperator } from '../model/placement';
import { GATEWAY_DRAIN_SECONDS, PreStopType } from '../model/pod-settings';
import { Probe, PROBE_KINDS, ProbeScheme, ProbeType } from '../model/probe';
import { RolloutStrategy } from '../model/rollout';

/** A probe with its port resolved and every timing filled in. @internal */
export interface PlanProbe {
  readonly type: ProbeType;
  readonly port?: number;
  /** The endpoint the port belongs to, if any. */
  readonly endpoint?: string;
  readonly path?: string;
  readonly scheme?: ProbeScheme;
  readonly headers?: Array<{ readonly name: string; readonly value: string }>;
  readonly service?: string;
  readonly command?: string[];
  readonly initialDelaySeconds: number;
  readonly periodSeconds: number;
  readonly timeoutSeconds: number;
  readonly failureThreshold: number;
  readonly successThreshold: number;
}

/** A Deployment's strategy. @internal */
export interface PlanRollout {
  readonly type: RolloutStrategy;
  readonly maxSurge?: number | string;
  readonly maxUnavailable?: number | string;
  readonly minReadySeconds?: number;
  readonly progressDeadlineSeconds?: number;
}

/** A topology spread constraint. @internal */
export interface PlanSpread {
  readonly topologyKey: string;
  readonly maxSkew: number;
  readonly whenUnsatisfiable: SpreadWhenUnsatisfiable;
}

/** Merged placement (data plane, environment, component, override). @internal */
export interface PlanPlacement {
  readonly nodeSelector: Record<string, string>;
  readonly tolerations: Array<{ key?: string; operator: TolerationOperator; value?: string; effect?: string; tolerationSeconds?: number }>;
  readonly required: Array<{ key: string; operator: NodeLabelOperator; values?: string[] }>;
  readonly preferred: Array<{ weight: number; key: string; operator: NodeLabelOperator; values?: string[] }>;
  readonly priorityClassName?: string;
}

/** The pod-level settings of a component in one environment. @internal */
export interface PlanPodSettings {
  readonly probes: { readonly startup?: PlanProbe; readonly readiness?: PlanProbe; readonly liveness?: PlanProbe };
  /** Deployment-backed components only. */
  readonly rollout?: PlanRollout;
  readonly spread: PlanSpread[];
  readonly placement: PlanPlacement;
  readonly terminationGracePeriodSeconds: number;
  /** The preStop command and why it is there. */
  readonly preStop?: { readonly command: string[]; readonly reason: 'declared' | 'gateway drain' };
  /** The user's own labels and annotations (workload and pods), sorted by key. */
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
}

/** What the pod settings depend on besides the component. @internal */
export interface PodSettingsContext {
  readonly env: Environment;
  readonly endpoints: PlanEndpoint[];
  /** The metrics container port, if the container has one of its own. */
  readonly metricsPort?: number;
  /** Whether a gateway routes to the component in this environment. */
  readonly routed: boolean;
  readonly replicas?: number;
  readonly autoscaling?: PlanAutoscaling;
  readonly disruptionBudget?: PlanDisruptionBudget;
  /** {@link environmentPlacement} of `env`, computed once per environment. */
  readonly environmentPlacement: PlanPlacement;
  /** {@link environmentSpread} of `env`, computed once per environment. */
  readonly environmentSpread: PlanSpread[];
  /** Values many components resolve to alike. */
  readonly shared: SharedValues;
}

/** The preStop hook of routed components that declare none (one object for all of them). */
const GATEWAY_DRAIN: PlanPodSettings['preStop'] = Object.freeze({ command: Object.freeze(['sleep', String(GATEWAY_DRAIN_SECONDS)]) as string[], reason: 'gateway drain' });

const secondsOf = (d: { toSeconds(): number } | undefined, fallback: number) => (d === undefined ? fallback : d.toSeconds());
/** The empty record components without labels or annotations share (frozen: the plan is read-only). */
const NO_ENTRIES: Record<string, string> = Object.freeze({}) as Record<string, string>;
const sortedRecord = (r: Record<string, string>) => {
  const entries = Object.entries(r);
  return entries.length === 0 ? NO_ENTRIES : Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
};

/** Resolves probes, rollout, spreading, placement, shutdown and user metadata. @internal */
export function resolvePodSettings(c: Component, ctx: PodSettingsContext, problems: ProblemCollector): PlanPodSettings {
  const { env } = ctx;
  const p = c._props;
  const o: EnvironmentOverrides = c._overrides.get(env) ?? {};
  const isDeployment = kindTraits(c.kind).workload === 'Deployment';
  const replicated = isDeployment || kindTraits(c.kind).workload === 'StatefulSet';
  const declared = { ...(p.probes ?? {}), ...(o.probes ?? {}) };
  const probes: { startup?: PlanProbe; readiness?: PlanProbe; liveness?: PlanProbe } = {};
  for (const kind of PROBE_KINDS) {
    const probe = declared[kind];
    if (probe) probes[kind] = resolveProbe(c, env, kind, probe, ctx, problems);
  }
  checkEagerness(c, env, probes, problems);

  const grace = secondsOf(o.terminationGracePeriod ?? p.terminationGracePeriod, 30);
  const hook = o.preStop ?? p.preStop;
  let preStop: PlanPodSettings['preStop'];
  if (hook === undefined) {
    if (ctx.routed) preStop = GATEWAY_DRAIN;
  } else if (hook.type === PreStopType.SLEEP) {
    preStop = { command: ['sleep', String(hook.duration!.toSeconds())], reason: 'declared' };
  } else if (hook.type === PreStopType.EXEC) {
    preStop = { command: [...hook.command!], reason: 'declared' };
  }
  const sleep = preStop?.command[0] === 'sleep' ? Number(preStop.command[1]) : undefined;
  if (sleep !== undefined && sleep >= grace) {
    problems.add(c, `the preStop sleep of ${sleep}s${preStop!.reason === 'gateway drain' ? ' (gateway drain delay)' : ''} is not shorter than terminationGracePeriod ${grace}s in '${env.name}', so the container would be killed before it sees SIGTERM`,
      `set terminationGracePeriod above ${sleep}s (e.g. Duration.seconds(${sleep + 30})), or preStop: PreStop.none()`);
  }

  return {
    probes,
    rollout: isDeployment ? resolveRollout(c, ctx, o, problems) : undefined,
    spread: replicated ? resolveSpread(ctx) : none(),
    placement: p.placement === undefined && o.placement === undefined ? ctx.environmentPlacement
      : mergePlacement([env.dataPlane.placement, env.placement, p.placement, o.placement]),
    terminationGracePeriodSeconds: grace,
    preStop,
    labels: sortedRecord({ ...(p.labels ?? {}), ...(o.labels ?? {}) }),
    annotations: sortedRecord({ ...(p.annotations ?? {}), ...(o.annotations ?? {}) }),
  };
}

function resolveProbe(c: Component, env: Environment, kind: string, probe: Probe, ctx: PodSettingsContext, problems: ProblemCollector): PlanProbe {
  if (probe.type === ProbeType.EXEC) return planProbe(probe, undefined);
  const opts = probe._options;
  let port = opts.port;
  let endpoint: string | undefined;
  if (opts.endpoint !== undefined) {
    const ep = ctx.endpoints.find(e => e.name === opts.endpoint);
    if (!ep) {
      problems.add(c, `${kind} probe names endpoint '${opts.endpoint}', which component '${c.name}' does not serve`,
        `use one of its endpoints (${ctx.endpoints.map(e => `'${e.name}'`).join(', ') || 'none declared'}) or a container port`);
    } else if (ep.protocol === 'UDP') {
      problems.add(c, `${kind} probe names UDP endpoint '${ep.name}'`, 'probe a TCP endpoint, or use Probe.exec([...])');
    } else {
      port = ep.targetPort;
      endpoint = ep.name;
    }
  } else {
    const ports = [...ctx.endpoints.filter(e => e.protocol === 'TCP').map(e => e.targetPort), ...(ctx.metricsPort ? [ctx.metricsPort] : [])];
    const ep = ctx.endpoints.find(e => e.targetPort === port && e.protocol === 'TCP');
    endpoint = ep?.name;
    if (!ports.includes(port!)) {
      problems.add(c, `${kind} probe port ${port} in '${env.name}' is not a container port of component '${c.name}'`,
        `probe one of its TCP container ports (${ports.join(', ') || 'none declared'}), or name an endpoint`);
    }
  }
  return planProbe(probe, port, endpoint);
}

/** A probe with its timings defaulted, aimed at `port` (network probes) or running its command. @internal */
export function planProbe(probe: Probe, port: number | undefined, endpoint?: string): PlanProbe {
  const t = probe.timings;
  const timings = {
    initialDelaySeconds: secondsOf(t.initialDelay, 0),
    periodSeconds: secondsOf(t.period, 10),
    timeoutSeconds: secondsOf(t.timeout, 1),
    failureThreshold: t.failureThreshold ?? 3,
    successThreshold: t.successThreshold ?? 1,
  };
  if (probe.type === ProbeType.EXEC) return { type: probe.type, command: [...probe.command!], ...timings };
  const opts = probe._options;
  // One literal per kind, no `{ ...base, path }`: V8 gives each object a spread adds properties to a hidden class of its own.
  if (probe.type === ProbeType.HTTP) {
    const headers = Object.entries(opts.headers ?? {}).sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, value]) => ({ name, value }));
    return {
      type: probe.type,
      port,
      ...(endpoint ? { endpoint } : {}),
      ...timings,
      path: opts.path ?? '/',
      scheme: opts.scheme ?? ProbeScheme.HTTP,
      ...(headers.length ? { headers } : {}),
    };
  }
  if (probe.type === ProbeType.GRPC) {
    return { type: probe.type, port, ...(endpoint ? { endpoint } : {}), ...timings, ...(opts.service ? { service: opts.service } : {}) };
  }
  return { type: probe.type, port, ...(endpoint ? { endpoint } : {}), ...timings };
}

/** A liveness probe must not restart a container sooner than readiness takes it out of traffic. */
function checkEagerness(c: Component, env: Environment, probes: PlanPodSettings['probes'], problems: ProblemCollector): void {
  const { liveness: l, readiness: r } = probes;
  if (!l || !r) return;
  const failAfter = (x: PlanProbe) => x.initialDelaySeconds + x.periodSeconds * x.failureThreshold;
  if (failAfter(l) < failAfter(r) || (!probes.startup && l.initialDelaySeconds < r.initialDelaySeconds)) {
    problems.add(c, `liveness probe in '${env.name}' is more eager than readiness (restarts after ${failAfter(l)}s at the earliest, initial delay ${l.initialDelaySeconds}s; readiness fails after ${failAfter(r)}s, initial delay ${r.initialDelaySeconds}s)`,
      'give liveness at least the initial delay and period × failureThreshold of readiness (or add a startup probe for slow starts)');
  }
}

/** Pods Kubernetes allows down (unavailable, rounded down) or extra (surge, rounded up). */
function podsOf(value: number | string, replicas: number, roundUp: boolean): number {
  if (typeof value === 'number') return value;
  const exact = (Number(value.slice(0, -1)) * replicas) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

function resolveRollout(c: Component, ctx: PodSettingsContext, o: EnvironmentOverrides, problems: ProblemCollector): PlanRollout {
  const p = c._props;
  const { env } = ctx;
  const minReady = secondsOf(o.minReady ?? p.minReady, 0);
  const deadline = secondsOf(o.progressDeadline ?? p.progressDeadline, 600);
  if (deadline <= minReady) {
    problems.add(c, `progressDeadline ${deadline}s does not exceed minReady ${minReady}s in '${env.name}'`, `set progressDeadline above ${minReady}s`);
  }
  const timing = {
    ...((o.minReady ?? p.minReady) !== undefined ? { minReadySeconds: minReady } : {}),
    ...((o.progressDeadline ?? p.progressDeadline) !== undefined ? { progressDeadlineSeconds: deadline } : {}),
  };
  const r = o.rollout ?? p.rollout;
  const budget = ctx.disruptionBudget;
  if (r?.strategy === RolloutStrategy.RECREATE) {
    if (budget) {
      problems.add(c, `rollout Recreate stops every pod at once in '${env.name}', against its disruption budget ${budget.kind}=${budget.value}`,
        'use Rollout.rolling() to keep the budget during updates, or remove the disruption budget');
    }
    return { type: RolloutStrategy.RECREATE, ...timing };
  }
  const ro = r?.rollingOptions ?? {};
  const maxSurge = ro.maxSurge ?? `${ro.maxSurgePercent ?? 25}%`;
  const maxUnavailable = ro.maxUnavailable ?? (ro.maxUnavailablePercent !== undefined ? `${ro.maxUnavailablePercent}%` : env.isProduction ? 0 : '25%');
  const replicas = ctx.autoscaling?.minReplicas ?? ctx.replicas ?? 0;
  if (replicas > 0 && podsOf(maxSurge, replicas, true) === 0 && podsOf(maxUnavailable, replicas, false) === 0) {
    problems.add(c, `rollout with maxSurge ${maxSurge} and maxUnavailable ${maxUnavailable} of ${replicas} replica(s) in '${env.name}' can replace no pod`,
      'allow a surge of at least one pod (e.g. maxSurge: 1)');
  }
  if (budget && replicas > 0) {
    const allowed = budget.kind === DisruptionBudgetKind.MAX_UNAVAILABLE
      ? podsOf(budget.value, replicas, true)
      : replicas - podsOf(budget.value, replicas, true);
    const down = podsOf(maxUnavailable, replicas, false);
    if (down > allowed) {
      problems.add(c, `rollout maxUnavailable ${maxUnavailable} (${down} of ${replicas} pods) in '${env.name}' exceeds what its disruption budget ${budget.kind}=${budget.value} allows (${allowed})`,
        `lower maxUnavailable to ${allowed} or less (surge instead), or loosen the disruption budget`);
    }
  }
  if (timing.minReadySeconds !== undefined || timing.progressDeadlineSeconds !== undefined) {
    return { type: RolloutStrategy.ROLLING, maxSurge, maxUnavailable, ...timing };
  }
  // the common rollout: one object per distinct surge and unavailability
  return ctx.shared.get(`rollout ${typeof maxSurge} ${maxSurge} ${typeof maxUnavailable} ${maxUnavailable}`,
    () => ({ type: RolloutStrategy.ROLLING, maxSurge, maxUnavailable }));
}

function resolveSpread(ctx: PodSettingsContext): PlanSpread[] {
  const most = ctx.autoscaling?.maxReplicas ?? ctx.replicas ?? 0;
  return most < 2 ? none() : ctx.environmentSpread;
}

/** The topology spread of components with two or more replicas in `env`. @internal */
export function environmentSpread(env: Environment): PlanSpread[] {
  const s = env.topologySpread;
  const keys = env.dataPlane._topologyKeys;
  const maxSkew = s.options.maxSkew ?? 1;
  const out: PlanSpread[] = [];
  if (s.acrossZones) out.push({ topologyKey: keys.zone, maxSkew, whenUnsatisfiable: s.options.zones ?? SpreadWhenUnsatisfiable.SCHEDULE_ANYWAY });
  if (s.acrossNodes) out.push({ topologyKey: keys.node, maxSkew, whenUnsatisfiable: s.options.nodes ?? SpreadWhenUnsatisfiable.SCHEDULE_ANYWAY });
  return orNone(out);
}

/** The placement of components that declare none in `env`: its data plane's, then its own. @internal */
export function environmentPlacement(env: Environment): PlanPlacement {
  return mergePlacement([env.dataPlane.placement, env.placement]);
}

/** Merges placements in order: selector keys and priority class of later levels win; tolerations and node labels add up (duplicates once). */
function mergePlacement(levels: Array<Placement | undefined>): PlanPlacement {
  const nodeSelector: Record<string, string> = {};
  const tolerations = new Map<string, PlanPlacement['tolerations'][number]>();
  const required = new Map<string, PlanPlacement['required'][number]>();
  const preferred = new Map<string, PlanPlacement['preferred'][number]>();
  let priorityClassName: string | undefined;
  for (const l of levels) {
    if (!l) continue;
    Object.assign(nodeSelector, l.nodeSelector ?? {});
    for (const t of l.tolerations ?? []) {
      const v = {
        ...(t.key !== undefined ? { key: t.key } : {}),
        operator: t.operator ?? TolerationOperator.EQUAL,
        ...(t.value !== undefined ? { value: t.value } : {}),
        ...(t.effect !== undefined ? { effect: t.effect } : {}),
        ...(t.tolerationSeconds !== undefined ? { tolerationSeconds: t.tolerationSeconds } : {}),
      };
      tolerations.set(JSON.stringify(v), v);
    }
    for (const r of l.nodeLabels ?? []) {
      const term = { key: r.key, operator: r.operator, ...(r.values?.length ? { values: [...r.values] } : {}) };
      if (r.preferenceWeight === undefined) required.set(JSON.stringify(term), term);
      else preferred.set(JSON.stringify(term), { weight: r.preferenceWeight, ...term });
    }
    priorityClassName = l.priorityClassName ?? priorityClassName;
  }
  return {
    nodeSelector: sortedRecord(nodeSelector),
    tolerations: [...tolerations.values()],
    required: [...required.values()],
    preferred: [...preferred.values()],
    ...(priorityClassName ? { priorityClassName } : {}),
  };
}
