/**
 * A small, fast YAML emitter for JSON-compatible data (what Kubernetes manifests are). It quotes
 * every string that a YAML 1.1 or 1.2 parser could read as anything but that string, and writes
 * multi-line strings as literal blocks so config files stay reviewable. Keys keep their order.
 * @internal
 */
export function toYamlDocuments(docs: any[]): string {
  const out: string[] = [];
  for (let i = 0; i < docs.length; i++) {
    if (i > 0) out.push('---\n');
    emitValue(docs[i], '', out, true);
  }
  return out.join('');
}

const RESERVED = new Set(['y', 'n', 'yes', 'no', 'true', 'false', 'on', 'off', 'null', '~', '.inf', '-.inf', '+.inf', '.nan', '<<', '=']);
const PLAIN = /^[A-Za-z0-9_./@+-][A-Za-z0-9_./:@=+-]*$/;
const NUMBER_LIKE = /^[-+]?(\.?[0-9][0-9_]*(\.[0-9_]*)?|[0-9][0-9_]*\.)([eE][-+]?[0-9]+)?$|^[-+]?0[xXoObB]|^[-+]?\.(inf|nan)$|^\d{4}-\d\d?-\d\d?/i;
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

// Manifests repeat the same keys and label values thousands of times: remember how each was written.
const scalarCache = new Map<string, string>();

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
  // long strings (queries, dashboards) rarely repeat: caching them would only hold memory
  if (s.length > 80) return isPlainSafe(s) ? s : quoted(s);
  let written = scalarCache.get(s);
  if (written === undefined) {
    written = isPlainSafe(s) ? s : quoted(s);
    if (scalarCache.size > 100_000) scalarCache.clear();
    scalarCache.set(s, written);
  }
  return written;
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

// `<indent><key>:` per indent and key: manifests repeat the same keys at the same depths.
const keyLines = new Map<string, Map<string, string>>();

function keyLine(indent: string, k: string): string {
  let byKey = keyLines.get(indent);
  if (byKey === undefined) {
    byKey = new Map();
    keyLines.set(indent, byKey);
  }
  let line = byKey.get(k);
  if (line === undefined) {
    line = `${indent}${scalar(k)}:`;
    if (byKey.size > 10_000) byKey.clear();
    byKey.set(k, line);
  }
  return line;
}

const deeperIndent = new Map<string, string>();

/** `indent` plus two spaces, built once per depth rather than once per key. */
function deeper(indent: string): string {
  let d = deeperIndent.get(indent);
  if (d === undefined) {
    d = indent + '  ';
    deeperIndent.set(indent, d);
  }
  return d;
}

function emitValue(v: any, indent: string, out: string[], top: boolean): void {
  if (Array.isArray(v)) {
    if (v.length === 0) { out.push(top ? '[]\n' : ' []\n'); return; }
    if (!top) out.push('\n');
    const child = deeper(indent);
    for (const item of v) {
      out.push(indent, '-');
      emitInline(item, child, out);
    }
    return;
  }
  if (v !== null && typeof v === 'object') {
    const child = deeper(indent);
    let n = 0;
    for (const k in v) {
      const x = v[k];
      if (x === undefined || !Object.prototype.hasOwnProperty.call(v, k)) continue;
      if (n++ === 0 && !top) out.push('\n');
      out.push(keyLine(indent, k));
      emitChild(x, child, out);
    }
    if (n === 0) out.push(top ? '{}\n' : ' {}\n');
    return;
  }
  out.push(top ? `${primitive(v, indent)}\n` : valueLine(v, indent));
}

/** A mapping value: nested collections go on the next lines (sequences indented under the key). */
function emitChild(v: any, indent: string, out: string[]): void {
  emitValue(v, indent, out, false);
}

/** A sequence item: the first key of a mapping shares the `- ` line. */
function emitInline(v: any, indent: string, out: string[]): void {
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    const child = deeper(indent);
    let n = 0;
    for (const k in v) {
      const x = v[k];
      if (x === undefined || !Object.prototype.hasOwnProperty.call(v, k)) continue;
      out.push(n++ === 0 ? ' ' : indent, keyLine('', k));
      emitChild(x, child, out);
    }
    if (n === 0) out.push(' {}\n');
    return;
  }
  if (Array.isArray(v)) {
    if (v.length === 0) { out.push(' []\n'); return; }
    out.push('\n');
    emitValue(v, indent, out, true);
    return;
  }
  out.push(valueLine(v, indent));
}

// ` <value>\n` of short single-line strings: label values, names and ports repeat across manifests.
const valueLines = new Map<string, string>();

/** A scalar after `key:` or `-`: a space, the value, a line break. */
function valueLine(v: any, indent: string): string {
  if (typeof v !== 'string' || v.length > 80 || v.includes('\n')) return ` ${primitive(v, indent)}\n`;
  let line = valueLines.get(v);
  if (line === undefined) {
    line = ` ${scalar(v)}\n`;
    if (valueLines.size > 100_000) valueLines.clear();
    valueLines.set(v, line);
  }
  return line;
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
