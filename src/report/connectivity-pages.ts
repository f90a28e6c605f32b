import { Flow } from './connectivity';
import { connectivityMarkdown, ConnectivityNode } from './connectivity-markdown';
import { COLLECTOR_ID, DNS_ID, EnvironmentConnectivity, ProbePath, PROMETHEUS_ID } from './connectivity-report';
import { groupBy } from '../render/grouping';
import { compareText, plural, tableCell } from '../render/markdown';
import { diagramOmitted, MAX_DIAGRAM_NODES, MermaidEdge, mermaidFlowchart, mermaidId, MermaidNode, NodeShape } from '../render/mermaid';
import type { RenderedDocument } from '../render/types';

/** Flows to and from the platform's infrastructure: folded into one line of notes, never drawn. @internal */
export interface InfrastructureNote {
  readonly label: string;
  /** Whether the flow is this note's. */
  readonly matches: (f: Flow) => boolean;
  /** The component end of the flow. */
  readonly component: (f: Flow) => string;
}

/** DNS, telemetry and scrape flows, in the order the notes list them. @internal */
export const INFRASTRUCTURE_NOTES: InfrastructureNote[] = [
  { label: 'DNS', matches: f => f.to === DNS_ID, component: f => f.from },
  { label: 'telemetry to otel-collector', matches: f => f.to === COLLECTOR_ID, component: f => f.from },
  { label: 'Prometheus scrapes', matches: f => f.from === PROMETHEUS_ID, component: f => f.to },
];

/** The index in {@link INFRASTRUCTURE_NOTES} of the note a flow belongs to, or -1 (flows with HTTP rules always stay in the tables). */
function noteIndex(f: Flow): number {
  if (f.l7 !== undefined) return -1;
  for (let i = 0; i < INFRASTRUCTURE_NOTES.length; i++) if (INFRASTRUCTURE_NOTES[i].matches(f)) return i;
  return -1;
}

const port = (f: Flow) => `${f.port}/${f.protocol}`;
const projectOf = (component: string) => component.slice(0, component.indexOf('/'));

/** A component's flows, sorted, indexed by project (a flow between two projects is in both). */
interface ProjectFlows {
  readonly components: string[];
  readonly flows: Flow[];
  readonly notes: Flow[];
  /** The environment's probes of the project's components, in order. */
  readonly probes: ProbePath[];
}

/** The environment's flows split once: by project, and the flows that belong to no note. */
interface EnvironmentIndex {
  readonly byProject: Map<string, ProjectFlows>;
  /** Flows between components, gateways and external services (no note's), sorted. */
  readonly appFlows: Flow[];
}

/**
 * `connectivity.md` per environment (an overview: project-level diagram or table, a table of
 * projects, the notes and the widened rules) and one `<project>/connectivity.md` per project (its
 * flows as a table and, up to {@link MAX_DIAGRAM_NODES} nodes, a diagram). Every flow is in a
 * project page, so the reports grow linearly with the platform. @internal
 */
export function renderConnectivityReports(envs: EnvironmentConnectivity[]): RenderedDocument[] {
  return envs.flatMap(env => {
    const index = indexByProject(env);
    const byProject = index.byProject;
    const dir = `${env.dataPlane}/${env.environment}`;
    return [
      { file: `${dir}/connectivity.md`, content: overview(env, index) },
      ...[...byProject.entries()].map(([project, p]) => ({ file: `${dir}/${project}/connectivity.md`, content: projectPage(env, project, p) })),
    ];
  });
}

function indexByProject(env: EnvironmentConnectivity): EnvironmentIndex {
  const components = groupBy(env.components, projectOf);
  const out = new Map<string, ProjectFlows>();
  for (const project of [...components.keys()].sort(compareText)) {
    out.set(project, { components: components.get(project)!, flows: [], notes: [], probes: [] });
  }
  const known = new Set(env.components);
  const appFlows: Flow[] = [];
  for (const f of env.flows) {
    const note = noteIndex(f);
    if (note >= 0) {
      out.get(projectOf(INFRASTRUCTURE_NOTES[note].component(f)))?.notes.push(f);
      continue;
    }
    appFlows.push(f);
    const from = known.has(f.from) ? out.get(projectOf(f.from)) : undefined;
    const to = known.has(f.to) ? out.get(projectOf(f.to)) : undefined;
    if (from) from.flows.push(f);
    if (to && to !== from) to.flows.push(f);
  }
  // A project name has no `/`: its probes are those whose component starts with `<project>/`.
  for (const p of env.probes) out.get(projectOf(p.component))?.probes.push(p);
  return { byProject: out, appFlows };
}

/**
 * The notes line: per note, the components grouped by their ports (`named`), or their counts.
 * Format: `DNS (53/TCP, 53/UDP): a, b · Prometheus scrapes (8080/TCP): c` (`every component` when
 * a group holds all of `all`). @internal
 */
export function notesLine(notes: Flow[], named: boolean, strip = '', all: string[] = []): string {
  // Per note, the ports of each component (one pass over the flows, in their order).
  const byNote = INFRASTRUCTURE_NOTES.map(() => new Map<string, Set<string>>());
  for (const f of notes) {
    const n = noteIndex(f);
    if (n < 0) continue;
    const c = INFRASTRUCTURE_NOTES[n].component(f);
    const ports = byNote[n];
    const set = ports.get(c);
    if (set) set.add(port(f));
    else ports.set(c, new Set([port(f)]));
  }
  const segments: string[] = [];
  for (let n = 0; n < INFRASTRUCTURE_NOTES.length; n++) {
    const note = INFRASTRUCTURE_NOTES[n];
    const ports = byNote[n];
    if (ports.size === 0) continue;
    if (!named) {
      const union = [...new Set([...ports.values()].flatMap(s => [...s]))].sort(comparePorts);
      segments.push(`${note.label} (${union.join(', ')}): ${plural(ports.size, 'component')}`);
      continue;
    }
    const byPorts = groupBy([...ports.keys()].sort(compareText), c => [...ports.get(c)!].sort(comparePorts).join(', '));
    for (const key of [...byPorts.keys()].sort(compareText)) {
      const components = byPorts.get(key)!;
      const names = all.length > 1 && components.length === all.length ? 'every component'
        : components.map(c => (strip && c.startsWith(strip) ? c.slice(strip.length) : c)).join(', ');
      segments.push(`${note.label} (${key}): ${names}`);
    }
  }
  return segments.length === 0 ? '' : `**Not drawn:** ${segments.join(' · ')}.`;
}

/** `port/protocol` texts by port number, then protocol (parsed in place: sorts call this for every pair). */
function comparePorts(a: string, b: string): number {
  return parseInt(a, 10) - parseInt(b, 10) || compareText(a.slice(a.indexOf('/') + 1), b.slice(b.indexOf('/') + 1));
}

function overview(env: EnvironmentConnectivity, { byProject, appFlows }: EnvironmentIndex): string {
  const notes = [...byProject.values()].flatMap(p => p.notes);
  const lines = [
    `# Connectivity: ${env.environment} (data plane ${env.dataPlane})`,
    '',
    'Computed from the emitted network policies with the back-end\'s semantics; every other flow is denied.',
    `${plural(env.flows.length, 'allowed flow')}: ${appFlows.length} between components, gateways and external services; ${notes.length} to DNS, telemetry and scrapes.`,
    '',
  ];
  const line = notesLine(notes, false);
  if (line) lines.push(line, '');
  if (env.probes.length > 0) {
    const reasons = [...new Set(env.probes.map(p => p.admittedBy))].sort(compareText);
    lines.push(`**Kubelet probes:** ${plural(env.probes.length, 'probe')} reach components from their node (admitted by ${reasons.join('; ')}); each project's page lists them.`, '');
  }
  if (env.widened.length > 0) {
    lines.push('## Wider than declared', '', 'The Kubernetes NetworkPolicy back-end cannot express these rules; the data plane accepted them wider:', '');
    for (const w of env.widened) lines.push(`- ${w}`);
    lines.push('');
  }
  lines.push('## Projects', '', ...projectDiagram(appFlows, [...byProject.keys()]), '');
  lines.push('| Project | Components | Flows within | Flows in | Flows out | Details |', '| --- | --- | --- | --- | --- | --- |');
  for (const [project, p] of byProject) {
    const prefix = `${project}/`;
    let within = 0;
    let inbound = 0;
    let outbound = 0;
    for (const f of p.flows) {
      const from = f.from.startsWith(prefix);
      const to = f.to.startsWith(prefix);
      if (from && to) within++;
      else if (to) inbound++;
      else if (from) outbound++;
    }
    lines.push(`| ${tableCell(project)} | ${p.components.length} | ${within} | ${inbound} | ${outbound} | [${project}/connectivity.md](${project}/connectivity.md) |`);
  }
  lines.push('');
  return lines.join('\n');
}

/** Where a flow end is drawn in the project-level picture. */
function overviewNode(end: string, projects: Set<string>): MermaidNode {
  if (end.startsWith('gateway:')) return { id: mermaidId('gw', end.slice(8)), label: `${end.slice(8)} gateway`, shape: NodeShape.STADIUM };
  if (end.startsWith('external:')) return { id: mermaidId('x', end.slice(9)), label: end.slice(9), detail: 'external', shape: NodeShape.CYLINDER };
  const project = end.includes('/') ? projectOf(end) : end;
  return projects.has(project)
    ? { id: mermaidId('p', project), label: project, detail: 'project', shape: NodeShape.BOX }
    : { id: mermaidId('o', end), label: end, shape: NodeShape.BOX };
}

/**
 * Projects, gateways and external services as nodes, one edge per pair with flows between
 * projects (flows inside a project are on its page); a table above {@link MAX_DIAGRAM_NODES} nodes.
 */
function projectDiagram(flows: Flow[], projectNames: string[]): string[] {
  const projects = new Set(projectNames);
  const nodes = new Map<string, MermaidNode>();
  const edges = new Map<string, { from: MermaidNode; to: MermaidNode; ports: Set<string>; flows: number }>();
  for (const name of projectNames) {
    const n = overviewNode(`${name}/`, projects);
    nodes.set(n.id, n);
  }
  // Ends recur in many flows: each is placed once.
  const placed = new Map<string, MermaidNode>();
  const place = (end: string) => {
    let n = placed.get(end);
    if (n === undefined) placed.set(end, n = overviewNode(end, projects));
    return n;
  };
  for (const f of flows) {
    const from = place(f.from);
    const to = place(f.to);
    if (from.id === to.id) continue;
    nodes.set(from.id, from);
    nodes.set(to.id, to);
    const key = `${from.id} ${to.id}`;
    const edge = edges.get(key) ?? { from, to, ports: new Set<string>(), flows: 0 };
    edge.ports.add(port(f));
    edge.flows++;
    edges.set(key, edge);
  }
  const sorted = [...edges.entries()].sort(([a], [b]) => compareText(a, b)).map(([, e]) => e);
  const portsText = (ports: Set<string>) => {
    const list = [...ports].sort(comparePorts);
    return list.length <= 3 ? list.join(', ') : `${list.length} ports`;
  };
  if (nodes.size > MAX_DIAGRAM_NODES) {
    const out = [diagramOmitted(nodes.size, 'flows between projects are listed instead'), ''];
    if (sorted.length === 0) return [...out, '_No flows between projects._'];
    out.push('| From | To | Flows | Ports |', '| --- | --- | --- | --- |');
    for (const e of sorted) out.push(`| ${tableCell(e.from.label)} | ${tableCell(e.to.label)} | ${e.flows} | ${portsText(e.ports)} |`);
    return out;
  }
  const order = (n: MermaidNode) => `${n.shape === NodeShape.BOX ? 0 : n.shape === NodeShape.STADIUM ? 1 : 2} ${n.id}`;
  const drawn = [...nodes.values()].sort((a, b) => compareText(order(a), order(b)));
  const drawnEdges: MermaidEdge[] = sorted.map(e => ({ from: e.from.id, to: e.to.id, label: `${portsText(e.ports)} (${plural(e.flows, 'flow')})` }));
  return mermaidFlowchart(drawn, drawnEdges);
}

function projectPage(env: EnvironmentConnectivity, project: string, p: ProjectFlows): string {
  const prefix = `${project}/`;
  const lines = [
    `# Connectivity: project ${project} in ${env.environment} (data plane ${env.dataPlane})`,
    '',
    `Computed from the emitted network policies; every other flow is denied. Components: ${p.components.map(c => c.slice(prefix.length)).join(', ')}.`,
    'The environment\'s overview: [../connectivity.md](../connectivity.md).',
    '',
  ];
  const line = notesLine(p.notes, true, prefix, p.components);
  if (line) lines.push(line, '');
  lines.push(...probeLines(p.probes, prefix));
  const ends = new Set(p.flows.flatMap(f => [f.from, f.to]));
  const labels: ConnectivityNode[] = [...ends].map(end => ({ id: end, label: end.startsWith(prefix) ? end.slice(prefix.length) : end }));
  // Other projects' components collapse into their project when the picture would be too big.
  const foreign = (end: string) => end.includes('/') && !end.startsWith(prefix) && !end.includes(':');
  const collapse = (end: string) => (foreign(end) ? `project ${projectOf(end)}` : end);
  for (const end of ends) if (foreign(end)) labels.push({ id: collapse(end), label: `project ${projectOf(end)}` });
  // p.flows keeps the order of env.flows, which is sorted.
  lines.push(connectivityMarkdown('Flows', p.flows, {
    headingLevel: 2,
    nodes: labels,
    maxNodes: MAX_DIAGRAM_NODES,
    collapse,
    collapsedNote: 'Components of other projects are drawn as their project (the table lists each flow).',
  }));
  return lines.join('\n');
}

/**
 * The kubelet probes of a project: they come from the node, not from a pod the policies select, so
 * the flow table cannot show them; listed with what admits them.
 */
function probeLines(probes: ProbePath[], prefix: string): string[] {
  if (probes.length === 0) return [];
  const byReason = new Map<string, string[]>();
  for (const p of probes) {
    const list = byReason.get(p.admittedBy) ?? [];
    list.push(`${p.component.slice(prefix.length)}${p.container ? ` (sidecar ${p.container})` : ''} ${p.probe} ${p.type} :${p.port}`);
    byReason.set(p.admittedBy, list);
  }
  return [...byReason.entries()].sort(([a], [b]) => compareText(a, b))
    .map(([reason, list]) => `**Kubelet probes** (from the node; admitted by ${reason}): ${list.join(', ')}.`)
    .flatMap(l => [l, '']);
}
