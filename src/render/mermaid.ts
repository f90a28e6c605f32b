/** Diagrams with more nodes than this are listed as a table instead: nobody reads a bigger picture. @internal */
export const MAX_DIAGRAM_NODES = 30;

/** How a node is drawn. @internal */
export enum NodeShape {
  /** A rectangle: a component or a project. */
  BOX = 'box',
  /** A stadium: a gateway. */
  STADIUM = 'stadium',
  /** A cylinder: an external service. */
  CYLINDER = 'cylinder',
}

/** A flowchart node. @internal */
export interface MermaidNode {
  /** Mermaid id: letters, digits and `_` only (see {@link mermaidId}). */
  readonly id: string;
  readonly label: string;
  /** Second, smaller label line. */
  readonly detail?: string;
  readonly shape: NodeShape;
  /** Id of the subgraph it is drawn in. */
  readonly group?: string;
}

/** A flowchart edge. @internal */
export interface MermaidEdge {
  readonly from: string;
  readonly to: string;
  readonly label: string;
}

/** A flowchart subgraph. @internal */
export interface MermaidGroup {
  readonly id: string;
  readonly label: string;
}

/** A Mermaid id from name parts (`__` between parts, other characters `_`). @internal */
export function mermaidId(...parts: string[]): string {
  return parts.join('__').replace(/[^A-Za-z0-9_]/g, '_');
}

const NEEDS_ESCAPE = /["\n]/;

/** Escapes text inside a quoted Mermaid label (most need nothing: one test instead of two replacements). @internal */
export function mermaidText(text: string): string {
  if (!NEEDS_ESCAPE.test(text)) return text;
  return text.replace(/"/g, '#quot;').replace(/\r?\n/g, ' ');
}

/**
 * A fenced `flowchart LR` block: subgraphs with their nodes (in the given order), then the other
 * nodes, then the edges sorted. @internal
 */
export function mermaidFlowchart(nodes: MermaidNode[], edges: MermaidEdge[], groups: MermaidGroup[] = []): string[] {
  const lines = ['```mermaid', 'flowchart LR'];
  const node = (n: MermaidNode) => {
    const text = `"${mermaidText(n.label)}${n.detail === undefined ? '' : `<br/><small>${mermaidText(n.detail)}</small>`}"`;
    switch (n.shape) {
      case NodeShape.STADIUM: return `${n.id}([${text}])`;
      case NodeShape.CYLINDER: return `${n.id}[(${text})]`;
      default: return `${n.id}[${text}]`;
    }
  };
  for (const g of groups) {
    lines.push(`  subgraph ${g.id}["${mermaidText(g.label)}"]`);
    for (const n of nodes) if (n.group === g.id) lines.push(`    ${node(n)}`);
    lines.push('  end');
  }
  const grouped = new Set(groups.map(g => g.id));
  for (const n of nodes) if (n.group === undefined || !grouped.has(n.group)) lines.push(`  ${node(n)}`);
  lines.push(...edges.map(e => `  ${e.from} -->|"${mermaidText(e.label)}"| ${e.to}`).sort(), '```');
  return lines;
}

/** Why a diagram is not drawn, when it has too many nodes. @internal */
export function diagramOmitted(nodes: number, instead: string, limit = MAX_DIAGRAM_NODES): string {
  return `_No diagram: ${nodes} nodes are more than ${limit}; ${instead}._`;
}
