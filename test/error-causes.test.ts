import {
  DataPlane, DeploymentPipeline, Environment, Organization, PlatformApp, PlatformErrors, Project, ReleaseLedger,
} from '../src';
import { baseline, service, withApp } from './support/fixtures';
import { ProblemCollector } from '../src/model/errors';

/** The problems synthesizing the app reports (it must fail with a validation error). */
function problemsOf(build: (app: PlatformApp) => void): Array<{ path: string; message: string; fix: string }> {
  return withApp(app => {
    build(app);
    let error: unknown;
    try {
      app.synthFiles();
    } catch (e) {
      error = e;
    }
    expect(PlatformErrors.isPlatformValidationError(error)).toBe(true);
    expect(String((error as Error).message)).not.toContain('connectivity:');
    return PlatformErrors.problemsOf(error);
  });
}

const pin = { image: 'r.example/api:1.0.0' };

describe('root causes first, follow-on problems dropped', () => {
  test('a pipeline cycle is the only problem: the ledger pins of its projects are not checked against cells that cannot exist', () => {
    const problems = problemsOf(app => {
      const releases = ReleaseLedger.fromJson({
        format: 1,
        environments: { dev: { 'shop/api': pin }, staging: { 'shop/api': pin }, prod: { 'shop/api': pin, 'shop/web': pin } },
      });
      const org = new Organization(app, 'acme', { releases });
      const dataPlane = new DataPlane(org, 'eu');
      const [dev, staging, prod] = ['dev', 'staging', 'prod'].map(name => new Environment(org, name, { dataPlane }));
      const pipeline = new DeploymentPipeline(org, 'p1', {
        promotionPaths: [{ source: dev, targets: [staging] }, { source: staging, targets: [prod] }, { source: prod, targets: [staging] }],
      });
      const shop = new Project(org, 'shop', { pipeline });
      service(shop, 'api').configureEnvironment(prod, { replicas: 2 });
      service(shop, 'web');
    });
    expect(problems).toEqual([{
      path: 'acme/p1',
      message: "deployment pipeline 'p1' has a cycle: staging -> prod -> staging",
      fix: 'remove one of the promotion paths in the cycle so that promotion flows one way',
    }]);
  });

  test('the ledger is still checked for projects whose pipeline is valid', () => {
    const problems = problemsOf(app => {
      const releases = ReleaseLedger.fromJson({ format: 1, environments: { development: { 'shop/ghost': pin } } });
      service(baseline(app, { releases }).project, 'api');
    });
    expect(problems).toEqual([expect.objectContaining({
      path: 'acme (release ledger inline ledger)',
      message: "the ledger pins 'shop/ghost' in 'development', but no such component is deployed there",
    })]);
  });

  test('a metrics port that is not an endpoint is reported once (not per environment) and not again as an SLO without metrics', () => {
    const problems = problemsOf(app => {
      const api = service(baseline(app).project, 'api', { metrics: { port: 9999 }, slo: { availability: 99.9 } });
      api.addEndpoint('http', { port: 8080 });
    });
    expect(problems).toEqual([{
      path: 'acme/shop/api',
      message: "metrics port 9999 is not an endpoint of component 'api' (a ServiceMonitor scrapes it through the Service)",
      fix: "add an endpoint on port 9999, e.g. addEndpoint('metrics', { port: 9999 }), or use one of its TCP endpoint ports: 8080",
    }]);
  });
});

describe('one problem per cause across environments, naming the environments it concerns', () => {
  test('an SLO nothing measures, in all three environments: one problem naming the first and the others', () => {
    const problems = problemsOf(app => {
      service(baseline(app).project, 'api', { slo: { availability: 99.9 } }).addEndpoint('http', { port: 8080 });
    });
    expect(problems).toEqual([{
      path: 'acme/shop/api',
      message: "slo is set on component 'api' in 'development', but nothing measures its requests: it has no metrics endpoint and data plane 'eu' reads OpenTelemetry metrics (also in 'staging', 'production')",
      fix: "declare metrics: { port } for the component's HTTP server metrics, or set observability.httpMetrics: HttpMetrics.hubble() on the data plane",
    }]);
  });

  test('a problem in one environment only names that environment, without "also"', () => {
    const problems = problemsOf(app => {
      const b = baseline(app);
      service(b.project, 'api', { resources: { cpuLimit: '500m' } }).configureEnvironment(b.staging, { resources: { cpuRequest: '2' } });
    });
    expect(problems).toEqual([{ path: 'acme/shop/api', message: "cpuRequest 2 exceeds cpuLimit 500m in 'staging'", fix: 'set cpuLimit to at least 2, or lower cpuRequest' }]);
  });

  test('different values in different environments stay separate problems, each naming its environment', () => {
    const problems = problemsOf(app => {
      const b = baseline(app);
      const api = service(b.project, 'api', { resources: { cpuLimit: '500m' } });
      api.configureEnvironment(b.staging, { resources: { cpuRequest: '2' } });
      api.configureEnvironment(b.prod, { resources: { cpuRequest: '3' } });
    });
    expect(problems.map(p => p.message)).toEqual(["cpuRequest 2 exceeds cpuLimit 500m in 'staging'", "cpuRequest 3 exceeds cpuLimit 500m in 'production'"]);
  });

  test('the same bad override in two environments is one problem', () => {
    const problems = problemsOf(app => {
      const b = baseline(app);
      const api = service(b.project, 'api', { resources: { cpuLimit: '500m' } });
      api.configureEnvironment(b.staging, { resources: { cpuRequest: '2' } });
      api.configureEnvironment(b.prod, { resources: { cpuRequest: '2' } });
    });
    expect(problems).toEqual([{
      path: 'acme/shop/api', message: "cpuRequest 2 exceeds cpuLimit 500m in 'staging' (also in 'production')", fix: 'set cpuLimit to at least 2, or lower cpuRequest',
    }]);
  });

  test('a mutable image in two production environments: one problem, its fix for the first', () => {
    const problems = problemsOf(app => {
      const org = new Organization(app, 'acme');
      const dataPlane = new DataPlane(org, 'eu');
      const dev = new Environment(org, 'dev', { dataPlane });
      const eu = new Environment(org, 'prod-eu', { dataPlane, isProduction: true });
      const us = new Environment(org, 'prod-us', { dataPlane, isProduction: true });
      const pipeline = new DeploymentPipeline(org, 'p', { promotionPaths: [{ source: dev, targets: [eu, us] }] });
      service(new Project(org, 'shop', { pipeline }), 'api', { image: 'r.example/api:latest' });
    });
    expect(problems).toEqual([{
      path: 'acme/shop/api',
      message: "image 'r.example/api:latest' is mutable ('latest' or no tag) but environment 'prod-eu' is marked production (also in 'prod-us')",
      fix: "pin an immutable release for 'prod-eu': a version tag or a digest, e.g. configureEnvironment(prod-eu, { image: 'r.example/api:1.2.3' })",
    }]);
  });

  test('a dependency variable set in env by one environment override names that environment', () => {
    const problems = problemsOf(app => {
      const b = baseline(app);
      const catalog = service(b.project, 'catalog').addEndpoint('http', { port: 8080 });
      const api = service(b.project, 'api');
      api.dependOn(catalog);
      api.configureEnvironment(b.staging, { env: { CATALOG_HTTP_URL: 'http://localhost:8080' } });
    });
    expect(problems).toEqual([{
      path: 'acme/shop/api',
      message: "environment variable 'CATALOG_HTTP_URL' is injected by a dependency and also set in env in 'staging'",
      fix: 'remove it from env, or give the dependency another addressEnvVar',
    }]);
  });

  test('the same variable set in env for every environment: one problem naming all three', () => {
    const problems = problemsOf(app => {
      const b = baseline(app);
      const catalog = service(b.project, 'catalog').addEndpoint('http', { port: 8080 });
      service(b.project, 'api', { env: { CATALOG_HTTP_URL: 'http://localhost:8080' } }).dependOn(catalog);
    });
    expect(problems.map(p => p.message)).toEqual([
      "environment variable 'CATALOG_HTTP_URL' is injected by a dependency and also set in env in 'development' (also in 'staging', 'production')",
    ]);
  });

  test('the collector drops exact repeats and keeps problems without an environment apart', () => {
    const problems = new ProblemCollector();
    problems.add('acme/x', "bad value 'v'", 'fix it');
    problems.add('acme/x', "bad value 'v'", 'fix it');
    problems.add('acme/x', "bad value 'v' in 'dev'", "fix it in 'dev'", { environment: 'dev' });
    problems.add('acme/x', "bad value 'v' in 'prod'", "fix it in 'prod'", { environment: 'prod' });
    problems.add('acme/y', "bad value 'v'", 'fix it', { environment: 'dev' });
    problems.add('acme/y', "bad value 'v'", 'fix it', { environment: 'prod' });
    expect(() => problems.throwIfAny()).toThrow(expect.objectContaining({
      problems: [
        { path: 'acme/x', message: "bad value 'v'", fix: 'fix it' },
        { path: 'acme/x', message: "bad value 'v' in 'dev' (also in 'prod')", fix: "fix it in 'dev'" },
        { path: 'acme/y', message: "bad value 'v'", fix: 'fix it' },
      ],
    }));
  });
});

describe('no internal assertion is the first thing a user sees', () => {
  test("two projects whose cells would share one namespace: the resolver's problem, not 'connectivity: two workloads share the pod identity'", () => {
    withApp(app => {
      const org = new Organization(app, 'acme');
      const dataPlane = new DataPlane(org, 'eu');
      const c = new Environment(org, 'c', { dataPlane });
      const bc = new Environment(org, 'b-c', { dataPlane });
      const pipeline = new DeploymentPipeline(org, 'p', { promotionPaths: [{ source: c, targets: [bc] }] });
      service(new Project(org, 'a', { pipeline }), 'api');
      service(new Project(org, 'a-b', { pipeline }), 'api');
      let error: unknown;
      try {
        app.synthFiles();
      } catch (e) {
        error = e;
      }
      const text = PlatformErrors.describe(error);
      expect(text.split('\n').slice(0, 2)).toEqual([
        'Synthesis failed: 1 problem in the platform declaration.',
        expect.stringMatching(/^\[acme\/a-b\] the cell of project 'a-b' in environment 'c' gets namespace 'dp-acme-a-b-c-7136f10d'.*\. Fix: rename project 'a-b' or environment 'c'/),
      ]);
      expect(text).not.toContain('pod identity');
    });
  });
});
