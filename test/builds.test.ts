import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Duration } from 'cdk8s';
import {
  BuildPlane, BuildPlaneProps, Builder, BuilderConfinement, DataPlane, DeploymentPipeline, Environment, GitOpsDelivery, GitOpsTool,
  NetworkPolicyProvider, Organization, Project, ReleaseLedger, ScheduledTask, SecretRef, Service, WebApplication, Worker,
} from '../src';
import { baseline, IMAGE, tempDir } from './support/fixtures';
import { assertValidManifests } from './support/schema-validator';
import { one, synth, testApp } from './support/synth';
import { PlatformValidationError } from '../src/model/errors';
import { evaluateConnectivity, ExternalTarget, PodIdentity } from '../src/report/connectivity';
import { generateName } from '../src/resolve/naming';
import { synthesizeOrganization } from '../src/synth';

// ---------------------------------------------------------------------------------------------
// Fixtures and helpers
// ---------------------------------------------------------------------------------------------

const REPO = 'https://github.com/acme/shop.git';
const DIGEST = `@sha256:${'a'.repeat(64)}`;
const API_REPOSITORY = 'ghcr.io/acme/acme-shop-api';
const NS = 'workflows-acme';

/** The baseline platform (acme / eu / development → staging → production / shop) with build plane 'ci' on 'eu'. */
function platform(planeProps: Partial<BuildPlaneProps> = {}, releases?: ReleaseLedger) {
  const b = baseline(testApp(), releases ? { releases } : {});
  const ci = new BuildPlane(b.org, 'ci', {
    dataPlane: b.dataPlane,
    registry: 'ghcr.io/acme',
    registryCredentials: SecretRef.fromStore('ci/registry-push', { property: 'dockerconfigjson' }),
    ...planeProps,
  });
  return { ...b, ci };
}

const ledger = (environments: Record<string, Record<string, { image: string; previous?: string[] }>>) =>
  ReleaseLedger.fromJson({ format: 1, environments });

interface ExpectedProblem {
  readonly path: string;
  readonly value: string;
  readonly fix: RegExp;
  readonly notContaining?: string;
}

function checkProblem(error: unknown, expected: ExpectedProblem): void {
  if (!(error instanceof PlatformValidationError)) throw error ?? new Error(`expected a validation error at [${expected.path}]`);
  const problem = error.problems.find(p => p.path === expected.path && p.message.includes(expected.value));
  if (!problem) throw new Error(`no problem at [${expected.path}] names '${expected.value}'; got:\n${error.message}`);
  expect(error.message).toContain(`[${expected.path}] `);
  expect(error.message).toContain('Fix:');
  expect(problem.fix).toMatch(expected.fix);
  if (expected.notContaining !== undefined) expect(error.message).not.toContain(expected.notContaining);
}

/** The declaration itself must throw. */
function expectConstructionProblem(declare: () => unknown, expected: ExpectedProblem): void {
  let error: unknown;
  try {
    declare();
  } catch (e) {
    error = e;
  }
  checkProblem(error, expected);
}

/** The declaration succeeds; synthesis reports the problem (with every other one) and renders nothing. */
function expectSynthProblem(org: Organization, expected: ExpectedProblem): void {
  let error: unknown;
  try {
    org.toJson();
  } catch (e) {
    error = e;
  }
  checkProblem(error, expected);
}

const inBuildNamespace = (objects: any[]) => objects.filter(o => o.metadata.namespace === NS || (o.kind === 'Namespace' && o.metadata.name === NS));
const templateOf = (objects: any[], component: string, project = 'shop') => one(objects, 'WorkflowTemplate', generateName(253, project, component));
const stepOf = (wt: any, name: string) => wt.spec.templates.find((t: any) => t.name === name);
const envOf = (container: any) => Object.fromEntries(container.env.map((e: any) => [e.name, e.value]));

/**
 * The pod Argo creates for a step, as far as the WorkflowTemplate decides it: the step's container
 * plus the executor's init and wait containers as the podSpecPatch shapes them.
 */
function stepPod(wt: any, step: string) {
  const t = stepOf(wt, step);
  const patch = JSON.parse(wt.spec.podSpecPatch);
  return {
    annotations: t.metadata?.annotations ?? {},
    labels: { ...wt.spec.podMetadata.labels, ...t.metadata.labels },
    spec: {
      securityContext: t.securityContext ?? wt.spec.securityContext,
      automountServiceAccountToken: patch.automountServiceAccountToken,
      serviceAccountName: wt.spec.serviceAccountName,
      initContainers: patch.initContainers,
      containers: [t.container, ...patch.containers],
      volumes: [
        ...(t.volumes ?? []), ...patch.volumes,
        ...wt.spec.volumeClaimTemplates.map((v: any) => ({ name: v.metadata.name, persistentVolumeClaim: {} })),
      ],
    },
  };
}

const RESTRICTED_VOLUMES = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret'];
const BASELINE_CAPABILITIES = ['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT'];

/** Checks of the Pod Security Standards (v1.28) a pod fails, at `level`. */
function podSecurityViolations(pod: ReturnType<typeof stepPod>, level: 'baseline' | 'restricted'): string[] {
  const out: string[] = [];
  const spec = pod.spec;
  const containers = [...spec.initContainers, ...spec.containers];
  for (const c of containers) {
    const sc = c.securityContext ?? {};
    if (sc.privileged) out.push(`${c.name}: privileged`);
    const seccomp = sc.seccompProfile?.type ?? spec.securityContext?.seccompProfile?.type;
    if (seccomp === 'Unconfined') out.push(`${c.name}: seccomp Unconfined`);
    const appArmor = pod.annotations[`container.apparmor.security.beta.kubernetes.io/${c.name}`];
    if (appArmor !== undefined && appArmor !== 'runtime/default' && !appArmor.startsWith('localhost/')) out.push(`${c.name}: AppArmor ${appArmor}`);
    const added: string[] = sc.capabilities?.add ?? [];
    if (added.some(a => !BASELINE_CAPABILITIES.includes(a))) out.push(`${c.name}: adds capabilities beyond baseline`);
    if (level === 'baseline') continue;
    if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') out.push(`${c.name}: seccomp not RuntimeDefault/Localhost`);
    if (sc.allowPrivilegeEscalation !== false) out.push(`${c.name}: allowPrivilegeEscalation`);
    if (!(sc.capabilities?.drop ?? []).includes('ALL')) out.push(`${c.name}: capabilities not dropped`);
    if (added.some(a => a !== 'NET_BIND_SERVICE')) out.push(`${c.name}: adds ${added.join(',')}`);
    if ((sc.runAsNonRoot ?? spec.securityContext?.runAsNonRoot) !== true) out.push(`${c.name}: may run as root`);
    if ((sc.runAsUser ?? spec.securityContext?.runAsUser) === 0) out.push(`${c.name}: runAsUser 0`);
  }
  for (const v of spec.volumes) {
    const type = Object.keys(v).find(k => k !== 'name')!;
    if (type === 'hostPath' || (level === 'restricted' && !RESTRICTED_VOLUMES.includes(type))) out.push(`volume ${v.name}: ${type}`);
  }
  return out.sort();
}

// ---------------------------------------------------------------------------------------------
// Declaration errors
// ---------------------------------------------------------------------------------------------

describe('build declaration errors', () => {
  test('a component with neither an image nor a source to build', () => {
    const b = baseline(testApp());
    expectConstructionProblem(() => new Service(b.project, 'api', {}), {
      path: 'acme/shop/api', value: "component 'api' declares neither an image nor a source to build", fix: /set image: .* or source: \{ repository:/,
    });
  });

  test('a build without a source repository', () => {
    const b = platform();
    expectConstructionProblem(() => new Service(b.project, 'api', { source: { repository: '' } }), {
      path: 'acme/shop/api', value: "source has no repository ('')", fix: /set source\.repository to the HTTPS URL/,
    });
  });

  test.each([
    ['github.com/acme/shop', /'https:\/\/<host>\/<owner>\/<repository>\[\.git\]'/],
    ['git@github.com:acme/shop.git', /HTTPS URL \(SSH remotes are not supported\)/],
    ['http://git.acme.example/shop.git', /use https:\/\//],
    ['https://github.com/acme/shop.git?ref=main', /without user, query or fragment/],
  ])('an invalid repository URL: %s', (repository, fix) => {
    const b = platform();
    expectConstructionProblem(() => new Service(b.project, 'api', { source: { repository } }), {
      path: 'acme/shop/api', value: `source repository '${repository}' is not a valid HTTPS Git URL`, fix,
    });
  });

  test('credentials in the repository URL are refused and not repeated', () => {
    const b = platform();
    const token = `ghp_${'x'.repeat(36)}`;
    expectConstructionProblem(() => new Service(b.project, 'api', { source: { repository: `https://ci:${token}@github.com/acme/shop.git` } }), {
      path: 'acme/shop/api', value: "source repository 'https://***@github.com/acme/shop.git'", fix: /gitCredentials: SecretRef\.fromStore/, notContaining: token,
    });
  });

  test.each([
    ['Dockerfile path', { dockerfile: '../../Dockerfile' }, "Dockerfile path '../../Dockerfile' escapes the repository (it resolves to '../Dockerfile' from the repository root)"],
    ['build context', { context: '../../..' }, "build context '../../..' escapes the repository"],
  ])('a %s escaping the repository', (_what, options, value) => {
    const b = platform();
    expectConstructionProblem(() => new Service(b.project, 'api', { source: { repository: REPO, path: 'services', builder: Builder.dockerfile(options) } }), {
      path: 'acme/shop/api', value, fix: /keep it inside the repository: relative to 'services', use at most 1 '\.\.'/,
    });
  });

  test('a source path escaping the repository, and an absolute Dockerfile path', () => {
    const b = platform();
    expectConstructionProblem(() => new Service(b.project, 'api', { source: { repository: REPO, path: '../other' } }), {
      path: 'acme/shop/api', value: "source.path '../other' escapes the repository", fix: /relative to the repository root, use at most 0 '\.\.'/,
    });
    expectConstructionProblem(() => new Service(b.project, 'web', { source: { repository: REPO, builder: Builder.dockerfile({ dockerfile: '/etc/Dockerfile' }) } }), {
      path: 'acme/shop/web', value: "Dockerfile path '/etc/Dockerfile' is absolute", fix: /relative to the repository/,
    });
  });

  test('a context above the source path but inside the repository is fine', () => {
    const b = platform();
    new Service(b.project, 'api', {
      source: { repository: REPO, path: 'services/api', builder: Builder.dockerfile({ dockerfile: 'Dockerfile', context: '../..' }) },
      image: `${API_REPOSITORY}:1.0.0`,
    });
    const env = envOf(stepOf(templateOf(synth(b.org), 'api'), 'build-and-push').container);
    expect(env.CONTEXT_DIR).toBe('/workspace/source');
    expect(env.DOCKERFILE_DIR).toBe('/workspace/source/services/api');
  });

  test('an invalid branch and an unpinned builder image', () => {
    const b = platform();
    expectConstructionProblem(() => new Service(b.project, 'api', { source: { repository: REPO, branch: 'release..1' } }), {
      path: 'acme/shop/api', value: "build branch 'release..1' is not a valid Git branch name", fix: /'main' or 'release\/1\.x'/,
    });
    expectConstructionProblem(() => new Service(b.project, 'web', { source: { repository: REPO, builder: Builder.buildpacks({ builderImage: 'paketobuildpacks/builder-jammy-base:latest' }) } }), {
      path: 'acme/shop/web', value: "builderImage 'paketobuildpacks/builder-jammy-base:latest' is not a pinned image reference", fix: /pin it by a version tag or a digest/,
    });
  });

  test('a built component with no build plane in the organization', () => {
    const b = baseline(testApp());
    new Service(b.project, 'api', { source: { repository: REPO } });
    expectSynthProblem(b.org, {
      path: 'acme/shop/api', value: `is built from '${REPO}', but organization 'acme' declares no BuildPlane`, fix: /new BuildPlane\(org, 'ci', \{ dataPlane, registry: 'ghcr\.io\/acme'/,
    });
  });

  test('several build planes and a component that names none', () => {
    const b = platform();
    const other = new DataPlane(b.org, 'us');
    new BuildPlane(b.org, 'ci-us', { dataPlane: other, registry: 'ghcr.io/acme', registryCredentials: SecretRef.fromStore('ci/registry-push') });
    new Service(b.project, 'api', { source: { repository: REPO } });
    expectSynthProblem(b.org, {
      path: 'acme/shop/api', value: "organization 'acme' has 2 build planes (ci, ci-us)", fix: /choose one with source\.buildPlane \(ci or ci-us\)/,
    });
  });

  test('a build plane on a data plane of another organization', () => {
    const b = baseline(testApp());
    const other = new Organization(b.app, 'globex');
    const foreign = new DataPlane(other, 'g1');
    expectConstructionProblem(() => new BuildPlane(b.org, 'ci', { dataPlane: foreign, registry: 'ghcr.io/acme', registryCredentials: SecretRef.fromStore('k') }), {
      path: 'acme/ci', value: "runs on data plane 'globex/g1', which is not a data plane of organization 'acme'", fix: /declare the DataPlane in organization 'acme'/,
    });
  });

  test('a component built by a build plane of another organization', () => {
    const b = baseline(testApp());
    const other = new Organization(b.app, 'globex');
    const foreignPlane = new BuildPlane(other, 'ci', { dataPlane: new DataPlane(other, 'g1'), registry: 'ghcr.io/globex', registryCredentials: SecretRef.fromStore('k') });
    expectConstructionProblem(() => new Service(b.project, 'api', { source: { repository: REPO, buildPlane: foreignPlane } }), {
      path: 'acme/shop/api', value: "source.buildPlane 'globex/ci' is not a build plane of organization 'acme'", fix: /declare the BuildPlane in organization 'acme'/,
    });
  });

  test('duplicate build planes for one data plane', () => {
    const b = platform();
    expectConstructionProblem(() => new BuildPlane(b.org, 'ci2', { dataPlane: b.dataPlane, registry: 'ghcr.io/acme', registryCredentials: SecretRef.fromStore('k') }), {
      path: 'acme/ci2', value: "data plane 'eu' already has build plane 'ci' (acme/ci)", fix: /one build plane per data plane/,
    });
  });

  test.each([
    ['https://ghcr.io/acme', /drop the scheme: 'ghcr\.io\/acme'/],
    ['acme', /registry host with an optional path, e\.g\. 'ghcr\.io\/acme'/],
    ['ghcr.io/Acme', /use lowercase: 'ghcr\.io\/acme'/],
    ['ghcr.io/acme:1.0', /remove the tag or digest/],
  ])('an invalid registry: %s', (registry, fix) => {
    const b = baseline(testApp());
    expectConstructionProblem(() => new BuildPlane(b.org, 'ci', { dataPlane: b.dataPlane, registry, registryCredentials: SecretRef.fromStore('k') }), {
      path: 'acme/ci', value: `registry '${registry}' is not a registry host with an optional path`, fix,
    });
  });

  test('invalid build plane settings', () => {
    const b = baseline(testApp());
    const props = { dataPlane: b.dataPlane, registry: 'ghcr.io/acme', registryCredentials: SecretRef.fromStore('k') };
    expectConstructionProblem(() => new BuildPlane(b.org, 'a', { ...props, allowedHosts: ['https://registry.npmjs.org'] }), {
      path: 'acme/a', value: "allowedHosts entry 'https://registry.npmjs.org' is not a host name", fix: /'host' or 'host:port' without scheme or path/,
    });
    expectConstructionProblem(() => new BuildPlane(b.org, 'b', { ...props, registryCredentials: SecretRef.fromStore(' ') }), {
      path: 'acme/b', value: "registryCredentials has an empty remote key (' ')", fix: /SecretRef\.fromStore/,
    });
    expectConstructionProblem(() => new BuildPlane(b.org, 'c', { ...props, namespace: 'Workflows' }), {
      path: 'acme/c', value: "build namespace 'Workflows' is not a valid DNS-1123 label", fix: /'workflows'/,
    });
    expectConstructionProblem(() => new BuildPlane(b.org, 'd', { ...props, dockerfileConfinement: BuilderConfinement.localhostProfiles('/var/lib/kubelet/seccomp/x.json') }), {
      path: 'acme/d', value: "seccomp profile '/var/lib/kubelet/seccomp/x.json' is not a relative profile name", fix: /as installed on the nodes/,
    });
    expectConstructionProblem(() => new BuildPlane(b.org, 'e', { ...props, kubernetesApiCidrs: ['10.0.0.10'] }), {
      path: 'acme/e', value: "kubernetesApiCidrs entry '10.0.0.10' is not an IPv4 CIDR", fix: /'10\.0\.0\.10\/32'/,
    });
    expectConstructionProblem(() => new BuildPlane(b.org, 'f', { ...props, timeoutMinutes: 30 } as any), {
      path: 'acme/f', value: 'timeoutMinutes 30 is no longer supported (it became timeout, a cdk8s Duration)', fix: /use timeout: Duration\.minutes\(30\)/,
    });
    expectConstructionProblem(() => new BuildPlane(b.org, 'g', { ...props, timeout: 30 as unknown as Duration }), {
      path: 'acme/g', value: 'timeout 30 is not a Duration', fix: /timeout: Duration\.seconds\(60\)/,
    });
    expectConstructionProblem(() => new BuildPlane(b.org, 'h', { ...props, timeout: Duration.seconds(30) }), {
      path: 'acme/h', value: 'timeout 30s is not a whole number of seconds from 60s to 86400s', fix: /Duration\.seconds\(60\)/,
    });
    expectConstructionProblem(() => new BuildPlane(b.org, 'i', { ...props, timeout: Duration.millis(90_500) }), {
      path: 'acme/i', value: 'timeout 90.5s is not a whole number of seconds', fix: /whole number of seconds/,
    });
  });

  test('a ledger pin outside the build repository', () => {
    const b = platform({}, ledger({ development: { 'shop/api': { image: 'ghcr.io/acme/api:1.0.0' } } }));
    new Service(b.project, 'api', { source: { repository: REPO } });
    expectSynthProblem(b.org, {
      path: 'acme/shop/api',
      value: `pins 'ghcr.io/acme/api:1.0.0' in 'development', which is not an image of the component's build repository '${API_REPOSITORY}'`,
      fix: new RegExp(`npx cdk8s-openchoreo release --project shop --component api --image ${API_REPOSITORY.replace(/\./g, '\\.')}:<tag>@sha256:<digest>`),
    });
  });

  test('an image or an image override outside the build repository', () => {
    const b = platform();
    const api = new Service(b.project, 'api', { source: { repository: REPO }, image: IMAGE });
    api.configureEnvironment(b.staging, { image: 'docker.io/library/nginx:1.27' });
    expectSynthProblem(b.org, {
      path: 'acme/shop/api', value: `image '${IMAGE}' is not an image of the component's build repository '${API_REPOSITORY}'`, fix: /or remove image so that the component runs the releases the ledger pins/,
    });
    expectSynthProblem(b.org, {
      path: 'acme/shop/api', value: "the image override 'docker.io/library/nginx:1.27' for 'staging' is not an image of the component's build repository", fix: /pin releases in the ledger/,
    });
  });

  test('the Kubernetes back-end needs the API server ranges, and accepts host names only when widening is allowed', () => {
    const b = baseline(testApp());
    const k8s = new DataPlane(b.org, 'builds', { networkPolicyProvider: NetworkPolicyProvider.KUBERNETES });
    new BuildPlane(b.org, 'ci', { dataPlane: k8s, registry: 'ghcr.io/acme', registryCredentials: SecretRef.fromStore('k') });
    new Service(b.project, 'api', { source: { repository: REPO } });
    expectSynthProblem(b.org, {
      path: 'acme/ci', value: "the Kubernetes NetworkPolicy back-end of data plane 'builds' cannot select the API server", fix: /set kubernetesApiCidrs to the API server endpoints/,
    });
    expectSynthProblem(b.org, {
      path: 'acme/ci',
      value: "checkout pods must reach github.com:443 by host name, which the Kubernetes NetworkPolicy back-end of data plane 'builds' cannot express",
      fix: /set acceptWiderNetworkRules: true on data plane 'builds'/,
    });
  });
});

// ---------------------------------------------------------------------------------------------
// WorkflowTemplates
// ---------------------------------------------------------------------------------------------

describe('WorkflowTemplate', () => {
  function built() {
    const b = platform({ allowedHosts: ['registry.npmjs.org'], gitCredentials: SecretRef.fromStore('ci/github-token') });
    new Service(b.project, 'api', { source: { repository: REPO, branch: 'trunk', path: 'services/api', builder: Builder.dockerfile({ dockerfile: 'docker/Dockerfile.prod' }) } });
    new WebApplication(b.project, 'web', { source: { repository: REPO, path: 'web', gitCredentials: SecretRef.fromStore('ci/web-token'), gitUsername: 'x-access-token' } });
    new Worker(b.project, 'worker', { source: { repository: 'https://gitlab.acme.example:8443/shop/worker', builder: Builder.buildpacks({ runImage: 'ghcr.io/acme/run:jammy-1' }) } });
    new ScheduledTask(b.project, 'report', { schedule: '@daily', source: { repository: REPO, path: 'jobs/report' } });
    return { ...b, objects: synth(b.org) };
  }

  test('one per built component of every kind, in the build namespace, named and labelled for its component', () => {
    const { objects } = built();
    const templates = objects.filter(o => o.kind === 'WorkflowTemplate');
    expect(templates.map(t => t.metadata.labels['openchoreo.dev/component']).sort()).toEqual(['api', 'report', 'web', 'worker']);
    const wt = templateOf(objects, 'api');
    expect(wt.metadata.namespace).toBe(NS);
    expect(wt.metadata.labels).toMatchObject({
      'openchoreo.dev/namespace': 'acme',
      'openchoreo.dev/project': 'shop',
      'openchoreo.dev/component': 'api',
      'openchoreo.dev/workflow-plane': 'ci',
      'openchoreo.dev/workflow-type': 'component',
    });
    expect(wt.metadata.annotations['openchoreo.dev/image-repository']).toBe(API_REPOSITORY);
    expect(wt.metadata.annotations['workflows.argoproj.io/description']).toContain('npx cdk8s-openchoreo release --project shop --component api');
  });

  test('parameters, steps and outputs: checkout → build and push → image@digest', () => {
    const wt = templateOf(built().objects, 'api');
    expect(wt.spec.entrypoint).toBe('build');
    expect(wt.spec.arguments.parameters.map((p: any) => [p.name, p.value])).toEqual([['revision', 'trunk'], ['image-tag', '']]);
    const main = stepOf(wt, 'build');
    expect(main.steps.map((s: any[]) => s.map(x => x.template))).toEqual([['checkout'], ['build-and-push']]);
    expect(main.steps[1][0].arguments.parameters).toEqual([{ name: 'commit', value: '{{steps.checkout.outputs.parameters.commit}}' }]);
    expect(main.outputs.parameters.map((p: any) => p.name)).toEqual(['image', 'digest', 'commit']);
    const build = stepOf(wt, 'build-and-push');
    expect(build.outputs.parameters).toEqual([
      { name: 'image', globalName: 'image', valueFrom: { path: '/tmp/outputs/image' } },
      { name: 'digest', globalName: 'digest', valueFrom: { path: '/tmp/outputs/digest' } },
    ]);
    // the script writes <repository>:<tag>@<digest> and refuses a missing digest
    expect(build.container.args[0]).toContain('printf \'%s\' "$IMAGE:$TAG@$1" > /tmp/outputs/image');
    expect(build.container.args[0]).toContain('the build reported no image digest');
    const checkout = envOf(stepOf(wt, 'checkout').container);
    expect(checkout).toMatchObject({ REPOSITORY: REPO, REVISION: '{{workflow.parameters.revision}}' });
  });

  test("the image is OpenChoreo's <namespace>-<project>-<component> in the build plane's registry", () => {
    const { objects } = built();
    for (const c of ['api', 'web', 'worker', 'report']) {
      expect(envOf(stepOf(templateOf(objects, c), 'build-and-push').container).IMAGE).toBe(`ghcr.io/acme/acme-shop-${c}`);
    }
  });

  test('Dockerfile builds: rootless BuildKit, pinned, with the Dockerfile and context from the source path', () => {
    const build = stepOf(templateOf(built().objects, 'api'), 'build-and-push');
    expect(build.container.image).toBe('docker.io/moby/buildkit:v0.32.2-rootless');
    expect(envOf(build.container)).toMatchObject({
      BUILDKITD_FLAGS: '--oci-worker-no-process-sandbox',
      CONTEXT_DIR: '/workspace/source/services/api',
      DOCKERFILE_DIR: '/workspace/source/services/api/docker',
      DOCKERFILE_NAME: 'Dockerfile.prod',
      REGISTRY_CACHE: 'true',
    });
    expect(build.container.args[0]).toContain('buildctl-daemonless.sh build');
    expect(build.container.volumeMounts).toContainEqual({ name: 'workspace', mountPath: '/workspace', readOnly: true });
  });

  test('buildpacks builds: the CNB lifecycle of a pinned Paketo builder, as its CNB user', () => {
    const { objects } = built();
    const web = stepOf(templateOf(objects, 'web'), 'build-and-push');
    expect(web.container.image).toBe('docker.io/paketobuildpacks/builder-jammy-base:0.4.610');
    expect(web.container.args[0]).toContain('/cnb/lifecycle/creator');
    expect(envOf(web.container)).toMatchObject({ CNB_PLATFORM_API: '0.13', SOURCE_PATH: 'web' });
    expect(templateOf(objects, 'web').spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1001, runAsGroup: 1000, fsGroup: 1000 });
    expect(envOf(stepOf(templateOf(objects, 'worker'), 'build-and-push').container).RUN_IMAGE).toBe('ghcr.io/acme/run:jammy-1');
  });

  test('every pod and container has a securityContext and resources; nothing is privileged', () => {
    const { objects } = built();
    const text = JSON.stringify(inBuildNamespace(objects));
    expect(text).not.toMatch(/"privileged":true|hostPath|"hostNetwork"|"hostPID"|"hostIPC"/);
    for (const wt of objects.filter(o => o.kind === 'WorkflowTemplate')) {
      for (const step of ['checkout', 'build-and-push']) {
        const pod = stepPod(wt, step);
        expect(pod.spec.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
        for (const c of [...pod.spec.initContainers, ...pod.spec.containers]) {
          expect(c.securityContext).toBeDefined();
          expect(c.resources.requests).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
          expect(c.resources.limits).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
        }
      }
    }
  });

  test('checkout and buildpacks pods meet the restricted profile; BuildKit pods need exactly its documented relaxations', () => {
    const { objects } = built();
    for (const c of ['web', 'worker', 'report']) {
      expect(podSecurityViolations(stepPod(templateOf(objects, c), 'checkout'), 'restricted')).toEqual([]);
      expect(podSecurityViolations(stepPod(templateOf(objects, c), 'build-and-push'), 'restricted')).toEqual([]);
    }
    const api = templateOf(objects, 'api');
    expect(podSecurityViolations(stepPod(api, 'checkout'), 'restricted')).toEqual([]);
    const buildkit = stepPod(api, 'build-and-push');
    expect(podSecurityViolations(buildkit, 'restricted')).toEqual([
      'main: AppArmor unconfined', 'main: adds SETGID,SETUID', 'main: allowPrivilegeEscalation', 'main: seccomp Unconfined', 'main: seccomp not RuntimeDefault/Localhost',
    ]);
    expect(podSecurityViolations(buildkit, 'baseline')).toEqual(['main: AppArmor unconfined', 'main: seccomp Unconfined']);
    expect(buildkit.spec.containers[0].securityContext).toEqual({
      allowPrivilegeEscalation: true,
      capabilities: { drop: ['ALL'], add: ['SETGID', 'SETUID'] },
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      runAsUser: 1000,
      runAsGroup: 1000,
      seccompProfile: { type: 'Unconfined' },
    });
  });

  test("Argo's executor containers are hardened and are the only ones with the service-account token", () => {
    const wt = templateOf(built().objects, 'web');
    const patch = JSON.parse(wt.spec.podSpecPatch);
    expect(patch.automountServiceAccountToken).toBe(false);
    expect(patch.initContainers.map((c: any) => c.name)).toEqual(['init']);
    expect(patch.containers.map((c: any) => c.name)).toEqual(['wait']);
    for (const c of [...patch.initContainers, ...patch.containers]) {
      expect(c.volumeMounts).toEqual([{ name: 'executor-token', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true }]);
    }
    for (const step of ['checkout', 'build-and-push']) {
      expect(JSON.stringify(stepOf(wt, step).container.volumeMounts)).not.toContain('serviceaccount');
    }
    expect(patch.volumes[0].projected.sources[0]).toEqual({ serviceAccountToken: { path: 'token', expirationSeconds: 3600 } });
  });

  test('Git credentials: the component\'s own secret, else the build plane\'s default; mounted in checkout only', () => {
    const { objects } = built();
    const web = templateOf(objects, 'web');
    const secretOf = (wt: any) => stepOf(wt, 'checkout').volumes.find((v: any) => v.name === 'git-credentials')?.secret.secretName;
    expect(secretOf(web)).toBe(generateName(253, 'shop', 'web', 'git'));
    expect(envOf(stepOf(web, 'checkout').container)).toMatchObject({ GIT_USERNAME: 'x-access-token', GIT_PASSWORD_FILE: '/var/run/secrets/openchoreo/git/password' });
    expect(secretOf(templateOf(objects, 'api'))).toBe('git-credentials');
    expect(JSON.stringify(stepOf(web, 'build-and-push'))).not.toContain('git-credentials');
    expect(JSON.stringify(stepOf(web, 'checkout'))).not.toContain('registry-push');
  });

  test('without Git credentials the checkout clones anonymously', () => {
    const b = platform();
    new Service(b.project, 'api', { source: { repository: REPO } });
    const checkout = stepOf(templateOf(synth(b.org), 'api'), 'checkout');
    expect(checkout.volumes).toEqual([{ name: 'tmp', emptyDir: {} }]);
    expect(envOf(checkout.container).GIT_PASSWORD_FILE).toBeUndefined();
  });

  test('build plane settings reach the templates', () => {
    const b = platform({
      workspaceSize: '10Gi',
      storageClass: 'fast-ssd',
      timeout: Duration.minutes(30),
      registryCache: false,
      builderResources: { cpuRequest: '1', memoryLimit: '8Gi' },
      buildkitImage: 'registry.acme.example/mirror/buildkit:v0.32.2-rootless',
    });
    new Service(b.project, 'api', { source: { repository: REPO, builder: Builder.dockerfile() } });
    const wt = templateOf(synth(b.org), 'api');
    expect(wt.spec.activeDeadlineSeconds).toBe(1800);
    expect(wt.spec.volumeClaimTemplates[0].spec).toEqual({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } }, storageClassName: 'fast-ssd' });
    const c = stepOf(wt, 'build-and-push').container;
    expect(c.image).toBe('registry.acme.example/mirror/buildkit:v0.32.2-rootless');
    expect(c.resources).toEqual({ requests: { cpu: '1', memory: '8Gi' }, limits: { cpu: '1', memory: '8Gi' } });
    expect(envOf(c).REGISTRY_CACHE).toBe('false');
  });
});

// ---------------------------------------------------------------------------------------------
// Namespace, RBAC, secrets
// ---------------------------------------------------------------------------------------------

describe('build namespace', () => {
  const podSecurity = (objects: any[]) => one(objects, 'Namespace', NS).metadata;

  test('Pod Security: restricted with buildpacks only', () => {
    const b = platform();
    new Service(b.project, 'api', { source: { repository: REPO } });
    const ns = podSecurity(synth(b.org));
    expect(ns.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/warn': 'restricted',
      'openchoreo.dev/workflow-plane': 'ci',
    });
    expect(ns.annotations).toBeUndefined();
  });

  test('Pod Security: privileged with Dockerfile builds (BuildKit needs Unconfined profiles), recorded with its reason', () => {
    const b = platform();
    new Service(b.project, 'api', { source: { repository: REPO, builder: Builder.dockerfile() } });
    new Service(b.project, 'web', { source: { repository: REPO } });
    const ns = podSecurity(synth(b.org));
    expect(ns.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
    expect(ns.labels['pod-security.kubernetes.io/warn']).toBe('restricted');
    expect(ns.annotations['security.openchoreo.dev/pod-security-relaxed-by']).toBe('shop/api');
    expect(ns.annotations['security.openchoreo.dev/pod-security-reason']).toMatch(/seccomp and AppArmor Unconfined/);
  });

  test('Pod Security: baseline when BuildKit runs with node-installed Localhost profiles', () => {
    const b = platform({ dockerfileConfinement: BuilderConfinement.localhostProfiles('profiles/buildkit-rootless.json', 'buildkit-rootless') });
    new Service(b.project, 'api', { source: { repository: REPO, builder: Builder.dockerfile() } });
    const objects = synth(b.org);
    expect(podSecurity(objects).labels['pod-security.kubernetes.io/enforce']).toBe('baseline');
    const pod = stepPod(templateOf(objects, 'api'), 'build-and-push');
    expect(pod.spec.containers[0].securityContext.seccompProfile).toEqual({ type: 'Localhost', localhostProfile: 'profiles/buildkit-rootless.json' });
    expect(pod.annotations).toEqual({ 'container.apparmor.security.beta.kubernetes.io/main': 'localhost/buildkit-rootless' });
    expect(podSecurityViolations(pod, 'baseline')).toEqual([]);
  });

  test('the workflow service account has exactly the executor\'s RBAC and mounts no token', () => {
    const b = platform();
    new Service(b.project, 'api', { source: { repository: REPO } });
    const objects = inBuildNamespace(synth(b.org));
    expect(one(objects, 'ServiceAccount', 'workflow-sa').automountServiceAccountToken).toBe(false);
    expect(one(objects, 'Role', 'workflow-executor').rules).toEqual([{ apiGroups: ['argoproj.io'], resources: ['workflowtaskresults'], verbs: ['create', 'patch'] }]);
    expect(one(objects, 'RoleBinding', 'workflow-executor').subjects).toEqual([{ kind: 'ServiceAccount', name: 'workflow-sa', namespace: NS }]);
    expect(objects.filter(o => /Role/.test(o.kind)).map(o => o.kind).sort()).toEqual(['Role', 'RoleBinding']);
    expect(templateOf(objects, 'api').spec.serviceAccountName).toBe('workflow-sa');
  });

  test('ExternalSecrets reference the secret store for registry push and Git credentials; no secret value is emitted', () => {
    const b = platform({ gitCredentials: SecretRef.fromStore('ci/github', { property: 'token' }) });
    new Service(b.project, 'api', { source: { repository: REPO } });
    new Service(b.project, 'web', { source: { repository: REPO, gitCredentials: SecretRef.fromStore('ci/web', { version: '3' }) } });
    const objects = inBuildNamespace(synth(b.org));
    const registry = one(objects, 'ExternalSecret', 'registry-push');
    expect(registry.spec).toEqual({
      refreshInterval: '1h',
      secretStoreRef: { name: 'default', kind: 'ClusterSecretStore' },
      target: { name: 'registry-push', creationPolicy: 'Owner', template: { type: 'kubernetes.io/dockerconfigjson' } },
      data: [{ secretKey: '.dockerconfigjson', remoteRef: { key: 'ci/registry-push', property: 'dockerconfigjson' } }],
    });
    expect(one(objects, 'ExternalSecret', 'git-credentials').spec.data).toEqual([{ secretKey: 'password', remoteRef: { key: 'ci/github', property: 'token' } }]);
    const web = one(objects, 'ExternalSecret', generateName(253, 'shop', 'web', 'git'));
    expect(web.spec.data).toEqual([{ secretKey: 'password', remoteRef: { key: 'ci/web', version: '3' } }]);
    expect(web.metadata.labels['openchoreo.dev/component']).toBe('web');
    expect(objects.filter(o => o.kind === 'Secret')).toEqual([]);
    // the build mounts the pushed credentials as Docker's config.json
    const volume = stepOf(templateOf(objects, 'api'), 'build-and-push').volumes.find((v: any) => v.name === 'registry-credentials');
    expect(volume.secret).toEqual({ secretName: 'registry-push', items: [{ key: '.dockerconfigjson', path: 'config.json' }], defaultMode: 0o440 });
  });

  test('a build plane with no built components still renders its namespace, account and credentials', () => {
    const b = platform({ namespace: 'ci-builds' });
    const objects = synth(b.org).filter(o => o.metadata.namespace === 'ci-builds' || o.metadata.name === 'ci-builds');
    expect(objects.map(o => o.kind).sort()).toEqual([
      'CiliumNetworkPolicy', 'CiliumNetworkPolicy', 'CiliumNetworkPolicy', 'ExternalSecret', 'Namespace', 'Role', 'RoleBinding', 'ServiceAccount',
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// Network policies
// ---------------------------------------------------------------------------------------------

describe('build network policies', () => {
  const EXTERNALS: ExternalTarget[] = [
    { id: 'github', fqdn: 'github.com', port: 443, protocol: 'TCP' },
    { id: 'gitlab', fqdn: 'gitlab.acme.example', port: 8443, protocol: 'TCP' },
    { id: 'ghcr', fqdn: 'ghcr.io', port: 443, protocol: 'TCP' },
    { id: 'npm', fqdn: 'registry.npmjs.org', port: 443, protocol: 'TCP' },
    { id: 'elsewhere', fqdn: 'exfiltrate.example.com', port: 443, protocol: 'TCP' },
    { id: 'github-ssh', fqdn: 'github.com', port: 22, protocol: 'TCP' },
    { id: 'apiserver', ip: '10.0.0.10', port: 6443, protocol: 'TCP' },
  ];

  /** Build pods as Argo creates them (labels from the WorkflowTemplate), listening on a probe port. */
  function buildPods(objects: any[]): PodIdentity[] {
    return objects.filter(o => o.kind === 'WorkflowTemplate').flatMap(wt => ['checkout', 'build-and-push'].map(step => ({
      id: `${wt.metadata.labels['openchoreo.dev/component']}/${step}`,
      namespace: wt.metadata.namespace,
      labels: stepPod(wt, step).labels,
      ports: [{ port: 8080, protocol: 'TCP' as const }],
    })));
  }
  const dnsPod: PodIdentity = { id: 'dns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' }, ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }] };

  function flows(objects: any[]) {
    const pods = buildPods(objects);
    const ids = new Set(pods.map(p => p.id));
    return evaluateConnectivity({ manifests: objects, extraPods: [...pods, dnsPod], externals: EXTERNALS })
      .filter(f => ids.has(f.from) || ids.has(f.to))
      .map(f => `${f.from} -> ${f.to}:${f.port}/${f.protocol}`);
  }

  test('Cilium: checkout reaches only DNS, the API server and its Git hosts; builds only DNS, the API server, the registry and allowed hosts; nothing reaches build pods', () => {
    const b = platform({ allowedHosts: ['registry.npmjs.org'], kubernetesApiCidrs: ['10.0.0.10/32'], kubernetesApiPorts: [6443] });
    const api = new Service(b.project, 'api', { source: { repository: REPO, builder: Builder.dockerfile() } });
    new Worker(b.project, 'worker', { source: { repository: 'https://gitlab.acme.example:8443/shop/worker' } });
    // a running workload that would like to reach the build pods
    new Service(b.project, 'client', { image: IMAGE }).dependOn(api.addEndpoint('http', { port: 8080 }));
    const base = ['dns:53/TCP', 'dns:53/UDP', 'apiserver:6443/TCP'];
    const expected = [
      ...['api', 'worker'].flatMap(c => [
        ...base.map(t => `${c}/checkout -> ${t}`),
        ...base.map(t => `${c}/build-and-push -> ${t}`),
        `${c}/build-and-push -> ghcr:443/TCP`,
        `${c}/build-and-push -> npm:443/TCP`,
      ]),
      'api/checkout -> github:443/TCP',
      'api/checkout -> gitlab:8443/TCP',
      'worker/checkout -> github:443/TCP',
      'worker/checkout -> gitlab:8443/TCP',
    ];
    expect(flows(synth(b.org)).sort()).toEqual(expected.sort());
  });

  test('Cilium: without declared ranges the executor reaches the API server as the kube-apiserver entity', () => {
    const b = platform();
    new Service(b.project, 'api', { source: { repository: REPO } });
    const baselinePolicy = one(synth(b.org), 'CiliumNetworkPolicy', (o: any) => o.metadata.name === 'build-baseline');
    expect(baselinePolicy.spec.endpointSelector).toEqual({});
    expect(baselinePolicy.spec.enableDefaultDeny).toEqual({ ingress: true, egress: true });
    expect(baselinePolicy.spec.ingress).toBeUndefined();
    expect(baselinePolicy.spec.egress[1]).toEqual({ toEntities: ['kube-apiserver'], toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }, { port: '6443', protocol: 'TCP' }] }] });
  });

  test('Cilium: wildcard hosts become FQDN patterns, Docker Hub pushes go to its registry and auth hosts', () => {
    const b = platform({ registry: 'docker.io/acme', allowedHosts: ['*.pkg.dev', 'proxy.golang.org:443'] });
    new Service(b.project, 'api', { source: { repository: REPO } });
    const policy = one(synth(b.org), 'CiliumNetworkPolicy', (o: any) => o.metadata.name === 'build-image');
    expect(policy.spec.endpointSelector).toEqual({ matchLabels: { 'openchoreo.dev/build-step': 'build' } });
    expect(policy.spec.egress.map((r: any) => r.toFQDNs[0])).toEqual([
      { matchPattern: '*.pkg.dev' }, { matchName: 'auth.docker.io' }, { matchName: 'proxy.golang.org' }, { matchName: 'registry-1.docker.io' },
    ]);
    expect(policy.metadata.annotations['openchoreo.dev/allowed-egress']).toContain('registry-1.docker.io:443 (registry docker.io/acme)');
  });

  test('Kubernetes back-end: host names widened to their ports only where the data plane accepts it, and the widening is visible', () => {
    const b = baseline(testApp());
    const builds = new DataPlane(b.org, 'builds', { networkPolicyProvider: NetworkPolicyProvider.KUBERNETES, acceptWiderNetworkRules: true });
    new BuildPlane(b.org, 'ci', {
      dataPlane: builds, registry: 'registry.acme.example:5000/platform', registryCredentials: SecretRef.fromStore('k'), kubernetesApiCidrs: ['10.0.0.10/32'],
    });
    new Service(b.project, 'api', { source: { repository: REPO } });
    const objects = synth(b.org);
    const checkout = one(objects, 'NetworkPolicy', 'build-checkout');
    expect(checkout.spec).toEqual({
      podSelector: { matchLabels: { 'openchoreo.dev/build-step': 'checkout' } },
      policyTypes: ['Ingress', 'Egress'],
      egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ protocol: 'TCP', port: 443 }] }],
    });
    expect(checkout.metadata.annotations['security.openchoreo.dev/widened']).toBe('build checkout pods → github.com:443: FQDN egress widened to any address on port 443/TCP');
    expect(one(objects, 'NetworkPolicy', 'build-image').spec.egress[0].ports).toEqual([{ protocol: 'TCP', port: 5000 }]);
    const baselinePolicy = one(objects, 'NetworkPolicy', 'build-baseline');
    expect(baselinePolicy.spec.podSelector).toEqual({});
    expect(baselinePolicy.spec.egress[1]).toEqual({ to: [{ ipBlock: { cidr: '10.0.0.10/32' } }], ports: [{ protocol: 'TCP', port: 443 }, { protocol: 'TCP', port: 6443 }] });
    const pods = buildPods(objects);
    const allowed = evaluateConnectivity({ manifests: objects, extraPods: [...pods, dnsPod], externals: EXTERNALS })
      .filter(f => f.from === 'api/checkout').map(f => `${f.to}:${f.port}`);
    // widened: any host on 443, still not port 22 or the build pods' own ports
    expect(allowed).toEqual(['apiserver:6443', 'dns:53', 'dns:53', 'elsewhere:443', 'ghcr:443', 'github:443', 'npm:443']);
    // the plan holds the widening as data; renderers select on its fields, never on its text
    const widened = synthesizeOrganization(b.org).plan.buildPlanes[0].network.widened;
    expect(widened.map(w => [w.kind, w.from, w.buildStep, w.to, w.ports])).toEqual([
      ['fqdn-egress', 'build checkout pods', 'checkout', 'github.com:443', [{ port: 443, protocol: 'TCP' }]],
      ['fqdn-egress', 'build build pods', 'build', 'registry.acme.example:5000', [{ port: 5000, protocol: 'TCP' }]],
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// The release ledger and built components
// ---------------------------------------------------------------------------------------------

describe('built components and the release ledger', () => {
  const deployments = (objects: any[], component: string) => objects
    .filter(o => o.kind === 'Deployment' && o.metadata.labels['openchoreo.dev/component'] === component)
    .map(o => [o.metadata.labels['openchoreo.dev/environment'], o.spec.template.spec.containers[0].image]);

  test('without an image, a built component runs only where the ledger pins a release of its build repository', () => {
    const released = `${API_REPOSITORY}:git-0123456789ab${DIGEST}`;
    const b = platform({}, ledger({ development: { 'shop/api': { image: released } } }));
    new Service(b.project, 'api', { source: { repository: REPO } });
    expect(deployments(synth(b.org), 'api')).toEqual([['development', released]]);
  });

  test('with nothing released yet it runs nowhere, but its build and its dependents are rendered', () => {
    const b = platform();
    const api = new Service(b.project, 'api', { source: { repository: REPO } });
    const client = new Worker(b.project, 'client', { image: IMAGE });
    client.dependOn(api.addEndpoint('http', { port: 8080 }));
    const objects = synth(b.org);
    expect(deployments(objects, 'api')).toEqual([]);
    expect(objects.filter(o => o.metadata.labels?.['openchoreo.dev/component'] === 'api' && o.metadata.namespace !== NS)).toEqual([]);
    expect(templateOf(objects, 'api')).toBeDefined();
    const env = deployments(objects, 'client');
    expect(env).toHaveLength(3);
    const dep = one(objects, 'Deployment', generateName(253, 'client', 'development'));
    expect(dep.spec.template.spec.containers[0].env).toContainEqual({
      name: 'API_HTTP_URL', value: `http://api.${generateName(63, 'dp', 'acme', 'shop', 'development')}.svc.cluster.local:8080`,
    });
  });

  test('with an image of its build repository, it runs that image wherever the ledger pins none', () => {
    const released = `${API_REPOSITORY}:git-0123456789ab${DIGEST}`;
    const b = platform({}, ledger({ development: { 'shop/api': { image: released } } }));
    new Service(b.project, 'api', { source: { repository: REPO }, image: `${API_REPOSITORY}:1.0.0` });
    expect(deployments(synth(b.org), 'api').sort()).toEqual([
      ['development', released], ['production', `${API_REPOSITORY}:1.0.0`], ['staging', `${API_REPOSITORY}:1.0.0`],
    ]);
  });

  test('a promoted build runs where it was promoted (and must have run where it was promoted from)', () => {
    const released = `${API_REPOSITORY}:git-0123456789ab${DIGEST}`;
    const b = platform({}, ledger({ staging: { 'shop/api': { image: released } } }));
    new Service(b.project, 'api', { source: { repository: REPO } });
    expectSynthProblem(b.org, {
      path: 'acme/shop/api', value: `release '${released}' is pinned in 'staging' but never ran in 'development'`, fix: /promote --from development --to staging/,
    });
  });

  test('platform.json lists each build with its repository and the environment releases are recorded in', () => {
    const b = platform();
    new Service(b.project, 'api', { source: { repository: REPO } });
    const manifest = JSON.parse(synthesizeOrganization(b.org).documents.find(d => d.file === 'platform.json')!.content);
    expect(manifest.builds).toEqual({
      'shop/api': {
        repository: API_REPOSITORY, releaseEnvironment: 'development', buildPlane: 'ci', dataPlane: 'eu', namespace: NS, workflowTemplate: generateName(253, 'shop', 'api'),
      },
    });
  });
});

// ---------------------------------------------------------------------------------------------
// Determinism and delivery
// ---------------------------------------------------------------------------------------------

describe('determinism and delivery', () => {
  function declare(reverse: boolean): string {
    const app = testApp();
    const org = new Organization(app, 'acme');
    const dp = new DataPlane(org, 'eu');
    const dev = new Environment(org, 'dev', { dataPlane: dp });
    const pipeline = new DeploymentPipeline(org, 'p', { promotionPaths: [{ source: dev, targets: [new Environment(org, 'prod', { dataPlane: dp })] }] });
    const declarePlane = () => new BuildPlane(org, 'ci', {
      dataPlane: dp,
      registry: 'ghcr.io/acme',
      registryCredentials: SecretRef.fromStore('k'),
      allowedHosts: reverse ? ['b.example.com', 'a.example.com'] : ['a.example.com', 'b.example.com'],
      gitCredentials: SecretRef.fromStore('git'),
    });
    const projects = (reverse ? ['b', 'a'] : ['a', 'b']).map(n => new Project(org, n, { pipeline }));
    if (reverse) declarePlane();
    for (const p of projects) {
      for (const c of reverse ? ['y', 'x'] : ['x', 'y']) {
        new Service(p, c, { source: { repository: `https://git${c}.example.com/${p.name}/${c}.git`, builder: c === 'x' ? Builder.dockerfile() : Builder.buildpacks(), gitCredentials: c === 'x' ? SecretRef.fromStore(`git/${c}`) : undefined } });
      }
    }
    if (!reverse) declarePlane();
    return JSON.stringify(synth(org));
  }

  test('the same builds give the same output, whatever the declaration order', () => {
    expect(declare(true)).toBe(declare(false));
  });

  test('a dedicated build cluster (a data plane without environments) is delivered by Flux and Argo CD', () => {
    const b = baseline(testApp());
    const ciCluster = new DataPlane(b.org, 'ci-cluster', { apiServer: 'https://ci.k8s.acme.example' });
    new BuildPlane(b.org, 'ci', { dataPlane: ciCluster, registry: 'ghcr.io/acme', registryCredentials: SecretRef.fromStore('k') });
    new Service(b.project, 'api', { source: { repository: REPO } });
    new GitOpsDelivery(b.org, 'delivery', { repoUrl: 'https://git.example/ops.git', basePath: 'deploy', tools: [GitOpsTool.ARGO_CD, GitOpsTool.FLUX] });
    const rendered = synthesizeOrganization(b.org).objects;
    const objects = rendered.map(o => o.manifest);
    // Every object is valid; names are unique per cluster (each data plane's Flux objects live in
    // its own cluster's flux-system namespace, Argo CD's in the Argo CD cluster).
    for (const cluster of [...new Set(rendered.map(o => o.dir.split('/')[0]))]) {
      assertValidManifests(rendered.filter(o => o.dir.split('/')[0] === cluster).map(o => o.manifest));
    }
    // Flux: a source and the platform Kustomization in the build cluster's flux-system folder, no tenants
    const ciFlux = rendered.filter(o => o.dir === 'ci-cluster/flux-system').map(o => `${o.manifest.kind}/${o.manifest.metadata.name}`);
    expect(ciFlux).toEqual(['GitRepository/acme', 'Kustomization/acme-platform']);
    const kustomization = rendered.find(o => o.dir === 'ci-cluster/flux-system' && o.manifest.kind === 'Kustomization')!.manifest;
    expect(kustomization.spec.path).toBe('./deploy/acme/ci-cluster/platform');
    // the platform folder holds the builds
    expect(rendered.filter(o => o.dir === 'ci-cluster/platform').every(o => o.group === 'builds')).toBe(true);
    expect(rendered.filter(o => o.dir === 'eu/platform' && o.group === 'builds')).toEqual([]);
    // Argo CD: an AppProject and an Application for the build cluster, targeting a namespace it admits
    const project = one(objects, 'AppProject', 'acme-ci-cluster-platform');
    expect(project.spec.destinations).toEqual([{ server: 'https://ci.k8s.acme.example', namespace: NS }]);
    expect(project.spec.description).toBe('Platform objects of data plane ci-cluster (organization acme): builds');
    expect(project.spec.clusterResourceWhitelist).toEqual([{ group: '', kind: 'Namespace' }]);
    expect(project.spec.namespaceResourceWhitelist).toContainEqual({ group: 'argoproj.io', kind: 'WorkflowTemplate' });
    const application = one(objects, 'Application', 'acme-ci-cluster-platform');
    expect(application.spec.destination).toEqual({ server: 'https://ci.k8s.acme.example', namespace: NS });
    expect(application.spec.source.path).toBe('deploy/acme/ci-cluster/platform');
  });

  test('the GitOps tree gets the builds in the data plane\'s platform folder', () => {
    const app = testApp();
    const b = baseline(app);
    new BuildPlane(b.org, 'ci', { dataPlane: b.dataPlane, registry: 'ghcr.io/acme', registryCredentials: SecretRef.fromStore('k') });
    new Service(b.project, 'api', { source: { repository: REPO } });
    const files = Object.keys(app.synthFiles());
    expect(files).toContain('acme/eu/platform/builds.yaml');
    expect(files).toContain('acme/eu/platform/kustomization.yaml');
  });
});

// ---------------------------------------------------------------------------------------------
// The step scripts, run with sh against stand-ins for git remotes and builders
// ---------------------------------------------------------------------------------------------

describe('step scripts', () => {
  const digest = `sha256:${'c'.repeat(64)}`;

  /** Runs a step's script with its env, paths below `dir` instead of /workspace and /tmp. */
  function run(script: string, dir: string, env: Record<string, string>, pathPrefix?: string) {
    const local = script
      .replace(/\/tmp\/(outputs|git-askpass|metadata\.json|run\.toml)/g, `${dir}/tmp/$1`)
      .replace(/\/workspace\/source/g, `${dir}/source`)
      .replace(/(^|[\s=])\/layers\//gm, `$1${dir}/layers/`);
    fs.mkdirSync(path.join(dir, 'tmp'), { recursive: true });
    return spawnSync('sh', ['-c', local], {
      encoding: 'utf8',
      env: { PATH: pathPrefix ? `${pathPrefix}:${process.env.PATH}` : process.env.PATH, HOME: dir, ...env },
    });
  }

  function template() {
    const b = platform();
    new Service(b.project, 'api', { source: { repository: REPO, builder: Builder.dockerfile() } });
    new Service(b.project, 'web', { source: { repository: REPO, path: 'web' } });
    return synth(b.org);
  }

  test('checkout fetches the revision, records the commit, drops .git and refuses option-like revisions', () => {
    const dir = tempDir();
    try {
      const remote = path.join(dir, 'remote');
      fs.mkdirSync(remote);
      const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=ci@example.com', '-c', 'user.name=ci', '-c', 'init.defaultBranch=main', ...args], { cwd: remote });
      git('init', '-q');
      fs.writeFileSync(path.join(remote, 'app.txt'), 'hello');
      git('add', '.');
      git('commit', '-qm', 'init');
      const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: remote, encoding: 'utf8' }).trim();
      const script = stepOf(templateOf(template(), 'api'), 'checkout').container.args[0];
      const ok = run(script, dir, { REPOSITORY: `file://${remote}`, REVISION: 'main' });
      expect(ok.stderr).toBe('');
      expect(ok.status).toBe(0);
      expect(fs.readFileSync(path.join(dir, 'tmp/outputs/commit'), 'utf8')).toBe(head);
      expect(fs.readdirSync(path.join(dir, 'source'))).toEqual(['app.txt']);
      const bad = run(script, path.join(dir, 'again'), { REPOSITORY: `file://${remote}`, REVISION: '--upload-pack=touch pwned' });
      expect(bad.status).not.toBe(0);
      expect(bad.stderr).toContain("invalid revision '--upload-pack=touch pwned'");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the BuildKit step pushes <repository>:git-<commit> and outputs it with the digest BuildKit reports', () => {
    const dir = tempDir();
    try {
      const objects = template();
      const step = stepOf(templateOf(objects, 'api'), 'build-and-push');
      const bin = path.join(dir, 'bin');
      fs.mkdirSync(bin);
      fs.mkdirSync(path.join(dir, 'source'));
      fs.writeFileSync(path.join(dir, 'source/Dockerfile'), 'FROM scratch\n');
      // a stand-in for buildctl-daemonless.sh: records its arguments, writes BuildKit's metadata file
      fs.writeFileSync(path.join(bin, 'buildctl-daemonless.sh'),
        `#!/bin/sh\nprintf '%s\\n' "$@" > ${dir}/args\nprintf '{\\n  "containerimage.digest": "${digest}"\\n}\\n' > ${dir}/tmp/metadata.json\n`, { mode: 0o755 });
      const env = { ...envOf(step.container), IMAGE_TAG: '', COMMIT: '0123456789abcdef0123', CONTEXT_DIR: `${dir}/source`, DOCKERFILE_DIR: `${dir}/source` };
      const result = run(step.container.args[0], dir, env, bin);
      expect(result.stderr).toBe('');
      expect(fs.readFileSync(path.join(dir, 'tmp/outputs/image'), 'utf8')).toBe(`${API_REPOSITORY}:git-0123456789ab@${digest}`);
      expect(fs.readFileSync(path.join(dir, 'tmp/outputs/digest'), 'utf8')).toBe(digest);
      const args = fs.readFileSync(path.join(dir, 'args'), 'utf8').split('\n');
      expect(args).toContain(`type=image,name=${API_REPOSITORY}:git-0123456789ab,push=true`);
      expect(args).toContain(`type=registry,ref=${API_REPOSITORY}:buildcache,mode=max`);
      const untagged = run(step.container.args[0], dir, { ...env, IMAGE_TAG: 'v1 beta' }, bin);
      expect(untagged.status).not.toBe(0);
      expect(untagged.stderr).toContain("invalid image tag 'v1 beta'");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the buildpacks step reads the digest from the lifecycle report and fails without one', () => {
    const script: string = stepOf(templateOf(template(), 'web'), 'build-and-push').container.args[0];
    expect(script).toContain('/cnb/lifecycle/creator "$@" "$IMAGE:$TAG"');
    const dir = tempDir();
    try {
      fs.mkdirSync(path.join(dir, 'source/web'), { recursive: true });
      fs.mkdirSync(path.join(dir, 'layers'));
      const report = (d: string) => `[image]\n  tags = ["x"]\n  digest = "${d}"\n  manifest-size = 1\n`;
      // the lifecycle stand-in writes report.toml as the creator does
      const stub = (d: string) => script.replace(/\/cnb\/lifecycle\/creator "\$@" "\$IMAGE:\$TAG"/, `printf '%s' '${report(d)}' > /layers/report.toml`);
      const env = { IMAGE: 'ghcr.io/acme/acme-shop-web', IMAGE_TAG: '1.2.0', COMMIT: 'abc', SOURCE_PATH: 'web', REGISTRY_CACHE: 'true' };
      const ok = run(stub(digest), dir, env);
      expect(ok.stderr).toBe('');
      expect(fs.readFileSync(path.join(dir, 'tmp/outputs/image'), 'utf8')).toBe(`ghcr.io/acme/acme-shop-web:1.2.0@${digest}`);
      const missing = run(stub(''), dir, env);
      expect(missing.status).not.toBe(0);
      expect(missing.stderr).toContain('the build reported no image digest');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
