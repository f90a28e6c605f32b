import { Construct } from 'constructs';
import { checkDnsLabel } from './checks';
import { fail } from './errors';
import { Organization } from './organization';

/** Properties of a {@link DataPlane}. */
export interface DataPlaneProps {
  /**
   * The data plane's name.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Name of the External Secrets Operator ClusterSecretStore that generated ExternalSecrets read from.
   * @default 'default'
   * @see https://external-secrets.io/latest/api/clustersecretstore/
   */
  readonly secretStore?: string;
  /**
   * How often the External Secrets Operator refreshes secrets.
   * @default '1h'
   */
  readonly secretRefreshInterval?: string;
  /**
   * The cluster's DNS domain, used in dependency addresses.
   * @default 'cluster.local'
   */
  readonly clusterDomain?: string;
}

/**
 * One target cluster of the organization.
 * @see https://openchoreo.dev/docs/concepts/platform-abstractions/data-plane/
 */
export class DataPlane extends Construct {
  /** The organization this data plane belongs to. */
  public readonly organization: Organization;
  /** The data plane's name. */
  public readonly name: string;
  /** ClusterSecretStore name. */
  public readonly secretStore: string;
  /** ExternalSecret refresh interval. */
  public readonly secretRefreshInterval: string;
  /** Cluster DNS domain. */
  public readonly clusterDomain: string;

  constructor(scope: Construct, id: string, props: DataPlaneProps = {}) {
    super(scope, id);
    this.organization = Organization.ofConstruct(this);
    this.name = checkDnsLabel(this, 'data plane name', props.name ?? id);
    this.secretStore = checkDnsLabel(this, 'secretStore', props.secretStore ?? 'default', 253);
    this.secretRefreshInterval = props.secretRefreshInterval ?? '1h';
    if (!/^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$/.test(this.secretRefreshInterval)) {
      fail(this, `secretRefreshInterval '${this.secretRefreshInterval}' is not a duration`, "use a Go duration such as '1h' or '15m'");
    }
    this.clusterDomain = props.clusterDomain ?? 'cluster.local';
    this.organization._register('DataPlane', this.name, this);
  }
}
