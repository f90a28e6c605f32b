// The README's worked example, kept runnable (test/readme.test.ts checks they stay identical).
import {
  ApiAuthentication, DataPlane, DeploymentPipeline, Environment, ExternalService, GatewayCertificate, Organization,
  PlatformApp, Project, RateLimitUnit, SecretRef, Service, Visibility, WebApplication,
} from '../../src';

const app = new PlatformApp();
const acme = new Organization(app, 'acme');
const eu = new DataPlane(acme, 'eu-west', {
  secretStore: 'vault-eu',
  externalGateway: { domain: 'apps.acme.example', certificate: GatewayCertificate.fromCertManager('letsencrypt') },
});

const dev = new Environment(acme, 'development', { dataPlane: eu });
const prod = new Environment(acme, 'production', { dataPlane: eu, isProduction: true, defaultReplicas: 3 });
const pipeline = new DeploymentPipeline(acme, 'standard', {
  promotionPaths: [{ source: dev, targets: [prod], requiresApproval: true }],
});

const payments = new Project(acme, 'payments', { pipeline });
const api = new Service(payments, 'payments-api', {
  image: 'ghcr.io/acme/payments-api:1.8.0',
  env: { LOG_LEVEL: 'info' },
  secretEnv: { DB_PASSWORD: SecretRef.fromStore('payments/db', { property: 'password' }) },
  autoscaling: { minReplicas: 2, maxReplicas: 10 },
});
const http = api.addEndpoint('http', { port: 8080, basePath: '/api/v1', visibility: [Visibility.ORGANIZATION] });
api.dependOnExternal(new ExternalService(acme, 'stripe', { host: 'api.stripe.com', port: 443, scheme: 'https' }));
api.configureEnvironment(dev, { env: { LOG_LEVEL: 'debug' } });

const shop = new Project(acme, 'storefront', { pipeline });
const web = new WebApplication(shop, 'web', { image: 'ghcr.io/acme/web:3.1.0' });
web.addEndpoint('http', {
  port: 3000, visibility: [Visibility.PUBLIC], // an HTTPRoute on https://<label>.apps.acme.example
  route: {
    policy: {
      authentication: ApiAuthentication.oidc({ issuer: 'https://login.acme.example', clientId: 'shop', clientSecret: SecretRef.fromStore('shop/oidc') }),
      rateLimit: { requests: 100, unit: RateLimitUnit.SECOND },
    },
  },
});
web.dependOn(http); // injects PAYMENTS_API_HTTP_URL=http://payments-api.dp-acme-payments-<env>-<hash>.svc.cluster.local:8080/api/v1

app.synth();
