import type { ScoreReader } from './reader';

/** A piece of a value: literal text or a `${...}` placeholder. @internal */
export type Piece = { readonly text: string } | { readonly ref: string[] };

/**
 * Splits a Score value into literal text and placeholders: `${a.b.c}` is a placeholder (segments
 * split on '.'), `$$` an escaped '$'. @internal
 */
export function parsePlaceholders(r: ScoreReader, path: string, value: string): Piece[] {
  const pieces: Piece[] = [];
  let text = '';
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (ch === '$' && value[i + 1] === '$') {
      text += '$';
      i++;
    } else if (ch === '$' && value[i + 1] === '{') {
      const end = value.indexOf('}', i + 2);
      if (end < 0) r.fail(path, `placeholder '${value.slice(i)}' is not closed`, "close it with '}', or write '$${' for a literal '${'");
      if (text) pieces.push({ text });
      text = '';
      const inner = value.slice(i + 2, end);
      const ref = inner.split('.');
      if (ref.some(s => s.length === 0)) r.fail(path, `placeholder '\${${inner}}' is malformed`, 'use ${metadata.name} or ${resources.<name>.<output>}');
      pieces.push({ ref });
      i = end;
    } else {
      text += ch;
    }
  }
  if (text) pieces.push({ text });
  return pieces;
}

/**
 * Expands `${metadata.name}` and `${metadata.annotations.<key>}` and refuses every other
 * placeholder with the given fix. @internal
 */
export function expandMetadata(
  r: ScoreReader, path: string, pieces: Piece[], metadata: { name: string; annotations: Record<string, string> }, otherFix: string,
): string {
  return pieces.map(p => {
    if ('text' in p) return p.text;
    const [head, ...rest] = p.ref;
    if (head === 'metadata' && rest.length === 1 && rest[0] === 'name') return metadata.name;
    if (head === 'metadata' && rest[0] === 'annotations' && rest.length >= 2) {
      const key = rest.slice(1).join('.');
      if (key in metadata.annotations) return metadata.annotations[key];
      r.fail(path, `placeholder '\${${p.ref.join('.')}}' names annotation '${key}', which metadata.annotations does not have`, `add '${key}' to metadata.annotations or remove the placeholder`);
    }
    if (head === 'metadata') r.fail(path, `placeholder '\${${p.ref.join('.')}}' is not a metadata field the importer knows`, 'use ${metadata.name} or ${metadata.annotations.<key>}');
    return r.fail(path, `placeholder '\${${p.ref.join('.')}}' cannot be used here`, otherFix);
  }).join('');
}
