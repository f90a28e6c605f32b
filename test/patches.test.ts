import { JsonPatch } from 'cdk8s';
import { Service, Worker } from '../src';
import { baseline, IMAGE } from './support/fixtures';
import { expectProblem } from './support/problems';
import { one, synth, testApp } from './support/synth';
import { generateName } from '../src/resolve/naming';
import { synthesizeOrganization } from '../src/synth';

const deployment = (name: string, env: string) => generateName(253, name, env);

describe('patches', () => {
  test('component patches apply in every environment, or in one; organization patches by selector; both listed in the README', () => {
    const b = baseline(testApp());
    const api = new Service(b.project, 'api', { image: IMAGE });
    api.addEndpoint('http', { port: 8080 });
    new Worker(b.project, 'jobs', { image: IMAGE });
    api.addPatch('Deployment', JsonPatch.replace('/spec/revisionHistoryLimit', 3));
    api.addPatch('Service', JsonPatch.add('/spec/sessionAffinity', 'ClientIP'), { environment: b.prod, name: 'api' });
    b.org.addPatch({ kind: 'Deployment', environment: 'production' }, JsonPatch.add('/spec/template/spec/enableServiceLinks', false));
    const objects = synth(b.org);
    expect(one(objects, 'Deployment', deployment('api', 'development')).spec.revisionHistoryLimit).toBe(3);
    expect(one(objects, 'Deployment', deployment('jobs', 'development')).spec.revisionHistoryLimit).toBe(5);
    const prodService = one(objects, 'Service', o => o.metadata.name === 'api' && o.metadata.namespace.includes('-production-'));
    expect(prodService.spec.sessionAffinity).toBe('ClientIP');
    expect(one(objects, 'Service', o => o.metadata.name === 'api' && o.metadata.namespace.includes('-staging-')).spec.sessionAffinity).toBeUndefined();
    expect(one(objects, 'Deployment', deployment('jobs', 'production')).spec.template.spec.enableServiceLinks).toBe(false);
    expect(one(objects, 'Deployment', deployment('jobs', 'staging')).spec.template.spec.enableServiceLinks).toBeUndefined();
    const docs = synthesizeOrganization(b.org).documents;
    const prod = docs.find(d => d.file === 'eu/production/README.md')!.content;
    expect(prod).toContain(`| shop | api | Deployment \`${deployment('api', 'production')}\` | patch replace /spec/revisionHistoryLimit of acme/shop/api; organization patch add /spec/template/spec/enableServiceLinks (kind Deployment, environment production) |`);
    expect(prod).toContain('| shop | api | Service `api` | patch add /spec/sessionAffinity of acme/shop/api |');
    expect(prod).toContain(`| shop | jobs | Deployment \`${deployment('jobs', 'production')}\` | organization patch add /spec/template/spec/enableServiceLinks (kind Deployment, environment production) |`);
    const dev = docs.find(d => d.file === 'eu/development/README.md')!.content;
    expect(dev).not.toContain('sessionAffinity');
    expect(dev).not.toContain('organization patch');
  });

  test('an untouched platform has no customized-objects section', () => {
    const b = baseline(testApp());
    new Service(b.project, 'api', { image: IMAGE });
    synth(b.org);
    expect(synthesizeOrganization(b.org).documents.find(d => d.file === 'eu/production/README.md')!.content).not.toContain('Customized objects');
  });

  test('the object limits are checked after patches', () => {
    expectProblem(app => {
      const b = baseline(app);
      new Service(b.project, 'api', { image: IMAGE }).addPatch('Deployment', JsonPatch.add('/metadata/labels/acme.example~1team', 'x'.repeat(70)));
    }, { path: 'acme/shop/api', value: `label acme.example/team='${'x'.repeat(70)}' on Deployment`, fix: /shorten the value/, at: 'synth' });
  });

  test('determinism: organization patches of different objects declared in another order', () => {
    const files = (reverse: boolean) => {
      const app = testApp();
      const b = baseline(app);
      new Service(b.project, 'api', { image: IMAGE });
      new Worker(b.project, 'jobs', { image: IMAGE });
      const patches: Array<[any, JsonPatch]> = [
        [{ kind: 'Deployment', component: 'api' }, JsonPatch.add('/spec/revisionHistoryLimit', 4)],
        [{ kind: 'Deployment', component: 'jobs' }, JsonPatch.add('/spec/revisionHistoryLimit', 6)],
        [{ kind: 'ServiceAccount', project: 'shop' }, JsonPatch.add('/metadata/annotations', { 'example.com/a': 'b' })],
      ];
      for (const [s, p] of reverse ? patches.reverse() : patches) b.org.addPatch(s, p);
      return app.synthFiles();
    };
    expect(files(true)).toEqual(files(false));
  });
});

describe('patches: bad input', () => {
  test('a component patch that targets nothing', () => {
    expectProblem(app => new Service(baseline(app).project, 'api', { image: IMAGE }).addPatch('HorizontalPodAutoscaler', JsonPatch.add('/spec/minReplicas', 2)), {
      path: 'acme/shop/api', value: "patch add /spec/minReplicas targets HorizontalPodAutoscaler, which the component does not have in 'development'", fix: /or pass \{ environment \}/, at: 'synth',
    });
  });

  test('a component patch naming an object the component does not have', () => {
    expectProblem(app => new Service(baseline(app).project, 'api', { image: IMAGE }).addPatch('Deployment', JsonPatch.add('/spec/paused', true), { name: 'web' }), {
      path: 'acme/shop/api', value: "patch add /spec/paused targets Deployment 'web'", fix: /patch one of its objects/, at: 'synth',
    });
  });

  test('an organization patch that matches nothing', () => {
    expectProblem(app => {
      const b = baseline(app);
      new Service(b.project, 'api', { image: IMAGE });
      b.org.addPatch({ kind: 'deployment', project: 'shop' }, JsonPatch.add('/spec/paused', true));
    }, { path: 'acme', value: 'organization patch add /spec/paused (kind deployment, project shop) matches no rendered object', fix: /kinds are case-sensitive/, at: 'synth' });
  });

  test('a patch that cannot be applied, a patch that changes nothing', () => {
    expectProblem(app => new Service(baseline(app).project, 'api', { image: IMAGE }).addPatch('Deployment', JsonPatch.add('/spec/missing/field', 1)), {
      path: 'acme/shop/api', value: 'patch add /spec/missing/field of acme/shop/api cannot be applied to Deployment', fix: /check the JSON pointer paths/, at: 'synth',
    });
    expectProblem(app => new Service(baseline(app).project, 'api', { image: IMAGE }).addPatch('Deployment', JsonPatch.remove('/spec/nonexistent')), {
      path: 'acme/shop/api', value: 'patch remove /spec/nonexistent of acme/shop/api changes nothing in Deployment', fix: /remove the patch, or fix its path/, at: 'synth',
    });
  });

  test('a patch of a network policy or a namespace', () => {
    expectProblem(app => {
      const b = baseline(app);
      new Service(b.project, 'api', { image: IMAGE });
      b.org.addPatch({ kind: 'CiliumNetworkPolicy', component: 'api', environment: 'production' }, JsonPatch.add('/spec/ingress/-', { fromEntities: ['world'] }));
    }, { path: 'acme', value: 'organization patch add /spec/ingress/- (kind CiliumNetworkPolicy, component api, environment production) patches CiliumNetworkPolicy', fix: /connectivity report both show it/, at: 'synth' });
    expectProblem(app => {
      const b = baseline(app);
      new Service(b.project, 'api', { image: IMAGE });
      b.org.addPatch({ kind: 'Namespace' }, JsonPatch.add('/metadata/labels/team', 'x'));
    }, { path: 'acme', value: 'patches Namespace', fix: /network plan|connectivity report/, at: 'synth' });
  });

  test('a patch changing an openchoreo.dev label, the selector or the name', () => {
    const patch = (p: JsonPatch, kind = 'Deployment') => (app: any) => new Service(baseline(app).project, 'api', { image: IMAGE }).addPatch(kind, p);
    expectProblem(patch(JsonPatch.replace('/metadata/labels/openchoreo.dev~1environment', 'production')), {
      path: 'acme/shop/api', value: 'changes the openchoreo.dev labels of Deployment', fix: /leave the openchoreo.dev labels as rendered/, at: 'synth',
    });
    expectProblem(patch(JsonPatch.add('/spec/selector/matchLabels/extra', 'x')), {
      path: 'acme/shop/api', value: 'changes spec.selector of Deployment', fix: /leave spec.selector/, at: 'synth',
    });
    expectProblem(patch(JsonPatch.replace('/metadata/name', 'renamed'), 'ServiceAccount'), {
      path: 'acme/shop/api', value: "changes metadata.name of ServiceAccount 'dp-acme-shop", fix: /leave metadata.name/, at: 'synth',
    });
  });

  test('declaration errors: not a JsonPatch, no kind, an environment of another organization', () => {
    expectProblem(app => new Service(baseline(app).project, 'api', { image: IMAGE }).addPatch('Deployment', { op: 'add' } as any), {
      path: 'acme/shop/api', value: 'patch for Deployment is not a JsonPatch ({"op":"add"})', fix: /JsonPatch.add/, at: 'construction',
    });
    expectProblem(app => baseline(app).org.addPatch({ kind: '' }, JsonPatch.add('/a', 1)), {
      path: 'acme', value: 'patch selector {"kind":""} names no kind', fix: /give the kind of object to patch/, at: 'construction',
    });
    expectProblem(app => {
      const other = baseline(testApp());
      new Service(baseline(app).project, 'api', { image: IMAGE }).addPatch('Deployment', JsonPatch.add('/spec/paused', true), { environment: other.prod });
    }, { path: 'acme/shop/api', value: "patch for Deployment targets environment 'acme/production', which is not an environment of organization 'acme'", fix: /same organization/, at: 'construction' });
  });
});
