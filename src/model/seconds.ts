import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { fail } from './errors';

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
