import { IConstruct } from 'constructs';
import { checkNonEmpty, checkPort } from './checks';
import { fail } from './errors';
import { CIDR, HOSTNAME } from './external-service';
import type { IResourceType, ResourceConnection, ResourceContext } from './resource-type';
import { SecretRef } from './secrets';
import { isIpAddress, maskHostCredentials } from './url-checks';

/** Where an external resource is in one environment; unset fields fall back to the resource's own. */
export interface ExternalResourceEnvironment {
  /**
   * Host name in this environment.
   * @default - the resource's `host`
   */
  readonly host?: string;
  /**
   * Port in this environment.
   * @default - the resource's `port`
   */
  readonly port?: number;
  /**
   * IP ranges in this environment.
   * @default - the resource's `cidrs`
   */
  readonly cidrs?: string[];
  /**
   * Database name in this environment.
   * @default - the resource's `database`
   */
  readonly database?: string;
  /**
   * User name from the secret store in this environment.
   * @default - the resource's `userSecret`
   */
  readonly userSecret?: SecretRef;
  /**
   * Password from the secret store in this environment.
   * @default - the resource's `passwordSecret`
   */
  readonly passwordSecret?: SecretRef;
}

/** Properties of {@link ResourceType.external}. */
export interface ExternalResourceProps {
  /**
   * Host name (e.g. `orders.abc123.eu-west-1.rds.amazonaws.com`), no scheme, port or credentials.
   * @default - none: every environment the resource's project runs in must set one
   */
  readonly host?: string;
  /**
   * Port.
   * @default - none: every environment must set one
   */
  readonly port?: number;
  /**
   * IP ranges of the resource: egress is allowed to them instead of to `host` by name (needed with
   * the Kubernetes NetworkPolicy back-end, which has no FQDN rules).
   * @default - egress to `host` by name
   */
  readonly cidrs?: string[];
  /**
   * Database name.
   * @default - no `<PREFIX>_DATABASE` variable
   */
  readonly database?: string;
  /**
   * User name (not secret).
   * @default - none; see `userSecret`
   */
  readonly user?: string;
  /**
   * User name from the secret store.
   * @default - none
   */
  readonly userSecret?: SecretRef;
  /**
   * Password from the secret store (fetched by an ExternalSecret; never a value in the output).
   * @default - no password variable
   */
  readonly passwordSecret?: SecretRef;
  /**
   * Settings per environment name.
   * @default - the same everywhere
   */
  readonly environments?: { [environment: string]: ExternalResourceEnvironment };
  /**
   * The type's name in reports.
   * @default 'external'
   */
  readonly typeName?: string;
}

/** A database, cache or queue outside the cluster. Create it with {@link ResourceType.external}. */
export class ExternalResourceType implements IResourceType {
  /** The type's name in reports. */
  public readonly typeName: string;
  /** @internal */ public readonly _props: ExternalResourceProps;

  /** Prefer {@link ResourceType.external}. */
  constructor(props: ExternalResourceProps) {
    this._props = props ?? {};
    this.typeName = this._props.typeName ?? 'external';
  }

  /** The resource's outputs in one environment. */
  public connect(context: ResourceContext): ResourceConnection {
    const p = this._props;
    const e = p.environments?.[context.environment] ?? {};
    const cidrs = e.cidrs ?? p.cidrs;
    return {
      host: e.host ?? p.host ?? '',
      port: e.port ?? p.port ?? 0,
      database: e.database ?? p.database,
      user: p.user,
      userSecret: e.userSecret ?? p.userSecret,
      passwordSecret: e.passwordSecret ?? p.passwordSecret,
      ...(cidrs && cidrs.length > 0 ? { cidrs: [...new Set(cidrs)].sort() } : {}),
    };
  }

  /** Checks the declaration where it is used. @internal */
  public _check(scope: IConstruct): void {
    const p = this._props;
    checkNonEmpty(scope, 'resource type name', this.typeName);
    const where = (env?: string) => (env ? `environment '${env}': ` : '');
    const checkPlace = (place: ExternalResourceEnvironment, env?: string) => {
      if (place.host !== undefined) checkHost(scope, `${where(env)}external resource host`, place.host);
      if (place.port !== undefined) checkPort(scope, `${where(env)}external resource port`, place.port);
      for (const c of place.cidrs ?? []) {
        if (!CIDR.test(c)) fail(scope, `${where(env)}external resource CIDR '${c}' is not an IPv4 CIDR`, "use the form '10.20.0.0/24'");
      }
      for (const [what, ref] of [['userSecret', place.userSecret], ['passwordSecret', place.passwordSecret]] as const) {
        if (ref !== undefined && !(ref instanceof SecretRef)) fail(scope, `${where(env)}${what} is not a SecretRef`, "use SecretRef.fromStore('<remote-key>')");
      }
    };
    checkPlace(p);
    for (const [env, place] of Object.entries(p.environments ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) checkPlace(place ?? {}, env);
    if (p.user !== undefined && p.userSecret !== undefined) {
      fail(scope, `external resource sets both user '${p.user}' and userSecret`, 'keep one: user for a name that is not secret, userSecret for one kept in the secret store');
    }
  }
}

function checkHost(scope: IConstruct, what: string, host: string): void {
  if (typeof host === 'string' && (host.includes('@') || host.includes('://'))) {
    fail(scope, `${what} '${maskHostCredentials(host)}' is a URL or carries credentials`,
      'give the host name only (e.g. \'orders.db.example.com\') and keep credentials in the secret store (passwordSecret: SecretRef.fromStore(...))');
  }
  if (typeof host === 'string' && isIpAddress(host)) {
    fail(scope, `${what} '${host}' is an IP address (Cilium toFQDNs matches DNS names only)`, `set cidrs: ['${host}/32'] and a host name, or use a DNS name`);
  }
  if (typeof host !== 'string' || !HOSTNAME.test(host)) {
    fail(scope, `${what} '${host}' is not a valid DNS host name`, "use a fully qualified host such as 'orders.db.example.com' (no scheme, port or path)");
  }
}
