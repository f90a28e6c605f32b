import { externalSecret, SecretStoreSettings } from './external-secret';
import { renderCiliumSelectedPolicy } from './network-cilium';
import { renderKubernetesSelectedPolicy } from './network-kubernetes';
import { NetworkPolicyProvider } from '../model/network';
import { Cell } from '../resolve/plan';
import type { PlanPostgres, PlanResource } from '../resolve/resources';

/**
 * A managed resource's objects in a cell: an external resource's credentials (an ExternalSecret);
 * a Postgres resource's CloudNativePG `Cluster`, its backup (`ScheduledBackup` and the object
 * store's credentials) and `Pooler` where declared, and the network policies of its pods. Written
 * as plain JSON (the CloudNativePG kinds have no bindings); the tests validate every object
 * against its CRD schema. @internal
 */
export function renderResource(cell: Cell, r: PlanResource, store: SecretStoreSettings): any[] {
  const meta = (name: string) => ({ name, namespace: cell.namespace, labels: r.labels });
  const out: any[] = [];
  if (r.storeSecret && r.credentials) out.push(externalSecret(meta(r.credentials.secretName), r.credentials.secretName, r.storeSecret, store));
  if (r.postgres) out.push(...renderPostgres(r, r.postgres, meta, store));
  const cilium = cell.network.provider === NetworkPolicyProvider.CILIUM;
  for (const p of r.policies) {
    const selector = { matchLabels: p.matchLabels, ...(p.matchExpressions ? { matchExpressions: p.matchExpressions.map(e => ({ ...e })) } : {}) };
    out.push(cilium
      ? renderCiliumSelectedPolicy(meta(p.name), selector, p.ingress, p.egress)
      : renderKubernetesSelectedPolicy(meta(p.name), selector, p.ingress, p.egress));
  }
  return out;
}

type Meta = (name: string) => { name: string; namespace: string; labels: Record<string, string> };

function renderPostgres(r: PlanResource, pg: PlanPostgres, meta: Meta, store: SecretStoreSettings): any[] {
  const out: any[] = [];
  const b = pg.backup;
  if (b) out.push(externalSecret(meta(b.secretName), b.secretName, b.secret, store));
  out.push({
    apiVersion: 'postgresql.cnpg.io/v1',
    kind: 'Cluster',
    metadata: meta(pg.clusterName),
    spec: {
      instances: pg.instances,
      imageName: pg.imageName,
      imagePullPolicy: 'IfNotPresent',
      // the pods carry the resource's labels (RBAC views, dashboards); the operator adds its own
      inheritedMetadata: { labels: r.labels },
      bootstrap: { initdb: { database: pg.database, owner: pg.owner } },
      enableSuperuserAccess: false,
      // a single instance's PodDisruptionBudget would block every node drain
      enablePDB: pg.instances > 1,
      primaryUpdateStrategy: 'unsupervised',
      storage: { size: pg.storageSize, ...(pg.storageClass ? { storageClass: pg.storageClass } : {}) },
      resources: {
        requests: { cpu: pg.cpu, memory: pg.memory },
        limits: { cpu: pg.cpu, memory: pg.memory },
      },
      seccompProfile: { type: 'RuntimeDefault' },
      affinity: { enablePodAntiAffinity: true, podAntiAffinityType: pg.antiAffinity, topologyKey: 'kubernetes.io/hostname' },
      ...(pg.requireTls ? { postgresql: { pg_hba: ['hostnossl all all 0.0.0.0/0 reject', 'hostnossl all all ::/0 reject'] } } : {}),
      ...(b ? {
        backup: {
          barmanObjectStore: {
            destinationPath: b.destinationPath,
            endpointURL: b.endpointUrl,
            s3Credentials: {
              accessKeyId: { name: b.secretName, key: 'ACCESS_KEY_ID' },
              secretAccessKey: { name: b.secretName, key: 'ACCESS_SECRET_KEY' },
            },
            wal: { compression: 'gzip' },
            data: { compression: 'gzip' },
          },
          retentionPolicy: b.retention,
        },
      } : {}),
    },
  });
  if (b) {
    out.push({
      apiVersion: 'postgresql.cnpg.io/v1',
      kind: 'ScheduledBackup',
      metadata: meta(b.scheduledBackupName),
      spec: {
        schedule: b.schedule,
        cluster: { name: pg.clusterName },
        method: 'barmanObjectStore',
        backupOwnerReference: 'self',
        immediate: true,
      },
    });
  }
  if (pg.pooler) {
    out.push({
      apiVersion: 'postgresql.cnpg.io/v1',
      kind: 'Pooler',
      metadata: meta(pg.pooler.name),
      spec: {
        cluster: { name: pg.clusterName },
        instances: pg.pooler.instances,
        type: 'rw',
        pgbouncer: { poolMode: pg.pooler.poolMode },
      },
    });
  }
  return out;
}
