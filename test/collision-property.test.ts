import * as fc from 'fast-check';
import {
  DataPlane, DeploymentPipeline, Environment, GitOpsDelivery, GitOpsTool, Organization, PlatformApp, PlatformErrors, Project, Service,
} from '../src';
import { IMAGE } from './support/fixtures';
import { ProblemCollector } from '../src/model/errors';
import { checkIdentitiesAcross } from '../src/render/identities';
import { checkOrganizationNames } from '../src/resolve/collisions';
import { renderObjects, synthesizeOrganization } from '../src/synth';

/** Names from a small alphabet with '-': most joins collide with some other join. */
const NAME = fc.constantFrom('a', 'b', 'a-b', 'b-a', 'a-a', 'b-b');
const API_SERVERS = ['https://kubernetes.default.svc', 'https://one.k8s.example', 'https://two.k8s.example'];
const IN_CLUSTER = API_SERVERS[0];

const byName = { selector: (x: { name: string }) => x.name };
/** Names are unique per kind within an organization (duplicates are refused at construction, tested elsewhere). */
const ORG = fc.record({
  name: NAME,
  planes: fc.uniqueArray(fc.record({ name: NAME, apiServer: fc.constantFrom(...API_SERVERS) }), { minLength: 1, maxLength: 2, ...byName }),
  environments: fc.uniqueArray(fc.record({ name: NAME, plane: fc.nat(1) }), { minLength: 2, maxLength: 3, ...byName }),
  projects: fc.uniqueArray(fc.record({ name: NAME, components: fc.uniqueArray(NAME, { minLength: 1, maxLength: 2 }) }), {
    minLength: 1, maxLength: 2, ...byName,
  }),
  tools: fc.subarray([GitOpsTool.ARGO_CD, GitOpsTool.FLUX]),
});
const PLATFORM = fc.array(ORG, { minLength: 1, maxLength: 2 });
type OrgSpec = typeof ORG extends fc.Arbitrary<infer T> ? T : never;

function declare(app: PlatformApp, spec: OrgSpec, i: number): void {
  const org = new Organization(app, `org${i}`, { name: spec.name });
  const planes = spec.planes.map((p, j) => new DataPlane(org, `plane${j}`, { name: p.name, apiServer: p.apiServer }));
  const envs = spec.environments.map((e, j) => new Environment(org, `env${j}`, { name: e.name, dataPlane: planes[e.plane % planes.length] }));
  const pipeline = new DeploymentPipeline(org, 'pipeline', { promotionPaths: envs.slice(1).map((t, j) => ({ source: envs[j], targets: [t] })) });
  spec.projects.forEach((p, j) => {
    const project = new Project(org, `project${j}`, { name: p.name, pipeline });
    p.components.forEach((c, k) => new Service(project, `c${k}`, { name: c, image: IMAGE }));
  });
  if (spec.tools.length > 0) new GitOpsDelivery(org, 'delivery', { repoUrl: 'https://git.example/ops.git', tools: spec.tools });
}

/** What PlatformApp does before it lays out files: organization names, each organization's objects, identities across them. */
function renderApp(app: PlatformApp): Rendered[] {
  const orgs = app.node.findAll().filter(Organization.isOrganization);
  const names = new ProblemCollector();
  checkOrganizationNames(orgs, names);
  names.throwIfAny();
  const rendered = orgs.map(org => ({ org, ...renderObjects(org) }));
  checkIdentitiesAcross(rendered);
  return rendered;
}

type Rendered = { readonly org: Organization; readonly objects: ReturnType<typeof renderObjects>['objects'] };

/**
 * The test's own identity of every emitted object: the cluster (the Argo CD cluster for gitops/,
 * else the data plane's API server; the in-cluster URL is each data plane's own cluster), API
 * group, kind, namespace and name.
 */
function identities(rendered: readonly Rendered[]): string[] {
  return rendered.flatMap(({ org, objects }) => {
    const servers = new Map(org.dataPlanes.map(d => [d.name, d.apiServer === IN_CLUSTER ? `in-cluster ${org.node.path}/${d.node.id}` : d.apiServer]));
    return objects.map(o => {
      const cluster = o.dir.startsWith('gitops/') ? 'argocd' : servers.get(o.dir.split('/')[0])!;
      const m = o.manifest;
      return [cluster, String(m.apiVersion).split('/').slice(0, -1).join('/'), m.kind, m.metadata.namespace ?? '', m.metadata.name].join(' ');
    });
  });
}

test('random names that join alike: an error is raised, or every emitted object and every file has one owner', () => {
  const outcome = { synthesized: 0, refused: 0, laidOut: 0 };
  const reasons = new Map<string, number>();
  const started = Date.now();
  let run = 0;
  fc.assert(fc.property(PLATFORM, specs => {
    const app = new PlatformApp({ outdir: '/nonexistent/never-written' });
    // Every twentieth platform goes through the whole file layout (reports, YAML, kustomizations) as well.
    const layout = run++ % 20 === 0;
    let files: { [file: string]: string } | undefined;
    let rendered: Rendered[];
    try {
      specs.forEach((spec, i) => declare(app, spec, i));
      if (layout) files = app.synthFiles();
      rendered = layout
        ? app.node.findAll().filter(Organization.isOrganization).map(org => ({ org, objects: synthesizeOrganization(org).objects }))
        : renderApp(app);
    } catch (e) {
      // Refused: with a validation error naming a path and a fix, never a TypeError or an internal assertion.
      if (!PlatformErrors.isPlatformValidationError(e)) throw e;
      const problems = PlatformErrors.problemsOf(e);
      expect(problems.length).toBeGreaterThan(0);
      for (const p of problems) {
        expect(p.path).not.toBe('');
        expect(p.fix).not.toBe('');
        expect(p.message).not.toContain('connectivity:');
      }
      const reason = problems[0].message.replace(/'[^']*'/g, '…').slice(0, 40);
      reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
      outcome.refused++;
      return;
    }
    outcome.synthesized++;
    const ids = identities(rendered);
    expect(ids.length).toBeGreaterThan(0);
    expect(new Set(ids).size).toBe(ids.length);
    if (!files) return;
    outcome.laidOut++;
    // No object was merged away: every rendered object is one YAML document of the tree.
    const documents = Object.entries(files)
      .filter(([file]) => file.endsWith('.yaml') && !file.endsWith('kustomization.yaml'))
      .reduce((n, [, content]) => n + content.split(/^---$/m).length, 0);
    expect(documents).toBe(ids.length);
  }), { numRuns: 2000, seed: 20261201 });
  const seconds = (Date.now() - started) / 1000;
  // Both outcomes occur often enough for the property to mean something.
  expect(outcome.synthesized).toBeGreaterThan(100);
  expect(outcome.refused).toBeGreaterThan(100);
  expect(outcome.laidOut).toBeGreaterThan(50);
  process.stdout.write(`collision property: ${JSON.stringify(outcome)} in ${seconds.toFixed(1)}s; refusals by first problem: ${JSON.stringify([...reasons].sort((a, b) => b[1] - a[1]).slice(0, 8))}\n`);
});
