import {
  AccessCapability, AccessGrant, AccessRole, ApiAuthentication, Builder, BuilderConfinement, BuildPlane, ClientIpDetection, CustomRole, DataPlane, DeploymentPipeline, DisruptionBudget, EndpointType, Environment, ExternalService,
  GatewayCertificate, GitOpsDelivery, GitOpsTool, HttpMethod, LogFormat, Organization, PlatformApp, Project, RateLimitUnit, ReleaseLedger,
  Resource, ResourceType, RetryOn, ScheduledTask, SecretRef, Service, StatefulService, TlsVersion, Tracing, TracingLanguage, Visibility, WebApplication, Worker,
  NodeLabelOperator, Probe, TaintEffect,
  ComponentKind, ComponentType, ProbeKind, Traits, ExportFormat,
} from '../../src';
import { Duration, JsonPatch } from 'cdk8s';
import * as path from 'path';
import { CostAllocationTrait } from './cost-allocation-trait';

/**
 * The example platform: one organization, one data plane, three environments, two projects
 * (a storefront and a payments domain) using all four component kinds, a cross-project dependency
 * and an external-service dependency.
 */
export function buildPlatform(app: PlatformApp): Organization {
  // Releases per environment come from the reviewed ledger next to this file (see `npm run promote`).
  // The Backstage catalog is written to dist/acme/exports/backstage/ and the same model as OpenChoreo
  // control-plane CRs to dist/acme/exports/openchoreo/ (neither is applied by Argo CD or Flux).
  const acme = new Organization(app, 'acme', {
    displayName: 'ACME Corp', releases: ReleaseLedger.fromFile(path.join(__dirname, 'releases.json')), exports: [ExportFormat.BACKSTAGE, ExportFormat.OPENCHOREO],
  });
  // Two Envoy gateways: PUBLIC endpoints on *.apps.acme.example (behind a load balancer that sets
  // X-Forwarded-For), INTERNAL ones on *.internal.acme.example with a certificate from Vault.
  const eu = new DataPlane(acme, 'eu-west', {
    secretStore: 'vault-eu',
    externalGateway: {
      domain: 'apps.acme.example',
      certificate: GatewayCertificate.fromCertManager('letsencrypt-dns'),
      clientTraffic: { clientIpDetection: ClientIpDetection.xForwardedFor(1), requestTimeout: Duration.seconds(60) },
    },
    internalGateway: { domain: 'internal.acme.example', certificate: GatewayCertificate.fromSecretStore('certs/internal-acme-example') },
    // What the cluster's nodes offer: synthesis fails when the cells would not fit (see capacity.md).
    capacity: { cpu: '64', memory: '256Gi', storage: '2Ti' },
  });

  const dev = new Environment(acme, 'development', { dataPlane: eu });
  const staging = new Environment(acme, 'staging', { dataPlane: eu, defaultReplicas: 2 });
  // Production serves the public under acme.example on a gateway of its own, TLS 1.3 only.
  const prod = new Environment(acme, 'production', {
    dataPlane: eu, isProduction: true, defaultReplicas: 3,
    // Each production cell gets a ResourceQuota (its peak demand plus 20%) and a LimitRange.
    quotaHeadroom: 1.2,
    defaultResources: { cpuRequest: '250m', cpuLimit: '1', memoryRequest: '512Mi', memoryLimit: '1Gi' },
    externalGateway: { domain: 'acme.example', replicas: 3, clientTraffic: { minTlsVersion: TlsVersion.TLS_1_3, clientIpDetection: ClientIpDetection.xForwardedFor(1) } },
    // Production pods run on the dedicated production node pool, on on-demand capacity, at a
    // priority above batch work; replicas spread over zones and nodes (the production default).
    placement: {
      nodeSelector: { 'acme.example/pool': 'production' },
      tolerations: [{ key: 'acme.example/dedicated', value: 'production', effect: TaintEffect.NO_SCHEDULE }],
      nodeLabels: [{ key: 'karpenter.sh/capacity-type', operator: NodeLabelOperator.IN, values: ['on-demand'] }],
      priorityClassName: 'acme-production',
    },
  });
  const pipeline = new DeploymentPipeline(acme, 'standard', {
    promotionPaths: [
      { source: dev, targets: [staging] },
      { source: staging, targets: [prod], requiresApproval: true },
    ],
  });

  // Deliver the tree with Argo CD (app-of-apps per environment) and Flux (per data plane).
  new GitOpsDelivery(acme, 'delivery', {
    repoUrl: 'https://git.acme.example/platform/gitops.git',
    basePath: 'dist',
    tools: [GitOpsTool.ARGO_CD, GitOpsTool.FLUX],
  });

  const { httpApi, workerType } = declareComponentTypes(acme);

  const stripe = new ExternalService(acme, 'stripe', { host: 'api.stripe.com', port: 443, scheme: 'https' });

  // Payments: a gRPC ledger, an ORGANIZATION-visible payments API and a settlement job.
  const payments = new Project(acme, 'payments', { pipeline, displayName: 'Payments' });
  const ledger = new Service(payments, 'ledger', {
    type: httpApi,
    image: 'ghcr.io/acme/ledger:2.3.1',
    secretEnv: { DB_PASSWORD: SecretRef.fromStore('payments/ledger-db', { property: 'password' }) },
    probes: {
      startup: Probe.grpc({ endpoint: 'grpc', period: Duration.seconds(5), failureThreshold: 24 }),
      readiness: Probe.grpc({ endpoint: 'grpc' }),
      liveness: Probe.grpc({ endpoint: 'grpc', period: Duration.seconds(20) }),
    },
  });
  // The ledger reaches its managed Postgres through a PgBouncer sidecar (egress to the database
  // host only, metrics scraped by Prometheus); the app connects to localhost:5432.
  ledger.addTrait(Traits.databaseProxy({ database: 'ledger-db', image: 'ghcr.io/acme/pgbouncer:1.23.1', host: 'ledger-db.eu-west.sql.acme.example', port: 5432, metricsPort: 9127 }));
  // The back office calls the ledger through the internal gateway with an API key.
  const ledgerGrpc = ledger.addEndpoint('grpc', {
    port: 9090, type: EndpointType.GRPC, visibility: [Visibility.INTERNAL],
    route: { policy: { authentication: ApiAuthentication.apiKey({ clients: { 'back-office': SecretRef.fromStore('payments/api-keys', { property: 'back-office' }) } }) } },
  });

  const paymentsApi = new Service(payments, 'payments-api', {
    type: httpApi,
    image: 'ghcr.io/acme/payments-api:1.8.0',
    env: { LOG_LEVEL: 'info' },
    secretEnv: { STRIPE_API_KEY: SecretRef.fromStore('payments/stripe', { property: 'api-key' }) },
    autoscaling: { minReplicas: 2, maxReplicas: 6, cpuUtilization: 70 },
    disruptionBudget: DisruptionBudget.maxUnavailable(1),
    // Observability: Prometheus scrapes the HTTP port, the OpenTelemetry operator injects the Java
    // agent, Fluent Bit parses JSON logs, and SLO burn-rate alerts watch availability and latency.
    metrics: { port: 8080, path: '/actuator/prometheus' },
    tracing: Tracing.autoInstrument(TracingLanguage.JAVA),
    logFormat: LogFormat.JSON,
    slo: { availability: 99.5, latencyThreshold: Duration.millis(500) },
    // Spring Boot's health groups; the JVM starts slowly, so a startup probe holds off liveness.
    probes: {
      startup: Probe.http({ endpoint: 'http', path: '/actuator/health/liveness', period: Duration.seconds(5), failureThreshold: 36 }),
      readiness: Probe.http({ endpoint: 'http', path: '/actuator/health/readiness', period: Duration.seconds(5) }),
      liveness: Probe.http({ endpoint: 'http', path: '/actuator/health/liveness', period: Duration.seconds(15) }),
    },
    minReady: Duration.seconds(10),
    labels: { 'acme.example/team': 'payments' },
  });
  const paymentsHttp = paymentsApi.addEndpoint('http', {
    port: 8080, basePath: '/api/v1', visibility: [Visibility.ORGANIZATION, Visibility.INTERNAL],
    // Internal callers through the gateway need a token with the right scope; the gateway sheds load.
    route: {
      pathPrefix: '/payments',
      policy: {
        authentication: ApiAuthentication.jwt({ issuer: 'https://auth.acme.example/realms/acme', jwksUri: 'https://auth.acme.example/realms/acme/protocol/openid-connect/certs', audiences: ['payments'] }),
        authorization: [
          { scopes: ['payments:read'], methods: [HttpMethod.GET, HttpMethod.HEAD] },
          { scopes: ['payments:write'], methods: [HttpMethod.POST] },
        ],
        rateLimit: { requests: 50, unit: RateLimitUnit.SECOND },
        retry: { attempts: 2, on: [RetryOn.CONNECT_FAILURE, RetryOn.REFUSED_STREAM], perTryTimeout: Duration.seconds(2) },
        timeout: { request: Duration.seconds(10) },
        circuitBreaker: { maxPendingRequests: 200, maxParallelRequests: 400 },
      },
    },
  });
  // Developers call the development API without tokens.
  paymentsHttp.configureRoute({ policy: { authentication: ApiAuthentication.none() } }, { environment: dev });
  paymentsApi.dependOn(ledgerGrpc, { addressEnvVar: 'LEDGER_ADDRESS' });
  paymentsApi.dependOnExternal(stripe, { addressEnvVar: 'STRIPE_URL' });
  // The payments API's own PostgreSQL, run by CloudNativePG in each payments cell: one instance in
  // development and staging, three in production (larger there), backed up nightly from production.
  const ordersDb = new Resource(payments, 'orders-db', {
    type: ResourceType.postgres({
      storageSize: '20Gi',
      environments: { production: { storageSize: '100Gi', cpu: '2', memory: '4Gi' } },
      backup: {
        destinationPath: 's3://acme-backups/payments/orders-db',
        endpointUrl: 'https://s3.eu-west-1.amazonaws.com',
        accessKeyId: SecretRef.fromStore('payments/backups', { property: 'access-key-id' }),
        secretAccessKey: SecretRef.fromStore('payments/backups', { property: 'secret-access-key' }),
      },
    }),
  });
  paymentsApi.dependOnResource(ordersDb);
  paymentsApi.configureEnvironment(dev, { env: { LOG_LEVEL: 'debug' }, autoscaling: { maxReplicas: 2 } });
  paymentsApi.configureEnvironment(prod, {
    autoscaling: { minReplicas: 3, maxReplicas: 20, cpuUtilization: 60 },
    slo: { availability: 99.9, latencyThreshold: Duration.millis(250) },
  });

  const settlement = new ScheduledTask(payments, 'settlement', {
    image: 'ghcr.io/acme/settlement:1.2.0',
    schedule: '30 2 * * *',
    timeZone: 'Europe/Berlin',
    files: [{ mountPath: '/etc/settlement', fileName: 'rules.yaml', content: 'currency: EUR\ncutoff: "23:59"\n' }],
    metrics: { port: 9464 },
  });
  settlement.dependOn(ledgerGrpc);
  settlement.configureEnvironment(dev, { suspend: true });

  // Storefront: a public web app, a catalog service, and an order worker.
  const storefront = new Project(acme, 'storefront', { pipeline, displayName: 'Storefront' });
  const catalog = new Service(storefront, 'catalog', {
    type: httpApi,
    image: 'ghcr.io/acme/catalog:4.0.2',
    resources: { cpuRequest: '200m', memoryRequest: '384Mi' },
    files: [{ mountPath: '/etc/catalog', fileName: 'tls.key', secret: SecretRef.fromStore('storefront/catalog-tls', { property: 'key' }) }],
    probes: { readiness: Probe.http({ endpoint: 'http', path: '/catalog/ready' }), liveness: Probe.tcp({ endpoint: 'http' }) },
  });
  const catalogHttp = catalog.addEndpoint('http', { port: 8080, basePath: '/catalog' });
  // The policy pack warns about a production service without a PodDisruptionBudget; the catalog
  // accepts it, with the reason recorded on its Deployment and in production/policy.md.
  catalog.suppressPolicy('OC-REPLICAS-PDB-PROD', 'read-only catalog behind the CDN cache: a node drain may briefly take it down', { environment: prod });

  const web = new WebApplication(storefront, 'web', {
    image: 'ghcr.io/acme/web:3.1.0',
    env: { PUBLIC_BASE_URL: 'https://shop.acme.example' },
    replicas: 2,
    disruptionBudget: DisruptionBudget.minAvailablePercent(50),
    metrics: { port: 3000 },
    probes: { readiness: Probe.http({ endpoint: 'http', path: '/healthz' }), liveness: Probe.http({ endpoint: 'http', path: '/healthz', period: Duration.seconds(20) }) },
  });
  const webHttp = web.addEndpoint('http', {
    port: 3000, visibility: [Visibility.PUBLIC],
    route: {
      policy: {
        rateLimit: { requests: 200, unit: RateLimitUnit.SECOND },
        responseHeaders: { set: { 'Strict-Transport-Security': 'max-age=31536000; includeSubDomains', 'X-Frame-Options': 'DENY' }, remove: ['Server'] },
      },
    },
  });
  // Escape hatch: keep more rollback history for the shop in production than the library's 5.
  web.addPatch('Deployment', JsonPatch.replace('/spec/revisionHistoryLimit', 10), { environment: prod });
  // The shop's public address in production: shop.acme.example.
  webHttp.configureRoute({ hostLabel: 'shop' }, { environment: prod });
  web.dependOn(catalogHttp);
  web.dependOn(paymentsHttp, { addressEnvVar: 'PAYMENTS_API_URL' });

  const orders = new Worker(storefront, 'order-worker', {
    type: workerType,
    image: 'ghcr.io/acme/order-worker:0.9.4',
    secretEnv: { QUEUE_PASSWORD: SecretRef.fromStore('storefront/queue', { property: 'password' }) },
  });
  orders.dependOn(paymentsHttp);
  orders.dependOn(catalogHttp);

  // Shopping-cart sessions: a StatefulService with a persistent volume per replica (larger in
  // production) and a metrics-exporter sidecar reading nothing but its own scratch directory.
  const sessions = new StatefulService(storefront, 'sessions', {
    image: 'ghcr.io/acme/sessions-db:7.2.4',
    volumes: [{ name: 'data', mountPath: '/data', size: '5Gi' }],
    probes: { readiness: Probe.tcp({ endpoint: 'tcp' }), liveness: Probe.tcp({ endpoint: 'tcp', period: Duration.seconds(20) }) },
    sidecars: [{ name: 'exporter', image: 'ghcr.io/acme/redis-exporter:1.58.0', resources: { cpuRequest: '50m', memoryRequest: '64Mi' } }],
  });
  sessions.configureEnvironment(prod, { volumeSizes: { data: '50Gi' } });
  web.dependOn(sessions.addEndpoint('tcp', { port: 6379, type: EndpointType.TCP }), { addressEnvVar: 'SESSIONS_ADDRESS' });

  // Builds: Argo Workflows on eu-west build components from source and push
  // ghcr.io/acme/acme-<project>-<component>; credentials come from Vault, and builds may
  // download only from GitHub, the registry and the hosts listed here.
  new BuildPlane(acme, 'ci', {
    dataPlane: eu,
    registry: 'ghcr.io/acme',
    registryCredentials: SecretRef.fromStore('ci/ghcr-push', { property: 'dockerconfigjson' }),
    gitCredentials: SecretRef.fromStore('ci/github-app', { property: 'token' }),
    allowedHosts: ['auth.docker.io', 'registry-1.docker.io', 'production.cloudflare.docker.com', 'registry.npmjs.org'],
    // Rootless BuildKit under node-installed profiles keeps the build namespace at Pod Security baseline.
    dockerfileConfinement: BuilderConfinement.localhostProfiles('operator/buildkit-rootless.json', 'buildkit-rootless'),
  });
  // Built by Cloud Native Buildpacks (no Dockerfile, no image tag to maintain): it runs where the
  // release ledger pins one of its builds (`npx cdk8s-openchoreo release`, then `promote`):
  // so far in development only.
  const recommendations = new Service(storefront, 'recommendations', {
    source: { repository: 'https://github.com/acme/storefront.git', path: 'services/recommendations', gitUsername: 'x-access-token' },
    probes: { readiness: Probe.http({ endpoint: 'http', path: '/health' }) },
  });
  recommendations.addEndpoint('http', { port: 8080 });
  // Built from its Dockerfile by rootless BuildKit; not released anywhere yet.
  new Worker(payments, 'fraud-scorer', {
    type: workerType,
    source: { repository: 'https://github.com/acme/payments.git', path: 'fraud-scorer', builder: Builder.dockerfile() },
  });

  // Access, the same in Kubernetes, Argo CD and Flux: platform admins everywhere, engineering reads
  // everything, each team develops its own project (read-only in production), the payments on-call
  // group may also deploy and debug payments in production, and release managers deploy production.
  new AccessGrant(acme, 'platform-admins', { groups: ['platform-admins'], role: AccessRole.ADMIN });
  new AccessGrant(acme, 'engineering', { groups: ['engineering'], role: AccessRole.VIEWER });
  new AccessGrant(acme, 'payments-developers', { groups: ['payments-developers'], role: AccessRole.DEVELOPER, project: payments });
  new AccessGrant(acme, 'storefront-developers', { groups: ['storefront-developers'], role: AccessRole.DEVELOPER, project: storefront });
  new AccessGrant(acme, 'payments-oncall', { groups: ['payments-oncall'], role: AccessRole.DEVELOPER, project: payments, environment: prod });
  const releaseManager = new CustomRole(acme, 'release-manager', {
    capabilities: [AccessCapability.READ, AccessCapability.DEPLOY],
    restrictedInProduction: false,
    description: 'Reads and deploys what Git holds; nothing else',
  });
  new AccessGrant(acme, 'release-managers', { groups: ['release-managers'], role: releaseManager, environment: prod });

  return acme;
}

if (require.main === module) {
  // Errors print as `[path] message. Fix: ...` lines (exit code 1), not as stack traces.
  PlatformApp.handleErrors();
  const app = new PlatformApp();
  buildPlatform(app);
  app.synth();
}

/**
 * Platform standards: the component types developers pick, with their defaults, their rules
 * (stricter in production) and the traits every component of the type gets. (A function of its
 * own so that an OpenChoreo import can declare the same types before it reads the CRs.)
 */
export function declareComponentTypes(acme: Organization): { httpApi: ComponentType; workerType: ComponentType } {
  const costAllocation = new CostAllocationTrait({ costCenters: { payments: 'cc-4100', storefront: 'cc-4200' } });
  const httpApi = new ComponentType(acme, 'http-api', {
    kind: ComponentKind.SERVICE,
    description: 'An HTTP or gRPC API inside the organization (public traffic goes through a WebApplication)',
    defaults: { logFormat: LogFormat.JSON },
    constraints: { requiredProbes: [ProbeKind.READINESS], allowedVisibilities: [Visibility.ORGANIZATION, Visibility.INTERNAL], maxCpuLimit: '4' },
    productionConstraints: { minReplicas: 2, requiredProbes: [ProbeKind.READINESS, ProbeKind.LIVENESS] },
    traits: [costAllocation],
    allowedTraits: ['database-proxy'],
  });
  const workerType = new ComponentType(acme, 'worker', {
    kind: ComponentKind.WORKER,
    description: 'A queue consumer without endpoints; given a minute to finish its message on shutdown',
    defaults: { terminationGracePeriod: Duration.seconds(60) },
    constraints: { maxReplicas: 10, maxMemoryLimit: '2Gi' },
    productionConstraints: { minReplicas: 2 },
    // Karpenter must not consolidate a node away under a worker in the middle of a message.
    traits: [costAllocation, Traits.podAnnotations({ 'karpenter.sh/do-not-disrupt': 'true' })],
  });
  return { httpApi, workerType };
}
