import { DataPlane, DeploymentPipeline, Environment, Organization, PlatformApp, Project, Service, Visibility, WebApplication } from 'cdk8s-openchoreo';

/** Declares the platform; main.ts synthesizes it, platform.test.ts checks it. */
export function buildPlatform(app: PlatformApp): Organization {
  const acme = new Organization(app, 'acme');
  const eu = new DataPlane(acme, 'eu-west', { secretStore: 'vault-eu' });
  const dev = new Environment(acme, 'development', { dataPlane: eu });
  const prod = new Environment(acme, 'production', { dataPlane: eu, isProduction: true });
  const pipeline = new DeploymentPipeline(acme, 'standard', { promotionPaths: [{ source: dev, targets: [prod] }] });

  const shop = new Project(acme, 'shop', { pipeline });
  const api = new Service(shop, 'api', { image: 'ghcr.io/acme/api:1.0.0' });
  const http = api.addEndpoint('http', { port: 8080, visibility: [Visibility.PROJECT] });
  new WebApplication(shop, 'web', { image: 'ghcr.io/acme/web:1.0.0' }).dependOn(http);
  return acme;
}
