import type { PlanAccess } from './access';
import type { PlanBuildPlane } from './builds';
import type { PlanPodExtras } from './containers';
import type { PlanCellDelivery } from './delivery';
import type { PlanPodSettings } from './pod-settings';
import type { PlanQuota } from './quota';
import type { PlanResource } from './resources';
import type { PlanTraitUse } from './traits';
import type { WidenedRule } from './widened';
import type { Capacity } from '../model/capacity';
import { ComponentKind } from '../model/component-kind';
import { EndpointType, Visibility } from '../model/endpoint';
import { IsolationMode, NetworkPolicyProvider, PodPeer } from '../model/network';
import { ConcurrencyPolicy, DisruptionBudgetKind, PodSecurityRule } from '../model/options';

/**
 * The resolved platform: every name computed, overrides applied, dependencies resolved.
 * Renderers read only this. Arrays are sorted, so output does not depend on declaration order.
 * @internal
 */
export interface Plan {
  readonly organization: PlanOrganization;
  readonly environments: PlanEnvironment[];
  /** Data planes with their platform objects (gateways). */
  readonly dataPlanes: PlanDataPlane[];
  readonly cells: Cell[];
  /** Build planes (Argo Workflows) with their builds, sorted by name. */
  readonly buildPlanes: PlanBuildPlane[];
  /** How the tree is delivered, if declared. */
  readonly delivery?: PlanDelivery;
  /** Who may do what in which cells, if the organization grants access. */
  readonly access?: PlanAccess;
}

/** GitOps delivery settings. @internal */
export interface PlanDelivery {
  readonly repoUrl: string;
  readonly revision: string;
  /** Folder of the output inside the repository ('' for the root). */
  readonly basePath: string;
  readonly argoCd: boolean;
  readonly flux: boolean;
  readonly argoCdNamespace: string;
  readonly fluxNamespace: string;
  readonly interval: string;
  /** Per cell (environment × project): delivery names, sync wave and dependencies, sorted by data plane, environment, project. */
  readonly cells: PlanCellDelivery[];
}

/** @internal */
export interface PlanOrganization {
  readonly name: string;
  readonly uid: string;
  readonly displayName?: string;
}

/** @internal */
export interface PlanEnvironment {
  readonly name: string;
  readonly uid: string;
  readonly dataPlane: string;
  readonly isProduction: boolean;
  /** Its declared allocatable capacity, if any. */
  readonly capacity?: Capacity;
}

/** A data plane and the platform objects it carries. @internal */
export interface PlanDataPlane {
  readonly name: string;
  readonly gatewayNamespace: string;
  readonly gatewayClassName: string;
  /** The cluster's API server URL (Argo CD destination). */
  readonly apiServer: string;
  /** ClusterSecretStore that ExternalSecrets on this data plane read from. */
  readonly secretStore: string;
  readonly secretRefreshInterval: string;
  /** Its gateways (shared and environment-specific), sorted by name. */
  readonly gateways: PlanGateway[];
  readonly observability: PlanObservabilityServices;
  /** Its declared allocatable capacity, if any. */
  readonly capacity?: Capacity;
}

/** A data plane's observability services. @internal */
export interface PlanObservabilityServices {
  /** Labels ServiceMonitors, PodMonitors and PrometheusRules carry for Prometheus to select them. */
  readonly selectorLabels: Record<string, string>;
  readonly grafana: { readonly namespace: string; readonly dashboardLabels: Record<string, string>; readonly folderAnnotation: string };
  /** Where SLO alerts and dashboards read request metrics. */
  readonly httpMetrics: 'opentelemetry' | 'hubble';
}

/** `external` routes PUBLIC endpoints, `internal` routes INTERNAL ones. @internal */
export type PlanGatewayVisibility = 'external' | 'internal';

/** Where a gateway's TLS certificate Secret comes from. @internal */
export interface PlanCertificate {
  /** The `kubernetes.io/tls` Secret the HTTPS listener names. */
  readonly secretName: string;
  /** Fetched from the secret store by an ExternalSecret (properties `tls.crt`, `tls.key`). */
  readonly remoteKey?: string;
  /** Issued by cert-manager for the Gateway. */
  readonly clusterIssuer?: string;
}

/** A Gateway with its listeners, proxy settings and client traffic policy. @internal */
export interface PlanGateway {
  readonly name: string;
  readonly namespace: string;
  readonly visibility: PlanGatewayVisibility;
  readonly className: string;
  readonly organization: string;
  readonly dataPlane: string;
  /** Set for an environment's own gateway. */
  readonly environment?: string;
  /** Environments whose routes attach to it, sorted. */
  readonly environments: string[];
  readonly domain: string;
  readonly certificate?: PlanCertificate;
  readonly clientTraffic: {
    readonly minTlsVersion: string;
    readonly requestTimeout?: string;
    readonly idleTimeout?: string;
    readonly http2MaxConcurrentStreams?: number;
    readonly clientIp?: { readonly xForwardedForHops?: number; readonly header?: string };
  };
  readonly replicas: number;
  readonly serviceType: string;
  readonly serviceAnnotations: Record<string, string>;
  /** Its proxy pods (network policy peer). */
  readonly pods: PodPeer;
}

/** One project in one environment: a namespace on the environment's data plane. @internal */
export interface Cell {
  readonly namespace: string;
  readonly organization: string;
  readonly project: string;
  readonly projectUid: string;
  readonly environment: string;
  readonly environmentUid: string;
  readonly dataPlane: string;
  readonly isProduction: boolean;
  /** The data plane's API server URL (Argo CD destination). */
  readonly apiServer: string;
  /** Whether promotions into this cell's environment need approval (its project's pipeline). */
  readonly requiresApproval: boolean;
  /** Environments this cell's environment is promoted from (its project's pipeline). */
  readonly promotedFrom: string[];
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  readonly components: PlanComponent[];
  readonly network: CellNetwork;
  /** The OpenTelemetry Instrumentation of the cell, when a component is auto-instrumented. */
  readonly instrumentation?: PlanInstrumentation;
  /** Its ResourceQuota and LimitRange, when its environment sets a quota headroom. */
  readonly quota?: PlanQuota;
  /** Its managed resources (databases, caches), sorted by name. */
  readonly resources?: PlanResource[];
}

/** The settings of a cell's OpenTelemetry Instrumentation. @internal */
export interface PlanInstrumentation {
  readonly name: string;
  readonly endpoint: string;
  readonly protocol: string;
  readonly languages: string[];
}

/** Network settings of a cell (from its data plane and organization). @internal */
export interface CellNetwork {
  readonly provider: NetworkPolicyProvider;
  readonly isolation: IsolationMode;
  readonly dnsPods: PodPeer;
  readonly externalGatewayPods: PodPeer;
  readonly internalGatewayPods: PodPeer;
  /** Rules the Kubernetes back-end renders wider than declared (accepted by the data plane), sorted by text. */
  readonly widened: WidenedRule[];
  /** Prometheus pods (scrape flows) and OpenTelemetry collector pods (telemetry flows). */
  readonly prometheusPods: PodPeer;
  readonly collectorPods: PodPeer;
}

/** Who a network rule talks to. @internal */
export interface PlanPeer {
  /**
   * `pods`: pods matching `labels` in `namespace`; `namespace`: every pod of `namespace`;
   * `cells`: every pod of the namespaces labelled `namespaceLabels`; `fqdn`: a host name (or a
   * `*.`-prefixed pattern, Cilium only);
   * `cidrs`: IP ranges; `anywhere`: any address (a widened FQDN rule); `kube-apiserver`: the
   * cluster's API server (Cilium entity); `host`: the pod's own node (Cilium entity, kubelet probes).
   */
  readonly kind: 'pods' | 'namespace' | 'cells' | 'fqdn' | 'cidrs' | 'anywhere' | 'kube-apiserver' | 'host';
  readonly namespace?: string;
  readonly labels?: Record<string, string>;
  readonly namespaceLabels?: Record<string, string>;
  readonly fqdn?: string;
  readonly cidrs?: string[];
}

/** An HTTP request pattern: method and a full-match path regular expression. @internal */
export interface PlanHttpRule {
  readonly method?: string;
  readonly pathRegex?: string;
}

/** One allowed direction of traffic for a component's pods. @internal */
export interface PlanNetworkRule {
  readonly peer: PlanPeer;
  /** Ports; empty means every port. */
  readonly ports: Array<{ readonly port: number; readonly protocol: 'TCP' | 'UDP' }>;
  /** HTTP rules (Cilium only); undefined means any traffic on the ports. */
  readonly http?: PlanHttpRule[];
  /** Why the rule exists, for reviewers. */
  readonly reason: string;
}

/** @internal */
export interface PlanComponentNetwork {
  readonly ingress: PlanNetworkRule[];
  readonly egress: PlanNetworkRule[];
}

/** @internal */
export interface PlanEndpoint {
  readonly name: string;
  readonly type: EndpointType;
  readonly port: number;
  readonly targetPort: number;
  readonly protocol: 'TCP' | 'UDP';
  readonly portName: string;
  readonly basePath: string;
  readonly visibility: Visibility[];
}

/** Header changes, as name/value pairs sorted by name. @internal */
export interface PlanHeaderChanges {
  readonly set: Array<{ readonly name: string; readonly value: string }>;
  readonly add: Array<{ readonly name: string; readonly value: string }>;
  readonly remove: string[];
}

/** The resolved API policy of a route (every scope merged). @internal */
export interface PlanApiPolicy {
  readonly jwt?: {
    readonly issuer: string;
    readonly jwksUri: string;
    readonly audiences?: string[];
    readonly claimToHeaders?: Array<{ readonly claim: string; readonly header: string }>;
  };
  readonly oidc?: {
    readonly issuer: string;
    readonly clientId: string;
    /** Secret (from an ExternalSecret) holding `client-secret`. */
    readonly secretName: string;
    readonly secret: PlanSecretData;
    readonly scopes?: string[];
    readonly redirectUrl: string;
    readonly logoutPath: string;
  };
  readonly apiKey?: {
    /** Secret (from an ExternalSecret) with one key per client ID. */
    readonly secretName: string;
    readonly clients: PlanSecretData[];
    readonly header: string;
    readonly forwardClientIdHeader?: string;
  };
  readonly authorization?: Array<{
    readonly scopes?: string[];
    readonly claims?: Array<{ readonly name: string; readonly values: string[] }>;
    readonly methods?: string[];
    /** Full path prefix as the client sends it. */
    readonly pathPrefix?: string;
  }>;
  readonly cors?: {
    readonly allowOrigins: string[];
    readonly allowMethods: string[];
    readonly allowHeaders?: string[];
    readonly exposeHeaders?: string[];
    readonly allowCredentials: boolean;
    readonly maxAge?: string;
  };
  readonly rateLimit?: { readonly requests: number; readonly unit: string };
  readonly retry?: {
    readonly attempts: number;
    readonly on?: string[];
    readonly statusCodes?: number[];
    readonly perTryTimeout?: string;
    readonly backoffBase?: string;
    readonly backoffMax?: string;
  };
  readonly timeout?: { readonly request?: string; readonly idle?: string; readonly connect?: string };
  readonly circuitBreaker?: {
    readonly maxConnections?: number;
    readonly maxPendingRequests?: number;
    readonly maxParallelRequests?: number;
    readonly maxParallelRetries?: number;
  };
  readonly requestHeaders?: PlanHeaderChanges;
  readonly responseHeaders?: PlanHeaderChanges;
}

/** A gateway route of an exposed endpoint in one environment. @internal */
export interface PlanRoute {
  readonly kind: 'HTTPRoute' | 'GRPCRoute';
  readonly name: string;
  readonly endpoint: string;
  readonly visibility: PlanGatewayVisibility;
  readonly gateway: { readonly name: string; readonly namespace: string; readonly sectionName: string };
  readonly hostname: string;
  /** The path prefix matched (HTTPRoute only). */
  readonly pathPrefix?: string;
  /** The endpoint's base path the prefix is rewritten to, when they differ. */
  readonly rewritePath?: string;
  readonly backend: { readonly service: string; readonly port: number };
  /** How clients call it. */
  readonly url: string;
  readonly policy: PlanApiPolicy;
}

/** A dependency resolved in one environment. @internal */
export interface PlanDependency {
  /** 'endpoint' for another component, 'external' for an external service. */
  readonly kind: 'endpoint' | 'external';
  readonly host: string;
  /** The port the address names (the Service port for endpoints). */
  readonly port: number;
  /** The port packets arrive on at the provider's pods (the container port), for network rules. */
  readonly targetPort: number;
  readonly protocol: 'TCP' | 'UDP';
  readonly address: string;
  /** Provider's cell namespace, project and component (endpoint dependencies). */
  readonly namespace?: string;
  readonly project?: string;
  readonly component?: string;
  readonly endpoint?: string;
  readonly endpointType?: EndpointType;
  /** External service name, host name and IP ranges (external dependencies). */
  readonly service?: string;
  readonly fqdn?: string;
  readonly cidrs?: string[];
  /** HTTP rules narrowing the dependency. */
  readonly http?: PlanHttpRule[];
  /** The trait that declared this egress (external dependencies a trait needs inject no variables). */
  readonly trait?: string;
}

/** @internal */
export interface PlanEnvVar {
  readonly name: string;
  /** The value ('' when it comes from a Secret). */
  readonly value: string;
  /** A key of a Secret in the cell (credentials of a managed resource), instead of a value. */
  readonly secretKeyRef?: { readonly name: string; readonly key: string };
}

/** @internal */
export interface PlanSecretData {
  /** Key in the generated Secret (an env var name or a file name). */
  readonly secretKey: string;
  readonly remoteKey: string;
  readonly property?: string;
  readonly version?: string;
}

/** @internal */
export interface PlanFile {
  readonly mountPath: string;
  readonly fileName: string;
  readonly volumeName: string;
  /** ConfigMap name for literal files, ExternalSecret/Secret name for secret files. */
  readonly objectName: string;
  readonly content?: string;
  readonly secret?: PlanSecretData;
}

/** @internal */
export interface PlanResources {
  readonly requests: { readonly cpu: string; readonly memory: string };
  readonly limits: { readonly cpu: string; readonly memory: string };
}

/** @internal */
export interface PlanAutoscaling {
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly cpuUtilization?: number;
  readonly memoryUtilization?: number;
}

/** @internal */
export interface PlanDisruptionBudget {
  readonly kind: DisruptionBudgetKind;
  /** A count, or a percentage string such as '50%'. */
  readonly value: number | string;
}

/** @internal */
export interface PlanSecurity {
  readonly exceptions: Array<{ readonly rule: PodSecurityRule; readonly reason: string }>;
  readonly runAsNonRoot: boolean;
  readonly noPrivilegeEscalation: boolean;
  readonly dropAllCapabilities: boolean;
  readonly seccompRuntimeDefault: boolean;
  readonly readOnlyRootFilesystem: boolean;
  readonly automountServiceAccountToken: boolean;
}

/** @internal */
export interface PlanSchedule {
  readonly schedule: string;
  readonly timeZone?: string;
  readonly concurrencyPolicy: ConcurrencyPolicy;
  readonly backoffLimit: number;
  readonly activeDeadlineSeconds: number;
  readonly suspend: boolean;
}

/** A component's metrics, traces, logs and SLOs in one environment. @internal */
export interface PlanObservability {
  readonly metrics?: {
    /** A ServiceMonitor scrapes a Service port; a PodMonitor scrapes a container port of the pods. */
    readonly monitor: 'ServiceMonitor' | 'PodMonitor';
    /** The Service port's or the container port's name. */
    readonly portName: string;
    /** The container port (network rule). */
    readonly containerPort: number;
    /** Whether the container needs a port of its own for metrics (workers, scheduled tasks). */
    readonly ownContainerPort: boolean;
    readonly path: string;
    readonly interval?: string;
  };
  readonly tracing?: {
    readonly mode: 'sdk' | 'auto';
    readonly language?: string;
    readonly samplingRatio: number;
    /** The collector's OTLP port (network rule). */
    readonly collectorPort: number;
  };
  /** SLO alerts, when the component has HTTP endpoints with request metrics and alerts are on. */
  readonly slo?: {
    /** Allowed share of failed requests (1 - availability), e.g. 0.005. */
    readonly errorBudget: number;
    readonly availability: number;
    /** Latency threshold in seconds, a bucket boundary of the request duration histogram. */
    readonly latencySeconds: number;
    readonly latencyThreshold: string;
    /** Allowed share of slow requests (1 - latency target). */
    readonly latencyBudget: number;
    readonly latencyTarget: number;
  };
  /** Why there are no SLO alerts for HTTP endpoints, when there are none. */
  readonly sloMissing?: string;
  readonly logFormat: 'text' | 'json';
}

/** Where a component's image in an environment comes from. @internal */
export type PlanImageSource = 'release' | 'environment' | 'code';

/** One component in one cell; init containers, sidecars and volumes in PlanPodExtras. @internal */
export interface PlanComponent extends PlanPodExtras {
  readonly path: string;
  readonly kind: ComponentKind;
  readonly name: string;
  readonly displayName?: string;
  readonly workloadName: string;
  readonly serviceName: string;
  readonly serviceAccountName: string;
  /** The seven openchoreo.dev labels: on every object and as the pod selector. */
  readonly labels: Record<string, string>;
  readonly image: string;
  /** Where the image comes from: the release ledger's pin, the environment's override, or the component's declaration. */
  readonly imageSource: PlanImageSource;
  readonly command?: string[];
  readonly args?: string[];
  /** Plain env vars, rendered into the env ConfigMap. */
  readonly configEnv: PlanEnvVar[];
  readonly configMapName?: string;
  /** Secret env vars, fetched by one ExternalSecret. */
  readonly secretEnv: PlanSecretData[];
  readonly secretEnvName?: string;
  /** Dependency addresses, injected directly into the container env. */
  readonly dependencyEnv: PlanEnvVar[];
  /** OTEL_* variables, injected directly into the container env. */
  readonly telemetryEnv: PlanEnvVar[];
  readonly files: PlanFile[];
  readonly scratchPaths: string[];
  readonly resources: PlanResources;
  /** Fixed replicas; undefined when an autoscaler owns the count. */
  readonly replicas?: number;
  readonly autoscaling?: PlanAutoscaling;
  readonly disruptionBudget?: PlanDisruptionBudget;
  readonly schedule?: PlanSchedule;
  readonly endpoints: PlanEndpoint[];
  /** Gateway routes of its INTERNAL and PUBLIC endpoints. */
  readonly routes: PlanRoute[];
  readonly dependencies: PlanDependency[];
  readonly observability: PlanObservability;
  /** Probes, rollout, spreading, placement, shutdown and the user's own metadata. */
  readonly pod: PlanPodSettings;
  readonly security: PlanSecurity;
  readonly network: PlanComponentNetwork;
  /** Its component type, if any. */
  readonly componentType?: string;
  /** Its traits (sorted by name) with their scrape ports. */
  readonly traits?: PlanTraitUse[];
}
