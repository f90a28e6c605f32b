import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Duration, Testing } from 'cdk8s';
import {
  ConcurrencyPolicy, DataPlane, DisruptionBudget, Endpoint, EndpointType, ExternalService, PodSecurityRule, Project, ScheduledTask,
  SecretRef, Service, Visibility, Worker,
} from '../src';
import { baseline } from './support/fixtures';
import { inNamespace, ofComponent, one, synth, testApp } from './support/synth';
import { generateName } from '../src/resolve/naming';

const STD7 = [
  'openchoreo.dev/namespace', 'openchoreo.dev/project', 'openchoreo.dev/component', 'openchoreo.dev/environment',
  'openchoreo.dev/component-uid', 'openchoreo.dev/environment-uid', 'openchoreo.dev/project-uid',
];
const ns = (project: string, env: string) => generateName(63, 'dp', 'acme', project, env);
/** The shared baseline (acme / eu / development → staging → production) with its project as `shop`. */
const basePlatform = (app: App) => {
  const b = baseline(app);
  return { ...b, shop: b.project };
};

describe('cells and workloads', () => {
  test('an Endpoint constructed directly is rendered like one from addEndpoint (it registers itself)', () => {
    const { shop } = basePlatform(testApp());
    const api = new Service(shop, 'api', { image: 'ghcr.io/acme/api:1.0.0' });
    const http = new Endpoint(api, 'http', { port: 8080 });
    expect(api.endpoints).toEqual([http]);
    expect(api.findEndpoint('http')).toBe(http);
    const svc = one(synth(shop.organization), 'Service', o => o.metadata.name === 'api' && o.metadata.namespace === ns('shop', 'development'));
    expect(svc.spec.ports).toEqual([expect.objectContaining({ name: 'http', port: 8080, targetPort: 8080 })]);
  });

  test('one cell namespace per project × environment, with restricted Pod Security labels', () => {
    const { shop } = basePlatform(testApp());
    new Service(shop, 'api', { image: 'ghcr.io/acme/api:1.0.0' }).addEndpoint('http', { port: 8080 });
    const objects = synth(shop.organization);
    const namespaces = objects.filter(o => o.kind === 'Namespace');
    expect(namespaces.map(n => n.metadata.name)).toEqual([ns('shop', 'development'), ns('shop', 'production'), ns('shop', 'staging')]);
    const prod = one(objects, 'Namespace', ns('shop', 'production'));
    expect(prod.metadata.labels).toMatchObject({
      'openchoreo.dev/namespace': 'acme',
      'openchoreo.dev/project': 'shop',
      'openchoreo.dev/environment': 'production',
      'openchoreo.dev/dataplane': 'eu',
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/warn': 'restricted',
    });
    expect(objects.filter(o => o.kind === 'Deployment')).toHaveLength(3);
    expect(objects.filter(o => o.kind === 'Service')).toHaveLength(3);
    expect(objects.filter(o => o.kind === 'ServiceAccount')).toHaveLength(3);
  });

  test('workload names, the seven labels on every object, and the pod selector', () => {
    const { shop } = basePlatform(testApp());
    new Service(shop, 'api', { image: 'ghcr.io/acme/api:1.0.0' }).addEndpoint('http', { port: 8080 });
    const objects = synth(shop.organization);
    const dep = one(objects, 'Deployment', generateName(253, 'api', 'development'));
    expect(dep.metadata.namespace).toBe(ns('shop', 'development'));
    const cellWide = ['cell-baseline', 'openchoreo-cell'];
    const ofComponents = objects.filter(x => x.kind !== 'Namespace' && !cellWide.includes(x.metadata.name) && x.metadata.namespace?.startsWith('dp-'));
    expect(ofComponents).toHaveLength(3 * 4); // service account, deployment, service, policy
    for (const o of ofComponents) {
      expect(Object.keys(o.metadata.labels)).toEqual(expect.arrayContaining(STD7));
    }
    expect(Object.keys(dep.spec.selector.matchLabels).sort()).toEqual([...STD7].sort());
    expect(dep.spec.template.metadata.labels).toEqual(dep.spec.selector.matchLabels);
    const svc = one(objects, 'Service', o => o.metadata.namespace === ns('shop', 'development'));
    expect(svc.metadata.name).toBe('api');
    expect(svc.spec.selector).toEqual(dep.spec.selector.matchLabels);
    expect(dep.metadata.labels['openchoreo.dev/environment-uid']).not.toBe(
      one(objects, 'Deployment', generateName(253, 'api', 'production')).metadata.labels['openchoreo.dev/environment-uid']);
  });

  test('restricted security defaults, resources, no service-account token', () => {
    const { shop } = basePlatform(testApp());
    new Worker(shop, 'worker', { image: 'ghcr.io/acme/worker:1.0.0' });
    const objects = synth(shop.organization);
    const pod = one(objects, 'Deployment', generateName(253, 'worker', 'staging')).spec.template.spec;
    expect(pod.securityContext).toEqual({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.serviceAccountName).toBe('worker');
    const c = pod.containers[0];
    expect(c.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(c.resources).toEqual({ requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '100m', memory: '256Mi' } });
    expect(c.volumeMounts).toEqual([{ name: 'scratch-0', mountPath: '/tmp' }]);
    expect(pod.volumes).toEqual([{ name: 'scratch-0', emptyDir: { sizeLimit: '256Mi' } }]);
    const sa = one(objects, 'ServiceAccount', o => o.metadata.namespace === ns('shop', 'staging'));
    expect(sa.automountServiceAccountToken).toBe(false);
    expect(objects.filter(o => o.kind === 'Service')).toHaveLength(0);
  });

  test('kubernetesApiAccess mounts the token', () => {
    const { shop } = basePlatform(testApp());
    new Worker(shop, 'operator', { image: 'ghcr.io/acme/operator:1.0.0', kubernetesApiAccess: true });
    const objects = synth(shop.organization);
    expect(one(objects, 'Deployment', generateName(253, 'operator', 'development')).spec.template.spec.automountServiceAccountToken).toBe(true);
    expect(one(objects, 'ServiceAccount', o => o.metadata.namespace === ns('shop', 'development')).automountServiceAccountToken).toBe(true);
  });

  test('a PSS opt-out is recorded and relaxes only its own cell to baseline', () => {
    const { shop, org, pipeline } = basePlatform(testApp());
    const other = new Project(org, 'other', { pipeline });
    new Worker(other, 'clean', { image: 'ghcr.io/acme/clean:1.0.0' });
    new Worker(shop, 'legacy', {
      image: 'ghcr.io/acme/legacy:1.0.0',
      securityExceptions: [{ rule: PodSecurityRule.RUN_AS_NON_ROOT, reason: 'vendor image runs as root until v2 ships' }],
    });
    const objects = synth(org);
    const dep = one(objects, 'Deployment', generateName(253, 'legacy', 'production'));
    expect(dep.metadata.annotations['security.openchoreo.dev/exception-run-as-non-root']).toBe('vendor image runs as root until v2 ships');
    expect(dep.spec.template.metadata.annotations['security.openchoreo.dev/exception-run-as-non-root']).toBe('vendor image runs as root until v2 ships');
    expect(dep.spec.template.spec.securityContext.runAsNonRoot).toBeUndefined();
    expect(dep.spec.template.spec.containers[0].securityContext.runAsNonRoot).toBeUndefined();
    expect(dep.spec.template.spec.containers[0].securityContext.capabilities).toEqual({ drop: ['ALL'] });
    const shopNs = one(objects, 'Namespace', ns('shop', 'production'));
    expect(shopNs.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('baseline');
    expect(shopNs.metadata.labels['pod-security.kubernetes.io/warn']).toBe('restricted');
    expect(shopNs.metadata.annotations['security.openchoreo.dev/pod-security-relaxed-by']).toBe('legacy');
    expect(one(objects, 'Namespace', ns('other', 'production')).metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
  });

  test('a read-only-root-filesystem opt-out keeps the cell restricted', () => {
    const { shop } = basePlatform(testApp());
    new Worker(shop, 'cache', {
      image: 'ghcr.io/acme/cache:1.0.0',
      securityExceptions: [{ rule: PodSecurityRule.READ_ONLY_ROOT_FILESYSTEM, reason: 'writes its index next to the binary' }],
    });
    const objects = synth(shop.organization);
    const c = one(objects, 'Deployment', generateName(253, 'cache', 'development')).spec.template.spec.containers[0];
    expect(c.securityContext.readOnlyRootFilesystem).toBe(false);
    expect(c.securityContext.runAsNonRoot).toBe(true);
    expect(one(objects, 'Namespace', ns('shop', 'development')).metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
  });
});

describe('configuration and secrets', () => {
  test('plain env goes to a ConfigMap, overrides merge per environment', () => {
    const { shop, dev } = basePlatform(testApp());
    const api = new Service(shop, 'api', { image: 'ghcr.io/acme/api:1.0.0', env: { LOG_LEVEL: 'info', REGION: 'eu' } });
    api.configureEnvironment(dev, { env: { LOG_LEVEL: 'debug', FEATURE_X: 'on' } });
    const objects = synth(shop.organization);
    const devCm = one(objects, 'ConfigMap', generateName(253, 'api-development', 'env-configs'));
    expect(devCm.data).toEqual({ FEATURE_X: 'on', LOG_LEVEL: 'debug', REGION: 'eu' });
    const prodCm = one(objects, 'ConfigMap', generateName(253, 'api-production', 'env-configs'));
    expect(prodCm.data).toEqual({ LOG_LEVEL: 'info', REGION: 'eu' });
    const pod = one(objects, 'Deployment', generateName(253, 'api', 'development')).spec.template.spec;
    expect(pod.containers[0].envFrom).toEqual([{ configMapRef: { name: devCm.metadata.name } }]);
  });

  test('config changes roll the pods (resource hash annotation)', () => {
    const { shop, dev } = basePlatform(testApp());
    const api = new Service(shop, 'api', { image: 'ghcr.io/acme/api:1.0.0', env: { LOG_LEVEL: 'info' } });
    api.configureEnvironment(dev, { env: { LOG_LEVEL: 'debug' } });
    const objects = synth(shop.organization);
    const hash = (env: string) => one(objects, 'Deployment', generateName(253, 'api', env)).spec.template.metadata.annotations['openchoreo.dev/dp-resource-hash'];
    expect(hash('development')).toMatch(/^[0-9a-f]{16}$/);
    expect(hash('development')).not.toBe(hash('staging'));
  });

  test('secret env vars become one ExternalSecret with remote references only', () => {
    const { shop, dataPlane } = basePlatform(testApp());
    new Service(shop, 'api', {
      image: 'ghcr.io/acme/api:1.0.0',
      secretEnv: {
        DB_PASSWORD: SecretRef.fromStore('shop/db', { property: 'password' }),
        API_TOKEN: SecretRef.fromStore('shop/token', { version: '3' }),
      },
    });
    const objects = synth(shop.organization);
    const es = one(objects, 'ExternalSecret', o => o.metadata.namespace === ns('shop', 'staging'));
    expect(es.metadata.name).toMatch(/^api-staging-env-secrets-[0-9a-f]{8}-[0-9a-f]{8}$/);
    expect(es.spec).toEqual({
      refreshInterval: '1h',
      secretStoreRef: { name: dataPlane.secretStore, kind: 'ClusterSecretStore' },
      target: { name: es.metadata.name, creationPolicy: 'Owner' },
      data: [
        { secretKey: 'API_TOKEN', remoteRef: { key: 'shop/token', version: '3' } },
        { secretKey: 'DB_PASSWORD', remoteRef: { key: 'shop/db', property: 'password' } },
      ],
    });
    const pod = one(objects, 'Deployment', generateName(253, 'api', 'staging')).spec.template.spec;
    expect(pod.containers[0].envFrom).toEqual([{ secretRef: { name: es.metadata.name } }]);
    expect(objects.filter(o => o.kind === 'Secret')).toHaveLength(0);
  });

  test('files mount from a ConfigMap or an ExternalSecret, each at its own path', () => {
    const { shop } = basePlatform(testApp());
    new Service(shop, 'api', {
      image: 'ghcr.io/acme/api:1.0.0',
      files: [
        { mountPath: '/etc/app', fileName: 'config.yaml', content: 'port: 8080\n' },
        { mountPath: '/etc/tls/', fileName: 'tls.key', secret: SecretRef.fromStore('shop/tls', { property: 'key' }) },
      ],
    });
    const objects = synth(shop.organization);
    const cm = one(objects, 'ConfigMap', generateName(253, 'api-development', 'config', 'config-yaml'));
    expect(cm.data).toEqual({ 'config.yaml': 'port: 8080\n' });
    const es = one(objects, 'ExternalSecret', o => o.metadata.namespace === ns('shop', 'development'));
    expect(es.metadata.name).toMatch(/^api-development-secret-tls-key-[0-9a-f]{8}-[0-9a-f]{8}$/);
    expect(es.spec.data).toEqual([{ secretKey: 'tls.key', remoteRef: { key: 'shop/tls', property: 'key' } }]);
    const pod = one(objects, 'Deployment', generateName(253, 'api', 'development')).spec.template.spec;
    const mounts = pod.containers[0].volumeMounts;
    expect(mounts).toEqual(expect.arrayContaining([
      expect.objectContaining({ mountPath: '/etc/app/config.yaml', subPath: 'config.yaml', readOnly: true }),
      expect.objectContaining({ mountPath: '/etc/tls/tls.key', subPath: 'tls.key', readOnly: true }),
    ]));
    const byName = Object.fromEntries(pod.volumes.map((v: any) => [v.name, v]));
    const cfgMount = mounts.find((m: any) => m.subPath === 'config.yaml');
    const keyMount = mounts.find((m: any) => m.subPath === 'tls.key');
    expect(cfgMount.name).toMatch(/^file-mount-[0-9a-f]{8}$/);
    expect(byName[cfgMount.name].configMap).toEqual({ name: cm.metadata.name });
    expect(byName[keyMount.name].secret).toEqual({ secretName: es.metadata.name });
  });
});

describe('dependencies', () => {
  test('addresses are injected in OpenChoreo formats, across projects and to external services', () => {
    const { shop, org, pipeline } = basePlatform(testApp());
    const billing = new Project(org, 'billing', { pipeline });
    const invoices = new Service(billing, 'invoices', { image: 'ghcr.io/acme/invoices:1.0.0' });
    const invHttp = invoices.addEndpoint('http', { port: 8080, basePath: '/api/v1', visibility: [Visibility.ORGANIZATION] });
    const ledger = new Service(shop, 'ledger', { image: 'ghcr.io/acme/ledger:1.0.0' });
    const grpc = ledger.addEndpoint('grpc', { port: 9090, type: EndpointType.GRPC });
    const ws = ledger.addEndpoint('events', { port: 9091, type: EndpointType.WEBSOCKET });
    const mail = new ExternalService(org, 'mail-relay', { host: 'smtp.example.com', port: 587 });
    const api = new Service(shop, 'api', { image: 'ghcr.io/acme/api:1.0.0' });
    api.dependOn(invHttp);
    api.dependOn(grpc, { hostEnvVar: 'LEDGER_HOST', portEnvVar: 'LEDGER_PORT' });
    api.dependOnName({ component: 'ledger', endpoint: 'events' }, { addressEnvVar: 'EVENTS' });
    api.dependOnExternal(mail);
    expect(ws.name).toBe('events');
    const objects = synth(org);
    // (the OTEL_* variables of tracing are checked in observability.test.ts)
    const env = one(objects, 'Deployment', generateName(253, 'api', 'staging')).spec.template.spec.containers[0].env.filter((e: any) => !e.name.startsWith('OTEL_'));
    const shopNs = ns('shop', 'staging');
    expect(env).toEqual([
      { name: 'EVENTS', value: `ws://ledger.${shopNs}.svc.cluster.local:9091` },
      { name: 'INVOICES_HTTP_URL', value: `http://invoices.${ns('billing', 'staging')}.svc.cluster.local:8080/api/v1` },
      { name: 'LEDGER_GRPC_ADDRESS', value: `ledger.${shopNs}.svc.cluster.local:9090` },
      { name: 'LEDGER_HOST', value: `ledger.${shopNs}.svc.cluster.local` },
      { name: 'LEDGER_PORT', value: '9090' },
      { name: 'MAIL_RELAY_ADDRESS', value: 'smtp.example.com:587' },
    ]);
  });
});

describe('per-environment overrides and scaling', () => {
  test('image, replicas and resources per environment, with environment and organization defaults', () => {
    const app = testApp();
    const { shop, prod, staging } = basePlatform(app);
    const api = new Service(shop, 'api', { image: 'ghcr.io/acme/api:1.0.0', replicas: 2, resources: { cpuRequest: '200m' } });
    api.configureEnvironment(prod, { image: 'ghcr.io/acme/api@sha256:' + 'a'.repeat(64), replicas: 5, resources: { memoryLimit: '1Gi', memoryRequest: '512Mi' } });
    api.configureEnvironment(staging, { resources: { cpuRequest: '2' } });
    const objects = synth(shop.organization);
    const dep = (env: string) => one(objects, 'Deployment', generateName(253, 'api', env));
    expect(dep('production').spec.template.spec.containers[0].image).toBe('ghcr.io/acme/api@sha256:' + 'a'.repeat(64));
    expect(dep('development').spec.template.spec.containers[0].image).toBe('ghcr.io/acme/api:1.0.0');
    expect(dep('production').spec.replicas).toBe(5);
    expect(dep('development').spec.replicas).toBe(2);
    expect(dep('production').spec.template.spec.containers[0].resources).toEqual({
      requests: { cpu: '200m', memory: '512Mi' }, limits: { cpu: '200m', memory: '1Gi' },
    });
    // a request above the inherited limit raises the limit with it
    expect(dep('staging').spec.template.spec.containers[0].resources.limits.cpu).toBe('2');
  });

  test('autoscaling emits an HPA and leaves replicas to it; budgets emit PDBs', () => {
    const { shop, dev } = basePlatform(testApp());
    const api = new Service(shop, 'api', {
      image: 'ghcr.io/acme/api:1.0.0',
      autoscaling: { minReplicas: 2, maxReplicas: 10, memoryUtilization: 75 },
      disruptionBudget: DisruptionBudget.minAvailablePercent(50),
    });
    api.configureEnvironment(dev, { autoscaling: { maxReplicas: 2, minReplicas: 2 }, disruptionBudget: DisruptionBudget.maxUnavailable(1) });
    const objects = synth(shop.organization);
    const name = generateName(253, 'api', 'production');
    expect(one(objects, 'Deployment', name).spec.replicas).toBeUndefined();
    const hpa = one(objects, 'HorizontalPodAutoscaler', name);
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.spec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
      minReplicas: 2,
      maxReplicas: 10,
      metrics: [{ type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 75 } } }],
    });
    const devHpa = one(objects, 'HorizontalPodAutoscaler', generateName(253, 'api', 'development'));
    expect(devHpa.spec.metrics[0].resource).toEqual({ name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } });
    expect(one(objects, 'PodDisruptionBudget', name).spec).toEqual({ selector: { matchLabels: one(objects, 'Deployment', name).spec.selector.matchLabels }, minAvailable: '50%' });
    expect(one(objects, 'PodDisruptionBudget', generateName(253, 'api', 'development')).spec.maxUnavailable).toBe(1);
  });

  test('scheduled tasks render CronJobs with schedule, time zone and per-environment suspend', () => {
    const { shop, dev, staging } = basePlatform(testApp());
    const task = new ScheduledTask(shop, 'nightly-report-generation-task', {
      image: 'ghcr.io/acme/report:1.0.0', schedule: '0 3 * * 1-5', timeZone: 'Europe/Berlin', concurrencyPolicy: ConcurrencyPolicy.REPLACE,
    });
    task.configureEnvironment(dev, { suspend: true });
    task.configureEnvironment(staging, { schedule: '@hourly' });
    const objects = synth(shop.organization);
    const crons = objects.filter(o => o.kind === 'CronJob');
    expect(crons).toHaveLength(3);
    for (const c of crons) expect(c.metadata.name.length).toBeLessThanOrEqual(52);
    const devJob = one(objects, 'CronJob', generateName(52, 'nightly-report-generation-task', 'development'));
    expect(devJob.spec).toMatchObject({ schedule: '0 3 * * 1-5', timeZone: 'Europe/Berlin', suspend: true, concurrencyPolicy: 'Replace' });
    expect(devJob.spec.jobTemplate.spec).toMatchObject({ backoffLimit: 3, activeDeadlineSeconds: 300 });
    expect(devJob.spec.jobTemplate.spec.template.spec.restartPolicy).toBe('OnFailure');
    expect(one(objects, 'CronJob', generateName(52, 'nightly-report-generation-task', 'staging')).spec).toMatchObject({ schedule: '@hourly', suspend: false });
    expect(objects.filter(o => o.kind === 'Deployment' || o.kind === 'Service')).toHaveLength(0);
  });

  test('a scheduled task deadline is a whole-seconds Duration', () => {
    const { shop } = basePlatform(testApp());
    const task = new ScheduledTask(shop, 'hourly', { image: 'ghcr.io/acme/report:1.0.0', schedule: '@hourly', activeDeadline: Duration.minutes(2) });
    const job = one(synth(shop.organization), 'CronJob', generateName(52, 'hourly', 'development'));
    expect(task.activeDeadline.toSeconds()).toBe(120);
    expect(job.spec.jobTemplate.spec.activeDeadlineSeconds).toBe(120);
    const image = 'ghcr.io/acme/report:1.0.0';
    expect(() => new ScheduledTask(shop, 'a', { image, schedule: '@hourly', activeDeadlineSeconds: 300 } as any))
      .toThrow(/\[acme\/shop\/a\] activeDeadlineSeconds 300 is no longer supported \(it became activeDeadline, a cdk8s Duration\)\. Fix: use activeDeadline: Duration\.seconds\(300\)/);
    expect(() => new ScheduledTask(shop, 'b', { image, schedule: '@hourly', activeDeadline: '5m' as unknown as Duration }))
      .toThrow(/\[acme\/shop\/b\] activeDeadline "5m" is not a Duration .*Fix: use a Duration from 'cdk8s', e\.g\. activeDeadline: Duration\.seconds\(10\)/);
    expect(() => new ScheduledTask(shop, 'c', { image, schedule: '@hourly', activeDeadline: Duration.seconds(0) }))
      .toThrow(/activeDeadline 0s is not a whole number of seconds from 1s/);
    expect(() => new ScheduledTask(shop, 'd', { image, schedule: '@hourly', activeDeadline: Duration.millis(1500) }))
      .toThrow(/activeDeadline 1\.5s is not a whole number of seconds/);
  });

  test('a data plane secret refresh interval is a Duration', () => {
    const { org } = baseline(testApp());
    expect(() => new DataPlane(org, 'x', { secretRefreshInterval: '1h' as unknown as Duration }))
      .toThrow(/\[acme\/x\] secretRefreshInterval "1h" is not a Duration .*Duration\.hours\(1\)/);
    expect(() => new DataPlane(org, 'y', { secretRefreshInterval: Duration.seconds(0) })).toThrow(/secretRefreshInterval 0 seconds is not a positive whole number of milliseconds/);
  });

  test('service ports: one per endpoint sorted by name, UDP kept, targetPort honoured', () => {
    const { shop } = basePlatform(testApp());
    const dns = new Service(shop, 'dns', { image: 'ghcr.io/acme/dns:1.0.0' });
    dns.addEndpoint('udp', { port: 53, type: EndpointType.UDP });
    dns.addEndpoint('admin-http-interface', { port: 80, targetPort: 8080 });
    dns.addEndpoint('tcp', { port: 53, type: EndpointType.TCP });
    const objects = synth(shop.organization);
    const svc = one(objects, 'Service', o => o.metadata.namespace === ns('shop', 'development'));
    expect(svc.spec.ports).toEqual([
      { name: 'admin-http-inte', port: 80, targetPort: 8080, protocol: 'TCP' },
      { name: 'tcp', port: 53, targetPort: 53, protocol: 'TCP' },
      { name: 'udp', port: 53, targetPort: 53, protocol: 'UDP' },
    ]);
    const ports = one(objects, 'Deployment', generateName(253, 'dns', 'development')).spec.template.spec.containers[0].ports;
    expect(ports.map((p: any) => p.containerPort)).toEqual([8080, 53, 53]);
  });
});

describe('cdk8s integration', () => {
  test('Testing.synth(org) returns the same objects as org.toJson()', () => {
    const { shop } = basePlatform(Testing.app({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'oc-')) }));
    new Worker(shop, 'w', { image: 'ghcr.io/acme/w:1.0.0' });
    expect(Testing.synth(shop.organization)).toEqual(synth(shop.organization));
    // cell baseline policy, cell alerts, service account, deployment, component policy
    expect(inNamespace(Testing.synth(shop.organization), ns('shop', 'development'))).toHaveLength(5);
    expect(ofComponent(Testing.synth(shop.organization), 'w', 'production')).toHaveLength(3);
  });

  test('a plain cdk8s App writes the organization as one chart file', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'oc-'));
    try {
      const app = new App({ outdir });
      const { shop } = basePlatform(app);
      new Worker(shop, 'w', { image: 'ghcr.io/acme/w:1.0.0' });
      app.synth();
      expect(fs.readdirSync(outdir)).toEqual(['acme.k8s.yaml']);
      expect(fs.readFileSync(path.join(outdir, 'acme.k8s.yaml'), 'utf8')).toContain(`name: ${ns('shop', 'production')}`);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('PlatformApp writes one folder per cell, one file per component', () => {
    const app = testApp();
    const { shop } = basePlatform(app);
    new Worker(shop, 'w', { image: 'ghcr.io/acme/w:1.0.0' });
    new Service(shop, 'api', { image: 'ghcr.io/acme/api:1.0.0' });
    app.synth();
    const files = Object.keys(app.synthFiles()).filter(f => !f.endsWith('kustomization.yaml') && !f.endsWith('README.md') && !f.endsWith('platform.json'));
    expect(files).toEqual([
      'acme/eu/development/connectivity.md', 'acme/eu/development/policy.md',
      'acme/eu/development/shop/api.yaml', 'acme/eu/development/shop/connectivity.md', 'acme/eu/development/shop/namespace.yaml', 'acme/eu/development/shop/network-baseline.yaml',
      'acme/eu/development/shop/observability.yaml', 'acme/eu/development/shop/w.yaml',
      'acme/eu/platform/dashboards.yaml',
      'acme/eu/production/connectivity.md', 'acme/eu/production/policy.md',
      'acme/eu/production/shop/api.yaml', 'acme/eu/production/shop/connectivity.md', 'acme/eu/production/shop/namespace.yaml', 'acme/eu/production/shop/network-baseline.yaml',
      'acme/eu/production/shop/observability.yaml', 'acme/eu/production/shop/w.yaml',
      'acme/eu/staging/connectivity.md', 'acme/eu/staging/policy.md',
      'acme/eu/staging/shop/api.yaml', 'acme/eu/staging/shop/connectivity.md', 'acme/eu/staging/shop/namespace.yaml', 'acme/eu/staging/shop/network-baseline.yaml',
      'acme/eu/staging/shop/observability.yaml', 'acme/eu/staging/shop/w.yaml',
    ]);
    for (const f of files) expect(fs.existsSync(path.join(app.outdir, f))).toBe(true);
    expect(fs.readFileSync(path.join(app.outdir, 'acme/eu/staging/connectivity.md'), 'utf8')).toContain('# Connectivity: staging (data plane eu)');
  });
});
