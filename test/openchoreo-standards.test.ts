import { JsonPatch } from 'cdk8s';
import {
  ComponentKind, ComponentType, ExportFormat, ITrait, OpenChoreoExport, Resource, ResourceType, SecretRef, TraitContext, TraitNeeds, TraitRendering,
  Traits,
} from '../src';
import { baseline, listFiles, service, withApp } from './support/fixtures';
import { expectProblem } from './support/problems';
import { validateManifest } from './support/schema-validator';

/** A trait class of the user's own: code, which the export cannot carry. */
class TeamLabel implements ITrait {
  public readonly name = 'team-label';
  public needs(_context: TraitContext): TraitNeeds {
    return {};
  }
  public render(_context: TraitRenderContextLike): TraitRendering {
    return {};
  }
}
type TraitRenderContextLike = Parameters<ITrait['render']>[0];

const byKind = (objects: any[], kind: string) => objects.filter(o => o.kind === kind);
const named = (objects: any[], kind: string, name: string) => objects.find(o => o.kind === kind && o.metadata.name === name);

describe('OpenChoreo export of platform standards', () => {
  test('a ComponentType maps to a namespaced ComponentType on the zero-trust base: defaults as schema defaults, built-in traits embedded, components reference it', () => {
    withApp(app => {
      const { org, project } = baseline(app);
      const type = new ComponentType(org, 'batch-api', {
        kind: ComponentKind.SERVICE,
        description: 'APIs for batch clients',
        defaults: { scratchPaths: ['/tmp', '/cache'], replicas: 2, resources: { cpuRequest: '100m', cpuLimit: '500m', memoryRequest: '128Mi', memoryLimit: '256Mi' } },
        traits: [Traits.podAnnotations({ 'karpenter.sh/do-not-disrupt': 'true' }, { name: 'no-disrupt' })],
        allowedTraits: ['database-proxy'],
      });
      const api = service(project, 'api', { type });
      api.addTrait(Traits.databaseProxy({ database: 'orders', image: 'ghcr.io/acme/pgbouncer:1.23.1', cidrs: ['10.20.0.0/24'], port: 5432, args: ['--verbose'] }));
      const objects = new OpenChoreoExport(org, 'openchoreo').objects();
      for (const o of objects) expect([o.kind, o.metadata.name, validateManifest(o)]).toEqual([o.kind, o.metadata.name, []]);
      const ct = named(objects, 'ComponentType', 'batch-api');
      expect(ct.metadata).toEqual({ name: 'batch-api', namespace: 'acme', annotations: { 'openchoreo.dev/description': 'APIs for batch clients' } });
      const base = named(objects, 'ClusterComponentType', 'zero-trust-service');
      expect(ct.spec.workloadType).toBe('deployment');
      expect(ct.spec.resources).toEqual(base.spec.resources);
      expect(ct.spec.parameters.openAPIV3Schema.properties.scratchPaths.default).toEqual(['/tmp', '/cache']);
      expect(ct.spec.environmentConfigs.openAPIV3Schema.properties.replicas.default).toBe(2);
      expect(ct.spec.environmentConfigs.openAPIV3Schema.properties.resources.default).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } });
      expect(ct.spec.allowedTraits.map((t: any) => t.name)).toEqual(['database-proxy', 'disruption-budget', 'external-egress', 'horizontal-pod-autoscaler', 'metrics']);
      expect(ct.spec.traits).toEqual([{ kind: 'ClusterTrait', name: 'pod-annotations', instanceName: 'no-disrupt', parameters: { annotations: { 'karpenter.sh/do-not-disrupt': 'true' } } }]);
      const component = named(objects, 'Component', 'api');
      expect(component.spec.componentType).toEqual({ kind: 'ComponentType', name: 'deployment/batch-api' });
      expect(component.spec.traits).toEqual([{
        kind: 'ClusterTrait',
        name: 'database-proxy',
        instanceName: 'database-proxy',
        parameters: { database: 'orders', image: 'ghcr.io/acme/pgbouncer:1.23.1', cidrs: ['10.20.0.0/24'], port: 5432, args: ['--verbose'] },
      }]);
      expect(byKind(objects, 'ClusterTrait').map(t => t.metadata.name).sort()).toEqual(['database-proxy', 'disruption-budget', 'external-egress', 'horizontal-pod-autoscaler', 'metrics', 'pod-annotations']);
      // each release freezes the namespaced type and every trait it uses, the embedded one included
      for (const r of byKind(objects, 'ComponentRelease')) {
        expect(r.spec.componentType).toEqual({ kind: 'ComponentType', name: 'deployment/batch-api', spec: ct.spec });
        expect(r.spec.traits.map((t: any) => t.name)).toEqual(['database-proxy', 'pod-annotations']);
      }
    });
  });

  test('components without a model type keep the zero-trust ClusterComponentType; no built-in trait, no namespaced type, no resource type is written', () => {
    withApp(app => {
      const { org, project } = baseline(app);
      service(project, 'api');
      const objects = new OpenChoreoExport(org, 'openchoreo').objects();
      expect(named(objects, 'Component', 'api').spec.componentType).toEqual({ kind: 'ClusterComponentType', name: 'deployment/zero-trust-service' });
      expect(byKind(objects, 'ComponentType')).toEqual([]);
      expect(byKind(objects, 'ClusterResourceType')).toEqual([]);
      expect(byKind(objects, 'ClusterTrait').map(t => t.metadata.name)).not.toContain('pod-annotations');
    });
  });

  test('a PostgreSQL resource maps to a Resource; its consumer binds the outputs to the variables dependOnResource injects', () => {
    withApp(app => {
      const { org, project } = baseline(app);
      const db = new Resource(project, 'orders-db', { type: ResourceType.postgres({ database: 'orders', instances: 2, version: '16', pooler: { instances: 2 } }) });
      const api = service(project, 'api');
      api.dependOnResource(db, { envPrefix: 'DB' });
      const x = new OpenChoreoExport(org, 'openchoreo');
      const objects = x.objects();
      for (const o of objects) expect([o.kind, o.metadata.name, validateManifest(o)]).toEqual([o.kind, o.metadata.name, []]);
      expect(named(objects, 'Resource', 'orders-db').spec).toEqual({
        owner: { projectName: 'shop' }, type: { kind: 'ClusterResourceType', name: 'cloudnative-pg-postgres' }, parameters: { database: 'orders', instances: 2, version: '16' },
      });
      expect(named(objects, 'Workload', 'api').spec.dependencies).toEqual({
        resources: [{ ref: 'orders-db', envBindings: { database: 'DB_DATABASE', host: 'DB_HOST', password: 'DB_PASSWORD', port: 'DB_PORT', username: 'DB_USER' } }],
      });
      const type = named(objects, 'ClusterResourceType', 'cloudnative-pg-postgres');
      expect(type.spec.outputs.map((o: any) => o.name).sort()).toEqual(['database', 'host', 'password', 'port', 'username']);
      // credentials are secret references, never values
      expect(type.spec.outputs.filter((o: any) => o.value === undefined).map((o: any) => o.name).sort()).toEqual(['password', 'username']);
      expect(x.notExpressible().filter(i => i.path === 'acme/shop/orders-db').map(i => i.feature)).toEqual(['pooler']);
    });
  });

  test('what is code or has no place is listed per construct: custom traits, patches, suppressions, type rules, external resources', () => {
    withApp(app => {
      const { org, project, prod } = baseline(app);
      const type = new ComponentType(org, 'strict', { kind: ComponentKind.SERVICE, constraints: { maxReplicas: 4 }, traits: [new TeamLabel()] });
      type.constrainEnvironment(prod, { minReplicas: 2 });
      const api = service(project, 'api', { type, replicas: 2 });
      api.addPatch('Deployment', JsonPatch.add('/spec/revisionHistoryLimit', 3));
      const cache = new Resource(project, 'cache', {
        type: ResourceType.external({ host: 'cache.example', port: 6379, passwordSecret: SecretRef.fromStore('shop/cache', { property: 'password' }) }),
      });
      api.dependOnResource(cache);
      org.addPatch({ kind: 'Service' }, JsonPatch.add('/metadata/labels/tier', 'api'));
      const x = new OpenChoreoExport(org, 'openchoreo');
      const keys = x.notExpressible().map(i => `${i.path} | ${i.feature}`);
      expect(keys).toEqual(expect.arrayContaining([
        'acme/strict | constraints.maxReplicas',
        'acme/strict | constraints for production: minReplicas',
        'acme/strict | trait team-label',
        'acme/shop/api | patch add /spec/revisionHistoryLimit of Deployment',
        'acme/shop/cache | resource of type external',
        'acme | patch add /metadata/labels/tier of the objects selected by {"kind":"Service"}',
      ]));
      const objects = x.objects();
      expect(named(objects, 'Workload', 'api').spec.dependencies).toBeUndefined();
      expect(byKind(objects, 'Resource')).toEqual([]);
      expect(named(objects, 'ComponentType', 'strict').spec.traits).toBeUndefined();
    });
  });
});

describe('ExportFormat.OPENCHOREO', () => {
  const exported = (files: Record<string, string>) => Object.fromEntries(Object.entries(files).filter(([f]) => f.startsWith('acme/exports/openchoreo/')));

  test('is the same as declaring new OpenChoreoExport(org, \'openchoreo\'): same files, same construct path; OpenChoreoExport.of returns it', () => {
    const viaFormat = withApp(app => {
      const { org, project } = baseline(app, { exports: [ExportFormat.OPENCHOREO] });
      service(project, 'api');
      const x = OpenChoreoExport.of(org)!;
      expect(x.node.path).toBe('acme/openchoreo');
      expect(OpenChoreoExport.of(org)).toBe(x);
      return exported(app.synthFiles());
    });
    const viaConstruct = withApp(app => {
      const { org, project } = baseline(app);
      service(project, 'api');
      const x = new OpenChoreoExport(org, 'openchoreo');
      expect(OpenChoreoExport.of(org)).toBe(x);
      return exported(app.synthFiles());
    });
    expect(Object.keys(viaFormat).length).toBeGreaterThan(20);
    expect(viaFormat).toEqual(viaConstruct);
    expect(viaFormat['acme/exports/openchoreo/NOT-EXPRESSIBLE.md']).toContain('# What the OpenChoreo export of acme cannot express');
  });

  test('without the format or a construct there is no export', () => {
    withApp((app, outdir) => {
      const { org, project } = baseline(app);
      service(project, 'api');
      expect(OpenChoreoExport.of(org)).toBeUndefined();
      app.synth();
      expect(listFiles(outdir).filter(f => f.includes('exports/openchoreo'))).toEqual([]);
    });
  });

  test('declaring both the format and the construct is refused with path, value and fix', () => {
    expectProblem(app => {
      const { org } = baseline(app, { exports: [ExportFormat.BACKSTAGE, ExportFormat.OPENCHOREO] });
      new OpenChoreoExport(org, 'openchoreo');
    }, {
      path: 'acme/openchoreo',
      at: 'construction',
      value: "organization 'acme' lists ExportFormat.OPENCHOREO in its exports and also declares an OpenChoreoExport",
      fix: /keep one: remove new OpenChoreoExport\(\.\.\.\) \(OpenChoreoExport\.of\(org\) returns the export of the format\), or remove ExportFormat\.OPENCHOREO from exports/,
    });
  });
});
