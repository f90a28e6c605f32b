import { CAPABILITY_ACTIONS, clusterAgentCaSecret } from './infra';
import { standardsNotExpressible } from './not-expressible-standards';
import { buildPlaneItems } from './workflow-planes';
import { AccessGrant, BUILT_IN_ROLES, CustomRole } from '../../model/access';
import { BuildPlane } from '../../model/build';
import { Organization } from '../../model/organization';

/** One declared feature the OpenChoreo export cannot express, and why. */
export interface OpenChoreoNotExpressible {
  /** The construct path of the declaration. */
  readonly path: string;
  /** The feature, e.g. `probes` or `environment production: placement`. */
  readonly feature: string;
  /** Why it has no OpenChoreo counterpart in the export, and what happens instead. */
  readonly reason: string;
}

/** Component props the export carries (Component parameters and traits, Workload, ReleaseBindings). */
const EXPRESSED_PROPS = new Set([
  'name', 'image', 'source', 'command', 'args', 'env', 'secretEnv', 'files', 'kubernetesApiAccess', 'scratchPaths', 'displayName',
  'metrics', 'resources', 'replicas', 'autoscaling', 'disruptionBudget', 'schedule', 'timeZone', 'concurrencyPolicy', 'backoffLimit',
  'activeDeadline', 'volumes', 'type',
]);
const EXPRESSED_OVERRIDES = new Set(['image', 'env', 'resources', 'replicas', 'autoscaling', 'disruptionBudget', 'schedule', 'suspend', 'volumeSizes']);

const TEMPLATE = 'the zero-trust ComponentTypes render it from their templates without a parameter for it; OpenChoreo applies the template\'s behaviour';
const REASONS: Record<string, string> = {
  probes: 'the ComponentTypes define no probe parameters; OpenChoreo renders pods without these probes',
  tracing: 'OpenChoreo\'s observability plane is a different stack; no trait for OpenTelemetry instrumentation is shipped',
  slo: 'SLO burn-rate alerts belong to OpenChoreo\'s observability plane (ObservabilityAlertRule), which the export does not write',
  logFormat: 'log parsing belongs to OpenChoreo\'s observability plane',
  sidecars: 'a Workload has one container',
  initContainers: 'a Workload has one container',
  securityExceptions: 'the hardened ComponentTypes have no exception parameters; their pods run at Pod Security restricted',
};

/** Unset, or an empty list or map (configureEnvironment merges maps into `{}`). */
const isEmpty = (v: unknown) => v === undefined || (Array.isArray(v) ? v.length === 0 : v !== null && typeof v === 'object' && v.constructor === Object && Object.keys(v).length === 0);

const sortItems = (items: OpenChoreoNotExpressible[]) =>
  items.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.feature < b.feature ? -1 : a.feature > b.feature ? 1 : 0));

/** What the export of an organization cannot express, per construct, sorted by path. @internal */
export function notExpressible(org: Organization, unreleased: readonly string[]): OpenChoreoNotExpressible[] {
  const out: OpenChoreoNotExpressible[] = [];
  const add = (path: string, feature: string, reason: string) => out.push({ path, feature, reason });
  if (org.delivery) add(org.delivery.node.path, 'GitOps delivery (Argo CD / Flux objects)', 'the export is a tree of its own: point Flux or Argo CD at exports/openchoreo/ (platform-shared/ first, then namespaces/)');
  add(org.node.path, 'Kubernetes RBAC and Argo CD / Flux permissions of access grants', 'OpenChoreo authorization is API-level (AuthzRole/AuthzRoleBinding); the data-plane RBAC is OpenChoreo\'s own');
  for (const dp of org.dataPlanes) {
    add(dp.node.path, 'cluster agent client CA', `no counterpart in the model: DataPlane.spec.clusterAgent.clientCA reads Secret '${clusterAgentCaSecret(dp.name)}' (key ca.crt), which the operator creates`);
    if (dp.externalGateway || dp.internalGateway) add(dp.node.path, 'gateway objects (GatewayClass, EnvoyProxy, Gateway, certificates, client traffic policy)', 'OpenChoreo\'s data-plane chart installs its gateways; the export only references them by name');
    if (dp.capacity) add(dp.node.path, 'capacity', 'OpenChoreo has no capacity check');
    if (dp.placement) add(dp.node.path, 'placement', TEMPLATE);
  }
  for (const env of org.environments) {
    if (env.quotaHeadroom !== undefined) add(env.node.path, 'quotaHeadroom (ResourceQuota, LimitRange)', 'the zero-trust-cell ProjectType renders no quota');
    if (env.placement) add(env.node.path, 'placement', TEMPLATE);
    if (env.capacity) add(env.node.path, 'capacity', 'OpenChoreo has no capacity check');
  }
  for (const p of org.pipelines) {
    for (const path of p.promotionPaths) {
      if (path.requiresApproval) add(p.node.path, `requiresApproval (${path.source.name} → ${path.targets.map(t => t.name).join(', ')})`, 'DeploymentPipeline has no approval field since v1.0: require a review of the ReleaseBinding pull request instead');
    }
  }
  for (const bp of org.node.findAll().filter((c): c is BuildPlane => c instanceof BuildPlane)) buildPlaneItems(bp, add);
  const roles = new Map(org.node.findAll().filter((c): c is CustomRole => c instanceof CustomRole).map(r => [r.roleName, r.capabilities] as const));
  for (const grant of org.node.findAll().filter((c): c is AccessGrant => c instanceof AccessGrant)) {
    const capabilities = roles.get(grant.role.roleName) ?? BUILT_IN_ROLES[grant.role.roleName]?.capabilities ?? [];
    const missing = capabilities.filter(c => !CAPABILITY_ACTIONS[c]);
    if (missing.length > 0 && grant.role.roleName !== 'admin') add(grant.node.path, `capabilities ${missing.join(', ')}`, 'OpenChoreo has no authz action for them');
  }
  for (const project of org.projects) {
    for (const c of project.components) {
      const props = c._props as unknown as Record<string, unknown>;
      for (const key of Object.keys(props).sort()) {
        if (isEmpty(props[key]) || EXPRESSED_PROPS.has(key)) continue;
        add(c.node.path, key, REASONS[key] ?? TEMPLATE);
      }
      if (c._props.metrics?.interval) add(c.node.path, 'metrics.interval', 'the metrics trait scrapes at the monitoring stack\'s default interval');
      if (c.source?.gitCredentials || c.source?.gitUsername) add(c.node.path, 'source git credentials', 'OpenChoreo\'s ClusterWorkflows read git credentials from their own SecretReference');
      for (const ep of c.endpoints) {
        if (ep._routeLayers.length > 0) add(ep.node.path, 'route (hostLabel, pathPrefix, API policy)', 'OpenChoreo computes route host names and paths itself; no API-policy trait is shipped');
      }
      for (const d of c._dependencies) {
        if (d.options.httpRules) add(c.node.path, `httpRules of the dependency on ${d.external?.name ?? d.endpoint?.node.path ?? `${d.reference?.component}/${d.reference?.endpoint}`}`, 'Workload dependencies have no L7 rules');
      }
      for (const [env, overrides] of [...c._overrides.entries()].sort(([a], [b]) => (a.name < b.name ? -1 : 1))) {
        for (const key of Object.keys(overrides).sort()) {
          if (isEmpty((overrides as Record<string, unknown>)[key]) || EXPRESSED_OVERRIDES.has(key)) continue;
          add(c.node.path, `environment ${env.name}: ${key}`, REASONS[key] ?? TEMPLATE);
        }
      }
    }
  }
  standardsNotExpressible(org, add);
  for (const path of unreleased) add(path, 'component without an image in any environment', 'a Workload needs an image: the component is exported once a release pins one (npx cdk8s-openchoreo release)');
  return sortItems(out);
}

/** NOT-EXPRESSIBLE.md. @internal */
export function notExpressibleMarkdown(org: string, items: readonly OpenChoreoNotExpressible[]): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  return [
    `# What the OpenChoreo export of ${org} cannot express`,
    '',
    'Declared features with no counterpart in OpenChoreo v1.2.3 control-plane resources (or in the',
    'ComponentTypes and Traits the export ships in `platform-shared/`). They are not in the exported CRs.',
    '',
    `${items.length} item(s).`,
    '',
    '| Construct | Feature | Why |',
    '|---|---|---|',
    ...items.map(i => `| \`${i.path}\` | ${cell(i.feature)} | ${cell(i.reason)} |`),
    '',
  ].join('\n');
}
