import { compareFlows, Flow } from './connectivity';
import { tableCell } from '../render/markdown';
import { diagramOmitted, mermaidText } from '../render/mermaid';

/** A node's human label in the diagram. @internal */
export interface ConnectivityNode {
  readonly id: string;
  readonly label: string;
}

/** @internal */
export interface ConnectivityMarkdownOptions {
  /** Human labels for flow ends (by id); ends without one are labelled with their id. */
  readonly nodes?: ConnectivityNode[];
  /** Markdown heading level of the title (1–6). @default 1 */
  readonly headingLevel?: number;
  /** Above this many nodes the diagram is collapsed (see `collapse`) or left out (the table lists every flow). @default no limit */
  readonly maxNodes?: number;
  /**
   * Above `maxNodes`, the diagram draws each end as `collapse(end)` (another project's components
   * as their project, say), with `collapsedNote` above it. @default no collapsing
   */
  readonly collapse?: (end: string) => string;
  readonly collapsedNote?: string;
}

/**
 * Renders flows as Markdown: a heading, a table `From | To | Port | Protocol | L7` (one row per flow,
 * sorted), and a Mermaid `flowchart LR` with one node per flow end and one edge per (from, to) pair
 * labelled with its ports (left out above `maxNodes` nodes). Output is deterministic whatever the order of `flows` and `nodes`.
 * @internal
 */
export function connectivityMarkdown(title: string, flows: Flow[], options: ConnectivityMarkdownOptions = {}): string {
  const sorted = [...flows].sort(compareFlows);
  const labels = new Map<string, string>();
  for (const n of options.nodes ?? []) labels.set(n.id, n.label);
  const level = Math.min(6, Math.max(1, options.headingLevel ?? 1));

  const lines: string[] = [`${'#'.repeat(level)} ${title}`, ''];
  if (sorted.length === 0) {
    lines.push('_No allowed flows._', '');
  } else {
    lines.push('| From | To | Port | Protocol | L7 |', '| --- | --- | --- | --- | --- |');
    for (const f of sorted) {
      const l7 = f.l7 === undefined ? 'any' : f.l7.map(tableCell).join('<br>');
      lines.push(`| ${tableCell(f.from)} | ${tableCell(f.to)} | ${f.port} | ${tableCell(f.protocol)} | ${l7} |`);
    }
    lines.push('');
  }

  // Mermaid: node ids are sanitized flow-end ids, made unique in sorted order.
  const max = options.maxNodes ?? Infinity;
  let ends = endsOf(sorted);
  // How a flow end is drawn: itself, or collapsed when the picture would be too big. The collapsed
  // ends are those of the ends (no flow is copied to find them, nor when the diagram is left out).
  let drawnEnd = (end: string) => end;
  if (ends.length > max && options.collapse) {
    drawnEnd = options.collapse;
    ends = [...new Set(ends.map(drawnEnd))].sort(compare);
    if (ends.length <= max && options.collapsedNote) lines.push(options.collapsedNote, '');
  }
  if (ends.length > max) {
    lines.push(diagramOmitted(ends.length, 'the table lists every flow', max), '');
    return lines.join('\n');
  }
  const nodeIds = new Map<string, string>();
  const used = new Set<string>();
  for (const end of ends) {
    const base = `n_${end.replace(/[^A-Za-z0-9_]/g, '_')}`;
    let id = base;
    for (let i = 2; used.has(id); i++) id = `${base}_${i}`;
    used.add(id);
    nodeIds.set(end, id);
  }
  const edges = new Map<string, { from: string; to: string; ports: string[] }>();
  for (const f of sorted) {
    const from = drawnEnd(f.from);
    const to = drawnEnd(f.to);
    const key = `${from}\n${to}`;
    const edge = edges.get(key) ?? { from, to, ports: [] };
    const port = `${f.port}/${f.protocol}${f.l7 === undefined ? '' : ' (L7)'}`;
    if (!edge.ports.includes(port)) edge.ports.push(port);
    edges.set(key, edge);
  }
  lines.push('```mermaid', 'flowchart LR');
  for (const end of ends) lines.push(`  ${nodeIds.get(end)}["${mermaidText(labels.get(end) ?? end)}"]`);
  for (const key of [...edges.keys()].sort(compare)) {
    const e = edges.get(key)!;
    lines.push(`  ${nodeIds.get(e.from)} -->|"${mermaidText(e.ports.join(', '))}"| ${nodeIds.get(e.to)}`);
  }
  lines.push('```', '');
  return lines.join('\n');
}

function endsOf(flows: Flow[]): string[] {
  const ends = new Set<string>();
  for (const f of flows) {
    ends.add(f.from);
    ends.add(f.to);
  }
  return [...ends].sort(compare);
}

function compare(a: string, b: string): number {
  if (a < b) return -1;
  return a > b ? 1 : 0;
}
