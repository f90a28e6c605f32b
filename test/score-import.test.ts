import * as fs from 'fs';
import * as path from 'path';
import Ajv2020 from 'ajv/dist/2020';
import { parse } from 'yaml';
import {
  ComponentKind, DataPlane, DeploymentPipeline, EndpointType, Environment, ExternalService, Organization, PlatformApp, Project, Score,
  Resource, ResourceType, ScoreLoadOptions, ScoreResourceMapping, SecretRef, Visibility,
} from '../src';
import { baseline, service, tempDir, withApp } from './support/fixtures';
import { expectProblem } from './support/problems';
import { one, ofComponent, synth } from './support/synth';

const FIXTURE = path.join(__dirname, 'fixtures', 'score', 'score.yaml');

/** The Score v1b1 schema (generated into test/schemas by imports/generate.js), strict. */
const validateScore = new Ajv2020({ strict: false, allErrors: true }).compile(JSON.parse(fs.readFileSync(path.join(__dirname, 'schemas', 'score-v1b1.json'), 'utf8')));

interface Platform {
  readonly org: Organization;
  readonly project: Project;
  readonly db: ExternalService;
  readonly options: ScoreLoadOptions;
}

/** acme / eu (with an external gateway) / development → production / shop, with the catalog service the fixture depends on. */
function platform(app: PlatformApp): Platform {
  const org = new Organization(app, 'acme');
  const dataPlane = new DataPlane(org, 'eu', { externalGateway: { domain: 'apps.acme.example' } });
  const dev = new Environment(org, 'development', { dataPlane });
  const prod = new Environment(org, 'production', { dataPlane, isProduction: true });
  const pipeline = new DeploymentPipeline(org, 'standard', { promotionPaths: [{ source: dev, targets: [prod] }] });
  const project = new Project(org, 'shop', { pipeline });
  service(project, 'catalog').addEndpoint('http', { port: 8080 });
  const db = new ExternalService(org, 'orders-db', { host: 'orders-db.acme.internal', port: 5432 });
  const options: ScoreLoadOptions = {
    resourceTypes: {
      'postgres': ScoreResourceMapping.externalService(db, { password: SecretRef.fromStore('shop/orders-db', { property: 'password' }) }),
      'redis.small': ScoreResourceMapping.secretStore('shop/orders-cache'),
    },
    endpoints: { metrics: { visibility: [Visibility.ORGANIZATION] } },
  };
  return { org, project, db, options };
}

/** The fixture with `edit` applied (a parsed copy), written to a temp file. */
function variant(edit: (doc: any) => void, name = 'score.yaml'): string {
  const doc = parse(fs.readFileSync(FIXTURE, 'utf8'));
  edit(doc);
  const dir = tempDir();
  fs.copyFileSync(path.join(path.dirname(FIXTURE), 'rules.txt'), path.join(dir, 'rules.txt'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, JSON.stringify(doc));
  return file;
}

describe('Score import: the fixture', () => {
  test('the fixture is a valid Score v1b1 workload (the schema generated from Score\'s own)', () => {
    const doc = parse(fs.readFileSync(FIXTURE, 'utf8'));
    expect(validateScore(doc) ? [] : validateScore.errors).toEqual([]);
    // the schema check can fail: Score refuses an unknown container field
    expect(validateScore({ ...doc, containers: { app: { ...doc.containers.app, imagePullPolicy: 'Always' } } })).toBe(false);
  });

  test('declares a Service with endpoints, env, secrets, files, probes, a sidecar, dependencies and a route', () => {
    withApp(app => {
      const { org, project, options } = platform(app);
      const orders = Score.load(project, FIXTURE, options);
      expect([orders.name, orders.kind, orders.image, orders.command, orders.args]).toEqual(['orders', ComponentKind.SERVICE, 'ghcr.io/acme/orders:2.4.1', ['/app/orders'], ['--serve', '--log-format=json']]);
      expect(orders.endpoints.map(e => [e.name, e.type, e.port, e.targetPort, e.visibility])).toEqual([
        ['http', EndpointType.HTTP, 8080, 3000, [Visibility.PROJECT, Visibility.PUBLIC]],
        ['metrics', EndpointType.HTTP, 9100, 9100, [Visibility.PROJECT, Visibility.ORGANIZATION]],
      ]);
      const objects = synth(org);
      const prod = ofComponent(objects, 'orders', 'production');
      const deployment = one(prod, 'Deployment');
      const [main, shipper] = deployment.spec.template.spec.containers;
      expect(main.image).toBe('ghcr.io/acme/orders:2.4.1');
      expect(main.ports.map((p: any) => p.containerPort).sort()).toEqual([3000, 9100]);
      expect(main.resources).toEqual({ requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '1', memory: '512M' } });
      // plain variables in the env ConfigMap, metadata placeholders and $$ resolved, the external service's address literal
      expect(one(prod, 'ConfigMap', (o: any) => o.data?.SERVICE_NAME !== undefined).data).toEqual({
        SERVICE_NAME: 'orders', TEAM: 'checkout', PRICE_TEMPLATE: '${amount} EUR', DB_URL: 'postgres://orders-db.acme.internal:5432/orders',
      });
      // dependency outputs injected into the container; the catalog's host and port, the database's host
      const direct = Object.fromEntries(main.env.filter((e: any) => e.value !== undefined).map((e: any) => [e.name, e.value]));
      expect(direct).toMatchObject({ CATALOG_PORT: '8080', DB_HOST: 'orders-db.acme.internal' });
      expect(direct.CATALOG_HOST).toMatch(/^catalog\.dp-acme-shop-production-[0-9a-f]{8}\.svc\.cluster\.local$/);
      // secret outputs fetched from the secret store, never in the output as values
      const secrets = one(prod, 'ExternalSecret', (o: any) => o.spec.data.some((d: any) => d.secretKey === 'DB_PASSWORD'));
      expect(secrets.spec.data.map((d: any) => [d.secretKey, d.remoteRef.key, d.remoteRef.property]).sort()).toEqual([
        ['CACHE_PASSWORD', 'shop/orders-cache', 'password'], ['DB_PASSWORD', 'shop/orders-db', 'password'],
      ]);
      // files: metadata expanded in content; the source file read next to the Score file, unexpanded (noExpand)
      expect(one(prod, 'ConfigMap', (o: any) => o.data?.['config.yaml'] !== undefined).data).toEqual({ 'config.yaml': 'service: orders\ncurrency: EUR\n' });
      expect(one(prod, 'ConfigMap', (o: any) => o.data?.['rules.txt'] !== undefined).data).toEqual({ 'rules.txt': 'discount ${percent} applies after ${days} days\n' });
      const fileMounts = main.volumeMounts.filter((m: any) => m.subPath !== undefined).map((m: any) => [m.mountPath, m.subPath, m.readOnly]);
      expect(fileMounts.sort()).toEqual([['/etc/orders/config.yaml', 'config.yaml', true], ['/etc/orders/rules.txt', 'rules.txt', true]]);
      // probes: httpGet on the published container port with its header; exec readiness
      expect(main.livenessProbe.httpGet).toMatchObject({ port: 3000, path: '/livez', httpHeaders: [{ name: 'X-Probe', value: 'liveness' }] });
      expect(main.readinessProbe.exec).toEqual({ command: ['/app/orders', 'health'] });
      // the second container is a sidecar with its own variables
      expect([shipper.name, shipper.image, shipper.args]).toEqual(['log-shipper', 'ghcr.io/acme/log-shipper:1.3.0', ['--source', 'orders']]);
      expect(shipper.resources.requests).toEqual({ cpu: '50m', memory: '64Mi' });
      // the route resource: a public HTTPRoute under /orders for the http endpoint
      const route = one(prod, 'HTTPRoute');
      expect(route.spec.rules[0].matches[0].path).toEqual({ type: 'PathPrefix', value: '/orders' });
      expect(route.spec.rules[0].backendRefs[0]).toMatchObject({ name: 'orders', port: 8080 });
      // Service: both ports
      expect(one(prod, 'Service').spec.ports.map((p: any) => [p.name, p.port, p.targetPort])).toEqual([['http', 8080, 3000], ['metrics', 9100, 9100]]);
      // pod annotations from metadata.annotations
      expect(deployment.spec.template.metadata.annotations['acme.example/team']).toBe('checkout');
    });
  });

  test('network: egress to the catalog and the database; ingress only from the gateway the route uses (least privilege)', () => {
    withApp(app => {
      const { org, project, options } = platform(app);
      Score.load(project, FIXTURE, options);
      const policies = ofComponent(synth(org), 'orders', 'development').filter(o => o.kind === 'CiliumNetworkPolicy');
      const egress = policies.flatMap(p => p.spec.egress ?? []);
      expect(egress.some((e: any) => e.toFQDNs?.some((f: any) => f.matchName === 'orders-db.acme.internal') && e.toPorts[0].ports[0].port === '5432')).toBe(true);
      expect(egress.some((e: any) => e.toEndpoints?.some((s: any) => s.matchLabels?.['openchoreo.dev/component'] === 'catalog'))).toBe(true);
      const ingressPorts = policies.flatMap(p => p.spec.ingress ?? []).flatMap((i: any) => i.toPorts ?? [])
        .flatMap((t: any) => t.ports.map((x: any) => x.port));
      // nobody depends on the metrics endpoint yet: no ingress there; the public route reaches the http container port
      expect(ingressPorts).toEqual(['3000']);
      expect(policies.flatMap(p => p.spec.ingress ?? []).flatMap((i: any) => i.fromEndpoints ?? [])
        .map((e: any) => e.matchLabels['gateway.envoyproxy.io/owning-gateway-name'])).toEqual(['gateway-external']);
    });
  });

  test('options: name, kind, image for ".", endpoint type; a workload without ports is a Worker', () => {
    withApp(app => {
      const { project } = baseline(app);
      const dir = tempDir();
      fs.writeFileSync(path.join(dir, 'score.yaml'), 'apiVersion: score.dev/v1b1\nmetadata: { name: 2fa }\nservice: { ports: { grpc: { port: 9090 } } }\ncontainers: { main: { image: . } }\n');
      const c = Score.load(project, path.join(dir, 'score.yaml'), { name: 'two-factor', kind: ComponentKind.WEB_APPLICATION, image: 'ghcr.io/acme/2fa:1.0.0', endpoints: { grpc: { type: EndpointType.GRPC } } });
      expect([c.name, c.kind, c.image, c.endpoints[0].type]).toEqual(['two-factor', ComponentKind.WEB_APPLICATION, 'ghcr.io/acme/2fa:1.0.0', EndpointType.GRPC]);
      fs.writeFileSync(path.join(dir, 'worker.yaml'), 'apiVersion: score.dev/v1b1\nmetadata: { name: mailer }\ncontainers: { main: { image: "ghcr.io/acme/mailer:1.0.0" } }\n');
      expect(Score.load(project, path.join(dir, 'worker.yaml')).kind).toBe(ComponentKind.WORKER);
      fs.rmSync(dir, { recursive: true, force: true });
    });
  });

  test('deterministic: two loads of the file synthesize the same objects', () => {
    const once = () => withApp(app => {
      const { org, project, options } = platform(app);
      Score.load(project, FIXTURE, options);
      return JSON.stringify(org.toJson());
    });
    expect(once()).toBe(once());
  });
});

describe('Score import: bad input names the file, the JSON path and the fix', () => {
  const expectScoreProblem = (edit: (doc: any) => void, value: string, fix: RegExp, options?: (p: Platform) => ScoreLoadOptions) => {
    const file = variant(edit);
    expectProblem(app => {
      const p = platform(app);
      Score.load(p.project, file, options ? options(p) : p.options);
    }, { path: file, value, fix, at: 'construction' });
  };

  test('another apiVersion', () => expectScoreProblem(d => { d.apiVersion = 'score.dev/v1a1'; },
    "$.apiVersion: \"score.dev/v1a1\" is not 'score.dev/v1b1'", /set apiVersion: score\.dev\/v1b1/));

  test('an unknown container field', () => expectScoreProblem(d => { d.containers.app.imagePullPolicy = 'Always'; },
    '$.containers.app.imagePullPolicy: is not a field of Score v1b1 here (known: image, command', /remove 'imagePullPolicy' or correct its spelling/));

  test('container volumes', () => expectScoreProblem(d => { d.containers.app.volumes = { '/data': { source: 'data' } }; },
    '$.containers.app.volumes: is not supported by the importer', /remove volumes: external volumes are not imported/));

  test('binary file content', () => expectScoreProblem(d => { d.containers.app.files['/etc/orders/logo.png'] = { binaryContent: 'AAAA' }; },
    "$.containers.app.files['/etc/orders/logo.png'].binaryContent: is not supported by the importer", /use content \(UTF-8 text\)/));

  test('a file mode other than 0644', () => expectScoreProblem(d => { d.containers.app.files['/etc/orders/config.yaml'].mode = '0600'; },
    "$.containers.app.files['/etc/orders/config.yaml'].mode: \"0600\" is not supported", /remove mode, or set it to 0644/));

  test('the deprecated list form of files', () => expectScoreProblem(d => { d.containers.app.files = [{ target: '/etc/x', content: 'x' }]; },
    '$.containers.app.files: uses the deprecated list form', /write files as a mapping of target path to file/));

  test('a probe naming a host', () => expectScoreProblem(d => { d.containers.app.livenessProbe.httpGet.host = '10.0.0.1'; },
    '$.containers.app.livenessProbe.httpGet.host: is not supported by the importer', /remove host: the kubelet probes the pod itself/));

  test('a probe on a port the workload does not publish', () => expectScoreProblem(d => { d.containers.app.livenessProbe.httpGet.port = 8081; },
    '$.containers.app.livenessProbe.httpGet.port: 8081 is not the targetPort of a port in $.service.ports', /probe a port the workload publishes/));

  test('a resource type without a platform mapping', () => expectScoreProblem(() => {},
    "$.resources.db.type: resource type 'postgres' has no platform mapping", /pass resourceTypes: \{ 'postgres': ScoreResourceMapping\.externalService/, () => ({})));

  test('a placeholder naming an undeclared resource', () => expectScoreProblem(d => { d.containers.app.variables.QUEUE = '${resources.queue.url}'; },
    "$.containers.app.variables.QUEUE: placeholder '${resources.queue.url}' names resource 'queue', which $.resources does not declare", /declare it under resources, or use one of: catalog, db, cache, orders-dns, public/));

  test('a dependency address mixed with text', () => expectScoreProblem(d => { d.containers.app.variables.CATALOG_URL = 'http://${resources.catalog.hostname}/v1'; },
    "$.containers.app.variables.CATALOG_URL: '${resources.catalog.hostname}' is mixed with other text", /make the variable exactly '\$\{resources\.catalog\.hostname\}'/));

  test('an output the resource does not provide', () => expectScoreProblem(d => { d.containers.app.variables.DB_USER = '${resources.db.username}'; },
    "$.containers.app.variables.DB_USER: '${resources.db.username}' reads output 'username', which the platform mapping does not provide", /add 'username' to the mapping's secrets/));

  test('a dns host in a variable', () => expectScoreProblem(d => { d.containers.app.variables.PUBLIC_HOST = '${resources.orders-dns.host}'; },
    "$.containers.app.variables.PUBLIC_HOST: '${resources.orders-dns.host}' reads a dns resource, whose host differs per environment", /remove the variable/));

  test('a route whose host is not a dns resource', () => expectScoreProblem(d => { d.resources.public.params.host = 'orders.example.com'; },
    "$.resources.public.params.host: 'orders.example.com' is not the host of a dns resource", /declare that resource with type: dns/));

  test('a route to a port that is not published', () => expectScoreProblem(d => { d.resources.public.params.port = 8443; },
    '$.resources.public.params.port: 8443 is not a port of $.service.ports', /use one of: 8080, 9100/));

  test('the image "." without options.image', () => expectScoreProblem(d => { d.containers.app.image = '.'; },
    "$.containers.app.image: '.' (the workload's own build) has no image here", /pass image: '<registry>\/<repository>:<tag>' in the load options/));

  test('a port name starting with a digit', () => expectScoreProblem(d => { d.service.ports['8080-http'] = { port: 8081 }; },
    "$.service.ports['8080-http']: port name '8080-http' does not start with a letter", /rename the port/));

  test('an unknown metadata field', () => expectScoreProblem(d => { d.metadata.labels = { a: 'b' }; },
    '$.metadata.labels: is not a field of Score v1b1 here (known: name, annotations)', /remove 'labels'/));

  test('class on a service dependency', () => expectScoreProblem(d => { d.resources.catalog.class = 'large'; },
    "$.resources.catalog.class: is set on a 'service' resource", /remove class/));

  test('files on a sidecar', () => expectScoreProblem(d => { d.containers['log-shipper'].files = { '/etc/x': { content: 'x' } }; },
    '$.containers.log-shipper.files: are set on a second container', /mount files in the first \(main\) container/));

  test('a Worker with ports', () => expectScoreProblem(() => {},
    '$.service.ports: are published by a worker', /load it with kind: ComponentKind\.SERVICE or WEB_APPLICATION/, p => ({ ...p.options, kind: ComponentKind.WORKER })));

  test('an options.endpoints entry for a port the file does not declare', () => {
    const file = variant(() => {});
    expectProblem(app => {
      const p = platform(app);
      Score.load(p.project, file, { ...p.options, endpoints: { admin: { type: EndpointType.HTTP } } });
    }, { path: file, value: "options.endpoints names port 'admin', which $.service.ports does not declare", fix: /use one of: http, metrics/, at: 'construction' });
  });

  test('a file that does not exist, and a file of two documents', () => {
    const missing = path.join(tempDir(), 'nope.yaml');
    expectProblem(app => Score.load(platform(app).project, missing), { path: missing, value: 'the Score file does not exist', fix: /pass the path of a score\.yaml file/, at: 'construction' });
    const two = path.join(tempDir(), 'two.yaml');
    fs.writeFileSync(two, 'apiVersion: score.dev/v1b1\n---\napiVersion: score.dev/v1b1\n');
    expectProblem(app => Score.load(platform(app).project, two), { path: two, value: '$: the file holds 2 YAML documents', fix: /keep exactly one Score workload per file/, at: 'construction' });
  });

  test('a file that is not valid YAML', () => {
    const broken = path.join(tempDir(), 'broken.yaml');
    fs.writeFileSync(broken, 'apiVersion: score.dev/v1b1\nmetadata: { name: orders\n');
    expectProblem(app => Score.load(platform(app).project, broken), { path: broken, value: '$: is not valid YAML', fix: /correct the YAML syntax at that line/, at: 'construction' });
  });

  test('a problem the model finds names the construct and the file it came from', () => {
    const file = variant(d => { d.containers.app.variables['LOG-LEVEL'] = 'info'; });
    expectProblem(app => {
      const p = platform(app);
      Score.load(p.project, file, p.options);
    }, { path: 'acme/shop/orders', value: `environment variable name 'LOG-LEVEL' is invalid (imported from ${file})`, fix: /use letters, digits and underscores/, at: 'construction' });
  });
});

describe('Score import: a resource type mapped to a managed Resource', () => {
  /** The fixture reading all five outputs of its postgres resource `db` as DB_* variables. */
  const withDbVariables = (edit: (vars: Record<string, string>) => void = () => {}) => variant(d => {
    const vars = d.containers.app.variables;
    delete vars.DB_URL;
    Object.assign(vars, { DB_HOST: '${resources.db.host}', DB_PORT: '${resources.db.port}', DB_DATABASE: '${resources.db.database}', DB_USER: '${resources.db.username}', DB_PASSWORD: '${resources.db.password}' });
    edit(vars);
  });
  const managed = (p: Platform, resource: Resource): ScoreLoadOptions => ({
    ...p.options, resourceTypes: { ...p.options.resourceTypes, postgres: ScoreResourceMapping.resource(resource) },
  });

  test('the component depends on the Resource; the DB_* variables are the ones dependOnResource injects (prefix DB), credentials as secret references', () => {
    withApp(app => {
      const p = platform(app);
      const db = new Resource(p.project, 'orders-db', { type: ResourceType.postgres() });
      const orders = Score.load(p.project, withDbVariables(), managed(p, db));
      expect(orders._resourceDependencies.map(d => [d.resource, d.options])).toEqual([[db, { envPrefix: 'DB' }]]);
      expect(orders._dependencies.filter(d => d.external?.name === 'orders-db')).toEqual([]);
      expect(Object.keys(orders._props.env ?? {}).filter(k => k.startsWith('DB_'))).toEqual([]);
      expect(Object.keys(orders._props.secretEnv ?? {}).filter(k => k.startsWith('DB_'))).toEqual([]);
      const deployment = one(ofComponent(synth(p.org), 'orders', 'development'), 'Deployment');
      const env = deployment.spec.template.spec.containers[0].env.filter((e: any) => e.name.startsWith('DB_'));
      expect(env.map((e: any) => e.name).sort()).toEqual(['DB_DATABASE', 'DB_HOST', 'DB_PASSWORD', 'DB_PORT', 'DB_USER']);
      expect(env.find((e: any) => e.name === 'DB_HOST').value).toMatch(/^orders-db-development-[0-9a-f]{8}-rw\.dp-acme-shop-development-/);
      expect(env.find((e: any) => e.name === 'DB_PASSWORD').valueFrom.secretKeyRef).toBeDefined();
      expect(env.find((e: any) => e.name === 'DB_PASSWORD').value).toBeUndefined();
    });
  });

  test('without variables reading it, the dependency gets the default prefix (the resource name)', () => {
    withApp(app => {
      const p = platform(app);
      const db = new Resource(p.project, 'orders-db', { type: ResourceType.postgres() });
      const file = variant(d => { for (const k of ['DB_HOST', 'DB_URL', 'DB_PASSWORD']) delete d.containers.app.variables[k]; });
      const orders = Score.load(p.project, file, managed(p, db));
      expect(orders._resourceDependencies.map(d => d.options)).toEqual([{}]);
    });
  });

  const expectManagedProblem = (file: () => string, value: string, fix: RegExp, elsewhere = false) => {
    const f = file();
    expectProblem(app => {
      const p = platform(app);
      const home = elsewhere ? new Project(p.org, 'billing', { pipeline: p.project.pipeline }) : p.project;
      Score.load(p.project, f, managed(p, new Resource(home, 'orders-db', { type: ResourceType.postgres() })));
    }, { path: f, value, fix, at: 'construction' });
  };

  test('a variable not named <PREFIX>_HOST', () => expectManagedProblem(() => withDbVariables(v => { delete v.DB_HOST; v.DB_HOSTNAME = '${resources.db.host}'; }),
    "$.containers.app.variables.DB_HOSTNAME: variable 'DB_HOSTNAME' reads '${resources.db.host}', but does not end in '_HOST'",
    /name the variables of resource 'db' with one prefix, as dependOnResource injects them: DB_HOST, DB_PORT, DB_DATABASE, DB_USER, DB_PASSWORD/));

  test('variables with two prefixes', () => expectManagedProblem(() => withDbVariables(v => { delete v.DB_PORT; v.PG_PORT = '${resources.db.port}'; }),
    "$.containers.app.variables.PG_PORT: variable 'PG_PORT' reads '${resources.db.port}', but its prefix 'PG' differs from 'DB' (variable DB_DATABASE)",
    /name the variables of resource 'db' with one prefix, as dependOnResource injects them: DB_HOST/));

  test('an output a managed resource does not provide', () => expectManagedProblem(() => withDbVariables(v => { v.DB_URI = '${resources.db.uri}'; }),
    "$.containers.app.variables.DB_URI: '${resources.db.uri}' reads output 'uri', which Resource 'orders-db' does not provide (outputs: host, port, database, username, password)",
    /use one of its outputs, or compose the value in the application/));

  test('an output mixed with text', () => expectManagedProblem(() => withDbVariables(v => { v.DB_URL = 'postgres://${resources.db.host}/orders'; }),
    "$.containers.app.variables.DB_URL: '${resources.db.host}' is mixed with other text", /make the variable exactly '\$\{resources\.db\.host\}'/));

  test('a Resource of another project', () => expectManagedProblem(() => withDbVariables(),
    "$.resources.db.type: resource type 'postgres' maps to Resource 'acme/billing/orders-db', which is not in project 'shop'",
    /declare the Resource in project 'shop' and map 'postgres' to it/, true));
});
