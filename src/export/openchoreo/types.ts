import { ComponentKind } from '../../model/component-kind';

/*
 * The ClusterComponentTypes, ClusterTraits and the ClusterProjectType the export ships in
 * `platform-shared/`: what the library renders beyond OpenChoreo's default types (restricted Pod
 * Security, the cell's default-deny baseline, FQDN egress, HPA and PDB, metrics scraping). One
 * function per concept, so that another component type of the model maps to its own
 * ComponentType by adding a row to TYPE_ROWS. Templates use OpenChoreo's `${…}` CEL, which is
 * evaluated by OpenChoreo at render time (not checked offline).
 */

export const API_VERSION = 'openchoreo.dev/v1alpha1';

/** Every kind the export writes (the organization is a v1 Namespace; the rest are openchoreo.dev kinds). @internal */
export const OPENCHOREO_EXPORT_KINDS: readonly string[] = [
  'Namespace', 'DataPlane', 'Environment', 'DeploymentPipeline', 'Project', 'ProjectReleaseBinding', 'Component', 'Workload', 'ComponentRelease',
  'ReleaseBinding', 'SecretReference', 'AuthzRole', 'AuthzRoleBinding', 'ClusterComponentType', 'ClusterTrait', 'ClusterProjectType', 'ComponentType',
  'Resource', 'ClusterResourceType',
  'WorkflowPlane',
];

/** The project type every exported Project uses. @internal */
export const PROJECT_TYPE = 'zero-trust-cell';

/** The ClusterTraits the export ships, by the role they play. @internal */
export const TRAITS = {
  autoscaler: 'horizontal-pod-autoscaler',
  disruptionBudget: 'disruption-budget',
  externalEgress: 'external-egress',
  metrics: 'metrics',
} as const;

/** The builds' ClusterWorkflows (OpenChoreo's defaults). @internal */
export const WORKFLOWS = { dockerfile: 'dockerfile-builder', buildpacks: 'paketo-buildpacks-builder' } as const;

interface TypeRow {
  readonly workloadType: 'deployment' | 'statefulset' | 'cronjob';
  readonly name: string;
  readonly scalable: boolean;
  readonly endpoints: boolean;
}

const TYPE_ROWS: Record<ComponentKind, TypeRow> = {
  [ComponentKind.SERVICE]: { workloadType: 'deployment', name: 'zero-trust-service', scalable: true, endpoints: true },
  [ComponentKind.WEB_APPLICATION]: { workloadType: 'deployment', name: 'zero-trust-web-application', scalable: true, endpoints: true },
  [ComponentKind.WORKER]: { workloadType: 'deployment', name: 'zero-trust-worker', scalable: true, endpoints: false },
  [ComponentKind.SCHEDULED_TASK]: { workloadType: 'cronjob', name: 'zero-trust-scheduled-task', scalable: false, endpoints: false },
  [ComponentKind.STATEFUL_SERVICE]: { workloadType: 'statefulset', name: 'zero-trust-stateful-service', scalable: true, endpoints: true },
};

/** `Component.spec.componentType.name` of a component kind, e.g. `deployment/zero-trust-service`. @internal */
export function componentTypeName(kind: ComponentKind): string {
  const row = TYPE_ROWS[kind];
  return `${row.workloadType}/${row.name}`;
}

/** The component kind of a ComponentType reference, or undefined for a type the export does not ship. @internal */
export function kindOfComponentType(typeName: string): ComponentKind | undefined {
  return (Object.keys(TYPE_ROWS) as ComponentKind[]).find(k => componentTypeName(k) === typeName);
}

const str = { type: 'string' };
const int = (minimum: number, extra: object = {}) => ({ type: 'integer', minimum, ...extra });
const obj = (properties: Record<string, unknown>, required?: string[]) => ({ type: 'object', ...(required ? { required } : {}), properties });
const quantity = obj({ cpu: str, memory: str }, ['cpu', 'memory']);
const RESOURCES = obj({ requests: quantity, limits: quantity }, ['requests', 'limits']);

function parametersSchema(kind: ComponentKind): object {
  const common: Record<string, unknown> = {
    kubernetesApiAccess: { type: 'boolean', default: false },
    scratchPaths: { type: 'array', items: str, default: ['/tmp'] },
  };
  if (kind === ComponentKind.SCHEDULED_TASK) {
    Object.assign(common, {
      timeZone: str,
      concurrencyPolicy: { type: 'string', enum: ['Allow', 'Forbid', 'Replace'], default: 'Forbid' },
      backoffLimit: int(0, { default: 3 }),
      activeDeadlineSeconds: int(1, { default: 3600 }),
    });
  }
  if (kind === ComponentKind.STATEFUL_SERVICE) {
    common.volumes = { type: 'array', items: obj({ name: str, mountPath: str, size: str }, ['name', 'mountPath', 'size']) };
  }
  return obj(common);
}

function environmentConfigsSchema(kind: ComponentKind): object {
  const row = TYPE_ROWS[kind];
  const props: Record<string, unknown> = { resources: RESOURCES };
  if (row.scalable) props.replicas = int(0, { default: 1 });
  if (kind === ComponentKind.SCHEDULED_TASK) Object.assign(props, { schedule: str, suspend: { type: 'boolean', default: false } });
  if (kind === ComponentKind.STATEFUL_SERVICE) props.volumeSizes = { type: 'object', additionalProperties: str };
  return obj(props, ['resources']);
}

const POD_SECURITY = { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } };
const CONTAINER_SECURITY = { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } };

function podTemplate(): object {
  return {
    metadata: { labels: '${metadata.podSelectors}' },
    spec: {
      serviceAccountName: '${metadata.name}',
      automountServiceAccountToken: '${parameters.kubernetesApiAccess}',
      securityContext: POD_SECURITY,
      containers: [{
        name: 'main',
        image: '${workload.container.image}',
        resources: '${environmentConfigs.resources}',
        env: '${dependencies.toContainerEnvs()}',
        envFrom: '${configurations.toContainerEnvFrom()}',
        volumeMounts: '${configurations.toContainerVolumeMounts() + parameters.scratchPaths.map(p, {"name": "scratch-" + oc_hash(p), "mountPath": p})}',
        securityContext: CONTAINER_SECURITY,
      }],
      volumes: '${configurations.toVolumes() + parameters.scratchPaths.map(p, {"name": "scratch-" + oc_hash(p), "emptyDir": {}})}',
    },
  };
}

const META = { name: '${metadata.name}', namespace: '${metadata.namespace}', labels: '${metadata.labels}' };

function workloadTemplate(kind: ComponentKind): object {
  const row = TYPE_ROWS[kind];
  if (row.workloadType === 'cronjob') {
    return {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: META,
      spec: {
        schedule: '${environmentConfigs.schedule}',
        timeZone: '${has(parameters.timeZone) ? parameters.timeZone : oc_omit()}',
        suspend: '${environmentConfigs.suspend}',
        concurrencyPolicy: '${parameters.concurrencyPolicy}',
        jobTemplate: { spec: { backoffLimit: '${parameters.backoffLimit}', activeDeadlineSeconds: '${parameters.activeDeadlineSeconds}', template: podTemplate() } },
      },
    };
  }
  const spec: Record<string, unknown> = { replicas: '${environmentConfigs.replicas}', selector: { matchLabels: '${metadata.podSelectors}' }, template: podTemplate() };
  if (row.workloadType === 'statefulset') {
    spec.serviceName = '${metadata.componentName}';
    spec.volumeClaimTemplates = '${parameters.volumes.map(v, {"metadata": {"name": v.name}, "spec": {"accessModes": ["ReadWriteOnce"], '
      + '"resources": {"requests": {"storage": v.name in environmentConfigs.volumeSizes ? environmentConfigs.volumeSizes[v.name] : v.size}}}})}';
  }
  return { apiVersion: 'apps/v1', kind: row.workloadType === 'statefulset' ? 'StatefulSet' : 'Deployment', metadata: META, spec };
}

/** The spec of the ClusterComponentType of a component kind. @internal */
export function componentTypeSpec(kind: ComponentKind): Record<string, unknown> {
  const row = TYPE_ROWS[kind];
  const resources: object[] = [
    { id: row.workloadType, template: workloadTemplate(kind) },
    { id: 'service-account', template: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: META, automountServiceAccountToken: false } },
  ];
  if (row.endpoints) {
    resources.push({
      id: 'service',
      includeWhen: '${size(workload.endpoints) > 0}',
      template: { apiVersion: 'v1', kind: 'Service', metadata: { ...META, name: '${metadata.componentName}' }, spec: { selector: '${metadata.podSelectors}', ports: '${workload.toServicePorts()}' } },
    });
  }
  const traits = [TRAITS.externalEgress, TRAITS.metrics, ...(row.scalable ? [TRAITS.autoscaler, TRAITS.disruptionBudget] : [])].sort();
  return {
    workloadType: row.workloadType,
    allowedWorkflows: [WORKFLOWS.dockerfile, WORKFLOWS.buildpacks].sort().map(name => ({ kind: 'ClusterWorkflow', name })),
    allowedTraits: traits.map(name => ({ kind: 'ClusterTrait', name })),
    parameters: { openAPIV3Schema: parametersSchema(kind) },
    environmentConfigs: { openAPIV3Schema: environmentConfigsSchema(kind) },
    resources,
  };
}

const utilization = (resource: string, field: string) => `(has(environmentConfigs.${field}) ? [{"type": "Resource", "resource": {"name": "${resource}", `
  + `"target": {"type": "Utilization", "averageUtilization": environmentConfigs.${field}}}}] : [])`;
const AUTOSCALING_METRICS = `\${${utilization('cpu', 'cpuUtilization')} + ${utilization('memory', 'memoryUtilization')}}`;

/** The spec of a ClusterTrait the export ships. @internal */
export function traitSpec(name: string): Record<string, unknown> {
  const enabled = { enabled: { type: 'boolean', default: true } };
  const when = '${environmentConfigs.enabled}';
  const named = { name: '${oc_generate_name(metadata.componentName, trait.instanceName)}', namespace: '${metadata.namespace}', labels: '${metadata.labels}' };
  const target = { apiVersion: 'apps/v1', kind: 'Deployment', name: '${metadata.name}' };
  switch (name) {
    case TRAITS.autoscaler:
      return {
        environmentConfigs: {
          openAPIV3Schema: obj({ ...enabled, minReplicas: int(1), maxReplicas: int(1), cpuUtilization: int(1), memoryUtilization: int(1) }),
        },
        creates: [{
          includeWhen: when,
          template: {
            apiVersion: 'autoscaling/v2',
            kind: 'HorizontalPodAutoscaler',
            metadata: named,
            spec: { scaleTargetRef: target, minReplicas: '${environmentConfigs.minReplicas}', maxReplicas: '${environmentConfigs.maxReplicas}', metrics: AUTOSCALING_METRICS },
          },
        }],
      };
    case TRAITS.disruptionBudget:
      return {
        environmentConfigs: { openAPIV3Schema: obj({ ...enabled, maxUnavailable: { 'x-kubernetes-int-or-string': true }, minAvailable: { 'x-kubernetes-int-or-string': true } }) },
        creates: [{
          includeWhen: when,
          template: {
            apiVersion: 'policy/v1',
            kind: 'PodDisruptionBudget',
            metadata: named,
            spec: {
              selector: { matchLabels: '${metadata.podSelectors}' },
              maxUnavailable: '${has(environmentConfigs.maxUnavailable) ? environmentConfigs.maxUnavailable : oc_omit()}',
              minAvailable: '${has(environmentConfigs.minAvailable) ? environmentConfigs.minAvailable : oc_omit()}',
            },
          },
        }],
      };
    case TRAITS.externalEgress:
      return {
        parameters: {
          openAPIV3Schema: obj({
            host: str,
            cidrs: { type: 'array', items: str },
            port: int(1, { maximum: 65535 }),
            protocol: { type: 'string', enum: ['TCP', 'UDP'], default: 'TCP' },
            scheme: str,
            envBindings: obj({ address: str, host: str, port: str }, ['address']),
          }, ['port', 'envBindings']),
        },
        creates: [{ template: egressPolicyTemplate(named, '${parameters.protocol}') }],
      };
    case TRAITS.metrics:
      return {
        parameters: { openAPIV3Schema: obj({ port: int(1, { maximum: 65535 }), path: { type: 'string', default: '/metrics' } }, ['port']) },
        creates: [{
          template: {
            apiVersion: 'monitoring.coreos.com/v1',
            kind: 'PodMonitor',
            metadata: named,
            spec: { selector: { matchLabels: '${metadata.podSelectors}' }, podMetricsEndpoints: [{ portNumber: '${parameters.port}', path: '${parameters.path}' }] },
          },
        }],
      };
    default:
      throw new Error(`internal: no ClusterTrait '${name}'`);
  }
}

/** A trait's CiliumNetworkPolicy: egress from the component's pods to `parameters.host` or `parameters.cidrs` on `parameters.port`. @internal */
export function egressPolicyTemplate(metadata: object, protocol: string): object {
  return {
    apiVersion: 'cilium.io/v2',
    kind: 'CiliumNetworkPolicy',
    metadata,
    spec: {
      endpointSelector: { matchLabels: '${metadata.podSelectors}' },
      egress: [{
        toFQDNs: '${has(parameters.host) ? [{"matchName": parameters.host}] : oc_omit()}',
        toCIDR: '${has(parameters.cidrs) ? parameters.cidrs : oc_omit()}',
        toPorts: [{ ports: [{ port: '${string(parameters.port)}', protocol }] }],
      }],
    },
  };
}

/** The spec of the ClusterProjectType `zero-trust-cell`: PSS-labelled cell namespace, default deny both ways, DNS. @internal */
export function projectTypeSpec(): Record<string, unknown> {
  return {
    environmentConfigs: { openAPIV3Schema: obj({ podSecurityLevel: { type: 'string', enum: ['restricted', 'baseline'], default: 'restricted' } }) },
    resources: [
      {
        id: 'cell-namespace',
        template: {
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: {
            name: '${metadata.namespace}',
            labels: '${oc_merge(metadata.labels, {"pod-security.kubernetes.io/enforce": environmentConfigs.podSecurityLevel, "pod-security.kubernetes.io/warn": "restricted", "pod-security.kubernetes.io/audit": "restricted"})}',
          },
        },
      },
      {
        id: 'cell-baseline',
        template: {
          apiVersion: 'cilium.io/v2',
          kind: 'CiliumNetworkPolicy',
          metadata: { name: 'cell-baseline', namespace: '${metadata.namespace}' },
          spec: {
            endpointSelector: {},
            enableDefaultDeny: { ingress: true, egress: true },
            egress: [{
              toEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'kube-system', 'k8s-app': 'kube-dns' } }],
              toPorts: [{ ports: [{ port: '53', protocol: 'UDP' }, { port: '53', protocol: 'TCP' }], rules: { dns: [{ matchPattern: '*' }] } }],
            }],
          },
        },
      },
    ],
  };
}

/** Every ClusterComponentType, ClusterTrait and ClusterProjectType object, with its file under `platform-shared/`. @internal */
export function platformSharedObjects(): Array<{ file: string; manifest: any }> {
  const out: Array<{ file: string; manifest: any }> = [];
  for (const kind of Object.values(ComponentKind).sort()) {
    const name = TYPE_ROWS[kind].name;
    out.push({ file: `platform-shared/component-types/${name}.yaml`, manifest: { apiVersion: API_VERSION, kind: 'ClusterComponentType', metadata: { name }, spec: componentTypeSpec(kind) } });
  }
  out.push({ file: `platform-shared/project-types/${PROJECT_TYPE}.yaml`, manifest: { apiVersion: API_VERSION, kind: 'ClusterProjectType', metadata: { name: PROJECT_TYPE }, spec: projectTypeSpec() } });
  for (const name of Object.values(TRAITS).sort()) {
    out.push({ file: `platform-shared/traits/${name}.yaml`, manifest: { apiVersion: API_VERSION, kind: 'ClusterTrait', metadata: { name }, spec: traitSpec(name) } });
  }
  return out;
}
