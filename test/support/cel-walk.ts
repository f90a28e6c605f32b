/**
 * Walks a manifest together with its compiled schema: applies defaults, converts JSON to CEL
 * values of the schema's types, and evaluates the rules of every node where a value is present.
 */
import { celList, celMap, isCelError, type CelResult, type CelValue } from '@bufbuild/cel';
import { SchemaNode, Shape, childPath } from './cel-schema';

export type Program = (bindings: { readonly [name: string]: CelValue }) => CelResult;

export interface Rule {
  readonly text: string;
  readonly program: Program;
  readonly message?: string;
  readonly messageProgram?: Program;
  /** The rule's `fieldPath`, as a suffix of the node's path (`.a["b.c"]`), or ''. */
  readonly fieldPath: string;
}

/** Conversions of strings with format date-time/date/duration, done by CEL itself. */
export interface Conversions {
  readonly timestamp: Program;
  readonly duration: Program;
}

/** Evaluates every rule of `root` on `manifest`; returns the failures. */
export function validateWithRules(manifest: unknown, root: SchemaNode<Rule>, conversions: Conversions): string[] {
  const errors: string[] = [];
  if (root.rulesBelow) new Walk(conversions, errors).visit(manifest, root, '', false);
  return errors;
}

/** A JSON value of the wrong type (ajv reports it), converted without schema guidance. */
function plain(v: unknown): CelValue {
  if (typeof v === 'number') return Number.isInteger(v) ? BigInt(v) : v;
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (Array.isArray(v)) return celList(v.map(plain));
  if (v && typeof v === 'object') return celMap(new Map(Object.entries(v).map(([k, x]) => [k, plain(x)])));
  return null;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * A property value after defaulting, as the API server sees it: null on a non-nullable
 * property counts as absent (it is pruned), and an absent property takes the schema default.
 * Defaults are never written into the manifest; the walk reads them from the schema.
 */
function effective(v: unknown, node: SchemaNode<Rule>): unknown {
  if (v === null && !node.nullable) v = undefined;
  return v === undefined ? node.default : v;
}

/** Rule text for messages: whitespace collapsed, long rules shortened. */
function shortRule(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 160 ? `${flat.slice(0, 157)}...` : flat;
}

class Walk {
  constructor(private readonly conversions: Conversions, private readonly errors: string[]) {}

  /**
   * Visits `value` at `node`. Returns its CEL value when `build` is set (an ancestor's rule needs
   * it) or the node has rules itself; subtrees without rules are skipped unless needed, and every
   * node is converted at most once.
   */
  visit(value: unknown, node: SchemaNode<Rule>, path: string, build: boolean): CelValue | undefined {
    if (value === null) return null; // rules do not run on null
    const own = node.rules.length > 0;
    const convert = build || own;
    if (!convert && !node.rulesBelow) return undefined;
    let cel: CelValue | undefined;
    switch (node.shape) {
      case 'object': {
        if (!isObject(value)) return plain(value);
        const fields = convert ? new Map<string, CelValue>() : undefined;
        for (const p of node.properties) {
          const v = effective(Object.hasOwn(value, p.name) ? value[p.name] : undefined, p.node);
          if (v === undefined || (!convert && !p.node.rulesBelow)) continue;
          const c = this.visit(v, p.node, childPath(path, p.name), convert);
          if (fields && c !== undefined) fields.set(p.field, c);
        }
        cel = fields && celMap(fields);
        break;
      }
      case 'map': {
        if (!isObject(value)) return plain(value);
        const entries = convert ? new Map<string, CelValue>() : undefined;
        for (const [key, raw] of Object.entries(value)) {
          const v = effective(raw, node.element!);
          if (v === undefined) continue;
          const c = this.visit(v, node.element!, childPath(path, key), convert);
          if (entries && c !== undefined) entries.set(key, c);
        }
        cel = entries && celMap(entries);
        break;
      }
      case 'list': {
        if (!Array.isArray(value)) return plain(value);
        const items = value.map((raw, i) => this.visit(effective(raw, node.element!) ?? null, node.element!, `${path}[${i}]`, convert));
        cel = convert ? celList(items.map((c) => c ?? null)) : undefined;
        break;
      }
      default:
        cel = this.scalar(value, node.shape);
        if (cel === undefined) return plain(value);
    }
    if (own) this.evaluate(node.rules, cel!, path);
    return cel;
  }

  /** Converts a scalar; undefined if the value does not have the schema's type. */
  private scalar(v: unknown, shape: Shape): CelValue | undefined {
    switch (shape) {
      case 'int':
        return typeof v === 'number' && Number.isInteger(v) ? BigInt(v) : undefined;
      case 'intOrString':
        return typeof v === 'number' && Number.isInteger(v) ? BigInt(v) : typeof v === 'string' ? v : undefined;
      case 'double':
        return typeof v === 'number' ? v : undefined;
      case 'bool':
        return typeof v === 'boolean' ? v : undefined;
      case 'string':
        return typeof v === 'string' ? v : undefined;
      case 'bytes':
        return typeof v === 'string' ? new Uint8Array(Buffer.from(v, 'base64')) : undefined;
      case 'date':
      case 'timestamp':
      case 'duration': {
        if (typeof v !== 'string') return undefined;
        const converted = shape === 'duration' ? this.conversions.duration({ v })
          : this.conversions.timestamp({ v: shape === 'date' ? `${v}T00:00:00Z` : v });
        return isCelError(converted) ? undefined : converted;
      }
      default:
        return undefined;
    }
  }

  private evaluate(rules: readonly Rule[], self: CelValue, path: string): void {
    for (const rule of rules) {
      const result = rule.program({ self });
      if (result === true) continue;
      // An evaluation error rejects the object too (the API server reports the error and the message).
      const problem = isCelError(result) ? `; evaluation error: ${result.message}`
        : result === false ? '' : `; evaluated to ${typeof result}, not bool`;
      const at = (path + rule.fieldPath).replace(/^\./, '') || '(root)';
      const message = messageOf(rule, self);
      const text = shortRule(rule.text);
      this.errors.push(message ? `${at}: ${message} (rule: ${text}${problem})` : `${at}: failed rule: ${text}${problem ? ` (${problem.slice(2)})` : ''}`);
    }
  }
}

/**
 * The failure message: `messageExpression` when it yields a non-empty single-line string,
 * else `message` (the API server falls back the same way).
 */
function messageOf(rule: Rule, self: CelValue): string | undefined {
  if (rule.messageProgram) {
    const m = rule.messageProgram({ self });
    if (typeof m === 'string' && m.trim() !== '' && !m.includes('\n')) return m;
  }
  return rule.message;
}
