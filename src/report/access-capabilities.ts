// Capabilities: what a person can do to a cell, probed layer by layer with the access evaluator.
import { AccessEvaluator, groupMember, KubernetesIdentity, kubernetesRequestKey } from './access';
import { AccessTargetIndex } from './access-targets';
import { KINDS } from '../render/kinds';

/** Where a cell is reached in each layer. @internal */
export interface AccessTarget {
  /** How reports name it (the project). */
  readonly id: string;
  /** The cell's Kubernetes namespace. */
  readonly namespace: string;
  /** Its Argo CD Application, when delivered by Argo CD. */
  readonly argoCd?: { readonly project: string; readonly application: string };
  /** Its Flux Kustomization, when delivered by Flux. */
  readonly flux?: { readonly namespace: string; readonly kustomization: string };
}

/** A capability's verdict for one group on one target. undefined: the layer has no such permission. @internal */
export interface CapabilityVerdict {
  readonly capability: string;
  readonly kubernetes?: boolean;
  readonly argoCd?: boolean;
  readonly flux?: boolean;
}

/** What one group may do to one target: capabilities allowed by at least one layer. @internal */
export interface AccessEntry {
  readonly group: string;
  readonly target: string;
  readonly verdicts: CapabilityVerdict[];
}

const FLUX_GROUP = 'kustomize.toolkit.fluxcd.io';

type Probe = readonly [verb: string, apiGroup: string, resource: string];

interface CapabilityProbe {
  readonly name: string;
  readonly kubernetes?: readonly Probe[];
  readonly argoCd?: ReadonlyArray<readonly [resource: string, action: string]>;
  /** Verbs on the target's Kustomization. */
  readonly flux?: readonly string[];
}

/** The kinds READ is probed on (the `readProbe` rows of the kind table, in its order). */
const READ_KINDS = KINDS.filter(k => k.readProbe).map(k => [k.group, k.plural] as const);

/**
 * The capabilities reports show, as this evaluator defines them: a capability holds in a layer
 * when every probe of that layer is allowed.
 */
const CAPABILITIES: readonly CapabilityProbe[] = [
  {
    name: 'read',
    kubernetes: READ_KINDS.flatMap(([g, r]) => ['get', 'list', 'watch'].map(v => [v, g, r] as const)),
    argoCd: [['applications', 'get']],
    flux: ['get', 'list', 'watch'],
  },
  { name: 'logs', kubernetes: [['get', '', 'pods/log']], argoCd: [['logs', 'get']] },
  { name: 'deploy', argoCd: [['applications', 'sync']], flux: ['patch'] },
  { name: 'restart', kubernetes: [['delete', '', 'pods']], argoCd: [['applications', 'action/apps/Deployment/restart']] },
  { name: 'exec', kubernetes: [['create', '', 'pods/exec']], argoCd: [['exec', 'create']] },
  { name: 'port-forward', kubernetes: [['create', '', 'pods/portforward']] },
  { name: 'read-secrets', kubernetes: [['get', '', 'secrets'], ['list', '', 'secrets']] },
  {
    name: 'edit',
    kubernetes: [['patch', 'apps', 'deployments'], ['update', '', 'configmaps'], ['delete', '', 'services'], ['create', 'batch', 'jobs']],
    argoCd: [['applications', 'update'], ['applications', 'override']],
  },
];

/** Each capability's Kubernetes probes as request keys (built once, not per group and target). */
const KUBERNETES_KEYS = new Map(CAPABILITIES.map(c => [c,
  (c.kubernetes ?? []).map(([verb, apiGroup, resource]) => kubernetesRequestKey({ verb, apiGroup, resource }))]));
const FLUX_KEYS = new Map(CAPABILITIES.map(c => [c,
  (c.flux ?? []).map(verb => kubernetesRequestKey({ verb, apiGroup: FLUX_GROUP, resource: 'kustomizations' }))]));

/** The capability names, in report order. @internal */
export const CAPABILITY_NAMES: readonly string[] = CAPABILITIES.map(c => c.name);

/** What the evaluator checks for a capability in each layer, in words (undefined: the layer has no such permission). @internal */
export function capabilityChecks(name: string): { kubernetes?: string; argoCd?: string; flux?: string } {
  const c = CAPABILITIES.find(x => x.name === name);
  if (!c) throw new Error(`unknown capability ${name}`);
  const verbsOf = new Map<string, string[]>(); // resource → verbs, in probe order
  for (const [verb, apiGroup, resource] of c.kubernetes ?? []) {
    const r = apiGroup === '' ? resource : `${resource}.${apiGroup}`;
    verbsOf.set(r, [...(verbsOf.get(r) ?? []), verb]);
  }
  const byVerbs = new Map<string, string[]>(); // verbs → resources
  for (const [r, verbs] of verbsOf) byVerbs.set(verbs.join(', '), [...(byVerbs.get(verbs.join(', ')) ?? []), r]);
  return {
    ...(c.kubernetes ? { kubernetes: [...byVerbs.entries()].map(([verbs, resources]) => `${verbs} ${resources.join(', ')}`).join('; ') } : {}),
    ...(c.argoCd ? { argoCd: c.argoCd.map(([resource, action]) => `${resource} ${action}`).join(', ') } : {}),
    ...(c.flux ? { flux: c.flux.join(', ') } : {}),
  };
}

/**
 * What each group may do to each target, from the emitted objects: every group named by a
 * Kubernetes binding (with `kubernetesGroupPrefix` removed) or an Argo CD project role, and, per
 * capability, each layer's verdict (a layer the target is not delivered by, or that has no such
 * permission, is left out). Entries list the capabilities at least one layer allows, sorted by
 * group then target. @internal
 */
export function evaluateAccess(source: AccessEvaluator | readonly any[], targets: readonly AccessTarget[], kubernetesGroupPrefix = ''): AccessEntry[] {
  const evaluator = source instanceof AccessEvaluator ? source : new AccessEvaluator(source);
  const groups = new Set<string>(evaluator.argoCdGroups());
  for (const g of evaluator.kubernetesSubjects().groups) {
    if (g.startsWith('system:')) continue;
    groups.add(g.startsWith(kubernetesGroupPrefix) ? g.slice(kubernetesGroupPrefix.length) : g);
  }
  const out: AccessEntry[] = [];
  const sorted = [...targets].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const targetIndex = new AccessTargetIndex(sorted);
  for (const group of [...groups].sort()) {
    const identity = groupMember(group, kubernetesGroupPrefix);
    // where the group's bindings apply, asked once per group rather than per target
    const scope = evaluator.bindingScope(identity);
    const bound = (namespace: string) => scope.everywhere || scope.namespaces.has(namespace);
    // only the targets the group's bindings or Argo CD policies can reach (in order), not every target
    for (const t of targetIndex.reachable(scope.everywhere, scope.namespaces, evaluator.argoCdProjects(group))) {
      const target = sorted[t];
      const reach = {
        kubernetes: bound(target.namespace),
        argoCd: target.argoCd !== undefined && evaluator.hasArgoCdPolicies([group], target.argoCd.project),
        flux: target.flux !== undefined && bound(target.flux.namespace),
      };
      if (!reach.kubernetes && !reach.argoCd && !reach.flux) continue;
      const verdicts = CAPABILITIES.map(c => verdict(evaluator, c, identity, [group], target, reach))
        .filter(v => v.kubernetes === true || v.argoCd === true || v.flux === true);
      if (verdicts.length > 0) out.push({ group, target: target.id, verdicts });
    }
  }
  return out;
}

/** `reach` says which layers hold anything for the identity at all (the others answer no without asking). */
function verdict(
  evaluator: AccessEvaluator, c: CapabilityProbe, identity: KubernetesIdentity, groups: string[], target: AccessTarget,
  reach: { readonly kubernetes: boolean; readonly argoCd: boolean; readonly flux: boolean },
): CapabilityVerdict {
  const v: { -readonly [K in keyof CapabilityVerdict]: CapabilityVerdict[K] } = { capability: c.name };
  if (c.kubernetes) {
    const namespace = target.namespace;
    const keys = KUBERNETES_KEYS.get(c)!;
    v.kubernetes = reach.kubernetes
      && c.kubernetes.every(([verb, apiGroup, resource], i) =>
        evaluator.kubernetesAllowsKeyed(identity, { verb, apiGroup, resource, namespace }, keys[i]));
  }
  if (c.argoCd && target.argoCd) {
    const object = `${target.argoCd.project}/${target.argoCd.application}`;
    v.argoCd = reach.argoCd && c.argoCd.every(([resource, action]) => evaluator.argoCdAllows(groups, { resource, action, object }));
  }
  if (c.flux && target.flux) {
    const { namespace, kustomization } = target.flux;
    const keys = FLUX_KEYS.get(c)!;
    v.flux = reach.flux && c.flux.every((verb, i) => evaluator.kubernetesAllowsKeyed(identity, {
      verb, apiGroup: FLUX_GROUP, resource: 'kustomizations', namespace, name: kustomization,
    }, keys[i]));
  }
  return v;
}

/** Whether every layer that has the capability allows it. @internal */
export function consistent(v: CapabilityVerdict): boolean {
  return v.kubernetes !== false && v.argoCd !== false && v.flux !== false;
}
