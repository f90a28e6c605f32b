import { Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { renderExports } from './export/exports';
import { exportsToOpenChoreo, OPENCHOREO_EXPORT_DIR, RenderedOpenChoreoExport, renderOpenChoreoExport } from './export/openchoreo/export';
import type { ExportedFile } from './export/types';
import { PlatformValidationError, ProblemCollector } from './model/errors';
import { _useSynthesizer, Organization } from './model/organization';
import type { FileContent } from './output/file-content';
import { FileOwners } from './output/file-owners';
import { fileOf, filesOf, kustomizations, OutputLayout } from './output/layout';
import { toYamlDocuments } from './output/yaml';
import { evaluatePolicy, PolicyEvaluation } from './policy/engine';
import { renderPolicyReports } from './policy/policy-report';
import { formatPolicyWarnings } from './policy/warnings';
import { applyCustomizations, CustomizedObject } from './render/customizations';
import { renderEnvironmentReadmes } from './render/environment-readme';
import { renderGitOps } from './render/gitops';
import { checkIdentitiesAcross, identityProblems, ownedObjects } from './render/identities';
import { renderOrganizationReadmes } from './render/organization-readme';
import { renderPlan } from './render/platform';
import { renderPlatformSummary } from './render/platform-summary';
import type { RenderedDocument, RenderedObject } from './render/types';
import { renderAccessReports } from './report/access-pages';
import { accessOf, EnvironmentAccess } from './report/access-report';
import { renderCapacityReports } from './report/capacity';
import { renderConnectivityReports } from './report/connectivity-pages';
import { connectivityOf, EnvironmentConnectivity } from './report/connectivity-report';
import { checkOrganizationNames } from './resolve/collisions';
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
  /** The objects that run on the data planes (cells and platform folders): `objects` without the delivery objects. */
  readonly dataPlaneObjects: RenderedObject[];
  readonly connectivity: EnvironmentConnectivity[];
  /** Who may do what per environment, computed from the emitted objects (when access is granted). */
  readonly access: EnvironmentAccess[];
  readonly documents: RenderedDocument[];
  /** What the organization's policy pack found (warnings, suppressions). */
  readonly policy: PolicyEvaluation;
  /** Files of the exports the organization opts into (`exports/<format>/`, outside the GitOps tree). */
  readonly exports: ExportedFile[];
  /** The OpenChoreo control-plane export, when the organization opts into it (laid out with its own kustomizations). */
  readonly openchoreo?: RenderedOpenChoreoExport;
}

const cache = new WeakMap<Organization, { readonly revision: number; readonly result: SynthesizedOrganization }>();

/**
 * Resolves and renders an organization's objects (cells and platform, then delivery), refusing two
 * objects with one identity on one cluster before any report reads them. @internal
 */
export function renderObjects(org: Organization): {
  plan: Plan; cellObjects: RenderedObject[]; objects: RenderedObject[]; customized: CustomizedObject[]; policy: PolicyEvaluation;
} {
  const plan = resolveOrganization(org);
  // traits, component and organization patches: before any check, report or policy reads the objects
  const { objects: cellObjects, customized } = applyCustomizations(org, plan, renderPlan(plan));
  const objects = [...cellObjects, ...renderGitOps(plan, cellObjects)];
  const owned = ownedObjects(org, plan, objects);
  const clashes = identityProblems(owned);
  if (clashes.length > 0) throw new PlatformValidationError(clashes);
  const policy = evaluatePolicy(org, plan, objects, owned); // the policy pack, over the final objects (API-server size limits included)
  return { plan, cellObjects, objects, customized, policy };
}

/**
 * Resolves and renders an organization: objects first, then the reports read from them. Cached
 * until the declaration changes. @internal
 */
export function synthesizeOrganization(org: Organization): SynthesizedOrganization {
  const cached = cache.get(org);
  if (cached && cached.revision === org._revision()) return cached.result;
  const { plan, cellObjects, objects, customized, policy } = renderObjects(org);
  const connectivity = connectivityOf(plan, cellObjects);
  const access = accessOf(plan, objects);
  const documents = [
    ...renderConnectivityReports(connectivity), ...renderAccessReports(access), ...renderEnvironmentReadmes(plan, customized),
    ...renderOrganizationReadmes(plan),
    ...renderCapacityReports(plan), renderPlatformSummary(plan), ...renderPolicyReports(plan, policy),
  ];
  const exports = renderExports(org, plan);
  const openchoreo = exportsToOpenChoreo(org) ? renderOpenChoreoExport(org, plan) : undefined;
  const result = { plan, objects, dataPlaneObjects: cellObjects, connectivity, access, documents, policy, exports, openchoreo };
  cache.set(org, { revision: org._revision(), result });
  return result;
}

/**
 * The files of every organization under `root` (and of any other chart), as relative path → YAML
 * or document content, sorted by path. Every organization is resolved and validated before any
 * file content is produced; YAML contents are deferred (`FileContent`): each is serialized when the
 * writer gets to its file, so that the tree's contents never all live at once. @internal
 */
export function synthesizeFiles(root: IConstruct, layout: OutputLayout): Array<[string, FileContent]> {
  const groups = new Map<string, any[]>();
  const organizations = root.node.findAll().filter(Organization.isOrganization);
  const names = new ProblemCollector();
  checkOrganizationNames(organizations, names);
  names.throwIfAny();
  const rendered = organizations.map(org => ({ org, result: synthesizeOrganization(org) }));
  // One organization was already checked against itself by renderObjects: the same check again would find nothing.
  if (rendered.length > 1) checkIdentitiesAcross(rendered.map(({ org, result }) => ({ org, plan: result.plan, objects: result.objects })));
  const owners = new FileOwners();
  const documents = new Map<string, FileContent>();
  for (const { org, result } of rendered) {
    if (layout === OutputLayout.FILE_PER_RESOURCE) {
      const files = filesOf(result.objects, layout);
      for (const [i, o] of result.objects.entries()) {
        const file = `${org.name}/${files[i]}`;
        const name = `${o.manifest.metadata?.namespace ? `${o.manifest.metadata.namespace}/` : ''}${o.manifest.metadata?.name}`;
        owners.claim(file, `${o.manifest.apiVersion} ${o.manifest.kind} '${name}' (${o.group})`);
        push(groups, file, o.manifest);
      }
    } else {
      // One file per folder and group: its path, owner text and claim are made once per run of objects sharing them
      // (a component's objects come together), not once per object (the same owner claiming again changes nothing).
      let run: { dir: string; group: string; manifests: any[] } | undefined;
      for (const o of result.objects) {
        if (run === undefined || run.dir !== o.dir || run.group !== o.group) {
          const file = `${org.name}/${fileOf(o, layout)}`;
          owners.claim(file, `the '${o.group}' objects of ${org.name}/${o.dir}/`);
          run = { dir: o.dir, group: o.group, manifests: manifestsOf(groups, file) };
        }
        run.manifests.push(o.manifest);
      }
    }
    for (const d of result.documents) {
      owners.claim(`${org.name}/${d.file}`, `the document ${d.file} of organization ${org.node.path}`);
      documents.set(`${org.name}/${d.file}`, d.content);
    }
    // Exports are YAML but not part of the GitOps tree: no kustomization lists them (they are not manifests).
    for (const e of result.exports) {
      owners.claim(`${org.name}/${e.file}`, `the export file ${e.file} of organization ${org.node.path}`);
      documents.set(`${org.name}/${e.file}`, () => toYamlDocuments(e.documents));
    }
    if (result.openchoreo) {
      // The OpenChoreo control-plane export: its own tree, outside the GitOps tree (no entry in the organization's kustomizations).
      const exported = result.openchoreo;
      const dir = `${org.name}/${OPENCHOREO_EXPORT_DIR}`;
      for (const o of exported.objects) {
        owners.claim(`${dir}/${o.file}`, `the OpenChoreo export of organization ${org.node.path}`);
        push(groups, `${dir}/${o.file}`, o.manifest);
      }
      const extra: Array<[string, FileContent]> = [...kustomizations(exported.objects.map(o => o.file)), ['NOT-EXPRESSIBLE.md', exported.report]];
      for (const [file, content] of extra) {
        owners.claim(`${dir}/${file}`, `the OpenChoreo export of organization ${org.node.path}`);
        documents.set(`${dir}/${file}`, content);
      }
    }
    for (const m of org._extraObjects()) {
      owners.claim(`${org.name}/extra-objects.yaml`, `the objects added to chart ${org.node.path} directly`);
      push(groups, `${org.name}/extra-objects.yaml`, m);
    }
  }
  for (const construct of root.node.findAll()) {
    if (!Chart.isChart(construct) || Organization.isOrganization(construct)) continue;
    const docs = construct.toJson();
    if (docs.length === 0) continue;
    const file = `${construct.node.path.replace(/\//g, '-')}.k8s.yaml`;
    owners.claim(file, `chart ${construct.node.path}`);
    groups.set(file, docs);
  }
  const manifests = [...groups.entries()].map(([file, docs]): [string, FileContent] => [file, () => toYamlDocuments(docs)]);
  const prefixes = organizations.map(o => [`${o.name}/`, `${o.name}/exports/`]);
  const orgFiles = manifests.map(([file]) => file).filter(f => prefixes.some(([org, exports]) => f.startsWith(org) && !f.startsWith(exports)));
  const generated = kustomizations(orgFiles);
  for (const file of generated.keys()) owners.claim(file, `the generated kustomization of ${file.replace(/\/kustomization\.yaml$/, '/')}`);
  owners.throwIfAny();
  return [...manifests, ...generated.entries(), ...documents.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The policy warnings of each organization under `root`, as `PlatformApp.synth()` prints them once per synthesis. @internal */
export function policyWarnings(root: IConstruct): string {
  return root.node.findAll().filter(Organization.isOrganization).map(org => formatPolicyWarnings(org.name, synthesizeOrganization(org).policy)).join('');
}

function push(groups: Map<string, any[]>, file: string, manifest: any): void {
  manifestsOf(groups, file).push(manifest);
}

/** The manifests of `file` so far (its list is created, in file order, the first time it is asked for). */
function manifestsOf(groups: Map<string, any[]>, file: string): any[] {
  let list = groups.get(file);
  if (list === undefined) {
    list = [];
    groups.set(file, list);
  }
  return list;
}

_useSynthesizer(org => synthesizeOrganization(org).objects.map(o => o.manifest));
