import { IConstruct } from 'constructs';
import { checkCpu, checkMemory, cpuMillis, memoryBytes } from './checks';
import { fail } from './errors';

/** Allocatable capacity of a data plane or an environment (what its nodes offer to workloads). */
export interface Capacity {
  /**
   * Allocatable CPU, e.g. `'48'` or `'47500m'`.
   * @default - not checked
   */
  readonly cpu?: string;
  /**
   * Allocatable memory, e.g. `'192Gi'`.
   * @default - not checked
   */
  readonly memory?: string;
  /**
   * Storage that persistent volume claims may request in total, e.g. `'2Ti'`.
   * @default - not checked
   */
  readonly storage?: string;
}

/** The default headroom factor of an environment's quotas. @internal */
export const DEFAULT_QUOTA_HEADROOM = 1.2;

/** Validates a quota headroom factor (a number from 1 to 10). @internal */
export function checkQuotaHeadroom(scope: IConstruct, value: number | undefined): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 1 || value > 10) {
    fail(scope, `quotaHeadroom ${value} is invalid: it multiplies what a cell declares into its ResourceQuota`,
      `use a number from 1 (no headroom) to 10, e.g. ${DEFAULT_QUOTA_HEADROOM}`);
  }
}

/** Validates a capacity prop: each set field a quantity above zero. @internal */
export function checkCapacity(scope: IConstruct, what: string, c: Capacity | undefined): void {
  if (c === undefined) return;
  if (typeof c !== 'object' || c === null) fail(scope, `${what} is not an object`, "use { cpu: '48', memory: '192Gi', storage: '2Ti' }");
  checkCpu(scope, `${what}.cpu`, c.cpu);
  checkMemory(scope, `${what}.memory`, c.memory);
  checkMemory(scope, `${what}.storage`, c.storage);
  if (c.cpu !== undefined && cpuMillis(c.cpu) <= 0) fail(scope, `${what}.cpu '${c.cpu}' is not above zero`, "set the allocatable CPU, e.g. '48'");
  if (c.memory !== undefined && memoryBytes(c.memory) <= 0) fail(scope, `${what}.memory '${c.memory}' is not above zero`, "set the allocatable memory, e.g. '192Gi'");
  if (c.storage !== undefined && memoryBytes(c.storage) <= 0) fail(scope, `${what}.storage '${c.storage}' is not above zero`, "set the storage, e.g. '2Ti'");
}

/** Formats millicores as Kubernetes does for a canonical quantity: whole cores without a suffix, else `m`. @internal */
export function formatCpu(millis: number): string {
  const m = Math.ceil(millis);
  return m % 1000 === 0 ? String(m / 1000) : `${m}m`;
}

const BINARY: Array<[string, number]> = [['Ei', 2 ** 60], ['Pi', 2 ** 50], ['Ti', 2 ** 40], ['Gi', 2 ** 30], ['Mi', 2 ** 20], ['Ki', 2 ** 10]];

/** Formats bytes with the largest binary suffix that divides them exactly (else plain bytes). @internal */
export function formatBytes(bytes: number): string {
  const b = Math.ceil(bytes);
  if (b === 0) return '0';
  for (const [suffix, factor] of BINARY) if (b % factor === 0) return `${b / factor}${suffix}`;
  return String(b);
}

/** Bytes rounded up to whole mebibytes (quota figures after headroom). @internal */
export function ceilMebibytes(bytes: number): number {
  return Math.ceil(bytes / 2 ** 20) * 2 ** 20;
}
