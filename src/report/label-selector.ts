/*
 * The one Kubernetes label-selector matcher (matchLabels and matchExpressions with In, NotIn,
 * Exists, DoesNotExist), shared by the connectivity and access evaluators and by the tests.
 * It refuses what it cannot judge (unknown fields or operators, In without values) instead of
 * guessing.
 */
import { JsonPath, Path } from './json-path';

/** Labels of a pod or namespace. @internal */
export type Labels = Record<string, string>;

/** Where a selector comes from, for errors: `<evaluator>: <where>: <path> ...`. @internal */
export interface SelectorSource {
  /** The evaluator reading it (`connectivity`, `access`, …). */
  readonly evaluator: string;
  /** The object it is in (`NetworkPolicy ns/name`). */
  readonly where: string;
  /** Its field path (`spec.podSelector`), maybe joined on demand. */
  readonly path: Path;
}

/** Maps a selector key to a label key (Cilium's prefixed keys); `source` is there for its errors. @internal */
export type SelectorKey = (key: string, source: SelectorSource) => string;

const SAME_KEY: SelectorKey = k => k;

/**
 * Compiles a label selector into a predicate; `key` maps selector keys to label keys (Cilium's
 * prefixed keys). An empty selector matches everything. @internal
 */
export function compileSelector(sel: any, source: SelectorSource, key: SelectorKey = SAME_KEY): (labels: Labels) => boolean {
  return compileSelectorParts(sel, source, key).test;
}

/** A compiled selector and its `matchLabels` as (label key, value) pairs, which every label set it matches has. @internal */
export interface CompiledSelector {
  readonly test: (labels: Labels) => boolean;
  readonly equalities: Array<readonly [string, string]>;
}

const SELECTOR_KEYS: readonly string[] = ['matchLabels', 'matchExpressions'];
// Most selectors have only matchLabels: no list is made for their absent expressions (never mutated).
const NONE: readonly any[] = [];
const NO_EXPRESSIONS: Array<(labels: Labels) => boolean> = [];
const EXPRESSION_KEYS: readonly string[] = ['key', 'operator', 'values'];

/** `compileSelector`, also returning the equalities the selector requires (for indexes). @internal */
export function compileSelectorParts(sel: any, source: SelectorSource, key: SelectorKey = SAME_KEY): CompiledSelector {
  const path = source.path;
  checkSelectorKeys(sel, SELECTOR_KEYS, path, source);
  const equalities: Array<readonly [string, string]> = [];
  const matchLabels = sel.matchLabels ?? {};
  for (const k in matchLabels) {
    if (!Object.prototype.hasOwnProperty.call(matchLabels, k)) continue;
    equalities.push([key(k, source), String(matchLabels[k])]);
  }
  const listed = selectorList(sel.matchExpressions, source, 'matchExpressions');
  const expressions: Array<(labels: Labels) => boolean> = listed.length === 0 ? NO_EXPRESSIONS : [];
  for (let i = 0; i < listed.length; i++) {
    const e = listed[i];
    const ePath = new JsonPath(path, 'matchExpressions', i);
    checkSelectorKeys(e, EXPRESSION_KEYS, ePath, source);
    const kk = key(e.key, source);
    const values: string[] = selectorList(e.values, source, `matchExpressions[${i}].values`).map(String);
    switch (e.operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) throw selectorError(source, `${ePath} (${e.operator}) needs values`);
        expressions.push(e.operator === 'In'
          ? labels => kk in labels && values.includes(labels[kk])
          : labels => !(kk in labels) || !values.includes(labels[kk]));
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0) throw selectorError(source, `${ePath} (${e.operator}) must not have values`);
        expressions.push(e.operator === 'Exists' ? labels => kk in labels : labels => !(kk in labels));
        break;
      default:
        throw selectorError(source, `${ePath}.operator ${e.operator} is invalid`);
    }
  }
  return { test: conjunction(equalities, expressions), equalities };
}

/**
 * Every equality and every expression. Selectors are compiled per policy rule and evaluated per
 * pod: the equalities are a walk over their pairs (no closure per label), the common one-label
 * case a single comparison.
 */
function conjunction(equalities: Array<readonly [string, string]>, expressions: Array<(labels: Labels) => boolean>): (labels: Labels) => boolean {
  if (expressions.length === 0) {
    if (equalities.length === 0) return () => true;
    if (equalities.length === 1) {
      const [k, v] = equalities[0];
      return labels => labels[k] === v;
    }
    return labels => equal(labels, equalities);
  }
  return labels => {
    if (!equal(labels, equalities)) return false;
    for (const t of expressions) if (!t(labels)) return false;
    return true;
  };
}

function equal(labels: Labels, equalities: Array<readonly [string, string]>): boolean {
  for (let i = 0; i < equalities.length; i++) if (labels[equalities[i][0]] !== equalities[i][1]) return false;
  return true;
}

function selectorError(source: SelectorSource, text: string): Error {
  return new Error(`${source.evaluator}: ${source.where}: ${text}`);
}

/** `value` as a list; `field` (below the selector's path) is only spelled out in the error. */
function selectorList(value: any, source: SelectorSource, field: string): readonly any[] {
  if (value === undefined || value === null) return NONE;
  if (!Array.isArray(value)) throw selectorError(source, `${source.path}.${field} must be a list`);
  return value;
}

function checkSelectorKeys(obj: any, allowed: readonly string[], at: Path, source: SelectorSource): void {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) throw selectorError(source, `${at} must be an object`);
  // for…in over own keys: the same keys in the same order as Object.keys, without an array per selector
  for (const k in obj) {
    if (Object.prototype.hasOwnProperty.call(obj, k) && !allowed.includes(k)) {
      throw selectorError(source, `${at}.${k} is not supported by the ${source.evaluator} evaluator`);
    }
  }
}

/** Whether `selector` (undefined: no selector, which matches everything) matches `labels`. @internal */
export function selects(selector: any, labels: Labels, source: SelectorSource = { evaluator: 'label selector', where: 'selector', path: 'selector' }): boolean {
  return selector === undefined || selector === null || compileSelector(selector, source)(labels);
}
