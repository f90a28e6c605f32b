import { Construct } from 'constructs';
import { checkDnsLabel, checkPort } from './checks';
import { fail } from './errors';
import { Organization } from './organization';
import { checkEnum } from './runtime-types';
import { isIpAddress, maskHostCredentials } from './url-checks';

/** Transport protocol of an external service. */
export enum ExternalProtocol {
  /** TCP. */
  TCP = 'TCP',
  /** UDP. */
  UDP = 'UDP',
}

/** Properties of an {@link ExternalService}. Give `host`, `cidrs`, or both. */
export interface ExternalServiceProps {
  /**
   * The service's name.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * The host name components connect to (e.g. `api.stripe.com`). Network policies allow egress to
   * it by name (Cilium `toFQDNs`) unless `cidrs` are given.
   * @default - none; `cidrs` must be set
   */
  readonly host?: string;
  /**
   * IP ranges the service lives in (e.g. `10.20.0.0/24`). Network policies allow egress to these
   * ranges instead of a host name.
   * @default - none; `host` must be set
   */
  readonly cidrs?: string[];
  /** The port components connect to. */
  readonly port: number;
  /**
   * Transport protocol.
   * @default ExternalProtocol.TCP
   */
  readonly protocol?: ExternalProtocol;
  /**
   * URL scheme used in the injected address (`https` gives `https://host:port`).
   * @default - none: the address is `host:port`
   */
  readonly scheme?: string;
}

/** A DNS host name. @internal */
export const HOSTNAME = /^(?=.{1,253}$)([a-z0-9]([-a-z0-9]*[a-z0-9])?)(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** An IPv4 CIDR. @internal */
export const CIDR = /^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\/(3[0-2]|[12]?\d)$/;

/**
 * A service outside the platform (a SaaS API, a managed database) that components may depend on.
 */
export class ExternalService extends Construct {
  /** The organization it belongs to. */
  public readonly organization: Organization;
  /** Its name. */
  public readonly name: string;
  /** Host name, if declared. */
  public readonly host?: string;
  /** IP ranges, if declared (sorted). */
  public readonly cidrs: string[];
  /** Port. */
  public readonly port: number;
  /** Transport protocol. */
  public readonly protocol: ExternalProtocol;
  /** URL scheme, if any. */
  public readonly scheme?: string;

  constructor(scope: Construct, id: string, props: ExternalServiceProps) {
    super(scope, id);
    this.organization = Organization.ofConstruct(this);
    this.name = checkDnsLabel(this, 'external service name', props.name ?? id);
    if (props.host === undefined && (props.cidrs ?? []).length === 0) {
      fail(this, `external service '${this.name}' has neither a host nor cidrs`, "set host (e.g. 'api.example.com') or cidrs (e.g. ['10.20.0.0/24'])");
    }
    if (typeof props.host === 'string' && props.host.includes('@')) {
      fail(this, `external service host '${maskHostCredentials(props.host)}' carries credentials`,
        'give the host name only and keep credentials in the secret store (secretEnv: SecretRef.fromStore(...))');
    }
    if (typeof props.host === 'string' && isIpAddress(props.host)) {
      fail(this, `external service host '${props.host}' is an IP address (Cilium toFQDNs matches DNS names only, so no egress would be allowed)`,
        `use cidrs: ['${props.host.includes(':') ? props.host : `${props.host}/32`}'] instead of host`);
    }
    if (props.host !== undefined && (typeof props.host !== 'string' || !HOSTNAME.test(props.host))) {
      fail(this, `external service host '${props.host}' is not a valid DNS host name`, "use a fully qualified host such as 'api.example.com' (no scheme, port or path)");
    }
    for (const c of props.cidrs ?? []) {
      if (!CIDR.test(c)) fail(this, `external service CIDR '${c}' is not an IPv4 CIDR`, "use the form '10.20.0.0/24'");
    }
    this.host = props.host;
    this.cidrs = [...new Set(props.cidrs ?? [])].sort();
    if (props.port === undefined) {
      fail(this, `external service '${this.name}' has no port`, 'set port to the port components connect to (e.g. 443)');
    }
    this.port = checkPort(this, 'external service port', props.port);
    this.protocol = checkEnum(this, 'external service protocol', props.protocol, ExternalProtocol, 'ExternalProtocol') ?? ExternalProtocol.TCP;
    if (props.scheme !== undefined && !/^[a-z][a-z0-9+.-]*$/.test(props.scheme)) {
      fail(this, `scheme '${props.scheme}' is invalid`, "use a lowercase URL scheme such as 'https' or 'postgres'");
    }
    this.scheme = props.scheme;
    this.organization._register('ExternalService', this.name, this);
  }

  /** The host or address components connect to: the host, else the single address of a /32 range. @internal */
  public get _connectHost(): string | undefined {
    if (this.host) return this.host;
    return this.cidrs.length === 1 && this.cidrs[0].endsWith('/32') ? this.cidrs[0].slice(0, -3) : undefined;
  }
}
