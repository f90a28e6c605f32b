/*
 * The one Kubernetes label-selector matcher (matchLabels and matchExpressions with In, NotIn,
 * Exists, DoesNotExist), shared by the connectivity and access evaluators and by the tests.
 * It refuses what it cannot judge (unknown fields or operators, In without values) instead of
 * guessing.
 */

/** Labels of a pod or namespace. @internal */
export type Labels = Record<string, string>;

/** Where a selector comes from, for errors: `<evaluator>: <where>: <path> ...`. @internal */
export interface SelectorSource {
  /** The evaluator reading it (`connectivity`, `access`, …). */
  readonly evaluator: string;
  /** The object it is in (`NetworkPolicy ns/name`). */
  readonly where: string;
  /** Its field path (`spec.podSelector`). */
  readonly path: string;
}

/**
 * Compiles a label selector into a predicate; `key` maps selector keys to label keys (Cilium's
 * prefixed keys). An empty selector matches everything. @internal
 */
export function compileSelector(sel: any, source: SelectorSource, key: (k: string) => string = k => k): (labels: Labels) => boolean {
  return compileSelectorParts(sel, source, key).test;
}

/** A compiled selector and its `matchLabels` as (label key, value) pairs, which every label set it matches has. @internal */
export interface CompiledSelector {
  readonly test: (labels: Labels) => boolean;
  readonly equalities: Array<readonly [string, string]>;
}

/** `compileSelector`, also returning the equalities the selector requires (for indexes). @internal */
export function compileSelectorParts(sel: any, source: SelectorSource, key: (k: string) => string = k => k): CompiledSelector {
  const path = source.path;
  checkSelectorKeys(sel, ['matchLabels', 'matchExpressions'], path, source);
  const tests: Array<(labels: Labels) => boolean> = [];
  const equalities: Array<readonly [string, string]> = [];
  const matchLabels = sel.matchLabels ?? {};
  for (const k in matchLabels) {
    if (!Object.prototype.hasOwnProperty.call(matchLabels, k)) continue;
    const kk = key(k);
    const value = String(matchLabels[k]);
    equalities.push([kk, value]);
    tests.push(labels => labels[kk] === value);
  }
  selectorList(sel.matchExpressions, `${path}.matchExpressions`, source).forEach((e, i) => {
    const ePath = `${path}.matchExpressions[${i}]`;
    checkSelectorKeys(e, ['key', 'operator', 'values'], ePath, source);
    const kk = key(e.key);
    const values: string[] = selectorList(e.values, `${ePath}.values`, source).map(String);
    switch (e.operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) throw selectorError(source, `${ePath} (${e.operator}) needs values`);
        tests.push(e.operator === 'In'
          ? labels => kk in labels && values.includes(labels[kk])
          : labels => !(kk in labels) || !values.includes(labels[kk]));
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0) throw selectorError(source, `${ePath} (${e.operator}) must not have values`);
        tests.push(e.operator === 'Exists' ? labels => kk in labels : labels => !(kk in labels));
        break;
      default:
        throw selectorError(source, `${ePath}.operator ${e.operator} is invalid`);
    }
  });
  return { test: conjunction(tests), equalities };
}

/** All of `tests`; selectors are evaluated once per pod and policy: no array walk for the common short ones. */
function conjunction(tests: Array<(labels: Labels) => boolean>): (labels: Labels) => boolean {
  if (tests.length === 0) return () => true;
  if (tests.length === 1) return tests[0];
  if (tests.length === 2) {
    const [a, b] = tests;
    return labels => a(labels) && b(labels);
  }
  return labels => {
    for (const t of tests) if (!t(labels)) return false;
    return true;
  };
}

function selectorError(source: SelectorSource, text: string): Error {
  return new Error(`${source.evaluator}: ${source.where}: ${text}`);
}

function selectorList(value: any, at: string, source: SelectorSource): any[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw selectorError(source, `${at} must be a list`);
  return value;
}

function checkSelectorKeys(obj: any, allowed: string[], at: string, source: SelectorSource): void {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) throw selectorError(source, `${at} must be an object`);
  for (const k of Object.keys(obj)) if (!allowed.includes(k)) throw selectorError(source, `${at}.${k} is not supported by the ${source.evaluator} evaluator`);
}

/** Whether `selector` (undefined: no selector, which matches everything) matches `labels`. @internal */
export function selects(selector: any, labels: Labels, source: SelectorSource = { evaluator: 'label selector', where: 'selector', path: 'selector' }): boolean {
  return selector === undefined || selector === null || compileSelector(selector, source)(labels);
}
