import { Construct } from 'constructs';
import { ExportedObject, authorization, infrastructure, organizationNamespace } from './infra';
import { OpenChoreoNotExpressible, notExpressible, notExpressibleMarkdown } from './not-expressible';
import { componentObjects, projectObjects } from './releases';
import { resourceObjects, resourceTypeObjects } from './resources';
import { builtInTraitSpec, componentTypeObjects, usedBuiltInTraits } from './standards';
import { API_VERSION, platformSharedObjects } from './types';
import { workflowPlanes } from './workflow-planes';
import type { Component } from '../../model/component';
import { fail, ProblemCollector } from '../../model/errors';
import { ExportFormat } from '../../model/exports';
import { Organization } from '../../model/organization';
import { Plan } from '../../resolve/plan';
import { resolveOrganization } from '../../resolve/resolver';

/** The export's folder in the organization's output, outside the GitOps tree. @internal */
export const OPENCHOREO_EXPORT_DIR = 'exports/openchoreo';

const EXPORT_MARK = Symbol.for('cdk8s-openchoreo.OpenChoreoExport');
/** Set while {@link OpenChoreoExport.of} declares the export of `ExportFormat.OPENCHOREO`. */
let declaringForFormat = false;

/** The rendered export of one organization. @internal */
export interface RenderedOpenChoreoExport {
  /** Objects with their files, relative to the export's folder, in file order. */
  readonly objects: ExportedObject[];
  readonly notExpressible: OpenChoreoNotExpressible[];
  /** NOT-EXPRESSIBLE.md. */
  readonly report: string;
}

/**
 * Writes the organization as OpenChoreo v1.2.3 control-plane resources, in OpenChoreo's mono-repo
 * GitOps layout, into `<outdir>/<organization>/exports/openchoreo/` — a folder that the GitOps tree
 * (Argo CD, Flux, the organization's kustomization) does not include:
 * `namespaces/<org>/` (the organization Namespace, DataPlanes, Environments, DeploymentPipelines,
 * AuthzRoles and bindings, SecretReferences, Projects with their ProjectReleaseBindings, and per
 * component its Component, Workload, ComponentReleases and ReleaseBindings) and `platform-shared/`
 * (the ClusterComponentTypes, ClusterTraits, ClusterResourceType and ClusterProjectType the model
 * needs beyond OpenChoreo's defaults). A model ComponentType becomes a namespaced ComponentType
 * (`platform/component-types/`) its components reference; Traits.podAnnotations and
 * Traits.databaseProxy become ClusterTrait instances; a PostgreSQL Resource becomes a Resource
 * (`projects/<p>/resources/`) bound through `Workload.spec.dependencies.resources`. The same export
 * is declared by listing `ExportFormat.OPENCHOREO` in the organization's exports ({@link OpenChoreoExport.of}). Components are `autoDeploy: false`: the export writes a
 * content-addressed ComponentRelease (`<component>-<hash8>`) per distinct workload and a
 * ReleaseBinding per environment pinning it. What OpenChoreo cannot express is listed in
 * `NOT-EXPRESSIBLE.md` and by {@link OpenChoreoExport.notExpressible}. OpenChoreo names Components
 * per organization: two components of one name in different projects are refused.
 * @see https://openchoreo.dev/docs/platform-engineer-guide/gitops/overview/
 */
export class OpenChoreoExport extends Construct {
  /** Whether `x` is an OpenChoreoExport. */
  public static isOpenChoreoExport(x: any): x is OpenChoreoExport {
    return x !== null && typeof x === 'object' && EXPORT_MARK in x;
  }

  /**
   * The OpenChoreo export of an organization: the one declared with `new OpenChoreoExport(org, id)`,
   * or, when the organization lists `ExportFormat.OPENCHOREO` in its exports, the export
   * `<org>/openchoreo` (declared on the first call, exactly as `new OpenChoreoExport(org, 'openchoreo')`);
   * undefined when the organization opts into neither.
   */
  public static of(org: Organization): OpenChoreoExport | undefined {
    const declared = org.node.children.find(OpenChoreoExport.isOpenChoreoExport);
    if (declared || !org.exports.includes(ExportFormat.OPENCHOREO)) return declared as OpenChoreoExport | undefined;
    declaringForFormat = true;
    try {
      return new OpenChoreoExport(org, 'openchoreo');
    } finally {
      declaringForFormat = false;
    }
  }

  /** The organization exported. */
  public readonly organization: Organization;

  constructor(scope: Organization, id: string) {
    super(scope, id);
    if (!Organization.isOrganization(scope)) {
      fail(this, `an OpenChoreoExport is declared in '${(scope as Construct)?.node?.path}', which is not an Organization`, 'declare it directly in the organization: new OpenChoreoExport(org, \'openchoreo\')');
    }
    const other = scope.node.children.find(c => c !== this && OpenChoreoExport.isOpenChoreoExport(c));
    if (other) fail(this, `organization '${scope.name}' already has an OpenChoreoExport ('${other.node.path}')`, 'declare one OpenChoreoExport per organization');
    if (!declaringForFormat && scope.exports.includes(ExportFormat.OPENCHOREO)) {
      fail(this, `organization '${scope.name}' lists ExportFormat.OPENCHOREO in its exports and also declares an OpenChoreoExport`,
        'keep one: remove new OpenChoreoExport(...) (OpenChoreoExport.of(org) returns the export of the format), or remove ExportFormat.OPENCHOREO from exports');
    }
    Object.defineProperty(this, EXPORT_MARK, { value: true });
    this.organization = scope;
  }

  /** Every exported object (manifests), in file order. Throws when the organization is invalid or cannot be exported. */
  public objects(): any[] {
    return this._render(resolveOrganization(this.organization)).objects.map(o => o.manifest);
  }

  /** The exported files (relative to the export's folder) with the manifest each holds, sorted by file. */
  public manifestsByFile(): { [file: string]: any } {
    return Object.fromEntries(this._render(resolveOrganization(this.organization)).objects.map(o => [o.file, o.manifest]));
  }

  /** What the export cannot express, per construct (the content of NOT-EXPRESSIBLE.md). */
  public notExpressible(): OpenChoreoNotExpressible[] {
    return this._render(resolveOrganization(this.organization)).notExpressible;
  }

  /** Renders the export from the organization's plan. @internal */
  public _render(plan: Plan): RenderedOpenChoreoExport {
    return renderOpenChoreoExport(this.organization, plan);
  }
}

/**
 * Whether the organization opts into the OpenChoreo export: it declares an OpenChoreoExport or lists
 * `ExportFormat.OPENCHOREO`. Unlike {@link OpenChoreoExport.of}, it declares nothing. @internal
 */
export function exportsToOpenChoreo(org: Organization): boolean {
  return org.exports.includes(ExportFormat.OPENCHOREO) || org.node.children.some(OpenChoreoExport.isOpenChoreoExport);
}

/** The OpenChoreo export of an organization, rendered from its plan. @internal */
export function renderOpenChoreoExport(org: Organization, plan: Plan): RenderedOpenChoreoExport {
  checkUniqueComponentNames(org);
  const objects: ExportedObject[] = [
    organizationNamespace(plan),
    ...infrastructure(org, plan),
    ...workflowPlanes(org),
    ...authorization(org, plan),
    ...platformSharedObjects(),
  ];
  const unreleased: string[] = [];
  const exported = new Set<Component>();
  const projects = [...org.projects].sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const project of projects) {
    objects.push(...projectObjects(org.name, plan, project), ...resourceObjects(org.name, project));
    for (const c of project.components) {
      const own = componentObjects(org.name, plan, c);
      if (own.length === 0) unreleased.push(c.node.path);
      else exported.add(c);
      objects.push(...own);
    }
  }
  objects.push(...componentTypeObjects(org, exported), ...resourceTypeObjects(projects));
  for (const name of usedBuiltInTraits(exported)) {
    objects.push({ file: `platform-shared/traits/${name}.yaml`, manifest: { apiVersion: API_VERSION, kind: 'ClusterTrait', metadata: { name }, spec: builtInTraitSpec(name) } });
  }
  objects.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const items = notExpressible(org, unreleased);
  return { objects, notExpressible: items, report: notExpressibleMarkdown(org.name, items) };
}

/** OpenChoreo names Components (and their Workloads, SecretReferences, ReleaseBindings) per organization namespace. */
function checkUniqueComponentNames(org: Organization): void {
  const problems = new ProblemCollector();
  const first = new Map<string, string>();
  for (const project of [...org.projects].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    for (const c of project.components) {
      const seen = first.get(c.name);
      if (seen === undefined) {
        first.set(c.name, project.name);
      } else {
        problems.add(c, `component name '${c.name}' is also used in project '${seen}': the OpenChoreo export needs component names unique in organization '${org.name}' (OpenChoreo Components live in the organization's namespace)`,
          `rename one of them (the 'name' prop or the construct id), e.g. '${project.name}-${c.name}'`);
      }
    }
  }
  problems.throwIfAny();
}
