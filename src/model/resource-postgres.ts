import { IConstruct } from 'constructs';
import { CIDR } from './build-checks';
import { checkCpu, checkDnsLabel, checkInteger, checkMemory, checkPort, memoryBytes } from './checks';
import { fail } from './errors';
import type { IResourceType, ResourceConnection, ResourceContext } from './resource-type';
import { checkBoolean, checkEnum } from './runtime-types';
import { SecretRef } from './secrets';
import { checkNoUrlCredentials } from './url-checks';

/** How PgBouncer shares server connections among clients. */
export enum PoolMode {
  /** A server connection per client session (CloudNativePG's default). */
  SESSION = 'session',
  /** A server connection per transaction. */
  TRANSACTION = 'transaction',
}

/** Size of a Postgres cluster in one environment; unset fields fall back to the resource's own. */
export interface PostgresEnvironmentSettings {
  /**
   * PostgreSQL instances (one primary, the rest streaming replicas).
   * @default - the resource's `instances`
   */
  readonly instances?: number;
  /**
   * Size of each instance's volume.
   * @default - the resource's `storageSize`
   */
  readonly storageSize?: string;
  /**
   * CPU of each instance (request and limit).
   * @default - the resource's `cpu`
   */
  readonly cpu?: string;
  /**
   * Memory of each instance (request and limit).
   * @default - the resource's `memory`
   */
  readonly memory?: string;
}

/** Where base backups and WAL archives go (an S3-compatible object store), and how often. */
export interface PostgresBackup {
  /** The object store path, e.g. `s3://acme-backups/payments`. */
  readonly destinationPath: string;
  /** The object store's HTTPS endpoint, e.g. `https://s3.eu-west-1.amazonaws.com` (egress is opened to its host and port). */
  readonly endpointUrl: string;
  /** The access key id, from the secret store. */
  readonly accessKeyId: SecretRef;
  /** The secret access key, from the secret store. */
  readonly secretAccessKey: SecretRef;
  /**
   * When the base backup runs: a six-field cron expression (seconds first), as CloudNativePG reads it.
   * @default '0 0 2 * * *' (02:00 every day)
   */
  readonly schedule?: string;
  /**
   * How long backups are kept, e.g. `30d`.
   * @default '30d'
   * @see https://cloudnative-pg.io/documentation/current/backup/#retention-policies
   */
  readonly retention?: string;
  /**
   * IP ranges of the object store: egress is allowed to them instead of to its host by name
   * (needed with the Kubernetes NetworkPolicy back-end).
   * @default - egress to the endpoint's host by name
   */
  readonly cidrs?: string[];
  /**
   * Environments that back up.
   * @default - the production environments
   */
  readonly environments?: string[];
}

/** A PgBouncer pooler in front of the primary. */
export interface PostgresPooler {
  /**
   * PgBouncer pods.
   * @default - 2 in production environments, 1 elsewhere
   */
  readonly instances?: number;
  /**
   * The pool mode.
   * @default PoolMode.SESSION
   */
  readonly poolMode?: PoolMode;
}

/** Properties of {@link ResourceType.postgres}. */
export interface PostgresProps {
  /**
   * The application database.
   * @default - the resource name with '-' replaced by '_'
   */
  readonly database?: string;
  /**
   * The application user, owner of the database (its password is in the operator's `<cluster>-app` Secret).
   * @default 'app'
   */
  readonly owner?: string;
  /**
   * The PostgreSQL version: the tag of CloudNativePG's operand image `ghcr.io/cloudnative-pg/postgresql`.
   * @default '17.6'
   */
  readonly version?: string;
  /**
   * Instances: one primary and its streaming replicas.
   * @default - 3 in production environments, 1 elsewhere
   */
  readonly instances?: number;
  /**
   * Size of each instance's volume.
   * @default '10Gi'
   */
  readonly storageSize?: string;
  /**
   * Storage class of the volumes.
   * @default - the cluster's default storage class
   */
  readonly storageClass?: string;
  /**
   * CPU of each instance (request and limit).
   * @default '500m'
   */
  readonly cpu?: string;
  /**
   * Memory of each instance (request and limit).
   * @default '1Gi'
   */
  readonly memory?: string;
  /**
   * Settings per environment name.
   * @default - the same everywhere (instances: 3 in production, 1 elsewhere)
   */
  readonly environments?: { [environment: string]: PostgresEnvironmentSettings };
  /**
   * Backups to an object store, with a `ScheduledBackup`.
   * @default - no backups
   */
  readonly backup?: PostgresBackup;
  /**
   * A PgBouncer `Pooler` in front of the primary; consumers then connect to it.
   * @default - consumers connect to the primary's `-rw` Service
   */
  readonly pooler?: PostgresPooler;
  /**
   * Namespace of the CloudNativePG operator (which calls each instance's status port).
   * @default 'cnpg-system'
   */
  readonly operatorNamespace?: string;
  /**
   * IP ranges of the Kubernetes API server endpoints, which each instance manager calls. Required
   * with the Kubernetes NetworkPolicy back-end (`kubectl get endpoints kubernetes -n default`).
   * @default - Cilium: the `kube-apiserver` entity
   */
  readonly kubernetesApiCidrs?: string[];
  /**
   * Ports of the Kubernetes API server endpoints.
   * @default [443, 6443]
   */
  readonly kubernetesApiPorts?: number[];
  /**
   * Refuse connections without TLS (`hostnossl ... reject` in pg_hba).
   * @default true
   */
  readonly requireTls?: boolean;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;
const RESERVED_ROLES = new Set(['postgres', 'streaming_replica', 'cnpg_pooler_pgbouncer']);

/** PostgreSQL on CloudNativePG. Create it with {@link ResourceType.postgres}. */
export class PostgresResourceType implements IResourceType {
  /** The port PostgreSQL (and PgBouncer) listen on. */
  public static readonly PORT = 5432;
  /** The instance manager's status port, which the operator calls. */
  public static readonly STATUS_PORT = 8000;

  /** The type's name in reports. */
  public readonly typeName = 'postgres';
  /** @internal */ public readonly _props: PostgresProps;

  /** Prefer {@link ResourceType.postgres}. */
  constructor(props: PostgresProps = {}) {
    this._props = props ?? {};
  }

  /** The resource's outputs in one environment: the pooler's or the primary's Service. */
  public connect(context: ResourceContext): ResourceConnection {
    const service = this._props.pooler ? `${context.objectName}-pooler` : `${context.objectName}-rw`;
    return {
      host: `${service}.${context.namespace}.svc.${context.clusterDomain}`,
      port: PostgresResourceType.PORT,
      database: this._database(context.resourceName),
    };
  }

  /** The database name for a resource. @internal */
  public _database(resourceName: string): string {
    return this._props.database ?? resourceName.replace(/-/g, '_');
  }

  /** Checks the declaration where it is used. @internal */
  public _check(scope: IConstruct, resourceName: string): void {
    const p = this._props;
    const database = this._database(resourceName);
    if (!IDENTIFIER.test(database)) {
      fail(scope, `postgres database name '${database}' is not a plain identifier`, "use lowercase letters, digits and '_', starting with a letter (e.g. 'orders')");
    }
    const owner = p.owner ?? 'app';
    if (!IDENTIFIER.test(owner) || RESERVED_ROLES.has(owner)) {
      fail(scope, `postgres owner '${owner}' is not a usable role name`, `use a lowercase identifier other than ${[...RESERVED_ROLES].join(', ')} (e.g. 'app')`);
    }
    if (p.version !== undefined && !/^(1[3-9])(\.\d+)?$/.test(p.version)) {
      fail(scope, `postgres version '${p.version}' is not a supported PostgreSQL version tag`, "use a major (13 to 19) with an optional minor, e.g. '17.6'");
    }
    checkSize(scope, '', p);
    for (const [env, s] of Object.entries(p.environments ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) checkSize(scope, `environment '${env}': `, s ?? {});
    if (p.storageClass !== undefined) checkDnsLabel(scope, 'postgres storageClass', p.storageClass, 253);
    if (p.operatorNamespace !== undefined) checkDnsLabel(scope, 'postgres operatorNamespace', p.operatorNamespace);
    checkCidrs(scope, 'kubernetesApiCidrs', p.kubernetesApiCidrs);
    for (const port of p.kubernetesApiPorts ?? []) checkPort(scope, 'postgres kubernetesApiPorts entry', port);
    if (p.kubernetesApiPorts !== undefined && p.kubernetesApiPorts.length === 0) {
      fail(scope, 'postgres kubernetesApiPorts is empty, so the instance managers could not reach the API server', 'leave it unset for [443, 6443], or list the ports');
    }
    checkBoolean(scope, 'postgres requireTls', p.requireTls);
    if (p.pooler) {
      checkInteger(scope, 'postgres pooler instances', p.pooler.instances, 1, 10);
      checkEnum(scope, 'postgres pooler poolMode', p.pooler.poolMode, PoolMode, 'PoolMode');
    }
    if (p.backup) checkBackup(scope, p.backup);
  }
}

function checkSize(scope: IConstruct, where: string, s: PostgresEnvironmentSettings): void {
  checkInteger(scope, `${where}postgres instances`, s.instances, 1, 9);
  checkCpu(scope, `${where}postgres cpu`, s.cpu);
  checkMemory(scope, `${where}postgres memory`, s.memory);
  checkMemory(scope, `${where}postgres storageSize`, s.storageSize);
  if (s.storageSize !== undefined && memoryBytes(s.storageSize) < 2 ** 30) {
    fail(scope, `${where}postgres storageSize '${s.storageSize}' is smaller than 1Gi (data, WAL and the operator's headroom do not fit)`, "use at least '1Gi', e.g. '10Gi'");
  }
  if (s.memory !== undefined && memoryBytes(s.memory) < 256 * 2 ** 20) {
    fail(scope, `${where}postgres memory '${s.memory}' is below 256Mi, too little for PostgreSQL's shared buffers`, "use at least '256Mi', e.g. '1Gi'");
  }
}

function checkCidrs(scope: IConstruct, what: string, cidrs: string[] | undefined): void {
  for (const c of cidrs ?? []) {
    if (!CIDR.test(c)) fail(scope, `postgres ${what} entry '${c}' is not an IPv4 CIDR`, "use the form '10.0.0.10/32'");
  }
}

function checkBackup(scope: IConstruct, b: PostgresBackup): void {
  if (typeof b.destinationPath !== 'string' || !/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/[^\s]*)?$/.test(b.destinationPath)) {
    fail(scope, `postgres backup destinationPath '${b.destinationPath}' is not an s3:// bucket path`, "use 's3://<bucket>/<path>', e.g. 's3://acme-backups/payments'");
  }
  checkNoUrlCredentials(scope, 'postgres backup endpointUrl', b.endpointUrl, 'keep the keys in the secret store (accessKeyId, secretAccessKey)');
  let url: URL | undefined;
  try {
    url = new URL(b.endpointUrl);
  } catch {
    url = undefined;
  }
  if (!url || url.protocol !== 'https:' || url.hostname === '' || (url.pathname !== '/' && url.pathname !== '')) {
    fail(scope, `postgres backup endpointUrl '${b.endpointUrl}' is not an https URL of a host`, "use the object store's endpoint, e.g. 'https://s3.eu-west-1.amazonaws.com'");
  }
  for (const [what, ref] of [['accessKeyId', b.accessKeyId], ['secretAccessKey', b.secretAccessKey]] as const) {
    if (!(ref instanceof SecretRef)) fail(scope, `postgres backup ${what} is not a SecretRef`, "use SecretRef.fromStore('<remote-key>')");
  }
  if (b.schedule !== undefined && !/^(\S+\s+){5}\S+$/.test(b.schedule.trim())) {
    fail(scope, `postgres backup schedule '${b.schedule}' is not a six-field cron expression`, "CloudNativePG reads seconds first: use e.g. '0 0 2 * * *' for 02:00 daily");
  }
  if (b.retention !== undefined && !/^[1-9][0-9]*[dwm]$/.test(b.retention)) {
    fail(scope, `postgres backup retention '${b.retention}' is invalid`, "use a number of days, weeks or months such as '30d', '4w' or '3m'");
  }
  checkCidrs(scope, 'backup cidrs', b.cidrs);
}
