import type { IConstruct } from 'constructs';
import type { RenderedObject } from './types';
import { PlatformValidationError, ValidationProblem } from '../model/errors';
import type { Organization } from '../model/organization';
import { Labels } from '../resolve/labels';
import { Plan } from '../resolve/plan';

/** An emitted object with the cluster it is applied to and the construct that owns it. @internal */
export interface OwnedObject {
  /** The cluster: a data plane's API server URL, or the Argo CD cluster. */
  readonly cluster: string;
  /** The owner's construct path. */
  readonly path: string;
  /** The owner in words, e.g. `component acme/shop/api in environment 'development'`. */
  readonly owner: string;
  /** Its folder in the output tree, relative to the output directory. */
  readonly folder: string;
  /** The data plane whose cluster it is applied to (none for Argo CD objects). */
  readonly dataPlane?: string;
  readonly manifest: any;
}

/** The API server URL that means "the cluster Argo CD or Flux runs in": each data plane's own cluster. */
const IN_CLUSTER = 'https://kubernetes.default.svc';
const ARGO_CD_CLUSTER = 'the Argo CD cluster';

/**
 * The cluster and owner of each object of an organization: cell objects belong to their component
 * (or their project's cell), platform objects to their data plane, Argo CD and Flux objects to the
 * project, environment or data plane they deliver (by their labels), else to the delivery. @internal
 */
export function ownedObjects(org: Organization, plan: Plan, objects: readonly RenderedObject[]): OwnedObject[] {
  const planes = new Map(plan.dataPlanes.map(d => [d.name, d]));
  const projects = new Map(org.projects.map(p => [p.name, p]));
  const environments = new Map(org.environments.map(e => [e.name, e]));
  const dataPlanes = new Map(org.dataPlanes.map(d => [d.name, d]));
  // A construct's path is recomputed from its scopes at every read: once per owner, not per object.
  const paths = new Map<IConstruct, string>();
  const pathOf = (c: IConstruct): string => {
    let p = paths.get(c);
    if (p === undefined) {
      p = c.node.path;
      paths.set(c, p);
    }
    return p;
  };
  // Objects come in runs (a component's, a cell's): an object whose folder, group and owner labels
  // equal the previous one's has the same owner and cluster, computed once per run.
  let previous: { dir: string; group: string; isComponent: boolean; env?: string; project?: string; plane?: string; owned: Omit<OwnedObject, 'manifest'> } | undefined;
  return objects.map(o => {
    const labels = o.manifest.metadata?.labels ?? {};
    const envName: string | undefined = labels[Labels.ENVIRONMENT];
    const projectLabel: string | undefined = labels[Labels.PROJECT];
    const planeLabel: string | undefined = labels[Labels.DATAPLANE];
    if (previous === undefined || previous.dir !== o.dir || previous.group !== o.group || previous.isComponent !== o.isComponent
      || previous.env !== envName || previous.project !== projectLabel || previous.plane !== planeLabel) {
      const owned = ownerOf(o, envName, projectLabel, planeLabel);
      previous = { dir: o.dir, group: o.group, isComponent: o.isComponent, env: envName, project: projectLabel, plane: planeLabel, owned };
    }
    const { cluster, path, owner, folder, dataPlane } = previous.owned;
    return { cluster, path, owner, folder, manifest: o.manifest, dataPlane };
  });

  function ownerOf(o: RenderedObject, envName: string | undefined, projectLabel: string | undefined, planeLabel: string | undefined): Omit<OwnedObject, 'manifest'> {
    const segments = o.dir.split('/');
    const inEnv = envName ? ` in environment '${envName}'` : '';
    let path: string;
    let owner: string;
    const project = projects.get(projectLabel ?? (segments.length === 3 ? segments[2] : ''));
    const component = o.isComponent ? project?.findComponent(o.group) : undefined;
    if (component) {
      path = pathOf(component);
      owner = `component ${path}${inEnv}`;
    } else if (project) {
      path = pathOf(project);
      owner = `project ${path}${inEnv} (${o.group})`;
    } else if (envName && environments.has(envName)) {
      path = pathOf(environments.get(envName)!);
      owner = `environment ${path} (${o.group})`;
    } else if (dataPlanes.has(planeLabel ?? segments[0])) {
      path = pathOf(dataPlanes.get(planeLabel ?? segments[0])!);
      owner = `data plane ${path} (${o.group})`;
    } else {
      path = org.delivery?.node.path ?? org.node.path;
      owner = `${org.delivery ? 'delivery' : 'organization'} ${path} (${o.group})`;
    }
    const plane = planes.get(segments[0]);
    const cluster = segments[0] === 'gitops' || !plane
      ? ARGO_CD_CLUSTER
      : plane.apiServer === IN_CLUSTER ? `the in-cluster API server of data plane ${pathOf(dataPlanes.get(plane.name)!)}` : plane.apiServer;
    const dp = segments[0] === 'gitops' ? undefined : dataPlanes.get(segments[0]);
    const dataPlane = dp === undefined ? undefined : pathOf(dp);
    return { cluster, path, owner, folder: `${org.name}/${o.dir}/`, dataPlane };
  }
}

/** Kinds whose pods the network policies and the connectivity report tell apart by namespace and name. */
const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'Pod']);

/**
 * Objects by namespace, then name: two lookups on the manifests' own strings (whose hashes V8
 * keeps) instead of a joined `namespace\0name` key built, flattened and hashed per object.
 */
class ByNamespaceAndName {
  private readonly byNamespace = new Map<string, Map<string, OwnedObject>>();

  public get(namespace: string, name: string): OwnedObject | undefined {
    return this.byNamespace.get(namespace)?.get(name);
  }

  public set(namespace: string, name: string, o: OwnedObject): void {
    let byName = this.byNamespace.get(namespace);
    if (byName === undefined) {
      byName = new Map();
      this.byNamespace.set(namespace, byName);
    }
    byName.set(name, o);
  }
}

/**
 * The objects seen on one cluster, by identity (API group, kind, then namespace and name) and the
 * workloads by pod identity (namespace and name). Nested maps keyed by the manifests' own
 * apiVersion, kind, namespace and name strings: nothing is joined per object.
 */
class ClusterIdentities {
  public readonly pods = new ByNamespaceAndName();
  /** apiVersion → kind → objects; apiVersions of one group share the group's map. */
  private readonly byVersion = new Map<string, Map<string, ByNamespaceAndName>>();
  private readonly byGroupKind = new Map<string, ByNamespaceAndName>();

  /** The objects of `kind` in the API group of `apiVersion`. */
  public objects(apiVersion: string, kind: string): ByNamespaceAndName {
    let byKind = this.byVersion.get(apiVersion);
    if (byKind === undefined) {
      byKind = new Map();
      this.byVersion.set(apiVersion, byKind);
    }
    let objects = byKind.get(kind);
    if (objects === undefined) {
      const slash = apiVersion.indexOf('/');
      const groupKind = `${slash >= 0 ? apiVersion.slice(0, slash) : ''}\u0000${kind}`;
      objects = this.byGroupKind.get(groupKind);
      if (objects === undefined) {
        objects = new ByNamespaceAndName();
        this.byGroupKind.set(groupKind, objects);
      }
      byKind.set(kind, objects);
    }
    return objects;
  }
}

/**
 * The last safety net after rendering: every object must be unique on its cluster (kind,
 * namespace, name), and so must every workload's namespace and name across workload kinds.
 * Each clash becomes a problem at the later owner, naming both owners and their folders, instead of two objects that overwrite each other when applied. @internal
 */
export function identityProblems(objects: readonly OwnedObject[]): ValidationProblem[] {
  const seenOn = new Map<string, ClusterIdentities>();
  const problems: ValidationProblem[] = [];
  for (const o of objects) {
    const m = o.manifest;
    let seen = seenOn.get(o.cluster);
    if (seen === undefined) {
      seen = new ClusterIdentities();
      seenOn.set(o.cluster, seen);
    }
    const namespace = textOf(m.metadata?.namespace);
    const objectName = textOf(m.metadata?.name);
    const isWorkload = WORKLOAD_KINDS.has(m.kind);
    // a workload whose pod identity is taken clashes with that workload; else the object by its identity
    const byPod = isWorkload ? seen.pods.get(namespace, objectName) : undefined;
    const objectsOfKind = byPod === undefined ? seen.objects(String(m.apiVersion ?? ''), String(m.kind ?? '')) : undefined;
    const first = byPod ?? objectsOfKind!.get(namespace, objectName);
    if (!first) {
      objectsOfKind!.set(namespace, objectName, o);
      if (isWorkload) seen.pods.set(namespace, objectName, o);
      continue;
    }
    const name = m.metadata?.namespace ? `${m.metadata.namespace}/${m.metadata.name}` : m.metadata?.name;
    problems.push({
      path: o.path,
      message: first.manifest.kind === m.kind
        ? `${m.kind} '${name}' on ${o.cluster} is emitted twice, by ${first.owner} (in ${first.folder}) and by ${o.owner} (in ${o.folder}): the second would overwrite the first when applied`
        : `workloads ${first.manifest.kind} and ${m.kind} '${name}' on ${o.cluster} share one pod identity, emitted by ${first.owner} (in ${first.folder}) and by ${o.owner} (in ${o.folder}): their network policies could not tell them apart`,
      fix: (first.path === o.path
        ? `rename the ${m.kind}'s source in ${o.path} (a name that joins with '-' into another one)`
        : `rename ${first.path} or ${o.path} (the 'name' prop or the construct id) so that the names they join into differ`)
        + (first.dataPlane && o.dataPlane && first.dataPlane !== o.dataPlane
          ? `; or, if data planes ${first.dataPlane} and ${o.dataPlane} are not meant to share the cluster ${o.cluster}, give each its own apiServer`
          : ''),
    });
  }
  return problems;
}

/** A namespace or name as text (none: empty), as a template literal would join it. */
function textOf(value: unknown): string {
  return typeof value === 'string' ? value : `${value ?? ''}`;
}

/**
 * Objects of different organizations may land on one cluster (Argo CD's, or a data plane two
 * organizations share): refuses two objects with one identity across the organizations of an app.
 * @internal
 */
export function checkIdentitiesAcross(
  rendered: ReadonlyArray<{ readonly org: Organization; readonly plan: Plan; readonly objects: readonly RenderedObject[] }>,
): void {
  const clashes = identityProblems(rendered.flatMap(r => ownedObjects(r.org, r.plan, r.objects)));
  if (clashes.length > 0) throw new PlatformValidationError(clashes);
}
