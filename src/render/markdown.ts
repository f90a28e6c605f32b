const NEEDS_ESCAPE = /[\\|\n]/;

/** Escapes a Markdown table cell (most need nothing: one test instead of three replacements). @internal */
export function tableCell(text: string): string {
  if (!NEEDS_ESCAPE.test(text)) return text;
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** Code-point order, the order of every sorted list in the reports. @internal */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `a`, `a and b`, `a, b and c`. @internal */
export function listText(items: string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** `1 flow`, `2 flows`. @internal */
export function plural(count: number, noun: string, nouns = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : nouns}`;
}
