// The package's public surface, listed name by name (test/public-api.test.ts keeps this list).
// Helpers marked @internal stay importable inside the package only.
import './synth'; // installs the synthesis pipeline that Organization.toJson() runs

export { Organization, type OrganizationProps, type PatchSelector } from './model/organization';
export { CiliumLocalhost, DataPlane, type DataPlaneProps } from './model/data-plane';
export { Environment, type EnvironmentProps } from './model/environment';
export { DeploymentPipeline, type DeploymentPipelineProps, type PromotionPath } from './model/deployment-pipeline';
export { Project, type ProjectProps } from './model/project';
export {
  Component, type ComponentProps, type ConfigFile, type DependencyOptions, type DeployableComponentProps, type EndpointReference,
} from './model/component';
export { ComponentKind } from './model/component-kind';
export {
  ScheduledTask, type ScheduledTaskProps, Service, type ServiceProps, WebApplication, type WebApplicationProps, Worker, type WorkerProps,
} from './model/component-kinds';
export { StatefulService, type StatefulServiceProps } from './model/stateful-service';
export { type ContainerOptions, type ContainerSettings, type SidecarPort } from './model/sidecar';
// platform standards (issue #13, parts 1-3): component types, traits, patches
export { type ComponentPatchOptions } from './model/component';
export {
  ComponentType, type ComponentTypeConstraints, type ComponentTypeDefaults, type ComponentTypeProps, ProbeKind,
} from './model/component-type';
export {
  type ITrait, type TraitContext, type TraitEgress, type TraitNeeds, type TraitPatch, type TraitRenderContext, type TraitRendering,
} from './model/trait';
export { type DatabaseProxyOptions, type PodAnnotationsOptions, Traits } from './model/traits';
export {
  EmptyDirMedium, type EmptyDirVolume, type PersistentVolume, PodManagement, VolumeAccessMode, type VolumeMount, VolumeRetention,
} from './model/volume';
export { BuildPlane, type BuildPlaneProps, type BuildSource } from './model/build';
export { Builder, BuilderConfinement, BuilderKind, type BuildpacksBuilderOptions, type DockerfileBuilderOptions } from './model/builder';
export { Endpoint, type EndpointOptions, EndpointType, type RouteScope, Visibility } from './model/endpoint';
export {
  ClientIpDetection, type ClientTrafficOptions, type EnvironmentGatewayOptions, GatewayCertificate, type GatewayOptions,
  GatewayServiceType, type GatewaySettings, TlsVersion,
} from './model/gateway';
export {
  ApiAuthentication, type ApiKeyOptions, type ApiPolicy, type AuthorizationRule, type CircuitBreakerPolicy, type ClaimToHeader,
  type CorsPolicy, type HeaderChanges, type JwtClaim, type JwtOptions, type OidcOptions, type RateLimit, RateLimitUnit, RetryOn,
  type RetryPolicy, type RouteOptions, type TimeoutPolicy,
} from './model/api-policy';
export { ExternalProtocol, ExternalService, type ExternalServiceProps } from './model/external-service';
export { HttpMethod, type HttpRule, IsolationMode, NetworkPolicyProvider, type PodPeer } from './model/network';
export { GitOpsDelivery, type GitOpsDeliveryProps, GitOpsTool } from './model/gitops';
export { ReleaseLedger, type ReleasePin } from './model/ledger';
export {
  type CollectorOptions, type GrafanaOptions, HttpMetrics, LogFormat, type MetricsOptions, type ObservabilityOptions,
  type ObservabilityPods, OtlpProtocol, type PrometheusOptions, type SloOptions, Tracing, TracingLanguage, type TracingOptions,
} from './model/observability';
export {
  type AutoscalingOptions, ConcurrencyPolicy, type DeploymentSettings, DisruptionBudget, DisruptionBudgetKind, type EnvironmentOverrides,
  PodSecurityRule, type ResourceRequirements, type SecurityException, type WorkloadSettings,
} from './model/options';
export {
  type GrpcProbeOptions, type HttpProbeOptions, Probe, type Probes, ProbeScheme, type ProbeTarget, type ProbeTimings, ProbeType, type TcpProbeOptions,
} from './model/probe';
export { Rollout, RolloutStrategy, type RollingUpdateOptions, type RolloutSettings } from './model/rollout';
export {
  NodeLabelOperator, type NodeLabelRequirement, type Placement, SpreadWhenUnsatisfiable, TaintEffect, type Toleration, TolerationOperator,
  type TopologyKeys, TopologySpread, type TopologySpreadOptions,
} from './model/placement';
export { type PodSettings, PreStop, PreStopType } from './model/pod-settings';
export { type Capacity } from './model/capacity';
export { SecretRef, type SecretRefOptions } from './model/secrets';
export {
  type IPolicyRule, type OrganizationPolicySuppressionOptions, type PolicyFinding, PolicyPack, PolicySeverity, type PolicySubject,
  type PolicySuppressionOptions,
} from './model/policy';
// managed resources (issue #13, part 4)
export { type IResourceType, type ResourceConnection, type ResourceContext, ResourceType } from './model/resource-type';
export { Resource, type ResourceDependencyOptions, type ResourceProps } from './model/resource';
export {
  PoolMode, type PostgresBackup, type PostgresEnvironmentSettings, type PostgresPooler, type PostgresProps, PostgresResourceType,
} from './model/resource-postgres';
export { type ExternalResourceEnvironment, type ExternalResourceProps, ExternalResourceType } from './model/resource-external';
export { AccessCapability, AccessGrant, type AccessGrantProps, AccessRole, CustomRole, type CustomRoleProps, type IAccessRole } from './model/access';
// interop (issue #14): exports besides the GitOps tree
export { ExportFormat } from './model/exports';
// interop (issue #14): Score import
export { Score, type ScoreEndpointOptions, type ScoreLoadOptions } from './import/score/score';
export { ScoreResourceMapping, ScoreResourceMappingKind } from './import/score/mapping';
// PlatformValidationError itself extends Error, which jsii rejects in a public API (JSII3004): it is
// importable from 'cdk8s-openchoreo/lib/model/errors'; PlatformErrors is its jsii-legal guard.
export { PlatformErrors, type ValidationProblem } from './model/errors';
export { OutputLayout } from './output/layout';
export { PlatformApp, type PlatformAppProps } from './output/platform-app';
// OpenChoreo control-plane export and import (issue #14)
export { OpenChoreoExport } from './export/openchoreo/export';
export { OpenChoreoImport, type OpenChoreoImportResult } from './export/openchoreo/import';
export { type OpenChoreoNotExpressible } from './export/openchoreo/not-expressible';
