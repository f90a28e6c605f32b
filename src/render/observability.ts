import { componentMetadata } from './metadata';
import { componentQueries } from './promql';
import { Labels } from '../resolve/labels';
import { Cell, PlanComponent, PlanObservabilityServices } from '../resolve/plan';

/** The labels Prometheus copies from the scraped Service or pods onto every series (as `openchoreo_dev_*`). */
const TARGET_LABELS = [Labels.NAMESPACE, Labels.PROJECT, Labels.COMPONENT, Labels.ENVIRONMENT];

/** Multi-window, multi-burn-rate alerting (Google SRE workbook, chapter 5). */
const BURN_RATES: ReadonlyArray<{ severity: 'critical' | 'warning'; windows: ReadonlyArray<readonly [string, string, number]> }> = [
  { severity: 'critical', windows: [['1h', '5m', 14.4], ['6h', '30m', 6]] },
  { severity: 'warning', windows: [['1d', '2h', 3], ['3d', '6h', 1]] },
];
const WINDOWS = ['5m', '30m', '1h', '2h', '6h', '1d', '3d'];

/** Metadata of a component's monitoring objects: its labels plus the ones Prometheus selects by. */
function monitoringMetadata(cell: Cell, c: PlanComponent, services: PlanObservabilityServices, name: string) {
  const base = componentMetadata(cell, c, name);
  return { ...base, labels: { ...base.labels, ...services.selectorLabels } };
}

/**
 * The component's Prometheus objects: a ServiceMonitor (or a PodMonitor for workers and scheduled
 * tasks) for its metrics endpoint, and a PrometheusRule with workload-health alerts and, for HTTP
 * endpoints with request metrics, SLO recording rules and burn-rate alerts. @internal
 */
export function renderMonitoring(cell: Cell, c: PlanComponent, services: PlanObservabilityServices): any[] {
  const out: any[] = [];
  const m = c.observability.metrics;
  if (m) {
    const endpoint = { port: m.portName, path: m.path, scheme: 'http', ...(m.interval ? { interval: m.interval } : {}) };
    out.push(m.monitor === 'ServiceMonitor' ? {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'ServiceMonitor',
      metadata: monitoringMetadata(cell, c, services, c.name),
      spec: { selector: { matchLabels: c.labels }, endpoints: [endpoint], targetLabels: TARGET_LABELS },
    } : {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PodMonitor',
      metadata: monitoringMetadata(cell, c, services, c.name),
      spec: { selector: { matchLabels: c.labels }, podMetricsEndpoints: [endpoint], podTargetLabels: TARGET_LABELS },
    });
  }
  out.push({
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: monitoringMetadata(cell, c, services, `openchoreo-${c.name}`),
    spec: { groups: [healthGroup(cell, c, services), ...sloGroups(cell, c, services)] },
  });
  return out;
}

/** Labels every alert of the component carries (routing in Alertmanager by organization, project, …). */
function alertLabels(cell: Cell, c: PlanComponent) {
  return {
    openchoreo_namespace: cell.organization,
    openchoreo_project: cell.project,
    openchoreo_component: c.name,
    openchoreo_environment: cell.environment,
  };
}

function healthGroup(cell: Cell, c: PlanComponent, services: PlanObservabilityServices) {
  const queries = componentQueries(cell, c, services);
  const labels = alertLabels(cell, c);
  const where = `${cell.project}/${c.name} in ${cell.environment}`;
  const ns = `namespace="${cell.namespace}"`;
  const rules: any[] = [{
    alert: 'OpenChoreoContainerRestarting',
    expr: `${queries.restarts} > 2`,
    for: '15m',
    labels: { ...labels, severity: 'warning' },
    annotations: { summary: `${where} keeps restarting`, description: `The main container of ${where} restarted more than twice in the last hour.` },
  }];
  if (c.schedule) {
    rules.push({
      alert: 'OpenChoreoScheduledRunFailed',
      expr: `max(kube_job_status_failed{${ns},job_name=~"${c.workloadName}-[0-9]+"}) > 0`,
      labels: { ...labels, severity: 'warning' },
      annotations: { summary: `A run of ${where} failed`, description: `A Job of CronJob ${c.workloadName} has failed pods.` },
    });
  } else {
    const deployment = `${ns},deployment="${c.workloadName}"`;
    rules.push({
      alert: 'OpenChoreoReplicasUnavailable',
      expr: `kube_deployment_status_replicas_available{${deployment}} < kube_deployment_spec_replicas{${deployment}}`,
      for: '15m',
      labels: { ...labels, severity: 'warning' },
      annotations: { summary: `${where} runs fewer replicas than wanted`, description: `Deployment ${c.workloadName} has had unavailable replicas for 15 minutes.` },
    });
  }
  return { name: `${c.name}.health`, rules };
}

/** Formats a threshold without floating-point noise. */
const num = (x: number) => String(Number(x.toPrecision(10)));

function sloGroups(cell: Cell, c: PlanComponent, services: PlanObservabilityServices) {
  const slo = c.observability.slo;
  if (!slo) return [];
  const queries = componentQueries(cell, c, services);
  const labels = alertLabels(cell, c);
  const sel = `{openchoreo_namespace="${cell.organization}",openchoreo_project="${cell.project}",openchoreo_component="${c.name}",openchoreo_environment="${cell.environment}"}`;
  const where = `${cell.project}/${c.name} in ${cell.environment}`;
  const slis = [
    {
      sli: 'errors',
      record: 'openchoreo_component:http_request_errors:ratio_rate',
      ratio: (w: string) => `${queries.errors(w)} / ${queries.requests(w)}`,
      budget: slo.errorBudget,
      alert: 'OpenChoreoAvailabilityBudgetBurn',
      what: `${num(slo.availability)}% availability`,
    },
    {
      sli: 'latency',
      record: 'openchoreo_component:http_request_slow:ratio_rate',
      ratio: (w: string) => `1 - (${queries.fasterThan(slo.latencySeconds, w)} / ${queries.requests(w)})`,
      budget: slo.latencyBudget,
      alert: 'OpenChoreoLatencyBudgetBurn',
      what: `${num(slo.latencyTarget)}% of requests under ${slo.latencyThreshold}`,
    },
  ];
  return [
    {
      name: `${c.name}.slo.rules`,
      rules: slis.flatMap(s => WINDOWS.map(w => ({ record: `${s.record}${w}`, expr: s.ratio(w), labels }))),
    },
    {
      name: `${c.name}.slo.alerts`,
      rules: slis.flatMap(s => BURN_RATES.map(b => ({
        alert: s.alert,
        expr: b.windows.map(([long, short, rate]) =>
          `(${s.record}${long}${sel} > (${num(rate)} * ${num(s.budget)}) and ${s.record}${short}${sel} > (${num(rate)} * ${num(s.budget)}))`).join(' or '),
        labels: { ...labels, severity: b.severity, slo: s.sli },
        annotations: {
          summary: `${where} burns its error budget for ${s.what}`,
          description: `${where} spends the error budget of its ${s.what} objective ${b.windows.map(([long, short, rate]) => `${num(rate)}× too fast over ${long} (and ${short})`).join(' or ')}.`,
        },
      }))),
    },
  ];
}

/**
 * The cell's OpenTelemetry Instrumentation: the collector endpoint, propagators and the settings
 * the operator gives injected agents; its init containers meet the restricted Pod Security profile.
 * @internal
 */
export function renderInstrumentation(cell: Cell, labels: Record<string, string>): any[] {
  const i = cell.instrumentation;
  if (!i) return [];
  const agentResources = { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '500m', memory: '128Mi' } };
  return [{
    apiVersion: 'opentelemetry.io/v1alpha1',
    kind: 'Instrumentation',
    metadata: { name: i.name, namespace: cell.namespace, labels },
    spec: {
      exporter: { endpoint: i.endpoint },
      propagators: ['tracecontext', 'baggage'],
      sampler: { type: 'parentbased_traceidratio', argument: '1' },
      env: [{ name: 'OTEL_EXPORTER_OTLP_PROTOCOL', value: i.protocol }],
      resource: {
        resourceAttributes: {
          'openchoreo.organization': cell.organization,
          'openchoreo.project': cell.project,
          'openchoreo.environment': cell.environment,
        },
      },
      initContainerSecurityContext: {
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
        seccompProfile: { type: 'RuntimeDefault' },
      },
      // the agents' init containers get requests and limits (the field is `resources` for Java only)
      ...Object.fromEntries(i.languages.map(l => [l, { [l === 'java' ? 'resources' : 'resourceRequirements']: agentResources }])),
    },
  }];
}
