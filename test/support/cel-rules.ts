/**
 * Compiles the rules of a schema: each distinct expression is parsed and planned once (cached
 * by its text) and type-checked at every schema node it sits on, with `self` typed from the
 * schema. Loaded by cel-validator.ts only for schemas that have rules.
 */
import { parse, plan } from '@bufbuild/cel';
import { CelCheckError, Expr, checkExpr, mentions } from './cel-check';
import { CEL_ENV } from './cel-env';
import { Json, childPath, compileSchema, countRules } from './cel-schema';
import { CelT, typeName } from './cel-types';
import type { CelCompileOptions, CelValidator } from './cel-validator';
import { Conversions, Program, Rule, validateWithRules } from './cel-walk';

interface Compiled {
  readonly expr: Expr;
  readonly program: Program;
}

const cache = new Map<string, Compiled>();

/** Parses and plans an expression (cached by its text); throws on syntax errors. */
function compileExpression(text: string): Compiled {
  let c = cache.get(text);
  if (!c) {
    let expr: Expr;
    try {
      expr = parse(text).expr;
    } catch (e) {
      throw new CelCheckError(`syntax error: ${e instanceof Error ? e.message : String(e)}`);
    }
    c = { expr, program: plan(CEL_ENV, expr) as Program };
    cache.set(text, c);
  }
  return c;
}

const conversions: Conversions = {
  timestamp: compileExpression('timestamp(v)').program,
  duration: compileExpression('duration(v)').program,
};

/** `.a.b['c.d']` -> `.a.b["c.d"]` (the style of childPath); throws unless it is a field path. */
function formatFieldPath(fieldPath: string): string {
  const segment = /^(?:\.([^.[\]]+)|\['([^']*)'\]|\["([^"]*)"\])/;
  let rest = fieldPath;
  let out = 'x'; // placeholder root, dropped below
  while (rest) {
    const m = segment.exec(rest);
    if (!m) throw new CelCheckError(`unsupported fieldPath ${JSON.stringify(fieldPath)} (only .field and ['field'] are allowed)`);
    out = childPath(out, m[1] ?? m[2] ?? m[3]);
    rest = rest.slice(m[0].length);
  }
  return out.slice(1);
}

function expectResult(t: CelT, wanted: 'bool' | 'string', what: string): void {
  if (t.k !== wanted && t.k !== 'dyn') throw new CelCheckError(`${what} must be ${wanted}, not ${typeName(t)}`);
}

/** See compileCelValidator. */
export function compileRuleValidator(schema: Json, options: CelCompileOptions): CelValidator {
  let rules = 0;
  let transitionRules = 0;
  const expressions = new Set<string>();
  const unsupported: string[] = [];

  const root = compileSchema<Rule>(schema, (specs, self, at) => {
    const out: Rule[] = [];
    for (const spec of specs) {
      rules++;
      const text = String(spec.rule);
      expressions.add(text);
      try {
        const { expr, program } = compileExpression(text);
        const message = typeof spec.messageExpression === 'string' ? compileExpression(spec.messageExpression) : undefined;
        // Transition rules compare with the stored object (oldSelf); a create has none.
        if (mentions(expr, 'oldSelf') || (message && mentions(message.expr, 'oldSelf'))) {
          transitionRules++;
          continue;
        }
        const variables = new Map([['self', self]]);
        expectResult(checkExpr(expr, variables), 'bool', 'the rule');
        if (message) expectResult(checkExpr(message.expr, variables), 'string', 'messageExpression');
        out.push({
          text,
          program,
          message: typeof spec.message === 'string' && spec.message !== '' ? spec.message : undefined,
          messageProgram: message?.program,
          fieldPath: typeof spec.fieldPath === 'string' ? formatFieldPath(spec.fieldPath) : '',
        });
      } catch (e) {
        unsupported.push(`${at}: ${text}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    return out;
  });

  const unreachable = countRules(schema) - rules;
  if (unreachable > 0) {
    unsupported.push(`${unreachable} rule(s) where rules cannot see values (under allOf/anyOf/oneOf/not or a node without a type)`);
  }
  if (unsupported.length > 0 && !options.collectUnsupported) {
    throw new Error(`${unsupported.length} CEL rule(s) cannot be evaluated:\n${unsupported.join('\n')}`);
  }
  return {
    stats: { rules, transitionRules, expressions, unsupported },
    validate: (manifest) => (root ? validateWithRules(manifest, root, conversions) : []),
  };
}
