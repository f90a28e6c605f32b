import { formatBytes, formatCpu, ceilMebibytes } from '../model/capacity';
import { cpuMillis, memoryBytes } from '../model/checks';
import { compareText, tableCell } from '../render/markdown';
import type { RenderedDocument } from '../render/types';
import { Cell, Plan } from '../resolve/plan';
import { cellDemandOf, reservedOf } from '../resolve/quota';

const mem = (n: number) => formatBytes(ceilMebibytes(n));

/** `a of b (p%)`, or `a` when there is no capacity to compare with. */
function against(used: number, declared: string | undefined, fmt: (n: number) => string, parse: (s: string) => number): string {
  if (declared === undefined) return fmt(used);
  const cap = parse(declared);
  return `${fmt(used)} of ${declared} (${Math.round((used / cap) * 100)}%)`;
}

/**
 * `<data plane>/capacity.md` for each data plane that declares capacity or has an environment with
 * quotas or capacity: per environment and project, what the cell requests and may use at its peak
 * (highest replica count with rollout surge), its quota, and the totals against the capacity. @internal
 */
export function renderCapacityReports(plan: Plan): RenderedDocument[] {
  return plan.dataPlanes.flatMap(dp => {
    const envs = plan.environments.filter(e => e.dataPlane === dp.name);
    const cells = plan.cells.filter(c => c.dataPlane === dp.name);
    if (!dp.capacity && !envs.some(e => e.capacity) && !cells.some(c => c.quota)) return [];
    const lines: string[] = [`# Capacity of data plane ${dp.name}`, ''];
    lines.push('What each cell (environment × project) declares at its peak: every container (main, sidecars; init containers count when larger), times the highest replica count (autoscaler maximum, plus rolling-update surge), and its ResourceQuota (that, times the environment\'s quota headroom). Capacity is checked against the quota\'s requests (or the plain requests where an environment has no quotas); synthesis fails when they do not fit.', '');
    const total = { cpu: 0, memory: 0, storage: 0 };
    for (const c of cells) {
      const r = reservedOf(c);
      total.cpu += r.cpu; total.memory += r.memory; total.storage += r.storage;
    }
    const cap = dp.capacity;
    lines.push('| | CPU | Memory | Storage |', '| --- | --- | --- | --- |');
    lines.push(`| Reserved by all cells | ${against(total.cpu, cap?.cpu, formatCpu, cpuMillis)} | ${against(total.memory, cap?.memory, mem, memoryBytes)} | ${against(total.storage, cap?.storage, mem, memoryBytes)} |`);
    lines.push(`| Declared capacity | ${cap?.cpu ?? 'not declared'} | ${cap?.memory ?? 'not declared'} | ${cap?.storage ?? 'not declared'} |`, '');
    for (const env of [...envs].sort((a, b) => compareText(a.name, b.name))) {
      const mine = cells.filter(c => c.environment === env.name).sort((a, b) => compareText(a.project, b.project));
      lines.push(`## Environment ${env.name}`, '');
      if (env.capacity) lines.push(`Declared capacity: CPU ${env.capacity.cpu ?? 'not declared'}, memory ${env.capacity.memory ?? 'not declared'}, storage ${env.capacity.storage ?? 'not declared'}.`, '');
      if (mine.length === 0) { lines.push('No cells.', ''); continue; }
      lines.push('| Project | Pods | CPU request | CPU limit | Memory request | Memory limit | Claims | Storage | Quota (requests.cpu, requests.memory, requests.storage) |',
        '| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
      for (const c of mine) lines.push(row(c));
      lines.push('');
    }
    return [{ file: `${dp.name}/capacity.md`, content: lines.join('\n') }];
  });
}

function row(c: Cell): string {
  const d = cellDemandOf(c);
  const q = c.quota ? `${c.quota.hard['requests.cpu']}, ${c.quota.hard['requests.memory']}, ${c.quota.hard['requests.storage']} (×${c.quota.headroom})` : 'none';
  return `| ${tableCell(c.project)} | ${d.pods} | ${formatCpu(d.cpuRequest)} | ${formatCpu(d.cpuLimit)} | ${mem(d.memoryRequest)} | ${mem(d.memoryLimit)} | ${d.claims} | ${mem(d.storage)} | ${q} |`;
}
