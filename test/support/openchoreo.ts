import * as fs from 'fs';
import * as path from 'path';
import { buildPlatform } from '../../examples/platform/main';
import {
  AccessCapability, AccessGrant, AccessRole, BuildPlane, CustomRole, DataPlane, DeploymentPipeline, Environment, OpenChoreoExport, Organization,
  PlatformApp, Project, SecretRef,
} from '../../src';
import { toYamlDocuments } from '../../src/output/yaml';

/** The example platform's OpenChoreo export: its files (relative to exports/openchoreo/) and manifests. */
export function exampleExport(app: PlatformApp): { org: Organization; x: OpenChoreoExport; files: Record<string, any> } {
  const org = buildPlatform(app);
  const x = org.node.children.find(OpenChoreoExport.isOpenChoreoExport) as OpenChoreoExport;
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

/** The example's organization without projects: what an import needs declared first (as in the example). */
export function exampleInfrastructure(app: PlatformApp): { org: Organization; grant: (projects: Project[]) => void } {
  const acme = new Organization(app, 'acme', { displayName: 'ACME Corp' });
  const eu = new DataPlane(acme, 'eu-west', { secretStore: 'vault-eu', externalGateway: { domain: 'apps.acme.example' }, internalGateway: { domain: 'internal.acme.example' } });
  const dev = new Environment(acme, 'development', { dataPlane: eu });
  const staging = new Environment(acme, 'staging', { dataPlane: eu });
  const prod = new Environment(acme, 'production', { dataPlane: eu, isProduction: true, externalGateway: { domain: 'acme.example' } });
  new DeploymentPipeline(acme, 'standard', { promotionPaths: [{ source: dev, targets: [staging] }, { source: staging, targets: [prod] }] });
  new BuildPlane(acme, 'ci', { dataPlane: eu, registry: 'ghcr.io/acme', registryCredentials: SecretRef.fromStore('ci/ghcr-push', { property: 'dockerconfigjson' }) });
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
