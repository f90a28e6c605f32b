import { ApiObject, Chart } from 'cdk8s';
import {
  DataPlane, DataPlaneProps, DeploymentPipeline, Environment, GitOpsDelivery, GitOpsTool, Organization, OutputLayout, PlatformApp, PlatformErrors,
  Project,
} from '../src';
import { baseline, listFiles, service, withApp } from './support/fixtures';
import { expectProblem } from './support/problems';
import { PlatformValidationError, ValidationProblem } from '../src/model/errors';
import { identityProblems, OwnedObject } from '../src/render/identities';
import { generateName, NameLimit } from '../src/resolve/naming';

interface OrgSpec {
  readonly id: string;
  readonly name?: string;
  /** data plane name → its environments, in pipeline order */
  readonly planes: { [dataPlane: string]: string[] };
  readonly projects: string[];
  readonly tools?: GitOpsTool[];
  readonly dataPlane?: DataPlaneProps;
}

/** An organization whose environments form one linear pipeline; one component 'api' per project. */
function declare(app: PlatformApp, spec: OrgSpec): Organization {
  const org = new Organization(app, spec.id, { name: spec.name });
  const envs: Environment[] = [];
  for (const [plane, names] of Object.entries(spec.planes)) {
    const dataPlane = new DataPlane(org, plane, spec.dataPlane);
    for (const name of names) envs.push(new Environment(org, name, { dataPlane }));
  }
  const pipeline = new DeploymentPipeline(org, 'pipeline', {
    promotionPaths: envs.slice(1).map((target, i) => ({ source: envs[i], targets: [target] })),
  });
  for (const name of spec.projects) service(new Project(org, name, { pipeline }), 'api');
  if (spec.tools) new GitOpsDelivery(org, 'delivery', { repoUrl: 'https://git.example/ops.git', tools: spec.tools });
  return org;
}

/** Asserts that synthesizing the app fails with a problem at `path` naming `value`, and writes nothing. */
function expectAppProblem(build: (app: PlatformApp) => void, expected: { path: string; value: string; fix: RegExp }): ValidationProblem[] {
  return withApp((app, outdir) => {
    build(app);
    let error: unknown;
    try {
      app.synth();
    } catch (e) {
      error = e;
    }
    expect(PlatformErrors.isPlatformValidationError(error)).toBe(true);
    const problems = (error as PlatformValidationError).problems;
    const problem = problems.find(p => p.path === expected.path && p.message.includes(expected.value));
    if (!problem) throw new Error(`no problem at [${expected.path}] names '${expected.value}'; got:\n${(error as Error).message}`);
    expect(problem.fix).toMatch(expected.fix);
    expect((error as Error).message).not.toContain('connectivity:');
    expect(listFiles(outdir)).toEqual([]);
    return problems;
  });
}

describe('names that join into one: refused at resolve time, naming both constructs', () => {
  test("two (project, environment) pairs that join into one cell namespace: 'a-b' in 'c' and 'a' in 'b-c'", () => {
    expectProblem(app => declare(app, { id: 'acme', planes: { eu: ['c', 'b-c'] }, projects: ['a', 'a-b'] }), {
      path: 'acme/a-b',
      value: "the cell of project 'a-b' in environment 'c' gets namespace 'dp-acme-a-b-c-7136f10d', which is already the namespace of project 'a' in environment 'b-c' (acme/a)",
      fix: /rename project 'a-b' or environment 'c' \(or 'a' \/ 'b-c'\) so that '<project>-<environment>' differs/,
      at: 'synth',
    });
  });

  test('the namespace clash is the only problem reported, not the follow-on object clashes or a connectivity assertion', () => {
    withApp(app => {
      declare(app, { id: 'acme', planes: { eu: ['c', 'b-c'] }, projects: ['a', 'a-b'], tools: [GitOpsTool.ARGO_CD, GitOpsTool.FLUX] });
      expect(() => app.synthFiles()).toThrow(/^\[acme\/a-b\] the cell of project 'a-b' in environment 'c' gets namespace 'dp-acme-a-b-c-7136f10d'.*Fix: rename/);
    });
  });

  test("two (data plane, environment) pairs that join into one Argo CD folder: 'eu' / 'a-b' and 'eu-a' / 'b'", () => {
    expectProblem(app => declare(app, { id: 'acme', planes: { 'eu': ['a-b'], 'eu-a': ['b'] }, projects: ['shop'], tools: [GitOpsTool.ARGO_CD] }), {
      path: 'acme/b',
      value: "environment 'b' of data plane 'eu-a' gets the Argo CD folder 'gitops/argocd/eu-a-b/' and Application 'acme-eu-a-b', which environment acme/a-b already has",
      fix: /rename environment 'b' or data plane 'eu-a' so that '<data plane>-<environment>' differs from 'eu-a-b'/,
      at: 'synth',
    });
  });

  test('the same pairs are fine without Argo CD (Flux has no joined folder)', () => {
    withApp(app => {
      declare(app, { id: 'acme', planes: { 'eu': ['a-b'], 'eu-a': ['b'] }, projects: ['shop'], tools: [GitOpsTool.FLUX] });
      expect(Object.keys(app.synthFiles())).toEqual(expect.arrayContaining(['acme/eu/flux-system/source.yaml', 'acme/eu-a/flux-system/source.yaml']));
    });
  });

  test("a (data plane, environment) pair that joins into a file of the Argo CD folder: 'root' / 'applications'", () => {
    expectProblem(app => declare(app, { id: 'acme', planes: { root: ['applications', 'staging'] }, projects: ['shop'], tools: [GitOpsTool.ARGO_CD] }), {
      path: 'acme/applications',
      value: "data plane 'root' and environment 'applications' join into 'root-applications', which the Argo CD folder uses for its own root-applications.yaml",
      fix: /rename environment 'applications' or data plane 'root'/,
      at: 'synth',
    });
  });

  test('two organizations with the same name in one app', () => {
    const problems = expectAppProblem(app => {
      declare(app, { id: 'acme', planes: { eu: ['dev', 'prod'] }, projects: ['shop'] });
      declare(app, { id: 'acme-two', name: 'acme', planes: { us: ['dev', 'prod'] }, projects: ['web'] });
    }, {
      path: 'acme-two',
      value: "organization name 'acme' is already used by acme in this app: both would write the folder 'acme/'",
      fix: /give one of them a different name/,
    });
    expect(problems).toHaveLength(1);
  });
});

describe('object identities: the safety net over every emitted object names both owners', () => {
  test("Argo CD AppProjects of two organizations: project 'b-c' of 'a' and project 'c' of 'a-b' are both 'a-b-c'", () => {
    expectAppProblem(app => {
      declare(app, { id: 'a', planes: { eu: ['dev', 'prod'] }, projects: ['b-c'], tools: [GitOpsTool.ARGO_CD] });
      declare(app, { id: 'a-b', planes: { eu: ['dev', 'prod'] }, projects: ['c'], tools: [GitOpsTool.ARGO_CD] });
    }, {
      path: 'a-b/c',
      value: "AppProject 'argocd/a-b-c' on the Argo CD cluster is emitted twice, by project a/b-c (projects) (in a/gitops/argocd/) and by project a-b/c (projects) (in a-b/gitops/argocd/)",
      fix: /rename a\/b-c or a-b\/c \(the 'name' prop or the construct id\)/,
    });
  });

  test("an AppProject of a project and of a data plane's platform folder: project 'eu-platform' and data plane 'eu'", () => {
    expectProblem(app => declare(app, { id: 'acme', planes: { eu: ['dev', 'prod'] }, projects: ['eu-platform'], tools: [GitOpsTool.ARGO_CD] }), {
      path: 'acme/eu',
      value: "AppProject 'argocd/acme-eu-platform' on the Argo CD cluster is emitted twice, by project acme/eu-platform (projects)",
      fix: /rename acme\/eu-platform or acme\/eu/,
      at: 'synth',
    });
  });

  test("a data plane's platform Application and an environment's root Application: 'x-y' and 'x' / 'y-platform'", () => {
    expectProblem(app => declare(app, { id: 'acme', planes: { 'x': ['y-platform'], 'x-y': ['prod'] }, projects: ['shop'], tools: [GitOpsTool.ARGO_CD] }), {
      path: 'acme/y-platform',
      value: "Application 'argocd/acme-x-y-platform' on the Argo CD cluster is emitted twice, by data plane acme/x-y (root-applications)",
      fix: /rename acme\/x-y or acme\/y-platform/,
      at: 'synth',
    });
  });

  test('Flux tenants of two organizations on one cluster: a/b-c and a-b/c both run as a-b-c-reconciler', () => {
    const shared = { apiServer: 'https://shared.k8s.example' };
    const problems = expectAppProblem(app => {
      declare(app, { id: 'a', planes: { eu: ['dev', 'prod'] }, projects: ['b-c'], tools: [GitOpsTool.FLUX], dataPlane: shared });
      declare(app, { id: 'a-b', planes: { us: ['test', 'live'] }, projects: ['c'], tools: [GitOpsTool.FLUX], dataPlane: shared });
    }, {
      path: 'a-b/c',
      value: "ServiceAccount 'flux-system/a-b-c-reconciler' on https://shared.k8s.example is emitted twice, by project a/b-c (tenant) (in a/eu/flux-system/)",
      fix: /rename a\/b-c or a-b\/c/,
    });
    expect(problems.some(p => p.message.startsWith("ClusterRole 'a-b-c-reconciler-objects' on https://shared.k8s.example is emitted twice"))).toBe(true);
  });

  test('cell namespaces of two organizations on one cluster: a/b-c and a-b/c in dev', () => {
    const shared = { apiServer: 'https://shared.k8s.example' };
    expectAppProblem(app => {
      declare(app, { id: 'a', planes: { eu: ['dev', 'prod'] }, projects: ['b-c'], dataPlane: shared });
      declare(app, { id: 'a-b', planes: { us: ['dev', 'prod'] }, projects: ['c'], dataPlane: shared });
    }, {
      path: 'a-b/c',
      value: "Namespace 'dp-a-b-c-dev-",
      fix: /rename a\/b-c or a-b\/c/,
    });
  });

  test('two data planes of one organization on one cluster, with Flux: both bootstrap the same GitRepository', () => {
    expectProblem(app => declare(app, {
      id: 'acme', planes: { eu: ['dev'], us: ['prod'] }, projects: ['shop'], tools: [GitOpsTool.FLUX], dataPlane: { apiServer: 'https://one.k8s.example' },
    }), {
      path: 'acme/us',
      value: "GitRepository 'flux-system/acme' on https://one.k8s.example is emitted twice, by data plane acme/eu (source) (in acme/eu/flux-system/) and by data plane acme/us (source)",
      fix: /or, if data planes acme\/eu and acme\/us are not meant to share the cluster https:\/\/one\.k8s\.example, give each its own apiServer$/,
      at: 'synth',
    });
  });

  test('the same two organizations on different clusters synthesize', () => {
    withApp(app => {
      declare(app, { id: 'a', planes: { eu: ['dev', 'prod'] }, projects: ['b-c'], dataPlane: { apiServer: 'https://eu.k8s.example' } });
      declare(app, { id: 'a-b', planes: { us: ['dev', 'prod'] }, projects: ['c'], dataPlane: { apiServer: 'https://us.k8s.example' } });
      const files = Object.keys(app.synthFiles());
      expect(files).toContain('a/eu/dev/b-c/api.yaml');
      expect(files).toContain('a-b/us/dev/c/api.yaml');
    });
  });

  const owned = (path: string, owner: string, manifest: any): OwnedObject => ({ cluster: 'https://eu.k8s.example', path, owner, folder: `${path}/`, manifest });

  test('two workloads of different kinds with one namespace and name share a pod identity', () => {
    const problems = identityProblems([
      owned('acme/shop/api', 'component acme/shop/api', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: 'cell' } }),
      owned('acme/shop/job', 'component acme/shop/job', { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'api', namespace: 'cell' } }),
    ]);
    expect(problems).toEqual([{
      path: 'acme/shop/job',
      message: "workloads Deployment and CronJob 'cell/api' on https://eu.k8s.example share one pod identity, emitted by component acme/shop/api (in acme/shop/api/) and by component acme/shop/job (in acme/shop/job/): their network policies could not tell them apart",
      fix: "rename acme/shop/api or acme/shop/job (the 'name' prop or the construct id) so that the names they join into differ",
    }]);
  });

  test('identity is per cluster, API group and namespace; cluster-scoped kinds have no namespace', () => {
    const ns = (cluster: string, name: string): OwnedObject => ({ ...owned('acme/eu', 'data plane acme/eu', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } }), cluster });
    expect(identityProblems([
      ns('https://a.example', 'shop'), ns('https://b.example', 'shop'),
      owned('acme/x', 'x', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'one' } }),
      owned('acme/y', 'y', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'two' } }),
    ])).toEqual([]);
    const clash = identityProblems([ns('https://a.example', 'shop'), ns('https://a.example', 'shop')]);
    expect(clash).toHaveLength(1);
    expect(clash[0].message).toContain("Namespace 'shop' on https://a.example is emitted twice");
    expect(clash[0].fix).toBe("rename the Namespace's source in acme/eu (a name that joins with '-' into another one)");
  });
});

describe('output files: one owner per path', () => {
  test('a plain chart beside an organization is written as <chart>.k8s.yaml (it was taken for an organization: TypeError)', () => {
    withApp(app => {
      declare(app, { id: 'acme', planes: { eu: ['dev', 'prod'] }, projects: ['shop'] });
      new ApiObject(new Chart(app, 'extra'), 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'one' } });
      expect(Organization.isOrganization(app.node.findChild('extra'))).toBe(false);
      const files = app.synthFiles();
      expect(files['extra.k8s.yaml']).toContain('name: one');
      expect(Object.keys(files)).toContain('acme/eu/dev/shop/api.yaml');
    });
  });

  test('file-per-resource: the Flux tenant RoleBinding of each cell gets its own file (all three shared one before)', () => {
    const app = new PlatformApp({ outdir: '/nonexistent/never-written', layout: OutputLayout.FILE_PER_RESOURCE });
    const b = baseline(app);
    service(b.project, 'api');
    new GitOpsDelivery(b.org, 'delivery', { repoUrl: 'https://git.example/ops.git', tools: [GitOpsTool.FLUX] });
    const files = app.synthFiles();
    const ns = (env: string) => generateName(NameLimit.LABEL, 'dp', 'acme', 'shop', env);
    expect(Object.keys(files).filter(f => f.startsWith('acme/eu/flux-tenants/'))).toEqual([
      'acme/eu/flux-tenants/kustomization.yaml',
      ...['development', 'production', 'staging'].map(e => `acme/eu/flux-tenants/rolebinding-acme-shop-reconciler.${ns(e)}.yaml`).sort(),
    ]);
    for (const e of ['development', 'staging', 'production']) {
      const text = files[`acme/eu/flux-tenants/rolebinding-acme-shop-reconciler.${ns(e)}.yaml`];
      expect(text.split(/^---$/m)).toHaveLength(1);
      expect(text).toContain(`namespace: ${ns(e)}`);
    }
  });

  test("two charts whose paths join into one file: 'a-b' and 'a/b' both write a-b.k8s.yaml", () => {
    const problems = expectAppProblem(app => {
      const nested = new Chart(new Chart(app, 'a'), 'b');
      new ApiObject(nested, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'one' } });
      new ApiObject(new Chart(app, 'a-b'), 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'two' } });
    }, {
      path: 'a-b.k8s.yaml',
      value: 'the output file is claimed by chart a/b and by chart a-b: the second would overwrite or merge into the first',
      fix: /rename the construct whose name makes the path/,
    });
    expect(problems).toHaveLength(1);
  });
});
