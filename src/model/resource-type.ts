import type { ExternalResourceProps } from './resource-external';
import { ExternalResourceType } from './resource-external';
import type { PostgresProps } from './resource-postgres';
import { PostgresResourceType } from './resource-postgres';
import type { SecretRef } from './secrets';

/** Where a resource is placed in one environment: what a resource type needs to say how to reach it. */
export interface ResourceContext {
  /** The resource's name. */
  readonly resourceName: string;
  /** Its project. */
  readonly project: string;
  /** The environment. */
  readonly environment: string;
  /** Whether the environment is marked production. */
  readonly isProduction: boolean;
  /** The project's cell namespace in the environment. */
  readonly namespace: string;
  /** The data plane's cluster DNS domain. */
  readonly clusterDomain: string;
  /** The name the library gives the resource's objects in this environment. */
  readonly objectName: string;
}

/** How consumers reach a resource in one environment: its typed outputs. */
export interface ResourceConnection {
  /** The host name consumers connect to. */
  readonly host: string;
  /** The port consumers connect to. */
  readonly port: number;
  /**
   * The database name.
   * @default - none (no `<PREFIX>_DATABASE` variable)
   */
  readonly database?: string;
  /**
   * The user name, when it is not a secret.
   * @default - none; see `userSecret`
   */
  readonly user?: string;
  /**
   * The user name, from the secret store.
   * @default - none
   */
  readonly userSecret?: SecretRef;
  /**
   * The password, from the secret store.
   * @default - no password variable
   */
  readonly passwordSecret?: SecretRef;
  /**
   * IP ranges the resource lives in: network policies allow egress to them instead of `host`.
   * @default - egress to `host` by name (Cilium `toFQDNs`)
   */
  readonly cidrs?: string[];
}

/**
 * A kind of managed resource that a platform team offers to developers (a database, a cache, a
 * queue), in OpenChoreo's ResourceType sense. Built-ins: {@link ResourceType.postgres} (in the
 * cell, on CloudNativePG) and {@link ResourceType.external} (outside the cluster). A custom type
 * implements `connect` for resources outside the cluster, e.g. a managed database whose host
 * follows a naming convention per environment.
 * @see https://openchoreo.dev/docs/concepts/platform-abstractions/
 */
export interface IResourceType {
  /** A short name of the type, shown in reports (e.g. `postgres`). */
  readonly typeName: string;
  /** The resource's outputs in one environment. */
  connect(context: ResourceContext): ResourceConnection;
}

/** The built-in resource types. */
export class ResourceType {
  /**
   * PostgreSQL in the project's cell, run by the CloudNativePG operator: a `Cluster` per
   * environment, a `ScheduledBackup` where backups are declared and a `Pooler` if asked for.
   * @see https://cloudnative-pg.io/documentation/current/
   */
  public static postgres(props: PostgresProps = {}): PostgresResourceType {
    return new PostgresResourceType(props);
  }

  /** A database, cache or queue outside the cluster: host and port per environment, credentials from the secret store. */
  public static external(props: ExternalResourceProps): ExternalResourceType {
    return new ExternalResourceType(props);
  }

  private constructor() {}
}
