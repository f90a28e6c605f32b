import { Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { _useSynthesizer, Organization } from './model/organization';
import { fileOf, kustomizations, OutputLayout } from './output/layout';
import { toYamlDocuments } from './output/yaml';
import { renderEnvironmentReadmes } from './render/environment-readme';
import { renderGitOps } from './render/gitops';
import { renderOrganizationReadmes } from './render/organization-readme';
import { renderPlan } from './render/platform';
import { renderPlatformSummary } from './render/platform-summary';
import type { RenderedDocument, RenderedObject } from './render/types';
import { renderAccessReports } from './report/access-pages';
import { accessOf, EnvironmentAccess } from './report/access-report';
import { renderConnectivityReports } from './report/connectivity-pages';
import { connectivityOf, EnvironmentConnectivity } from './report/connectivity-report';
import { Plan } from './resolve/plan';
import { resolveOrganization } from './resolve/resolver';

/*
 * The synthesis pipeline, the one place that walks the layers in order:
 *   model (declared constructs) → resolve (a validated, pure Plan) → render (objects per concern)
 *   → report (evaluators reading the emitted objects) → layout (files of the GitOps tree).
 * Lower layers never import higher ones (eslint `import/no-restricted-paths` enforces it).
 */

/** An organization's resolved plan, its objects and its reports. @internal */
export interface SynthesizedOrganization {
  readonly plan: Plan;
  readonly objects: RenderedObject[];
  readonly connectivity: EnvironmentConnectivity[];
  /** Who may do what per environment, computed from the emitted objects (when access is granted). */
  readonly access: EnvironmentAccess[];
  readonly documents: RenderedDocument[];
}

const cache = new WeakMap<Organization, { readonly revision: number; readonly result: SynthesizedOrganization }>();

/**
 * Resolves and renders an organization: objects first, then the reports read from them. Cached
 * until the declaration changes. @internal
 */
export function synthesizeOrganization(org: Organization): SynthesizedOrganization {
  const cached = cache.get(org);
  if (cached && cached.revision === org._revision()) return cached.result;
  const plan = resolveOrganization(org);
  const cellObjects = renderPlan(plan);
  const objects = [...cellObjects, ...renderGitOps(plan, cellObjects)];
  const connectivity = connectivityOf(plan, cellObjects);
  const access = accessOf(plan, objects);
  const documents = [
    ...renderConnectivityReports(connectivity), ...renderAccessReports(access), ...renderEnvironmentReadmes(plan), ...renderOrganizationReadmes(plan),
    renderPlatformSummary(plan),
  ];
  const result = { plan, objects, connectivity, access, documents };
  cache.set(org, { revision: org._revision(), result });
  return result;
}

/**
 * The files of every organization under `root` (and of any other chart), as relative path → YAML
 * or document content, sorted by path. Every organization is resolved and validated before any
 * file content is produced. @internal
 */
export function synthesizeFiles(root: IConstruct, layout: OutputLayout): Array<[string, string]> {
  const groups = new Map<string, any[]>();
  const organizations = root.node.findAll().filter(Organization.isOrganization);
  const rendered = organizations.map(org => ({ org, result: synthesizeOrganization(org) }));
  const documents = new Map<string, string>();
  for (const { org, result } of rendered) {
    for (const o of result.objects) push(groups, `${org.name}/${fileOf(o, layout)}`, o.manifest);
    for (const d of result.documents) documents.set(`${org.name}/${d.file}`, d.content);
    for (const m of org._extraObjects()) push(groups, `${org.name}/extra-objects.yaml`, m);
  }
  for (const construct of root.node.findAll()) {
    if (!Chart.isChart(construct) || Organization.isOrganization(construct)) continue;
    const docs = construct.toJson();
    if (docs.length > 0) groups.set(`${construct.node.path.replace(/\//g, '-')}.k8s.yaml`, docs);
  }
  const manifests = [...groups.entries()].map(([file, docs]): [string, string] => [file, toYamlDocuments(docs)]);
  const orgFiles = manifests.map(([file]) => file).filter(f => organizations.some(o => f.startsWith(`${o.name}/`)));
  return [...manifests, ...kustomizations(orgFiles).entries(), ...documents.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function push(groups: Map<string, any[]>, file: string, manifest: any): void {
  const list = groups.get(file);
  if (list) list.push(manifest);
  else groups.set(file, [manifest]);
}

_useSynthesizer(org => synthesizeOrganization(org).objects.map(o => o.manifest));
