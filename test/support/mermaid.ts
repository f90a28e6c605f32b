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

/** What mermaid's parser said of one block: nothing, or the start of its error. */
export interface MermaidOutcome {
  readonly name: string;
  readonly error?: string;
}

/**
 * Parses blocks with the `mermaid` package's own parser in a child node process (mermaid is
 * ESM-only and needs a DOM), one outcome per block in order. Starting that child (mermaid and
 * jsdom) costs ~3 s of CPU, so a test file passes all its blocks at once and counts per test
 * with {@link mermaidSummary}.
 */
export function parseMermaidEach(blocks: MermaidBlock[]): MermaidOutcome[] {
  const script = path.join(__dirname, 'mermaid-parse.mjs');
  const out = execFileSync(process.execPath, [script], { input: JSON.stringify(blocks), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 120_000 });
  return JSON.parse(out);
}

/** The number of blocks parsed and the failures with their errors, of some outcomes. */
export function mermaidSummary(outcomes: MermaidOutcome[]): { parsed: number; failures: Array<{ name: string; error: string }> } {
  const failures = outcomes.filter(o => o.error !== undefined).map(o => ({ name: o.name, error: o.error! }));
  return { parsed: outcomes.length - failures.length, failures };
}
