import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { checkGroupPrefix } from './access-names';
import { Capacity, checkCapacity } from './capacity';
import { checkDnsLabel, checkLabels } from './checks';
import { checkFormatDuration, DurationTarget } from './duration';
import { fail } from './errors';
import { checkGatewaySettings, GatewayOptions } from './gateway';
import { checkDnsName } from './limits';
import { NetworkPolicyProvider, PodPeer } from './network';
import { checkObservabilityOptions, ObservabilityOptions } from './observability';
import { Organization } from './organization';
import { checkPlacement, checkTopologyKeys, Placement, TopologyKeys } from './placement';
import { checkBoolean, checkEnum } from './runtime-types';
import { snapshotProps } from './snapshot';
import { checkNoUrlCredentials } from './url-checks';

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
   * @default Duration.hours(1)
   */
  readonly secretRefreshInterval?: Duration;
  /**
   * The cluster's DNS domain, used in dependency addresses.
   * @default 'cluster.local'
   */
  readonly clusterDomain?: string;
  /**
   * The cluster's API server URL, as Argo CD knows it (Application destinations).
   * @default 'https://kubernetes.default.svc' - the cluster Argo CD runs in
   */
  readonly apiServer?: string;
  /**
   * The network-policy back-end of this cluster.
   * @default NetworkPolicyProvider.CILIUM
   */
  readonly networkPolicyProvider?: NetworkPolicyProvider;
  /**
   * With the Kubernetes back-end, accept rules wider than declared where NetworkPolicy cannot
   * express the model (FQDN egress becomes egress to any address on the port; HTTP rules become
   * the whole port). Each widened rule is listed in the connectivity report.
   * @default false - such dependencies are an error
   */
  readonly acceptWiderNetworkRules?: boolean;
  /**
   * The external gateway, which routes PUBLIC endpoints (Gateway `gateway-external`).
   * @default - none: a PUBLIC endpoint in an environment of this data plane is an error
   * @see https://gateway.envoyproxy.io/docs/concepts/
   */
  readonly externalGateway?: GatewayOptions;
  /**
   * The internal gateway, which routes INTERNAL endpoints (Gateway `gateway-internal`).
   * @default - none: an INTERNAL endpoint in an environment of this data plane is an error
   */
  readonly internalGateway?: GatewayOptions;
  /**
   * Namespace of the Gateway objects (and of the EnvoyProxy settings and redirect routes).
   * @default 'openchoreo-data-plane'
   */
  readonly gatewayNamespace?: string;
  /**
   * Namespace Envoy Gateway runs the gateways' proxy pods in (its controller namespace by default).
   * @default 'envoy-gateway-system'
   */
  readonly gatewayProxyNamespace?: string;
  /**
   * Name of the GatewayClass (Envoy Gateway's controller) the gateways use.
   * @default 'openchoreo'
   */
  readonly gatewayClassName?: string;
  /**
   * The pods of the data plane's external gateway, allowed to reach PUBLIC endpoints.
   * @default - Envoy Gateway's proxy pods of Gateway `gateway-external`
   */
  readonly externalGatewayPods?: PodPeer;
  /**
   * The pods of the data plane's internal gateway, allowed to reach INTERNAL endpoints.
   * @default - Envoy Gateway's proxy pods of Gateway `gateway-internal`
   */
  readonly internalGatewayPods?: PodPeer;
  /**
   * Where metrics, traces and dashboards go, and which request metrics SLO alerts read.
   * @default - kube-prometheus-stack's Prometheus and Grafana, OpenChoreo's OpenTelemetry collector, OpenTelemetry HTTP metrics
   */
  readonly observability?: ObservabilityOptions;
  /**
   * The cluster DNS pods every workload may query.
   * @default - pods labelled `k8s-app: kube-dns` in `kube-system`
   */
  readonly dnsPods?: PodPeer;
  /**
   * The prefix this cluster's API server puts before the identity provider's group names
   * (`--oidc-groups-prefix`, or `claimMappings.groups.prefix` of its authentication
   * configuration): RoleBindings name groups with it, Argo CD without.
   * @default '' - group names as the identity provider sends them
   * @see https://kubernetes.io/docs/reference/access-authn-authz/authentication/#openid-connect-tokens
   */
  readonly kubernetesGroupPrefix?: string;
  /**
   * The node labels naming zones and nodes, for topology spreading.
   * @default - 'topology.kubernetes.io/zone' and 'kubernetes.io/hostname'
   */
  readonly topologyKeys?: TopologyKeys;
  /**
   * Where pods on this data plane run (environments and components add theirs).
   * @default - no constraints
   */
  readonly placement?: Placement;
  /**
   * Allocatable capacity of the cluster; synthesis fails when the quota requests of its cells exceed
   * it, and `capacity.md` compares them.
   * @default - not checked
   */
  readonly capacity?: Capacity;
  /**
   * How the Cilium agents of this cluster treat traffic from the local node (kubelet probes):
   * with `CiliumLocalhost.POLICY` every probed port gets an ingress rule from the `host` entity.
   * @default CiliumLocalhost.ALWAYS - Cilium's default on Kubernetes: the node reaches its pods without a rule
   */
  readonly ciliumLocalhost?: CiliumLocalhost;
}

/**
 * Cilium's `allow-localhost` agent setting, as the cluster runs it.
 * @see https://docs.cilium.io/en/stable/security/policy/language/#entities-based
 */
export enum CiliumLocalhost {
  /** `auto`/`always` (default on Kubernetes): the local node reaches every local pod on every port. */
  ALWAYS = 'always',
  /** `policy`: only policy admits the local node, so probes need `fromEntities: [host]` rules. */
  POLICY = 'policy',
}

/** Envoy Gateway's labels for the proxy pods of a Gateway. @internal */
export function envoyGatewayPods(gateway: string, gatewayNamespace: string, proxyNamespace: string): PodPeer {
  return {
    namespace: proxyNamespace,
    labels: {
      'gateway.envoyproxy.io/owning-gateway-name': gateway,
      'gateway.envoyproxy.io/owning-gateway-namespace': gatewayNamespace,
    },
  };
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
  public readonly secretRefreshInterval: Duration;
  /** Cluster DNS domain. */
  public readonly clusterDomain: string;
  /** API server URL for Argo CD destinations. */
  public readonly apiServer: string;
  /** Network-policy back-end. */
  public readonly networkPolicyProvider: NetworkPolicyProvider;
  /** Whether wider-than-declared rules are accepted on the Kubernetes back-end. */
  public readonly acceptWiderNetworkRules: boolean;
  /** The external gateway, if declared. */
  public readonly externalGateway?: GatewayOptions;
  /** The internal gateway, if declared. */
  public readonly internalGateway?: GatewayOptions;
  /** Namespace of the Gateway objects. */
  public readonly gatewayNamespace: string;
  /** Namespace of the gateways' proxy pods. */
  public readonly gatewayProxyNamespace: string;
  /** GatewayClass name. */
  public readonly gatewayClassName: string;
  /** External gateway pods. */
  public readonly externalGatewayPods: PodPeer;
  /** Internal gateway pods. */
  public readonly internalGatewayPods: PodPeer;
  /** Cluster DNS pods. */
  public readonly dnsPods: PodPeer;
  /** Observability settings. */
  public readonly observability: ObservabilityOptions;
  /** Prefix of group names in this cluster's RBAC subjects. */
  public readonly kubernetesGroupPrefix: string;
  /** Zone and node label keys. @internal */
  public readonly _topologyKeys: { readonly zone: string; readonly node: string };
  /** The data plane's placement, if set. */
  public readonly placement?: Placement;
  /** Allocatable capacity, if declared. */
  public readonly capacity?: Capacity;
  /** How the cluster's Cilium treats local-node traffic. */
  public readonly ciliumLocalhost: CiliumLocalhost;

  constructor(scope: Construct, id: string, props: DataPlaneProps = {}) {
    super(scope, id);
    props = snapshotProps(props);
    this.organization = Organization.ofConstruct(this);
    this.name = checkDnsLabel(this, 'data plane name', props.name ?? id);
    this.secretStore = checkDnsLabel(this, 'secretStore', props.secretStore ?? 'default', 253);
    this.secretRefreshInterval = props.secretRefreshInterval ?? Duration.hours(1);
    checkFormatDuration(this, 'secretRefreshInterval', this.secretRefreshInterval, DurationTarget.GO, 'Duration.hours(1)');
    this.clusterDomain = checkDnsName(this, 'clusterDomain', props.clusterDomain ?? 'cluster.local', 'cluster.local');
    checkNoUrlCredentials(this, 'apiServer', props.apiServer, "register the cluster's credentials in Argo CD (a cluster Secret), not in the URL");
    this.apiServer = props.apiServer ?? 'https://kubernetes.default.svc';
    if (!/^https:\/\/[^\s]+$/.test(this.apiServer)) fail(this, `apiServer '${this.apiServer}' is not an https URL`, "use the cluster's API URL, e.g. 'https://eu-west.k8s.example.com'");
    this.networkPolicyProvider = checkEnum(this, 'networkPolicyProvider', props.networkPolicyProvider, NetworkPolicyProvider, 'NetworkPolicyProvider') ?? NetworkPolicyProvider.CILIUM;
    this.acceptWiderNetworkRules = checkBoolean(this, 'acceptWiderNetworkRules', props.acceptWiderNetworkRules) ?? false;
    this.gatewayNamespace = checkDnsLabel(this, 'gatewayNamespace', props.gatewayNamespace ?? 'openchoreo-data-plane');
    this.gatewayProxyNamespace = checkDnsLabel(this, 'gatewayProxyNamespace', props.gatewayProxyNamespace ?? 'envoy-gateway-system');
    this.gatewayClassName = checkDnsLabel(this, 'gatewayClassName', props.gatewayClassName ?? 'openchoreo', 253);
    if (props.externalGateway) checkGatewaySettings(this, 'externalGateway', props.externalGateway);
    if (props.internalGateway) checkGatewaySettings(this, 'internalGateway', props.internalGateway);
    for (const [what, g] of [['externalGateway', props.externalGateway], ['internalGateway', props.internalGateway]] as const) {
      if (g && g.domain === undefined) fail(this, `${what} has no domain`, "set the domain its routes are served under, e.g. domain: 'apps.acme.example'");
    }
    if (props.externalGateway && props.internalGateway && props.externalGateway.domain === props.internalGateway.domain) {
      fail(this, `externalGateway and internalGateway both serve domain '${props.externalGateway.domain}'`, "give the internal gateway a domain of its own, e.g. 'internal.acme.example'");
    }
    this.externalGateway = props.externalGateway;
    this.internalGateway = props.internalGateway;
    this.externalGatewayPods = checkPeer(this, 'externalGatewayPods',
      props.externalGatewayPods ?? envoyGatewayPods('gateway-external', this.gatewayNamespace, this.gatewayProxyNamespace));
    this.internalGatewayPods = checkPeer(this, 'internalGatewayPods',
      props.internalGatewayPods ?? envoyGatewayPods('gateway-internal', this.gatewayNamespace, this.gatewayProxyNamespace));
    checkObservabilityOptions(this, props.observability ?? {});
    this.observability = props.observability ?? {};
    this.dnsPods = checkPeer(this, 'dnsPods', props.dnsPods ?? { namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } });
    this.kubernetesGroupPrefix = checkGroupPrefix(this, props.kubernetesGroupPrefix ?? '');
    checkTopologyKeys(this, props.topologyKeys);
    this._topologyKeys = { zone: props.topologyKeys?.zone ?? 'topology.kubernetes.io/zone', node: props.topologyKeys?.node ?? 'kubernetes.io/hostname' };
    checkPlacement(this, '', props.placement);
    this.placement = props.placement;
    checkCapacity(this, 'capacity', props.capacity);
    this.capacity = props.capacity;
    this.ciliumLocalhost = checkEnum(this, 'ciliumLocalhost', props.ciliumLocalhost, CiliumLocalhost, 'CiliumLocalhost') ?? CiliumLocalhost.ALWAYS;
    if (this.ciliumLocalhost === CiliumLocalhost.POLICY && this.networkPolicyProvider !== NetworkPolicyProvider.CILIUM) {
      fail(this, `ciliumLocalhost 'policy' is set on a data plane whose networkPolicyProvider is '${this.networkPolicyProvider}'`, 'remove ciliumLocalhost: NetworkPolicy always admits the pod\'s own node');
    }
    this.organization._register('DataPlane', this.name, this);
  }
}

function checkPeer(scope: Construct, what: string, peer: PodPeer): PodPeer {
  checkDnsLabel(scope, `${what}.namespace`, peer.namespace);
  if (Object.keys(peer.labels ?? {}).length === 0) {
    fail(scope, `${what} selects pods by no label`, 'give at least one label that identifies those pods (an empty selector would match every pod of the namespace)');
  }
  checkLabels(scope, `${what}.labels`, peer.labels);
  return { namespace: peer.namespace, labels: { ...peer.labels } };
}
