import {
  DataPlane, DeploymentPipeline, Environment, NetworkPolicyProvider, Organization, PlatformApp, PostgresProps, Project, Resource,
  ResourceType, SecretRef, Service, Tracing,
} from '../src';
import { expectProblem } from './support/problems';
import { ExternalResourceProps } from '../src/model/resource-external';

const IMAGE = 'r.example/api:1.0.0';
const BACKUP = {
  destinationPath: 's3://acme-backups/payments',
  endpointUrl: 'https://s3.eu-west-1.amazonaws.com',
  accessKeyId: SecretRef.fromStore('prod/backups', { property: 'id' }),
  secretAccessKey: SecretRef.fromStore('prod/backups', { property: 'key' }),
};

/** acme / dp / dev → prod; projects payments and shop. */
function base(app: PlatformApp, provider?: NetworkPolicyProvider) {
  const org = new Organization(app, 'acme');
  const dataPlane = new DataPlane(org, 'dp', { networkPolicyProvider: provider, observability: { defaultTracing: Tracing.none() } });
  const dev = new Environment(org, 'dev', { dataPlane });
  const pipeline = new DeploymentPipeline(org, 'p', { promotionPaths: [{ source: dev, targets: [new Environment(org, 'prod', { dataPlane, isProduction: true })] }] });
  return { org, payments: new Project(org, 'payments', { pipeline }), shop: new Project(org, 'shop', { pipeline }) };
}
const postgres = (app: PlatformApp, props: PostgresProps, provider?: NetworkPolicyProvider) => {
  const { payments } = base(app, provider);
  const db = new Resource(payments, 'orders-db', { type: ResourceType.postgres(props) });
  new Service(payments, 'api', { image: IMAGE }).dependOnResource(db);
};
const external = (app: PlatformApp, props: ExternalResourceProps) => {
  const { payments } = base(app);
  new Service(payments, 'api', { image: IMAGE }).dependOnResource(new Resource(payments, 'cache', { type: ResourceType.external(props) }));
};
const DB = 'acme/payments/orders-db';

describe('managed resources: bad input names the construct, the value and the fix', () => {
  test('a component depends on a resource of another project', () => {
    expectProblem(app => {
      const { payments, shop } = base(app);
      const db = new Resource(payments, 'orders-db', { type: ResourceType.postgres() });
      new Service(shop, 'web', { image: IMAGE }).dependOnResource(db);
    }, { path: 'acme/shop/web', value: `resource '${DB}' of project 'payments'`, fix: /declare the resource in project 'shop'/, at: 'synth' });
  });

  test('a resource has the name of a component of its project', () => {
    expectProblem(app => {
      const { payments } = base(app);
      new Service(payments, 'orders', { image: IMAGE });
      new Resource(payments, 'orders-resource', { name: 'orders', type: ResourceType.postgres() });
    }, { path: 'acme/payments/orders-resource', value: "resource name 'orders' is also the name of component", fix: /'orders-db'/, at: 'synth' });
  });

  test('a resource name the output tree reserves', () => {
    expectProblem(app => {
      new Resource(base(app).payments, 'access', { type: ResourceType.postgres() });
    }, { path: 'acme/payments/access', value: "resource name 'access' is reserved", fix: /'access-1'/, at: 'synth' });
  });

  test('zero instances', () => {
    expectProblem(app => postgres(app, { instances: 0 }), { path: DB, value: 'postgres instances 0', fix: /between 1 and 9/, at: 'construction' });
  });

  test('too many instances in one environment', () => {
    expectProblem(app => postgres(app, { environments: { prod: { instances: 12 } } }),
      { path: DB, value: "environment 'prod': postgres instances 12", fix: /between 1 and 9/, at: 'construction' });
  });

  test('a storage size below 1Gi', () => {
    expectProblem(app => postgres(app, { storageSize: '500Mi' }), { path: DB, value: "storageSize '500Mi'", fix: /at least '1Gi'/, at: 'construction' });
  });

  test('a storage size that is no quantity', () => {
    expectProblem(app => postgres(app, { storageSize: 'ten gigs' }), { path: DB, value: "'ten gigs'", fix: /binary suffix/, at: 'construction' });
  });

  test('too little memory', () => {
    expectProblem(app => postgres(app, { memory: '64Mi' }), { path: DB, value: "memory '64Mi'", fix: /at least '256Mi'/, at: 'construction' });
  });

  test('an unknown PostgreSQL version', () => {
    expectProblem(app => postgres(app, { version: 'latest' }), { path: DB, value: "postgres version 'latest'", fix: /'17.6'/, at: 'construction' });
  });

  test('a reserved owner role', () => {
    expectProblem(app => postgres(app, { owner: 'postgres' }), { path: DB, value: "postgres owner 'postgres'", fix: /other than postgres/, at: 'construction' });
  });

  test('per-environment settings for an environment outside the pipeline', () => {
    expectProblem(app => postgres(app, { environments: { staging: { instances: 2 } } }),
      { path: DB, value: "configures environment 'staging'", fix: /use one of: dev, prod/, at: 'synth' });
  });

  test('a backup endpoint URL with credentials', () => {
    expectProblem(app => postgres(app, { backup: { ...BACKUP, endpointUrl: 'https://AKIDEXAMPLE:s3cr3t@s3.example.com' } }),
      { path: DB, value: 'postgres backup endpointUrl', fix: /secret store/, at: 'construction', notContaining: 's3cr3t' });
  });

  test('a backup schedule with five fields', () => {
    expectProblem(app => postgres(app, { backup: { ...BACKUP, schedule: '0 2 * * *' } }),
      { path: DB, value: "schedule '0 2 * * *'", fix: /'0 0 2 \* \* \*'/, at: 'construction' });
  });

  test('a backup destination that is no s3 path', () => {
    expectProblem(app => postgres(app, { backup: { ...BACKUP, destinationPath: 'acme-backups' } }),
      { path: DB, value: "destinationPath 'acme-backups'", fix: /s3:\/\/<bucket>/, at: 'construction' });
  });

  test('a backup retention without a unit', () => {
    expectProblem(app => postgres(app, { backup: { ...BACKUP, retention: '30' } }), { path: DB, value: "retention '30'", fix: /'30d'/, at: 'construction' });
  });

  test('the NetworkPolicy back-end without the API server ranges', () => {
    expectProblem(app => postgres(app, {}, NetworkPolicyProvider.KUBERNETES),
      { path: DB, value: "cannot select the API server, which the instance managers of resource 'orders-db' must reach (in 'dev')", fix: /kubernetesApiCidrs/, at: 'synth' });
  });

  test('the NetworkPolicy back-end with backups to a host name', () => {
    expectProblem(app => postgres(app, { kubernetesApiCidrs: ['10.0.0.10/32'], backup: BACKUP }, NetworkPolicyProvider.KUBERNETES),
      { path: DB, value: 'backs up to s3.eu-west-1.amazonaws.com by host name', fix: /backup.cidrs/, at: 'synth' });
  });

  test('an external host with credentials in it', () => {
    expectProblem(app => external(app, { host: 'admin:hunter22@cache.example.com', port: 6379 }),
      { path: 'acme/payments/cache', value: "'***@cache.example.com'", fix: /secret store/, at: 'construction', notContaining: 'hunter22' });
  });

  test('an external host given as a URL', () => {
    expectProblem(app => external(app, { host: 'redis://cache.example.com', port: 6379 }),
      { path: 'acme/payments/cache', value: "'redis://cache.example.com' is a URL", fix: /host name only/, at: 'construction' });
  });

  test('an external host given as an IP address', () => {
    expectProblem(app => external(app, { host: '10.1.2.3', port: 6379 }),
      { path: 'acme/payments/cache', value: "'10.1.2.3' is an IP address", fix: /cidrs: \['10.1.2.3\/32'\]/, at: 'construction' });
  });

  test('an external resource without a host in an environment', () => {
    expectProblem(app => external(app, { port: 6379, environments: { dev: { host: 'cache.dev.example.com' } } }),
      { path: 'acme/payments/cache', value: "no host in environment 'prod'", fix: /environments: \{ 'prod'/, at: 'synth' });
  });

  test('an external port out of range in one environment', () => {
    expectProblem(app => external(app, { host: 'cache.example.com', port: 6379, environments: { prod: { port: 70000 } } }),
      { path: 'acme/payments/cache', value: "environment 'prod': external resource port 70000", fix: /between 1 and 65535/, at: 'construction' });
  });

  test('a variable prefix that is no variable name', () => {
    expectProblem(app => {
      const { payments } = base(app);
      new Service(payments, 'api', { image: IMAGE }).dependOnResource(new Resource(payments, 'orders-db', { type: ResourceType.postgres() }), { envPrefix: 'orders-db' });
    }, { path: 'acme/payments/api', value: "'orders-db'", fix: /letters, digits and underscores/, at: 'construction' });
  });

  test('the same resource twice', () => {
    expectProblem(app => {
      const { payments } = base(app);
      const db = new Resource(payments, 'orders-db', { type: ResourceType.postgres() });
      const api = new Service(payments, 'api', { image: IMAGE });
      api.dependOnResource(db);
      api.dependOnResource(db, { envPrefix: 'DB' });
    }, { path: 'acme/payments/api', value: "resource 'orders-db' twice", fix: /once/, at: 'construction' });
  });

  test('a resource variable that clashes with the component\'s own env', () => {
    expectProblem(app => {
      const { payments } = base(app);
      const db = new Resource(payments, 'orders-db', { type: ResourceType.postgres() });
      new Service(payments, 'api', { image: IMAGE, env: { ORDERS_DB_HOST: 'localhost' } }).dependOnResource(db);
    }, { path: 'acme/payments/api', value: "'ORDERS_DB_HOST' is injected by a dependency and also set in env", fix: /remove it from env/, at: 'synth' });
  });

  test('two resources inject the same variables', () => {
    expectProblem(app => {
      const { payments } = base(app);
      const a = new Resource(payments, 'orders-db', { type: ResourceType.postgres() });
      const b = new Resource(payments, 'ledger-db', { type: ResourceType.postgres() });
      const api = new Service(payments, 'api', { image: IMAGE });
      api.dependOnResource(a, { envPrefix: 'DB' });
      api.dependOnResource(b, { envPrefix: 'DB' });
    }, { path: 'acme/payments/api', value: "inject environment variable 'DB_DATABASE' in 'dev'", fix: /another envPrefix/, at: 'synth' });
  });

  test('a platform-defined type that returns a connection URL with credentials as its host', () => {
    expectProblem(app => {
      const { payments } = base(app);
      const leaky = { typeName: 'rds', connect: () => ({ host: 'admin:hunter22@orders.rds.example.com', port: 5432 }) };
      new Service(payments, 'api', { image: IMAGE }).dependOnResource(new Resource(payments, 'orders-db', { type: leaky }));
    }, { path: DB, value: "host '***@orders.rds.example.com' in environment 'dev'", fix: /host name only from connect\(\)/, at: 'synth', notContaining: 'hunter22' });
  });

  test('a platform-defined type whose connect() throws', () => {
    expectProblem(app => {
      const { payments } = base(app);
      const broken = { typeName: 'rds', connect: (): any => { throw new Error('no such environment'); } };
      new Resource(payments, 'orders-db', { type: broken });
    }, { path: DB, value: "resource type 'rds' failed to connect resource 'orders-db' in 'dev': no such environment", fix: /connect\(\) implementation/, at: 'synth' });
  });

  test('a resource without a type', () => {
    expectProblem(app => {
      new Resource(base(app).payments, 'orders-db', {} as any);
    }, { path: DB, value: 'resource type', fix: /ResourceType.postgres/, at: 'construction' });
  });
});
