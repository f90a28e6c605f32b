/**
 * Evaluates the CEL validation rules of a CRD schema (`x-kubernetes-validations`) on a
 * manifest, the way the API server does when the object is created:
 * - every rule runs at every schema node where the value is present (and not null), with
 *   `self` bound to that value and typed from the schema (see cel-schema.ts);
 * - the schema's defaults are applied first (an absent property, or a null one that is not
 *   nullable, takes its `default`, recursively), since the API server defaults before it
 *   validates; the manifest itself is not modified;
 * - transition rules (they read `oldSelf`) are skipped: a created object has no old value;
 * - a rule that evaluates to false fails with its `messageExpression`/`message`, one that fails
 *   to evaluate (e.g. it reads an absent field) fails with the error, as the API server rejects
 *   the object in both cases;
 * - a rule that does not parse or type-check in our environment (cel-env.ts: the CEL standard
 *   library plus the extensions our schemas use) makes compilation throw.
 * Not modelled: list-type set/map equality semantics, cost limits, `reason`.
 *
 * The engine (cel-rules.ts, with @bufbuild/cel) is loaded only for schemas that have rules:
 * it takes some 100 ms per test file and most test files validate no such kind.
 */
import { Json, countRules } from './cel-schema';

export interface CelStats {
  /** Rules in the schema (entries of x-kubernetes-validations). */
  readonly rules: number;
  /** Transition rules (they read oldSelf), which are not evaluated. */
  readonly transitionRules: number;
  /** The distinct rule expressions. */
  readonly expressions: ReadonlySet<string>;
  /** Rules that cannot be evaluated, with the reason (only filled with `collectUnsupported`). */
  readonly unsupported: readonly string[];
}

export interface CelValidator {
  readonly stats: CelStats;
  /** The failed rules, as `<field path>: <message> (rule: <expression>)`. */
  validate(manifest: unknown): string[];
}

export interface CelCompileOptions {
  /** Report rules that cannot be evaluated in `stats.unsupported` instead of throwing. */
  readonly collectUnsupported?: boolean;
}

const NO_RULES: CelValidator = {
  stats: { rules: 0, transitionRules: 0, expressions: new Set(), unsupported: [] },
  validate: () => [],
};

/**
 * Compiles the CEL rules of `schema`, a CRD version's openAPIV3Schema (raw or tightened by
 * schema-validator.ts). Throws if a rule cannot be evaluated, unless `collectUnsupported`.
 */
export function compileCelValidator(schema: Json, options: CelCompileOptions = {}): CelValidator {
  if (countRules(schema) === 0) return NO_RULES;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const rules = require('./cel-rules') as typeof import('./cel-rules');
  return rules.compileRuleValidator(schema, options);
}
