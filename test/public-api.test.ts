import * as path from 'path';
import * as ts from 'typescript';
import * as api from '../src';

/** Every name the package root exports (types and values), as TypeScript sees it, with its JSDoc tags. */
/* eslint-disable no-bitwise */ // TypeScript's symbol flags are bit sets
function rootExports(): Array<{ name: string; internal: boolean; value: boolean }> {
  const file = path.join(__dirname, '..', 'src', 'index.ts');
  const options = { target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.CommonJS, strict: true, skipLibCheck: true, noEmit: true };
  const program = ts.createProgram([file], options);
  const checker = program.getTypeChecker();
  const module = checker.getSymbolAtLocation(program.getSourceFile(file)!)!;
  return checker.getExportsOfModule(module).map(e => {
    const target = e.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(e) : e;
    const docs = (target.declarations ?? []).flatMap(d => ts.getJSDocCommentsAndTags(d).map(j => j.getText()));
    return { name: e.name, internal: docs.some(d => d.includes('@internal')), value: (target.flags & ts.SymbolFlags.Value) !== 0 };
  }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
/* eslint-enable no-bitwise */

/** The public surface. Adding to it is a deliberate API change: add the name here and document it. */
const PUBLIC_NAMES = [
  'AccessCapability', 'AccessGrant', 'AccessGrantProps', 'AccessRole', 'ApiAuthentication', 'ApiKeyOptions', 'ApiPolicy',
  'AuthorizationRule', 'AutoscalingOptions', 'BuildPlane', 'BuildPlaneProps', 'BuildSource', 'Builder', 'BuilderConfinement',
  'BuilderKind', 'BuildpacksBuilderOptions', 'CircuitBreakerPolicy', 'ClaimToHeader', 'ClientIpDetection', 'ClientTrafficOptions',
  'CollectorOptions', 'Component', 'ComponentKind', 'ComponentProps', 'ConcurrencyPolicy', 'ConfigFile', 'CorsPolicy', 'CustomRole',
  'CustomRoleProps', 'DataPlane', 'DataPlaneProps', 'DependencyOptions', 'DeployableComponentProps', 'DeploymentPipeline',
  'DeploymentPipelineProps', 'DeploymentSettings', 'DisruptionBudget', 'DisruptionBudgetKind', 'DockerfileBuilderOptions', 'Endpoint',
  'EndpointOptions', 'EndpointReference', 'EndpointType', 'Environment', 'EnvironmentGatewayOptions', 'EnvironmentOverrides',
  'EnvironmentProps', 'ExternalProtocol', 'ExternalService', 'ExternalServiceProps', 'GatewayCertificate', 'GatewayOptions',
  'GatewayServiceType', 'GatewaySettings', 'GitOpsDelivery', 'GitOpsDeliveryProps', 'GitOpsTool', 'GrafanaOptions', 'HeaderChanges',
  'HttpMethod', 'HttpMetrics', 'HttpRule', 'IAccessRole', 'IsolationMode', 'JwtClaim', 'JwtOptions', 'LogFormat', 'MetricsOptions',
  'NetworkPolicyProvider', 'ObservabilityOptions', 'ObservabilityPods', 'OidcOptions', 'Organization', 'OrganizationProps', 'OtlpProtocol',
  'OutputLayout', 'PlatformApp', 'PlatformAppProps', 'PlatformErrors', 'PodPeer', 'PodSecurityRule', 'Project', 'ProjectProps', 'PrometheusOptions',
  'PromotionPath', 'RateLimit', 'RateLimitUnit', 'ReleaseLedger', 'ReleasePin', 'ResourceRequirements', 'RetryOn', 'RetryPolicy',
  'RouteOptions', 'RouteScope', 'ScheduledTask', 'ScheduledTaskProps', 'SecretRef', 'SecretRefOptions', 'SecurityException', 'Service',
  'ServiceProps', 'SloOptions', 'TimeoutPolicy', 'TlsVersion', 'Tracing', 'TracingLanguage', 'TracingOptions', 'Visibility',
  'ValidationProblem', 'WebApplication', 'WebApplicationProps', 'Worker', 'WorkerProps', 'WorkloadSettings',
  // production workloads (issue #12, wl1)
  'CiliumLocalhost', 'GrpcProbeOptions', 'HttpProbeOptions', 'NodeLabelOperator', 'NodeLabelRequirement', 'Placement', 'PodSettings',
  'PreStop', 'PreStopType', 'Probe', 'ProbeScheme', 'ProbeTarget', 'ProbeTimings', 'ProbeType', 'Probes', 'RollingUpdateOptions', 'Rollout',
  'RolloutSettings', 'RolloutStrategy', 'SpreadWhenUnsatisfiable', 'TaintEffect', 'TcpProbeOptions', 'Toleration', 'TolerationOperator',
  'TopologyKeys', 'TopologySpread', 'TopologySpreadOptions',
  // workloads (issue #12): stateful services, volumes, init containers and sidecars
  'ContainerOptions', 'ContainerSettings', 'EmptyDirMedium', 'EmptyDirVolume', 'PersistentVolume', 'PodManagement', 'SidecarPort',
  'StatefulService', 'StatefulServiceProps', 'VolumeAccessMode', 'VolumeMount', 'VolumeRetention',
  // quotas and capacity (issue #12, part 8)
  'Capacity',
  // platform standards (issue #13, parts 1-3): component types, traits, patches
  'ComponentPatchOptions', 'ComponentType', 'ComponentTypeConstraints', 'ComponentTypeDefaults', 'ComponentTypeProps', 'DatabaseProxyOptions',
  'ITrait', 'PatchSelector', 'PodAnnotationsOptions', 'ProbeKind', 'TraitContext', 'TraitEgress', 'TraitNeeds', 'TraitPatch',
  'TraitRenderContext', 'TraitRendering', 'Traits',
  // the policy pack (issue #13, part 5)
  'IPolicyRule', 'OrganizationPolicySuppressionOptions', 'PolicyFinding', 'PolicyPack', 'PolicySeverity', 'PolicySubject', 'PolicySuppressionOptions',
  // managed resources (issue #13, part 4)
  'ExternalResourceEnvironment', 'ExternalResourceProps', 'ExternalResourceType', 'IResourceType', 'PoolMode', 'PostgresBackup',
  'PostgresEnvironmentSettings', 'PostgresPooler', 'PostgresProps', 'PostgresResourceType', 'Resource', 'ResourceConnection',
  'ResourceContext', 'ResourceDependencyOptions', 'ResourceProps', 'ResourceType',
  // interop (issue #14): the Backstage catalog export
  'ExportFormat',
  // interop (issue #14): the Score import
  'Score', 'ScoreEndpointOptions', 'ScoreLoadOptions', 'ScoreResourceMapping', 'ScoreResourceMappingKind',
  // OpenChoreo control-plane export and import (issue #14)
  'OpenChoreoExport', 'OpenChoreoImport', 'OpenChoreoImportResult', 'OpenChoreoNotExpressible',
];

describe('public surface (src/index.ts)', () => {
  const exported = rootExports();

  test('the package root exports exactly the listed names', () => {
    expect(exported.map(e => e.name)).toEqual([...PUBLIC_NAMES].sort());
  });

  test('no @internal helper is reachable from the package root', () => {
    expect(exported.filter(e => e.internal).map(e => e.name)).toEqual([]);
  });

  test('every exported value is there at run time, and no other', () => {
    const values = exported.filter(e => e.value).map(e => e.name);
    expect(Object.keys(api).sort()).toEqual(values);
    expect(values).toEqual(expect.arrayContaining(['Organization', 'PlatformApp', 'Service', 'ComponentKind']));
    expect((api as Record<string, unknown>).checkImage).toBeUndefined();
    expect((api as Record<string, unknown>).BUILT_IN_ROLES).toBeUndefined();
  });
});
