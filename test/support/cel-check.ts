/**
 * A small static type checker for parsed CEL expressions (@bufbuild/cel 0.6 ships only a stub).
 * It runs once per rule and schema node, with `self` typed from the schema, and rejects what
 * the API server would reject when the CRD is created and what our environment cannot
 * evaluate: unknown identifiers, fields not in the schema, functions or overloads not in
 * CEL_ENV, optional types, message literals. The result type is returned.
 */
import type { parse } from '@bufbuild/cel';
import { OVERLOADS } from './cel-env';
import { BOOL, BYTES, CelT, DOUBLE, DYN, INT, NULL, STRING, UINT, assignable, join, listOf, mapOf, typeName } from './cel-types';

export type Expr = ReturnType<typeof parse>['expr'];
type Kind<C extends Expr['exprKind']['case']> = Extract<Expr['exprKind'], { case: C }>['value'];

export class CelCheckError extends Error {}

/** Type-checks `expr` with the given variables; throws CelCheckError. */
export function checkExpr(expr: Expr, variables: ReadonlyMap<string, CelT>): CelT {
  return check(expr, variables);
}

/** Whether `expr` mentions the variable `name` (e.g. `oldSelf`, which makes a rule a transition rule). */
export function mentions(expr: Expr, name: string): boolean {
  const k = expr.exprKind;
  switch (k.case) {
    case 'identExpr':
      return k.value.name === name;
    case 'selectExpr':
      return !!k.value.operand && mentions(k.value.operand, name);
    case 'callExpr':
      return (!!k.value.target && mentions(k.value.target, name)) || k.value.args.some((a) => mentions(a, name));
    case 'listExpr':
      return k.value.elements.some((e) => mentions(e, name));
    case 'structExpr':
      return k.value.entries.some((e) => (e.keyKind.case === 'mapKey' && mentions(e.keyKind.value, name)) || (!!e.value && mentions(e.value, name)));
    case 'comprehensionExpr': {
      const c = k.value;
      return [c.iterRange, c.accuInit, c.loopCondition, c.loopStep, c.result].some((e) => !!e && mentions(e, name));
    }
    default:
      return false;
  }
}

function fail(message: string): never {
  throw new CelCheckError(message);
}

function need(e: Expr | undefined): Expr {
  return e ?? fail('malformed expression');
}

function expectBool(t: CelT, what: string): void {
  if (t.k !== 'bool' && t.k !== 'dyn') fail(`${what} must be bool, not ${typeName(t)}`);
}

function check(e: Expr, vars: ReadonlyMap<string, CelT>): CelT {
  const k = e.exprKind;
  switch (k.case) {
    case 'constExpr':
      return constant(k.value.constantKind.case);
    case 'identExpr':
      return vars.get(k.value.name) ?? fail(`undeclared reference to '${k.value.name}'`);
    case 'selectExpr': {
      const field = select(check(need(k.value.operand), vars), k.value.field);
      return k.value.testOnly ? BOOL : field;
    }
    case 'callExpr':
      return call(k.value, vars);
    case 'listExpr': {
      if (k.value.optionalIndices.length > 0) fail('optional list elements are not supported');
      const elements = k.value.elements.map((el) => check(el, vars));
      return listOf(elements.length > 0 ? elements.reduce(join) : DYN);
    }
    case 'structExpr':
      return mapLiteral(k.value, vars);
    case 'comprehensionExpr':
      return comprehension(k.value, vars);
    default:
      return fail(`unsupported expression ${k.case}`);
  }
}

function constant(kind: Kind<'constExpr'>['constantKind']['case']): CelT {
  switch (kind) {
    case 'boolValue': return BOOL;
    case 'int64Value': return INT;
    case 'uint64Value': return UINT;
    case 'doubleValue': return DOUBLE;
    case 'stringValue': return STRING;
    case 'bytesValue': return BYTES;
    case 'nullValue': return NULL;
    default: return fail(`unsupported constant ${kind}`);
  }
}

/** `x.f` (and `has(x.f)`): declared fields of schema objects, string keys of maps. */
function select(t: CelT, field: string): CelT {
  switch (t.k) {
    case 'object':
      return t.fields.get(field) ?? fail(`undefined field '${field}'`);
    case 'map':
      if (!assignable(STRING, t.key)) fail(`cannot select '${field}' from ${typeName(t)}`);
      return t.value;
    case 'dyn':
      return DYN;
    default:
      return fail(`cannot select field '${field}' from ${typeName(t)}`);
  }
}

function index(t: CelT, key: CelT): CelT {
  switch (t.k) {
    case 'list':
      if (!assignable(key, INT) && !assignable(key, UINT)) fail(`list index must be int, not ${typeName(key)}`);
      return t.elem;
    case 'map':
      if (!assignable(key, t.key)) fail(`map key must be ${typeName(t.key)}, not ${typeName(key)}`);
      return t.value;
    case 'dyn':
      return DYN;
    default:
      return fail(`cannot index ${typeName(t)}`);
  }
}

function mapLiteral(s: Kind<'structExpr'>, vars: ReadonlyMap<string, CelT>): CelT {
  if (s.messageName !== '') fail(`message literals (${s.messageName}{...}) are not supported`);
  let key: CelT | undefined;
  let value: CelT | undefined;
  for (const entry of s.entries) {
    if (entry.optionalEntry) fail('optional map entries are not supported');
    if (entry.keyKind.case !== 'mapKey') fail('malformed map literal');
    const kt = check(entry.keyKind.value, vars);
    const vt = check(need(entry.value), vars);
    key = key ? join(key, kt) : kt;
    value = value ? join(value, vt) : vt;
  }
  return mapOf(key ?? DYN, value ?? DYN);
}

/** Macros (all, exists, exists_one, map, filter) arrive expanded into comprehensions. */
function comprehension(c: Kind<'comprehensionExpr'>, vars: ReadonlyMap<string, CelT>): CelT {
  if (c.iterVar2) fail('two-variable comprehensions are not supported');
  const range = check(need(c.iterRange), vars);
  const item = range.k === 'list' ? range.elem : range.k === 'map' ? range.key : range.k === 'dyn' ? DYN
    : fail(`cannot iterate over ${typeName(range)}`);
  const accu = check(need(c.accuInit), vars);
  const inner = new Map(vars).set(c.accuVar, accu).set(c.iterVar, item);
  expectBool(check(need(c.loopCondition), inner), 'loop condition');
  const step = check(need(c.loopStep), inner);
  return check(need(c.result), new Map(vars).set(c.accuVar, join(accu, step)));
}

/** `a.b.c` as a dotted name, or undefined (for namespaced functions such as `strings.quote`). */
function qualifiedName(e: Expr): string | undefined {
  const k = e.exprKind;
  if (k.case === 'identExpr') return k.value.name;
  if (k.case === 'selectExpr' && !k.value.testOnly && k.value.operand) {
    const parent = qualifiedName(k.value.operand);
    return parent === undefined ? undefined : `${parent}.${k.value.field}`;
  }
  return undefined;
}

function call(c: Kind<'callExpr'>, vars: ReadonlyMap<string, CelT>): CelT {
  const args = c.args;
  switch (c.function) {
    case '_&&_':
    case '_||_':
      args.forEach((a) => expectBool(check(a, vars), `operand of ${c.function}`));
      return BOOL;
    case '!_':
      expectBool(check(args[0], vars), 'operand of !');
      return BOOL;
    case '_?_:_':
      expectBool(check(args[0], vars), 'condition of ?:');
      return join(check(args[1], vars), check(args[2], vars));
    case '_[_]':
      return index(check(args[0], vars), check(args[1], vars));
    case '@not_strictly_false':
      check(args[0], vars);
      return BOOL;
    case '_[?_]':
    case '_?._':
      return fail('optional types are not supported');
  }
  // As the planner does: `a.b.f(x)` is the function `a.b.f` when one by that name exists.
  const qualified = c.target && qualifiedName(c.target);
  if (qualified && OVERLOADS.has(`${qualified}.${c.function}`)) {
    return overload(`${qualified}.${c.function}`, undefined, args.map((a) => check(a, vars)));
  }
  return overload(c.function, c.target && check(c.target, vars), args.map((a) => check(a, vars)));
}

function overload(name: string, target: CelT | undefined, args: CelT[]): CelT {
  const declared = OVERLOADS.get(name) ?? fail(`undeclared function '${name}'`);
  const matching = declared.filter((o) => (o.target === undefined) === (target === undefined)
    && (!o.target || assignable(target!, o.target))
    && o.args.length === args.length && o.args.every((a, i) => assignable(args[i], a)));
  if (matching.length === 0) {
    fail(`found no matching overload for '${name}' applied to '${target ? `${typeName(target)}.` : ''}(${args.map(typeName).join(', ')})'`);
  }
  return matching.map((o) => o.result).reduce((a, b) => (typeName(a) === typeName(b) ? a : DYN));
}
