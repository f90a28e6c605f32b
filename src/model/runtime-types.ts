import { IConstruct } from 'constructs';
import { fail } from './errors';

/**
 * Runtime checks for values the TypeScript types promise only on paper: from JavaScript (or
 * `as any`) an enum, boolean or number prop can hold anything. Each helper returns the value
 * unchanged when it is valid (or `undefined`), so a construct applies one call per prop.
 */

function show(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) return String(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/**
 * Checks that `value` is one of the values of the enum object `enumObject`; `undefined` passes
 * (the construct applies its default). @internal
 */
export function checkEnum<T>(scope: IConstruct | string, what: string, value: T | undefined, enumObject: object, enumName: string): T | undefined {
  if (value === undefined) return undefined;
  const allowed = Object.entries(enumObject)
    .filter(([k, v]) => typeof v === 'string' || (typeof v === 'number' && !/^\d+$/.test(k)));
  if (allowed.some(([, v]) => v === value)) return value;
  const names = allowed.map(([k]) => `${enumName}.${k}`);
  const near = typeof value === 'string' ? allowed.find(([, v]) => typeof v === 'string' && v.toLowerCase() === value.toLowerCase()) : undefined;
  fail(scope, `${what} ${show(value)} is not a value of ${enumName}`,
    near ? `use ${enumName}.${near[0]} (values are case-sensitive)` : `use one of ${names.join(', ')}`);
}

/** Checks every element of a list with {@link checkEnum}. @internal */
export function checkEnumList<T>(
  scope: IConstruct | string, what: string, values: readonly T[] | undefined, enumObject: object, enumName: string,
): readonly T[] | undefined {
  if (values === undefined) return undefined;
  if (!Array.isArray(values)) fail(scope, `${what} ${show(values)} is not a list`, `give a list of ${enumName} values`);
  values.forEach(v => checkEnum(scope, what, v, enumObject, enumName));
  return values;
}

/** Checks that `value` is a real boolean (not the string `'false'`); `undefined` passes. @internal */
export function checkBoolean(scope: IConstruct | string, what: string, value: boolean | undefined): boolean | undefined {
  if (value === undefined || typeof value === 'boolean') return value;
  fail(scope, `${what} ${show(value)} is not a boolean`, `set ${what} to true or false (without quotes)`);
}

/** Range and integrality a number prop must satisfy. @internal */
export interface NumberRule {
  readonly integer?: boolean;
  readonly min?: number;
  readonly max?: number;
}

/**
 * Checks that `value` is a finite number (not NaN, Infinity or a string) within `rule`;
 * `undefined` passes. @internal
 */
export function checkNumber(scope: IConstruct | string, what: string, value: number | undefined, rule: NumberRule = {}): number | undefined {
  if (value === undefined) return undefined;
  const range = rule.min !== undefined && rule.max !== undefined ? `between ${rule.min} and ${rule.max}`
    : rule.min !== undefined ? `of at least ${rule.min}` : rule.max !== undefined ? `of at most ${rule.max}` : '';
  const kind = rule.integer ? 'an integer' : 'a number';
  const fix = `set ${what} to ${kind}${range ? ` ${range}` : ''} (without quotes)`;
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(scope, `${what} ${show(value)} is not a finite number`, fix);
  if (rule.integer && !Number.isInteger(value)) fail(scope, `${what} ${show(value)} is not an integer`, fix);
  if ((rule.min !== undefined && value < rule.min) || (rule.max !== undefined && value > rule.max)) {
    fail(scope, `${what} ${show(value)} is out of range`, fix);
  }
  return value;
}

/**
 * Checks that a required construct argument was given (from JavaScript `dependOn(undefined)` would
 * otherwise become a TypeError at synth). @internal
 */
export function checkRequired<T>(scope: IConstruct | string, what: string, value: T | undefined | null, fix: string): T {
  if (value === undefined || value === null) fail(scope, `${what} is ${show(value)}`, fix);
  return value;
}
