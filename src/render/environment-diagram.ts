import { plural } from './markdown';
import { diagramOmitted, MAX_DIAGRAM_NODES, MermaidEdge, mermaidFlowchart, MermaidGroup, mermaidId, MermaidNode, NodeShape } from './mermaid';
import { Visibility } from '../model/endpoint';
import { Cell } from '../resolve/plan';

/**
 * The environment's picture: components in project subgraphs with gateways, external services and
 * dependencies; projects instead of components when that has more than {@link MAX_DIAGRAM_NODES}
 * nodes; a sentence instead of a picture when even that is too big. DNS and telemetry are never
 * drawn. @internal
 */
export function environmentDiagram(cells: Cell[]): string[] {
  // Every component is a node: beyond the limit there is no need to build the component graph.
  const count = cells.reduce((n, c) => n + c.components.length, 0);
  const components = count <= MAX_DIAGRAM_NODES ? componentGraph(cells) : undefined;
  if (components && components.nodes.length <= MAX_DIAGRAM_NODES) return mermaidFlowchart(components.nodes, components.edges, components.groups);
  const projects = projectGraph(cells);
  if (projects.nodes.length <= MAX_DIAGRAM_NODES) {
    const too = components ? `${components.nodes.length} nodes` : `${count} components`;
    return [`Projects instead of components (${too} would be too many to read); each project's connectivity.md has its components.`, '',
      ...mermaidFlowchart(projects.nodes, projects.edges)];
  }
  return [diagramOmitted(projects.nodes.length, 'the tables above and connectivity.md list every dependency')];
}

interface Graph {
  readonly nodes: MermaidNode[];
  readonly edges: MermaidEdge[];
  readonly groups: MermaidGroup[];
}

const gatewayNode = (g: string): MermaidNode => ({ id: mermaidId('gw', g), label: `${g} gateway`, shape: NodeShape.STADIUM });

/** Gateways an endpoint is exposed on. */
function gatewaysOf(visibility: Visibility[]): string[] {
  return [...(visibility.includes(Visibility.PUBLIC) ? ['external'] : []), ...(visibility.includes(Visibility.INTERNAL) ? ['internal'] : [])];
}

function componentGraph(cells: Cell[]): Graph {
  const groups: MermaidGroup[] = [];
  const nodes: MermaidNode[] = [];
  const gateways = new Set<string>();
  const externals = new Map<string, string>();
  const edges: MermaidEdge[] = [];
  for (const cell of cells) {
    const group = mermaidId('p', cell.project);
    groups.push({ id: group, label: `project ${cell.project}` });
    for (const c of cell.components) {
      const id = mermaidId('c', cell.project, c.name);
      nodes.push({ id, label: c.name, detail: c.kind, shape: NodeShape.BOX, group });
      for (const e of c.endpoints) {
        for (const g of gatewaysOf(e.visibility)) {
          gateways.add(g);
          edges.push({ from: mermaidId('gw', g), to: id, label: `${e.name} :${e.port}` });
        }
      }
      for (const d of c.dependencies) {
        if (d.kind === 'endpoint') {
          edges.push({ from: id, to: mermaidId('c', d.project!, d.component!), label: `${d.endpoint} :${d.port}` });
        } else {
          externals.set(d.service!, `${d.fqdn ?? d.cidrs!.join(', ')}:${d.port}`);
          edges.push({ from: id, to: mermaidId('x', d.service!), label: `:${d.port}` });
        }
      }
    }
  }
  for (const g of [...gateways].sort()) nodes.push(gatewayNode(g));
  for (const [name, where] of [...externals.entries()].sort()) nodes.push({ id: mermaidId('x', name), label: name, detail: where, shape: NodeShape.CYLINDER });
  return { nodes, edges, groups };
}

/**
 * Projects, gateways and external services. The edges are only built when the nodes fit in a
 * diagram (`edges` is empty otherwise): a big environment's picture is left out, and its edges
 * would cost a pass with a key per dependency for nothing.
 */
function projectGraph(cells: Cell[]): Graph {
  const nodes: MermaidNode[] = cells.map(cell => ({ id: mermaidId('p', cell.project), label: cell.project, detail: `${cell.components.length} components`, shape: NodeShape.BOX }));
  const gateways = new Set<string>();
  const externals = new Set<string>();
  for (const cell of cells) {
    for (const c of cell.components) {
      for (const e of c.endpoints) for (const g of gatewaysOf(e.visibility)) gateways.add(g);
      for (const d of c.dependencies) if (d.kind === 'external') externals.add(d.service!);
    }
  }
  for (const g of [...gateways].sort()) nodes.push(gatewayNode(g));
  for (const x of [...externals].sort()) nodes.push({ id: mermaidId('x', x), label: x, detail: 'external', shape: NodeShape.CYLINDER });
  if (nodes.length > MAX_DIAGRAM_NODES) return { nodes, edges: [], groups: [] };
  const edges = new Map<string, { from: string; to: string; count: number }>();
  const add = (from: string, to: string) => {
    const key = `${from} ${to}`;
    const edge = edges.get(key) ?? { from, to, count: 0 };
    edge.count++;
    edges.set(key, edge);
  };
  for (const cell of cells) {
    const id = mermaidId('p', cell.project);
    for (const c of cell.components) {
      for (const e of c.endpoints) for (const g of gatewaysOf(e.visibility)) add(mermaidId('gw', g), id);
      for (const d of c.dependencies) {
        if (d.kind === 'endpoint' && d.project !== cell.project) add(id, mermaidId('p', d.project!));
        if (d.kind === 'external') add(id, mermaidId('x', d.service!));
      }
    }
  }
  const list = [...edges.values()].map(e => ({
    from: e.from, to: e.to, label: e.from.startsWith('gw__') ? plural(e.count, 'endpoint') : plural(e.count, 'dependency', 'dependencies'),
  }));
  return { nodes, edges: list, groups: [] };
}
