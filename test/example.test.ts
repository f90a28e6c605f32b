import { assertValidManifests } from './support/schema-validator';
import { one, testApp } from './support/synth';
import { buildPlatform } from '../examples/platform/main';
import { connectivityOf } from '../src/report/connectivity-report';
import { generateName } from '../src/resolve/naming';
import { synthesizeOrganization } from '../src/synth';

describe('example platform', () => {
  const app = testApp();
  const org = buildPlatform(app);
  const objects = org.toJson();
  const count = (kind: string) => objects.filter(o => o.kind === kind).length;

  test('every object validates against its upstream schema', () => {
    expect(objects.length).toBeGreaterThan(80);
    assertValidManifests(objects);
  });

  test('object counts by kind', () => {
    // 2 projects × 3 environments, the gateway namespace and the build namespace
    expect(count('Namespace')).toBe(6 + 1 + 1);
    // ledger, payments-api, web, catalog, order-worker; recommendations, released in development only
    // (fraud-scorer is built but not released anywhere yet)
    expect(count('Deployment')).toBe(15 + 1);
    expect(count('CronJob')).toBe(3);
    // sessions is a StatefulService: a StatefulSet per environment
    expect(count('StatefulSet')).toBe(3);
    // one service account per component per environment, the Flux tenants' and the builds'
    expect(count('ServiceAccount')).toBe(21 + 1 + 2 + 1);
    // ledger, payments-api, catalog, web and sessions expose endpoints, and recommendations;
    // sessions' headless Service per environment
    expect(count('Service')).toBe(15 + 1 + 3);
    // payments-api autoscales in every environment
    expect(count('HorizontalPodAutoscaler')).toBe(3);
    expect(count('PodDisruptionBudget')).toBe(6);
    // ledger, payments-api and order-worker env secrets, catalog's secret file, the ledger's API keys
    // per environment, the internal gateway's certificate, and the builds' registry and Git credentials,
    // and the orders-db backup credentials in production
    expect(count('ExternalSecret')).toBe(12 + 3 + 1 + 2 + 1);
    // the payments API's orders-db: a CloudNativePG Cluster per environment, backed up in production
    expect(count('Cluster')).toBe(3);
    expect(count('ScheduledBackup')).toBe(1);
    expect(count('Pooler')).toBe(0);
    // env and file ConfigMaps, and a Grafana dashboard per project and environment
    expect(count('ConfigMap')).toBe(9 + 6);
    // a baseline per cell and one policy per component per environment (recommendations: development
    // only), and the build namespace's baseline, checkout and image policies
    // and orders-db's pods per environment
    expect(count('CiliumNetworkPolicy')).toBe(6 + 21 + 1 + 3 + 3);
    // gateways: the data plane's external and internal ones, and production's own external one
    expect(count('GatewayClass')).toBe(1);
    expect(count('Gateway')).toBe(3);
    expect(count('EnvoyProxy')).toBe(3);
    expect(count('ClientTrafficPolicy')).toBe(3);
    // payments-api (internal) and web (external) per environment, and the HTTPS redirects of the 3 gateways
    expect(count('HTTPRoute')).toBe(2 * 3 + 3);
    // the ledger's gRPC endpoint (internal) per environment
    expect(count('GRPCRoute')).toBe(3);
    // API keys on the ledger everywhere; JWT on payments-api except in development
    expect(count('SecurityPolicy')).toBe(3 + 2);
    // payments-api's and web's rate limits (and payments-api's retries, timeouts, circuit breaker)
    expect(count('BackendTrafficPolicy')).toBe(2 * 3);
    // delivery: 3 AppProjects, 6 Applications and 3 app-of-apps; a GitRepository, 6 Kustomizations
    // and per project a tenant (ServiceAccount, 2 ClusterRoles, a ClusterRoleBinding, 3 RoleBindings);
    // the platform folder: an AppProject, an Application and a Kustomization
    expect(count('AppProject')).toBe(3 + 1);
    expect(count('Application')).toBe(9 + 1);
    expect(count('GitRepository')).toBe(1);
    expect(count('Kustomization')).toBe(6 + 1 + 1); // + the tenants' access, the platform
    // access: the tenants' RoleBindings, and the grants' ClusterRoles (admin, developer and its production
    // read-only twin, viewer, release-manager), RoleBindings in the cells (21) and on the Flux objects (12)
    // builds: the workflow executor's Role and RoleBinding, and a WorkflowTemplate per built component
    expect(count('RoleBinding')).toBe(6 + 21 + 12 + 1);
    expect(count('ClusterRole')).toBe(4 + 5);
    expect(count('Role')).toBe(12 + 1);
    expect(count('WorkflowTemplate')).toBe(2);
    // observability: metrics of payments-api and web (ServiceMonitors) and settlement (PodMonitor) per
    // environment, a PrometheusRule per cell (health alerts, recorded SLIs) and one per component with an
    // SLO (payments-api and web, which measure their requests) per environment, the Java agent's
    // Instrumentation in the payments cells
    expect(count('ServiceMonitor')).toBe(2 * 3);
    // + the ledger's database-proxy trait's PodMonitor per environment
    expect(count('PodMonitor')).toBe(3 + 3);
    expect(count('PrometheusRule')).toBe(6 + 2 * 3);
    expect(count('Instrumentation')).toBe(3);
    // quotas: production sets a quota headroom, so its 2 cells get a ResourceQuota and a LimitRange
    expect(count('ResourceQuota')).toBe(2);
    expect(count('LimitRange')).toBe(2);
    expect(objects.length).toBe(199 + 37 + 14 + 47 + 3 + 8);
    // 3 PodMonitors of the ledger's database-proxy trait; orders-db: 3 Clusters, 3 CiliumNetworkPolicies, a ScheduledBackup and its credentials' ExternalSecret
  });

  test('platform standards: component types, traits and a patch', () => {
    expect(org.componentTypes.map(t => `${t.name} ${t.kind}`)).toEqual(['http-api deployment/service', 'worker deployment/worker']);
    // http-api's default log format, and its cost-allocation trait on the pods (not on the selector)
    const ledger = one(objects, 'Deployment', generateName(253, 'ledger', 'production'));
    expect(ledger.spec.template.metadata.annotations['fluentbit.io/parser']).toBe('json');
    expect(ledger.spec.template.metadata.labels).toEqual(expect.objectContaining({ 'acme.example/cost-center': 'cc-4100', 'acme.example/billing-tier': 'production' }));
    expect(ledger.spec.selector.matchLabels['acme.example/cost-center']).toBeUndefined();
    // the database-proxy trait's sidecar
    expect(ledger.spec.template.spec.containers.map((c: any) => c.name)).toEqual(['main', 'db-proxy']);
    // the worker type: a minute to finish, Karpenter keeps its node
    const worker = one(objects, 'Deployment', generateName(253, 'order-worker', 'staging'));
    expect(worker.spec.template.spec.terminationGracePeriodSeconds).toBe(60);
    expect(worker.spec.template.metadata.annotations['karpenter.sh/do-not-disrupt']).toBe('true');
    expect(worker.spec.template.metadata.labels['acme.example/billing-tier']).toBe('non-production');
    // the escape hatch: production only
    expect(one(objects, 'Deployment', generateName(253, 'web', 'production')).spec.revisionHistoryLimit).toBe(10);
    expect(one(objects, 'Deployment', generateName(253, 'web', 'staging')).spec.revisionHistoryLimit).toBe(5);
  });

  test('a cross-project dependency resolves to the provider cell', () => {
    const web = one(objects, 'Deployment', generateName(253, 'web', 'production'));
    const env = Object.fromEntries(web.spec.template.spec.containers[0].env.map((e: any) => [e.name, e.value]));
    expect(env.PAYMENTS_API_URL).toBe(`http://payments-api.${generateName(63, 'dp', 'acme', 'payments', 'production')}.svc.cluster.local:8080/api/v1`);
    expect(env.CATALOG_HTTP_URL).toBe(`http://catalog.${generateName(63, 'dp', 'acme', 'storefront', 'production')}.svc.cluster.local:8080/catalog`);
  });

  test('an external-service dependency injects its address', () => {
    const api = one(objects, 'Deployment', generateName(253, 'payments-api', 'staging'));
    expect(api.spec.template.spec.containers[0].env).toContainEqual({ name: 'STRIPE_URL', value: 'https://api.stripe.com:443' });
  });

  test('no secret value appears anywhere in the output', () => {
    const text = JSON.stringify(objects);
    expect(text).not.toMatch(/-----BEGIN|password=|sk_live_/i);
    expect(count('Secret')).toBe(0);
    for (const es of objects.filter(o => o.kind === 'ExternalSecret')) {
      for (const d of es.spec.data) expect(Object.keys(d.remoteRef).sort()).toEqual(expect.arrayContaining(['key']));
    }
  });

  test('production images are pinned and the per-environment release is honoured', () => {
    const prodImages = objects
      .filter(o => o.metadata.namespace?.includes('-production-') && (o.kind === 'Deployment' || o.kind === 'CronJob'))
      .map(o => (o.kind === 'CronJob' ? o.spec.jobTemplate.spec.template : o.spec.template).spec.containers[0].image);
    expect(prodImages).toHaveLength(6);
    for (const image of prodImages) expect(image).toMatch(/:\d+\.\d+\.\d+$/);
    expect(prodImages).toContain('ghcr.io/acme/web:3.0.9');
  });

  test('the GitOps tree has one folder per cell and one file per component', () => {
    const all = Object.keys(app.synthFiles());
    // The OpenChoreo export sits beside the tree: 90 CRs (with the component types, built-in traits, the
    // Postgres Resource and its type, the build plane's WorkflowPlane), NOT-EXPRESSIBLE.md and 50 kustomizations.
    const exported = all.filter(f => f.startsWith('acme/exports/openchoreo/'));
    expect(exported).toHaveLength(90 + 1 + 50);
    const files = all.filter(f => !f.startsWith('acme/exports/'));
    // 6 cells × (namespace, network baseline, 3 components), a report and a README per environment,
    // kustomizations for the organization, the data plane, 3 environments and 6 cells
    // + Argo CD (projects, app-of-apps, 3 application files) and Flux (source, kustomizations, tenant)
    // with their kustomizations (gitops, argocd, 3 environments, flux-system)
    // + flux-tenants (2 files and a kustomization) and platform.json
    // + the platform folder (gateways, dashboards and its kustomization) and every cell's observability
    // + access: rbac.yaml, an access.yaml per cell, flux-system/access.yaml and an access.md per environment
    // + builds.yaml and recommendations.yaml in development
    // + the organization's README, the platform folder's README, and a connectivity.md and an access.md per cell
    // + sessions.yaml in the storefront cells
    // + quota.yaml in the 2 production cells and the data plane's capacity.md
    // + a policy.md per environment, orders-db.yaml in the payments cells
    expect(files).toHaveLength(3 + 6 * 5 + 3 * 2 + 1 + 1 + 3 + 6 + 5 + 3 + 6 + 3 + 1 + 3 + 6 + 1 + 6 + 1 + 3 + 2 + 1 + 1 + 6 * 2 + 2 + 1 + 3 + 3);
    expect(files).toContain('acme/eu-west/production/policy.md');
    expect(files).toContain('acme/eu-west/production/payments/orders-db.yaml');
    // the Backstage catalog beside the tree: its Location, organization.yaml and one file per project
    expect(all.filter(f => f.startsWith('acme/exports/backstage/'))).toEqual([
      'acme/exports/backstage/catalog-info.yaml', 'acme/exports/backstage/organization.yaml',
      'acme/exports/backstage/payments/catalog-info.yaml', 'acme/exports/backstage/storefront/catalog-info.yaml',
    ]);
    expect(files).toContain('acme/eu-west/production/payments/quota.yaml');
    expect(files).toContain('acme/eu-west/capacity.md');
    expect(files).not.toContain('acme/eu-west/development/payments/quota.yaml');
    expect(files).toContain('acme/eu-west/production/storefront/web.yaml');
    expect(files).toContain('acme/eu-west/development/payments/namespace.yaml');
  });
});

describe('example platform connectivity', () => {
  const org = buildPlatform(testApp());
  const prod = synthesizeOrganization(org).connectivity.find(e => e.environment === 'production')!;
  const edges = (flows: Array<{ from: string; to: string; port: number; protocol: string }>) =>
    flows.filter(f => f.to !== 'dns').map(f => `${f.from} -> ${f.to}:${f.port}/${f.protocol}`);

  test('production flows computed from the emitted policies are exactly the declared ones', () => {
    expect(edges(prod.flows)).toEqual([
      'gateway:external -> storefront/web:3000/TCP',
      'gateway:internal -> payments/ledger:9090/TCP',
      'gateway:internal -> payments/payments-api:8080/TCP',
      'operator:cnpg-system -> payments/orders-db:5432/TCP',
      'operator:cnpg-system -> payments/orders-db:8000/TCP',
      'payments/ledger -> external:ledger-db:5432/TCP',
      'payments/ledger -> otel-collector:4318/TCP',
      'payments/payments-api -> external:stripe:443/TCP',
      'payments/payments-api -> otel-collector:4318/TCP',
      'payments/payments-api -> payments/ledger:9090/TCP',
      'payments/payments-api -> payments/orders-db:5432/TCP',
      'payments/settlement -> otel-collector:4318/TCP',
      'payments/settlement -> payments/ledger:9090/TCP',
      'prometheus -> payments/ledger:9127/TCP',
      'prometheus -> payments/payments-api:8080/TCP',
      'prometheus -> payments/settlement:9464/TCP',
      'prometheus -> storefront/web:3000/TCP',
      'storefront/catalog -> otel-collector:4318/TCP',
      'storefront/order-worker -> otel-collector:4318/TCP',
      'storefront/order-worker -> payments/payments-api:8080/TCP',
      'storefront/order-worker -> storefront/catalog:8080/TCP',
      'storefront/sessions -> otel-collector:4318/TCP',
      'storefront/web -> otel-collector:4318/TCP',
      'storefront/web -> payments/payments-api:8080/TCP',
      'storefront/web -> storefront/catalog:8080/TCP',
      'storefront/web -> storefront/sessions:6379/TCP',
    ]);
    // every workload (and the orders-db pods) may resolve names, nothing else reaches the cluster DNS
    expect(prod.flows.filter(f => f.to === 'dns')).toHaveLength(8 * 2);
  });

  test('removing a rule from an emitted policy removes exactly that flow from the report', () => {
    const rendered = synthesizeOrganization(org);
    const objects = rendered.objects.map(o => ({ ...o, manifest: structuredClone(o.manifest) }));
    const ledger = objects.find(o => o.manifest.kind === 'CiliumNetworkPolicy' && o.manifest.metadata.name === 'openchoreo-ledger'
      && o.manifest.metadata.namespace.includes('-production-'))!;
    ledger.manifest.spec.ingress = ledger.manifest.spec.ingress.filter((r: any) => r.fromEndpoints[0].matchLabels['openchoreo.dev/component'] !== 'settlement');
    const tampered = connectivityOf(rendered.plan, objects).find(e => e.environment === 'production')!;
    expect(edges(prod.flows).filter(e => !edges(tampered.flows).includes(e))).toEqual(['payments/settlement -> payments/ledger:9090/TCP']);
  });
});
