import { Duration } from 'cdk8s';
import {
  DataPlane, DataPlaneProps, DeploymentPipeline, EndpointType, Environment, HttpMetrics, LogFormat, MetricsOptions, NetworkPolicyProvider,
  ObservabilityOptions, Organization, OtlpProtocol, PlatformApp, Project, ScheduledTask, Service, SloOptions, Tracing, TracingLanguage,
  Visibility, WebApplication, Worker,
} from '../src';
import { IMAGE } from './support/fixtures';
import { expectProblem } from './support/problems';
import { one, synth, testApp } from './support/synth';
import { generateName } from '../src/resolve/naming';

const ns = (env: string) => generateName(63, 'dp', 'acme', 'shop', env);
const STD4 = ['openchoreo.dev/namespace', 'openchoreo.dev/project', 'openchoreo.dev/component', 'openchoreo.dev/environment'];

/** acme / eu / dev → prod / shop. */
function platform(app: PlatformApp = testApp(), dataPlane: DataPlaneProps = {}) {
  const org = new Organization(app, 'acme');
  const eu = new DataPlane(org, 'eu', dataPlane);
  const dev = new Environment(org, 'dev', { dataPlane: eu });
  const prod = new Environment(org, 'prod', { dataPlane: eu, isProduction: true });
  const pipeline = new DeploymentPipeline(org, 'p', { promotionPaths: [{ source: dev, targets: [prod] }] });
  const shop = new Project(org, 'shop', { pipeline });
  return { org, eu, dev, prod, shop, pipeline };
}

const inCell = (objects: any[], kind: string, env: string, name: string) =>
  one(objects, kind, o => o.metadata.namespace === ns(env) && o.metadata.name === name);
const policy = (objects: any[], env: string, component: string) => inCell(objects, 'CiliumNetworkPolicy', env, `openchoreo-${component}`);
const container = (objects: any[], env: string, name: string) => {
  const w = objects.find(o => (o.kind === 'Deployment' || o.kind === 'CronJob') && o.metadata.namespace === ns(env) && o.metadata.labels['openchoreo.dev/component'] === name);
  return (w.kind === 'CronJob' ? w.spec.jobTemplate.spec.template : w.spec.template);
};
const envOf = (objects: any[], env: string, name: string) =>
  Object.fromEntries(container(objects, env, name).spec.containers[0].env.map((e: any) => [e.name, e.value]));

/** A Service with an HTTP endpoint on 8080 (container port 9000) and `props`. */
function api(shop: Project, props: { metrics?: MetricsOptions; tracing?: Tracing; slo?: SloOptions; logFormat?: LogFormat } = {}) {
  const s = new Service(shop, 'api', { image: IMAGE, ...props });
  s.addEndpoint('http', { port: 8080, targetPort: 9000 });
  return s;
}

describe('metrics', () => {
  test('a Service is scraped through its Service by a ServiceMonitor that Prometheus selects', () => {
    const { org, shop } = platform();
    api(shop, { metrics: { port: 8080, path: '/actuator/prometheus', interval: Duration.seconds(15) } });
    const objects = synth(org);
    const sm = inCell(objects, 'ServiceMonitor', 'dev', 'api');
    expect(sm.metadata.labels).toMatchObject({ 'release': 'kube-prometheus-stack', 'openchoreo.dev/component': 'api' });
    const svc = inCell(objects, 'Service', 'dev', 'api');
    expect(sm.spec).toEqual({
      selector: { matchLabels: svc.spec.selector },
      endpoints: [{ port: svc.spec.ports[0].name, path: '/actuator/prometheus', scheme: 'http', interval: '15s' }],
      targetLabels: STD4,
    });
    // Prometheus may reach the container port, nothing else of it
    expect(policy(objects, 'dev', 'api').spec.ingress).toEqual([{
      fromEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'monitoring', 'app.kubernetes.io/name': 'prometheus' } }],
      toPorts: [{ ports: [{ port: '9000', protocol: 'TCP' }] }],
    }]);
  });

  test('a worker or scheduled task gets a metrics container port and a PodMonitor', () => {
    const { org, shop } = platform(testApp(), { observability: { prometheus: { selectorLabels: { prometheus: 'platform' }, pods: { namespace: 'observability', labels: { app: 'prom' } } } } });
    new Worker(shop, 'w', { image: IMAGE, metrics: { port: 9464 } });
    new ScheduledTask(shop, 't', { image: IMAGE, schedule: '@daily', metrics: { port: 9464, path: '/stats' } });
    const objects = synth(org);
    for (const name of ['w', 't']) {
      expect(container(objects, 'dev', name).spec.containers[0].ports).toEqual([{ name: 'metrics', containerPort: 9464, protocol: 'TCP' }]);
      const pm = inCell(objects, 'PodMonitor', 'dev', name);
      expect(pm.metadata.labels.prometheus).toBe('platform');
      expect(pm.spec.podMetricsEndpoints).toEqual([{ port: 'metrics', path: name === 't' ? '/stats' : '/metrics', scheme: 'http' }]);
      expect(pm.spec.podTargetLabels).toEqual(STD4);
      expect(policy(objects, 'dev', name).spec.ingress[0].fromEndpoints[0].matchLabels).toEqual({ 'k8s:io.kubernetes.pod.namespace': 'observability', 'app': 'prom' });
    }
  });

  test('without metrics, no monitor and no scrape path', () => {
    const { org, shop } = platform();
    api(shop);
    const objects = synth(org);
    expect(objects.filter(o => o.kind === 'ServiceMonitor' || o.kind === 'PodMonitor')).toEqual([]);
    expect(policy(objects, 'dev', 'api').spec.ingress).toEqual([]);
  });
});

describe('tracing', () => {
  test('by default the OTEL_* variables point an SDK at the collector, with the owner as resource attributes; egress to the collector only', () => {
    const { org, shop } = platform();
    api(shop);
    const objects = synth(org);
    expect(envOf(objects, 'prod', 'api')).toEqual({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://opentelemetry-collector.openchoreo-observability-plane.svc.cluster.local:4318',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      OTEL_PROPAGATORS: 'tracecontext,baggage',
      OTEL_RESOURCE_ATTRIBUTES: `service.namespace=shop,deployment.environment.name=prod,k8s.namespace.name=${ns('prod')},`
        + 'openchoreo.organization=acme,openchoreo.project=shop,openchoreo.component=api,openchoreo.environment=prod',
      OTEL_SERVICE_NAME: 'api',
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0.1',
    });
    expect(envOf(objects, 'dev', 'api').OTEL_TRACES_SAMPLER_ARG).toBe('1');
    expect(policy(objects, 'dev', 'api').spec.egress).toEqual([{
      toEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'openchoreo-observability-plane', 'app.kubernetes.io/name': 'opentelemetry-collector' } }],
      toPorts: [{ ports: [{ port: '4318', protocol: 'TCP' }] }],
    }]);
    expect(objects.filter(o => o.kind === 'Instrumentation')).toEqual([]);
  });

  test('auto-instrumentation: the operator injects the agent configured by the cell\'s Instrumentation', () => {
    const { org, shop, prod } = platform(testApp(), { observability: { collector: { host: 'otel.observability.svc.cluster.local', protocol: OtlpProtocol.GRPC } } });
    api(shop, { tracing: Tracing.autoInstrument(TracingLanguage.JAVA, { samplingRatio: 0.5 }) })
      .configureEnvironment(prod, { tracing: Tracing.autoInstrument(TracingLanguage.JAVA, { samplingRatio: 0.05 }) });
    new WebApplication(shop, 'web', { image: IMAGE, tracing: Tracing.autoInstrument(TracingLanguage.NODEJS) });
    const objects = synth(org);
    expect(container(objects, 'dev', 'api').metadata.annotations['instrumentation.opentelemetry.io/inject-java']).toBe('openchoreo');
    expect(container(objects, 'dev', 'web').metadata.annotations['instrumentation.opentelemetry.io/inject-nodejs']).toBe('openchoreo');
    expect(envOf(objects, 'dev', 'api')).toMatchObject({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel.observability.svc.cluster.local:4317', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', OTEL_TRACES_SAMPLER_ARG: '0.5' });
    expect(envOf(objects, 'prod', 'api').OTEL_TRACES_SAMPLER_ARG).toBe('0.05');
    const inst = inCell(objects, 'Instrumentation', 'dev', 'openchoreo');
    const resources = { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '500m', memory: '128Mi' } };
    expect(inst.spec).toEqual({
      exporter: { endpoint: 'http://otel.observability.svc.cluster.local:4317' },
      propagators: ['tracecontext', 'baggage'],
      sampler: { type: 'parentbased_traceidratio', argument: '1' },
      env: [{ name: 'OTEL_EXPORTER_OTLP_PROTOCOL', value: 'grpc' }],
      resource: { resourceAttributes: { 'openchoreo.organization': 'acme', 'openchoreo.project': 'shop', 'openchoreo.environment': 'dev' } },
      initContainerSecurityContext: {
        allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' },
      },
      java: { resources },
      nodejs: { resourceRequirements: resources },
    });
    expect(policy(objects, 'dev', 'api').spec.egress[0].toPorts).toEqual([{ ports: [{ port: '4317', protocol: 'TCP' }] }]);
  });

  test('Tracing.none(), per component or environment or as the data plane\'s default: no variables, no path', () => {
    const { org, shop, prod } = platform();
    api(shop).configureEnvironment(prod, { tracing: Tracing.none() });
    new Worker(shop, 'w', { image: IMAGE, tracing: Tracing.none() });
    const objects = synth(org);
    expect(envOf(objects, 'dev', 'api').OTEL_SERVICE_NAME).toBe('api');
    expect(container(objects, 'prod', 'api').spec.containers[0].env).toBeUndefined();
    expect(policy(objects, 'prod', 'api').spec.egress).toEqual([]);
    expect(container(objects, 'dev', 'w').spec.containers[0].env).toBeUndefined();
    const quiet = platform(testApp(), { observability: { defaultTracing: Tracing.none() } });
    api(quiet.shop);
    expect(container(synth(quiet.org), 'dev', 'api').spec.containers[0].env).toBeUndefined();
  });
});

describe('logs', () => {
  test('every pod carries the labels a log pipeline attributes lines by; JSON logs are marked for the parser', () => {
    const { org, shop } = platform();
    api(shop, { logFormat: LogFormat.JSON });
    new ScheduledTask(shop, 't', { image: IMAGE, schedule: '@daily' });
    const objects = synth(org);
    for (const name of ['api', 't']) {
      const pod = container(objects, 'dev', name);
      expect(pod.metadata.labels).toMatchObject({ 'openchoreo.dev/namespace': 'acme', 'openchoreo.dev/project': 'shop', 'openchoreo.dev/component': name, 'openchoreo.dev/environment': 'dev' });
      expect(Object.keys(pod.metadata.labels)).toEqual(expect.arrayContaining(['openchoreo.dev/component-uid', 'openchoreo.dev/project-uid', 'openchoreo.dev/environment-uid']));
    }
    expect(container(objects, 'dev', 'api').metadata.annotations['fluentbit.io/parser']).toBe('json');
    expect(container(objects, 'dev', 't').metadata.annotations['fluentbit.io/parser']).toBeUndefined();
  });
});

describe('alerts', () => {
  const rules = (objects: any[], env: string, name: string) => inCell(objects, 'PrometheusRule', env, name).spec.groups;
  const cellRules = (objects: any[], env: string) => rules(objects, env, 'openchoreo-cell');
  const componentRules = (objects: any[], env: string, component: string) =>
    objects.filter(o => o.kind === 'PrometheusRule' && o.metadata.namespace === ns(env) && o.metadata.name === `openchoreo-${component}`);

  test('every cell gets workload-health alerts for its components: restarts, replicas for Deployments, failed runs for CronJobs', () => {
    const { org, shop, pipeline } = platform();
    new Worker(shop, 'w', { image: IMAGE });
    new ScheduledTask(new Project(org, 'jobs', { pipeline }), 't', { image: IMAGE, schedule: '@daily' });
    const objects = synth(org);
    const health = cellRules(objects, 'dev');
    expect(health.map((g: any) => g.name)).toEqual(['health']);
    expect(health[0].rules.map((r: any) => r.alert)).toEqual(['OpenChoreoContainerRestarting', 'OpenChoreoReplicasUnavailable']);
    expect(health[0].rules[0].expr).toBe(`sum by (namespace, pod) (increase(kube_pod_container_status_restarts_total{namespace="${ns('dev')}",container="main"}[1h])) > 2`);
    expect(health[0].rules[1].expr)
      .toBe(`kube_deployment_status_replicas_available{namespace="${ns('dev')}"} < kube_deployment_spec_replicas{namespace="${ns('dev')}"}`);
    expect(health[0].rules[1].labels).toEqual({ openchoreo_namespace: 'acme', openchoreo_project: 'shop', openchoreo_environment: 'dev', severity: 'warning' });
    // a project of scheduled tasks only: no replica alert, a failed-run alert
    const jobsHealth = one(objects, 'PrometheusRule', o => o.metadata.name === 'openchoreo-cell' && o.metadata.namespace === generateName(63, 'dp', 'acme', 'jobs', 'dev'));
    expect(jobsHealth.spec.groups[0].rules.map((r: any) => r.alert)).toEqual(['OpenChoreoContainerRestarting', 'OpenChoreoScheduledRunFailed']);
    expect(jobsHealth.spec.groups[0].rules[1].expr).toBe(`kube_job_status_failed{namespace="${generateName(63, 'dp', 'acme', 'jobs', 'dev')}"} > 0`);
    // no SLO, no component rule
    expect(componentRules(objects, 'dev', 'w')).toHaveLength(0);
  });

  test('SLOs: the cell records each SLI per window by component, the component alerts on multi-window burn rates, thresholds per environment', () => {
    const { org, shop, prod } = platform();
    api(shop, { metrics: { port: 8080 } }).configureEnvironment(prod, { slo: { availability: 99.9, latencyThreshold: Duration.millis(250) } });
    const objects = synth(org);
    const [health, errors, latency] = cellRules(objects, 'prod');
    expect(health.name).toBe('health');
    expect(errors.name).toBe('slis.errors');
    expect(latency.name).toBe('slis.latency-0_25s');
    const windows = ['5m', '30m', '1h', '2h', '6h', '1d', '3d'];
    expect(errors.rules.map((r: any) => r.record)).toEqual(windows.map(w => `openchoreo:http_request_errors:ratio_rate${w}`));
    expect(latency.rules.map((r: any) => r.record)).toEqual(windows.map(w => `openchoreo:http_request_slow:ratio_rate${w}`));
    const cell = `namespace="${ns('prod')}"`;
    const by = 'sum by (namespace, openchoreo_dev_component)';
    expect(errors.rules[2].expr).toBe(
      `${by} (rate(http_server_request_duration_seconds_count{${cell},http_response_status_code=~"5.."}[1h])) / ${by} (rate(http_server_request_duration_seconds_count{${cell}}[1h]))`);
    expect(latency.rules[0].expr).toBe(
      `1 - (${by} (rate(http_server_request_duration_seconds_bucket{${cell},le=~"0\\\\.250*"}[5m])) / ${by} (rate(http_server_request_duration_seconds_count{${cell}}[5m])))`);
    expect(latency.rules[0].labels).toEqual({ slo_threshold: '0.25' });

    const [alerting] = rules(objects, 'prod', 'openchoreo-api');
    expect(alerting.name).toBe('api.slo');
    expect(alerting.rules.map((r: any) => `${r.alert} ${r.labels.severity}`)).toEqual([
      'OpenChoreoAvailabilityBudgetBurn critical', 'OpenChoreoAvailabilityBudgetBurn warning', 'OpenChoreoLatencyBudgetBurn critical', 'OpenChoreoLatencyBudgetBurn warning',
    ]);
    expect(alerting.rules[0].labels).toEqual({
      openchoreo_namespace: 'acme', openchoreo_project: 'shop', openchoreo_component: 'api', openchoreo_environment: 'prod', severity: 'critical', slo: 'errors',
    });
    const sel = `{namespace="${ns('prod')}",openchoreo_dev_component="api"}`;
    const r = (w: string) => `openchoreo:http_request_errors:ratio_rate${w}${sel}`;
    // 99.9% → a 0.1% budget, burnt 14.4× over 1h and 5m, or 6× over 6h and 30m, pages
    expect(alerting.rules[0].expr).toBe(`(${r('1h')} > (14.4 * 0.001) and ${r('5m')} > (14.4 * 0.001)) or (${r('6h')} > (6 * 0.001) and ${r('30m')} > (6 * 0.001))`);
    expect(alerting.rules[1].expr).toBe(`(${r('1d')} > (3 * 0.001) and ${r('2h')} > (3 * 0.001)) or (${r('3d')} > (1 * 0.001) and ${r('6h')} > (1 * 0.001))`);
    // the latency alert reads the series recorded for its own threshold
    expect(alerting.rules[2].expr).toContain(`openchoreo:http_request_slow:ratio_rate1h{namespace="${ns('prod')}",openchoreo_dev_component="api",slo_threshold="0.25"}`);
    // the default objective elsewhere: 99.5%, 99% under 500ms
    const [devAlerting] = rules(objects, 'dev', 'openchoreo-api');
    expect(devAlerting.rules[0].expr).toContain('> (14.4 * 0.005)');
    expect(devAlerting.rules[2].expr).toContain('> (14.4 * 0.01)');
    expect(cellRules(objects, 'dev')[2].rules[0].expr).toContain('le=~"0\\\\.50*"');
  });

  test('SLOs with different latency thresholds in one cell: one recording group per threshold', () => {
    const { org, shop } = platform();
    api(shop, { metrics: { port: 8080 }, slo: { latencyThreshold: Duration.seconds(1) } });
    const web = new Service(shop, 'web', { image: IMAGE, metrics: { port: 8080 }, slo: { latencyThreshold: Duration.millis(100) } });
    web.addEndpoint('http', { port: 8080 });
    const other = new Service(shop, 'other', { image: IMAGE, metrics: { port: 8080 }, slo: { latencyThreshold: Duration.seconds(1) } });
    other.addEndpoint('http', { port: 8080 });
    const objects = synth(org);
    expect(cellRules(objects, 'dev').map((g: any) => g.name)).toEqual(['health', 'slis.errors', 'slis.latency-0_1s', 'slis.latency-1s']);
    expect(cellRules(objects, 'dev')[3].rules[0].expr).toContain('le=~"1(\\\\.0+)?"');
    expect(rules(objects, 'dev', 'openchoreo-web')[0].rules[2].expr).toContain('slo_threshold="0.1"');
  });

  test('Hubble request metrics: every HTTP endpoint is measured, its ingress made L7-visible', () => {
    const { org, shop } = platform(testApp(), { externalGateway: { domain: 'apps.acme.example' }, observability: { httpMetrics: HttpMetrics.hubble() } });
    const s = new Service(shop, 'api', { image: IMAGE, slo: { latencyThreshold: Duration.seconds(1) } });
    s.addEndpoint('http', { port: 8080, visibility: [Visibility.PUBLIC] });
    s.addEndpoint('db', { port: 5432, type: EndpointType.TCP });
    new Worker(shop, 'w', { image: IMAGE }).dependOn(s.findEndpoint('db')!);
    const objects = synth(org);
    const [, errors, latency] = cellRules(objects, 'dev');
    const cell = `destination_namespace="${ns('dev')}",reporter="server"`;
    const by = 'sum by (destination_namespace, destination_workload)';
    expect(errors.rules[0].expr).toBe(`${by} (rate(hubble_http_requests_total{${cell},status=~"5.."}[5m])) / ${by} (rate(hubble_http_requests_total{${cell}}[5m]))`);
    expect(latency.rules[0].expr).toContain('hubble_http_request_duration_seconds_bucket');
    expect(latency.rules[0].expr).toContain('le=~"1(\\\\.0+)?"');
    // the component's alerts select its workload
    expect(rules(objects, 'dev', 'openchoreo-api')[0].rules[0].expr)
      .toContain(`openchoreo:http_request_errors:ratio_rate1h{destination_namespace="${ns('dev')}",destination_workload="${generateName(253, 'api', 'dev')}"}`);
    const ingress = policy(objects, 'dev', 'api').spec.ingress;
    // the gateway's rule to the HTTP port is L7 (Cilium's proxy sees every request); TCP stays L4
    expect(ingress.map((r: any) => r.toPorts)).toEqual(expect.arrayContaining([
      [{ ports: [{ port: '8080', protocol: 'TCP' }], rules: { http: [{}] } }],
      [{ ports: [{ port: '5432', protocol: 'TCP' }] }],
    ]));
  });

  test('no request metrics: no SLO rules, and the README says why', () => {
    const app = testApp();
    const { org, shop } = platform(app);
    api(shop);
    const objects = synth(org);
    expect(cellRules(objects, 'dev').map((g: any) => g.name)).toEqual(['health']);
    expect(componentRules(objects, 'dev', 'api')).toHaveLength(0);
    expect(app.synthFiles()['acme/eu/dev/README.md'])
      .toContain('| shop | api | — | OpenTelemetry SDK, sampling 1 | no request metrics (declare metrics, or read Hubble metrics on the data plane) |');
  });

  test('alerts can be switched off per environment', () => {
    const { org, shop, dev } = platform();
    api(shop, { metrics: { port: 8080 } }).configureEnvironment(dev, { slo: { alerts: false } });
    const objects = synth(org);
    expect(componentRules(objects, 'dev', 'api')).toHaveLength(0);
    expect(cellRules(objects, 'dev').map((g: any) => g.name)).toEqual(['health']);
    expect(componentRules(objects, 'prod', 'api')).toHaveLength(1);
    expect(cellRules(objects, 'prod')).toHaveLength(3);
  });
});

describe('dashboards', () => {
  test('a Grafana dashboard per project and environment in Grafana\'s namespace, a row repeated per component, no PromQL to write', () => {
    const { org, shop } = platform(testApp(), { observability: { grafana: { namespace: 'grafana', dashboardLabels: { grafana: 'yes' }, folderAnnotation: 'folder' } } });
    api(shop, { metrics: { port: 8080 } });
    new ScheduledTask(shop, 't', { image: IMAGE, schedule: '@daily' });
    const objects = synth(org);
    const cm = one(objects, 'ConfigMap', generateName(253, 'openchoreo', 'acme', 'shop', 'prod'));
    expect(cm.metadata.namespace).toBe('grafana');
    expect(cm.metadata.labels.grafana).toBe('yes');
    expect(cm.metadata.annotations).toEqual({ folder: 'acme' });
    const dashboard = JSON.parse(Object.values<string>(cm.data)[0]);
    expect(dashboard.title).toBe('shop (prod)');
    // the row repeats for every workload of the variable, which lists the project's components
    const workload = dashboard.templating.list.find((v: any) => v.name === 'workload');
    expect(workload.query).toBe(`${generateName(253, 'api', 'prod')},${generateName(52, 't', 'prod')}`);
    const rows = dashboard.panels.filter((p: any) => p.type === 'row');
    expect(rows).toEqual([expect.objectContaining({ title: '$workload', repeat: 'workload' })]);
    expect(dashboard.panels.filter((p: any) => p.type !== 'row').map((p: any) => p.title)).toEqual([
      'Requests', 'Failed requests (5xx)', 'Latency', 'CPU', 'Memory', 'Restarts (1h)', 'Available replicas', 'Failed runs',
    ]);
    const errors = dashboard.panels.find((p: any) => p.title === 'Failed requests (5xx)');
    expect(errors.targets[0].expr).toBe(`sum(rate(http_server_request_duration_seconds_count{namespace="${ns('prod')}",pod=~"$workload-.+",http_response_status_code=~"5.."}[5m]))`
      + ` / sum(rate(http_server_request_duration_seconds_count{namespace="${ns('prod')}",pod=~"$workload-.+"}[5m]))`);
    expect(dashboard.panels.find((p: any) => p.title === 'CPU').targets[0].expr)
      .toBe(`sum(rate(container_cpu_usage_seconds_total{namespace="${ns('prod')}",pod=~"$workload-.+",container="main"}[5m]))`);
    // every panel on the grid, none overlapping
    const cells = new Set<string>();
    for (const p of dashboard.panels) {
      for (let x = p.gridPos.x; x < p.gridPos.x + p.gridPos.w; x++) {
        for (let y = p.gridPos.y; y < p.gridPos.y + p.gridPos.h; y++) {
          expect(cells.has(`${x},${y}`)).toBe(false);
          cells.add(`${x},${y}`);
        }
      }
    }
  });
});

describe('observability errors', () => {
  const build = (props: object, dataPlane: DataPlaneProps = {}) => (app: PlatformApp) => {
    const { shop } = platform(app, dataPlane);
    api(shop, props);
  };
  const P = 'acme/shop/api';
  test.each<[string, object, string, RegExp]>([
    ['a metrics path without a slash', { metrics: { port: 8080, path: 'metrics' } }, "metrics.path 'metrics' is not an absolute URL path", /'\/metrics'/],
    ['a metrics interval that is no duration', { metrics: { port: 8080, interval: 'often' } }, 'metrics.interval "often" is not a Duration', /interval: Duration\.seconds\(30\)/],
    ['a metrics interval in the old string form', { metrics: { port: 8080, interval: '30s' } }, 'metrics.interval "30s" is not a Duration', /Duration\.seconds\(30\)/],
    ['a zero metrics interval', { metrics: { port: 8080, interval: Duration.seconds(0) } }, 'metrics.interval 0 seconds is not a positive whole number of milliseconds', /positive duration/],
    ['a sub-millisecond metrics interval', { metrics: { port: 8080, interval: Duration.millis(0.5) } }, 'metrics.interval 0.5 millis is not a positive whole number of milliseconds', /positive duration/],
    ['a metrics port out of range', { metrics: { port: 70000 } }, 'metrics.port 70000 is out of range', /between 1 and 65535/],
    ['an availability of 100%', { slo: { availability: 100 } }, 'slo.availability 100 is not a percentage between 0 and 100', /leaves no error budget/],
    ['a latency target of 0%', { slo: { latencyTarget: 0 } }, 'slo.latencyTarget 0 is not a percentage', /such as 99\.9/],
    ['a latency in minutes', { slo: { latencyThreshold: Duration.minutes(1) } }, "slo.latencyThreshold '1m' is not a latency", /Duration\.millis\(250\) or Duration\.seconds\(1\)/],
    ['a latency in the old string form', { slo: { latencyThreshold: '250ms' } }, 'slo.latencyThreshold "250ms" is not a Duration', /latencyThreshold: Duration\.millis\(250\)/],
    ['a sub-millisecond latency', { slo: { latencyThreshold: Duration.millis(0.5) } }, 'slo.latencyThreshold 0.5 millis is not a positive whole number of milliseconds', /positive duration/],
    ['Go auto-instrumentation', { tracing: Tracing.autoInstrument(TracingLanguage.GO) }, 'Go auto-instrumentation runs a privileged eBPF sidecar', /Tracing\.sdk\(\)/],
    ['a sampling ratio above 1', { tracing: Tracing.sdk({ samplingRatio: 1.5 }) }, 'samplingRatio 1.5 is not between 0 and 1', /0\.1 for 10%/],
    ['a tracing that is no Tracing', { tracing: { _mode: 'sdk' } }, 'tracing is not a Tracing', /Tracing\.autoInstrument/],
    ['an unknown log format', { logFormat: 'xml' }, "logFormat 'xml' is unknown", /LogFormat\.JSON/],
  ])('%s', (_, props, value, fix) => {
    expectProblem(build(props), { path: P, value, fix, at: 'construction' });
  });

  test.each<[string, ObservabilityOptions, string, RegExp]>([
    ['Prometheus pods without labels', { prometheus: { pods: { namespace: 'monitoring', labels: {} } } }, 'observability.prometheus.pods selects pods by no label', /at least one label/],
    ['an invalid collector host', { collector: { host: 'http://otel:4318' } }, "observability.collector.host 'http://otel:4318' is not a DNS name", /Service's DNS name/],
    ['decreasing buckets', { httpMetrics: HttpMetrics.openTelemetry([0.1, 0.05]) }, 'buckets [0.1, 0.05] are not increasing positive boundaries', /smallest first/],
    ['an invalid Grafana namespace', { grafana: { namespace: 'Grafana' } }, "observability.grafana.namespace 'Grafana'", /use a name such as 'grafana'/],
  ])('data plane: %s', (_, observability, value, fix) => {
    expectProblem(app => platform(app, { observability }), { path: 'acme/eu', value, fix, at: 'construction' });
  });

  test('a metrics port that is not an endpoint', () => {
    expectProblem(build({ metrics: { port: 9100 } }), {
      path: P, value: "metrics port 9100 is not an endpoint of component 'api'", fix: /add an endpoint on port 9100, .*, or use one of its TCP endpoint ports: 8080$/, at: 'synth',
    });
  });

  test('a latency threshold that is not a bucket boundary', () => {
    expectProblem(build({ metrics: { port: 8080 }, slo: { latencyThreshold: Duration.millis(300) } }), {
      path: P, value: "SLO latency threshold '300ms' in 'dev' is not a bucket boundary", fix: /such as '250ms' or '500ms'/, at: 'synth',
    });
  });

  test('an SLO with nothing that measures the requests', () => {
    expectProblem(build({ slo: { availability: 99.9 } }), {
      path: P, value: "slo is set on component 'api' in 'dev', but nothing measures its requests", fix: /declare metrics: \{ port \}.*HttpMetrics\.hubble\(\)/, at: 'synth',
    });
  });

  test('an SLO on a component without HTTP endpoints', () => {
    expectProblem(app => new Worker(platform(app).shop, 'w', { image: IMAGE, slo: { availability: 99 } }), {
      path: 'acme/shop/w', value: "slo is set on component 'w', which has no HTTP, GraphQL or Websocket endpoint", fix: /remove slo/, at: 'synth',
    });
  });

  test('an OTEL_ variable set by hand while tracing sets it', () => {
    expectProblem(app => api(platform(app).shop).configureEnvironment(platform(testApp()).dev, {}), {
      path: P, value: 'not an environment of organization', fix: /same organization/, at: 'construction',
    });
    expectProblem(build({ env: { OTEL_SERVICE_NAME: 'custom' } }), {
      path: P, value: "environment variable 'OTEL_SERVICE_NAME' is set by tracing and also in env", fix: /Tracing\.none\(\)/, at: 'synth',
    });
  });

  test('Hubble metrics on the Kubernetes NetworkPolicy back-end', () => {
    const dataPlane = { networkPolicyProvider: NetworkPolicyProvider.KUBERNETES, observability: { httpMetrics: HttpMetrics.hubble() } };
    expectProblem(app => platform(app, dataPlane), {
      path: 'acme/eu', value: "reads request metrics from Hubble, which needs the Cilium back-end, but its networkPolicyProvider is 'kubernetes'", fix: /NetworkPolicyProvider\.CILIUM/, at: 'synth',
    });
  });
});
