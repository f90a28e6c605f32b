import { JsonPatch } from 'cdk8s';
import { cellDirectory } from './directories';
import { KINDS } from './kinds';
import { objectName } from './object-name';
import type { RenderedObject } from './types';
import { Component } from '../model/component';
import { kindTraits } from '../model/component-kind';
import { ProblemCollector } from '../model/errors';
import { Organization, PatchSelector } from '../model/organization';
import type { TraitContext } from '../model/trait';
import { Labels, MANAGED_BY } from '../resolve/labels';
import { Cell, Plan, PlanComponent } from '../resolve/plan';
import { callTrait, traitsOf } from '../resolve/traits';

/** An object a trait added or a patch changed, for the environment README. @internal */
export interface CustomizedObject {
  /** The object's folder. */
  readonly dir: string;
  readonly project?: string;
  readonly component?: string;
  readonly kind: string;
  readonly name: string;
  /** Added by a trait (rather than rendered by the library and changed). */
  readonly added: boolean;
  /** What added or changed it, in order. */
  readonly sources: string[];
}

/** Kinds only the network plan writes: a trait or patch changing them could open traffic the reports do not show. */
const PLAN_ONLY_KINDS = new Set(['NetworkPolicy', 'CiliumNetworkPolicy', 'CiliumClusterwideNetworkPolicy', 'Namespace']);
const PLAN_ONLY_FIX = 'declare the traffic in the trait\'s needs() (egress, scrapePorts) or as a dependency, so the emitted policies and the connectivity report both show it';

interface Holder {
  dir: string;
  group: string;
  isComponent: boolean;
  manifest: any;
  record?: { added: boolean; sources: string[] };
}

/**
 * Applies, in this order, each component's traits (sorted by name: objects added, patches), its own
 * patches (declaration order) and the organization's patches (declaration order) to the rendered
 * objects of the cells and data planes. Refuses patches that target nothing, fail, or touch what the
 * network plan owns (network policies, namespaces, the `openchoreo.dev` labels, pod selectors, host
 * networking), and objects of kinds the library does not emit. @internal
 */
export function applyCustomizations(
  org: Organization, plan: Plan, rendered: RenderedObject[],
): { objects: RenderedObject[]; customized: CustomizedObject[] } {
  const customizes = (c: Component) => c._patches.length > 0 || traitsOf(c).length > 0;
  if (org._patches.length === 0 && !org._components().some(customizes)) return { objects: rendered, customized: [] };
  const problems = new ProblemCollector();
  const holders: Holder[] = rendered.map(o => ({ ...o }));
  const byComponent = new Map<string, Holder[]>();
  for (const h of holders) {
    if (!h.isComponent) continue;
    const key = `${h.dir}\u0000${h.group}`;
    byComponent.set(key, [...(byComponent.get(key) ?? []), h]);
  }
  const added = new Map<string, Holder[]>();
  for (const cell of plan.cells) {
    const project = org.projects.find(p => p.name === cell.project);
    for (const c of cell.components) {
      const component = project?.findComponent(c.name);
      if (!component) continue;
      const dir = cellDirectory(cell);
      const own = byComponent.get(`${dir}\u0000${c.name}`) ?? [];
      const mine: Holder[] = [];
      customizeComponent(component, cell, c, own, mine, problems);
      if (mine.length > 0) added.set(`${dir}\u0000${c.name}`, mine);
    }
  }
  org._patches.forEach(({ selector, patch }) => {
    const source = `organization patch ${opsText([patch])} (${selectorText(selector)})`;
    const targets = holders.filter(h => matches(h.manifest, selector));
    if (targets.length === 0) {
      problems.add(org, `${source} matches no rendered object`, 'check the kind, names and environment of the selector against the output (kinds are case-sensitive, e.g. Deployment)');
    }
    for (const h of targets) patchHolder(h, [patch], source, org.node.path, undefined, problems);
  });
  problems.throwIfAny();

  const objects: RenderedObject[] = [];
  const customized: CustomizedObject[] = [];
  const note = (h: Holder) => {
    if (!h.record) return;
    const labels = h.manifest.metadata?.labels ?? {};
    customized.push({
      dir: h.dir,
      project: labels[Labels.PROJECT],
      component: labels[Labels.COMPONENT],
      kind: h.manifest.kind,
      name: h.manifest.metadata?.name,
      added: h.record.added,
      sources: h.record.sources,
    });
  };
  holders.forEach((h, i) => {
    objects.push({ dir: h.dir, group: h.group, isComponent: h.isComponent, manifest: h.manifest });
    note(h);
    const next = holders[i + 1];
    const key = `${h.dir}\u0000${h.group}`;
    if (h.isComponent && (!next || `${next.dir}\u0000${next.group}` !== key)) {
      for (const a of added.get(key) ?? []) {
        objects.push({ dir: a.dir, group: a.group, isComponent: true, manifest: a.manifest });
        note(a);
      }
    }
  });
  return { objects, customized };
}

function customizeComponent(component: Component, cell: Cell, c: PlanComponent, own: Holder[], mine: Holder[], problems: ProblemCollector): void {
  const env = cell.environment;
  const path = component.node.path;
  const workloadKind = kindTraits(c.kind).workload;
  const base: TraitContext = {
    component: c.name,
    componentPath: path,
    kind: c.kind,
    componentType: c.componentType,
    project: cell.project,
    environment: env,
    isProduction: cell.isProduction,
    namespace: cell.namespace,
    labels: c.labels,
    workloadKind,
    workloadName: c.workloadName,
  };
  const targetsOf = (kind: string, name: string | undefined) =>
    [...own, ...mine].filter(h => h.manifest.kind === kind && (name === undefined || h.manifest.metadata?.name === name));
  for (const { trait, source } of traitsOf(component)) {
    const what = `trait '${trait.name}' (from ${source})`;
    const context = { ...base, labels: { ...c.labels }, objects: [...own, ...mine].map(h => deepFreeze(JSON.parse(JSON.stringify(h.manifest)))) };
    const out = callTrait(component, trait, 'render', env, () => trait.render(context), problems);
    if (!out) continue;
    for (const m of out.objects ?? []) {
      const manifest = addedObject(component, what, m, cell, c, problems);
      if (manifest) mine.push({ dir: cellDirectory(cell), group: c.name, isComponent: true, manifest, record: { added: true, sources: [what] } });
    }
    for (const p of out.patches ?? []) {
      const targets = targetsOf(p.kind, p.name);
      if (targets.length === 0) {
        problems.add(component, `${what} patches ${p.kind}${p.name ? ` '${p.name}'` : ''}, which the component does not have in '${env}'`,
          `patch one of its objects (${[...new Set([...own, ...mine].map(h => h.manifest.kind))].sort().join(', ')}), or return no patch for this environment`, { environment: env });
      }
      for (const h of targets) patchHolder(h, p.operations ?? [], what, path, env, problems);
    }
  }
  component._patches.forEach(p => {
    if (p.environment && p.environment.name !== env) return;
    const source = `patch ${opsText([p.patch])} of ${path}`;
    const targets = targetsOf(p.kind, p.name);
    if (targets.length === 0) {
      problems.add(component, `patch ${opsText([p.patch])} targets ${p.kind}${p.name ? ` '${p.name}'` : ''}, which the component does not have in '${env}'`,
        `patch one of its objects (${[...new Set([...own, ...mine].map(h => h.manifest.kind))].sort().join(', ')}), or pass { environment } to apply it where the object exists`, { environment: env });
    }
    for (const h of targets) patchHolder(h, [p.patch], source, path, env, problems);
  });
}

function addedObject(component: Component, what: string, m: any, cell: Cell, c: PlanComponent, problems: ProblemCollector): any | undefined {
  const env = cell.environment;
  const name = m?.metadata?.name;
  if (!m || typeof m !== 'object' || typeof m.apiVersion !== 'string' || typeof m.kind !== 'string' || typeof name !== 'string') {
    problems.add(component, `${what} adds an object without apiVersion, kind and metadata.name (${JSON.stringify(m)?.slice(0, 80)}) in '${env}'`,
      "return complete manifests, e.g. { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: {...} }", { environment: env });
    return undefined;
  }
  const info = KINDS.find(k => k.emitted && k.kind === m.kind && (k.group ? `${k.group}/${k.version}` : k.version) === m.apiVersion);
  if (PLAN_ONLY_KINDS.has(m.kind)) {
    problems.add(component, `${what} adds ${m.kind} '${name}': network policies and namespaces come from the network plan only`, PLAN_ONLY_FIX, { environment: env });
    return undefined;
  }
  if (!info || !info.namespaced) {
    problems.add(component, `${what} adds ${m.apiVersion} ${m.kind} '${name}', ${info ? 'a cluster-scoped kind' : 'a kind the library does not emit'}`,
      'add namespaced objects of the kinds in src/render/kinds.ts (schemas, RBAC grants and the access report cover those), e.g. ConfigMap, PodMonitor, PrometheusRule', { environment: env });
    return undefined;
  }
  if (m.metadata.namespace !== undefined && m.metadata.namespace !== cell.namespace) {
    problems.add(component, `${what} adds ${m.kind} '${name}' in namespace '${m.metadata.namespace}', not the component's namespace '${cell.namespace}'`,
      'leave metadata.namespace unset: objects land in the component\'s namespace', { environment: env });
    return undefined;
  }
  const labels: Record<string, string> = { ...c.labels, [Labels.MANAGED_BY]: MANAGED_BY };
  for (const [k, v] of Object.entries<unknown>(m.metadata.labels ?? {})) {
    if (k in labels && labels[k] !== v) {
      problems.add(component, `${what} sets label ${k}='${v}' on ${m.kind} '${name}'`, `leave ${k} unset: the library sets it to '${labels[k]}'`, { environment: env });
      return undefined;
    }
  }
  const copy = JSON.parse(JSON.stringify(m));
  const { name: _n, namespace: _ns, labels: own, ...rest } = copy.metadata;
  return { ...copy, metadata: { name, namespace: cell.namespace, labels: { ...(own ?? {}), ...labels }, ...rest } };
}

function patchHolder(h: Holder, operations: JsonPatch[], source: string, path: string, env: string | undefined, problems: ProblemCollector): void {
  const m = h.manifest;
  const what = objectName(m);
  const context = env ? { environment: env } : {};
  if (PLAN_ONLY_KINDS.has(m.kind)) {
    problems.add(path, `${source} patches ${what}: network policies and namespaces come from the network plan only`, PLAN_ONLY_FIX, context);
    return;
  }
  let after: any;
  try {
    // a JSON copy: rendered objects share sub-objects (pod labels and the selector), a patch of one must not change the other
    after = JsonPatch.apply(JSON.parse(JSON.stringify(m)), ...operations);
  } catch (e) {
    problems.add(path, `${source} cannot be applied to ${what}: ${(e instanceof Error ? e.message : String(e)).split('\n')[0]}`,
      'check the JSON pointer paths against the rendered object (parents must exist; escape \'/\' in keys as ~1)', context);
    return;
  }
  if (JSON.stringify(after) === JSON.stringify(m)) {
    problems.add(path, `${source} changes nothing in ${what}`, 'remove the patch, or fix its path (a remove of a missing field does nothing)', context);
    return;
  }
  const broken = protectedChange(m, after);
  if (broken) {
    problems.add(path, `${source} changes ${broken} of ${what}`, `leave ${broken} as rendered: it is what the network policies, the reports and the pod selectors rely on`, context);
    return;
  }
  h.manifest = after;
  h.record = { added: h.record?.added ?? false, sources: [...(h.record?.sources ?? []), source] };
}

/** The first protected part of an object a patch changed, or undefined. */
function protectedChange(before: any, after: any): string | undefined {
  for (const f of ['apiVersion', 'kind'] as const) if (before[f] !== after[f]) return f;
  if (before.metadata?.name !== after.metadata?.name) return 'metadata.name';
  if (before.metadata?.namespace !== after.metadata?.namespace) return 'metadata.namespace';
  const owned = (labels: any) => JSON.stringify(Object.entries(labels ?? {}).filter(([k]) => k.startsWith('openchoreo.dev/') || k === Labels.MANAGED_BY).sort());
  if (owned(before.metadata?.labels) !== owned(after.metadata?.labels)) return 'the openchoreo.dev labels';
  const template = (o: any) => (o.kind === 'CronJob' ? o.spec?.jobTemplate?.spec?.template : o.spec?.template);
  if (owned(template(before)?.metadata?.labels) !== owned(template(after)?.metadata?.labels)) return 'the pod template\'s openchoreo.dev labels';
  if (JSON.stringify(before.spec?.selector) !== JSON.stringify(after.spec?.selector)) return 'spec.selector';
  if (template(after)?.spec?.hostNetwork === true && template(before)?.spec?.hostNetwork !== true) return 'hostNetwork (host-network pods bypass the network policies)';
  return undefined;
}

function matches(m: any, s: PatchSelector): boolean {
  const labels = m.metadata?.labels ?? {};
  return m.kind === s.kind
    && (s.name === undefined || m.metadata?.name === s.name)
    && (s.project === undefined || labels[Labels.PROJECT] === s.project)
    && (s.component === undefined || labels[Labels.COMPONENT] === s.component)
    && (s.environment === undefined || labels[Labels.ENVIRONMENT] === s.environment);
}

/** `add /spec/x`: what a patch does, without its value (which may be long). */
function opsText(ops: JsonPatch[]): string {
  return ops.map(o => {
    const j = o._toJson();
    return `${j.op} ${j.from ? `${j.from} → ` : ''}${j.path}`;
  }).join(', ');
}

function selectorText(s: PatchSelector): string {
  return [`kind ${s.kind}`, ...(['project', 'component', 'environment', 'name'] as const).filter(k => s[k] !== undefined).map(k => `${k} ${s[k]}`)].join(', ');
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value as object)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
