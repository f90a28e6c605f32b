import { Labels, MANAGED_BY } from './labels';
import { PlanPort, RuleParts } from './network-rules';
import { Cell, CellNetwork, PlanComponent, PlanDependency, PlanNetworkRule, PlanPeer } from './plan';
import { uniqueWidened, WidenedRule, widenedFqdnEgress, widenedHttpRules } from './widened';
import { CiliumLocalhost, DataPlane } from '../model/data-plane';
import { EndpointType, Visibility } from '../model/endpoint';
import { ProblemCollector } from '../model/errors';
import { IsolationMode, NetworkPolicyProvider, PodPeer } from '../model/network';

/** Pods outside the cells that a cell's policies name: its environment's gateway proxies, Prometheus, the collector. @internal */
export interface CellPeers {
  readonly external: PodPeer;
  readonly internal: PodPeer;
  readonly prometheus: PodPeer;
  readonly collector: PodPeer;
  /** Whether HTTP ingress gets L7 visibility for Hubble's request metrics. */
  readonly l7Visibility: boolean;
}

/** A component before its network rules are known. @internal */
export type DraftComponent = Omit<PlanComponent, 'network'>;
/** A cell before network rules are attached. @internal */
export type DraftCell = Omit<Cell, 'components' | 'network'> & { readonly components: DraftComponent[] };

/**
 * Derives every component's ingress and egress rules from the declared endpoints, visibilities
 * and dependencies (back-end neutral). Checks what the data plane's back-end cannot express.
 * @internal
 */
export function attachNetwork(
  cells: DraftCell[], planes: Map<string, DataPlane>, isolation: IsolationMode,
  peersOf: (cell: DraftCell) => CellPeers, problems: ProblemCollector,
): Cell[] {
  // Reverse index: who depends on each provider component, per cell.
  const consumers = new Map<string, Array<{ cell: DraftCell; component: DraftComponent; dep: PlanDependency }>>();
  for (const cell of cells) {
    for (const c of cell.components) {
      for (const dep of c.dependencies) {
        if (dep.kind !== 'endpoint') continue;
        const key = `${dep.namespace}/${dep.component}`;
        const entry = { cell, component: c, dep };
        if (consumers.has(key)) consumers.get(key)!.push(entry);
        else consumers.set(key, [entry]);
      }
    }
  }
  const parts = new RuleParts();
  return cells.map(cell => {
    const plane = planes.get(cell.dataPlane)!;
    const peers = peersOf(cell);
    const widened: WidenedRule[] = [];
    // Peers every component of the cell names: made once per cell.
    const cellsOfEnv: PlanPeer = {
      kind: 'cells',
      namespaceLabels: { [Labels.NAMESPACE]: cell.organization, [Labels.ENVIRONMENT]: cell.environment, [Labels.MANAGED_BY]: MANAGED_BY },
    };
    const wholeCell: PlanPeer = { kind: 'namespace', namespace: cell.namespace };
    const internalGateway: PlanPeer = { kind: 'pods', ...peers.internal };
    const externalGateway: PlanPeer = { kind: 'pods', ...peers.external };
    const prometheus: PlanPeer = { kind: 'pods', ...peers.prometheus };
    const collector: PlanPeer = { kind: 'pods', ...peers.collector };
    const components: PlanComponent[] = cell.components.map(c => {
      const ingress: PlanNetworkRule[] = [];
      const egress: PlanNetworkRule[] = [];
      // Policies see the pods' ports (after the Service's translation): the container ports.
      const portsWith = (v: Visibility) => {
        const ports: PlanPort[] = [];
        for (const e of c.endpoints) if (e.visibility.includes(v)) ports.push(parts.port(e.targetPort, e.protocol));
        return ports;
      };
      if (isolation === IsolationMode.OPENCHOREO_COMPATIBLE) {
        if (c.endpoints.length > 0) {
          ingress.push({ peer: wholeCell, ports: portsWith(Visibility.PROJECT), reason: 'PROJECT visibility: any pod of the cell' });
        }
        const org = portsWith(Visibility.ORGANIZATION);
        if (org.length > 0) ingress.push({ peer: cellsOfEnv, ports: org, reason: 'ORGANIZATION visibility: any pod of the organization in this environment' });
        egress.push({ peer: wholeCell, ports: parts.everyPort, reason: 'OpenChoreo-compatible isolation: the cell' });
        egress.push({ peer: cellsOfEnv, ports: parts.everyPort, reason: 'OpenChoreo-compatible isolation: the organization\'s cells in this environment' });
      } else {
        for (const u of consumers.get(`${cell.namespace}/${c.name}`) ?? []) {
          ingress.push({
            peer: parts.podsOf(u.cell.namespace, u.component.name),
            ports: parts.onePort(u.dep.targetPort, u.dep.protocol),
            http: httpFor(cell, plane, u.component, u.dep, widened, problems),
            reason: `dependency of ${u.cell.project}/${u.component.name} on endpoint ${u.dep.endpoint}`,
          });
        }
      }
      const internal = portsWith(Visibility.INTERNAL);
      if (internal.length > 0) ingress.push({ peer: internalGateway, ports: internal, reason: 'INTERNAL visibility: the internal gateway' });
      const pub = portsWith(Visibility.PUBLIC);
      if (pub.length > 0) ingress.push({ peer: externalGateway, ports: pub, reason: 'PUBLIC visibility: the external gateway' });
      const metrics = c.observability.metrics;
      if (metrics) {
        ingress.push({ peer: prometheus, ports: parts.onePort(metrics.containerPort, 'TCP'), reason: 'metrics scraped by Prometheus' });
      }
      for (const use of c.traits ?? []) {
        if (use.scrapePorts.length === 0) continue;
        ingress.push({ peer: prometheus, ports: use.scrapePorts.map(port => parts.port(port, 'TCP')), reason: `metrics scraped by Prometheus (trait ${use.name})` });
      }
      const peerPorts = (c.stateful?.peerPorts ?? []).map(port => parts.port(port, 'TCP'));
      if (peerPorts.length > 0) {
        // a StatefulService's replicas replicate / gossip with each other on the declared peer ports
        ingress.push({ peer: parts.podsOf(cell.namespace, c.name), ports: peerPorts, reason: 'peer traffic among the StatefulService\'s own replicas' });
        egress.push({ peer: parts.podsOf(cell.namespace, c.name), ports: peerPorts, reason: 'peer traffic among the StatefulService\'s own replicas' });
      }
      for (const r of cell.resources ?? []) {
        if (r.consumerEgress && r.consumers.includes(c.name)) egress.push(r.consumerEgress);
      }
      const tracing = c.observability.tracing;
      if (tracing) {
        egress.push({ peer: collector, ports: parts.onePort(tracing.collectorPort, 'TCP'), reason: 'traces to the OpenTelemetry collector' });
      }

      for (const dep of c.dependencies) {
        const ports = parts.onePort(dep.targetPort, dep.protocol);
        const what = dep.trait ? `egress of trait ${dep.trait} to ${dep.service}` : `dependency on external service ${dep.service}`;
        if (dep.kind === 'endpoint') {
          if (isolation === IsolationMode.OPENCHOREO_COMPATIBLE) continue;
          egress.push({
            peer: parts.podsOf(dep.namespace!, dep.component!),
            ports,
            http: httpFor(cell, plane, c, dep, [], problems),
            reason: `dependency on ${dep.project}/${dep.component} endpoint ${dep.endpoint}`,
          });
        } else if (dep.cidrs) {
          egress.push({ peer: { kind: 'cidrs', cidrs: dep.cidrs }, ports, reason: what });
        } else if (plane.networkPolicyProvider === NetworkPolicyProvider.CILIUM) {
          egress.push({ peer: { kind: 'fqdn', fqdn: dep.fqdn }, ports, reason: what });
        } else if (plane.acceptWiderNetworkRules) {
          widened.push(widenedFqdnEgress(`${cell.project}/${c.name}`, `${dep.service} (${dep.fqdn}:${dep.port})`, [{ port: dep.port, protocol: dep.protocol }]));
          egress.push({ peer: { kind: 'anywhere' }, ports, reason: `${what} (widened: NetworkPolicy has no FQDN rules)` });
        } else {
          problems.add(c.path, `${dep.trait ? `trait '${dep.trait}' needs egress '${dep.service}'` : `depends on external service '${dep.service}'`} by host name (${dep.fqdn}), which the Kubernetes NetworkPolicy back-end of data plane '${plane.name}' cannot express`,
            `declare the service's cidrs, use the Cilium back-end, or set acceptWiderNetworkRules: true on data plane '${plane.name}' to allow port ${dep.port} to any address`);
        }
      }
      // the probe ports are collected only where they become a rule
      const probed = plane.ciliumLocalhost === CiliumLocalhost.POLICY ? probePorts(c) : [];
      if (probed.length > 0) {
        // allow-localhost=policy: only policy admits the node; the probe ports only, no L7 rule (Envoy would 403 the kubelet)
        ingress.push({ peer: { kind: 'host' }, ports: probed, reason: 'kubelet probes (Cilium allow-localhost=policy)' });
      }
      const visible = peers.l7Visibility ? withL7Visibility(ingress, c.endpoints) : ingress;
      return completeDraft(c, { network: { ingress: parts.mergeRules(visible), egress: parts.mergeRules(egress) } });
    });
    const network: CellNetwork = {
      provider: plane.networkPolicyProvider,
      isolation,
      dnsPods: plane.dnsPods,
      externalGatewayPods: peers.external,
      internalGatewayPods: peers.internal,
      prometheusPods: peers.prometheus,
      collectorPods: peers.collector,
      widened: uniqueWidened(widened),
    };
    return completeDraft(cell, { components, network });
  });
}

/**
 * Completes a draft (resolve's own object, read by nothing else afterwards) in place. Not
 * `{ ...draft, network }`: V8 gives every object that a spread adds a property to a hidden class of
 * its own (half a kilobyte per component and environment), and copying forty properties onto `{}`
 * turns the copy into a dictionary.
 */
function completeDraft<D extends object, R extends object>(draft: D, rest: R): D & R {
  return Object.assign(draft, rest);
}

const L7_TYPES = new Set([EndpointType.HTTP, EndpointType.GRAPHQL, EndpointType.WEBSOCKET, EndpointType.GRPC]);

/**
 * Hubble measures only requests that pass Cilium's L7 proxy: each ingress rule to an HTTP-like or
 * gRPC endpoint port without HTTP rules gets an allow-all HTTP rule (`{}`), split from the rule's
 * other ports. Metrics scrapes stay L4.
 */
function withL7Visibility(rules: PlanNetworkRule[], endpoints: DraftComponent['endpoints']): PlanNetworkRule[] {
  const l7Ports = new Set(endpoints.filter(e => L7_TYPES.has(e.type)).map(e => `${e.targetPort}/${e.protocol}`));
  return rules.flatMap(r => {
    if (r.http || r.ports.length === 0 || r.reason.startsWith('metrics scraped by Prometheus')) return [r];
    const l7 = r.ports.filter(p => l7Ports.has(`${p.port}/${p.protocol}`));
    const l4 = r.ports.filter(p => !l7Ports.has(`${p.port}/${p.protocol}`));
    return [
      ...(l7.length > 0 ? [{ ...r, ports: l7, http: [{}] }] : []),
      ...(l4.length > 0 ? [{ ...r, ports: l4 }] : []),
    ];
  });
}

/** HTTP rules of a dependency as the data plane's back-end can enforce them. */
function httpFor(
  cell: DraftCell, plane: DataPlane, consumer: DraftComponent, dep: PlanDependency, widened: WidenedRule[], problems: ProblemCollector,
) {
  if (!dep.http || plane.networkPolicyProvider === NetworkPolicyProvider.CILIUM) return dep.http;
  if (plane.acceptWiderNetworkRules) {
    widened.push(widenedHttpRules(consumer.name, `${dep.project}/${dep.component}:${dep.port}`, { port: dep.port, protocol: dep.protocol }));
    return undefined;
  }
  problems.add(consumer.path, `narrows its dependency on '${dep.project}/${dep.component}' endpoint '${dep.endpoint}' with httpRules, which the Kubernetes NetworkPolicy back-end of data plane '${plane.name}' cannot enforce (in '${cell.environment}')`,
    `remove httpRules, use the Cilium back-end, or set acceptWiderNetworkRules: true on data plane '${plane.name}' to allow the whole port`, { environment: cell.environment });
  return undefined;
}

/** The TCP ports the kubelet probes (exec probes make no traffic), sorted. */
function probePorts(c: DraftComponent): Array<{ port: number; protocol: 'TCP' }> {
  const ports = new Set<number>();
  for (const probes of [c.pod.probes, ...c.sidecars.map(s => s.probes)]) {
    for (const p of Object.values(probes)) if (p?.port !== undefined) ports.add(p.port);
  }
  return [...ports].sort((a, b) => a - b).map(port => ({ port, protocol: 'TCP' as const }));
}
