import * as fs from 'fs';
import * as path from 'path';
import {
  ApiAuthentication, ApiPolicy, BuildPlane, DataPlane, DataPlaneProps, EnvironmentOverrides, ExternalService,
  GitOpsDelivery, GitOpsDeliveryProps, GitOpsTool,
  DeploymentPipeline, Environment, Organization, PlatformApp, Project, SecretRef, Service, Tracing, TracingLanguage, Visibility,
} from '../src';
import { baseline, IMAGE, listFiles, service, withApp } from './support/fixtures';
import { expectProblem } from './support/problems';
import { maskUrl } from '../src/model/url-checks';
import { limitProblems } from '../src/render/object-limits';

const SECRET = 'ghp_s3cr3tT0ken';

/** Every file written for the platform `build` declares, concatenated. */
function synthAll(build: (app: PlatformApp) => void): string {
  return withApp((app, outdir) => {
    build(app);
    app.synth();
    return listFiles(outdir).map(f => fs.readFileSync(path.join(outdir, f), 'utf8')).join('\n');
  });
}

const delivery = (props: Partial<GitOpsDeliveryProps>) => (app: PlatformApp) => {
  const b = baseline(app);
  new GitOpsDelivery(b.org, 'delivery', { repoUrl: 'https://git.example/ops.git', ...props } as GitOpsDeliveryProps);
};

describe('class 3: credentials in URL-valued props are refused, masked in the message', () => {
  const repoCases: Array<[string, string, string]> = [
    ['user and token over https', `https://ci:${SECRET}@github.com/acme/ops.git`, "repoUrl 'https://***@github.com/acme/ops.git'"],
    ['a password without a user', `https://:${SECRET}@github.com/acme/ops.git`, "repoUrl 'https://***@github.com/acme/ops.git'"],
    ['a bare token as user', `https://${SECRET}@github.com/acme/ops.git`, "repoUrl 'https://***@github.com/acme/ops.git'"],
    ['a password over ssh', `ssh://git:${SECRET}@github.com/acme/ops.git`, "repoUrl 'ssh://***@github.com/acme/ops.git'"],
    ['a token over plain http', `http://${SECRET}@git.example/ops.git`, "repoUrl 'http://***@git.example/ops.git'"],
  ];
  test.each(repoCases)('GitOps repoUrl with %s', (_, repoUrl, value) => {
    expectProblem(delivery({ repoUrl }), { path: 'acme/delivery', value, fix: /remove the user and password or token.*own Secret/, at: 'construction', notContaining: SECRET });
  });

  test('an ssh:// URL with the plain git user is accepted (it names the SSH user, not a secret)', () => {
    const out = synthAll(delivery({ repoUrl: 'ssh://git@github.com/acme/ops.git', tools: [GitOpsTool.FLUX] }));
    expect(out).toContain('url: ssh://git@github.com/acme/ops.git');
  });

  const apiServerCases: Array<[string, string]> = [
    ['user and password', `https://admin:${SECRET}@k8s.eu.acme.example:6443`],
    ['a password only', `https://:${SECRET}@k8s.eu.acme.example`],
    ['a bearer token as user', `https://${SECRET}@k8s.eu.acme.example`],
  ];
  test.each(apiServerCases)('DataPlane apiServer with %s', (_, apiServer) => {
    expectProblem(app => new DataPlane(baseline(app).org, 'us', { apiServer }), {
      path: 'acme/us', value: "apiServer 'https://***@k8s.eu.acme.example", fix: /cluster Secret/, at: 'construction', notContaining: SECRET,
    });
  });

  const EP = 'acme/shop/api/http';
  const policyCases: Array<[string, () => ApiPolicy, string]> = [
    ['a JWT key set URL with credentials', () => ({ authentication: ApiAuthentication.jwt({ issuer: 'https://auth.acme.example/', jwksUri: `https://u:${SECRET}@auth.acme.example/jwks.json` }) }),
      "jwksUri 'https://***@auth.acme.example/jwks.json'"],
    ['a JWT issuer with credentials', () => ({ authentication: ApiAuthentication.jwt({ issuer: `https://${SECRET}@auth.acme.example/`, jwksUri: 'https://auth.acme.example/jwks.json' }) }),
      "JWT issuer 'https://***@auth.acme.example/'"],
    ['an OIDC issuer with credentials', () => ({ authentication: ApiAuthentication.oidc({ issuer: `https://shop:${SECRET}@login.acme.example`, clientId: 'shop', clientSecret: undefined as any }) }),
      "OIDC issuer 'https://***@login.acme.example'"],
  ];
  test.each(policyCases)('%s', (_, policy, value) => {
    expectProblem(app => {
      const b = baseline(app);
      new Service(b.project, 'api', { image: IMAGE }).addEndpoint('http', { port: 8080, visibility: [Visibility.INTERNAL], route: { policy: policy() } });
    }, { path: EP, value, fix: /remove the user and password or token/, notContaining: SECRET });
  });

  test('an external service host with credentials', () => {
    expectProblem(app => new ExternalService(baseline(app).org, 'stripe', { host: `sk:${SECRET}@api.stripe.com`, port: 443 }), {
      path: 'acme/stripe', value: "host '***@api.stripe.com' carries credentials", fix: /secret store/, at: 'construction', notContaining: SECRET,
    });
  });

  test('a build repository over plain http with credentials is masked too', () => {
    expectProblem(app => service(baseline(app).project, 'api', { image: undefined, source: { repository: `http://ci:${SECRET}@git.example/shop.git` } }), {
      path: 'acme/shop/api', value: "source repository 'http://***@git.example/shop.git'", fix: /https/, at: 'construction', notContaining: SECRET,
    });
  });

  test.each([[`ci:${SECRET}@ghcr.io/acme`], [`https://ci:${SECRET}@ghcr.io/acme`]])('a BuildPlane registry with credentials (%#)', registry => {
    expectProblem(app => {
      const b = baseline(app);
      new BuildPlane(b.org, 'ci', { dataPlane: b.dataPlane, registry, registryCredentials: SecretRef.fromStore('ci/push') });
    }, { path: 'acme/ci', value: '***@ghcr.io/acme', fix: /registryCredentials: SecretRef\.fromStore/, at: 'construction', notContaining: SECRET });
  });

  test('an OpenTelemetry collector host with credentials', () => {
    expectProblem(app => new DataPlane(baseline(app).org, 'us', { observability: { collector: { host: `otel:${SECRET}@otel.observability.svc` } } }), {
      path: 'acme/us', value: "observability.collector.host '***@otel.observability.svc'", fix: /without credentials/, at: 'construction', notContaining: SECRET,
    });
  });

  test('maskUrl hides every form of userinfo and leaves URLs without it alone', () => {
    expect(maskUrl('https://a:b@h/x')).toBe('https://***@h/x');
    expect(maskUrl('https://:b@h')).toBe('https://***@h');
    expect(maskUrl('https://tok@h/p@q')).toBe('https://***@h/p@q');
    expect(maskUrl('https://h/x')).toBe('https://h/x');
    expect(maskUrl('git@github.com:a/b.git')).toBe('git@github.com:a/b.git');
  });
});

describe('class 3: mutating props after construction cannot bypass checks', () => {
  test('a literal secret put into env after construction never reaches the output', () => {
    const out = synthAll(app => {
      const env: Record<string, string> = { LOG_LEVEL: 'info' };
      service(baseline(app).project, 'api', { env });
      env.DB_PASSWORD = 'hunter2-s3cr3t';
      env.LOG_LEVEL = 'debug';
    });
    expect(out).not.toContain('hunter2-s3cr3t');
    expect(out).not.toContain('DB_PASSWORD');
    expect(out).toContain('LOG_LEVEL: info');
    expect(out).not.toContain('LOG_LEVEL: debug');
  });

  test('a scratch path pushed after construction has no effect', () => {
    const out = synthAll(app => {
      const scratchPaths = ['/tmp'];
      service(baseline(app).project, 'api', { scratchPaths });
      scratchPaths.push('/');
    });
    expect(out).toContain('mountPath: /tmp');
    expect(out).not.toMatch(/mountPath: \/\n/);
  });

  test('a data plane collector host mutated after construction has no effect (never a credential in the output)', () => {
    const out = synthAll(app => {
      const org = new Organization(app, 'acme');
      const collector = { host: 'otel.observability.svc.cluster.local' };
      const eu = new DataPlane(org, 'eu', { observability: { collector } });
      const dev = new Environment(org, 'dev', { dataPlane: eu });
      const shop = new Project(org, 'shop', { pipeline: new DeploymentPipeline(org, 'p', { promotionPaths: [{ source: dev, targets: [new Environment(org, 'prod', { dataPlane: eu })] }] }) });
      new Service(shop, 'api', { image: IMAGE, tracing: Tracing.autoInstrument(TracingLanguage.JAVA) });
      collector.host = `otel:${SECRET}@evil.example`;
    });
    expect(out).toContain('otel.observability.svc.cluster.local');
    expect(out).not.toContain(SECRET);
    expect(out).not.toContain('evil.example');
  });

  test('overrides mutated after configureEnvironment have no effect', () => {
    const out = synthAll(app => {
      const b = baseline(app);
      const overrides: EnvironmentOverrides = { env: { FEATURE: 'on' } };
      service(b.project, 'api').configureEnvironment(b.prod, overrides);
      (overrides.env as Record<string, string>).API_TOKEN = 'tok-123456';
    });
    expect(out).toMatch(/FEATURE: "?on"?/);
    expect(out).not.toContain('tok-123456');
  });
});

describe('class 5: what the API server or a controller would reject later', () => {
  const domainCases: Array<[string]> = [['Cluster.Local'], ['cluster..local'], ['cluster_local'], ['-cluster.local']];
  test.each(domainCases)('a cluster domain %s that is not a DNS name', clusterDomain => {
    expectProblem(app => new DataPlane(baseline(app).org, 'us', { clusterDomain } as DataPlaneProps), {
      path: 'acme/us', value: `clusterDomain '${clusterDomain}' is not a DNS name`, fix: /'cluster\.local'/, at: 'construction',
    });
  });

  const nsCases: Array<[keyof GitOpsDeliveryProps, string, RegExp]> = [
    ['argoCdNamespace', 'Argo_CD', /'argocd'/],
    ['argoCdNamespace', 'a'.repeat(64), /'argocd'/],
    ['fluxNamespace', 'flux.system', /'flux-system'/],
    ['fluxNamespace', 'flux-', /'flux-system'/],
  ];
  test.each(nsCases)('%s %s is not a DNS label', (prop, value, fix) => {
    expectProblem(delivery({ [prop]: value, tools: [GitOpsTool.ARGO_CD, GitOpsTool.FLUX] }), {
      path: 'acme/delivery', value: `${prop} '${value}' is not a valid namespace name`, fix, at: 'construction',
    });
  });

  test('an scp-style Git URL with Flux is refused with the ssh:// form as fix', () => {
    expectProblem(delivery({ repoUrl: 'git@github.com:acme/ops.git', tools: [GitOpsTool.FLUX] }), {
      path: 'acme/delivery', value: "repoUrl 'git@github.com:acme/ops.git' is an scp-style Git URL", fix: /^use 'ssh:\/\/git@github\.com\/acme\/ops\.git'$/, at: 'construction',
    });
  });

  test('an scp-style Git URL stays accepted for Argo CD only', () => {
    expect(synthAll(delivery({ repoUrl: 'git@github.com:acme/ops.git' }))).toContain('repoURL: git@github.com:acme/ops.git');
  });

  test('the repoUrl error no longer recommends the scp form', () => {
    expectProblem(delivery({ repoUrl: 'ftp://git.example/ops.git' }), {
      path: 'acme/delivery', value: "repoUrl 'ftp://git.example/ops.git' is not a Git repository URL", fix: /^use an https:\/\/ or ssh:\/\/ URL, e\.g\..*ssh:\/\/git@/, at: 'construction',
    });
  });

  test.each([['10.1.2.3', "['10.1.2.3/32']"], ['fd00::1', "['fd00::1']"]])('an external service host %s that is an IP address', (host, cidrs) => {
    expectProblem(app => new ExternalService(baseline(app).org, 'db', { host, port: 5432 }), {
      path: 'acme/db', value: `host '${host}' is an IP address`, fix: new RegExp(`cidrs: ${cidrs.replace(/[[\]./]/g, m => `\\${m}`)}`), at: 'construction',
    });
  });

  test('a scratch path of / is refused', () => {
    expectProblem(app => service(baseline(app).project, 'api', { scratchPaths: ['/'] }), {
      path: 'acme/shop/api', value: "scratch path '/' is the root directory", fix: /below the root/, at: 'construction',
    });
  });

  test.each([[['/tmp', '/tmp/']], [['/var/cache', '/var']], [['/data//x', '/data/x']]])('overlapping scratch paths %j', paths => {
    expectProblem(app => service(baseline(app).project, 'api', { scratchPaths: paths }), {
      path: 'acme/shop/api', value: 'overlap', fix: /keep only/, at: 'construction',
    });
  });

  test('a config file mounted on a scratch directory', () => {
    expectProblem(app => service(baseline(app).project, 'api', { scratchPaths: ['/etc/app'], files: [{ mountPath: '/etc/app/', fileName: 'c.yaml', content: 'a: 1' }] }), {
      path: 'acme/shop/api', value: "file mountPath '/etc/app/' is also the scratch path '/etc/app'", fix: /directory of its own/, at: 'construction',
    });
  });
});

describe('class 5: API-server limits checked over the rendered objects, naming the owning construct', () => {
  test('a ConfigMap over 1 MiB (config files) is refused at the component', () => {
    expectProblem(app => service(baseline(app).project, 'api', {
      files: [{ mountPath: '/etc/app', fileName: 'a.json', content: 'x'.repeat(1100 * 1024) }],
    }), { path: 'acme/shop/api', value: 'more than the API server\'s limit of 1048576 bytes (1 MiB)', fix: /smaller.*image or a volume/, at: 'synth' });
  });

  test('environment variables adding up to over 1 MiB in one ConfigMap are refused at the component', () => {
    expectProblem(app => service(baseline(app).project, 'api', { env: { A: 'a'.repeat(600 * 1024), B: 'b'.repeat(600 * 1024) } }),
      { path: 'acme/shop/api', value: 'more than the API server\'s limit of 1048576 bytes (1 MiB)', fix: /smaller/, at: 'synth' });
  });

  test('a ConfigMap just under 1 MiB is accepted', () => {
    const out = synthAll(app => service(baseline(app).project, 'api', { files: [{ mountPath: '/etc/app', fileName: 'a.json', content: 'x'.repeat(1000 * 1024) }] }));
    expect(out).toContain('a.json');
  });

  test('annotations over 256 KiB are refused at the component', () => {
    expectProblem(app => service(baseline(app).project, 'api', { annotations: { 'acme.example/blob': 'z'.repeat(300 * 1024) } }),
      { path: 'acme/shop/api', value: 'bytes of annotations, more than the API server\'s limit of 262144 bytes (256 KiB)', fix: /shorten or remove annotations/, at: 'synth' });
  });

  test('a rendered label value over 63 characters is refused naming the owner', () => {
    const problems = limitProblems([{
      cluster: 'c', path: 'acme/shop/api', owner: 'component acme/shop/api', folder: 'acme/eu/', manifest: { kind: 'Service', metadata: { name: 'api', namespace: 'ns', labels: { 'acme.example/x': 'v'.repeat(64) } } },
    }]);
    expect(problems).toHaveLength(1);
    expect(problems[0].path).toBe('acme/shop/api');
    expect(problems[0].message).toContain("label acme.example/x='" + 'v'.repeat(64) + "' on Service 'ns/api' of component acme/shop/api is not a valid label value");
    expect(problems[0].fix).toMatch(/at most 63 characters/);
  });

  test('a label value ending in a dash is refused; valid ones pass', () => {
    const obj = (v: string) => ({ cluster: 'c', path: 'p', owner: 'o', folder: 'f', manifest: { kind: 'ConfigMap', metadata: { name: 'n', labels: { k: v } } } });
    expect(limitProblems([obj('bad-')])).toHaveLength(1);
    expect(limitProblems([obj(''), obj('a.b_c-d'), obj('v'.repeat(63))])).toHaveLength(0);
  });
});
