import { platformDirectory } from './directories';
import { GitOpsContext, repoPath } from './gitops-context';
import { renderFluxTenant } from './gitops-tenant';
import { renderFluxAccess } from './rbac';
import type { RenderedObject } from './types';
import { Kustomization, KustomizationSpecSourceRefKind } from '../imports/kustomize.toolkit.fluxcd.io';
import { GitRepository } from '../imports/source.toolkit.fluxcd.io';
import { cellDelivery, deliveryName } from '../resolve/delivery';
import { Labels } from '../resolve/labels';

/**
 * Flux objects that deliver the tree: a GitRepository per data plane, a Kustomization for its
 * platform folder, and per environment × project a Kustomization (prune, wait, the tenant's
 * service account, dependsOn the projects the plan says it waits for), plus tenant isolation and
 * access. @internal
 */
export function renderFlux(ctx: GitOpsContext): RenderedObject[] {
  const { plan, delivery: d, organization: org, projects, environments, platforms, labels } = ctx;
  const out: RenderedObject[] = [];
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
      for (const cell of [...cells].sort((a, b) => (a.project < b.project ? -1 : 1))) {
        const delivery = cellDelivery(d, cell);
        const providers = delivery.waitsFor;
        out.push({
          dir,
          group: 'kustomizations',
          isComponent: false,
          manifest: Kustomization.manifest({
            metadata: {
              name: delivery.name,
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
              serviceAccountName: delivery.tenant,
              ...(providers.length > 0 ? { dependsOn: providers.map(p => ({ name: deliveryName(org, p, environment) })) } : {}),
            },
          }),
        });
      }
    }
    for (const [project, allCells] of projects) {
      const cells = allCells.filter(c => c.dataPlane === dataPlane);
      if (cells.length > 0) out.push(...renderFluxTenant(d, org, project, cells, ctx.manifestsOf(cells), dir, `${dataPlane}/flux-tenants`));
    }
    for (const manifest of renderFluxAccess(plan, dataPlane, d.fluxNamespace, cell => cellDelivery(d, cell).name)) {
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
  return out;
}
