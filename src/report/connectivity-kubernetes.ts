// Compiles networking.k8s.io/v1 NetworkPolicy for the connectivity engine.
import { cidrContains, parseCidr } from './cidr';
import { ANY_POD, checkKeys, CompiledDirection, CompiledPolicy, CompiledRule, Direction, ExternalPeer, IMPLICIT_NS_LABEL, list, PodPeer, PortMatch } from './connectivity-model';
import { compileSelector, compileSelectorParts } from './label-selector';

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
  if (matchers.length === 0) return { pods: [ANY_POD], externals: [() => true], entries: [{ ports }] }; // no peers: every peer
  return {
    pods: matchers.flatMap(m => (m.pod ? [m.pod] : [])),
    externals: matchers.flatMap(m => (m.external ? [m.external] : [])),
    entries: [{ ports }],
  };
}

/** One NetworkPolicy peer: pods (podSelector / namespaceSelector) or externals (ipBlock). */
export function compileNpPeer(peer: any, namespace: string, where: string, path: string): { pod?: PodPeer; external?: (x: ExternalPeer) => boolean } {
  checkKeys(peer, ['podSelector', 'namespaceSelector', 'ipBlock'], where, path);
  const keys = Object.keys(peer);
  if (keys.length === 0) throw new Error(`connectivity: ${where}: ${path} is empty (Kubernetes rejects a peer without a selector)`);
  if (peer.ipBlock !== undefined) {
    if (keys.length > 1) throw new Error(`connectivity: ${where}: ${path} combines ipBlock with a selector (Kubernetes rejects it)`);
    checkKeys(peer.ipBlock, ['cidr', 'except'], where, `${path}.ipBlock`);
    const block = parseCidr(peer.ipBlock.cidr, where, `${path}.ipBlock.cidr`);
    const except = (list(peer.ipBlock.except, where, `${path}.ipBlock.except`) ?? [])
      .map((e, j) => parseCidr(e, where, `${path}.ipBlock.except[${j}]`));
    return { external: x => cidrContains(block, except, x) };
  }
  const podSelector = peer.podSelector === undefined ? undefined : compileSelectorParts(peer.podSelector, { evaluator: 'connectivity', where, path: `${path}.podSelector` });
  const pods = podSelector?.test ?? (() => true);
  const nss = peer.namespaceSelector === undefined ? undefined : compileSelector(peer.namespaceSelector, { evaluator: 'connectivity', where, path: `${path}.namespaceSelector` });
  return {
    pod: {
      // the namespaces its pods can be in: the policy's, or the one the namespace selector names (undefined = any)
      namespace: nss === undefined ? namespace : peer.namespaceSelector.matchLabels?.[IMPLICIT_NS_LABEL],
      label: podSelector?.equalities[0],
      matches: nss === undefined
        ? pod => pod.identity.namespace === namespace && pods(pod.identity.labels)
        : pod => nss(pod.nsLabels) && pods(pod.identity.labels),
    },
  };
}

