import { Testing } from 'cdk8s';
import { buildPlatform } from '../examples/platform/main';
import {
  DataPlane, DeploymentPipeline, DisruptionBudget, Endpoint, EndpointType, Environment, Organization, PlatformApp,
  PodSecurityRule, Project, ScheduledTask, SecretRef, Visibility, Worker,
} from '../src';
import { baseline, IMAGE, listFiles, service, withApp } from './support/fixtures';
import { expectProblem } from './support/problems';

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/** Synthesizes the declared platform into a temporary directory; returns the files written (path → YAML). */
function expectValid(build: (app: PlatformApp) => void): Record<string, string> {
  return withApp((app, outdir) => {
    build(app);
    const files = app.synthFiles();
    app.synth();
    expect(listFiles(outdir).length).toBeGreaterThan(0);
    for (const org of app.node.findAll().filter(Organization.isOrganization)) {
      expect(() => Testing.synth(org)).not.toThrow();
    }
    return files;
  });
}

const LONG_NAME = 'a'.repeat(64);
const DIGEST = `ghcr.io/acme/api@sha256:${'0123456789abcdef'.repeat(4)}`;

// ---------------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------------

describe('invalid DNS names', () => {
  test('organization name with uppercase letters', () => {
    expectProblem(app => {
      new Organization(app, 'Acme');
    }, { path: 'Acme', value: "'Acme'", fix: /'acme'/, at: 'construction' });
  });

  test('organization name longer than 63 characters', () => {
    expectProblem(app => {
      new Organization(app, LONG_NAME);
    }, { path: LONG_NAME, value: `'${LONG_NAME}'`, fix: /use a name such as 'a{63}'/, at: 'construction' });
  });

  test('project name with an underscore', () => {
    expectProblem(app => {
      const { org, pipeline } = baseline(app);
      new Project(org, 'web_shop', { pipeline });
    }, { path: 'acme/web_shop', value: "'web_shop'", fix: /'web-shop'/, at: 'construction' });
  });

  test('component name longer than 63 characters', () => {
    expectProblem(app => {
      const { project } = baseline(app);
      service(project, LONG_NAME);
    }, { path: `acme/shop/${LONG_NAME}`, value: `'${LONG_NAME}'`, fix: /use a name such as/, at: 'construction' });
  });

  test('component name given by the name prop with uppercase letters', () => {
    expectProblem(app => {
      const { project } = baseline(app);
      service(project, 'api', { name: 'Api' });
    }, { path: 'acme/shop/api', value: "'Api'", fix: /'api'/, at: 'construction' });
  });

  test('environment name with uppercase letters', () => {
    expectProblem(app => {
      const { org, dataPlane } = baseline(app);
      new Environment(org, 'QA', { dataPlane });
    }, { path: 'acme/QA', value: "'QA'", fix: /'qa'/, at: 'construction' });
  });

  test('endpoint name with an underscore', () => {
    expectProblem(app => {
      const { project } = baseline(app);
      service(project, 'api').addEndpoint('http_api', { port: 8080 });
    }, { path: 'acme/shop/api/http_api', value: "'http_api'", fix: /'http-api'/, at: 'construction' });
  });

  test('endpoint name longer than 63 characters', () => {
    expectProblem(app => {
      const { project } = baseline(app);
      service(project, 'api').addEndpoint(LONG_NAME, { port: 8080 });
    }, { path: `acme/shop/api/${LONG_NAME}`, value: `'${LONG_NAME}'`, fix: /use a name such as/, at: 'construction' });
  });

  // The component name is the Kubernetes Service name, which must be a DNS-1035 label (start with a letter).
  test('component name starting with a digit (invalid Service name)', () => {
    expectProblem(app => {
      const { project } = baseline(app);
      service(project, '9lives');
    }, { path: 'acme/shop/9lives', value: "'9lives'", fix: /letter/ });
  });

  // The endpoint name becomes the container port name, an IANA_SVC_NAME that must contain a letter.
  test('endpoint name without a letter (invalid container port name)', () => {
    expectProblem(app => {
      const { project } = baseline(app);
      service(project, 'api').addEndpoint('9090', { port: 9090 });
    }, { path: 'acme/shop/api/9090', value: "'9090'", fix: /letter/ });
  });
});

describe('duplicate names', () => {
  test('two components with the same name in a project', () => {
    expectProblem(app => {
      const { project } = baseline(app);
      service(project, 'api');
      service(project, 'api-v2', { name: 'api' });
    }, { path: 'acme/shop/api-v2', value: "'api'", fix: /different name/, at: 'construction' });
  });

  test('two environments with the same name', () => {
    expectProblem(app => {
      const { org, dataPlane } = baseline(app);
      new Environment(org, 'prod-copy', { name: 'production', dataPlane });
    }, { path: 'acme/prod-copy', value: "'production'", fix: /different name/, at: 'construction' });
  });

  test('two projects with the same name', () => {
    expectProblem(app => {
      const { org, pipeline } = baseline(app);
      new Project(org, 'shop-copy', { name: 'shop', pipeline });
    }, { path: 'acme/shop-copy', value: "'shop'", fix: /different name/, at: 'construction' });
  });

  test('two endpoints with the same name in a component', () => {
    expectProblem(app => {
      const { project } = baseline(app);
      const api = service(project, 'api');
      api.addEndpoint('http', { port: 8080 });
      api.addEndpoint('http', { port: 8081 });
    }, { path: 'acme/shop/api', value: "'http'", fix: /distinct name/, at: 'construction' });
  });
});

// ---------------------------------------------------------------------------------------------
// Ports and endpoints
// ---------------------------------------------------------------------------------------------

describe('ports', () => {
  test('port 0', () => {
    expectProblem(app => {
      const { project } = baseline(app);
      service(project, 'api').addEndpoint('http', { port: 0 });
    }, { path: 'acme/shop/api/http', value: 'port 0 ', fix: /between 1 and 65535/, at: 'construction' });
  });

  test('port 70000', () => {
    expectProblem(app => {
      const { project } = baseline(app);
      service(project, 'api').addEndpoint('http', { port: 70000 });
    }, { path: 'acme/shop/api/http', value: '70000', fix: /between 1 and 65535/, at: 'construction' });
  });

  test('non-integer port', () => {
    expectProblem(app => {
      const { project } = baseline(app);
      service(project, 'api').addEndpoint('http', { port: 8080.5 });
    }, { path: 'acme/shop/api/http', value: '8080.5', fix: /integer port/, at: 'construction' });
  });

  test('targetPort out of range', () => {
    expectProblem(app => {
      const { project } = baseline(app);
      service(project, 'api').addEndpoint('http', { port: 80, targetPort: 65536 });
    }, { path: 'acme/shop/api/http', value: '65536', fix: /between 1 and 65535/, at: 'construction' });
  });

  test('two endpoints on the same port', () => {
    expectProblem(app => {
      const { project } = baseline(app);
      const api = service(project, 'api');
      api.addEndpoint('http', { port: 8080 });
      api.addEndpoint('admin', { port: 8080 });
    }, { path: 'acme/shop/api/admin', value: '8080', fix: /its own port/, at: 'construction' });
  });

  test('two endpoints on the same container port', () => {
    expectProblem(app => {
      const { project } = baseline(app);
      const api = service(project, 'api');
      api.addEndpoint('http', { port: 80, targetPort: 8080 });
      api.addEndpoint('admin', { port: 81, targetPort: 8080 });
    }, { path: 'acme/shop/api/admin', value: '8080', fix: /targetPort/, at: 'construction' });
  });

  test('an endpoint on a Worker', () => {
    expectProblem(app => {
      const { project } = baseline(app);
      new Worker(project, 'queue-worker', { image: IMAGE }).addEndpoint('metrics', { port: 9100 });
    }, { path: 'acme/shop/queue-worker', value: "'metrics'", fix: /Service or WebApplication/, at: 'construction' });
  });

  test('an endpoint constructed directly on a Worker is refused the same way', () => {
    expectProblem(app => {
      const { project } = baseline(app);
      new Endpoint(new Worker(project, 'queue-worker', { image: IMAGE }), 'metrics', { port: 9100 });
    }, { path: 'acme/shop/queue-worker', value: "'metrics'", fix: /Service or WebApplication/, at: 'construction' });
  });

  test('an endpoint constructed directly clashing on a port is refused like addEndpoint', () => {
    expectProblem(app => {
      const { project } = baseline(app);
      const api = service(project, 'api');
      api.addEndpoint('http', { port: 80 });
      new Endpoint(api, 'admin', { port: 80 });
    }, { path: 'acme/shop/api/admin', value: 'port 80', fix: /its own port/, at: 'construction' });
  });

  test('basePath on a TCP endpoint', () => {
    expectProblem(app => {
      const { project } = baseline(app);
      service(project, 'db').addEndpoint('sql', { port: 5432, type: EndpointType.TCP, basePath: '/v1' });
    }, { path: 'acme/shop/db/sql', value: "'/v1'", fix: /remove basePath/, at: 'construction' });
  });
});

// ---------------------------------------------------------------------------------------------
// Dependencies
// ---------------------------------------------------------------------------------------------

describe('dependencies', () => {
  test('dependOnName with an unknown project', () => {
    expectProblem(app => {
      const { project } = baseline(app);
      service(project, 'api').dependOnName({ project: 'billing', component: 'invoices', endpoint: 'http' });
    }, { path: 'acme/shop/api', value: "'billing'", fix: /shop/, at: 'synth' });
  });

  test('dependOnName with an unknown component', () => {
    expectProblem(app => {
      const { project } = baseline(app);
      service(project, 'catalog').addEndpoint('http', { port: 8080 });
      service(project, 'api').dependOnName({ component: 'checkout', endpoint: 'http' });
    }, { path: 'acme/shop/api', value: "'checkout'", fix: /catalog/, at: 'synth' });
  });

  test('dependOnName with an unknown endpoint', () => {
    expectProblem(app => {
      const { project } = baseline(app);
      service(project, 'catalog').addEndpoint('http', { port: 8080 });
      service(project, 'api').dependOnName({ component: 'catalog', endpoint: 'grpc' });
    }, { path: 'acme/shop/api', value: "'grpc'", fix: /http/, at: 'synth' });
  });

  test('cross-project dependency on a PROJECT-only endpoint', () => {
    expectProblem(app => {
      const { org, pipeline, project } = baseline(app);
      const catalogHttp = service(project, 'catalog').addEndpoint('http', { port: 8080 });
      const storefront = new Project(org, 'storefront', { pipeline });
      service(storefront, 'web').dependOn(catalogHttp);
    }, { path: 'acme/storefront/web', value: "endpoint 'http' of component 'catalog' in project 'shop'", fix: /Visibility\.ORGANIZATION/, at: 'synth' });
  });

  test('cross-project dependOnName on a PROJECT-only endpoint', () => {
    expectProblem(app => {
      const { org, pipeline, project } = baseline(app);
      service(project, 'catalog').addEndpoint('http', { port: 8080 });
      const storefront = new Project(org, 'storefront', { pipeline });
      service(storefront, 'web').dependOnName({ project: 'shop', component: 'catalog', endpoint: 'http' });
    }, { path: 'acme/storefront/web', value: "component 'catalog'", fix: /Visibility\.ORGANIZATION/, at: 'synth' });
  });

  test("dependency on a component whose project's pipeline lacks the consumer's environment", () => {
    expectProblem(app => {
      const { org, dataPlane, dev, project } = baseline(app);
      const qa = new Environment(org, 'qa', { dataPlane });
      const short = new DeploymentPipeline(org, 'short', { promotionPaths: [{ source: dev, targets: [qa] }] });
      const batch = new Project(org, 'batch', { pipeline: short });
      const reports = service(batch, 'reports').addEndpoint('http', { port: 8080, visibility: [Visibility.ORGANIZATION] });
      service(project, 'api').dependOn(reports);
    }, { path: 'acme/shop/api', value: "'batch/reports', which is not deployed in environment 'staging'", fix: /pipeline of project 'batch'/, at: 'synth' });
  });

  test('two dependencies injecting the same environment variable', () => {
    expectProblem(app => {
      const { project } = baseline(app);
      const a = service(project, 'catalog').addEndpoint('http', { port: 8080 });
      const b = service(project, 'pricing').addEndpoint('http', { port: 8080 });
      const api = service(project, 'api');
      api.dependOn(a, { addressEnvVar: 'UPSTREAM_URL' });
      api.dependOn(b, { addressEnvVar: 'UPSTREAM_URL' });
    }, { path: 'acme/shop/api', value: "'UPSTREAM_URL'", fix: /addressEnvVar/, at: 'synth' });
  });

  test('a dependency variable that is also set in env', () => {
    expectProblem(app => {
      const { project } = baseline(app);
      const a = service(project, 'catalog').addEndpoint('http', { port: 8080 });
      service(project, 'api', { env: { CATALOG_HTTP_URL: 'http://localhost:8080' } }).dependOn(a);
    }, { path: 'acme/shop/api', value: "'CATALOG_HTTP_URL'", fix: /remove it from env/, at: 'synth' });
  });

  test('invalid addressEnvVar name', () => {
    expectProblem(app => {
      const { project } = baseline(app);
      const a = service(project, 'catalog').addEndpoint('http', { port: 8080 });
      service(project, 'api').dependOn(a, { addressEnvVar: '1CATALOG-URL' });
    }, { path: 'acme/shop/api', value: "'1CATALOG-URL'", fix: /letters, digits and underscores/, at: 'construction' });
  });
});

// ---------------------------------------------------------------------------------------------
// Pipelines and organization boundaries
// ---------------------------------------------------------------------------------------------

describe('deployment pipelines', () => {
  test('pipeline with a cycle', () => {
    expectProblem(app => {
      const { org, staging, prod } = baseline(app);
      new DeploymentPipeline(org, 'loop', {
        promotionPaths: [{ source: staging, targets: [prod] }, { source: prod, targets: [staging] }],
      });
    }, { path: 'acme/loop', value: 'production -> staging', fix: /remove one of the promotion paths/, at: 'synth' });
  });

  test('pipeline with two roots (an environment unreachable from the root)', () => {
    expectProblem(app => {
      const { org, dataPlane, dev, prod } = baseline(app);
      const qa = new Environment(org, 'qa', { dataPlane });
      new DeploymentPipeline(org, 'forked', {
        promotionPaths: [{ source: dev, targets: [prod] }, { source: qa, targets: [prod] }],
      });
    }, { path: 'acme/forked', value: "'qa'", fix: /add a promotion path from 'development'/, at: 'synth' });
  });

  test('pipeline with a cycle disconnected from the root', () => {
    expectProblem(app => {
      const { org, dataPlane, dev, staging } = baseline(app);
      const qa = new Environment(org, 'qa', { dataPlane });
      const uat = new Environment(org, 'uat', { dataPlane });
      new DeploymentPipeline(org, 'islands', {
        promotionPaths: [
          { source: dev, targets: [staging] },
          { source: qa, targets: [uat] },
          { source: uat, targets: [qa] },
        ],
      });
    }, { path: 'acme/islands', value: 'qa -> uat -> qa', fix: /promotion/, at: 'synth' });
  });

  test('pipeline with no promotion paths', () => {
    expectProblem(app => {
      const { org } = baseline(app);
      new DeploymentPipeline(org, 'empty');
    }, { path: 'acme/empty', value: "'empty'", fix: /promotionPaths/, at: 'synth' });
  });

  test('promotion path to itself', () => {
    expectProblem(app => {
      const { org, dev } = baseline(app);
      new DeploymentPipeline(org, 'self', { promotionPaths: [{ source: dev, targets: [dev] }] });
    }, { path: 'acme/self', value: "'development'", fix: /own targets/, at: 'synth' });
  });

  test('environment on a data plane of another organization', () => {
    expectProblem(app => {
      const { org } = baseline(app);
      const globex = new Organization(app, 'globex');
      const us = new DataPlane(globex, 'us');
      new Environment(org, 'sandbox', { dataPlane: us });
    }, { path: 'acme/sandbox', value: "'globex/us'", fix: /DataPlane in organization 'acme'/, at: 'construction' });
  });

  test('project with a pipeline of another organization', () => {
    expectProblem(app => {
      const { org } = baseline(app);
      const globex = new Organization(app, 'globex');
      const us = new DataPlane(globex, 'us');
      const a = new Environment(globex, 'dev', { dataPlane: us });
      const b = new Environment(globex, 'prod', { dataPlane: us });
      const theirs = new DeploymentPipeline(globex, 'standard', { promotionPaths: [{ source: a, targets: [b] }] });
      new Project(org, 'billing', { pipeline: theirs });
    }, { path: 'acme/billing', value: "'globex/standard'", fix: /DeploymentPipeline in organization 'acme'/, at: 'construction' });
  });

  test('override for an environment that is not on the project pipeline', () => {
    expectProblem(app => {
      const { org, dataPlane, project } = baseline(app);
      const qa = new Environment(org, 'qa', { dataPlane });
      service(project, 'api').configureEnvironment(qa, { replicas: 2 });
    }, { path: 'acme/shop/api', value: "'qa'", fix: /development, staging, production/, at: 'synth' });
  });
});

// ---------------------------------------------------------------------------------------------
// Scheduled tasks
// ---------------------------------------------------------------------------------------------

describe('cron schedules and time zones', () => {
  const task = (app: PlatformApp, schedule: string, timeZone?: string) => {
    const { project } = baseline(app);
    return new ScheduledTask(project, 'cleanup', { image: IMAGE, schedule, timeZone });
  };

  test('schedule with 4 fields', () => {
    expectProblem(app => task(app, '*/5 * * *'),
      { path: 'acme/shop/cleanup', value: "'*/5 * * *'", fix: /five fields/, at: 'construction' });
  });

  test('minute 60', () => {
    expectProblem(app => task(app, '60 * * * *'),
      { path: 'acme/shop/cleanup', value: "'60' is outside 0-59", fix: /five fields/, at: 'construction' });
  });

  test('TZ= prefix in the schedule', () => {
    expectProblem(app => task(app, 'TZ=Europe/Berlin 0 3 * * *'),
      { path: 'acme/shop/cleanup', value: 'TZ=Europe/Berlin', fix: /timeZone prop/, at: 'construction' });
  });

  test('reversed range', () => {
    expectProblem(app => task(app, '0 5-1 * * *'),
      { path: 'acme/shop/cleanup', value: "'5-1'", fix: /five fields/, at: 'construction' });
  });

  test('invalid schedule in an environment override', () => {
    expectProblem(app => {
      const { project, dev } = baseline(app);
      new ScheduledTask(project, 'cleanup', { image: IMAGE, schedule: '0 3 * * *' }).configureEnvironment(dev, { schedule: '0 24 * * *' });
    }, { path: 'acme/shop/cleanup', value: "'24' is outside 0-23", fix: /five fields/, at: 'construction' });
  });

  test('unknown time zone', () => {
    expectProblem(app => task(app, '0 3 * * *', 'Mars/Olympus_Mons'),
      { path: 'acme/shop/cleanup', value: "'Mars/Olympus_Mons'", fix: /Europe\/Berlin/, at: 'construction' });
  });
});

// ---------------------------------------------------------------------------------------------
// Resources, scaling and disruption budgets
// ---------------------------------------------------------------------------------------------

describe('resources', () => {
  test('invalid CPU quantity', () => {
    expectProblem(app => {
      const { project } = baseline(app);
      service(project, 'api', { resources: { cpuRequest: '250x' } });
    }, { path: 'acme/shop/api', value: "'250x'", fix: /millicores/, at: 'construction' });
  });

  test('invalid memory quantity', () => {
    expectProblem(app => {
      const { project } = baseline(app);
      service(project, 'api', { resources: { memoryLimit: '512MB' } });
    }, { path: 'acme/shop/api', value: "'512MB'", fix: /'256Mi'/, at: 'construction' });
  });

  test('invalid CPU quantity in environment defaults', () => {
    expectProblem(app => {
      const { org, dataPlane } = baseline(app);
      new Environment(org, 'perf', { dataPlane, defaultResources: { cpuLimit: 'two' } });
    }, { path: 'acme/perf', value: "'two'", fix: /millicores/, at: 'construction' });
  });

  test('invalid memory quantity in an environment override', () => {
    expectProblem(app => {
      const { project, prod } = baseline(app);
      service(project, 'api').configureEnvironment(prod, { resources: { memoryRequest: '1 GB' } });
    }, { path: 'acme/shop/api', value: "'1 GB'", fix: /'1Gi'/, at: 'construction' });
  });

  test('CPU request exceeding the CPU limit', () => {
    expectProblem(app => {
      const { project } = baseline(app);
      service(project, 'api', { resources: { cpuRequest: '2', cpuLimit: '500m' } });
    }, { path: 'acme/shop/api', value: 'resources.cpuRequest 2 exceeds resources.cpuLimit 500m', fix: /cpuLimit to at least 2/, at: 'construction' });
  });

  test('CPU request of an environment override exceeding the component\'s explicit CPU limit', () => {
    expectProblem(app => {
      const { project, prod } = baseline(app);
      const api = service(project, 'api', { resources: { cpuLimit: '500m' } });
      api.configureEnvironment(prod, { resources: { cpuRequest: '2' } });
    }, { path: 'acme/shop/api', value: "cpuRequest 2 exceeds cpuLimit 500m in 'production'", fix: /cpuLimit to at least 2/, at: 'synth' });
  });

  test('memory request exceeding the memory limit', () => {
    expectProblem(app => {
      const { project } = baseline(app);
      service(project, 'api', { resources: { memoryRequest: '1Gi', memoryLimit: '512Mi' } });
    }, { path: 'acme/shop/api', value: 'resources.memoryRequest 1Gi exceeds resources.memoryLimit 512Mi', fix: /memoryLimit to at least 1Gi/, at: 'construction' });
  });

  test('autoscaling minReplicas greater than maxReplicas', () => {
    expectProblem(app => {
      const { project } = baseline(app);
      service(project, 'api', { autoscaling: { minReplicas: 5, maxReplicas: 2 } });
    }, { path: 'acme/shop/api', value: 'minReplicas 5 is greater than maxReplicas 2', fix: /maxReplicas to at least minReplicas/, at: 'construction' });
  });

  test('disruption budget minAvailable equal to the replica count', () => {
    expectProblem(app => {
      const { project } = baseline(app);
      service(project, 'api', { replicas: 2, disruptionBudget: DisruptionBudget.minAvailable(2) });
    }, { path: 'acme/shop/api', value: 'minAvailable=2 with 2 replica(s)', fix: /maxUnavailable\(1\)/, at: 'synth' });
  });

  test('disruption budget minAvailable equal to the autoscaling minimum', () => {
    expectProblem(app => {
      const { project } = baseline(app);
      service(project, 'api', { autoscaling: { minReplicas: 2, maxReplicas: 4 }, disruptionBudget: DisruptionBudget.minAvailable(3) });
    }, { path: 'acme/shop/api', value: 'minAvailable=3 with 2 replica(s)', fix: /maxUnavailable\(1\)/, at: 'synth' });
  });

  // Kubernetes rounds a minAvailable percentage UP: 50% of 1 replica is 1, so no pod may be evicted.
  test('disruption budget minAvailable 50% with a single replica', () => {
    expectProblem(app => {
      const { project } = baseline(app);
      service(project, 'api', { disruptionBudget: DisruptionBudget.minAvailablePercent(50) });
    }, { path: 'acme/shop/api', value: 'minAvailable=50%', fix: /replicas|maxUnavailable/, at: 'synth' });
  });

  test('replicas override on a ScheduledTask', () => {
    expectProblem(app => {
      const { project, prod } = baseline(app);
      new ScheduledTask(project, 'cleanup', { image: IMAGE, schedule: '@daily' }).configureEnvironment(prod, { replicas: 2 });
    }, { path: 'acme/shop/cleanup', value: "'replicas'", fix: /Deployment-backed components only/, at: 'construction' });
  });

  test('schedule override on a Service', () => {
    expectProblem(app => {
      const { project, dev } = baseline(app);
      service(project, 'api').configureEnvironment(dev, { schedule: '@hourly' });
    }, { path: 'acme/shop/api', value: "'schedule'", fix: /scheduled tasks only/, at: 'construction' });
  });
});

// ---------------------------------------------------------------------------------------------
// Secrets, env vars, files, security
// ---------------------------------------------------------------------------------------------

describe('secrets and configuration', () => {
  test('literal value for DB_PASSWORD', () => {
    expectProblem(app => {
      const { project } = baseline(app);
      service(project, 'api', { env: { DB_PASSWORD: 'hunter2-s3cr3t' } });
    }, { path: 'acme/shop/api', value: "'DB_PASSWORD'", fix: /secretEnv: \{ DB_PASSWORD: SecretRef\.fromStore/, at: 'construction', notContaining: 'hunter2-s3cr3t' });
  });

  test('literal secret in an environment override', () => {
    expectProblem(app => {
      const { project, prod } = baseline(app);
      service(project, 'api').configureEnvironment(prod, { env: { API_TOKEN: 'tok-123456' } });
    }, { path: 'acme/shop/api', value: "'API_TOKEN'", fix: /secretEnv/, at: 'construction', notContaining: 'tok-123456' });
  });

  test('PEM private key in a config file', () => {
    const pem = '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAuniquekeymaterial\n-----END RSA PRIVATE KEY-----\n';
    expectProblem(app => {
      const { project } = baseline(app);
      service(project, 'api', { files: [{ mountPath: '/etc/api', fileName: 'tls.key', content: pem }] });
    }, { path: 'acme/shop/api', value: "'/etc/api/tls.key'", fix: /SecretRef\.fromStore/, at: 'construction', notContaining: 'uniquekeymaterial' });
  });

  test('URL with an embedded password', () => {
    expectProblem(app => {
      const { project } = baseline(app);
      service(project, 'api', { env: { DATABASE_URL: 'postgres://app:hunter2@db.internal:5432/shop' } });
    }, { path: 'acme/shop/api', value: "'DATABASE_URL'", fix: /SecretRef\.fromStore/, at: 'construction', notContaining: 'hunter2' });
  });

  test('file with both content and secret', () => {
    expectProblem(app => {
      const { project } = baseline(app);
      service(project, 'api', {
        files: [{ mountPath: '/etc/api', fileName: 'app.yaml', content: 'a: 1\n', secret: SecretRef.fromStore('shop/api-config') }],
      });
    }, { path: 'acme/shop/api', value: "'/etc/api/app.yaml'", fix: /literal content, or a SecretRef/, at: 'construction' });
  });

  test('environment variable set both in env and secretEnv', () => {
    expectProblem(app => {
      const { project } = baseline(app);
      service(project, 'api', { env: { LOG_SINK: 'stdout' }, secretEnv: { LOG_SINK: SecretRef.fromStore('shop/log-sink') } });
    }, { path: 'acme/shop/api', value: "'LOG_SINK'", fix: /only the secretEnv entry/, at: 'construction' });
  });

  test('environment override setting a variable that is a secretEnv entry', () => {
    expectProblem(app => {
      const { project, staging } = baseline(app);
      service(project, 'api', { secretEnv: { LOG_SINK: SecretRef.fromStore('shop/log-sink') } })
        .configureEnvironment(staging, { env: { LOG_SINK: 'stdout' } });
    }, { path: 'acme/shop/api', value: "'LOG_SINK'", fix: /only the secretEnv entry/, at: 'synth' });
  });

  test('security exception without a reason', () => {
    expectProblem(app => {
      const { project } = baseline(app);
      service(project, 'api', { securityExceptions: [{ rule: PodSecurityRule.RUN_AS_NON_ROOT, reason: '' }] });
    }, { path: 'acme/shop/api', value: "'run-as-non-root'", fix: /explain in a sentence/, at: 'construction' });
  });

  test('invalid environment variable name', () => {
    expectProblem(app => {
      const { project } = baseline(app);
      service(project, 'api', { env: { 'LOG-LEVEL': 'info' } });
    }, { path: 'acme/shop/api', value: "'LOG-LEVEL'", fix: /LOG_LEVEL/, at: 'construction' });
  });
});

// ---------------------------------------------------------------------------------------------
// Images
// ---------------------------------------------------------------------------------------------

describe('images', () => {
  test('invalid image reference', () => {
    expectProblem(app => {
      const { project } = baseline(app);
      service(project, 'api', { image: 'ghcr.io/Acme/API:1.0' });
    }, { path: 'acme/shop/api', value: "'ghcr.io/Acme/API:1.0'", fix: /registry\/repository:tag/, at: 'construction' });
  });

  test('invalid image reference in an environment override', () => {
    expectProblem(app => {
      const { project, staging } = baseline(app);
      service(project, 'api').configureEnvironment(staging, { image: 'https://ghcr.io/acme/api:1.0' });
    }, { path: 'acme/shop/api', value: "'https://ghcr.io/acme/api:1.0'", fix: /registry\/repository:tag/, at: 'construction' });
  });

  test(':latest in a production environment (component image)', () => {
    expectProblem(app => {
      const { project } = baseline(app);
      service(project, 'api', { image: 'ghcr.io/acme/api:latest' });
    }, { path: 'acme/shop/api', value: "'ghcr.io/acme/api:latest'", fix: /immutable release for 'production'/, at: 'synth' });
  });

  test('untagged image in a production environment (component image)', () => {
    expectProblem(app => {
      const { project } = baseline(app);
      service(project, 'api', { image: 'ghcr.io/acme/api' });
    }, { path: 'acme/shop/api', value: "image 'ghcr.io/acme/api' is mutable", fix: /immutable release for 'production'/, at: 'synth' });
  });

  test(':latest in a production environment (environment override)', () => {
    expectProblem(app => {
      const { project, prod } = baseline(app);
      service(project, 'api').configureEnvironment(prod, { image: 'ghcr.io/acme/api:latest' });
    }, { path: 'acme/shop/api', value: "'ghcr.io/acme/api:latest'", fix: /immutable release for 'production'/, at: 'synth' });
  });

  test('untagged image in a production environment (environment override)', () => {
    expectProblem(app => {
      const { project, prod } = baseline(app);
      service(project, 'api').configureEnvironment(prod, { image: 'registry.example.com:5000/acme/api' });
    }, { path: 'acme/shop/api', value: "'registry.example.com:5000/acme/api'", fix: /immutable release for 'production'/, at: 'synth' });
  });
});

// ---------------------------------------------------------------------------------------------
// Positive controls: valid input must pass
// ---------------------------------------------------------------------------------------------

describe('positive controls', () => {
  test('the example platform synthesizes', () => {
    const files = expectValid(app => {
      buildPlatform(app);
    });
    expect(Object.keys(files).length).toBeGreaterThan(10);
  });

  test('the baseline platform synthesizes', () => {
    expectValid(app => {
      const { project } = baseline(app);
      service(project, 'api').addEndpoint('http', { port: 8080 });
    });
  });

  test('a TOKEN_URL style non-secret variable passes', () => {
    const files = expectValid(app => {
      const { project } = baseline(app);
      service(project, 'api', {
        env: { TOKEN_URL: 'https://auth.example.com/oauth/token', AUTH_ISSUER: 'https://auth.example.com', SECRET_STORE_NAME: 'vault' },
        secretEnv: { DB_PASSWORD: SecretRef.fromStore('shop/db', { property: 'password' }) },
      });
    });
    expect(Object.values(files).join('\n')).toContain('https://auth.example.com/oauth/token');
  });

  test('a digest-pinned image passes in production', () => {
    const files = expectValid(app => {
      const { project } = baseline(app);
      service(project, 'api', { image: DIGEST });
    });
    expect(Object.values(files).join('\n')).toContain(DIGEST);
  });

  test('a mutable tag passes in non-production environments when production is pinned', () => {
    const files = expectValid(app => {
      const { project, prod } = baseline(app);
      service(project, 'api', { image: 'ghcr.io/acme/api:latest' }).configureEnvironment(prod, { image: 'ghcr.io/acme/api:1.4.2' });
    });
    const yaml = Object.entries(files);
    expect(yaml.some(([f, y]) => f.includes('/development/') && y.includes('ghcr.io/acme/api:latest'))).toBe(true);
    expect(yaml.some(([f, y]) => f.includes('/production/') && y.includes('ghcr.io/acme/api:latest'))).toBe(false);
  });

  test('a mutable tag passes in a pipeline without production environments', () => {
    expectValid(app => {
      const { org, dataPlane, dev } = baseline(app);
      const qa = new Environment(org, 'qa', { dataPlane });
      const internal = new DeploymentPipeline(org, 'internal', { promotionPaths: [{ source: dev, targets: [qa] }] });
      service(new Project(org, 'tools', { pipeline: internal }), 'wiki', { image: 'ghcr.io/acme/wiki' });
    });
  });

  test('a disruption budget that leaves room for one eviction passes', () => {
    expectValid(app => {
      const { project } = baseline(app);
      service(project, 'api', { replicas: 3, disruptionBudget: DisruptionBudget.minAvailable(2) });
      service(project, 'worker', { disruptionBudget: DisruptionBudget.maxUnavailable(1) });
    });
  });

  // Kubernetes validates CronJob time zones with Go's tz database, which accepts current names and aliases.
  test.each(['Europe/Berlin', 'UTC', 'Asia/Kolkata', 'Europe/Kyiv', 'US/Eastern', 'Etc/GMT+5'])(
    'time zone %s is accepted', (timeZone) => {
      expectValid(app => {
        const { project } = baseline(app);
        new ScheduledTask(project, 'cleanup', { image: IMAGE, schedule: '0 3 * * 1-5', timeZone });
      });
    });
});
