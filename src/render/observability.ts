import { componentMetadata } from './metadata';
import { requestMetrics, RequestMetrics } from './promql';
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
const ERRORS = 'openchoreo:http_request_errors:ratio_rate';
const SLOW = 'openchoreo:http_request_slow:ratio_rate';

// A few distinct numbers (burn rates, budgets, targets) are formatted for every component's alerts: once each.
const formatted = new Map<number, string>();

/** Formats a number without floating-point noise. */
function num(x: number): string {
  let s = formatted.get(x);
  if (s === undefined) {
    s = String(Number(x.toPrecision(10)));
    if (formatted.size > 10_000) formatted.clear();
    formatted.set(x, s);
  }
  return s;
}

/** Metadata of monitoring objects: the given labels plus the ones Prometheus selects by. */
function withSelectorLabels<T extends { labels: Record<string, string> }>(metadata: T, services: PlanObservabilityServices): T {
  return { ...metadata, labels: { ...metadata.labels, ...services.selectorLabels } };
}

/** Labels of a cell's alerts (routing in Alertmanager by organization, project, …). */
function cellAlertLabels(cell: Cell) {
  return { openchoreo_namespace: cell.organization, openchoreo_project: cell.project, openchoreo_environment: cell.environment };
}

/**
 * The component's Prometheus objects: a ServiceMonitor (or a PodMonitor for workers and scheduled
 * tasks) for its metrics endpoint and, for HTTP endpoints with request metrics, a PrometheusRule
 * with multi-window burn-rate alerts on the cell's recorded SLIs ({@link renderCellRules}). @internal
 */
export function renderMonitoring(cell: Cell, c: PlanComponent, services: PlanObservabilityServices): any[] {
  const out: any[] = [];
  const m = c.observability.metrics;
  if (m) {
    const endpoint = { port: m.portName, path: m.path, scheme: 'http', ...(m.interval ? { interval: m.interval } : {}) };
    out.push(m.monitor === 'ServiceMonitor' ? {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'ServiceMonitor',
      metadata: withSelectorLabels(componentMetadata(cell, c, c.name), services),
      spec: { selector: { matchLabels: c.labels }, endpoints: [endpoint], targetLabels: TARGET_LABELS },
    } : {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PodMonitor',
      metadata: withSelectorLabels(componentMetadata(cell, c, c.name), services),
      spec: { selector: { matchLabels: c.labels }, podMetricsEndpoints: [endpoint], podTargetLabels: TARGET_LABELS },
    });
  }
  if (c.observability.slo) {
    out.push({
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: withSelectorLabels(componentMetadata(cell, c, `openchoreo-${c.name}`), services),
      spec: { groups: sloAlerts(cell, c, services) },
    });
  }
  return out;
}

/**
 * Workload-health alerts for every component of a cell: containers restarting, Deployments short
 * of replicas, failed runs of CronJobs (kube-state-metrics series, by workload).
 */
function healthGroup(cell: Cell) {
  const labels = cellAlertLabels(cell);
  const ns = `namespace="${cell.namespace}"`;
  const where = `${cell.project} in ${cell.environment}`;
  const rules: any[] = [{
    alert: 'OpenChoreoContainerRestarting',
    expr: `sum by (namespace, pod) (increase(kube_pod_container_status_restarts_total{${ns},container="main"}[1h])) > 2`,
    for: '15m',
    labels: { ...labels, severity: 'warning' },
    annotations: { summary: `Pod {{ $labels.pod }} of ${where} keeps restarting`, description: 'Its main container restarted more than twice in the last hour.' },
  }];
  if (cell.components.some(c => !c.schedule)) {
    rules.push({
      alert: 'OpenChoreoReplicasUnavailable',
      expr: `kube_deployment_status_replicas_available{${ns}} < kube_deployment_spec_replicas{${ns}}`,
      for: '15m',
      labels: { ...labels, severity: 'warning' },
      annotations: { summary: `Deployment {{ $labels.deployment }} of ${where} runs fewer replicas than wanted`, description: 'It has had unavailable replicas for 15 minutes.' },
    });
  }
  if (cell.components.some(c => c.schedule)) {
    rules.push({
      alert: 'OpenChoreoScheduledRunFailed',
      expr: `kube_job_status_failed{${ns}} > 0`,
      labels: { ...labels, severity: 'warning' },
      annotations: { summary: `Job {{ $labels.job_name }} of ${where} failed`, description: 'A run of a scheduled task has failed pods.' },
    });
  }
  return { name: 'health', rules };
}

/** The selector of one component's recorded SLIs (they keep the namespace and component labels). */
function recordedSelector(cell: Cell, c: PlanComponent, m: RequestMetrics, extra = ''): string {
  return `{${m.namespaceLabel}="${cell.namespace}",${m.componentLabel}="${m.componentValue(c)}"${extra}}`;
}

function sloAlerts(cell: Cell, c: PlanComponent, services: PlanObservabilityServices) {
  const slo = c.observability.slo;
  if (!slo) return [];
  const m = requestMetrics(cell, services);
  const labels = { ...cellAlertLabels(cell), openchoreo_component: c.name };
  const where = `${cell.project}/${c.name} in ${cell.environment}`;
  const slis = [
    { sli: 'errors', record: ERRORS, sel: recordedSelector(cell, c, m), budget: slo.errorBudget, alert: 'OpenChoreoAvailabilityBudgetBurn', what: `${num(slo.availability)}% availability` },
    {
      sli: 'latency',
      record: SLOW,
      sel: recordedSelector(cell, c, m, `,slo_threshold="${num(slo.latencySeconds)}"`),
      budget: slo.latencyBudget,
      alert: 'OpenChoreoLatencyBudgetBurn',
      what: `${num(slo.latencyTarget)}% of requests under ${slo.latencyThreshold}`,
    },
  ];
  return [{
    name: `${c.name}.slo`,
    rules: slis.flatMap(s => BURN_RATES.map(b => ({
      alert: s.alert,
      expr: b.windows.map(([long, short, rate]) =>
        `(${s.record}${long}${s.sel} > (${num(rate)} * ${num(s.budget)}) and ${s.record}${short}${s.sel} > (${num(rate)} * ${num(s.budget)}))`).join(' or '),
      labels: { ...labels, severity: b.severity, slo: s.sli },
      annotations: {
        summary: `${where} spends the error budget of ${s.what} ${b.windows.map(([long, short, rate]) => `${num(rate)}× too fast over ${long} and ${short}`).join(', or ')}`,
      },
    }))),
  }];
}

/**
 * The cell's rules: workload-health alerts for all its components and the recorded SLIs their
 * burn-rate alerts read (per window the ratio of failed requests and, per latency threshold in
 * use, of requests slower than it, each by namespace and component). One rule set per cell keeps
 * Prometheus' work and the output linear in cells, not in components × windows. @internal
 */
export function renderCellRules(cell: Cell, services: PlanObservabilityServices, labels: Record<string, string>): any[] {
  const slos = cell.components.map(c => c.observability.slo).filter((s): s is NonNullable<typeof s> => s !== undefined);
  const m = requestMetrics(cell, services);
  const by = (expr: string) => `sum by (${m.namespaceLabel}, ${m.componentLabel}) (${expr})`;
  const thresholds = [...new Set(slos.map(s => s.latencySeconds))].sort((a, b) => a - b);
  return [{
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: withSelectorLabels({ name: 'openchoreo-cell', namespace: cell.namespace, labels }, services),
    spec: {
      groups: [healthGroup(cell), ...(slos.length === 0 ? [] : [
        {
          name: 'slis.errors',
          rules: WINDOWS.map(w => ({ record: `${ERRORS}${w}`, expr: `${by(m.errors(m.cellSelector, w))} / ${by(m.requests(m.cellSelector, w))}` })),
        },
        ...thresholds.map(t => ({
          name: `slis.latency-${num(t).replace('.', '_')}s`,
          rules: WINDOWS.map(w => ({
            record: `${SLOW}${w}`,
            expr: `1 - (${by(m.fasterThan(m.cellSelector, t, w))} / ${by(m.requests(m.cellSelector, w))})`,
            labels: { slo_threshold: num(t) },
          })),
        })),
      ])],
    },
  }];
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
