import { Construct } from 'constructs';
import { checkDnsLabel, checkPort } from './checks';
import { fail } from './errors';
import { Organization } from './organization';

/** Properties of an {@link ExternalService}. */
export interface ExternalServiceProps {
  /**
   * The service's name.
   * @default - the construct id
   */
  readonly name?: string;
  /** The host name components connect to (e.g. `api.stripe.com`). */
  readonly host: string;
  /** The port components connect to. */
  readonly port: number;
  /**
   * URL scheme used in the injected address (`https` gives `https://host:port`).
   * @default - none: the address is `host:port`
   */
  readonly scheme?: string;
}

const HOSTNAME = /^(?=.{1,253}$)([a-z0-9]([-a-z0-9]*[a-z0-9])?)(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * A service outside the platform (a SaaS API, a managed database) that components may depend on.
 */
export class ExternalService extends Construct {
  /** The organization it belongs to. */
  public readonly organization: Organization;
  /** Its name. */
  public readonly name: string;
  /** Host name. */
  public readonly host: string;
  /** Port. */
  public readonly port: number;
  /** URL scheme, if any. */
  public readonly scheme?: string;

  constructor(scope: Construct, id: string, props: ExternalServiceProps) {
    super(scope, id);
    this.organization = Organization.ofConstruct(this);
    this.name = checkDnsLabel(this, 'external service name', props.name ?? id);
    if (typeof props.host !== 'string' || !HOSTNAME.test(props.host)) {
      fail(this, `external service host '${props.host}' is not a valid DNS host name`, "use a fully qualified host such as 'api.example.com' (no scheme, port or path)");
    }
    this.host = props.host;
    this.port = checkPort(this, 'external service port', props.port);
    if (props.scheme !== undefined && !/^[a-z][a-z0-9+.-]*$/.test(props.scheme)) {
      fail(this, `scheme '${props.scheme}' is invalid`, "use a lowercase URL scheme such as 'https' or 'postgres'");
    }
    this.scheme = props.scheme;
    this.organization._register('ExternalService', this.name, this);
  }
}
