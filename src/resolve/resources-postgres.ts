import { Labels } from './labels';
import { generateName, NameLimit } from './naming';
import type { PlanNetworkRule, PlanPeer, PlanSecretData } from './plan';
import type { PlanResource } from './resources';
import { secretData } from './secret-data';
import { Environment } from '../model/environment';
import { ProblemCollector } from '../model/errors';
import { NetworkPolicyProvider } from '../model/network';
import { Resource } from '../model/resource';
import { PoolMode, PostgresResourceType } from '../model/resource-postgres';
import type { ResourceConnection } from '../model/resource-type';

/** A CloudNativePG cluster in one cell. @internal */
export interface PlanPostgres {
  readonly clusterName: string;
  readonly imageName: string;
  readonly instances: number;
  readonly storageSize: string;
  readonly storageClass?: string;
  readonly cpu: string;
  readonly memory: string;
  readonly database: string;
  readonly owner: string;
  readonly requireTls: boolean;
  /** Anti-affinity of the instances: required (production with replicas) or preferred. */
  readonly antiAffinity: 'required' | 'preferred';
  readonly backup?: {
    readonly destinationPath: string;
    readonly endpointUrl: string;
    readonly schedule: string;
    readonly retention: string;
    readonly secretName: string;
    readonly secret: PlanSecretData[];
    readonly scheduledBackupName: string;
  };
  readonly pooler?: { readonly name: string; readonly instances: number; readonly poolMode: PoolMode };
}

/** The labels CloudNativePG puts on its pods. */
const CLUSTER_LABEL = 'cnpg.io/cluster';
const POD_ROLE_LABEL = 'cnpg.io/podRole';
const POOLER_LABEL = 'cnpg.io/poolerName';
const OPERATOR_LABELS = { 'app.kubernetes.io/name': 'cloudnative-pg' };
const PORT = PostgresResourceType.PORT;
const STATUS = PostgresResourceType.STATUS_PORT;
const tcp = (...ports: number[]) => ports.map(port => ({ port, protocol: 'TCP' as const }));

/** Where a Postgres resource is placed. @internal */
export interface PostgresPlacement {
  readonly env: Environment;
  readonly namespace: string;
  readonly objectName: string;
  readonly labels: Record<string, string>;
  readonly consumers: string[];
  readonly connection: ResourceConnection;
}

/**
 * A Postgres resource in one cell: the cluster's size for the environment, its credentials (the
 * operator's `<cluster>-app` Secret), and the network policies of its pods — ingress only from
 * its consumers (or its pooler), the operator and its own instances; egress only to its own
 * instances, the API server and the backup object store. @internal
 */
export function resolvePostgres(
  r: Resource, type: PostgresResourceType, at: PostgresPlacement, problems: ProblemCollector,
): Omit<PlanResource, 'path' | 'name' | 'typeName' | 'objectName' | 'labels' | 'consumers'> {
  const p = type._props;
  const { env, namespace, objectName } = at;
  const plane = env.dataPlane;
  const cilium = plane.networkPolicyProvider === NetworkPolicyProvider.CILIUM;
  const size = p.environments?.[env.name] ?? {};
  const instances = size.instances ?? p.instances ?? (env.isProduction ? 3 : 1);
  const backedUp = p.backup !== undefined && (p.backup.environments ? p.backup.environments.includes(env.name) : env.isProduction);
  const poolerName = p.pooler ? `${objectName}-pooler` : undefined;
  const operatorNamespace = p.operatorNamespace ?? 'cnpg-system';
  const instancePods = { [CLUSTER_LABEL]: objectName, [POD_ROLE_LABEL]: 'instance' };
  const podsIn = (labels: Record<string, string>, ns = namespace): PlanPeer => ({ kind: 'pods', namespace: ns, labels });

  const apiPorts = tcp(...(p.kubernetesApiPorts ?? [443, 6443]));
  const apiReason = 'the Kubernetes API server (the instance manager reports status and reads its Secrets)';
  let api: PlanNetworkRule | undefined;
  if (p.kubernetesApiCidrs && p.kubernetesApiCidrs.length > 0) {api = { peer: { kind: 'cidrs', cidrs: [...p.kubernetesApiCidrs].sort() }, ports: apiPorts, reason: apiReason };} else if (cilium) {api = { peer: { kind: 'kube-apiserver' }, ports: apiPorts, reason: apiReason };} else {
    problems.add(r, `the Kubernetes NetworkPolicy back-end of data plane '${plane.name}' cannot select the API server, which the instance managers of resource '${r.name}' must reach (in '${env.name}')`,
      "set kubernetesApiCidrs on ResourceType.postgres to the API server endpoints (kubectl get endpoints kubernetes -n default), e.g. kubernetesApiCidrs: ['10.0.0.10/32']", { environment: env.name });
  }

  let backup: PlanPostgres['backup'];
  let store: PlanNetworkRule | undefined;
  if (backedUp) {
    const b = p.backup!;
    const url = new URL(b.endpointUrl);
    const port = url.port ? Number(url.port) : 443;
    const reason = `backups to the object store ${url.hostname}`;
    if (b.cidrs && b.cidrs.length > 0) {store = { peer: { kind: 'cidrs', cidrs: [...b.cidrs].sort() }, ports: tcp(port), reason };} else if (cilium) {store = { peer: { kind: 'fqdn', fqdn: url.hostname }, ports: tcp(port), reason };} else {
      problems.add(r, `resource '${r.name}' backs up to ${url.hostname} by host name, which the Kubernetes NetworkPolicy back-end of data plane '${plane.name}' cannot express (in '${env.name}')`,
        "set backup.cidrs to the object store's address ranges, or use the Cilium back-end", { environment: env.name });
    }
    const secretName = generateName(NameLimit.SUBDOMAIN, objectName, 'backup-credentials');
    backup = {
      destinationPath: b.destinationPath,
      endpointUrl: b.endpointUrl,
      schedule: b.schedule ?? '0 0 2 * * *',
      retention: b.retention ?? '30d',
      secretName,
      secret: [
        secretData('ACCESS_KEY_ID', b.accessKeyId),
        secretData('ACCESS_SECRET_KEY', b.secretAccessKey),
      ],
      scheduledBackupName: generateName(NameLimit.SUBDOMAIN, objectName, 'backup'),
    };
  }

  const consumerRules = at.consumers.map((c): PlanNetworkRule => ({
    peer: podsIn({ [Labels.COMPONENT]: c }), ports: tcp(PORT), reason: `consumer ${c} (dependOnResource)`,
  }));
  const own: PlanPeer = podsIn({ [CLUSTER_LABEL]: objectName });
  const policies: PlanResource['policies'] = [{
    name: `openchoreo-resource-${r.name}`,
    matchLabels: { [CLUSTER_LABEL]: objectName },
    // the instances and the operator's jobs (initdb, join), not the pooler's pods
    matchExpressions: [{ key: POD_ROLE_LABEL, operator: 'NotIn', values: ['pooler'] }],
    ingress: [
      ...(poolerName ? [{ peer: podsIn({ [POOLER_LABEL]: poolerName }), ports: tcp(PORT), reason: 'the PgBouncer pooler' }] : consumerRules),
      { peer: podsIn(OPERATOR_LABELS, operatorNamespace), ports: tcp(PORT, STATUS), reason: 'the CloudNativePG operator (status port and SQL)' },
      { peer: own, ports: tcp(PORT, STATUS), reason: 'replication among the cluster\'s own instances and jobs' },
    ],
    egress: [
      { peer: podsIn(instancePods), ports: tcp(PORT, STATUS), reason: 'replication among the cluster\'s own instances' },
      ...(api ? [api] : []),
      ...(store ? [store] : []),
    ],
  }];
  if (poolerName) {
    policies.push({
      name: `openchoreo-resource-${r.name}-pooler`,
      matchLabels: { [POOLER_LABEL]: poolerName },
      ingress: consumerRules,
      egress: [
        { peer: podsIn(instancePods), ports: tcp(PORT), reason: 'the primary, through the pooler' },
        ...(api ? [{ ...api, reason: 'the Kubernetes API server (the pooler\'s instance manager reads its Secrets)' }] : []),
      ],
    });
  }
  const pods: PlanResource['pods'] = [{ display: `${r.project.name}/${r.name}`, name: objectName, labels: { ...instancePods }, ports: tcp(PORT, STATUS) }];
  if (poolerName) {
    pods.push({ display: `${r.project.name}/${r.name}:pooler`, name: poolerName, labels: { [CLUSTER_LABEL]: objectName, [POD_ROLE_LABEL]: 'pooler', [POOLER_LABEL]: poolerName }, ports: tcp(PORT) });
  }
  const target = poolerName ? { [POOLER_LABEL]: poolerName } : instancePods;
  return {
    connection: { host: at.connection.host, port: at.connection.port, database: at.connection.database },
    credentials: { secretName: `${objectName}-app`, userKey: 'username', passwordKey: 'password' },
    consumerEgress: { peer: podsIn(target), ports: tcp(PORT), reason: `resource ${r.name} (${poolerName ? 'its pooler' : 'its instances'})` },
    postgres: {
      clusterName: objectName,
      imageName: `ghcr.io/cloudnative-pg/postgresql:${p.version ?? '17.6'}`,
      instances,
      storageSize: size.storageSize ?? p.storageSize ?? '10Gi',
      storageClass: p.storageClass,
      cpu: size.cpu ?? p.cpu ?? '500m',
      memory: size.memory ?? p.memory ?? '1Gi',
      database: type._database(r.name),
      owner: p.owner ?? 'app',
      requireTls: p.requireTls ?? true,
      antiAffinity: env.isProduction && instances > 1 ? 'required' : 'preferred',
      backup,
      pooler: poolerName
        ? { name: poolerName, instances: p.pooler!.instances ?? (env.isProduction ? 2 : 1), poolMode: p.pooler!.poolMode ?? PoolMode.SESSION }
        : undefined,
    },
    pods,
    policies,
    operatorPods: { namespace: operatorNamespace, labels: OPERATOR_LABELS },
  };
}
