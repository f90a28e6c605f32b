type Objects = Map<string, any> | undefined;

/**
 * The objects added, removed and changed between pairs of (before, after) renderings of an
 * environment, one line each in key order, and a line with the counts. With `fields`, each changed
 * object is followed by its changed fields, one `path: old -> new` line each. @internal
 */
export function objectChanges(pairs: ReadonlyArray<readonly [Objects, Objects]>, fields: boolean = false): string[] {
  const lines: string[] = [];
  const counts = { added: 0, changed: 0, removed: 0 };
  for (const [old = new Map<string, any>(), now = new Map<string, any>()] of pairs) {
    for (const key of [...new Set([...old.keys(), ...now.keys()])].sort()) {
      const change = !old.has(key) ? 'added' : !now.has(key) ? 'removed' : JSON.stringify(old.get(key)) !== JSON.stringify(now.get(key)) ? 'changed' : undefined;
      if (!change) continue;
      counts[change]++;
      lines.push(`  ${change.padEnd(8)} ${key}`);
      if (fields && change === 'changed') lines.push(...fieldChanges(old.get(key), now.get(key)).map(l => `      ${l}`));
    }
  }
  lines.push(`${counts.added} added, ${counts.changed} changed, ${counts.removed} removed.`);
  return lines;
}

const NONE = Symbol('none');

/**
 * The fields that differ between two JSON values, as `path: old -> new` lines in document order
 * (`spec.template.spec.containers[0].image: a -> b`); a field only on one side shows `(none)`. @internal
 */
export function fieldChanges(before: any, after: any): string[] {
  const out: string[] = [];
  walk(before, after, '', out);
  return out;
}

function walk(a: any, b: any, at: string, out: string[]): void {
  if (isRecord(a) && isRecord(b)) {
    const keys = [...Object.keys(a), ...Object.keys(b).filter(k => !(k in a))];
    for (const k of keys) walk(k in a ? a[k] : NONE, k in b ? b[k] : NONE, `${at}${keyPath(k, at === '')}`, out);
  } else if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) walk(i < a.length ? a[i] : NONE, i < b.length ? b[i] : NONE, `${at}[${i}]`, out);
  } else if (JSON.stringify(a) !== JSON.stringify(b)) {
    out.push(`${at || '(document)'}: ${show(a)} -> ${show(b)}`);
  }
}

function isRecord(v: any): v is Record<string, any> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** `.name`, or `["a.b/c"]` for keys that are not plain identifiers. */
function keyPath(k: string, first: boolean): string {
  return /^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(k) ? `${first ? '' : '.'}${k}` : `[${JSON.stringify(k)}]`;
}

/** A value in one short line: plain strings as they are, everything else as (truncated) JSON. */
function show(v: any): string {
  if (v === NONE) return '(none)';
  const text = typeof v === 'string' && /^[^\s"'{}[\],]+$/.test(v) && v !== 'null' ? v : JSON.stringify(v);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
