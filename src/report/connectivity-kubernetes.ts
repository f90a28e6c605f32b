// Compiles networking.k8s.io/v1 NetworkPolicy for the connectivity engine.
import { cidrMatches, parseCidr } from './cidr';
import { checkKeys, CompiledDirection, CompiledPolicy, CompiledRule, Direction, IMPLICIT_NS_LABEL, list, Peer, PortMatch } from './connectivity-model';
import { compileSelector } from './label-selector';

// --- Kubernetes NetworkPolicy

export function compileNetworkPolicy(m: any, where: string): CompiledPolicy {
  const namespace: string = m.metadata?.namespace ?? 'default';
  const spec = m.spec ?? {};
  checkKeys(spec, ['podSelector', 'policyTypes', 'ingress', 'egress'], where, 'spec');
  const subject = compileSelector(spec.podSelector ?? {}, { evaluator: 'connectivity', where, path: 'spec.podSelector' });
  const ingress = list(spec.ingress, where, 'spec.ingress') ?? [];
  const egress = list(spec.egress, where, 'spec.egress') ?? [];
  const declared = list(spec.policyTypes, where, 'spec.policyTypes');
  const types: string[] = declared !== undefined && declared.length > 0 ? declared : egress.length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
  for (const t of types) {
    if (t !== 'Ingress' && t !== 'Egress') throw new Error(`connectivity: ${where}: spec.policyTypes value ${t} is invalid`);
  }
  const direction = (dir: Direction, rules: any[]): CompiledDirection => {
    const compiled = rules.map((r, i) => compileNpRule(r, dir, namespace, where, `spec.${dir}[${i}]`));
    const active = types.includes(dir === 'ingress' ? 'Ingress' : 'Egress');
    return { defaultDeny: active, hasHttp: false, rules: active ? compiled : [] };
  };
  return {
    where,
    namespace,
    selects: pod => pod.identity.namespace === namespace && subject(pod.identity.labels),
    ingress: direction('ingress', ingress),
    egress: direction('egress', egress),
  };
}

export function compileNpRule(rule: any, dir: Direction, namespace: string, where: string, path: string): CompiledRule {
  const peersKey = dir === 'ingress' ? 'from' : 'to';
  checkKeys(rule, [peersKey, 'ports'], where, path);
  const peers = list(rule[peersKey], where, `${path}.${peersKey}`) ?? [];
  const matchers = peers.map((peer, i) => compileNpPeer(peer, namespace, where, `${path}.${peersKey}[${i}]`));
  const scopes = peers.map(peer => npPeerNamespaces(peer, namespace));
  const podNamespaces = matchers.length === 0 || scopes.some(x => x === undefined) ? undefined : scopes.flatMap(x => x!);
  const ports = (list(rule.ports, where, `${path}.ports`) ?? []).map((pp, i) => {
    const ppPath = `${path}.ports[${i}]`;
    checkKeys(pp, ['port', 'endPort', 'protocol'], where, ppPath);
    const protocol = pp.protocol ?? 'TCP';
    if (!['TCP', 'UDP', 'SCTP'].includes(protocol)) throw new Error(`connectivity: ${where}: ${ppPath}.protocol ${protocol} is invalid`);
    if (pp.port === undefined) {
      if (pp.endPort !== undefined) throw new Error(`connectivity: ${where}: ${ppPath}.endPort needs a port`);
      const any: PortMatch = { protocol };
      return any;
    }
    if (typeof pp.port === 'number') {
      if (pp.endPort !== undefined && (typeof pp.endPort !== 'number' || pp.endPort < pp.port)) {
        throw new Error(`connectivity: ${where}: ${ppPath}.endPort ${pp.endPort} is invalid for port ${pp.port}`);
      }
      const numeric: PortMatch = { protocol, port: pp.port, endPort: pp.endPort };
      return numeric;
    }
    if (pp.endPort !== undefined) throw new Error(`connectivity: ${where}: ${ppPath}.endPort needs a numeric port`);
    const named: PortMatch = { protocol, name: String(pp.port) };
    return named;
  });
  return {
    peer: matchers.length === 0 ? () => true : x => matchers.some(m => m(x)),
    entries: [{ ports }],
    podNamespaces,
  };
}

/** The namespaces a NetworkPolicy peer's pods can be in; undefined = any. */
export function npPeerNamespaces(peer: any, namespace: string): string[] | undefined {
  if (peer?.ipBlock !== undefined) return [];
  if (peer?.namespaceSelector === undefined) return [namespace];
  const name = peer.namespaceSelector.matchLabels?.[IMPLICIT_NS_LABEL];
  return name === undefined ? undefined : [name];
}

export function compileNpPeer(peer: any, namespace: string, where: string, path: string): (x: Peer) => boolean {
  checkKeys(peer, ['podSelector', 'namespaceSelector', 'ipBlock'], where, path);
  const keys = Object.keys(peer);
  if (keys.length === 0) throw new Error(`connectivity: ${where}: ${path} is empty (Kubernetes rejects a peer without a selector)`);
  if (peer.ipBlock !== undefined) {
    if (keys.length > 1) throw new Error(`connectivity: ${where}: ${path} combines ipBlock with a selector (Kubernetes rejects it)`);
    checkKeys(peer.ipBlock, ['cidr', 'except'], where, `${path}.ipBlock`);
    const block = parseCidr(peer.ipBlock.cidr, where, `${path}.ipBlock.cidr`);
    const except = (list(peer.ipBlock.except, where, `${path}.ipBlock.except`) ?? [])
      .map((e, j) => parseCidr(e, where, `${path}.ipBlock.except[${j}]`));
    return x => x.external !== undefined && cidrMatches(block, except, x.external);
  }
  const pods = peer.podSelector === undefined ? () => true : compileSelector(peer.podSelector, { evaluator: 'connectivity', where, path: `${path}.podSelector` });
  const nss = peer.namespaceSelector === undefined ? undefined : compileSelector(peer.namespaceSelector, { evaluator: 'connectivity', where, path: `${path}.namespaceSelector` });
  return x => x.pod !== undefined
    && (nss === undefined ? x.pod.identity.namespace === namespace : nss(x.pod.nsLabels))
    && pods(x.pod.identity.labels);
}

