import { platformDirectory } from './directories';
import { GitOpsContext, kindsOf, repoPath } from './gitops-context';
import { argoProjectRoles } from './rbac';
import type { RenderedObject } from './types';
import { Application, AppProject } from '../imports/argoproj.io';
import { appProjectName, cellDelivery } from '../resolve/delivery';
import { Labels } from '../resolve/labels';

/**
 * Argo CD objects that deliver the tree: per project an AppProject restricted to its cells and
 * kinds; per data plane with platform objects an AppProject and an Application; per environment ×
 * project an Application (automated sync with prune and self-heal unless the pipeline requires
 * approval) in the sync wave the plan gives it, under one app-of-apps per environment. @internal
 */
export function renderArgoCd(ctx: GitOpsContext): RenderedObject[] {
  const { plan, delivery: d, organization: org, projects, environments, platforms, labels, manifestsOf } = ctx;
  const out: RenderedObject[] = [];
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
    const applications = cells.map(cell => ({ cell, application: cellDelivery(d, cell).name }));
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
    const appsDir = `${dir}/${dataPlane}-${environment}`;
    for (const cell of [...cells].sort((a, b) => (a.project < b.project ? -1 : 1))) {
      const delivery = cellDelivery(d, cell);
      out.push({
        dir: appsDir,
        group: 'applications',
        isComponent: false,
        manifest: Application.manifest({
          metadata: {
            name: delivery.name,
            namespace: d.argoCdNamespace,
            labels: { ...labels, [Labels.PROJECT]: cell.project, [Labels.ENVIRONMENT]: environment },
            annotations: { 'argocd.argoproj.io/sync-wave': String(delivery.wave) },
            finalizers: ['resources-finalizer.argocd.argoproj.io'],
          },
          spec: {
            project: delivery.appProject,
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
  return out;
}
