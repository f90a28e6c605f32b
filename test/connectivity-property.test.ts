import * as fc from 'fast-check';
import {
  Component, DataPlane, DeploymentPipeline, Endpoint, EndpointType, Environment, ExternalService, HttpMethod, HttpRule,
  IsolationMode, NetworkPolicyProvider, Organization, Project, ScheduledTask, Service, Tracing, Visibility, WebApplication, Worker,
} from '../src';
import { assertValidManifests } from './support/schema-validator';
import { testApp } from './support/synth';
import { synthesizeOrganization } from '../src/synth';

/** A flow as the connectivity report names its ends. */
interface Expected { from: string; to: string; port: number; protocol: string; l7?: string[] }

const TYPES = [EndpointType.HTTP, EndpointType.GRPC, EndpointType.GRAPHQL, EndpointType.WEBSOCKET, EndpointType.TCP, EndpointType.UDP];
const L7_TYPES = [EndpointType.HTTP, EndpointType.GRPC, EndpointType.GRAPHQL, EndpointType.WEBSOCKET];
const METHODS = [HttpMethod.GET, HttpMethod.POST, undefined];
const PATHS = ['/orders/*', '/health', undefined];

/** Seeded generator of random but valid platforms, and of the graph they declare. */
function generate(seed: number, provider: NetworkPolicyProvider, isolation: IsolationMode) {
  let state = seed % 2147483647 || 1;
  const rnd = (n: number) => { state = (state * 48271) % 2147483647; return state % n; };
  const pick = <T>(xs: T[]): T => xs[rnd(xs.length)];

  const org = new Organization(testApp(), 'acme', { isolation });
  const dataPlane = new DataPlane(org, 'dp', {
    networkPolicyProvider: provider,
    acceptWiderNetworkRules: provider === NetworkPolicyProvider.KUBERNETES,
    externalGateway: { domain: 'apps.acme.example' },
    internalGateway: { domain: 'internal.acme.example' },
  });
  const dev = new Environment(org, 'dev', { dataPlane });
  const pipeline = new DeploymentPipeline(org, 'p', { promotionPaths: [{ source: dev, targets: [new Environment(org, 'prod', { dataPlane })] }] });
  const externals = Array.from({ length: rnd(3) }, (_, i) => new ExternalService(org, `ext${i}`, rnd(2) === 0
    ? { host: `svc${i}.example.com`, port: 443 }
    : { host: `db${i}.corp.example`, cidrs: [`10.${i}.0.0/24`], port: 5432 }));

  const components: Component[] = [];
  const projects = Array.from({ length: 1 + rnd(3) }, (_, p) => new Project(org, `proj${p}`, { pipeline }));
  for (const project of projects) {
    for (let i = 0; i < 1 + rnd(4); i++) {
      const kind = rnd(4);
      const types = kind >= 2 ? Array.from({ length: rnd(4) }, () => pick(TYPES)) : [];
      // a third of the components serve metrics: workers and tasks on a port of their own, the others on their first
      // endpoint's port (through the Service); tracing is off, explicit or the data plane's default
      const metricsPort = kind < 2 ? 9464 : types.length > 0 && types[0] !== EndpointType.UDP ? 8000 : undefined;
      const metrics = metricsPort !== undefined && rnd(3) === 0 ? { port: metricsPort } : undefined;
      const tracing = [Tracing.none(), Tracing.sdk(), undefined][rnd(3)];
      const props = { image: `r.example/c${i}:1.0.0`, tracing, metrics };
      const c = kind === 0 ? new Worker(project, `c${i}`, props)
        : kind === 1 ? new ScheduledTask(project, `c${i}`, { ...props, schedule: '@hourly' })
          : kind === 2 ? new WebApplication(project, `c${i}`, props) : new Service(project, `c${i}`, props);
      if (kind >= 2) {
        for (let e = 0; e < types.length; e++) {
          const type = types[e];
          // only HTTP-like and gRPC endpoints can be exposed through the gateways
          const candidates = [Visibility.ORGANIZATION, ...(L7_TYPES.includes(type) ? [Visibility.INTERNAL, Visibility.PUBLIC] : [])];
          const visibility = candidates.filter(() => rnd(3) === 0);
          // the Service port and the container port differ half of the time
          c.addEndpoint(`ep${e}`, { port: 8000 + e, targetPort: rnd(2) === 0 ? undefined : 9000 + e, type, visibility });
        }
      }
      components.push(c);
    }
  }

  const expected: Expected[] = [];
  const id = (c: Component) => `${c.project.name}/${c.name}`;
  const l7Rendered = provider === NetworkPolicyProvider.CILIUM && isolation === IsolationMode.LEAST_PRIVILEGE;
  for (const c of components) {
    expected.push({ from: id(c), to: 'dns', port: 53, protocol: 'TCP' }, { from: id(c), to: 'dns', port: 53, protocol: 'UDP' });
    // telemetry: traces to the collector unless switched off; Prometheus scrapes the metrics port (the container port)
    if (c._props.tracing === undefined || c._props.tracing._mode !== 'none') {
      expected.push({ from: id(c), to: 'otel-collector', port: 4318, protocol: 'TCP' });
    }
    const m = c._props.metrics;
    if (m) expected.push({ from: 'prometheus', to: id(c), port: c.endpoints.find(e => e.port === m.port)?.targetPort ?? m.port, protocol: 'TCP' });
    const candidates = components.flatMap(p => p.endpoints)
      .filter(ep => ep.component !== c && (ep.component.project === c.project || ep.isVisibleTo(Visibility.ORGANIZATION)));
    const chosen = new Set<Endpoint>();
    for (let d = 0; d < rnd(4) && candidates.length > 0; d++) chosen.add(pick(candidates));
    for (const ep of chosen) {
      const method = pick(METHODS);
      const rules: HttpRule[] | undefined = L7_TYPES.includes(ep.type) && rnd(3) === 0
        ? [{ method, path: method === undefined ? '/health' : pick(PATHS) }] : undefined;
      c.dependOn(ep, { addressEnvVar: `DEP_${ep.component.project.name}_${ep.component.name}_${ep.name}`.toUpperCase(), httpRules: rules });
      if (isolation === IsolationMode.LEAST_PRIVILEGE) {
        const l7 = l7Rendered && rules ? rules.map(r => `${r.method ?? '*'} ${r.path === undefined ? '*' : regex(r.path)}`).sort() : undefined;
        expected.push({ from: id(c), to: id(ep.component), port: ep.targetPort, protocol: ep.type === EndpointType.UDP ? 'UDP' : 'TCP', ...(l7 ? { l7 } : {}) });
      }
    }
    for (const ext of externals) {
      if (rnd(3) !== 0) continue;
      c.dependOnExternal(ext);
      expected.push({ from: id(c), to: `external:${ext.name}`, port: ext.port, protocol: 'TCP' });
      if (provider === NetworkPolicyProvider.KUBERNETES && ext.cidrs.length === 0) {
        // accepted as wider: any address on the port, so every external target on it
        for (const other of externals.filter(x => x.port === ext.port)) expected.push({ from: id(c), to: `external:${other.name}`, port: other.port, protocol: 'TCP' });
      }
    }
  }
  for (const p of components) {
    for (const ep of p.endpoints) {
      const protocol = ep.type === EndpointType.UDP ? 'UDP' : 'TCP';
      // flows arrive on the pods' container ports
      if (ep.isVisibleTo(Visibility.INTERNAL)) expected.push({ from: 'gateway:internal', to: id(p), port: ep.targetPort, protocol });
      if (ep.isVisibleTo(Visibility.PUBLIC)) expected.push({ from: 'gateway:external', to: id(p), port: ep.targetPort, protocol });
      if (isolation === IsolationMode.OPENCHOREO_COMPATIBLE) {
        for (const c of components) {
          const sameCell = c.project === p.project;
          if (c !== p && (sameCell || ep.isVisibleTo(Visibility.ORGANIZATION))) {
            expected.push({ from: id(c), to: id(p), port: ep.targetPort, protocol });
          }
        }
      }
    }
  }
  return { org, expected: dedupe(expected) };
}

function regex(path: string): string {
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return path.endsWith('/*') ? `${escape(path.slice(0, -2))}(/.*)?` : escape(path);
}

function dedupe(flows: Expected[]): Expected[] {
  const byKey = new Map(flows.map(f => [`${f.from}|${f.to}|${f.port}|${f.protocol}`, f]));
  return [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, f]) => f);
}

const cases: Array<[NetworkPolicyProvider, IsolationMode]> = [
  [NetworkPolicyProvider.CILIUM, IsolationMode.LEAST_PRIVILEGE],
  [NetworkPolicyProvider.KUBERNETES, IsolationMode.LEAST_PRIVILEGE],
  [NetworkPolicyProvider.CILIUM, IsolationMode.OPENCHOREO_COMPATIBLE],
  [NetworkPolicyProvider.KUBERNETES, IsolationMode.OPENCHOREO_COMPATIBLE],
];

/** Generated platforms per back-end and isolation mode. */
const RUNS = 60;

describe('connectivity computed from the emitted policies equals the declared graph', () => {
  test.each(cases)('%s back-end, %s isolation', (provider, isolation) => {
    let platforms = 0;
    fc.assert(fc.property(fc.integer({ min: 1, max: 2147483646 }), seed => {
      const { org, expected } = generate(seed, provider, isolation);
      const rendered = synthesizeOrganization(org);
      assertValidManifests(rendered.objects.map(o => o.manifest));
      for (const env of rendered.connectivity) {
        const actual = dedupe(env.flows.map(f => ({ from: f.from, to: f.to, port: f.port, protocol: f.protocol, ...(f.l7 ? { l7: f.l7 } : {}) })));
        expect(actual).toEqual(expected);
      }
      platforms++;
    }), { numRuns: RUNS, seed: 20261125 });
    expect(platforms).toBe(RUNS);
  });
});
