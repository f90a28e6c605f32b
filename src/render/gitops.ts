import { k8s } from 'cdk8s-plus-28';
import { platformDirectory } from './directories';
import { cellsByEnvironment, groupBy, manifestsByNamespace } from './grouping';
import { object } from './json';
import { argoProjectRoles, renderFluxAccess } from './rbac';
import type { RenderedObject } from './types';
import { Application, AppProject } from '../imports/argoproj.io';
import { Kustomization, KustomizationSpecSourceRefKind } from '../imports/kustomize.toolkit.fluxcd.io';
import { GitRepository } from '../imports/source.toolkit.fluxcd.io';
import { Labels, MANAGED_BY } from '../resolve/labels';
import { generateName, NameLimit } from '../resolve/naming';
import { Cell, Plan, PlanDelivery } from '../resolve/plan';

/** The kinds a set of objects uses, as API group + kind, sorted. */
function kindsOf(manifests: any[]): Array<{ group: string; kind: string }> {
  const seen = new Map<string, { group: string; kind: string }>();
  for (const m of manifests) {
    const group = String(m.apiVersion).includes('/') ? String(m.apiVersion).split('/')[0] : '';
    seen.set(`${group}/${m.kind}`, { group, kind: m.kind });
  }
  return [...seen.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, v]) => v);
}

/** The other projects a cell's components depend on, sorted. */
function providersOf(cell: Cell): string[] {
  const projects = new Set<string>();
  for (const c of cell.components) {
    for (const d of c.dependencies) if (d.kind === 'endpoint' && d.project !== cell.project) projects.add(d.project!);
  }
  return [...projects].sort();
}

/**
 * Sync order of projects within an environment: providers before their consumers. A project's
 * wave is one more than the highest wave of the projects it depends on; projects in a dependency
 * cycle share a wave. Waves start at 1 (0 is for platform objects). @internal
 */
export function projectWaves(cells: Cell[]): Map<string, number> {
  const needs = dependencyEdges(cells);
  const wave = new Map<string, number>([...needs.keys()].map(p => [p, 1]));
  // Relax at most |projects| times: enough for any acyclic chain; cycles stop growing at the cap.
  for (let round = 0; round < needs.size; round++) {
    let changed = false;
    for (const [p, deps] of needs) {
      for (const d of deps) {
        const w = Math.min((wave.get(d) ?? 1) + 1, needs.size);
        if (w > wave.get(p)!) {
          wave.set(p, w);
          changed = true;
        }
      }
    }
    if (!changed) break;
  }
  return wave;
}

/** Project → the projects it depends on, within one environment. */
function dependencyEdges(cells: Cell[]): Map<string, string[]> {
  return new Map(cells.map(cell => [cell.project, providersOf(cell)]));
}

/** Projects that depend on each other (directly or through others) cannot wait for each other. */
function inCycle(edges: Map<string, string[]>, from: string, to: string): boolean {
  const seen = new Set<string>();
  const stack = [to];
  while (stack.length > 0) {
    const p = stack.pop()!;
    if (p === from) return true;
    if (seen.has(p)) continue;
    seen.add(p);
    stack.push(...(edges.get(p) ?? []));
  }
  return false;
}

/** The name of a project's Argo CD AppProject. @internal */
export function appProjectName(organization: string, project: string): string {
  return `${organization}-${project}`;
}

/** The name of a project's Argo CD Application and Flux Kustomization in an environment. @internal */
export function deliveryName(organization: string, project: string, environment: string): string {
  return generateName(NameLimit.SUBDOMAIN, organization, project, environment);
}

const repoPath = (d: PlanDelivery, ...parts: string[]) => [d.basePath, ...parts].filter(p => p !== '').join('/');

/**
 * Argo CD and Flux objects that deliver the tree: per project an AppProject restricted to its
 * cells and kinds; per environment × project an Application (automated sync with prune and
 * self-heal unless the pipeline requires approval), ordered in sync waves along the dependency
 * graph under one app-of-apps per environment; for Flux a GitRepository per data plane and a
 * Kustomization per environment × project with dependsOn, prune, wait and a tenant service
 * account. @internal
 */
export function renderGitOps(plan: Plan, objects: RenderedObject[]): RenderedObject[] {
  const d = plan.delivery;
  if (!d) return [];
  const org = plan.organization.name;
  const out: RenderedObject[] = [];
  const projects = [...groupBy(plan.cells, c => c.project).entries()].sort(([a], [b]) => (a < b ? -1 : 1));
  const environments = cellsByEnvironment(plan.cells);
  const byNamespace = manifestsByNamespace(objects);
  const manifestsOf = (cells: Cell[]) => cells.flatMap(c => byNamespace.get(c.namespace) ?? []);
  const labels = { [Labels.NAMESPACE]: org, [Labels.MANAGED_BY]: MANAGED_BY };
  // Each data plane's platform folder (gateways, builds): delivered before and beside the cells.
  const platforms = plan.dataPlanes
    .map(dp => {
      const inFolder = objects.filter(o => o.dir === platformDirectory(dp.name));
      return { dp, manifests: inFolder.map(o => o.manifest), groups: [...new Set(inFolder.map(o => o.group))].sort() };
    })
    .filter(p => p.manifests.length > 0);

  if (d.argoCd) {
    const dir = 'gitops/argocd';
    const platformProject = `${org}-platform`;
    out.push({
      dir,
      group: 'projects',
      isComponent: false,
      manifest: AppProject.manifest({
        metadata: { name: platformProject, namespace: d.argoCdNamespace, labels },
        spec: {
          description: `Platform applications of organization ${org} (app-of-apps)`,
          sourceRepos: [d.repoUrl],
          destinations: [{ server: 'https://kubernetes.default.svc', namespace: d.argoCdNamespace }],
          namespaceResourceWhitelist: [{ group: 'argoproj.io', kind: 'Application' }],
        },
      }),
    });
    for (const [project, cells] of projects) {
      const kinds = kindsOf(manifestsOf(cells));
      const applications = cells.map(cell => ({ cell, application: deliveryName(org, project, cell.environment) }));
      const roles = argoProjectRoles(plan, appProjectName(org, project), applications);
      out.push({
        dir,
        group: 'projects',
        isComponent: false,
        manifest: AppProject.manifest({
          metadata: { name: appProjectName(org, project), namespace: d.argoCdNamespace, labels: { ...labels, [Labels.PROJECT]: project } },
          spec: {
            description: `Project ${project} of organization ${org}: its cells only`,
            sourceRepos: [d.repoUrl],
            destinations: cells.map(c => ({ server: c.apiServer, namespace: c.namespace })),
            clusterResourceWhitelist: kinds.filter(k => k.kind === 'Namespace'),
            namespaceResourceWhitelist: kinds.filter(k => k.kind !== 'Namespace'),
            ...(roles.length > 0 ? { roles } : {}),
          },
        }),
      });
    }
    for (const { dp, manifests, groups } of platforms) {
      const kinds = kindsOf(manifests);
      const namespaces = [...new Set(manifests.map(m => m.metadata.namespace).filter((n: string | undefined) => n !== undefined))].sort() as string[];
      const cluster = kindsOf(manifests.filter(m => m.metadata.namespace === undefined));
      const clusterKinds = new Set(cluster.map(k => `${k.group}/${k.kind}`));
      const name = `${org}-${dp.name}-platform`;
      // The Application's destination namespace: the gateways', else one the folder writes to; a folder of
      // cluster-scoped objects only (RBAC) has none, so the project admits the gateways' namespace then.
      const home = namespaces.length === 0 || namespaces.includes(dp.gatewayNamespace) ? dp.gatewayNamespace : namespaces[0];
      out.push({
        dir,
        group: 'projects',
        isComponent: false,
        manifest: AppProject.manifest({
          metadata: { name, namespace: d.argoCdNamespace, labels: { ...labels, [Labels.DATAPLANE]: dp.name } },
          spec: {
            description: `Platform objects of data plane ${dp.name} (organization ${org}): ${groups.join(', ')}`,
            sourceRepos: [d.repoUrl],
            destinations: [...new Set([...namespaces, home])].sort().map(namespace => ({ server: dp.apiServer, namespace })),
            clusterResourceWhitelist: cluster,
            namespaceResourceWhitelist: kinds.filter(k => !clusterKinds.has(`${k.group}/${k.kind}`)),
          },
        }),
      });
      out.push({
        dir,
        group: 'root-applications',
        isComponent: false,
        manifest: Application.manifest({
          metadata: { name, namespace: d.argoCdNamespace, labels: { ...labels, [Labels.DATAPLANE]: dp.name }, finalizers: ['resources-finalizer.argocd.argoproj.io'] },
          spec: {
            project: name,
            source: { repoUrl: d.repoUrl, targetRevision: d.revision, path: repoPath(d, org, platformDirectory(dp.name)) },
            destination: { server: dp.apiServer, namespace: home },
            syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ['ServerSideApply=true'] },
          },
        }),
      });
    }
    for (const [key, cells] of environments) {
      const [dataPlane, environment] = key.split('/');
      const waves = projectWaves(cells);
      const appsDir = `${dir}/${dataPlane}-${environment}`;
      for (const cell of [...cells].sort((a, b) => (a.project < b.project ? -1 : 1))) {
        out.push({
          dir: appsDir,
          group: 'applications',
          isComponent: false,
          manifest: Application.manifest({
            metadata: {
              name: deliveryName(org, cell.project, environment),
              namespace: d.argoCdNamespace,
              labels: { ...labels, [Labels.PROJECT]: cell.project, [Labels.ENVIRONMENT]: environment },
              annotations: { 'argocd.argoproj.io/sync-wave': String(waves.get(cell.project)) },
              finalizers: ['resources-finalizer.argocd.argoproj.io'],
            },
            spec: {
              project: appProjectName(org, cell.project),
              source: { repoUrl: d.repoUrl, targetRevision: d.revision, path: repoPath(d, org, dataPlane, environment, cell.project) },
              destination: { server: cell.apiServer, namespace: cell.namespace },
              syncPolicy: cell.requiresApproval
                ? { syncOptions: ['ServerSideApply=true'] }
                : { automated: { prune: true, selfHeal: true }, syncOptions: ['ServerSideApply=true'] },
            },
          }),
        });
      }
      out.push({
        dir,
        group: 'root-applications',
        isComponent: false,
        manifest: Application.manifest({
          metadata: { name: `${org}-${dataPlane}-${environment}`, namespace: d.argoCdNamespace, labels: { ...labels, [Labels.ENVIRONMENT]: environment } },
          spec: {
            project: platformProject,
            source: { repoUrl: d.repoUrl, targetRevision: d.revision, path: repoPath(d, org, appsDir) },
            destination: { server: 'https://kubernetes.default.svc', namespace: d.argoCdNamespace },
            syncPolicy: { automated: { prune: true, selfHeal: true } },
          },
        }),
      });
    }
  }

  if (d.flux) {
    // Data planes with cells, and those with platform objects only (a dedicated build cluster).
    const planes = [...new Set([...plan.cells.map(c => c.dataPlane), ...platforms.map(p => p.dp.name)])].sort();
    for (const dataPlane of planes) {
      const dir = `${dataPlane}/flux-system`;
      out.push({
        dir,
        group: 'source',
        isComponent: false,
        manifest: GitRepository.manifest({
          metadata: { name: org, namespace: d.fluxNamespace, labels },
          spec: { url: d.repoUrl, ref: { branch: d.revision }, interval: d.interval },
        }),
      });
      if (platforms.some(p => p.dp.name === dataPlane)) {
        out.push({
          dir,
          group: 'kustomizations',
          isComponent: false,
          manifest: Kustomization.manifest({
            metadata: { name: `${org}-platform`, namespace: d.fluxNamespace, labels },
            spec: {
              interval: d.interval,
              path: `./${repoPath(d, org, platformDirectory(dataPlane))}`,
              sourceRef: { kind: KustomizationSpecSourceRefKind.GIT_REPOSITORY, name: org },
              prune: true,
              wait: true,
              timeout: '5m',
            },
          }),
        });
      }
      for (const [key, cells] of environments) {
        const [plane, environment] = key.split('/');
        if (plane !== dataPlane) continue;
        const name = (project: string) => deliveryName(org, project, environment);
        const edges = dependencyEdges(cells);
        for (const cell of [...cells].sort((a, b) => (a.project < b.project ? -1 : 1))) {
          const providers = edges.get(cell.project)!.filter(p => !inCycle(edges, cell.project, p));
          out.push({
            dir,
            group: 'kustomizations',
            isComponent: false,
            manifest: Kustomization.manifest({
              metadata: {
                name: name(cell.project),
                namespace: d.fluxNamespace,
                labels: { ...labels, [Labels.PROJECT]: cell.project, [Labels.ENVIRONMENT]: environment },
              },
              spec: {
                interval: d.interval,
                path: `./${repoPath(d, org, dataPlane, environment, cell.project)}`,
                sourceRef: { kind: KustomizationSpecSourceRefKind.GIT_REPOSITORY, name: org },
                prune: true,
                wait: true,
                timeout: '5m',
                serviceAccountName: tenantName(org, cell.project),
                ...(providers.length > 0 ? { dependsOn: providers.map(p => ({ name: name(p) })) } : {}),
              },
            }),
          });
        }
      }
      for (const [project, allCells] of projects) {
        const cells = allCells.filter(c => c.dataPlane === dataPlane);
        if (cells.length > 0) out.push(...tenant(d, org, project, cells, manifestsOf(cells), dir, `${dataPlane}/flux-tenants`));
      }
      for (const manifest of renderFluxAccess(plan, dataPlane, d.fluxNamespace, cell => deliveryName(org, cell.project, cell.environment))) {
        out.push({ dir, group: 'access', isComponent: false, manifest });
      }
      // The tenants' RoleBindings live in their cells, which the tenants create themselves: a
      // separate Kustomization (the controller's own account) applies them and retries until the
      // namespaces exist, so the bootstrap folder never waits on a namespace.
      if (!plan.cells.some(c => c.dataPlane === dataPlane)) continue;
      out.push({
        dir,
        group: 'kustomizations',
        isComponent: false,
        manifest: Kustomization.manifest({
          metadata: { name: `${org}-tenant-access`, namespace: d.fluxNamespace, labels },
          spec: {
            interval: d.interval,
            retryInterval: '1m',
            path: `./${repoPath(d, org, dataPlane, 'flux-tenants')}`,
            sourceRef: { kind: KustomizationSpecSourceRefKind.GIT_REPOSITORY, name: org },
            prune: true,
          },
        }),
      });
    }
  }
  return out;
}

function tenantName(org: string, project: string): string {
  return `${org}-${project}-reconciler`;
}

/**
 * Flux tenant isolation: the project's Kustomizations run as a service account that may manage
 * exactly its cells (create its namespaces; within them, exactly the kinds the project emits, and
 * bind exactly the ClusterRoles its RoleBindings name: Kubernetes lets an account create a
 * RoleBinding only to a role whose permissions it holds, or that it may `bind`).
 */
function tenant(d: PlanDelivery, org: string, project: string, cells: Cell[], manifests: any[], dir: string, accessDir: string): RenderedObject[] {
  const kinds = kindsOf(manifests);
  const roleBindings = manifests.filter(m => m.kind === 'RoleBinding');
  const bindable = [...new Set(roleBindings.filter(m => m.roleRef.kind === 'ClusterRole').map(m => m.roleRef.name as string))].sort();
  const sa = tenantName(org, project);
  const labels = { [Labels.NAMESPACE]: org, [Labels.PROJECT]: project, [Labels.MANAGED_BY]: MANAGED_BY };
  const plural = (kind: string) => (kind.endsWith('y') ? `${kind.slice(0, -1)}ies` : `${kind}s`).toLowerCase();
  // RoleBindings get their own rules: the tenant changes only the ones it applies (never its own).
  const namespaced = kinds.filter(k => k.kind !== 'Namespace' && !(k.group === 'rbac.authorization.k8s.io' && k.kind === 'RoleBinding'));
  const groups = [...new Set(namespaced.map(k => k.group))].sort();
  const verbs = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];
  const group = 'tenant';
  return [
    { dir, group, isComponent: false, manifest: object<k8s.KubeServiceAccountProps>('v1', 'ServiceAccount', { metadata: { name: sa, namespace: d.fluxNamespace, labels } }) },
    {
      dir,
      group,
      isComponent: false,
      manifest: object<k8s.KubeClusterRoleProps>('rbac.authorization.k8s.io/v1', 'ClusterRole', {
        metadata: { name: `${sa}-objects`, labels },
        rules: [
          ...groups.map(g => ({ apiGroups: [g], resources: namespaced.filter(k => k.group === g).map(k => plural(k.kind)), verbs })),
          ...(roleBindings.length > 0 ? [
            { apiGroups: ['rbac.authorization.k8s.io'], resources: ['rolebindings'], verbs: ['get', 'list', 'watch', 'create'] },
            {
              apiGroups: ['rbac.authorization.k8s.io'],
              resources: ['rolebindings'],
              resourceNames: [...new Set(roleBindings.map(m => m.metadata.name as string))].sort(),
              verbs: ['update', 'patch', 'delete'],
            },
          ] : []),
          ...(bindable.length > 0 ? [{ apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], resourceNames: bindable, verbs: ['bind'] }] : []),
        ],
      }),
    },
    {
      dir,
      group,
      isComponent: false,
      manifest: object<k8s.KubeClusterRoleProps>('rbac.authorization.k8s.io/v1', 'ClusterRole', {
        metadata: { name: `${sa}-namespaces`, labels },
        rules: [
          { apiGroups: [''], resources: ['namespaces'], verbs: ['create'] },
          { apiGroups: [''], resources: ['namespaces'], resourceNames: cells.map(c => c.namespace).sort(), verbs: ['get', 'update', 'patch', 'delete'] },
        ],
      }),
    },
    {
      dir,
      group,
      isComponent: false,
      manifest: object<k8s.KubeClusterRoleBindingProps>('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', {
        metadata: { name: `${sa}-namespaces`, labels },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: `${sa}-namespaces` },
        subjects: [{ kind: 'ServiceAccount', name: sa, namespace: d.fluxNamespace }],
      }),
    },
    ...cells.map(cell => ({
      dir: accessDir,
      group: project,
      isComponent: false,
      manifest: object<k8s.KubeRoleBindingProps>('rbac.authorization.k8s.io/v1', 'RoleBinding', {
        metadata: { name: sa, namespace: cell.namespace, labels },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: `${sa}-objects` },
        subjects: [{ kind: 'ServiceAccount', name: sa, namespace: d.fluxNamespace }],
      }),
    })),
  ];
}
