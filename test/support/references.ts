/**
 * Reference integrity of emitted objects, the way Gateway API and Envoy Gateway resolve them,
 * computed from the objects alone:
 * - a route's parentRef names an emitted Gateway whose listener (sectionName) admits the route:
 *   the route's namespace matches the listener's allowedRoutes (Same, All, or a Selector over the
 *   emitted Namespace's labels), the route kind is allowed, and the route's host names fall under
 *   the listener's host name;
 * - a route's backendRef names an emitted Service in the route's namespace with that port;
 * - a policy's targetRef names an emitted route or Gateway in the policy's namespace;
 * - a Gateway names an emitted GatewayClass and EnvoyProxy (infrastructure.parametersRef);
 * - every Secret a Gateway or SecurityPolicy names is written by an emitted ExternalSecret in that
 *   namespace, or is provided outside the platform (cert-manager for an annotated Gateway, or one
 *   of `externalSecrets`).
 * Returns the problems found (empty when every reference resolves).
 */

import { selects } from '../../src/report/label-selector';

const LISTENER_SELECTOR = { evaluator: 'references', where: 'Gateway listener', path: 'allowedRoutes.namespaces.selector' };
export function referenceProblems(objects: any[], externalSecrets: string[] = []): string[] {
  const problems: string[] = [];
  const key = (kind: string, namespace: string | undefined, name: string) => `${kind}/${namespace ?? ''}/${name}`;
  const byKey = new Map(objects.map(o => [key(o.kind, o.metadata.namespace, o.metadata.name), o]));
  const find = (kind: string, namespace: string | undefined, name: string) => byKey.get(key(kind, namespace, name));
  const namespaceLabels = (name: string): Record<string, string> => ({
    ...(find('Namespace', undefined, name)?.metadata.labels ?? {}),
    'kubernetes.io/metadata.name': name,
  });
  const secretsWritten = new Set(objects.filter(o => o.kind === 'ExternalSecret').map(o => key('Secret', o.metadata.namespace, o.spec.target.name)));
  const secretExists = (namespace: string, name: string) => secretsWritten.has(key('Secret', namespace, name)) || externalSecrets.includes(`${namespace}/${name}`);
  const id = (o: any) => `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`;

  for (const o of objects) {
    const ns = o.metadata.namespace;
    if (o.kind === 'HTTPRoute' || o.kind === 'GRPCRoute') {
      for (const ref of o.spec.parentRefs ?? []) {
        const gwNamespace = ref.namespace ?? ns;
        const gw = find('Gateway', gwNamespace, ref.name);
        if (!gw) {
          problems.push(`${id(o)}: parentRef Gateway ${gwNamespace}/${ref.name} is not emitted`);
          continue;
        }
        const listeners = (gw.spec.listeners as any[]).filter(l => ref.sectionName === undefined || l.name === ref.sectionName);
        if (listeners.length === 0) problems.push(`${id(o)}: Gateway ${gwNamespace}/${ref.name} has no listener '${ref.sectionName}'`);
        for (const l of listeners) {
          const from = l.allowedRoutes?.namespaces?.from ?? 'Same';
          const admitted = from === 'All' || (from === 'Same' && gwNamespace === ns)
            || (from === 'Selector' && selects(l.allowedRoutes.namespaces.selector, namespaceLabels(ns), LISTENER_SELECTOR));
          if (!admitted) problems.push(`${id(o)}: listener '${l.name}' of Gateway ${gwNamespace}/${ref.name} does not admit routes from namespace ${ns}`);
          const kinds = (l.allowedRoutes?.kinds as any[] | undefined)?.map(k => k.kind) ?? (l.protocol === 'HTTP' || l.protocol === 'HTTPS' ? ['HTTPRoute', 'GRPCRoute'] : []);
          if (!kinds.includes(o.kind)) problems.push(`${id(o)}: listener '${l.name}' of Gateway ${gwNamespace}/${ref.name} does not admit ${o.kind}`);
          for (const host of o.spec.hostnames ?? []) {
            if (l.hostname && !hostMatches(l.hostname, host)) problems.push(`${id(o)}: host name ${host} is outside listener '${l.name}' (${l.hostname})`);
          }
        }
      }
      for (const rule of o.spec.rules ?? []) {
        for (const b of rule.backendRefs ?? []) {
          if ((b.kind ?? 'Service') !== 'Service' || (b.group ?? '') !== '') continue;
          const svc = find('Service', b.namespace ?? ns, b.name);
          if (!svc) problems.push(`${id(o)}: backendRef Service ${b.namespace ?? ns}/${b.name} is not emitted`);
          else if (!(svc.spec.ports as any[]).some(p => p.port === b.port)) problems.push(`${id(o)}: Service ${ns}/${b.name} has no port ${b.port}`);
        }
      }
    }
    if (['SecurityPolicy', 'BackendTrafficPolicy', 'ClientTrafficPolicy'].includes(o.kind)) {
      const refs = [...(o.spec.targetRefs ?? []), ...(o.spec.targetRef ? [o.spec.targetRef] : [])];
      if (refs.length === 0) problems.push(`${id(o)}: targets nothing`);
      for (const ref of refs) {
        if (!find(ref.kind, ns, ref.name)) problems.push(`${id(o)}: targetRef ${ref.kind} ${ns}/${ref.name} is not emitted`);
      }
    }
    if (o.kind === 'SecurityPolicy') {
      const secrets = [...(o.spec.apiKeyAuth?.credentialRefs ?? []), ...(o.spec.oidc ? [o.spec.oidc.clientSecret] : [])];
      for (const s of secrets) {
        if (!secretExists(s.namespace ?? ns, s.name)) problems.push(`${id(o)}: Secret ${s.namespace ?? ns}/${s.name} is written by no ExternalSecret`);
      }
    }
    if (o.kind === 'Gateway') {
      if (!find('GatewayClass', undefined, o.spec.gatewayClassName)) problems.push(`${id(o)}: GatewayClass ${o.spec.gatewayClassName} is not emitted`);
      const p = o.spec.infrastructure?.parametersRef;
      if (p && !find(p.kind, ns, p.name)) problems.push(`${id(o)}: parametersRef ${p.kind} ${ns}/${p.name} is not emitted`);
      const certManaged = o.metadata.annotations?.['cert-manager.io/cluster-issuer'] !== undefined;
      for (const l of o.spec.listeners ?? []) {
        for (const c of l.tls?.certificateRefs ?? []) {
          if (!certManaged && !secretExists(c.namespace ?? ns, c.name)) problems.push(`${id(o)}: certificate Secret ${ns}/${c.name} is written by nothing`);
        }
      }
    }
  }
  return problems;
}

/** Gateway API host name matching: a `*.` listener matches one or more labels in front of its suffix. */
function hostMatches(listener: string, host: string): boolean {
  if (!listener.startsWith('*.')) return listener === host;
  const suffix = listener.slice(1);
  return host.endsWith(suffix) && host.length > suffix.length;
}

/** Throws one error listing every unresolved reference. */
export function assertReferencesResolve(objects: any[], externalSecrets: string[] = []): void {
  const problems = referenceProblems(objects, externalSecrets);
  if (problems.length > 0) throw new Error(`${problems.length} unresolved references:\n${problems.join('\n')}`);
}
