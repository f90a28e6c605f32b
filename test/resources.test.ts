import { App } from 'cdk8s';
import {
  DataPlane, DeploymentPipeline, EndpointType, Environment, NetworkPolicyProvider, Organization, PoolMode, PostgresProps, Project, Resource,
  ResourceType, SecretRef, Service, Tracing, Worker,
} from '../src';
import { evaluateConnectivity } from '../src/report/connectivity';
import { generateName } from '../src/resolve/naming';
import { synthesizeOrganization } from '../src/synth';
import { one, synth, testApp } from './support/synth';

const ns = (env: string, project = 'payments') => generateName(63, 'dp', 'acme', project, env);
const clusterName = (env: string, resource = 'orders-db') => generateName(50, resource, env);
const BACKUP = {
  destinationPath: 's3://acme-backups/payments',
  endpointUrl: 'https://s3.eu-west-1.amazonaws.com',
  accessKeyId: SecretRef.fromStore('prod/backups', { property: 'access-key-id' }),
  secretAccessKey: SecretRef.fromStore('prod/backups', { property: 'secret-access-key' }),
};

interface Options {
  readonly provider?: NetworkPolicyProvider;
  readonly postgres?: PostgresProps;
  readonly app?: App;
}

/** acme / dp / dev → prod (production); project payments: api (consumes orders-db) and worker (does not). */
export function platform(o: Options = {}) {
  const org = new Organization(o.app ?? testApp(), 'acme');
  const dataPlane = new DataPlane(org, 'dp', { networkPolicyProvider: o.provider, observability: { defaultTracing: Tracing.none() } });
  const dev = new Environment(org, 'dev', { dataPlane });
  const prod = new Environment(org, 'prod', { dataPlane, isProduction: true });
  const pipeline = new DeploymentPipeline(org, 'p', { promotionPaths: [{ source: dev, targets: [prod] }] });
  const payments = new Project(org, 'payments', { pipeline });
  const db = new Resource(payments, 'orders-db', { type: ResourceType.postgres(o.postgres ?? {}) });
  const api = new Service(payments, 'api', { image: 'r.example/api:1.0.0' });
  api.addEndpoint('http', { port: 8080, type: EndpointType.HTTP });
  api.dependOnResource(db);
  const worker = new Worker(payments, 'worker', { image: 'r.example/worker:1.0.0' });
  return { org, dataPlane, dev, prod, payments, db, api, worker };
}

const kindsIn = (objects: any[], env: string) => {
  const counts: Record<string, number> = {};
  for (const o of objects.filter(x => x.metadata.labels?.['openchoreo.dev/resource'] === 'orders-db' && x.metadata.namespace === ns(env))) {
    counts[o.kind] = (counts[o.kind] ?? 0) + 1;
  }
  return counts;
};
const deployment = (objects: any[], env: string, component = 'api') =>
  one(objects, 'Deployment', o => o.metadata.namespace === ns(env) && o.metadata.labels['openchoreo.dev/component'] === component);
const rows = (org: Organization, env: string) => synthesizeOrganization(org).connectivity.find(e => e.environment === env)!.flows
  .filter(f => f.to !== 'dns').map(f => `${f.from} -> ${f.to}:${f.port}/${f.protocol}`);

describe('Postgres on CloudNativePG', () => {
  test('per environment: a Cluster sized for it, backups only where declared, every object schema-valid', () => {
    const { org } = platform({ postgres: { backup: BACKUP } });
    const objects = synth(org); // validates every object (CNPG CRD schemas, unknown fields rejected)
    expect(kindsIn(objects, 'dev')).toEqual({ Cluster: 1, CiliumNetworkPolicy: 1 });
    expect(kindsIn(objects, 'prod')).toEqual({ Cluster: 1, CiliumNetworkPolicy: 1, ExternalSecret: 1, ScheduledBackup: 1 });
    const dev = one(objects, 'Cluster', clusterName('dev'));
    const prod = one(objects, 'Cluster', clusterName('prod'));
    expect([dev.spec.instances, prod.spec.instances]).toEqual([1, 3]);
    expect(dev.spec.backup).toBeUndefined();
    expect(prod.spec).toMatchObject({
      imageName: 'ghcr.io/cloudnative-pg/postgresql:17.6',
      bootstrap: { initdb: { database: 'orders_db', owner: 'app' } },
      enableSuperuserAccess: false,
      storage: { size: '10Gi' },
      resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '500m', memory: '1Gi' } },
      affinity: { enablePodAntiAffinity: true, podAntiAffinityType: 'required', topologyKey: 'kubernetes.io/hostname' },
      postgresql: { pg_hba: ['hostnossl all all 0.0.0.0/0 reject', 'hostnossl all all ::/0 reject'] },
      backup: {
        barmanObjectStore: {
          destinationPath: 's3://acme-backups/payments',
          endpointURL: 'https://s3.eu-west-1.amazonaws.com',
          s3Credentials: { accessKeyId: { key: 'ACCESS_KEY_ID' }, secretAccessKey: { key: 'ACCESS_SECRET_KEY' } },
        },
        retentionPolicy: '30d',
      },
    });
    expect(dev.spec.affinity.podAntiAffinityType).toBe('preferred');
    expect([dev.spec.enablePDB, prod.spec.enablePDB]).toEqual([false, true]);
    const sb = one(objects, 'ScheduledBackup', o => o.metadata.namespace === ns('prod'));
    expect(sb.spec).toEqual({ schedule: '0 0 2 * * *', cluster: { name: clusterName('prod') }, method: 'barmanObjectStore', backupOwnerReference: 'self', immediate: true });
    const creds = one(objects, 'ExternalSecret', o => o.metadata.name === prod.spec.backup.barmanObjectStore.s3Credentials.accessKeyId.name);
    expect(creds.spec.data.map((d: any) => [d.secretKey, d.remoteRef.key, d.remoteRef.property])).toEqual([
      ['ACCESS_KEY_ID', 'prod/backups', 'access-key-id'], ['ACCESS_SECRET_KEY', 'prod/backups', 'secret-access-key'],
    ]);
    expect(prod.metadata.labels).toMatchObject({ 'openchoreo.dev/project': 'payments', 'openchoreo.dev/resource': 'orders-db', 'openchoreo.dev/environment': 'prod' });
    expect(prod.spec.inheritedMetadata.labels['openchoreo.dev/resource']).toBe('orders-db');
  });

  test('per-environment sizes, storage class and version override the defaults; backups follow backup.environments', () => {
    const { org } = platform({
      postgres: {
        version: '16.4',
        storageClass: 'fast-ssd',
        cpu: '1',
        memory: '2Gi',
        requireTls: false,
        environments: { dev: { instances: 2, storageSize: '5Gi' }, prod: { memory: '8Gi' } },
        backup: { ...BACKUP, environments: ['dev'], schedule: '0 30 1 * * 0', retention: '4w' },
      },
    });
    const objects = synth(org);
    const dev = one(objects, 'Cluster', clusterName('dev'));
    const prod = one(objects, 'Cluster', clusterName('prod'));
    expect(dev.spec).toMatchObject({ instances: 2, imageName: 'ghcr.io/cloudnative-pg/postgresql:16.4', storage: { size: '5Gi', storageClass: 'fast-ssd' } });
    expect(prod.spec.resources.limits).toEqual({ cpu: '1', memory: '8Gi' });
    expect(dev.spec.postgresql).toBeUndefined();
    expect(prod.spec.backup).toBeUndefined();
    expect(one(objects, 'ScheduledBackup', o => o.metadata.namespace === ns('dev')).spec.schedule).toBe('0 30 1 * * 0');
    expect(dev.spec.backup.retentionPolicy).toBe('4w');
  });

  test('the consumer gets host, port, database, and user and password as Secret key references, never values', () => {
    const { org } = platform();
    const objects = synth(org);
    const env = deployment(objects, 'prod').spec.template.spec.containers[0].env;
    const cluster = clusterName('prod');
    expect(env.filter((v: any) => v.name.startsWith('ORDERS_DB_'))).toEqual([
      { name: 'ORDERS_DB_DATABASE', value: 'orders_db' },
      { name: 'ORDERS_DB_HOST', value: `${cluster}-rw.${ns('prod')}.svc.cluster.local` },
      { name: 'ORDERS_DB_PASSWORD', valueFrom: { secretKeyRef: { name: `${cluster}-app`, key: 'password' } } },
      { name: 'ORDERS_DB_PORT', value: '5432' },
      { name: 'ORDERS_DB_USER', valueFrom: { secretKeyRef: { name: `${cluster}-app`, key: 'username' } } },
    ]);
    expect(deployment(objects, 'prod', 'worker').spec.template.spec.containers[0].env ?? []).toEqual([]);
  });

  test("the environment's README lists the resource, where consumers connect and who they are", () => {
    const { org } = platform({ postgres: { backup: BACKUP } });
    const readme = synthesizeOrganization(org).documents.find(d => d.file === 'dp/prod/README.md')!.content;
    expect(readme).toContain('## Managed resources');
    expect(readme).toContain(`| payments | orders-db | postgres (CloudNativePG, 3 instances, 10Gi each, backed up) | \`${clusterName('prod')}-rw.${ns('prod')}.svc.cluster.local:5432\` | api |`);
  });

  test('the variable prefix is configurable', () => {
    const app = testApp();
    const { payments, db } = platform({ app });
    const other = new Service(payments, 'reports', { image: 'r.example/reports:1.0.0' });
    other.dependOnResource(db, { envPrefix: 'DB' });
    const objects = synth(payments.organization);
    const names = deployment(objects, 'dev', 'reports').spec.template.spec.containers[0].env.map((v: any) => v.name);
    expect(names).toEqual(['DB_DATABASE', 'DB_HOST', 'DB_PASSWORD', 'DB_PORT', 'DB_USER']);
  });

  test('Cilium: the database pods admit only the consumers, the operator and their own instances; egress to themselves and the API server', () => {
    const { org } = platform();
    const objects = synth(org);
    const cluster = clusterName('prod');
    const cnp = one(objects, 'CiliumNetworkPolicy', o => o.metadata.namespace === ns('prod') && o.metadata.name === 'openchoreo-resource-orders-db');
    const nsKey = 'k8s:io.kubernetes.pod.namespace';
    const p = (...ports: number[]) => [{ ports: ports.map(port => ({ port: String(port), protocol: 'TCP' })) }];
    expect(cnp.spec).toEqual({
      endpointSelector: { matchLabels: { 'cnpg.io/cluster': cluster }, matchExpressions: [{ key: 'cnpg.io/podRole', operator: 'NotIn', values: ['pooler'] }] },
      enableDefaultDeny: { ingress: true, egress: true },
      ingress: [
        { fromEndpoints: [{ matchLabels: { [nsKey]: ns('prod'), 'openchoreo.dev/component': 'api' } }], toPorts: p(5432) },
        { fromEndpoints: [{ matchLabels: { [nsKey]: 'cnpg-system', 'app.kubernetes.io/name': 'cloudnative-pg' } }], toPorts: p(5432, 8000) },
        { fromEndpoints: [{ matchLabels: { [nsKey]: ns('prod'), 'cnpg.io/cluster': cluster } }], toPorts: p(5432, 8000) },
      ],
      egress: [
        { toEndpoints: [{ matchLabels: { [nsKey]: ns('prod'), 'cnpg.io/cluster': cluster, 'cnpg.io/podRole': 'instance' } }], toPorts: p(5432, 8000) },
        { toEntities: ['kube-apiserver'], toPorts: p(443, 6443) },
      ],
    });
    const api = one(objects, 'CiliumNetworkPolicy', o => o.metadata.namespace === ns('prod') && o.metadata.name === 'openchoreo-api');
    expect(api.spec.egress).toEqual([
      { toEndpoints: [{ matchLabels: { [nsKey]: ns('prod'), 'cnpg.io/cluster': cluster, 'cnpg.io/podRole': 'instance' } }], toPorts: p(5432) },
    ]);
  });

  test('backups open egress to the object store by name (Cilium)', () => {
    const { org } = platform({ postgres: { backup: BACKUP, operatorNamespace: 'postgres-operator' } });
    const objects = synth(org);
    const cnp = one(objects, 'CiliumNetworkPolicy', o => o.metadata.namespace === ns('prod') && o.metadata.name === 'openchoreo-resource-orders-db');
    expect(cnp.spec.egress[2]).toEqual({ toFQDNs: [{ matchName: 's3.eu-west-1.amazonaws.com' }], toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }] });
    expect(cnp.spec.ingress[1].fromEndpoints[0].matchLabels['k8s:io.kubernetes.pod.namespace']).toBe('postgres-operator');
    const devCnp = one(objects, 'CiliumNetworkPolicy', o => o.metadata.namespace === ns('dev') && o.metadata.name === 'openchoreo-resource-orders-db');
    expect(devCnp.spec.egress).toHaveLength(2);
  });

  test('connectivity report: consumer → database allowed, other components denied, operator on 5432 and 8000', () => {
    const { org } = platform({ postgres: { backup: BACKUP } });
    const prod = rows(org, 'prod');
    expect(prod.filter(r => r.includes('orders-db'))).toEqual([
      'operator:cnpg-system -> payments/orders-db:5432/TCP',
      'operator:cnpg-system -> payments/orders-db:8000/TCP',
      'payments/api -> payments/orders-db:5432/TCP',
    ]);
    expect(prod.some(r => r.startsWith('payments/worker -> payments/orders-db'))).toBe(false);
    // the database resolves names, reaches nothing else that is modelled (API server and object store are not pods or probed targets)
    const flows = synthesizeOrganization(org).connectivity.find(e => e.environment === 'prod')!.flows;
    expect(flows.filter(f => f.from === 'payments/orders-db').map(f => f.to)).toEqual(['dns', 'dns']);
  });

  test('a pooler: consumers reach the pooler only, the pooler reaches the instances', () => {
    const { org } = platform({ postgres: { pooler: { poolMode: PoolMode.TRANSACTION } } });
    const objects = synth(org);
    expect(kindsIn(objects, 'prod')).toEqual({ Cluster: 1, CiliumNetworkPolicy: 2, Pooler: 1 });
    const pooler = one(objects, 'Pooler', o => o.metadata.namespace === ns('prod'));
    expect(pooler.metadata.name).toBe(`${clusterName('prod')}-pooler`);
    expect(pooler.spec).toEqual({ cluster: { name: clusterName('prod') }, instances: 2, type: 'rw', pgbouncer: { poolMode: 'transaction' } });
    expect(one(objects, 'Pooler', o => o.metadata.namespace === ns('dev')).spec.instances).toBe(1);
    const host = deployment(objects, 'prod').spec.template.spec.containers[0].env.find((v: any) => v.name === 'ORDERS_DB_HOST').value;
    expect(host).toBe(`${clusterName('prod')}-pooler.${ns('prod')}.svc.cluster.local`);
    expect(rows(org, 'prod').filter(r => r.includes('orders-db'))).toEqual([
      'operator:cnpg-system -> payments/orders-db:5432/TCP',
      'operator:cnpg-system -> payments/orders-db:8000/TCP',
      'payments/api -> payments/orders-db:pooler:5432/TCP',
      'payments/orders-db:pooler -> payments/orders-db:5432/TCP',
    ]);
  });

  test('NetworkPolicy back-end: the same flows, the API server and the object store by their address ranges', () => {
    const { org } = platform({
      provider: NetworkPolicyProvider.KUBERNETES,
      postgres: { kubernetesApiCidrs: ['10.0.0.10/32'], backup: { ...BACKUP, cidrs: ['52.95.150.0/24'] } },
    });
    const objects = synth(org);
    const np = one(objects, 'NetworkPolicy', o => o.metadata.namespace === ns('prod') && o.metadata.name === 'openchoreo-resource-orders-db');
    expect(np.spec.podSelector).toEqual({ matchLabels: { 'cnpg.io/cluster': clusterName('prod') }, matchExpressions: [{ key: 'cnpg.io/podRole', operator: 'NotIn', values: ['pooler'] }] });
    expect(np.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(np.spec.ingress[0]).toEqual({
      from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns('prod') } }, podSelector: { matchLabels: { 'openchoreo.dev/component': 'api' } } }],
      ports: [{ protocol: 'TCP', port: 5432 }],
    });
    expect(np.spec.egress.slice(1)).toEqual([
      { to: [{ ipBlock: { cidr: '10.0.0.10/32' } }], ports: [{ protocol: 'TCP', port: 443 }, { protocol: 'TCP', port: 6443 }] },
      { to: [{ ipBlock: { cidr: '52.95.150.0/24' } }], ports: [{ protocol: 'TCP', port: 443 }] },
    ]);
    expect(rows(org, 'prod').filter(r => r.includes('orders-db'))).toEqual([
      'operator:cnpg-system -> payments/orders-db:5432/TCP',
      'operator:cnpg-system -> payments/orders-db:8000/TCP',
      'payments/api -> payments/orders-db:5432/TCP',
    ]);
  });

  test('a resource with no consumer in an environment still runs there, reachable by the operator only', () => {
    const org = new Organization(testApp(), 'acme');
    const dataPlane = new DataPlane(org, 'dp', { observability: { defaultTracing: Tracing.none() } });
    const dev = new Environment(org, 'dev', { dataPlane });
    const pipeline = new DeploymentPipeline(org, 'p', { promotionPaths: [{ source: dev, targets: [new Environment(org, 'prod', { dataPlane })] }] });
    const payments = new Project(org, 'payments', { pipeline });
    new Resource(payments, 'orders-db', { type: ResourceType.postgres() });
    const objects = synth(org);
    expect(objects.filter(o => o.kind === 'Cluster')).toHaveLength(2);
    const cnp = one(objects, 'CiliumNetworkPolicy', o => o.metadata.namespace === ns('dev') && o.metadata.name === 'openchoreo-resource-orders-db');
    expect(cnp.spec.ingress).toHaveLength(2); // operator and own instances
    expect(rows(org, 'dev')).toEqual(['operator:cnpg-system -> payments/orders-db:5432/TCP', 'operator:cnpg-system -> payments/orders-db:8000/TCP']);
  });

  test('output is deterministic: the same declarations in another order give the same objects', () => {
    const a = platform();
    const first = JSON.stringify(synth(a.org));
    const org = new Organization(testApp(), 'acme');
    const dataPlane = new DataPlane(org, 'dp', { observability: { defaultTracing: Tracing.none() } });
    const dev = new Environment(org, 'dev', { dataPlane });
    const prod = new Environment(org, 'prod', { dataPlane, isProduction: true });
    const pipeline = new DeploymentPipeline(org, 'p', { promotionPaths: [{ source: dev, targets: [prod] }] });
    const payments = new Project(org, 'payments', { pipeline });
    new Worker(payments, 'worker', { image: 'r.example/worker:1.0.0' });
    const api = new Service(payments, 'api', { image: 'r.example/api:1.0.0' });
    api.addEndpoint('http', { port: 8080, type: EndpointType.HTTP });
    api.dependOnResource(new Resource(payments, 'orders-db', { type: ResourceType.postgres() }));
    expect(JSON.stringify(synth(org))).toBe(first);
    expect(JSON.stringify(synth(a.org))).toBe(first);
  });
});

describe('external resources', () => {
  function external(provider?: NetworkPolicyProvider) {
    const org = new Organization(testApp(), 'acme');
    const dataPlane = new DataPlane(org, 'dp', { networkPolicyProvider: provider, observability: { defaultTracing: Tracing.none() } });
    const dev = new Environment(org, 'dev', { dataPlane });
    const prod = new Environment(org, 'prod', { dataPlane, isProduction: true });
    const pipeline = new DeploymentPipeline(org, 'p', { promotionPaths: [{ source: dev, targets: [prod] }] });
    const payments = new Project(org, 'payments', { pipeline });
    const cache = new Resource(payments, 'cache', {
      type: ResourceType.external({
        port: 6379,
        passwordSecret: SecretRef.fromStore('dev/cache', { property: 'password' }),
        environments: {
          dev: { host: 'cache.dev.example.com', ...(provider === NetworkPolicyProvider.KUBERNETES ? { cidrs: ['10.40.0.0/24'] } : {}) },
          prod: { host: 'cache.prod.example.com', port: 6380, passwordSecret: SecretRef.fromStore('prod/cache', { property: 'password' }), cidrs: ['10.50.0.0/24'] },
        },
      }),
    });
    const api = new Service(payments, 'api', { image: 'r.example/api:1.0.0' });
    api.dependOnResource(cache);
    new Worker(payments, 'worker', { image: 'r.example/worker:1.0.0' });
    return { org };
  }

  test('host and port per environment, the password from the secret store through an ExternalSecret', () => {
    const { org } = external();
    const objects = synth(org);
    const env = (e: string) => deployment(objects, e).spec.template.spec.containers[0].env;
    const secretName = generateName(253, clusterName('prod', 'cache'), 'credentials');
    expect(env('prod')).toEqual([
      { name: 'CACHE_HOST', value: 'cache.prod.example.com' },
      { name: 'CACHE_PASSWORD', valueFrom: { secretKeyRef: { name: secretName, key: 'password' } } },
      { name: 'CACHE_PORT', value: '6380' },
    ]);
    expect(env('dev').find((v: any) => v.name === 'CACHE_PORT').value).toBe('6379');
    const es = one(objects, 'ExternalSecret', secretName);
    expect(es.spec.data).toEqual([{ secretKey: 'password', remoteRef: { key: 'prod/cache', property: 'password' } }]);
    expect(objects.filter(o => o.metadata.labels?.['openchoreo.dev/resource'] === 'cache').map(o => o.kind)).toEqual(['ExternalSecret', 'ExternalSecret']);
  });

  test('egress to the host by name (dev) or by address range (prod), shown in the connectivity report', () => {
    const { org } = external();
    const objects = synth(org);
    const egress = (e: string) => one(objects, 'CiliumNetworkPolicy', o => o.metadata.namespace === ns(e) && o.metadata.name === 'openchoreo-api').spec.egress;
    expect(egress('dev')).toEqual([{ toFQDNs: [{ matchName: 'cache.dev.example.com' }], toPorts: [{ ports: [{ port: '6379', protocol: 'TCP' }] }] }]);
    expect(egress('prod')).toEqual([{ toCIDRSet: [{ cidr: '10.50.0.0/24' }], toPorts: [{ ports: [{ port: '6380', protocol: 'TCP' }] }] }]);
    expect(rows(org, 'prod')).toEqual(['payments/api -> external:payments/cache:6380/TCP']);
    expect(rows(org, 'dev')).toEqual(['payments/api -> external:payments/cache:6379/TCP']);
  });

  test('NetworkPolicy back-end: egress by address range', () => {
    const { org } = external(NetworkPolicyProvider.KUBERNETES);
    const objects = synth(org);
    const np = one(objects, 'NetworkPolicy', o => o.metadata.namespace === ns('dev') && o.metadata.name === 'openchoreo-api');
    expect(np.spec.egress).toEqual([{ to: [{ ipBlock: { cidr: '10.40.0.0/24' } }], ports: [{ protocol: 'TCP', port: 6379 }] }]);
    expect(rows(org, 'dev')).toEqual(['payments/api -> external:payments/cache:6379/TCP']);
  });

  test('a platform-defined resource type (IResourceType) computes its outputs per environment', () => {
    const org = new Organization(testApp(), 'acme');
    const dataPlane = new DataPlane(org, 'dp', { observability: { defaultTracing: Tracing.none() } });
    const dev = new Environment(org, 'dev', { dataPlane });
    const pipeline = new DeploymentPipeline(org, 'p', { promotionPaths: [{ source: dev, targets: [new Environment(org, 'prod', { dataPlane })] }] });
    const payments = new Project(org, 'payments', { pipeline });
    const rds = {
      typeName: 'rds',
      connect: (c: { resourceName: string; environment: string }) => ({
        host: `${c.resourceName}.${c.environment}.rds.example.com`,
        port: 5432,
        database: 'app',
        user: 'svc',
        passwordSecret: SecretRef.fromStore(`${c.environment}/${c.resourceName}`),
      }),
    };
    const api = new Service(payments, 'api', { image: 'r.example/api:1.0.0' });
    api.dependOnResource(new Resource(payments, 'ledger-db', { type: rds }));
    const objects = synth(org);
    const env = one(objects, 'Deployment', o => o.metadata.namespace === ns('dev')).spec.template.spec.containers[0].env;
    expect(env.map((v: any) => [v.name, v.value ?? v.valueFrom.secretKeyRef.key])).toEqual([
      ['LEDGER_DB_DATABASE', 'app'], ['LEDGER_DB_HOST', 'ledger-db.dev.rds.example.com'], ['LEDGER_DB_PASSWORD', 'password'],
      ['LEDGER_DB_PORT', '5432'], ['LEDGER_DB_USER', 'svc'],
    ]);
    expect(rows(org, 'dev')).toEqual(['payments/api -> external:payments/ledger-db:5432/TCP']);
  });
});

describe('quotas and capacity count the database', () => {
  test('a production quota holds the instances (plus one operator job pod), their volumes and the pooler pods', () => {
    const org = new Organization(testApp(), 'acme');
    const dataPlane = new DataPlane(org, 'dp', { observability: { defaultTracing: Tracing.none() } });
    const dev = new Environment(org, 'dev', { dataPlane });
    const prod = new Environment(org, 'prod', { dataPlane, isProduction: true, quotaHeadroom: 1 });
    const pipeline = new DeploymentPipeline(org, 'p', { promotionPaths: [{ source: dev, targets: [prod] }] });
    const payments = new Project(org, 'payments', { pipeline });
    new Resource(payments, 'orders-db', { type: ResourceType.postgres({ cpu: '1', memory: '2Gi', storageSize: '50Gi', pooler: {} }) });
    const objects = synth(org);
    const quota = one(objects, 'ResourceQuota', o => o.metadata.namespace === ns('prod'));
    // 3 instances + 1 job pod at 1 CPU / 2Gi, 4 claims of 50Gi; 2 pooler pods + 1 surge at the LimitRange defaults
    const limitRange = one(objects, 'LimitRange', o => o.metadata.namespace === ns('prod'));
    const poolerCpu = limitRange.spec.limits[0].defaultRequest.cpu;
    expect(quota.spec.hard).toMatchObject({ 'pods': '7', 'persistentvolumeclaims': '4', 'requests.storage': '200Gi' });
    expect(quota.spec.hard['requests.cpu']).toBe(`${4000 + 3 * parseInt(poolerCpu, 10)}m`);
  });
});

describe('connectivity evaluator: the API server entity', () => {
  const pod = (name: string, labels: Record<string, string>) => ({ id: `a/${name}`, namespace: 'a', labels, ports: [{ port: 5432, protocol: 'TCP' as const }] });
  const policy = (egress: any[]) => ({
    apiVersion: 'cilium.io/v2',
    kind: 'CiliumNetworkPolicy',
    metadata: { name: 'db', namespace: 'a' },
    spec: { endpointSelector: { matchLabels: { app: 'db' } }, enableDefaultDeny: { egress: true }, egress },
  });
  const extraPods = [pod('db', { app: 'db' }), pod('web', { app: 'web' })];
  const externals = [{ id: 'ext/any', ip: '10.0.0.10', port: 443, protocol: 'TCP' as const }];

  test('egress to the kube-apiserver entity is accepted and reaches no modelled pod or external target', () => {
    const flows = evaluateConnectivity({ manifests: [policy([{ toEntities: ['kube-apiserver'], toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }] }])], extraPods, externals });
    expect(flows.filter(f => f.from === 'a/db')).toEqual([]);
    // without the rule the same pod is just as closed; web, selected by nothing, still reaches everything
    expect(flows.filter(f => f.from === 'a/web').map(f => f.to)).toEqual(['a/db', 'ext/any']);
  });

  test('other entities, and the API server entity on ingress, are still refused', () => {
    expect(() => evaluateConnectivity({ manifests: [policy([{ toEntities: ['world'] }])], extraPods })).toThrow('spec.egress[0].toEntities is not supported');
    expect(() => evaluateConnectivity({ manifests: [policy([{ toEntities: ['kube-apiserver', 'world'] }])], extraPods })).toThrow('toEntities is not supported');
    const ingress = { ...policy([]), spec: { endpointSelector: {}, ingress: [{ fromEntities: ['kube-apiserver'] }] } };
    expect(() => evaluateConnectivity({ manifests: [ingress], extraPods })).toThrow('spec.ingress[0].fromEntities is not supported');
  });
});
