import { API_VERSION } from './types';
import { AccessCapability, AccessGrant, BUILT_IN_ROLES, CustomRole } from '../../model/access';
import { NetworkPolicyProvider } from '../../model/network';
import { Organization } from '../../model/organization';
import { Plan, PlanGateway } from '../../resolve/plan';

/** One exported object and its file, relative to the export's root. @internal */
export interface ExportedObject {
  readonly file: string;
  readonly manifest: any;
}

/** The Secret (in the control plane's namespace) the cluster agent's client CA is read from: `<data plane>-cluster-agent-ca`, key `ca.crt`. @internal */
export const clusterAgentCaSecret = (dataPlane: string) => `${dataPlane}-cluster-agent-ca`;

/** `spec.clusterAgent` of a plane: its client CA read from `secret`, key `ca.crt`. @internal */
export const clusterAgent = (secret: string) => ({ clientCA: { secretKeyRef: { name: secret, key: 'ca.crt' } } });

/** The organization's folder of the export. @internal */
export const orgDir = (org: string) => `namespaces/${org}`;

const DISPLAY_NAME = 'openchoreo.dev/display-name';

/** `metadata` of a namespaced control-plane object. @internal */
export function meta(org: string, name: string, labels?: Record<string, string>, annotations?: Record<string, string>): Record<string, unknown> {
  return {
    name,
    namespace: org,
    ...(annotations && Object.keys(annotations).length > 0 ? { annotations } : {}),
    ...(labels && Object.keys(labels).length > 0 ? { labels } : {}),
  };
}

/** `{ openchoreo.dev/display-name }` when there is a display name. @internal */
export function displayNameAnnotation(displayName: string | undefined): Record<string, string> | undefined {
  return displayName === undefined ? undefined : { [DISPLAY_NAME]: displayName };
}

/** `o` without its undefined values (optional fields written only when set). @internal */
export function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** The annotation key of display names. @internal */
export const DISPLAY_NAME_ANNOTATION = DISPLAY_NAME;

/** The Organization: a Namespace labelled as OpenChoreo's control-plane namespace. @internal */
export function organizationNamespace(plan: Plan): ExportedObject {
  const org = plan.organization;
  return {
    file: `${orgDir(org.name)}/namespace.yaml`,
    manifest: {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: org.name, ...(org.displayName ? { annotations: { [DISPLAY_NAME]: org.displayName } } : {}), labels: { 'openchoreo.dev/control-plane': 'true' } },
    },
  };
}

function gatewayRef(g: PlanGateway): Record<string, unknown> {
  return { name: g.name, namespace: g.namespace, https: { host: g.domain, port: 443, listenerName: 'https' } };
}

function ingress(gateways: PlanGateway[]): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  for (const g of gateways) out[g.visibility] = gatewayRef(g);
  return Object.keys(out).length === 0 ? undefined : { ingress: Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1))) };
}

/** DataPlanes, Environments and DeploymentPipelines. @internal */
export function infrastructure(org: Organization, plan: Plan): ExportedObject[] {
  const dir = `${orgDir(org.name)}/platform/infra`;
  const out: ExportedObject[] = [];
  for (const dp of plan.dataPlanes) {
    const model = org.dataPlanes.find(d => d.name === dp.name)!;
    const gateway = ingress(dp.gateways.filter(g => g.environment === undefined));
    out.push({
      file: `${dir}/data-planes/${dp.name}.yaml`,
      manifest: {
        apiVersion: API_VERSION,
        kind: 'DataPlane',
        metadata: meta(org.name, dp.name, { 'openchoreo.dev/name': dp.name },
          model.networkPolicyProvider === NetworkPolicyProvider.CILIUM ? { 'openchoreo.dev/networkpolicyprovider': 'cilium' } : undefined),
        spec: {
          planeID: dp.name,
          clusterAgent: clusterAgent(clusterAgentCaSecret(dp.name)),
          secretStoreRef: { name: dp.secretStore },
          ...(gateway ? { gateway } : {}),
        },
      },
    });
  }
  for (const env of plan.environments) {
    const dp = plan.dataPlanes.find(d => d.name === env.dataPlane)!;
    const gateway = ingress(dp.gateways.filter(g => g.environment === env.name));
    out.push({
      file: `${dir}/environments/${env.name}.yaml`,
      manifest: {
        apiVersion: API_VERSION,
        kind: 'Environment',
        metadata: meta(org.name, env.name, { 'openchoreo.dev/name': env.name }),
        spec: { dataPlaneRef: { kind: 'DataPlane', name: env.dataPlane }, isProduction: env.isProduction, ...(gateway ? { gateway } : {}) },
      },
    });
  }
  for (const p of [...org.pipelines].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    out.push({
      file: `${dir}/deployment-pipelines/${p.name}.yaml`,
      manifest: {
        apiVersion: API_VERSION,
        kind: 'DeploymentPipeline',
        metadata: meta(org.name, p.name, { 'openchoreo.dev/name': p.name }),
        spec: {
          promotionPaths: p.promotionPaths.map(path => ({
            sourceEnvironmentRef: { name: path.source.name },
            targetEnvironmentRefs: path.targets.map(t => ({ name: t.name })),
          })),
        },
      },
    });
  }
  return out;
}

/** OpenChoreo authz actions per capability; capabilities without an action are reported as not expressible. @internal */
export const CAPABILITY_ACTIONS: Partial<Record<AccessCapability, readonly string[]>> = {
  [AccessCapability.READ]: ['component:view', 'componentrelease:view', 'project:view', 'releasebinding:view', 'workload:view'],
  [AccessCapability.LOGS]: ['logs:view'],
  [AccessCapability.DEPLOY]: ['componentrelease:create', 'releasebinding:create', 'releasebinding:update'],
  [AccessCapability.EXEC]: ['component:exec'],
};
const DEPLOY_ACTIONS = CAPABILITY_ACTIONS[AccessCapability.DEPLOY]!;
/** Built-in roles that the control-plane chart installs as ClusterAuthzRoles. */
const CLUSTER_ROLES = new Set(['admin', 'developer']);

function actionsOf(capabilities: readonly AccessCapability[]): string[] {
  return [...new Set(capabilities.flatMap(c => CAPABILITY_ACTIONS[c] ?? []))].sort();
}

/** Group names as object name parts: lower case, other characters as '-'. */
const nameSafe = (s: string) => s.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');

/** AuthzRoles (viewer and custom roles) and one AuthzRoleBinding per access grant and group. @internal */
export function authorization(org: Organization, plan: Plan): ExportedObject[] {
  const dir = `${orgDir(org.name)}/platform/authz`;
  const grants = org.node.findAll().filter((c): c is AccessGrant => c instanceof AccessGrant).sort((a, b) => (a.node.path < b.node.path ? -1 : 1));
  const customRoles = org.node.findAll().filter((c): c is CustomRole => c instanceof CustomRole);
  const out: ExportedObject[] = [];
  const roles = new Map<string, { description: string; actions: string[] }>();
  const production = plan.environments.filter(e => e.isProduction).map(e => e.name);
  const nonProduction = plan.environments.filter(e => !e.isProduction).map(e => e.name);
  for (const grant of grants) {
    const name = grant.role.roleName;
    const custom = customRoles.find(r => r.roleName === name);
    const definition = custom ?? BUILT_IN_ROLES[name];
    if (!definition) continue;
    const clusterRole = !custom && CLUSTER_ROLES.has(name);
    if (!clusterRole) roles.set(name, { description: definition.description, actions: actionsOf(definition.capabilities) });
    const conditions: object[] = [];
    if (grant.environment) {
      conditions.push({ actions: actionsOf(definition.capabilities), expression: `resource.environment in ${JSON.stringify([grant.environment.name])}` });
    } else if (definition.restrictedInProduction && production.length > 0 && definition.capabilities.includes(AccessCapability.DEPLOY)) {
      conditions.push({ actions: [...DEPLOY_ACTIONS], expression: `resource.environment in ${JSON.stringify(nonProduction)}` });
    }
    for (const group of [...grant.groups].sort()) {
      const bindingName = `${grant.node.id}-${nameSafe(group)}`.replace(/-+$/, '');
      out.push({
        file: `${dir}/role-bindings/${bindingName}.yaml`,
        manifest: {
          apiVersion: API_VERSION,
          kind: 'AuthzRoleBinding',
          metadata: meta(org.name, bindingName),
          spec: {
            entitlement: { claim: 'groups', value: group },
            roleMappings: [{
              roleRef: { kind: clusterRole ? 'ClusterAuthzRole' : 'AuthzRole', name },
              ...(grant.project ? { scope: { project: grant.project.name } } : {}),
              ...(conditions.length > 0 ? { conditions } : {}),
            }],
            effect: 'allow',
          },
        },
      });
    }
  }
  for (const [name, role] of [...roles.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (role.actions.length === 0) continue;
    out.unshift({
      file: `${dir}/roles/${name}.yaml`,
      manifest: { apiVersion: API_VERSION, kind: 'AuthzRole', metadata: meta(org.name, name), spec: { description: role.description, actions: role.actions } },
    });
  }
  return out;
}
