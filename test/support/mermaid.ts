import { execFileSync } from 'child_process';
import * as path from 'path';

/** A Mermaid block of a Markdown file. */
export interface MermaidBlock {
  /** `<file>#<index>`. */
  readonly name: string;
  readonly text: string;
}

/** Every fenced ```mermaid block of the Markdown files among `files`. */
export function mermaidBlocks(files: { [file: string]: string }): MermaidBlock[] {
  const out: MermaidBlock[] = [];
  for (const [file, content] of Object.entries(files)) {
    if (!file.endsWith('.md')) continue;
    let i = 0;
    for (const m of content.matchAll(/^```mermaid\n([\s\S]*?)^```$/gm)) out.push({ name: `${file}#${i++}`, text: m[1] });
  }
  return out;
}

/** Node and edge counts of a flowchart block (node definitions and `-->` lines). */
export function diagramSize(text: string): { nodes: number; edges: number } {
  const lines = text.split('\n').map(l => l.trim());
  const edges = lines.filter(l => l.includes('-->')).length;
  const nodes = lines.filter(l => /^[A-Za-z0-9_]+(\[|\(\[|\[\()/.test(l) && !l.includes('-->')).length;
  return { nodes, edges };
}

/**
 * Parses blocks with the `mermaid` package's own parser in a child node process (mermaid is
 * ESM-only and needs a DOM): the number parsed and the failures with their errors.
 */
export function parseMermaid(blocks: MermaidBlock[]): { parsed: number; failures: Array<{ name: string; error: string }> } {
  const script = path.join(__dirname, 'mermaid-parse.mjs');
  const out = execFileSync(process.execPath, [script], { input: JSON.stringify(blocks), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 120_000 });
  return JSON.parse(out);
}
