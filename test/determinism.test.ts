import { Duration } from 'cdk8s';
import { buildPlatform } from '../examples/platform/main';
import {
  DataPlane, DeploymentPipeline, Environment, EndpointType, ExternalService, Organization, PlatformApp, Project,
  RateLimitUnit, ScheduledTask, SecretRef, Service, Visibility, Worker,
} from '../src';
import { testApp } from './support/synth';

/** Declares the same platform, visiting every list in the given order. */
function declare(app: PlatformApp, order: (xs: number[]) => number[]): void {
  const org = new Organization(app, 'acme');
  const dp = new DataPlane(org, 'dp', { internalGateway: { domain: 'internal.acme.example' } });
  const envs: Record<string, Environment> = {};
  for (const i of order([0, 1, 2])) {
    const name = ['dev', 'staging', 'prod'][i];
    envs[name] = new Environment(org, name, { dataPlane: dp, isProduction: name === 'prod' });
  }
  const paths = [{ source: envs.dev, targets: [envs.staging] }, { source: envs.staging, targets: [envs.prod] }];
  const pipeline = new DeploymentPipeline(org, 'p', { promotionPaths: order([0, 1]).map(i => paths[i]) });
  const ext = new ExternalService(org, 'smtp', { host: 'smtp.example.com', port: 587 });
  const projects = order([0, 1, 2]).map(i => new Project(org, `proj${i}`, { pipeline })).sort((a, b) => (a.name < b.name ? -1 : 1));
  const services: Service[] = [];
  for (const p of order([0, 1, 2])) {
    for (const c of order([0, 1, 2, 3])) {
      const project = projects[p];
      const id = `c${c}`;
      if (c === 3) {
        new ScheduledTask(project, id, { image: `reg.example/${id}:1.0.${p}`, schedule: '*/5 * * * *' });
        continue;
      }
      if (c === 2) {
        new Worker(project, id, { image: `reg.example/${id}:1.0.${p}`, secretEnv: { B: SecretRef.fromStore('b'), A: SecretRef.fromStore('a') } });
        continue;
      }
      const s = new Service(project, id, { image: `reg.example/${id}:1.0.${p}`, env: { Z: '1', A: '2' }, metrics: { port: 8080 } });
      for (const e of order([0, 1])) {
        const ep = s.addEndpoint(`ep${e}`, {
          port: 8080 + e,
          type: e === 0 ? EndpointType.HTTP : EndpointType.GRPC,
          visibility: [Visibility.ORGANIZATION, ...(e === 0 ? [Visibility.INTERNAL] : [])],
        });
        if (e !== 0) continue;
        // route options of different scopes, declared in any order
        const calls = [
          () => ep.configureRoute({ pathPrefix: `/${project.name}-${id}`, policy: { rateLimit: { requests: 10, unit: RateLimitUnit.SECOND } } }),
          () => ep.configureRoute({ policy: { timeout: { request: Duration.seconds(5) } } }, { environment: envs.prod }),
          () => ep.configureRoute({ policy: { responseHeaders: { set: { 'X-B': 'b', 'X-A': 'a' }, remove: ['Server', 'Date'] } } }, { visibility: Visibility.INTERNAL }),
        ];
        for (const i of order([0, 1, 2])) calls[i]();
      }
      services.push(s);
    }
  }
  const byPath = (path: string) => services.find(s => s.node.path === path)!;
  for (const p of order([0, 1, 2])) {
    const consumer = projects[p].findComponent('c0')!;
    for (const q of order([0, 1, 2])) {
      const provider = byPath(`acme/proj${q}/c1`);
      consumer.dependOn(provider.findEndpoint('ep0')!, { addressEnvVar: `P${q}_URL` });
    }
    consumer.dependOnExternal(ext);
    consumer.configureEnvironment(envs.prod, { replicas: 3, env: { A: 'prod' } });
  }
}

describe('deterministic output', () => {
  test('synthesizing twice gives byte-identical files', () => {
    const a = testApp();
    buildPlatform(a);
    const b = testApp();
    buildPlatform(b);
    expect(b.synthFiles()).toEqual(a.synthFiles());
  });

  test('declaration order does not change a byte', () => {
    const forward = testApp();
    declare(forward, xs => xs);
    const reverse = testApp();
    declare(reverse, xs => [...xs].reverse());
    const rotated = testApp();
    declare(rotated, xs => [...xs.slice(1), ...xs.slice(0, 1)]);
    const f = forward.synthFiles();
    // 9 cells × 7 files, a README and a report per environment, kustomizations (organization, data
    // plane, 3 environments, 9 cells, the platform folder), the platform's gateways and dashboards, and platform.json
    // + a connectivity.md per cell, the organization's README and the platform folder's README, a policy.md per environment
    expect(Object.keys(f)).toHaveLength(3 * 3 * 7 + 3 * 2 + (1 + 1 + 3 + 9 + 1) + 2 + 1 + 9 + 1 + 1 + 3);
    expect(f['acme/dp/prod/proj1/c1.yaml']).toContain('kind: BackendTrafficPolicy');
    expect(f['acme/dp/prod/proj1/c1.yaml']).toContain('alert: OpenChoreoAvailabilityBudgetBurn');
    expect(f['acme/dp/prod/proj1/observability.yaml']).toContain('record: openchoreo:http_request_errors:ratio_rate3d');
    expect(reverse.synthFiles()).toEqual(f);
    expect(rotated.synthFiles()).toEqual(f);
  });

  test('env vars, endpoints and secret keys come out sorted', () => {
    const app = testApp();
    declare(app, xs => [...xs].reverse());
    const files = app.synthFiles();
    const c0 = files['acme/dp/prod/proj0/c0.yaml'];
    expect(c0.indexOf('name: P0_URL')).toBeLessThan(c0.indexOf('name: P1_URL'));
    expect(c0.indexOf('name: P1_URL')).toBeLessThan(c0.indexOf('name: SMTP_ADDRESS'));
    expect(c0).toMatch(/data:\n {2}A: prod\n {2}Z: "1"\n/);
  });
});
