import { resolveAccess } from './access';
import { isPlacedIn, resolveBuildPlanes } from './builds';
import { checkJoinedNames } from './collisions';
import { resolveComponent } from './component';
import { ComponentInvariantsCache } from './component-invariants';
import { checkComponentType } from './component-type';
import { resolveDelivery } from './delivery';
import { bindDependencies, BoundDependency, placeDependencies, ProviderLocation } from './dependencies';
import { resolveGateways } from './gateway';
import { Annotations, Labels, MANAGED_BY, podSecurityLabels } from './labels';
import { PairCache, SharedValues } from './memo';
import { generateName, NameLimit, stableUid } from './naming';
import { attachNetwork, DraftCell } from './network';
import { observabilitySettings } from './observability';
import { resolvePipeline, ResolvedPipeline } from './pipeline';
import { Plan, PlanRoute } from './plan';
import { environmentPlacement, environmentSpread } from './pod-settings';
import { checkCapacityFit, resolveCellQuota } from './quota';
import { checkReleases } from './releases';
import { checkReservedNames } from './reserved-names';
import { checkResources, placeResources, resourceQuotaEntries, withResourceBindings } from './resources';
import { checkRouteConflicts, MissingGateways, reportMissingGateways, resolveRoutes } from './routes';
import { checkTraitNetwork } from './traits';
import { Component } from '../model/component';
import { Environment } from '../model/environment';
import { ProblemCollector } from '../model/errors';
import { Organization } from '../model/organization';
import { Project } from '../model/project';
import { resourcesOf } from '../model/resource';

/**
 * Turns an organization's declarations into a plan: validates everything across objects and
 * throws one error listing every problem (with construct paths) before anything is rendered.
 * @internal
 */
export function resolveOrganization(org: Organization): Plan {
  const problems = new ProblemCollector();
  checkReservedNames(org, problems);
  const od = org.defaultResources;
  const orgDefaults = { requests: { cpu: od.cpuRequest!, memory: od.memoryRequest! }, limits: { cpu: od.cpuLimit!, memory: od.memoryLimit! } };
  const pipelines = new Map<string, ResolvedPipeline | undefined>();
  for (const p of org.pipelines) pipelines.set(p.name, resolvePipeline(p, problems));

  const projects = org.projects;
  const envsOf = new Map<Project, Environment[]>();
  for (const project of projects) {
    const rp = pipelines.get(project.pipeline.name);
    envsOf.set(project, rp ? rp.environments : []);
  }

  // Once per project and environment, and per provider and environment: every consumer asks again.
  const namespaces = new PairCache((project: Project, env: Environment) => generateName(NameLimit.LABEL, 'dp', org.name, project.name, env.name));
  const cellNamespace = (project: Project, env: Environment) => namespaces.get(project, env);
  const locations = new PairCache((provider: Component, env: Environment): ProviderLocation | undefined =>
    (envsOf.get(provider.project) ?? []).includes(env)
      ? { namespace: cellNamespace(provider.project, env), serviceName: provider.name, clusterDomain: env.dataPlane.clusterDomain }
      : undefined);
  const locate = (provider: Component, env: Environment) => locations.get(provider, env);

  const bound = new Map<Component, BoundDependency[]>();
  for (const project of projects) {
    for (const c of project.components) bound.set(c, bindDependencies(org, c, problems));
    for (const c of project.components) {
      for (const env of c._overrides.keys()) {
        if (!(envsOf.get(project) ?? []).includes(env) && pipelines.get(project.pipeline.name)) {
          problems.add(c, `overrides target environment '${env.name}', which is not on pipeline '${project.pipeline.name}' of project '${project.name}'`,
            `use one of: ${(envsOf.get(project) ?? []).map(e => e.name).join(', ')}`);
        }
      }
    }
  }

  // Listed once per project (each listing walks the project's construct subtree), not once per cell.
  const projectResources = new Map(projects.map(p => [p, resourcesOf(p)]));
  const resourcesOfProject = (p: Project) => projectResources.get(p) ?? resourcesOf(p);
  checkResources(org, p => envsOf.get(p) ?? [], resourcesOfProject, problems);
  const gateways = resolveGateways(org, problems);
  const observability = new Map(org.dataPlanes.map(d => [d.name, observabilitySettings(d, problems)]));
  const allRoutes: Array<{ path: string; environment: string; route: PlanRoute }> = [];
  const missingGateways: MissingGateways = new Map();
  const drafts: DraftCell[] = [];
  const invariants = new ComponentInvariantsCache(org.name);
  const placements = new Map(org.environments.map(e => [e, environmentPlacement(e)]));
  const spreads = new Map(org.environments.map(e => [e, environmentSpread(e)]));
  const shared = new SharedValues();
  for (const project of projects) {
    const projectUid = stableUid('Project', org.name, project.name);
    for (const env of envsOf.get(project) ?? []) {
      const environmentUid = stableUid('Environment', org.name, env.name);
      const namespace = cellNamespace(project, env);
      const placedComponents = project.components.filter(c => isPlacedIn(org, c, env));
      const cellResources = placeResources(org, project, resourcesOfProject(project), env, namespace, placedComponents, problems);
      const components = placedComponents.map(c => {
        const placed = withResourceBindings(c, env, placeDependencies(c, env, bound.get(c) ?? [], locate, problems), cellResources, problems);
        const inv = invariants.of(c);
        const routes = resolveRoutes(c, env, gateways, missingGateways, problems, inv.declaredEndpoints);
        for (const route of routes) allRoutes.push({ path: inv.path, environment: env.name, route });
        const ctx = {
          org,
          env,
          environmentUid,
          projectUid,
          dependencies: placed.dependencies,
          dependencyEnv: placed.env,
          routes,
          namespace,
          observability: observability.get(env.dataPlane.name)!,
          invariants,
          shared,
          environmentPlacement: placements.get(env) ?? environmentPlacement(env),
          environmentSpread: spreads.get(env) ?? environmentSpread(env),
        };
        const draft = resolveComponent(c, ctx, problems);
        checkComponentType(c, env, draft, problems);
        return draft;
      });
      const relaxedBy = components
        .filter(c => c.security.exceptions.some(e => e.rule !== 'read-only-root-filesystem'))
        .map(c => c.name);
      const autoInstrumented = [...new Set(components.map(c => c.observability.tracing)
        .filter(t => t?.mode === 'auto').map(t => t!.language!))].sort();
      const collector = observability.get(env.dataPlane.name)!.collector;
      drafts.push({
        instrumentation: autoInstrumented.length === 0 ? undefined : {
          name: 'openchoreo', endpoint: `http://${collector.host}:${collector.port}`, protocol: collector.protocol, languages: autoInstrumented,
        },
        namespace,
        organization: org.name,
        project: project.name,
        projectUid,
        environment: env.name,
        environmentUid,
        dataPlane: env.dataPlane.name,
        isProduction: env.isProduction,
        apiServer: env.dataPlane.apiServer,
        requiresApproval: pipelines.get(project.pipeline.name)!.approvalRequired.has(env),
        promotedFrom: (pipelines.get(project.pipeline.name)!.sources.get(env) ?? []).map(e => e.name),
        labels: {
          [Labels.MANAGED_BY]: MANAGED_BY,
          [Labels.DATAPLANE]: env.dataPlane.name,
          [Labels.ENVIRONMENT]: env.name,
          [Labels.ENVIRONMENT_UID]: environmentUid,
          [Labels.NAMESPACE]: org.name,
          [Labels.PROJECT]: project.name,
          [Labels.PROJECT_UID]: projectUid,
          ...podSecurityLabels(relaxedBy.length > 0 ? 'baseline' : 'restricted'),
        },
        annotations: {
          ...(project.displayName ? { [Annotations.DISPLAY_NAME]: project.displayName } : {}),
          ...(relaxedBy.length > 0 ? { [Annotations.POD_SECURITY_RELAXED_BY]: relaxedBy.join(',') } : {}),
        },
        components,
        quota: resolveCellQuota(env, orgDefaults, [...components, ...resourceQuotaEntries(cellResources.resources, orgDefaults)]),
        ...(cellResources.resources.length > 0 ? { resources: cellResources.resources } : {}),
      });
    }
  }
  checkJoinedNames(org, drafts, problems);
  checkTraitNetwork(drafts, new Map(org.externalServices.map(x => [x.name, `${x.cidrs.length > 0 ? x.cidrs.join(',') : x.host}:${x.port}/${x.protocol === 'UDP' ? 'UDP' : 'TCP'}`])), problems);
  checkReleases(org, drafts, problems, name => projects.some(p => p.name === name && !pipelines.get(p.pipeline.name)));
  const buildPlanes = resolveBuildPlanes(org, c => pipelines.get(c.project.pipeline.name)?.root.name, problems);
  reportMissingGateways(missingGateways, problems);
  checkRouteConflicts(allRoutes, problems);
  const planes = new Map(org.dataPlanes.map(d => [d.name, d]));
  const cells = attachNetwork(drafts, planes, org.isolation, cell => {
    const o = observability.get(cell.dataPlane)!;
    return {
      external: gateways.gatewayOf(cell.environment, 'external')?.pods ?? planes.get(cell.dataPlane)!.externalGatewayPods,
      internal: gateways.gatewayOf(cell.environment, 'internal')?.pods ?? planes.get(cell.dataPlane)!.internalGatewayPods,
      prometheus: o.prometheusPods,
      collector: o.collector.pods,
      l7Visibility: o.httpMetrics === 'hubble',
    };
  }, problems);
  checkCapacityFit(org.dataPlanes, org.environments, cells, problems);
  const access = resolveAccess(org, cells, p => (pipelines.get(p.pipeline.name) ? envsOf.get(p) : undefined), problems);
  problems.throwIfAny();
  cells.sort((a, b) => (a.dataPlane + '/' + a.environment + '/' + a.project < b.dataPlane + '/' + b.environment + '/' + b.project ? -1 : 1));
  return {
    organization: { name: org.name, uid: stableUid('Organization', org.name), displayName: org.displayName },
    environments: org.environments.map(e => ({
      name: e.name, uid: stableUid('Environment', org.name, e.name), dataPlane: e.dataPlane.name, isProduction: e.isProduction, capacity: e.capacity,
    })),
    dataPlanes: gateways.dataPlanes.map(d => {
      const o = observability.get(d.name)!;
      const capacity = planes.get(d.name)!.capacity;
      return { ...d, capacity, observability: { selectorLabels: o.selectorLabels, grafana: o.grafana, httpMetrics: o.httpMetrics } };
    }),
    cells,
    buildPlanes,
    delivery: org.delivery ? resolveDelivery(org.name, org.delivery, cells) : undefined,
    ...(access ? { access } : {}),
  };
}
