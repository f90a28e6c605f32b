import type { Cell, PlanComponent, PlanResources } from './plan';

/** The fields of a component that quotas count (a draft before network attachment has them). @internal */
export type QuotaComponent = Pick<PlanComponent, 'schedule' | 'autoscaling' | 'replicas' | 'pod' | 'resources' | 'sidecars' | 'initContainers' | 'stateful'>;
import { resourceQuotaEntries } from './resources';
import { ceilMebibytes, formatBytes, formatCpu } from '../model/capacity';
import { cpuMillis, memoryBytes } from '../model/checks';
import { DataPlane } from '../model/data-plane';
import { Environment } from '../model/environment';
import { ProblemCollector } from '../model/errors';
import { RolloutStrategy } from '../model/rollout';

/** What a cell declares, summed at its highest pod count (exact: millicores and bytes). @internal */
export interface CellDemand {
  readonly cpuRequest: number;
  readonly cpuLimit: number;
  readonly memoryRequest: number;
  readonly memoryLimit: number;
  readonly pods: number;
  readonly claims: number;
  readonly storage: number;
}

/** A cell's ResourceQuota and LimitRange, with the demand they were computed from. @internal */
export interface PlanQuota {
  readonly headroom: number;
  readonly demand: CellDemand;
  /** The ResourceQuota's `hard`, formatted (demand × headroom, rounded up). */
  readonly hard: Record<string, string>;
  /** The organization's default container resources (the LimitRange's default and defaultRequest). */
  readonly defaults: PlanResources;
}

/** The most pods a component runs at once: HPA maximum (or fixed replicas) plus rolling-update surge. @internal */
export function peakPods(c: QuotaComponent): number {
  if (c.schedule) return 1;
  const replicas = c.autoscaling?.maxReplicas ?? c.replicas ?? 0;
  const r = c.pod.rollout;
  if (!r || r.type !== RolloutStrategy.ROLLING || r.maxSurge === undefined || replicas === 0) return replicas;
  const surge = typeof r.maxSurge === 'number' ? r.maxSurge : Math.ceil((Number(r.maxSurge.slice(0, -1)) * replicas) / 100);
  return replicas + surge;
}

/**
 * One pod's effective requests and limits, as the scheduler and quota count them: the larger of the
 * biggest init container and the sum of the main container and its sidecars. @internal
 */
export function podResources(c: QuotaComponent): { cpuRequest: number; cpuLimit: number; memoryRequest: number; memoryLimit: number } {
  const running = [c.resources, ...c.sidecars.map(s => s.resources)];
  const init = c.initContainers.map(i => i.resources);
  const sum = (f: (r: PlanResources) => number) => running.reduce((a, r) => a + f(r), 0);
  const top = (f: (r: PlanResources) => number) => init.reduce((a, r) => Math.max(a, f(r)), 0);
  const eff = (f: (r: PlanResources) => number) => Math.max(sum(f), top(f));
  return {
    cpuRequest: eff(r => cpuMillis(r.requests.cpu)),
    cpuLimit: eff(r => cpuMillis(r.limits.cpu)),
    memoryRequest: eff(r => memoryBytes(r.requests.memory)),
    memoryLimit: eff(r => memoryBytes(r.limits.memory)),
  };
}

/** What a cell's components declare at their peak. @internal */
export function cellDemand(components: readonly QuotaComponent[]): CellDemand {
  let cpuRequest = 0, cpuLimit = 0, memoryRequest = 0, memoryLimit = 0, pods = 0, claims = 0, storage = 0;
  for (const c of components) {
    const n = peakPods(c);
    const r = podResources(c);
    cpuRequest += r.cpuRequest * n;
    cpuLimit += r.cpuLimit * n;
    memoryRequest += r.memoryRequest * n;
    memoryLimit += r.memoryLimit * n;
    pods += n;
    for (const v of c.stateful?.volumes ?? []) {
      claims += n;
      storage += memoryBytes(v.size) * n;
    }
  }
  return { cpuRequest, cpuLimit, memoryRequest, memoryLimit, pods, claims, storage };
}

/** A cell's quota in an environment with quotas on; undefined otherwise. @internal */
export function resolveCellQuota(env: Environment, defaults: PlanResources, components: readonly QuotaComponent[]): PlanQuota | undefined {
  if (env.quotaHeadroom === undefined) return undefined;
  const h = env.quotaHeadroom;
  const d = cellDemand(components);
  const hard: Record<string, string> = {
    'limits.cpu': formatCpu(d.cpuLimit * h),
    'limits.memory': formatBytes(ceilMebibytes(d.memoryLimit * h)),
    'persistentvolumeclaims': String(Math.ceil(d.claims * h)),
    'pods': String(Math.ceil(d.pods * h)),
    'requests.cpu': formatCpu(d.cpuRequest * h),
    'requests.memory': formatBytes(ceilMebibytes(d.memoryRequest * h)),
    'requests.storage': formatBytes(ceilMebibytes(d.storage * h)),
  };
  return { headroom: h, demand: d, hard, defaults };
}

/** What a cell declares at its peak, its managed resources included (the quota's demand where it has one). @internal */
export function cellDemandOf(cell: Cell): CellDemand {
  if (cell.quota) return cell.quota.demand;
  // without a quota there is no LimitRange: containers that set no resources (the pooler's) request nothing
  const none = { requests: { cpu: '0', memory: '0' }, limits: { cpu: '0', memory: '0' } };
  return cellDemand([...cell.components, ...resourceQuotaEntries(cell.resources, none)]);
}

/** The quota's requests (after headroom) of a cell, or its plain demand without quotas: what capacity is checked against. @internal */
export function reservedOf(cell: Cell): { cpu: number; memory: number; storage: number } {
  if (cell.quota) {
    const h = cell.quota.hard;
    return { cpu: cpuMillis(h['requests.cpu']), memory: memoryBytes(h['requests.memory']), storage: memoryBytes(h['requests.storage']) };
  }
  const d = cellDemandOf(cell);
  return { cpu: d.cpuRequest, memory: d.memoryRequest, storage: d.storage };
}

/**
 * Fails when the cells on a data plane (or in an environment) reserve more than its declared
 * capacity. @internal
 */
export function checkCapacityFit(
  dataPlanes: readonly DataPlane[], environments: readonly Environment[], cells: readonly Cell[], problems: ProblemCollector,
): void {
  const check = (scope: DataPlane | Environment, what: string, mine: readonly Cell[]) => {
    const cap = scope.capacity;
    if (!cap) return;
    const total = { cpu: 0, memory: 0, storage: 0 };
    for (const c of mine) {
      const r = reservedOf(c);
      total.cpu += r.cpu; total.memory += r.memory; total.storage += r.storage;
    }
    const over = (field: 'cpu' | 'memory' | 'storage', declared: string | undefined, used: number, fmt: (n: number) => string, parse: (s: string) => number) => {
      if (declared === undefined || used <= parse(declared)) return;
      const by = mine.map(c => `${c.environment}/${c.project} ${fmt(reservedOf(c)[field])}`).join(', ');
      problems.add(scope, `${what} needs ${fmt(used)} of ${field} for its cells (${by}) but declares capacity.${field} '${declared}'`,
        `raise capacity.${field} to at least ${fmt(used)}, or lower the components' requests, replicas, volume sizes or the environments' quotaHeadroom`);
    };
    over('cpu', cap.cpu, total.cpu, formatCpu, cpuMillis);
    over('memory', cap.memory, total.memory, n => formatBytes(ceilMebibytes(n)), memoryBytes);
    over('storage', cap.storage, total.storage, n => formatBytes(ceilMebibytes(n)), memoryBytes);
  };
  for (const dp of dataPlanes) check(dp, `data plane '${dp.name}'`, cells.filter(c => c.dataPlane === dp.name));
  for (const env of environments) check(env, `environment '${env.name}'`, cells.filter(c => c.environment === env.name));
}
