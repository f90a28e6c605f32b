import { Cell, PlanComponent, PlanObservabilityServices } from '../resolve/plan';

/** Escapes a value for a PromQL string literal. */
const q = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/** A regular expression matching a number as Prometheus clients print `le` (`1`, `1.0`, `0.5`). @internal */
export function bucketRegex(seconds: number): string {
  const text = String(seconds).replace('.', '\\\\.');
  return Number.isInteger(seconds) ? `${text}(\\\\.0+)?` : `${text}0*`;
}

/**
 * The request metrics of a cell's components, for the data plane's source (OpenTelemetry HTTP
 * server metrics attributed by the monitors' target labels, or Hubble's httpV2 metrics by
 * workload), shared by the SLO recording rules, the alerts and the dashboards so all read the
 * same series. @internal
 */
export interface RequestMetrics {
  /** The label that tells the cell's components apart in the request series. */
  readonly componentLabel: string;
  /** The label holding the cell namespace in the request series. */
  readonly namespaceLabel: string;
  /** The selector of every request series of the cell. */
  readonly cellSelector: string;
  /** The value of componentLabel for a component. */
  componentValue(c: PlanComponent): string;
  /** The selector of a workload's request series (`workload` may be a Grafana variable). */
  workloadSelector(workload: string): string;
  /** Rate of requests over `window` matching `selector`. */
  requests(selector: string, window: string): string;
  /** Rate of failed (5xx) requests over `window`. */
  errors(selector: string, window: string): string;
  /** Rate of requests faster than `seconds` (a bucket boundary) over `window`. */
  fasterThan(selector: string, seconds: number, window: string): string;
  /** Rate of the latency histogram's buckets over `window`. */
  buckets(selector: string, window: string): string;
}

/** The request metrics of a cell. @internal */
export function requestMetrics(cell: Cell, services: PlanObservabilityServices): RequestMetrics {
  if (services.httpMetrics === 'hubble') {
    // Hubble's httpV2 metrics with workload context, counted once at the server side.
    const cellSelector = `destination_namespace=${q(cell.namespace)},reporter="server"`;
    return metrics('destination_namespace', 'destination_workload', c => c.workloadName, cellSelector, w => `${cellSelector},destination_workload=${q(w)}`,
      'hubble_http_requests_total', 'hubble_http_request_duration_seconds_bucket', 'status');
  }
  // OpenTelemetry semantic conventions, attributed by the monitors' target labels.
  // Scraped series also carry the pod: a workload's series are its pods'.
  const cellSelector = `namespace=${q(cell.namespace)}`;
  return metrics('namespace', 'openchoreo_dev_component', c => c.name, cellSelector, w => `${cellSelector},pod=~${q(`${w}-.+`)}`,
    'http_server_request_duration_seconds_count', 'http_server_request_duration_seconds_bucket', 'http_response_status_code');
}

function metrics(
  namespaceLabel: string, componentLabel: string, componentValue: (c: PlanComponent) => string, cellSelector: string,
  workloadSelector: (workload: string) => string, count: string, bucket: string, status: string,
): RequestMetrics {
  return {
    namespaceLabel,
    componentLabel,
    cellSelector,
    componentValue,
    workloadSelector,
    requests: (sel, w) => `rate(${count}{${sel}}[${w}])`,
    errors: (sel, w) => `rate(${count}{${sel},${status}=~"5.."}[${w}])`,
    fasterThan: (sel, seconds, w) => `rate(${bucket}{${sel},le=~"${bucketRegex(seconds)}"}[${w}])`,
    buckets: (sel, w) => `rate(${bucket}{${sel}}[${w}])`,
  };
}
