import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { fail } from './errors';

/*
 * The one duration module: every timeout and interval in the public API is a cdk8s `Duration`.
 * The model validates it here (type, range, precision) and formats it to the target's syntax
 * (gateway/Envoy, Go, Prometheus, whole seconds/minutes). Formatting keeps the unit the user
 * chose (`Duration.seconds(60)` is `60s`, `Duration.minutes(1)` is `1m`), so output is stable.
 */

/** Where a formatted duration goes: decides the units and precision allowed. @internal */
export enum DurationTarget {
  /** Gateway API / Envoy Gateway: whole numbers of h, m, s or ms. */
  GATEWAY = 'gateway',
  /** Go `time.ParseDuration` (Flux, External Secrets): h, m, s, ms. */
  GO = 'go',
  /** Prometheus: d, h, m, s, ms. */
  PROMETHEUS = 'prometheus',
}

const SUFFIX: Record<string, string> = { millis: 'ms', seconds: 's', minutes: 'm', hours: 'h', days: 'd' };
const IN_MS: Record<string, number> = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000, ms: 1 };

/**
 * Rejects a value that is not a cdk8s Duration (the old string or number forms) with an error
 * naming the value and the fix. Undefined passes. @internal
 */
export function requireDuration(scope: IConstruct, what: string, d: unknown, example: string): Duration | undefined {
  if (d === undefined) return undefined;
  if (!(d instanceof Duration)) {
    fail(scope, `${what} ${JSON.stringify(d)} is not a Duration (durations are cdk8s Durations, not strings or numbers)`,
      `use a Duration from 'cdk8s', e.g. ${what.split('.').pop()}: ${example}`);
  }
  return d;
}

/**
 * Validates a duration for `target` (positive, whole milliseconds) and formats it in the unit it
 * was written in (falling back to a smaller whole unit). Undefined passes. @internal
 */
export function checkFormatDuration(scope: IConstruct, what: string, d: unknown, target: DurationTarget, example: string): string | undefined {
  const dur = requireDuration(scope, what, d, example);
  if (dur === undefined) return undefined;
  const ms = dur.toMilliseconds({ integral: false });
  if (!Number.isInteger(ms) || ms <= 0) {
    fail(scope, `${what} ${dur.toHumanString()} is not a positive whole number of milliseconds`, `use a positive duration, e.g. ${example}`);
  }
  return formatDuration(dur, target);
}

/** Formats a validated duration for `target` in its own unit where exact. @internal */
export function formatDuration(d: Duration, target: DurationTarget): string {
  const ms = d.toMilliseconds({ integral: false });
  const units = target === DurationTarget.PROMETHEUS ? ['d', 'h', 'm', 's', 'ms'] : ['h', 'm', 's', 'ms'];
  const own = SUFFIX[d.unitLabel()];
  const start = Math.max(units.indexOf(own), 0);
  for (const u of units.slice(start)) {
    const n = ms / IN_MS[u];
    if (Number.isInteger(n)) return `${n}${u}`;
  }
  return `${ms}ms`;
}

/**
 * Like checkWholeSeconds, but first rejects the old string/number forms with the prop's name in
 * the fix. @internal
 */
export function checkDurationSeconds(scope: IConstruct, what: string, d: unknown, min: number, max: number): number | undefined {
  const dur = requireDuration(scope, what, d, `Duration.seconds(${Math.min(Math.max(min, 10), max)})`);
  return checkWholeSeconds(scope, what, dur, min, max);
}

/**
 * Validates an optional cdk8s Duration as whole seconds in [min, max] and returns the seconds
 * (undefined when unset). @internal
 */
export function checkWholeSeconds(scope: IConstruct, what: string, d: Duration | undefined, min: number, max: number): number | undefined {
  if (d === undefined) return undefined;
  if (!(d instanceof Duration)) fail(scope, `${what} ${JSON.stringify(d)} is not a Duration`, "use Duration.seconds(n) or Duration.minutes(n) from 'cdk8s'");
  const ms = d.toMilliseconds({ integral: false });
  const s = ms / 1000;
  if (!Number.isInteger(s) || s < min || s > max) {
    fail(scope, `${what} ${s}s is not a whole number of seconds from ${min}s to ${max}s`, `use a whole number of seconds in that range, e.g. Duration.seconds(${Math.min(Math.max(min, 10), max)})`);
  }
  return s;
}

/**
 * Rejects a duration prop under its old, pre-Duration name (e.g. `timeoutMinutes: 30`), which
 * would otherwise be ignored silently. @internal
 */
export function rejectRenamedDuration(scope: IConstruct, props: object, old: string, now: string, ctor: 'seconds' | 'minutes'): void {
  const v = (props as Record<string, unknown>)[old];
  if (v === undefined) return;
  fail(scope, `${old} ${JSON.stringify(v)} is no longer supported (it became ${now}, a cdk8s Duration)`,
    `use ${now}: Duration.${ctor}(${typeof v === 'number' ? v : 'n'})`);
}
