import { Cell, PlanComponent, PlanObservabilityServices } from '../resolve/plan';

/**
 * PromQL for a component's request and resource metrics, shared by the SLO alerts and the
 * dashboards so both read the same series. @internal
 */
export interface ComponentQueries {
  /** CPU cores used by the main container. */
  readonly cpu: string;
  /** Memory working set of the main container. */
  readonly memory: string;
  /** Container restarts over the last hour. */
  readonly restarts: string;
  /** The selector of the component's pods in cAdvisor and kube-state-metrics series. */
  readonly pods: string;
  /** Request rate over `window`. */
  requests(window: string): string;
  /** Rate of failed (5xx) requests over `window`. */
  errors(window: string): string;
  /** Rate of requests faster than `seconds` over `window` (`seconds` is a bucket boundary). */
  fasterThan(seconds: number, window: string): string;
  /** The `q` quantile of request latency over `window`. */
  latencyQuantile(q: number, window: string): string;
}

/** Escapes a value for a PromQL string literal. */
const q = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/** A regular expression matching a number as Prometheus clients print `le` (`1`, `1.0`, `0.5`). */
export function bucketRegex(seconds: number): string {
  const text = String(seconds).replace('.', '\\\\.');
  return Number.isInteger(seconds) ? `${text}(\\\\.0+)?` : `${text}0*`;
}

/** Queries of a component in its cell, for the data plane's request-metrics source. @internal */
export function componentQueries(cell: Cell, c: PlanComponent, services: PlanObservabilityServices): ComponentQueries {
  const ns = `namespace=${q(cell.namespace)}`;
  const pods = `${ns},pod=~${q(`${c.workloadName}-.+`)}`;
  const sum = (expr: string) => `sum(${expr})`;
  let requests: (w: string, extra?: string) => string;
  let bucket: (w: string, extra: string) => string;
  if (services.httpMetrics === 'hubble') {
    // Hubble's httpV2 metrics with workload context, counted once at the server side.
    const sel = `destination_namespace=${q(cell.namespace)},destination_workload=${q(c.workloadName)},reporter="server"`;
    requests = (w, extra = '') => `rate(hubble_http_requests_total{${sel}${extra}}[${w}])`;
    bucket = (w, extra) => `rate(hubble_http_request_duration_seconds_bucket{${sel}${extra}}[${w}])`;
    return build('status');
  }
  // OpenTelemetry semantic conventions, attributed by the monitor's target labels.
  const sel = `${ns},openchoreo_dev_component=${q(c.name)}`;
  requests = (w, extra = '') => `rate(http_server_request_duration_seconds_count{${sel}${extra}}[${w}])`;
  bucket = (w, extra) => `rate(http_server_request_duration_seconds_bucket{${sel}${extra}}[${w}])`;
  return build('http_response_status_code');

  function build(statusLabel: string): ComponentQueries {
    return {
      requests: w => sum(requests(w)),
      errors: w => sum(requests(w, `,${statusLabel}=~"5.."`)),
      fasterThan: (seconds, w) => sum(bucket(w, `,le=~"${bucketRegex(seconds)}"`)),
      latencyQuantile: (quantile, w) => `histogram_quantile(${quantile}, sum by (le) (${bucket(w, '')}))`,
      cpu: sum(`rate(container_cpu_usage_seconds_total{${pods},container="main"}[5m])`),
      memory: sum(`container_memory_working_set_bytes{${pods},container="main"}`),
      restarts: sum(`increase(kube_pod_container_status_restarts_total{${pods}}[1h])`),
      pods,
    };
  }
}
