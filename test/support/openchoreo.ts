import * as fs from 'fs';
import * as path from 'path';
import { Duration } from 'cdk8s';
import { buildPlatform } from '../../examples/platform/main';
import {
  AccessCapability, AccessGrant, AccessRole, BuildPlane, ComponentKind, ComponentType, CustomRole, DataPlane, DeploymentPipeline, Environment,
  LogFormat, OpenChoreoExport, Organization, PlatformApp, Project, SecretRef, Traits,
} from '../../src';
import { toYamlDocuments } from '../../src/output/yaml';

/** The example platform's OpenChoreo export: its files (relative to exports/openchoreo/) and manifests. */
export function exampleExport(app: PlatformApp): { org: Organization; x: OpenChoreoExport; files: Record<string, any> } {
  const org = buildPlatform(app);
  const x = OpenChoreoExport.of(org)!;
  return { org, x, files: x.manifestsByFile() };
}

/** Writes manifests by file as YAML under `dir`; returns the YAML by file. */
export function writeTree(dir: string, files: Record<string, any>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [file, manifest] of Object.entries(files)) {
    out[file] = toYamlDocuments([manifest]);
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), out[file]);
  }
  return out;
}

/**
 * The example's component types as far as the CRs carry them (name, kind, description, defaults,
 * allowed and built-in traits). Their rules and the custom cost-allocation trait are not in the CRs
 * (NOT-EXPRESSIBLE.md); with the example's requiredProbes rule the imported components, which have
 * no probes (not expressible either), would be refused until probes are added — tested on its own.
 */
export function declareImportTypes(acme: Organization): void {
  new ComponentType(acme, 'http-api', {
    kind: ComponentKind.SERVICE,
    description: 'An HTTP or gRPC API inside the organization (public traffic goes through a WebApplication)',
    defaults: { logFormat: LogFormat.JSON },
    allowedTraits: ['database-proxy'],
  });
  new ComponentType(acme, 'worker', {
    kind: ComponentKind.WORKER,
    description: 'A queue consumer without endpoints; given a minute to finish its message on shutdown',
    defaults: { terminationGracePeriod: Duration.seconds(60) },
    traits: [Traits.podAnnotations({ 'karpenter.sh/do-not-disrupt': 'true' })],
  });
}

/** The example's organization without projects: what an import needs declared first (as in the example, with its component types). */
export function exampleInfrastructure(
  app: PlatformApp, declareTypes: (org: Organization) => unknown = declareImportTypes,
): { org: Organization; grant: (projects: Project[]) => void } {
  const acme = new Organization(app, 'acme', { displayName: 'ACME Corp' });
  const eu = new DataPlane(acme, 'eu-west', { secretStore: 'vault-eu', externalGateway: { domain: 'apps.acme.example' }, internalGateway: { domain: 'internal.acme.example' } });
  const dev = new Environment(acme, 'development', { dataPlane: eu });
  const staging = new Environment(acme, 'staging', { dataPlane: eu });
  const prod = new Environment(acme, 'production', { dataPlane: eu, isProduction: true, externalGateway: { domain: 'acme.example' } });
  new DeploymentPipeline(acme, 'standard', { promotionPaths: [{ source: dev, targets: [staging] }, { source: staging, targets: [prod] }] });
  new BuildPlane(acme, 'ci', { dataPlane: eu, registry: 'ghcr.io/acme', registryCredentials: SecretRef.fromStore('ci/ghcr-push', { property: 'dockerconfigjson' }) });
  declareTypes(acme);
  const grant = (projects: Project[]) => {
    const p = (name: string) => projects.find(x => x.name === name)!;
    new AccessGrant(acme, 'platform-admins', { groups: ['platform-admins'], role: AccessRole.ADMIN });
    new AccessGrant(acme, 'engineering', { groups: ['engineering'], role: AccessRole.VIEWER });
    new AccessGrant(acme, 'payments-developers', { groups: ['payments-developers'], role: AccessRole.DEVELOPER, project: p('payments') });
    new AccessGrant(acme, 'storefront-developers', { groups: ['storefront-developers'], role: AccessRole.DEVELOPER, project: p('storefront') });
    new AccessGrant(acme, 'payments-oncall', { groups: ['payments-oncall'], role: AccessRole.DEVELOPER, project: p('payments'), environment: prod });
    const rm = new CustomRole(acme, 'release-manager', {
      capabilities: [AccessCapability.READ, AccessCapability.DEPLOY], restrictedInProduction: false, description: 'Reads and deploys what Git holds; nothing else',
    });
    new AccessGrant(acme, 'release-managers', { groups: ['release-managers'], role: rm, environment: prod });
  };
  return { org: acme, grant };
}
