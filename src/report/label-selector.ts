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
  const { evaluator, where, path } = source;
  const error = (text: string) => new Error(`${evaluator}: ${where}: ${text}`);
  const list = (value: any, at: string): any[] => {
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) throw error(`${at} must be a list`);
    return value;
  };
  const checkKeys = (obj: any, allowed: string[], at: string) => {
    if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) throw error(`${at} must be an object`);
    for (const k of Object.keys(obj)) if (!allowed.includes(k)) throw error(`${at}.${k} is not supported by the ${evaluator} evaluator`);
  };
  checkKeys(sel, ['matchLabels', 'matchExpressions'], path);
  const tests: Array<(labels: Labels) => boolean> = [];
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) {
    const kk = key(k);
    const value = String(v);
    tests.push(labels => labels[kk] === value);
  }
  list(sel.matchExpressions, `${path}.matchExpressions`).forEach((e, i) => {
    const ePath = `${path}.matchExpressions[${i}]`;
    checkKeys(e, ['key', 'operator', 'values'], ePath);
    const kk = key(e.key);
    const values: string[] = list(e.values, `${ePath}.values`).map(String);
    switch (e.operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) throw error(`${ePath} (${e.operator}) needs values`);
        tests.push(e.operator === 'In'
          ? labels => kk in labels && values.includes(labels[kk])
          : labels => !(kk in labels) || !values.includes(labels[kk]));
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0) throw error(`${ePath} (${e.operator}) must not have values`);
        tests.push(e.operator === 'Exists' ? labels => kk in labels : labels => !(kk in labels));
        break;
      default:
        throw error(`${ePath}.operator ${e.operator} is invalid`);
    }
  });
  return labels => tests.every(t => t(labels));
}

/** Whether `selector` (undefined: no selector, which matches everything) matches `labels`. @internal */
export function selects(selector: any, labels: Labels, source: SelectorSource = { evaluator: 'label selector', where: 'selector', path: 'selector' }): boolean {
  return selector === undefined || selector === null || compileSelector(selector, source)(labels);
}
