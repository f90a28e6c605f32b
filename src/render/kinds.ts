/*
 * The one table of the Kubernetes kinds the library emits into the tree (and of those their
 * controllers create, which access grants must still let people read). RBAC (READ/EDIT grants),
 * the access evaluator's READ probes and the Flux tenants' permissions all read it; a test keeps it
 * equal to imports/kinds.json, the list the schemas and bindings are generated from.
 */

/** One kind, as RBAC and GitOps need it. @internal */
export interface KindInfo {
  /** API group ('' for the core group). */
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  /** The resource name in RBAC rules. */
  readonly plural: string;
  readonly namespaced: boolean;
  /** Written by the library (false: created by a controller from what it writes, or a metrics view). */
  readonly emitted: boolean;
  /** Covered by the READ capability in a cell (never Secrets or RBAC objects). */
  readonly readInCells: boolean;
  /** Covered by EDIT too (false for objects that are observed but never written by hand). */
  readonly editable: boolean;
  /** Probed by the access evaluator when it checks READ (rows marked so come first, in probe order). */
  readonly readProbe: boolean;
}

type Row = [group: string, version: string, kind: string, plural: string, flags: string];

// flags: n = namespaced, e = emitted, r = readInCells, w = editable, p = readProbe
const ROWS: Row[] = [
  // READ probes of the access evaluator, in the order it reports them
  ['', 'v1', 'Pod', 'pods', 'nrp'],
  ['', 'v1', 'Service', 'services', 'nerwp'],
  ['', 'v1', 'ConfigMap', 'configmaps', 'nerwp'],
  ['', 'v1', 'Event', 'events', 'nrp'],
  ['apps', 'v1', 'Deployment', 'deployments', 'nerwp'],
  ['batch', 'v1', 'CronJob', 'cronjobs', 'nerwp'],
  ['gateway.networking.k8s.io', 'v1', 'HTTPRoute', 'httproutes', 'nerwp'],
  ['cilium.io', 'v2', 'CiliumNetworkPolicy', 'ciliumnetworkpolicies', 'nerwp'],
  ['external-secrets.io', 'v1', 'ExternalSecret', 'externalsecrets', 'nerwp'],
  // the rest, by group
  ['', 'v1', 'Namespace', 'namespaces', 'e'],
  ['', 'v1', 'ServiceAccount', 'serviceaccounts', 'nerw'],
  ['', 'v1', 'Endpoints', 'endpoints', 'nr'],
  ['', 'v1', 'PersistentVolumeClaim', 'persistentvolumeclaims', 'nrw'],
  ['', 'v1', 'ResourceQuota', 'resourcequotas', 'ner'],
  ['', 'v1', 'LimitRange', 'limitranges', 'ner'],
  ['apps', 'v1', 'ReplicaSet', 'replicasets', 'nr'],
  ['apps', 'v1', 'StatefulSet', 'statefulsets', 'nerw'],
  ['autoscaling', 'v2', 'HorizontalPodAutoscaler', 'horizontalpodautoscalers', 'nerw'],
  ['batch', 'v1', 'Job', 'jobs', 'nrw'],
  ['discovery.k8s.io', 'v1', 'EndpointSlice', 'endpointslices', 'nr'],
  ['events.k8s.io', 'v1', 'Event', 'events', 'nr'],
  ['gateway.envoyproxy.io', 'v1alpha1', 'EnvoyProxy', 'envoyproxies', 'ne'],
  ['gateway.envoyproxy.io', 'v1alpha1', 'ClientTrafficPolicy', 'clienttrafficpolicies', 'ne'],
  ['gateway.envoyproxy.io', 'v1alpha1', 'SecurityPolicy', 'securitypolicies', 'nerw'],
  ['gateway.envoyproxy.io', 'v1alpha1', 'BackendTrafficPolicy', 'backendtrafficpolicies', 'nerw'],
  ['gateway.networking.k8s.io', 'v1', 'GatewayClass', 'gatewayclasses', 'e'],
  ['gateway.networking.k8s.io', 'v1', 'Gateway', 'gateways', 'ne'],
  ['gateway.networking.k8s.io', 'v1', 'GRPCRoute', 'grpcroutes', 'nerw'],
  ['metrics.k8s.io', 'v1beta1', 'PodMetrics', 'pods', 'nr'],
  ['monitoring.coreos.com', 'v1', 'ServiceMonitor', 'servicemonitors', 'nerw'],
  ['monitoring.coreos.com', 'v1', 'PodMonitor', 'podmonitors', 'nerw'],
  ['monitoring.coreos.com', 'v1', 'PrometheusRule', 'prometheusrules', 'nerw'],
  ['networking.k8s.io', 'v1', 'NetworkPolicy', 'networkpolicies', 'nerw'],
  ['opentelemetry.io', 'v1alpha1', 'Instrumentation', 'instrumentations', 'nerw'],
  ['policy', 'v1', 'PodDisruptionBudget', 'poddisruptionbudgets', 'nerw'],
  ['rbac.authorization.k8s.io', 'v1', 'Role', 'roles', 'ne'],
  ['rbac.authorization.k8s.io', 'v1', 'RoleBinding', 'rolebindings', 'ne'],
  ['rbac.authorization.k8s.io', 'v1', 'ClusterRole', 'clusterroles', 'e'],
  ['rbac.authorization.k8s.io', 'v1', 'ClusterRoleBinding', 'clusterrolebindings', 'e'],
  ['argoproj.io', 'v1alpha1', 'AppProject', 'appprojects', 'ne'],
  ['argoproj.io', 'v1alpha1', 'Application', 'applications', 'ne'],
  ['argoproj.io', 'v1alpha1', 'WorkflowTemplate', 'workflowtemplates', 'ne'],
  ['source.toolkit.fluxcd.io', 'v1', 'GitRepository', 'gitrepositories', 'ne'],
  ['kustomize.toolkit.fluxcd.io', 'v1', 'Kustomization', 'kustomizations', 'ne'],
  ['postgresql.cnpg.io', 'v1', 'Cluster', 'clusters', 'nerw'],
  ['postgresql.cnpg.io', 'v1', 'ScheduledBackup', 'scheduledbackups', 'nerw'],
  ['postgresql.cnpg.io', 'v1', 'Pooler', 'poolers', 'nerw'],
  ['postgresql.cnpg.io', 'v1', 'Backup', 'backups', 'nr'],
];

/** Every kind the library emits or lets people read. @internal */
export const KINDS: readonly KindInfo[] = ROWS.map(([group, version, kind, plural, flags]) => ({
  group,
  version,
  kind,
  plural,
  namespaced: flags.includes('n'),
  emitted: flags.includes('e'),
  readInCells: flags.includes('r'),
  editable: flags.includes('w'),
  readProbe: flags.includes('p'),
}));

/** The kinds a flag selects, as `[group, plural]`, sorted by group then plural. @internal */
export function resourcesWhere(pick: (k: KindInfo) => boolean): Array<readonly [string, string]> {
  const key = (k: KindInfo) => `${k.group}\u0000${k.plural}`;
  return KINDS.filter(pick).sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0)).map(k => [k.group, k.plural] as const);
}

/** The RBAC resource name of an emitted kind; throws for a kind missing from the table. @internal */
export function pluralOf(group: string, kind: string): string {
  const found = KINDS.find(k => k.emitted && k.group === group && k.kind === kind);
  if (!found) throw new Error(`internal: kind ${group ? `${group}/` : ''}${kind} is missing from src/render/kinds.ts; add its row`);
  return found.plural;
}
