import { compareFlows, evaluateConnectivityUnsorted, ExternalTarget, Flow, PodIdentity, readsManifest } from './connectivity';
import { NetworkPolicyProvider } from '../model/network';
import { cellsByEnvironment } from '../render/grouping';
import { compareText } from '../render/markdown';
import type { RenderedObject } from '../render/types';
import { Cell, Plan } from '../resolve/plan';

/** Allowed flows of one environment on one data plane, computed from the emitted policies. @internal */
export interface EnvironmentConnectivity {
  readonly dataPlane: string;
  readonly environment: string;
  /** Flows with readable ends: `project/component`, `gateway:external`, `gateway:internal`, `dns`, `prometheus`, `otel-collector`, `external:<service>`. */
  readonly flows: Flow[];
  /** Every component of the environment as `project/component`, sorted. */
  readonly components: string[];
  /** Rules the Kubernetes back-end widened. */
  readonly widened: string[];
  /** Kubelet probes that reach a component over the network, and what admits them. */
  readonly probes: ProbePath[];
}

/**
 * A kubelet probe that connects to a component (exec probes run inside the container and open no
 * connection). Kubelet dials the pod from its own node, which neither back-end's default deny
 * blocks unless Cilium runs with `allow-localhost=policy`; then the emitted host rule admits it.
 * @internal
 */
export interface ProbePath {
  /** `project/component`. */
  readonly component: string;
  /** The sidecar the probe belongs to; absent for the main container. */
  readonly container?: string;
  /** `startup`, `readiness` or `liveness`. */
  readonly probe: string;
  /** `http`, `grpc` or `tcp`. */
  readonly type: string;
  readonly port: number;
  /** What admits it: the node rule of the back-end, or the emitted Cilium host rule. */
  readonly admittedBy: string;
}

/** Flow ends of the cluster DNS, Prometheus and the OpenTelemetry collector. @internal */
export const DNS_ID = 'dns';
/** @internal */
export const PROMETHEUS_ID = 'prometheus';
/** @internal */
export const COLLECTOR_ID = 'otel-collector';

/**
 * Evaluates the emitted network policies of every environment with the back-end's semantics
 * (selectors, namespaces, ports, default deny): the allowed flows, read from the objects rather
 * than from the model. @internal
 */
export function connectivityOf(plan: Plan, objects: RenderedObject[]): EnvironmentConnectivity[] {
  const byNamespace = connectivityManifestsByNamespace(objects);
  return cellsByEnvironment(plan.cells).map(([, cells]) => {
    const net = cells[0].network;
    const names = new Map<string, string>();
    const manifests: any[] = [];
    const externals = new Map<string, ExternalTarget>();
    for (const cell of cells) {
      const own = byNamespace.get(cell.namespace) ?? [];
      for (let i = 0; i < own.length; i++) manifests.push(own[i]);
      for (const c of cell.components) {
        names.set(`${cell.namespace}/${c.workloadName}`, `${cell.project}/${c.name}`);
        for (const d of c.dependencies) {
          if (d.kind !== 'external') continue;
          const id = `external:${d.service}`;
          externals.set(id, { id, port: d.port, protocol: d.protocol, ...(d.cidrs ? { ip: d.cidrs[0].split('/')[0] } : { fqdn: d.fqdn }) });
        }
      }
    }
    // Pods an operator creates (managed resources) are invisible in the manifests: name them here.
    const resourcePods: PodIdentity[] = [];
    for (const cell of cells) {
      for (const r of cell.resources ?? []) {
        for (const p of r.pods) {
          names.set(`${cell.namespace}/${p.name}`, p.display);
          resourcePods.push({ id: `${cell.namespace}/${p.name}`, namespace: cell.namespace, labels: p.labels, ports: p.ports });
        }
        const op = r.operatorPods;
        if (op && !resourcePods.some(p => p.id === `operator:${op.namespace}`)) resourcePods.push({ id: `operator:${op.namespace}`, namespace: op.namespace, labels: op.labels, ports: [] });
      }
    }
    const tracing = cells.flatMap(c => c.components.flatMap(x => (x.observability.tracing ? [x.observability.tracing.collectorPort] : [])));
    const collectorPorts = [...new Set(tracing)]
      .sort((a, b) => a - b).map(port => ({ port, protocol: 'TCP' as const }));
    const extraPods: PodIdentity[] = [
      { id: 'gateway:external', namespace: net.externalGatewayPods.namespace, labels: net.externalGatewayPods.labels, ports: [] },
      { id: 'gateway:internal', namespace: net.internalGatewayPods.namespace, labels: net.internalGatewayPods.labels, ports: [] },
      { id: DNS_ID, namespace: net.dnsPods.namespace, labels: net.dnsPods.labels, ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }] },
      { id: PROMETHEUS_ID, namespace: net.prometheusPods.namespace, labels: net.prometheusPods.labels, ports: [] },
      { id: COLLECTOR_ID, namespace: net.collectorPods.namespace, labels: net.collectorPods.labels, ports: collectorPorts },
      ...resourcePods,
    ];
    const targets = [...externals.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
    const evaluated = evaluateConnectivityUnsorted({ manifests, extraPods, externals: targets });
    const flows = renamedSorted(evaluated, names);
    const components = [...names.values()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const { dataPlane, environment } = cells[0];
    return { dataPlane, environment, flows, components, widened: collectWidened(cells), probes: probePaths(cells) };
  });
}

/**
 * The evaluated flows with their ends renamed (`names`: pod id → `project/component`), without the
 * flows between pods outside the cells (gateway → DNS, gateway → internet: not ours to govern),
 * sorted by {@link compareFlows} on the new names, ties (two pods of one name) in the evaluator's
 * order. One sort, and on numbers: each distinct end and protocol is ranked once (a few thousand
 * names), then each flow gets one number ordered as (from rank, to rank, port, protocol rank) are,
 * so that the flows (a hundred times more) are compared by a subtraction instead of long names
 * that share their prefixes.
 */
function renamedSorted(evaluated: Flow[], names: Map<string, string>): Flow[] {
  const flows: Flow[] = [];
  const raw: Flow[] = [];
  const rank = new Map<string, number>();
  const protocols = new Map<string, number>();
  for (let i = 0; i < evaluated.length; i++) {
    const f = evaluated[i];
    const from = names.get(f.from);
    const to = names.get(f.to);
    if (from === undefined && to === undefined) continue;
    const renamed: Flow = f.l7 === undefined
      ? { from: from ?? f.from, to: to ?? f.to, port: f.port, protocol: f.protocol }
      : { from: from ?? f.from, to: to ?? f.to, port: f.port, protocol: f.protocol, l7: f.l7 };
    flows.push(renamed);
    raw.push(f);
    rank.set(renamed.from, 0);
    rank.set(renamed.to, 0);
    protocols.set(renamed.protocol, 0);
  }
  const ends = [...rank.keys()].sort(compareText);
  for (let i = 0; i < ends.length; i++) rank.set(ends[i], i);
  const protocolNames = [...protocols.keys()].sort(compareText);
  for (let i = 0; i < protocolNames.length; i++) protocols.set(protocolNames[i], i);
  // ports are 1-65535 (the evaluator checks them); the number stays an exact integer below 2^53
  const keys = new Float64Array(flows.length);
  const exact = ends.length * ends.length * PORTS * protocolNames.length <= Number.MAX_SAFE_INTEGER;
  for (let i = 0; exact && i < flows.length; i++) {
    const f = flows[i];
    keys[i] = ((rank.get(f.from)! * ends.length + rank.get(f.to)!) * PORTS + f.port) * protocolNames.length + protocols.get(f.protocol)!;
  }
  const order = Array.from({ length: flows.length }, (_, i) => i);
  order.sort(exact
    ? (a, b) => keys[a] - keys[b] || compareFlows(raw[a], raw[b])
    : (a, b) => rank.get(flows[a].from)! - rank.get(flows[b].from)! || rank.get(flows[a].to)! - rank.get(flows[b].to)!
      || flows[a].port - flows[b].port || compareText(flows[a].protocol, flows[b].protocol) || compareFlows(raw[a], raw[b]));
  return order.map(i => flows[i]);
}

/** How many port numbers a flow's port is below (ports are 1-65535). */
const PORTS = 65536;

/**
 * The manifests the evaluator reads, per namespace (a Namespace object counts as part of itself):
 * a quarter of the objects, so each environment's evaluation walks no Services, ConfigMaps, ….
 */
function connectivityManifestsByNamespace(objects: RenderedObject[]): Map<string, any[]> {
  const byNamespace = new Map<string, any[]>();
  for (const { manifest } of objects) {
    if (!readsManifest(manifest)) continue;
    const namespace = manifest.kind === 'Namespace' ? manifest.metadata.name : manifest.metadata.namespace;
    if (namespace === undefined) continue;
    const list = byNamespace.get(namespace);
    if (list) list.push(manifest);
    else byNamespace.set(namespace, [manifest]);
  }
  return byNamespace;
}

const PROBE_ORDER = ['startup', 'readiness', 'liveness'] as const;

function probePaths(cells: Cell[]): ProbePath[] {
  const out: ProbePath[] = [];
  for (const cell of cells) {
    for (const c of cell.components) {
      const hostRule = c.network.ingress.some(r => r.peer.kind === 'host');
      const admittedBy = cell.network.provider === NetworkPolicyProvider.KUBERNETES
        ? 'NetworkPolicy, which always admits traffic from the pod\'s own node'
        : hostRule ? 'the emitted host-entity rule on the probe ports, as Cilium runs with allow-localhost=policy'
          : 'Cilium\'s default allow-localhost=always, under which the node reaches every port of its pods';
      for (const [container, probes] of [['', c.pod.probes] as const, ...c.sidecars.map(s => [s.name, s.probes] as const)]) {
        for (const probe of PROBE_ORDER) {
          const p = probes[probe];
          if (!p || p.port === undefined) continue;
          out.push({ component: `${cell.project}/${c.name}`, ...(container ? { container } : {}), probe, type: p.type, port: p.port, admittedBy });
        }
      }
    }
  }
  const rank = (p: ProbePath) => PROBE_ORDER.indexOf(p.probe as typeof PROBE_ORDER[number]);
  return out.sort((a, b) => compareText(a.component, b.component) || rank(a) - rank(b));
}

function collectWidened(cells: Cell[]): string[] {
  return [...new Set(cells.flatMap(c => c.network.widened.map(w => w.text)))].sort();
}
