/**
 * The CEL environment for CRD validation rules: the CEL standard library of @bufbuild/cel,
 * `matches` with Go RE2 semantics, and the few extension functions of the Kubernetes CEL
 * environment that the rules in test/schemas use.
 *
 * Deliberately small: a rule calling anything else (Kubernetes' url(), quantity(), ip(),
 * format.*, sets.*, lists.*, optional types, ...) fails the static check in cel-check.ts, so
 * the validator throws instead of passing silently. Add functions here when a schema needs them.
 */
import { CelScalar, celEnv, celMethod, listType, type CelEnv, type CelFunc } from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';
import { CelT, fromCelType } from './cel-types';

// re2js is ESM-typed; its CommonJS build is loaded with require (as in schema-validator.ts).
interface Re2Matcher { find(): boolean }
interface Re2Pattern { matcher(input: string): Re2Matcher }
interface Re2Module { RE2JS: { compile(pattern: string): Re2Pattern } }
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { RE2JS } = require('re2js') as Re2Module;

const { STRING, INT } = CelScalar;

/** `string.matches(re)`: RE2 syntax, unanchored (true if the pattern matches any substring). */
const patterns = new Map<string, { test(text: string): boolean }>();
function compileRe2(pattern: string): { test(text: string): boolean } {
  let compiled = patterns.get(pattern);
  if (!compiled) {
    const re = RE2JS.compile(pattern);
    compiled = { test: (text: string) => re.matcher(text).find() };
    if (patterns.size > 1000) patterns.clear(); // patterns computed from data must not grow this forever
    patterns.set(pattern, compiled);
  }
  return compiled;
}

/**
 * Go's strings.SplitN, which the strings extension's `split` is defined by: n < 0 means all
 * parts, n == 0 none, otherwise at most n parts, the last holding the rest; an empty
 * separator splits into code points.
 */
function splitN(s: string, sep: string, n: number): string[] {
  if (n === 0) return [];
  const limit = n < 0 ? Infinity : n;
  const parts: string[] = [];
  if (sep === '') {
    const chars = [...s];
    while (chars.length > 0 && parts.length < limit - 1) parts.push(chars.shift()!);
    if (chars.length > 0) parts.push(chars.join(''));
    return parts;
  }
  let start = 0;
  while (parts.length < limit - 1) {
    const at = s.indexOf(sep, start);
    if (at < 0) break;
    parts.push(s.slice(start, at));
    start = at + sep.length;
  }
  parts.push(s.slice(start));
  return parts;
}

function fromStringsExtension(id: string): CelFunc {
  const found = strings.find((f) => f.id === id);
  if (!found) throw new Error(`@bufbuild/cel/ext strings has no ${id}`);
  return found;
}

/** Extension functions (Kubernetes enables the CEL strings extension) used by our schemas' rules. */
const EXTENSIONS: CelFunc[] = [
  fromStringsExtension('string.lowerAscii()'), // ASCII letters only, as specified
  fromStringsExtension('string.upperAscii()'),
  celMethod('split', STRING, [STRING], listType(STRING), function (sep) {
    return splitN(this, sep, -1);
  }),
  celMethod('split', STRING, [STRING, INT], listType(STRING), function (sep, n) {
    return splitN(this, sep, Number(n));
  }),
];

export const CEL_ENV: CelEnv = celEnv({ funcs: EXTENSIONS, re2: { compile: compileRe2 } });

/** A declared overload, for static checking. `target` is set for receiver-style methods. */
export interface Overload {
  readonly target?: CelT;
  readonly args: readonly CelT[];
  readonly result: CelT;
}

/** Every function of CEL_ENV by name. */
export const OVERLOADS: ReadonlyMap<string, readonly Overload[]> = (() => {
  const table = new Map<string, Overload[]>();
  for (const f of CEL_ENV.funcs) {
    const list = table.get(f.name) ?? [];
    list.push({ target: f.target && fromCelType(f.target), args: f.arguments.map(fromCelType), result: fromCelType(f.result) });
    table.set(f.name, list);
  }
  return table;
})();
