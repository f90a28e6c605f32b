import { buildPlatform } from '../examples/platform/main';
import { DataPlane, DeploymentPipeline, Environment, Organization, PlatformApp, Project } from '../src';
import { service, withApp } from './support/fixtures';
import { expectProblem } from './support/problems';
import { NamedLevel, RESERVED_NAMES } from '../src/resolve/reserved-names';

interface Names {
  readonly dataPlane?: string;
  readonly environment?: string;
  readonly project?: string;
  readonly component?: string;
}

/** acme / <data plane> / <environment> → staging / <project> / <component>, with the given names. */
function platform(app: PlatformApp, names: Names = {}): void {
  const org = new Organization(app, 'acme');
  const dataPlane = new DataPlane(org, names.dataPlane ?? 'eu');
  const first = new Environment(org, names.environment ?? 'development', { dataPlane });
  const staging = new Environment(org, 'staging', { dataPlane });
  const pipeline = new DeploymentPipeline(org, 'standard', { promotionPaths: [{ source: first, targets: [staging] }] });
  const project = new Project(org, names.project ?? 'shop', { pipeline });
  service(project, names.component ?? 'api');
}

const pathOf = (level: NamedLevel, name: string): string => ({
  'data plane': `acme/${name}`,
  'environment': `acme/${name}`,
  'project': `acme/${name}`,
  'component': `acme/shop/${name}`,
})[level];

const namesFor = (level: NamedLevel, name: string): Names => ({
  'data plane': { dataPlane: name },
  'environment': { environment: name },
  'project': { project: name },
  'component': { component: name },
})[level];

const cases = RESERVED_NAMES.flatMap(r => r.reservedFor.map(level => [level, r.name] as const));

describe('reserved names: a user name equal to a file or folder the tree uses itself is refused', () => {
  test('the table covers every level at least once', () => {
    expect(cases).toHaveLength(25); // + quota (component), capacity (environment), exports (data plane)
    expect(new Set(cases.map(([level]) => level))).toEqual(new Set(['data plane', 'environment', 'project', 'component']));
  });

  test.each(cases)('%s name %s', (level, name) => {
    expectProblem(app => platform(app, namesFor(level, name)), {
      path: pathOf(level, name),
      value: `${level} name '${name}' is reserved: the output tree uses it for`,
      fix: new RegExp(`give the ${level} another name \\(the 'name' prop or the construct id\\), e\\.g\\. '${name}-1'`),
      at: 'synth',
    });
  });

  test('the same names are fine where nothing in the tree meets them', () => {
    withApp(app => {
      // 'gitops' is only reserved for data planes, 'namespace' only for components
      platform(app, { environment: 'gitops', project: 'namespace', component: 'platform' });
      const files = Object.keys(app.synthFiles());
      expect(files).toContain('acme/eu/gitops/namespace/platform.yaml');
      expect(files).toContain('acme/eu/gitops/namespace/namespace.yaml');
    });
  });

  test('every fixed file and folder name of a synthesized tree is in the table, for the level it sits at', () => {
    withApp(app => {
      const org = buildPlatform(app);
      const dataPlanes = new Set(org.dataPlanes.map(d => d.name));
      const environments = new Set(org.environments.map(e => e.name));
      const projects = new Map(org.projects.map(p => [p.name, new Set(p.components.map(c => c.name))]));
      const fixed = new Map<NamedLevel, Set<string>>();
      const note = (level: NamedLevel, segment: string) => {
        const stem = segment.replace(/\.(yaml|md|json)$/, '').toLowerCase();
        fixed.set(level, new Set([...(fixed.get(level) ?? []), stem]));
      };
      for (const file of Object.keys(app.synthFiles())) {
        const [, plane, env, project, leaf] = file.split('/');
        if (!dataPlanes.has(plane)) {
          note('data plane', plane);
        } else if (env === 'flux-tenants') {
          note('environment', env);
          if (!projects.has(project.replace(/\.yaml$/, ''))) note('project', project);
        } else if (!environments.has(env)) {
          note('environment', env);
        } else if (!projects.has(project)) {
          note('project', project);
        } else if (!projects.get(project)!.has(leaf.replace(/\.yaml$/, ''))) {
          note('component', leaf);
        }
      }
      expect(fixed.get('data plane')).toEqual(new Set(['gitops', 'platform', 'kustomization', 'readme', 'exports']));
      for (const [level, stems] of fixed) {
        for (const stem of stems) {
          expect([level, stem, RESERVED_NAMES.some(r => r.name === stem && r.reservedFor.includes(level))]).toEqual([level, stem, true]);
        }
      }
    });
  });
});
