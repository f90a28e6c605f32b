import { Duration } from 'cdk8s';
import {
  ComponentKind, ComponentType, ComponentTypeProps, DisruptionBudget, LogFormat, Organization, PlatformApp, Probe, ProbeKind, ScheduledTask,
  Service, Traits, Visibility, Worker,
} from '../src';
import { baseline, Baseline, IMAGE } from './support/fixtures';
import { expectProblem } from './support/problems';
import { one, synth, testApp } from './support/synth';
import { generateName } from '../src/resolve/naming';

const deployment = (name: string, env: string) => generateName(253, name, env);
const httpApiProps: ComponentTypeProps = {
  kind: ComponentKind.SERVICE,
  description: 'An HTTP API',
  defaults: {
    resources: { cpuRequest: '200m', cpuLimit: '500m', memoryRequest: '256Mi', memoryLimit: '512Mi' },
    replicas: 2,
    logFormat: LogFormat.JSON,
    labels: { 'acme.example/tier': 'api' },
    env: { LOG_LEVEL: 'info' },
    terminationGracePeriod: Duration.seconds(45),
  },
};

/** A baseline with an http-api type; `build` declares the rest. */
function withType(props: Partial<ComponentTypeProps> = {}, orgProps = {}) {
  return (app: PlatformApp, build: (b: Baseline, type: ComponentType) => void) => {
    const b = baseline(app, orgProps);
    const type = new ComponentType(b.org, 'http-api', { ...httpApiProps, ...props });
    build(b, type);
  };
}

describe('ComponentType defaults', () => {
  test('layering: type default < component prop < environment override (maps merge key by key)', () => {
    const b = baseline(testApp());
    const type = new ComponentType(b.org, 'http-api', httpApiProps);
    const api = new Service(b.project, 'api', {
      type, image: IMAGE, resources: { cpuRequest: '300m' }, env: { FEATURE: 'on' }, labels: { 'acme.example/team': 'shop' },
    });
    api.configureEnvironment(b.prod, { replicas: 4, resources: { memoryLimit: '1Gi' } });
    const objects = synth(b.org);
    const dev = one(objects, 'Deployment', deployment('api', 'development'));
    const prod = one(objects, 'Deployment', deployment('api', 'production'));
    // replicas: the type's 2 beats the environments' defaults (1 and 3), the override's 4 wins in production
    expect(dev.spec.replicas).toBe(2);
    expect(prod.spec.replicas).toBe(4);
    const devMain = dev.spec.template.spec.containers[0];
    // resources: the component's cpuRequest over the type's; the rest from the type
    expect(devMain.resources).toEqual({ requests: { cpu: '300m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } });
    expect(prod.spec.template.spec.containers[0].resources.limits.memory).toBe('1Gi');
    // labels merge; logFormat, grace period from the type
    expect(dev.spec.template.metadata.labels).toEqual(expect.objectContaining({ 'acme.example/tier': 'api', 'acme.example/team': 'shop' }));
    expect(dev.spec.template.metadata.annotations?.['fluentbit.io/parser']).toBe('json');
    expect(dev.spec.template.spec.terminationGracePeriodSeconds).toBe(45);
    // env merges: the type's LOG_LEVEL and the component's FEATURE
    const config = objects.find(o => o.kind === 'ConfigMap' && o.metadata.name.startsWith('api-development-env-configs'));
    expect(config.data).toEqual({ FEATURE: 'on', LOG_LEVEL: 'info' });
    expect(api.componentType).toBe(type);
    expect(b.org.componentTypes.map(t => t.name)).toEqual(['http-api']);
  });

  test('a component prop replaces a non-map default; an untyped component is unaffected', () => {
    const b = baseline(testApp());
    const type = new ComponentType(b.org, 'http-api', httpApiProps);
    new Service(b.project, 'api', { type, image: IMAGE, replicas: 1, logFormat: LogFormat.TEXT });
    new Service(b.project, 'plain', { image: IMAGE });
    const objects = synth(b.org);
    const api = one(objects, 'Deployment', deployment('api', 'staging'));
    expect(api.spec.replicas).toBe(1);
    expect(api.spec.template.metadata.annotations?.['fluentbit.io/parser']).toBeUndefined();
    const plain = one(objects, 'Deployment', deployment('plain', 'staging'));
    expect(plain.spec.replicas).toBe(2);
    expect(plain.spec.template.spec.containers[0].resources.requests.cpu).toBe('100m');
  });

  test('constraints pass when the component is inside them, production rules apply only in production', () => {
    const b = baseline(testApp());
    const type = new ComponentType(b.org, 'http-api', {
      ...httpApiProps,
      constraints: { minReplicas: 1, maxReplicas: 5, maxCpuLimit: '1', allowedVisibilities: [Visibility.ORGANIZATION], requiredProbes: [ProbeKind.READINESS] },
      productionConstraints: { minReplicas: 3, requireDisruptionBudget: true },
    });
    const api = new Service(b.project, 'api', { type, image: IMAGE, probes: { readiness: Probe.http({ endpoint: 'http', path: '/ready' }) } });
    api.addEndpoint('http', { port: 8080, visibility: [Visibility.ORGANIZATION] });
    api.configureEnvironment(b.prod, { replicas: 3, disruptionBudget: DisruptionBudget.maxUnavailable(1) });
    const objects = synth(b.org);
    expect(one(objects, 'Deployment', deployment('api', 'production')).spec.replicas).toBe(3);
    expect(objects.filter(o => o.kind === 'PodDisruptionBudget')).toHaveLength(1);
  });

  test('the organization may require a type; typed components then synthesize', () => {
    const b = baseline(testApp(), { requireComponentType: true });
    const worker = new ComponentType(b.org, 'worker', { kind: ComponentKind.WORKER });
    new Worker(b.project, 'jobs', { type: worker, image: IMAGE });
    expect(synth(b.org).filter(o => o.kind === 'Deployment')).toHaveLength(3);
    expect(b.org.requireComponentType).toBe(true);
  });
});

describe('ComponentType bad input', () => {
  test('a component of another kind than the type', () => {
    expectProblem(app => withType()(app, ({ project }, type) => new Worker(project, 'jobs', { type, image: IMAGE })), {
      path: 'acme/shop/jobs', value: "is a deployment/worker but component type 'http-api' builds on deployment/service", fix: /use a type for deployment\/worker/, at: 'construction',
    });
  });

  test('a component without a type when the organization requires one', () => {
    expectProblem(app => withType({}, { requireComponentType: true })(app, ({ project }) => new Service(project, 'api', { image: IMAGE })), {
      path: 'acme/shop/api', value: "component 'api' has no type", fix: /set type: .*\(http-api\)/, at: 'construction',
    });
  });

  test('a type of another organization', () => {
    expectProblem(app => {
      const other = new ComponentType(new Organization(app, 'other'), 'http-api', httpApiProps);
      new Service(baseline(app).project, 'api', { type: other, image: IMAGE });
    }, { path: 'acme/shop/api', value: "type 'other/http-api' belongs to another organization", fix: /declare the component type in organization 'acme'/ });
  });

  test('replicas below the type minimum (production rules)', () => {
    expectProblem(app => withType({ productionConstraints: { minReplicas: 4 } })(app, ({ project }, type) => new Service(project, 'api', { type, image: IMAGE })), {
      path: 'acme/shop/api', value: "replicas 2 is below 4 in 'production', outside component type 'http-api' (rule minReplicas)", fix: /set replicas to at least 4 .*configureEnvironment\(production/, at: 'synth',
    });
  });

  test('an autoscaler maximum above the type maximum', () => {
    expectProblem(app => withType({ constraints: { maxReplicas: 5 } })(app, ({ project }, type) => new Service(project, 'api', { type, image: IMAGE, autoscaling: { maxReplicas: 10 } })), {
      path: 'acme/shop/api', value: "autoscaling.maxReplicas 10 is above 5 in 'development'", fix: /set autoscaling.maxReplicas to at most 5/, at: 'synth',
    });
  });

  test('an environment-specific rule (constrainEnvironment)', () => {
    expectProblem(app => withType()(app, ({ project, staging }, type) => {
      type.constrainEnvironment(staging, { minReplicas: 3 });
      new Service(project, 'api', { type, image: IMAGE });
    }), { path: 'acme/shop/api', value: "replicas 2 is below 3 in 'staging'", fix: /at least 3/, at: 'synth' });
  });

  test('a CPU limit above the type bound', () => {
    expectProblem(app => withType({ constraints: { maxCpuLimit: '1' } })(app, ({ project }, type) => new Service(project, 'api', { type, image: IMAGE, resources: { cpuRequest: '2', cpuLimit: '2' } })), {
      path: 'acme/shop/api', value: 'resources cpuLimit 2 is above 1', fix: /set resources.cpuLimit to at most 1/, at: 'synth',
    });
  });

  test('a memory request below the type bound, in an environment override', () => {
    expectProblem(app => withType({ constraints: { minMemoryRequest: '256Mi' } })(app, ({ project, prod }, type) => {
      new Service(project, 'api', { type, image: IMAGE }).configureEnvironment(prod, { resources: { memoryRequest: '64Mi' } });
    }), { path: 'acme/shop/api', value: "resources memoryRequest 64Mi is below 256Mi in 'production'", fix: /set resources.memoryRequest to at least 256Mi/, at: 'synth' });
  });

  test('a CPU request below and a memory limit above the type bounds', () => {
    expectProblem(app => withType({ constraints: { minCpuRequest: '250m', maxMemoryLimit: '1Gi' } })(app, ({ project }, type) => {
      new Service(project, 'api', { type, image: IMAGE });
    }), { path: 'acme/shop/api', value: 'resources cpuRequest 200m is below 250m', fix: /at least 250m/, at: 'synth' });
    expectProblem(app => withType({ constraints: { maxMemoryLimit: '1Gi' } })(app, ({ project }, type) => {
      new Service(project, 'api', { type, image: IMAGE, resources: { memoryRequest: '2Gi', memoryLimit: '2Gi' } });
    }), { path: 'acme/shop/api', value: 'resources memoryLimit 2Gi is above 1Gi', fix: /at most 1Gi/, at: 'synth' });
  });

  test('a visibility the type does not allow', () => {
    const allowedVisibilities = [Visibility.ORGANIZATION, Visibility.INTERNAL];
    expectProblem(app => withType({ constraints: { allowedVisibilities } })(app, ({ project }, type) => {
      new Service(project, 'api', { type, image: IMAGE }).addEndpoint('http', { port: 8080, visibility: [Visibility.PUBLIC] });
    }), { path: 'acme/shop/api', value: "endpoint 'http' has visibility Visibility.PUBLIC", fix: /remove Visibility.PUBLIC .*allowed: Visibility.PROJECT, Visibility.ORGANIZATION, Visibility.INTERNAL/, at: 'synth' });
  });

  test('a required probe is missing', () => {
    expectProblem(app => withType({ productionConstraints: { requiredProbes: [ProbeKind.LIVENESS] } })(app, ({ project }, type) => new Service(project, 'api', { type, image: IMAGE })), {
      path: 'acme/shop/api', value: "the main container has no liveness probe in 'production'", fix: /add probes: \{ liveness: Probe/, at: 'synth',
    });
  });

  test('a required owner label is missing', () => {
    expectProblem(app => withType({ constraints: { requiredLabels: ['acme.example/team'] } })(app, ({ project }, type) => new Service(project, 'api', { type, image: IMAGE })), {
      path: 'acme/shop/api', value: "label 'acme.example/team' is missing", fix: /set labels: \{ 'acme.example\/team': '<value>' \}/, at: 'synth',
    });
  });

  test('a required disruption budget is missing', () => {
    expectProblem(app => withType({ productionConstraints: { requireDisruptionBudget: true } })(app, ({ project }, type) => new Service(project, 'api', { type, image: IMAGE })), {
      path: 'acme/shop/api', value: 'the component has no disruption budget', fix: /DisruptionBudget.maxUnavailable\(1\)/, at: 'synth',
    });
  });

  test('a trait the type does not allow', () => {
    expectProblem(app => withType({ allowedTraits: ['database-proxy'] })(app, ({ project }, type) => {
      new Service(project, 'api', { type, image: IMAGE }).addTrait(Traits.podAnnotations({ 'karpenter.sh/do-not-disrupt': 'true' }));
    }), { path: 'acme/shop/api', value: "trait 'pod-annotations' is not allowed by component type 'http-api' (rule allowedTraits: database-proxy)", fix: /ask the platform team to add 'pod-annotations'/, at: 'construction' });
  });

  test('a trait the type already attaches', () => {
    const annotations = Traits.podAnnotations({ 'karpenter.sh/do-not-disrupt': 'true' });
    expectProblem(app => withType({ traits: [annotations] })(app, ({ project }, type) => {
      new Service(project, 'api', { type, image: IMAGE }).addTrait(Traits.podAnnotations({ 'example.com/x': 'y' }));
    }), { path: 'acme/shop/api', value: "trait 'pod-annotations' is already attached by component type 'http-api'", fix: /attach each trait once/, at: 'construction' });
  });

  test('defaults a kind cannot take', () => {
    expectProblem(app => new ComponentType(baseline(app).org, 'batch', { kind: ComponentKind.SCHEDULED_TASK, defaults: { replicas: 2 } }), {
      path: 'acme/batch', value: "defaults set 'replicas' for kind cronjob/scheduled-task", fix: /remove 'replicas'/, at: 'construction',
    });
  });

  test('invalid default resources', () => {
    expectProblem(app => new ComponentType(baseline(app).org, 'api', { kind: ComponentKind.SERVICE, defaults: { resources: { cpuRequest: 'lots' } } }), {
      path: 'acme/api', value: 'lots', fix: /./, at: 'construction',
    });
  });

  test('constraints whose minimum exceeds their maximum', () => {
    expectProblem(app => new ComponentType(baseline(app).org, 'api', { kind: ComponentKind.SERVICE, constraints: { minReplicas: 5, maxReplicas: 2 } }), {
      path: 'acme/api', value: 'constraints minReplicas 5 is greater than maxReplicas 2', fix: /set maxReplicas to at least minReplicas/, at: 'construction',
    });
    expectProblem(app => new ComponentType(baseline(app).org, 'api', { kind: ComponentKind.SERVICE, productionConstraints: { minCpuRequest: '2', maxCpuLimit: '1' } }), {
      path: 'acme/api', value: 'productionConstraints minCpuRequest 2 exceeds maxCpuLimit 1', fix: /raise maxCpuLimit/, at: 'construction',
    });
  });

  test('rules a kind cannot take', () => {
    expectProblem(app => new ComponentType(baseline(app).org, 'batch', { kind: ComponentKind.SCHEDULED_TASK, constraints: { minReplicas: 2 } }), {
      path: 'acme/batch', value: "constraints set 'minReplicas' for kind cronjob/scheduled-task", fix: /remove 'minReplicas'/, at: 'construction',
    });
    expectProblem(app => new ComponentType(baseline(app).org, 'worker', { kind: ComponentKind.WORKER, constraints: { allowedVisibilities: [Visibility.PUBLIC] } }), {
      path: 'acme/worker', value: "constraints set 'allowedVisibilities' for kind deployment/worker, which serves no endpoints", fix: /remove 'allowedVisibilities'/, at: 'construction',
    });
  });

  test('an unknown required probe, a duplicate type name', () => {
    expectProblem(app => new ComponentType(baseline(app).org, 'api', { kind: ComponentKind.SERVICE, constraints: { requiredProbes: ['ready' as ProbeKind] } }), {
      path: 'acme/api', value: "constraints requiredProbes 'ready' is not a value of ProbeKind", fix: /ProbeKind.READINESS/, at: 'construction',
    });
    expectProblem(app => {
      const { org } = baseline(app);
      new ComponentType(org, 'api', { kind: ComponentKind.SERVICE });
      new ComponentType(org, 'api2', { name: 'api', kind: ComponentKind.WORKER });
    }, { path: 'acme/api2', value: "ComponentType name 'api' is already used by acme/api", fix: /give one of them a different name/, at: 'construction' });
  });

  test('constraints for an environment of another organization', () => {
    expectProblem(app => withType()(app, (_b, type) => {
      const other = baseline(testApp());
      type.constrainEnvironment(other.prod, { minReplicas: 2 });
    }), { path: 'acme/http-api', value: "constraints target environment 'acme/production'", fix: /pass an Environment declared in the same organization/, at: 'construction' });
  });

  test('scheduled tasks may have a type of their own', () => {
    const b = baseline(testApp());
    const batch = new ComponentType(b.org, 'batch', { kind: ComponentKind.SCHEDULED_TASK, defaults: { resources: { memoryRequest: '128Mi' } }, constraints: { maxMemoryLimit: '512Mi' } });
    new ScheduledTask(b.project, 'nightly', { type: batch, image: IMAGE, schedule: '@daily' });
    const cron = synth(b.org).find(o => o.kind === 'CronJob');
    expect(cron.spec.jobTemplate.spec.template.spec.containers[0].resources.requests.memory).toBe('128Mi');
  });
});
