import { RecentCache } from './recent-cache';

/**
 * A small, fast YAML emitter for JSON-compatible data (what Kubernetes manifests are). It quotes
 * every string that a YAML 1.1 or 1.2 parser could read as anything but that string, and writes
 * multi-line strings as literal blocks so config files stay reviewable. Keys keep their order.
 * @internal
 */
export function toYamlDocuments(docs: any[]): string {
  used = 0;
  for (let i = 0; i < docs.length; i++) {
    if (i > 0) put('---\n');
    emitValue(docs[i], TOP, true);
  }
  // Cut to this file's parts and join them in place (a slice would copy them first); V8 keeps the storage when
  // the cut is small and releases the rest after an unusually large file.
  parts.length = used;
  return parts.join('');
}

// One parts list for every call, filled from the start, so that it is not reallocated and regrown for every
// file. The emitter does not reenter itself.
const parts: string[] = [];
let used = 0;

function put(s: string): void {
  parts[used++] = s;
}

const RESERVED = new Set(['y', 'n', 'yes', 'no', 'true', 'false', 'on', 'off', 'null', '~', '.inf', '-.inf', '+.inf', '.nan', '<<', '=']);
const PLAIN = /^[A-Za-z0-9_./@+-][A-Za-z0-9_./:@=+-]*$/;
// Numbers in YAML 1.1 or 1.2; 1.1 floats take digits before the point optionally and `_` after it (`._`, `.5_`, `1_0.`).
const NUMBER_LIKE = /^[-+]?(\.?[0-9][0-9_]*(\.[0-9_]*)?|([0-9][0-9_]*)?\.[0-9_]*)([eE][-+]?[0-9]+)?$|^[-+]?0[xXoObB]|^[-+]?\.(inf|nan)$|^\d{4}-\d\d?-\d\d?/i;
const PRINTABLE_BLOCK = /^[^\x00-\x08\x0b-\x1f\x7f\u0085\u2028\u2029\ufeff]*$/;

/** Whether a string can be written without quotes. @internal */
export function isPlainSafe(s: string): boolean {
  if (s.length === 0 || !PLAIN.test(s)) return false;
  if (RESERVED.has(s.toLowerCase())) return false;
  if (s.endsWith(':') || s.includes('::')) return false;
  if (s.startsWith('-') && (s.length === 1 || s[1] === ' ')) return false;
  if (/^[0-9+\-.]/.test(s) && (NUMBER_LIKE.test(s) || s.includes(':'))) return false;
  if (s.startsWith('@') || s === '-' || s === '.') return false;
  return true;
}

/**
 * Whether `s` is a common plain word (a name, a label value, an image, a path, a URL): a letter, then letters,
 * digits, `-_./` and single `:` not at the end, and not a reserved word. `isPlainSafe` holds for every such string; this scan is cheaper than a cache
 * lookup, whose cost grows with the cache (memory, not hashing) on a big platform, so these skip the caches.
 */
function isCommonPlain(s: string): boolean {
  const n = s.length;
  if (n === 0 || n > 80) return false;
  let c = s.charCodeAt(0);
  if (!((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a))) return false; // a letter
  for (let i = 1; i < n; i++) {
    c = s.charCodeAt(i);
    // a-z, 0-9 and '-' first (most names): then A-Z, '.', '/', '_'
    if ((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2d) continue;
    if ((c >= 0x41 && c <= 0x5a) || c === 0x2e || c === 0x2f || c === 0x5f) continue;
    if (c === 0x3a && i < n - 1 && s.charCodeAt(i - 1) !== 0x3a) continue; // ':' inside (URLs, image tags), not '::'
    return false;
  }
  return n > 5 || !RESERVED.has(s.toLowerCase()); // the longest reserved words have 5 characters
}

// Manifests repeat the same keys and label values thousands of times: remember how each was written (the
// caches hold at most 100,000 strings each, as many as they held before they aged instead of being cleared).
const scalarCache = new RecentCache<string>(50_000);

const SINGLE_QUOTABLE = /^[^\x00-\x1f\x7f\u0085\u2028\u2029\ufeff]*$/;

/**
 * A string that needs quotes: single-quoted (only `'` is escaped, as `''`) when it holds double
 * quotes or backslashes, which PromQL and JSON are full of and double quotes would escape; else
 * double-quoted (JSON's escapes are YAML's).
 */
function quoted(s: string): string {
  if ((s.includes('"') || s.includes('\\')) && SINGLE_QUOTABLE.test(s)) return `'${s.replace(/'/g, "''")}'`;
  return JSON.stringify(s);
}

function scalar(s: string): string {
  if (isCommonPlain(s)) return s;
  // long strings (queries, dashboards) rarely repeat: caching them would only hold memory
  if (s.length > 80) return isPlainSafe(s) ? s : quoted(s);
  return scalarCache.get(s) ?? scalarCache.remember(s, isPlainSafe(s) ? s : quoted(s));
}

function blockLiteral(s: string, indent: string): string | undefined {
  if (!s.includes('\n') || !PRINTABLE_BLOCK.test(s)) return undefined;
  const body = s.replace(/\n+$/, '');
  const trailing = s.length - body.length;
  if (body.length === 0) return undefined;
  const lines = body.split('\n');
  if (lines[0].startsWith(' ') || lines.some(l => l.startsWith('\t') || /[ \t]$/.test(l))) return undefined;
  const chomp = trailing === 0 ? '|-' : trailing === 1 ? '|' : '|+';
  const extra = trailing > 1 ? '\n'.repeat(trailing - 1) : '';
  return `${chomp}\n${lines.map(l => (l.length === 0 ? '' : indent + l)).join('\n')}${extra}`;
}

/**
 * One depth of the output: its indent and the lines that start there, built once per depth and key (manifests
 * repeat the same keys at the same depths) and reached through the levels themselves rather than looked up by
 * indent: `<indent><key>:` and a sequence item's first key, `<indent>- <key>:` (one part instead of four).
 */
class Level {
  /** `<indent>-`: a sequence item that is not a mapping. */
  public readonly dash: string;
  private next: Level | undefined;
  private readonly keys = new RecentCache<string>(5_000);
  private readonly itemKeys = new RecentCache<string>(5_000);

  constructor(public readonly indent: string) {
    this.dash = `${indent}-`;
  }

  /** The level two spaces deeper. */
  public get deeper(): Level {
    return this.next ??= new Level(`${this.indent}  `);
  }

  /** `<indent><key>:` */
  public keyLine(k: string): string {
    return this.keys.get(k) ?? this.keys.remember(k, `${this.indent}${scalar(k)}:`);
  }

  /** `<indent>- <key>:`, the first key of a mapping in a sequence. */
  public itemKeyLine(k: string): string {
    return this.itemKeys.get(k) ?? this.itemKeys.remember(k, `${this.dash} ${scalar(k)}:`);
  }
}

const TOP = new Level('');

function emitValue(v: any, level: Level, top: boolean): void {
  if (Array.isArray(v)) {
    if (v.length === 0) { put(top ? '[]\n' : ' []\n'); return; }
    if (!top) put('\n');
    for (const item of v) emitItem(item, level);
    return;
  }
  if (v !== null && typeof v === 'object') {
    const child = level.deeper;
    let n = 0;
    for (const k in v) {
      const x = v[k];
      if (x === undefined || !Object.prototype.hasOwnProperty.call(v, k)) continue;
      if (n++ === 0 && !top) put('\n');
      put(level.keyLine(k));
      emitValue(x, child, false);
    }
    if (n === 0) put(top ? '{}\n' : ' {}\n');
    return;
  }
  if (top) put(`${primitive(v, level.indent)}\n`);
  else putValueLine(v, level.indent);
}

/** A sequence item at `level`: the first key of a mapping shares the `- ` line. */
function emitItem(v: any, level: Level): void {
  const child = level.deeper;
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    const grandchild = child.deeper;
    let n = 0;
    for (const k in v) {
      const x = v[k];
      if (x === undefined || !Object.prototype.hasOwnProperty.call(v, k)) continue;
      put(n++ === 0 ? level.itemKeyLine(k) : child.keyLine(k));
      emitValue(x, grandchild, false);
    }
    if (n === 0) { put(level.dash); put(' {}\n'); }
    return;
  }
  put(level.dash);
  if (Array.isArray(v)) {
    if (v.length === 0) { put(' []\n'); return; }
    put('\n');
    emitValue(v, child, true);
    return;
  }
  putValueLine(v, child.indent);
}

// ` <value>\n` of short single-line strings: label values, names and ports repeat across manifests.
const valueLines = new RecentCache<string>(50_000);

/** Puts a scalar after `key:` or `-`: a space, the value, a line break. */
function putValueLine(v: any, indent: string): void {
  if (typeof v !== 'string') {
    put(` ${primitive(v, indent)}\n`);
    return;
  }
  if (isCommonPlain(v)) {
    put(' ');
    put(v);
    put('\n');
    return;
  }
  let line = valueLines.get(v); // a hit is a short single-line string: look it up before scanning it
  if (line === undefined) {
    if (v.length > 80 || v.includes('\n')) {
      put(` ${primitive(v, indent)}\n`);
      return;
    }
    line = ` ${scalar(v)}\n`;
    valueLines.set(v, line);
  }
  put(line);
}

function primitive(v: any, indent: string): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`cannot write non-finite number ${v} as YAML`);
    return String(v);
  }
  const s = String(v);
  return blockLiteral(s, indent) ?? scalar(s);
}
