import { Duration } from 'cdk8s';
import {
  CiliumLocalhost, DataPlane, DataPlaneProps, DeploymentPipeline, DisruptionBudget, Environment, EnvironmentProps, NodeLabelOperator,
  Organization, PlatformApp,
  PreStop, Probe, ProbeScheme, Project, Rollout, ScheduledTask, Service, SpreadWhenUnsatisfiable, TaintEffect, TolerationOperator,
  TopologySpread, Visibility, Worker,
} from '../src';
import { IMAGE } from './support/fixtures';
import { expectProblem } from './support/problems';
import { one, synth, testApp } from './support/synth';
import { generateName } from '../src/resolve/naming';

/** acme / eu (external gateway) / development → production (3 replicas) / shop. */
function platform(app: PlatformApp, dp: DataPlaneProps = {}, prodProps: Partial<EnvironmentProps> = {}) {
  const org = new Organization(app, 'acme');
  const eu = new DataPlane(org, 'eu', { externalGateway: { domain: 'apps.acme.example' }, ...dp });
  const dev = new Environment(org, 'development', { dataPlane: eu });
  const prod = new Environment(org, 'production', { dataPlane: eu, isProduction: true, defaultReplicas: 3, ...prodProps });
  const pipeline = new DeploymentPipeline(org, 'standard', { promotionPaths: [{ source: dev, targets: [prod] }] });
  const shop = new Project(org, 'shop', { pipeline });
  return { org, eu, dev, prod, shop };
}
const deployment = (objects: any[], component: string, env: string) => one(objects, 'Deployment', generateName(253, component, env));
const API = 'acme/shop/api';

describe('probes', () => {
  test('http, grpc, tcp and exec probes render with defaulted timings, ports resolved from endpoints', () => {
    const { shop } = platform(testApp());
    const api = new Service(shop, 'api', {
      image: IMAGE,
      probes: {
        startup: Probe.tcp({ endpoint: 'grpc', failureThreshold: 30 }),
        readiness: Probe.http({ endpoint: 'http', path: '/ready', headers: { 'X-Probe': 'kubelet' } }),
        liveness: Probe.grpc({ port: 9090, service: 'orders.v1.Orders', period: Duration.seconds(20) }),
      },
    });
    api.addEndpoint('http', { port: 80, targetPort: 8080 });
    api.addEndpoint('grpc', { port: 9090, type: 'gRPC' as any });
    new Worker(shop, 'worker', { image: IMAGE, probes: { liveness: Probe.exec(['/bin/health'], { initialDelay: Duration.seconds(5) }) } });
    const objects = synth(shop.organization);
    const c = deployment(objects, 'api', 'development').spec.template.spec.containers[0];
    expect(c.readinessProbe).toEqual({
      httpGet: { path: '/ready', port: 8080, scheme: 'HTTP', httpHeaders: [{ name: 'X-Probe', value: 'kubelet' }] },
      initialDelaySeconds: 0,
      periodSeconds: 10,
      timeoutSeconds: 1,
      failureThreshold: 3,
      successThreshold: 1,
    });
    expect(c.livenessProbe.grpc).toEqual({ port: 9090, service: 'orders.v1.Orders' });
    expect(c.livenessProbe.periodSeconds).toBe(20);
    expect(c.startupProbe).toMatchObject({ tcpSocket: { port: 9090 }, failureThreshold: 30 });
    const w = deployment(objects, 'worker', 'production').spec.template.spec.containers[0];
    expect(w.livenessProbe).toMatchObject({ exec: { command: ['/bin/health'] }, initialDelaySeconds: 5 });
    expect(w.readinessProbe).toBeUndefined();
  });

  test('an environment override replaces only the probes it names', () => {
    const { shop, prod } = platform(testApp());
    const api = new Service(shop, 'api', { image: IMAGE, probes: { readiness: Probe.http({ endpoint: 'http' }), liveness: Probe.tcp({ endpoint: 'http' }) } });
    api.addEndpoint('http', { port: 8080 });
    api.configureEnvironment(prod, { probes: { readiness: Probe.http({ endpoint: 'http', path: '/ready', scheme: ProbeScheme.HTTPS }) } });
    const objects = synth(shop.organization);
    const dev = deployment(objects, 'api', 'development').spec.template.spec.containers[0];
    const pr = deployment(objects, 'api', 'production').spec.template.spec.containers[0];
    expect(dev.readinessProbe.httpGet).toEqual({ path: '/', port: 8080, scheme: 'HTTP' });
    expect(pr.readinessProbe.httpGet).toEqual({ path: '/ready', port: 8080, scheme: 'HTTPS' });
    expect(pr.livenessProbe.tcpSocket).toEqual({ port: 8080 });
  });

  test('network policies are unchanged by probes on both back-ends by default (the node is exempt)', () => {
    const policies = (withProbes: boolean, networkPolicyProvider?: any) => {
      const { shop } = platform(testApp(), networkPolicyProvider ? { networkPolicyProvider } : {});
      const api = new Service(shop, 'api', { image: IMAGE, ...(withProbes ? { probes: { readiness: Probe.http({ endpoint: 'http' }) } } : {}) });
      api.addEndpoint('http', { port: 8080 });
      return synth(shop.organization).filter(o => /NetworkPolicy$/.test(o.kind));
    };
    expect(policies(true)).toEqual(policies(false));
    expect(policies(true, 'kubernetes')).toEqual(policies(false, 'kubernetes'));
  });
});

describe('the connectivity report lists kubelet probes with what admits them', () => {
  const page = (app: PlatformApp, env = 'production') => app.synthFiles()[`acme/eu/${env}/shop/connectivity.md`];
  const declare = (app: PlatformApp, dp: DataPlaneProps = {}) => {
    const { shop } = platform(app, dp);
    const api = new Service(shop, 'api', { image: IMAGE, probes: { readiness: Probe.http({ endpoint: 'http' }), liveness: Probe.grpc({ port: 9090 }) } });
    api.addEndpoint('http', { port: 80, targetPort: 8080 });
    api.addEndpoint('grpc', { port: 9090 });
    new Worker(shop, 'w', { image: IMAGE, probes: { liveness: Probe.exec(['/bin/health']) } });
  };

  test("Cilium's default: every network probe, none for exec probes, and the warning that the node reaches every port", () => {
    const app = testApp();
    declare(app);
    const text = page(app);
    expect(text).toContain("**Kubelet probes** (from the node; admitted by Cilium's default allow-localhost=always, under which the node reaches every port of its pods): api readiness http :8080, api liveness grpc :9090.");
    expect(text).not.toMatch(/w liveness/);
    expect(app.synthFiles()['acme/eu/production/connectivity.md']).toContain('**Kubelet probes:** 2 probes reach components from their node');
  });

  test('allow-localhost=policy: admitted by the emitted host rule; NetworkPolicy: by its node rule', () => {
    const policy = testApp();
    declare(policy, { ciliumLocalhost: CiliumLocalhost.POLICY });
    expect(page(policy)).toContain('admitted by the emitted host-entity rule on the probe ports, as Cilium runs with allow-localhost=policy): api readiness http :8080, api liveness grpc :9090.');
    const kubernetes = testApp();
    declare(kubernetes, { networkPolicyProvider: 'kubernetes' as any });
    expect(page(kubernetes, 'development')).toContain("admitted by NetworkPolicy, which always admits traffic from the pod's own node): api readiness http :8080");
  });
});

describe('probes under Cilium allow-localhost=policy', () => {
  test('each probed component gets one ingress rule from the host entity on exactly its probe ports; exec probes none', () => {
    const { shop } = platform(testApp(), { ciliumLocalhost: CiliumLocalhost.POLICY });
    const api = new Service(shop, 'api', {
      image: IMAGE,
      probes: { readiness: Probe.http({ endpoint: 'http' }), liveness: Probe.grpc({ port: 9090 }), startup: Probe.tcp({ endpoint: 'http' }) },
    });
    api.addEndpoint('http', { port: 80, targetPort: 8080 });
    api.addEndpoint('grpc', { port: 9090 });
    new Worker(shop, 'w', { image: IMAGE, probes: { liveness: Probe.exec(['/bin/health']) } });
    const objects = synth(shop.organization);
    const policy = (name: string) => one(objects, 'CiliumNetworkPolicy', o => o.metadata.name === name && o.metadata.labels['openchoreo.dev/environment'] === 'production');
    const hostRules = policy('openchoreo-api').spec.ingress.filter((r: any) => r.fromEntities);
    expect(hostRules).toEqual([{ fromEntities: ['host'], toPorts: [{ ports: [{ port: '8080', protocol: 'TCP' }, { port: '9090', protocol: 'TCP' }] }] }]);
    expect(policy('openchoreo-w').spec.ingress.filter((r: any) => r.fromEntities)).toEqual([]);
  });

  test('ciliumLocalhost policy on a NetworkPolicy data plane is refused', () => expectProblem(app => platform(app, { ciliumLocalhost: CiliumLocalhost.POLICY, networkPolicyProvider: 'kubernetes' as any }),
    { path: 'acme/eu', at: 'construction', value: "ciliumLocalhost 'policy'", fix: /NetworkPolicy always admits/ }));
});

describe('rollouts', () => {
  test('defaults: 25% surge; nothing unavailable in production, 25% elsewhere', () => {
    const { shop } = platform(testApp());
    new Service(shop, 'api', { image: IMAGE }).addEndpoint('http', { port: 8080 });
    const objects = synth(shop.organization);
    expect(deployment(objects, 'api', 'production').spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } });
    expect(deployment(objects, 'api', 'development').spec.strategy)
      .toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } });
  });

  test('declared strategy, minReadySeconds and progressDeadlineSeconds; Recreate per environment', () => {
    const { shop, dev } = platform(testApp());
    const api = new Service(shop, 'api', {
      image: IMAGE,
      rollout: Rollout.rolling({ maxSurge: 2, maxUnavailablePercent: 10 }),
      minReady: Duration.seconds(15),
      progressDeadline: Duration.minutes(5),
    });
    api.configureEnvironment(dev, { rollout: Rollout.recreate() });
    const objects = synth(shop.organization);
    const prod = deployment(objects, 'api', 'production').spec;
    expect(prod.strategy.rollingUpdate).toEqual({ maxSurge: 2, maxUnavailable: '10%' });
    expect(prod.minReadySeconds).toBe(15);
    expect(prod.progressDeadlineSeconds).toBe(300);
    expect(deployment(objects, 'api', 'development').spec.strategy).toEqual({ type: 'Recreate' });
  });
});

describe('spreading and placement', () => {
  test('production spreads 2+ replicas over zones and nodes; keys from the data plane; none for one replica', () => {
    const { shop, dev } = platform(testApp(), { topologyKeys: { zone: 'acme.example/zone' } });
    new Service(shop, 'api', { image: IMAGE });
    const one1 = new Worker(shop, 'single', { image: IMAGE });
    one1.configureEnvironment(shop.organization.node.findChild('production') as Environment, { replicas: 1 });
    new Worker(shop, 'scaled', { image: IMAGE }).configureEnvironment(dev, { replicas: 4 });
    const objects = synth(shop.organization);
    const spread = deployment(objects, 'api', 'production').spec.template.spec.topologySpreadConstraints;
    expect(spread.map((s: any) => [s.topologyKey, s.whenUnsatisfiable])).toEqual([['acme.example/zone', 'ScheduleAnyway'], ['kubernetes.io/hostname', 'ScheduleAnyway']]);
    expect(spread[0].labelSelector.matchLabels['openchoreo.dev/component']).toBe('api');
    expect(spread[0].matchLabelKeys).toEqual(['pod-template-hash']);
    expect(deployment(objects, 'single', 'production').spec.template.spec.topologySpreadConstraints).toBeUndefined();
    // development: no spread by default, even with 4 replicas
    expect(deployment(objects, 'scaled', 'development').spec.template.spec.topologySpreadConstraints).toBeUndefined();
  });

  test('an environment may choose node-only hard spreading', () => {
    const { shop } = platform(testApp(), {}, { topologySpread: TopologySpread.nodes({ nodes: SpreadWhenUnsatisfiable.DO_NOT_SCHEDULE }) });
    new Worker(shop, 'w', { image: IMAGE });
    const spread = deployment(synth(shop.organization), 'w', 'production').spec.template.spec.topologySpreadConstraints;
    expect(spread).toHaveLength(1);
    expect(spread[0]).toMatchObject({ topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule', maxSkew: 1 });
  });

  test('placement merges data plane, environment, component and override in that order', () => {
    const { shop, prod } = platform(testApp(), {
      placement: { nodeSelector: { 'kubernetes.io/os': 'linux', 'pool': 'general' }, priorityClassName: 'platform-default' },
    }, {
      placement: {
        nodeSelector: { pool: 'production' },
        tolerations: [{ key: 'dedicated', value: 'production', effect: TaintEffect.NO_SCHEDULE }],
        nodeLabels: [{ key: 'node.kubernetes.io/instance-type', operator: NodeLabelOperator.NOT_IN, values: ['t3.small'] }],
      },
    });
    const api = new Service(shop, 'api', {
      image: IMAGE,
      placement: { nodeLabels: [{ key: 'acme.example/ssd', operator: NodeLabelOperator.EXISTS, preferenceWeight: 50 }] },
    });
    api.configureEnvironment(prod, { placement: { priorityClassName: 'business-critical', tolerations: [{ operator: TolerationOperator.EXISTS, effect: TaintEffect.NO_EXECUTE, tolerationSeconds: 60 }] } });
    const objects = synth(shop.organization);
    const pod = deployment(objects, 'api', 'production').spec.template.spec;
    expect(pod.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux', 'pool': 'production' });
    expect(pod.priorityClassName).toBe('business-critical');
    expect(pod.tolerations).toEqual([
      { key: 'dedicated', operator: 'Equal', value: 'production', effect: 'NoSchedule' },
      { operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 },
    ]);
    expect(pod.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms).toEqual([
      { matchExpressions: [{ key: 'node.kubernetes.io/instance-type', operator: 'NotIn', values: ['t3.small'] }] },
    ]);
    expect(pod.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution).toEqual([
      { weight: 50, preference: { matchExpressions: [{ key: 'acme.example/ssd', operator: 'Exists' }] } },
    ]);
    const devPod = deployment(objects, 'api', 'development').spec.template.spec;
    expect(devPod.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux', 'pool': 'general' });
    expect(devPod.priorityClassName).toBe('platform-default');
    expect(devPod.tolerations).toBeUndefined();
  });
});

describe('graceful shutdown', () => {
  test('gateway-routed components drain for 10s by default; others get no hook; declared hooks win', () => {
    const { shop } = platform(testApp());
    new Service(shop, 'api', { image: IMAGE }).addEndpoint('http', { port: 8080, visibility: [Visibility.PUBLIC] });
    new Service(shop, 'inner', { image: IMAGE }).addEndpoint('http', { port: 8080 });
    new Worker(shop, 'w', { image: IMAGE, preStop: PreStop.exec(['/bin/drain']), terminationGracePeriod: Duration.seconds(90) });
    new Service(shop, 'quick', { image: IMAGE, preStop: PreStop.none() }).addEndpoint('http', { port: 8080, visibility: [Visibility.PUBLIC] });
    const objects = synth(shop.organization);
    const api = deployment(objects, 'api', 'production').spec.template.spec;
    expect(api.containers[0].lifecycle).toEqual({ preStop: { exec: { command: ['sleep', '10'] } } });
    expect(api.terminationGracePeriodSeconds).toBe(30);
    expect(deployment(objects, 'inner', 'production').spec.template.spec.containers[0].lifecycle).toBeUndefined();
    const w = deployment(objects, 'w', 'development').spec.template.spec;
    expect(w.containers[0].lifecycle.preStop.exec.command).toEqual(['/bin/drain']);
    expect(w.terminationGracePeriodSeconds).toBe(90);
    expect(deployment(objects, 'quick', 'production').spec.template.spec.containers[0].lifecycle).toBeUndefined();
  });
});

describe('metadata of the user\'s own', () => {
  test('labels and annotations on the workload and its pods, merged per environment, never in the selector', () => {
    const { shop, prod } = platform(testApp());
    const api = new Service(shop, 'api', { image: IMAGE, labels: { 'acme.example/team': 'payments' }, annotations: { 'acme.example/runbook': 'https://runbooks.acme.example/api' } });
    api.addEndpoint('http', { port: 8080 });
    api.configureEnvironment(prod, { labels: { 'acme.example/tier': 'critical' } });
    new ScheduledTask(shop, 'report', { image: IMAGE, schedule: '0 3 * * *', labels: { 'acme.example/team': 'finance' } });
    const objects = synth(shop.organization);
    const d = deployment(objects, 'api', 'production');
    for (const m of [d.metadata, d.spec.template.metadata]) {
      expect(m.labels).toMatchObject({ 'acme.example/team': 'payments', 'acme.example/tier': 'critical', 'openchoreo.dev/component': 'api' });
      expect(m.annotations['acme.example/runbook']).toBe('https://runbooks.acme.example/api');
    }
    expect(d.spec.selector.matchLabels['acme.example/team']).toBeUndefined();
    expect(deployment(objects, 'api', 'development').metadata.labels['acme.example/tier']).toBeUndefined();
    const cron = one(objects, 'CronJob', o => o.metadata.labels['openchoreo.dev/component'] === 'report' && o.metadata.labels['openchoreo.dev/environment'] === 'production');
    expect(cron.metadata.labels['acme.example/team']).toBe('finance');
    // other objects of the component keep the library's labels only
    expect(one(objects, 'Service', o => o.metadata.name === 'api' && o.metadata.labels['openchoreo.dev/environment'] === 'production').metadata.labels['acme.example/team']).toBeUndefined();
  });
});

describe('bad input', () => {
  const svc = (props: any) => (app: PlatformApp) => {
    const { shop } = platform(app);
    return new Service(shop, 'api', { image: IMAGE, ...props });
  };
  const C = { path: API, at: 'construction' as const };

  test('probe with both endpoint and port', () => expectProblem(svc({ probes: { readiness: Probe.http({ endpoint: 'http', port: 8080 }) } }),
    { ...C, value: "both endpoint 'http' and port 8080", fix: /exactly one/ }));
  test('gRPC probe with a named (non-numeric) port', () => expectProblem(svc({ probes: { liveness: Probe.grpc({ port: 'grpc' as any }) } }),
    { ...C, value: 'port "grpc"', fix: /named ports are not supported/ }));
  test('probe with a host field', () => expectProblem(svc({ probes: { readiness: Probe.http({ port: 8080, host: '169.254.169.254' } as any) } }),
    { ...C, value: "host '169.254.169.254'", fix: /remove host/ }));
  test('probe timeout longer than its period', () => expectProblem(svc({ probes: { readiness: Probe.tcp({ port: 8080, timeout: Duration.seconds(20) }) } }),
    { ...C, value: 'timeout 20s', fix: /at most 10s/ }));
  test('liveness successThreshold other than 1', () => expectProblem(svc({ probes: { liveness: Probe.tcp({ port: 8080, successThreshold: 2 }) } }),
    { ...C, value: 'successThreshold 2', fix: /requires 1 for liveness/ }));
  test('probe period that is not whole seconds', () => expectProblem(svc({ probes: { readiness: Probe.tcp({ port: 8080, period: Duration.millis(1500) }) } }),
    { ...C, value: 'period 1.5s', fix: /whole number of seconds/ }));
  test('exec probe with an empty command', () => expectProblem(svc({ probes: { liveness: Probe.exec([]) } }),
    { ...C, value: 'empty command []', fix: /Probe.exec/ }));
  test('probe port that is not one of the component\'s ports', () => expectProblem(app => svc({ probes: { readiness: Probe.http({ port: 9999 }) } })(app).addEndpoint('http', { port: 8080 }),
    { path: API, at: 'synth', value: 'port 9999', fix: /8080/ }));
  test('probe naming an endpoint the component does not serve', () => expectProblem(app => svc({ probes: { readiness: Probe.http({ endpoint: 'admin' }) } })(app).addEndpoint('http', { port: 8080 }),
    { path: API, at: 'synth', value: "endpoint 'admin'", fix: /'http'/ }));
  test('liveness more eager than readiness', () => expectProblem(app => svc({
    probes: { readiness: Probe.http({ endpoint: 'http', failureThreshold: 6 }), liveness: Probe.http({ endpoint: 'http', failureThreshold: 1 }) },
  })(app).addEndpoint('http', { port: 8080 }), { path: API, at: 'synth', value: 'liveness probe in \'development\' is more eager than readiness', fix: /period × failureThreshold/ }));
  test('probes on a scheduled task', () => expectProblem(app => new ScheduledTask(platform(app).shop, 'job', { image: IMAGE, schedule: '@daily', probes: { liveness: Probe.exec(['true']) } }),
    { path: 'acme/shop/job', at: 'construction', value: 'sets probes', fix: /bound it with activeDeadline\)/ }));
  test('rollout with neither surge nor unavailability', () => expectProblem(svc({ rollout: Rollout.rolling({ maxSurge: 0, maxUnavailable: 0 }) }),
    { ...C, value: 'maxSurge 0, maxUnavailable 0', fix: /maxSurge: 1/ }));
  test('rollout with both a count and a percentage', () => expectProblem(svc({ rollout: Rollout.rolling({ maxSurge: 1, maxSurgePercent: 50 }) }),
    { ...C, value: 'maxSurge 1 and maxSurgePercent 50', fix: /keep one/ }));
  test('rollout maxUnavailable beyond the disruption budget', () => expectProblem(svc({ rollout: Rollout.rolling({ maxUnavailable: 2 }), disruptionBudget: DisruptionBudget.maxUnavailable(1) }),
    { path: API, at: 'synth', value: "maxUnavailable 2 (2 of 3 pods) in 'production'", fix: /lower maxUnavailable to 1/ }));
  test('Recreate with a disruption budget', () => expectProblem(svc({ rollout: Rollout.recreate(), disruptionBudget: DisruptionBudget.maxUnavailable(1) }),
    { path: API, at: 'synth', value: 'rollout Recreate', fix: /Rollout.rolling/ }));
  test('progressDeadline not above minReady', () => expectProblem(svc({ minReady: Duration.seconds(60), progressDeadline: Duration.seconds(60) }),
    { ...C, value: 'progressDeadline 60s', fix: /above minReady/ }));
  test('reserved label key', () => expectProblem(svc({ labels: { 'openchoreo.dev/component': 'other' } }),
    { ...C, value: "'openchoreo.dev/component' is reserved", fix: /your own domain/ }));
  test('reserved annotation key of the library (sub-domain)', () => expectProblem(svc({ annotations: { 'security.openchoreo.dev/exception-run-as-non-root': 'x' } }),
    { ...C, value: "'security.openchoreo.dev/exception-run-as-non-root' is reserved", fix: /your own domain/ }));
  test('invalid user label value', () => expectProblem(svc({ labels: { 'acme.example/team': 'pay ments' } }),
    { ...C, value: "'pay ments'", fix: /at most 63/ }));
  test('preStop sleep not shorter than the grace period', () => expectProblem(svc({ preStop: PreStop.sleep(Duration.seconds(30)), terminationGracePeriod: Duration.seconds(20) }),
    { ...C, value: 'preStop sleeps 30s', fix: /lengthen terminationGracePeriod/ }));
  test('gateway drain not shorter than a short grace period', () => expectProblem(app => svc({ terminationGracePeriod: Duration.seconds(5) })(app).addEndpoint('http', { port: 8080, visibility: [Visibility.PUBLIC] }),
    { path: API, at: 'synth', value: 'gateway drain delay', fix: /PreStop.none/ }));
  test('toleration without key and operator Equal', () => expectProblem(svc({ placement: { tolerations: [{ value: 'x' }] } }),
    { ...C, value: 'has no key but operator Equal', fix: /TolerationOperator.EXISTS/ }));
  test('tolerationSeconds without NoExecute', () => expectProblem(svc({ placement: { tolerations: [{ key: 'k', tolerationSeconds: 30 }] } }),
    { ...C, value: 'tolerationSeconds without effect NoExecute', fix: /NO_EXECUTE/ }));
  test('node label requirement In without values', () => expectProblem(svc({ placement: { nodeLabels: [{ key: 'pool', operator: NodeLabelOperator.IN }] } }),
    { ...C, value: "'pool' (In) lists no values", fix: /at least one value/ }));
  test('preference weight out of range', () => expectProblem(svc({ placement: { nodeLabels: [{ key: 'pool', operator: NodeLabelOperator.EXISTS, preferenceWeight: 0 }] } }),
    { ...C, value: 'preferenceWeight 0', fix: /1 to 100/ }));
  test('invalid priority class name', () => expectProblem(svc({ placement: { priorityClassName: 'Critical_Pods' } }),
    { ...C, value: "'Critical_Pods'", fix: /critical-pods/ }));
  test('environment topology spread with maxSkew 0', () => expectProblem(app => platform(app, {}, { topologySpread: TopologySpread.zonesAndNodes({ maxSkew: 0 }) }),
    { path: 'acme/production', at: 'construction', value: 'maxSkew 0', fix: /maxSkew: 1/ }));
  test('data plane topology keys that are the same label', () => expectProblem(app => platform(app, { topologyKeys: { zone: 'kubernetes.io/hostname', node: 'kubernetes.io/hostname' } }),
    { path: 'acme/eu', at: 'construction', value: "both 'kubernetes.io/hostname'", fix: /zone label and a node label/ }));
  test('override sets a rollout on a scheduled task', () => expectProblem(app => {
    const { shop, prod } = platform(app);
    new ScheduledTask(shop, 'job', { image: IMAGE, schedule: '@daily' }).configureEnvironment(prod, { rollout: Rollout.recreate() });
  }, { path: 'acme/shop/job', at: 'construction', value: "set 'rollout' on a scheduled task", fix: /Deployment-backed/ }));
});
