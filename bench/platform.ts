import { Duration } from 'cdk8s';
/**
 * A synthetic, deterministic platform for the scale benchmark: N components spread over projects of
 * `perProject` components, deployed along development → staging → production (production pinned).
 *
 * The mix per project of 20 is fixed by position (12 Services, 3 WebApplications, 3 Workers,
 * 2 ScheduledTasks); details (env vars, autoscaling, budgets, overrides, dependency targets) come
 * from a PRNG seeded per component, so component i is the same whatever N is and the platform for
 * N=3000 contains the one for N=1000 (bar the last, partial project).
 *
 * Platform services come from a second PRNG stream per component (so the structure above is the
 * same as before they existed): gateways on the data plane with API policies on every exposed
 * endpoint, metrics on half of the Services and web apps, Java auto-instrumentation on a fifth of
 * the Services, a build from source for a tenth of them, and access grants per project.
 */
import {
  AccessGrant, AccessRole, ApiAuthentication, BuildPlane, Component, DataPlane, DeploymentPipeline, DisruptionBudget, Endpoint, EndpointType,
  Environment, ExternalService, GatewayCertificate, Organization, PlatformApp, Project, RateLimitUnit, ScheduledTask, SecretRef, Service,
  Tracing, TracingLanguage, Visibility, WebApplication, Worker, Probe, Placement, TaintEffect, TolerationOperator, StatefulService,
} from '../src';

/**
 * Production-workload features (probes, placement, sidecars, stateful services) are on unless
 * BENCH_PLAIN_WORKLOADS=1, so one run can measure what they cost.
 */
const WORKLOAD_FEATURES = process.env.BENCH_PLAIN_WORKLOADS !== '1';

/** Options of {@link buildPlatform}. */
export interface PlatformOptions {
  /** Number of components. */
  readonly components: number;
  /** Components per project. Default 20. */
  readonly perProject?: number;
  /** PRNG seed. Default 0x5eed. */
  readonly seed?: number;
  /**
   * Index of one component given an extra env var (`BENCH_TOUCHED=true`), to measure re-synth after a
   * one-component change. Default none: the platform is then exactly the unchanged one.
   */
  readonly touch?: number;
}

/** What {@link buildPlatform} built. */
export interface BuiltPlatform {
  readonly organization: Organization;
  readonly projects: number;
  readonly components: number;
  readonly environments: number;
  readonly dependencies: number;
}

/* eslint-disable no-bitwise */
/** mulberry32: a small, fast, seedable PRNG (no Math.random). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A per-item generator: independent of how many items exist. */
function rngFor(seed: number, i: number): Rng {
  return new Rng(mulberry32((seed ^ Math.imul(i + 1, 0x9e3779b1)) >>> 0));
}

/* eslint-enable no-bitwise */

class Rng {
  constructor(private readonly next: () => number) {}
  public float(): number { return this.next(); }
  public int(lo: number, hi: number): number { return lo + Math.floor(this.next() * (hi - lo + 1)); }
  public chance(p: number): boolean { return this.next() < p; }
  public pick<T>(xs: readonly T[]): T { return xs[Math.floor(this.next() * xs.length)]; }
  public hex(n: number): string {
    let s = '';
    while (s.length < n) s += Math.floor(this.next() * 0x100000000).toString(16).padStart(8, '0');
    return s.slice(0, n);
  }
}

const WORDS = [
  'catalog', 'orders', 'billing', 'invoices', 'inventory', 'shipping', 'search', 'pricing', 'accounts', 'profiles',
  'reviews', 'ratings', 'carts', 'checkout', 'payments', 'ledger', 'refunds', 'promotions', 'coupons', 'loyalty',
  'notifications', 'emails', 'reports', 'analytics', 'audit', 'identity', 'sessions', 'media', 'uploads', 'recommend',
];
const LOG_LEVELS = ['info', 'warn', 'debug'];
const REGIONS = ['eu-west-1', 'eu-central-1', 'us-east-1'];
const SCHEDULES = ['*/15 * * * *', '0 * * * *', '30 2 * * *', '0 4 * * 1', '@hourly', '@daily'];
const TIME_ZONES = [undefined, 'UTC', 'Europe/Berlin'];
const JWT = { issuer: 'https://auth.bench.example/', jwksUri: 'https://auth.bench.example/.well-known/jwks.json' };

type Kind = 'service' | 'web' | 'worker' | 'task';

/** The kind of the component at position `j` of a project (of 20; scaled for other sizes). */
function kindAt(j: number, perProject: number): Kind {
  const x = (j * 20) / perProject;
  if (x < 12) return 'service';
  if (x < 15) return 'web';
  if (x < 18) return 'worker';
  return 'task';
}

interface Entry {
  readonly component: Component;
  readonly kind: Kind;
  readonly rng: Rng;
  readonly endpoints: Endpoint[];
  readonly autoscaled?: boolean;
}

/**
 * Builds the platform into `app` (a PlatformApp or any cdk8s App).
 */
export function buildPlatform(app: PlatformApp, options: PlatformOptions): BuiltPlatform {
  const n = options.components;
  const perProject = options.perProject ?? 20;
  const seed = options.seed ?? 0x5eed;

  const org = new Organization(app, 'bench', { displayName: 'Benchmark Corp' });
  const dp = new DataPlane(org, 'eu-west', {
    secretStore: 'vault-eu',
    secretRefreshInterval: Duration.minutes(30),
    externalGateway: { domain: 'apps.bench.example', certificate: GatewayCertificate.fromCertManager('letsencrypt') },
    internalGateway: { domain: 'internal.bench.example', certificate: GatewayCertificate.fromSecretStore('certs/internal') },
  });
  new BuildPlane(org, 'ci', { dataPlane: dp, registry: 'ghcr.io/bench', registryCredentials: SecretRef.fromStore('ci/registry') });
  new AccessGrant(org, 'admins', { groups: ['platform-admins'], role: AccessRole.ADMIN });
  new AccessGrant(org, 'viewers', { groups: ['engineering'], role: AccessRole.VIEWER });
  const dev = new Environment(org, 'development', { dataPlane: dp });
  const staging = new Environment(org, 'staging', { dataPlane: dp, defaultReplicas: 2 });
  const prod = new Environment(org, 'production', {
    dataPlane: dp,
    isProduction: true,
    defaultReplicas: 3,
    defaultResources: { cpuRequest: '250m', cpuLimit: '1', memoryRequest: '512Mi', memoryLimit: '1Gi' },
    ...(WORKLOAD_FEATURES ? {
      placement: {
        nodeSelector: { 'bench.example/pool': 'production' },
        tolerations: [{ key: 'bench.example/dedicated', operator: TolerationOperator.EQUAL, value: 'production', effect: TaintEffect.NO_SCHEDULE }],
        priorityClassName: 'bench-production',
      } as Placement,
    } : {}),
  });
  const pipeline = new DeploymentPipeline(org, 'standard', {
    promotionPaths: [
      { source: dev, targets: [staging] },
      { source: staging, targets: [prod], requiresApproval: true },
    ],
  });
  const externals = [
    new ExternalService(org, 'stripe', { host: 'api.stripe.com', port: 443, scheme: 'https' }),
    new ExternalService(org, 'sendgrid', { host: 'api.sendgrid.com', port: 443, scheme: 'https' }),
    new ExternalService(org, 'orders-db', { host: 'orders-db.abc123.eu-west-1.rds.amazonaws.com', port: 5432, scheme: 'postgres' }),
  ];

  const projectCount = Math.ceil(n / perProject);
  const byProject: Entry[][] = [];
  // ORGANIZATION-visible endpoints, by project index, for cross-project dependencies.
  const shared: Endpoint[][] = [];
  let dependencies = 0;

  // 1. Projects, components and endpoints.
  for (let p = 0; p < projectCount; p++) {
    const pname = `p${String(p).padStart(4, '0')}`;
    const project = new Project(org, pname, { pipeline, displayName: `Project ${p}` });
    new AccessGrant(org, `${pname}-developers`, { groups: [`${pname}-developers`], role: AccessRole.DEVELOPER, project });
    const entries: Entry[] = [];
    const sharedHere: Endpoint[] = [];
    const size = Math.min(perProject, n - p * perProject);
    for (let j = 0; j < size; j++) {
      const i = p * perProject + j;
      const rng = rngFor(seed, i);
      const kind = kindAt(j, perProject);
      const entry = makeComponent(project, i, j, kind, rng, options.touch === i);
      entries.push(entry);
      // The first two services of a project publish their HTTP API to the organization.
      if (kind === 'service' && j < 2) sharedHere.push(entry.endpoints[0]);
    }
    byProject.push(entries);
    shared.push(sharedHere);
  }

  // 2. Dependencies and per-environment overrides.
  for (let p = 0; p < projectCount; p++) {
    const entries = byProject[p];
    const providers = entries.filter(e => e.endpoints.length > 0);
    for (const e of entries) {
      const rng = e.rng;
      // 1–2 endpoints of other components of the same project.
      const candidates = providers.filter(x => x !== e);
      const want = Math.min(candidates.length, rng.chance(0.5) ? 2 : 1);
      const chosen = new Set<Entry>();
      while (chosen.size < want) chosen.add(rng.pick(candidates));
      for (const provider of chosen) {
        e.component.dependOn(rng.pick(provider.endpoints));
        dependencies++;
      }
      // ~25%: an ORGANIZATION-visible endpoint of another project.
      if (projectCount > 1 && rng.chance(0.25)) {
        const q = (p + 1 + rng.int(0, projectCount - 2)) % projectCount;
        const target = shared[q].length > 0 ? rng.pick(shared[q]) : undefined;
        if (target) {
          const stem = `${target.component.project.name}_${target.component.name}`.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
          e.component.dependOn(target, { addressEnvVar: `${stem}_URL` });
          dependencies++;
        }
      }
      // ~6%: an external service.
      if (rng.chance(0.06)) {
        e.component.dependOnExternal(rng.pick(externals));
        dependencies++;
      }
      configureEnvironments(e, dev, staging, prod);
    }
  }

  return { organization: org, projects: projectCount, components: n, environments: 3, dependencies };
}

function nameOf(i: number, kind: Kind): string {
  return `${WORDS[i % WORDS.length]}-${kind === 'service' ? 'api' : kind === 'web' ? 'web' : kind === 'worker' ? 'worker' : 'job'}-${i}`;
}

/** The name of component `i` (as {@link buildPlatform} names it). */
export function componentName(i: number, perProject = 20): string {
  return nameOf(i, kindAt(i % perProject, perProject));
}

function makeComponent(project: Project, i: number, j: number, kind: Kind, rng: Rng, touched: boolean): Entry {
  const name = nameOf(i, kind);
  const services = rngFor(0x0b5e, i); // platform services: a stream of its own
  const built = kind === 'service' && services.chance(0.1);
  const version = `${rng.int(0, 4)}.${rng.int(0, 20)}.${rng.int(0, 9)}`;
  const image = built ? `ghcr.io/bench/bench-${project.name}-${name}:${version}` : `ghcr.io/bench/${name}:${version}`;
  const source = built ? { repository: `https://git.bench.example/${project.name}/${name}.git` } : undefined;
  const metrics = (kind === 'service' || kind === 'web') && services.chance(0.5) ? { port: kind === 'web' ? 3000 : 8080 } : undefined;
  const tracing = kind === 'service' && services.chance(0.2) ? Tracing.autoInstrument(TracingLanguage.JAVA) : undefined;
  const env: { [k: string]: string } = {
    LOG_LEVEL: rng.pick(LOG_LEVELS),
    AWS_REGION: rng.pick(REGIONS),
    FEATURE_FLAGS_ENABLED: rng.chance(0.5) ? 'true' : 'false',
  };
  for (let k = rng.int(0, 4); k > 0; k--) env[`SETTING_${k}`] = `value-${rng.int(0, 999)}`;
  if (touched) env.BENCH_TOUCHED = 'true'; // draws nothing from rng: every other component stays the same
  const secretEnv = { DB_PASSWORD: SecretRef.fromStore(`${project.name}/${name}/db`, { property: 'password' }) };
  const resources = rng.chance(0.3)
    ? { cpuRequest: `${rng.pick([100, 200, 250, 500])}m`, memoryRequest: `${rng.pick([128, 256, 384, 512])}Mi` }
    : undefined;
  const files = rng.chance(0.1)
    ? [{ mountPath: `/etc/${name}`, fileName: 'config.yaml', content: `service: ${name}\nretries: ${rng.int(1, 5)}\ntimeoutSeconds: ${rng.int(5, 60)}\n` }]
    : undefined;
  const base = { image, source, env, secretEnv, resources, files, metrics, tracing };

  if (kind === 'task') {
    const c = new ScheduledTask(project, name, {
      ...base, schedule: rng.pick(SCHEDULES), timeZone: rng.pick(TIME_ZONES), backoffLimit: rng.int(1, 5),
    });
    return { component: c, kind, rng, endpoints: [] };
  }
  if (kind === 'worker') {
    const c = new Worker(project, name, {
      ...base,
      replicas: rng.int(1, 3),
      disruptionBudget: rng.chance(0.3) ? DisruptionBudget.maxUnavailable(1) : undefined,
    });
    return { component: c, kind, rng, endpoints: [] };
  }
  if (kind === 'web') {
    const autoscaledWeb = rng.chance(0.5);
    const c = new WebApplication(project, name, {
      ...base,
      ...(WORKLOAD_FEATURES ? { probes: { readiness: Probe.http({ endpoint: 'http', path: '/healthz' }) } } : {}),
      replicas: 2,
      autoscaling: autoscaledWeb ? { minReplicas: 2, maxReplicas: rng.int(4, 10), cpuUtilization: 70 } : undefined,
      disruptionBudget: DisruptionBudget.minAvailablePercent(50),
    });
    const http = c.addEndpoint('http', {
      port: 3000, visibility: [Visibility.PUBLIC], route: { policy: { rateLimit: { requests: 100, unit: RateLimitUnit.SECOND } } },
    });
    return { component: c, kind, rng, endpoints: [http], autoscaled: autoscaledWeb };
  }
  const autoscaled = rng.chance(0.35);
  const workload = WORKLOAD_FEATURES ? {
    probes: { readiness: Probe.http({ endpoint: 'http', path: '/ready' }), liveness: Probe.tcp({ endpoint: 'http' }) },
    sidecars: services.chance(0.1) ? [{ name: 'proxy', image: 'ghcr.io/bench/proxy:1.0.0', ports: [{ name: 'admin', port: 9901 }] }] : undefined,
  } : {};
  const stateful = WORKLOAD_FEATURES && i % 40 === 0;
  const c = new (stateful ? StatefulService : Service)(project, name, {
    ...base,
    ...workload,
    ...(stateful ? { volumes: [{ name: 'data', mountPath: '/data', size: '10Gi' }] } : {}),
    autoscaling: autoscaled ? { minReplicas: 2, maxReplicas: rng.int(4, 12), cpuUtilization: rng.pick([60, 70, 80]) } : undefined,
    disruptionBudget: autoscaled || rng.chance(0.2) ? DisruptionBudget.maxUnavailable(1) : undefined,
  });
  const visibility = j < 2 ? [Visibility.ORGANIZATION, Visibility.INTERNAL] : rng.chance(0.1) ? [Visibility.INTERNAL] : undefined;
  const endpoints = [c.addEndpoint('http', {
    port: 8080,
    basePath: `/api/v${rng.int(1, 3)}`,
    visibility,
    route: visibility
      ? { policy: { authentication: ApiAuthentication.jwt(JWT), timeout: { request: Duration.seconds(10) }, retry: { attempts: 2 } } }
      : undefined,
  })];
  if (rng.chance(0.25)) endpoints.push(c.addEndpoint('grpc', { port: 9090, type: EndpointType.GRPC }));
  return { component: c, kind, rng, endpoints, autoscaled };
}

function configureEnvironments(e: Entry, dev: Environment, staging: Environment, prod: Environment): void {
  const { component: c, kind, rng } = e;
  if (kind === 'task') {
    c.configureEnvironment(dev, { suspend: true, env: { LOG_LEVEL: 'debug' } });
    if (rng.chance(0.3)) c.configureEnvironment(staging, { schedule: '0 */6 * * *' });
  } else {
    // Development runs small; web apps keep two replicas, as their minAvailable=50% budget needs.
    const small = kind === 'web'
      ? (e.autoscaled ? { autoscaling: { minReplicas: 2, maxReplicas: 3 } } : { replicas: 2 })
      : (e.autoscaled ? { autoscaling: { maxReplicas: 2 } } : { replicas: 1 });
    c.configureEnvironment(dev, { env: { LOG_LEVEL: 'debug' }, ...small });
    if (rng.chance(0.3)) c.configureEnvironment(staging, { env: { FEATURE_FLAGS_ENABLED: 'true' } });
    if (e.autoscaled && rng.chance(0.6)) {
      c.configureEnvironment(prod, {
        autoscaling: { minReplicas: 3, maxReplicas: rng.int(12, 30), cpuUtilization: 60 },
        resources: { cpuRequest: '500m', cpuLimit: '2', memoryRequest: '1Gi', memoryLimit: '2Gi' },
      });
    }
  }
  // Production runs the previous release, pinned by digest, for ~30% of components.
  if (rng.chance(0.3)) {
    const repo = c.image!.slice(0, c.image!.lastIndexOf(':'));
    c.configureEnvironment(prod, { image: `${repo}@sha256:${rng.hex(64)}` });
  }
}
