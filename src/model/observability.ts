import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { checkDnsLabel, checkLabels, checkPort } from './checks';
import { checkFormatDuration, DurationTarget } from './duration';
import { fail } from './errors';
import { checkBoolean, checkNumber } from './runtime-types';
import { checkNoHostCredentials } from './url-checks';

/**
 * A language whose OpenTelemetry auto-instrumentation agent the OpenTelemetry operator injects.
 * @see https://opentelemetry.io/docs/platforms/kubernetes/operator/automatic/
 */
export enum TracingLanguage {
  JAVA = 'java',
  NODEJS = 'nodejs',
  PYTHON = 'python',
  DOTNET = 'dotnet',
  /** Go: eBPF instrumentation in a privileged sidecar, which the restricted Pod Security profile forbids. */
  GO = 'go',
}

/** How a component's traces are produced. @internal */
export enum TracingMode {
  NONE = 'none',
  SDK = 'sdk',
  AUTO = 'auto',
}

/** Sampling and export settings of a component's traces. */
export interface TracingOptions {
  /**
   * Share of traces sampled (0 to 1), honouring the caller's decision (parent-based).
   * @default - 1 in non-production environments, 0.1 in production
   */
  readonly samplingRatio?: number;
}

/**
 * How a component sends traces to the data plane's OpenTelemetry collector. Both modes set the
 * `OTEL_*` variables (endpoint, service name, resource attributes naming the organization,
 * project, component and environment, sampler); auto-instrumentation also asks the OpenTelemetry
 * operator to inject the language's agent.
 * @see https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/
 */
export class Tracing {
  /** The application ships an OpenTelemetry SDK: only the `OTEL_*` variables are set. */
  public static sdk(options: TracingOptions = {}): Tracing {
    return new Tracing(TracingMode.SDK, undefined, options.samplingRatio);
  }

  /** The OpenTelemetry operator injects the language's agent (an Instrumentation per cell). */
  public static autoInstrument(language: TracingLanguage, options: TracingOptions = {}): Tracing {
    return new Tracing(TracingMode.AUTO, language, options.samplingRatio);
  }

  /** No tracing: no `OTEL_*` variables and no path to the collector. */
  public static none(): Tracing {
    return new Tracing(TracingMode.NONE, undefined, undefined);
  }

  private constructor(
    /** @internal */ public readonly _mode: TracingMode,
    /** @internal */ public readonly _language?: TracingLanguage,
    /** @internal */ public readonly _samplingRatio?: number,
  ) {}
}

/**
 * A component's Prometheus metrics endpoint.
 * @see https://prometheus-operator.dev/docs/developer/getting-started/
 */
export interface MetricsOptions {
  /**
   * The port metrics are served on: for Services and web applications the port of one of their
   * endpoints (a ServiceMonitor scrapes it through the Service); for workers and scheduled tasks
   * a container port of its own (a PodMonitor scrapes the pods).
   */
  readonly port: number;
  /**
   * The HTTP path.
   * @default '/metrics'
   */
  readonly path?: string;
  /**
   * Scrape interval, e.g. `Duration.seconds(30)`.
   * @default - Prometheus' global interval
   */
  readonly interval?: Duration;
}

/**
 * Service level objectives of a component's HTTP endpoints, alerted on with multi-window,
 * multi-burn-rate rules (page at 14.4× over 1h and 6× over 6h, ticket at 3× over 1d and 1× over 3d).
 * @see https://sre.google/workbook/alerting-on-slos/
 */
export interface SloOptions {
  /**
   * Percentage of requests that must not fail with a 5xx status, e.g. 99.9.
   * @default 99.5
   */
  readonly availability?: number;
  /**
   * The latency a request should stay under, e.g. `Duration.millis(500)`: a bucket boundary of the
   * request duration histogram, in milliseconds or seconds.
   * @default Duration.millis(500)
   */
  readonly latencyThreshold?: Duration;
  /**
   * Percentage of requests that must be faster than latencyThreshold, e.g. 99.
   * @default 99
   */
  readonly latencyTarget?: number;
  /**
   * Whether the SLO alerts are rendered.
   * @default true
   */
  readonly alerts?: boolean;
}

/** How a component writes its logs. */
export enum LogFormat {
  /** Plain text lines. */
  TEXT = 'text',
  /** One JSON object per line: the log pipeline parses the fields (Fluent Bit's `fluentbit.io/parser` annotation). */
  JSON = 'json',
}

/** The OpenTelemetry collector OTLP protocol. */
export enum OtlpProtocol {
  /** OTLP over HTTP with protobuf (port 4318). */
  HTTP_PROTOBUF = 'http/protobuf',
  /** OTLP over gRPC (port 4317). */
  GRPC = 'grpc',
}

/** Pods outside the cells that the policies name by namespace and labels. */
export interface ObservabilityPods {
  /** Their namespace. */
  readonly namespace: string;
  /** Labels selecting them. */
  readonly labels: { [key: string]: string };
}

/** The data plane's Prometheus (kube-prometheus-stack conventions by default). */
export interface PrometheusOptions {
  /**
   * The Prometheus pods (allowed to scrape metrics ports).
   * @default - pods labelled `app.kubernetes.io/name: prometheus` in namespace `monitoring`
   */
  readonly pods?: ObservabilityPods;
  /**
   * Labels ServiceMonitors, PodMonitors and PrometheusRules carry so that Prometheus selects them.
   * @default { release: 'kube-prometheus-stack' }
   */
  readonly selectorLabels?: { [key: string]: string };
}

/** The data plane's OpenTelemetry collector. */
export interface CollectorOptions {
  /**
   * Its Service's DNS name.
   * @default 'opentelemetry-collector.openchoreo-observability-plane.svc.cluster.local'
   */
  readonly host?: string;
  /**
   * The OTLP protocol components use.
   * @default OtlpProtocol.HTTP_PROTOBUF
   */
  readonly protocol?: OtlpProtocol;
  /**
   * The OTLP port.
   * @default - 4318 for HTTP, 4317 for gRPC
   */
  readonly port?: number;
  /**
   * The collector pods (allowed as telemetry destination).
   * @default - pods labelled `app.kubernetes.io/name: opentelemetry-collector` in namespace `openchoreo-observability-plane`
   */
  readonly pods?: ObservabilityPods;
}

/** The data plane's Grafana, which loads dashboards from labelled ConfigMaps. */
export interface GrafanaOptions {
  /**
   * Namespace the dashboard ConfigMaps are written to (the one Grafana's sidecar watches).
   * @default 'monitoring'
   */
  readonly namespace?: string;
  /**
   * Labels the sidecar selects dashboard ConfigMaps by.
   * @default { grafana_dashboard: '1' }
   */
  readonly dashboardLabels?: { [key: string]: string };
  /**
   * Annotation naming the Grafana folder of a dashboard.
   * @default 'grafana_folder'
   */
  readonly folderAnnotation?: string;
}

/** Which request metrics SLO alerts and dashboards read. @internal */
export enum HttpMetricsKind {
  OPENTELEMETRY = 'opentelemetry',
  HUBBLE = 'hubble',
}

/** OpenTelemetry's advisory buckets for `http.server.request.duration`, in seconds. */
const OTEL_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

/**
 * The HTTP request metrics behind SLO alerts and dashboard panels.
 */
export class HttpMetrics {
  /**
   * The applications' own HTTP server metrics under OpenTelemetry's semantic conventions
   * (`http_server_request_duration_seconds`, label `http_response_status_code`), scraped from their
   * metrics endpoints. Components without a metrics endpoint get no SLO alerts.
   * @param buckets the histogram's bucket boundaries in seconds (default: OpenTelemetry's advisory buckets)
   * @see https://opentelemetry.io/docs/specs/semconv/http/http-metrics/
   */
  public static openTelemetry(buckets?: number[]): HttpMetrics {
    return new HttpMetrics(HttpMetricsKind.OPENTELEMETRY, buckets ?? OTEL_BUCKETS);
  }

  /**
   * Cilium Hubble's L7 metrics (`hubble_http_requests_total`, `hubble_http_request_duration_seconds`
   * with workload context): every HTTP endpoint is measured without instrumentation. Ingress rules
   * of HTTP-like endpoints get L7 visibility (`rules.http: [{}]`). Needs the Cilium back-end and
   * Hubble's `httpV2` metrics with `destinationContext=workload-name` and `labelsContext` naming the
   * destination namespace and workload.
   * @param buckets the histogram's bucket boundaries in seconds (default: Hubble's)
   * @see https://docs.cilium.io/en/stable/observability/metrics/#http
   */
  public static hubble(buckets?: number[]): HttpMetrics {
    return new HttpMetrics(HttpMetricsKind.HUBBLE, buckets ?? [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]);
  }

  private constructor(
    /** @internal */ public readonly _kind: HttpMetricsKind,
    /** @internal */ public readonly _buckets: number[],
  ) {}
}

/**
 * A data plane's observability services: where metrics, traces and dashboards go.
 * @see https://openchoreo.dev/docs/concepts/platform-abstractions/observability-plane/
 */
export interface ObservabilityOptions {
  /**
   * Prometheus.
   * @default - kube-prometheus-stack conventions
   */
  readonly prometheus?: PrometheusOptions;
  /**
   * The OpenTelemetry collector.
   * @default - OpenChoreo's observability plane collector
   */
  readonly collector?: CollectorOptions;
  /**
   * Grafana.
   * @default - kube-prometheus-stack conventions
   */
  readonly grafana?: GrafanaOptions;
  /**
   * The request metrics behind SLO alerts and dashboards.
   * @default HttpMetrics.openTelemetry()
   */
  readonly httpMetrics?: HttpMetrics;
  /**
   * Tracing of components that declare none (e.g. `Tracing.none()` on a cluster without a collector).
   * @default Tracing.sdk()
   */
  readonly defaultTracing?: Tracing;
}

const HOSTNAME = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const MS = /^([0-9]+)(ms|s)$/;

/** Validates a data plane's observability settings. @internal */
export function checkObservabilityOptions(scope: IConstruct, o: ObservabilityOptions): void {
  for (const [what, pods] of [['prometheus.pods', o.prometheus?.pods], ['collector.pods', o.collector?.pods]] as const) {
    if (!pods) continue;
    checkDnsLabel(scope, `observability.${what}.namespace`, pods.namespace);
    if (Object.keys(pods.labels ?? {}).length === 0) {
      fail(scope, `observability.${what} selects pods by no label`, 'give at least one label that identifies those pods (an empty selector would match every pod of the namespace)');
    }
    checkLabels(scope, `observability.${what}.labels`, pods.labels);
  }
  if (o.prometheus?.selectorLabels) checkLabels(scope, 'observability.prometheus.selectorLabels', o.prometheus.selectorLabels);
  const c = o.collector;
  if (c) {
    checkNoHostCredentials(scope, 'observability.collector.host', c.host, 'the collector is reached inside the cluster without credentials');
    if (c.host !== undefined && !HOSTNAME.test(c.host)) {
      fail(scope, `observability.collector.host '${c.host}' is not a DNS name`, "give the collector Service's DNS name, e.g. 'otel-collector.observability.svc.cluster.local'");
    }
    if (c.protocol !== undefined && !Object.values(OtlpProtocol).includes(c.protocol)) {
      fail(scope, `observability.collector.protocol '${c.protocol}' is unknown`, 'use OtlpProtocol.HTTP_PROTOBUF or OtlpProtocol.GRPC');
    }
    if (c.port !== undefined) checkPort(scope, 'observability.collector.port', c.port);
  }
  const g = o.grafana;
  if (g) {
    if (g.namespace !== undefined) checkDnsLabel(scope, 'observability.grafana.namespace', g.namespace);
    if (g.dashboardLabels) checkLabels(scope, 'observability.grafana.dashboardLabels', g.dashboardLabels);
    if (g.folderAnnotation !== undefined) checkLabels(scope, 'observability.grafana.folderAnnotation', { [g.folderAnnotation]: 'x' });
  }
  checkTracing(scope, 'observability.defaultTracing', o.defaultTracing);
  if (o.httpMetrics !== undefined) {
    if (!(o.httpMetrics instanceof HttpMetrics)) fail(scope, 'observability.httpMetrics is not an HttpMetrics', 'use HttpMetrics.openTelemetry() or HttpMetrics.hubble()');
    const b = o.httpMetrics._buckets;
    if (b.length === 0 || b.some((x, i) => !(x > 0) || (i > 0 && x <= b[i - 1]))) {
      fail(scope, `observability.httpMetrics buckets [${b.join(', ')}] are not increasing positive boundaries`, 'list the histogram\'s bucket boundaries in seconds, smallest first');
    }
  }
}

/** Validates a component's metrics endpoint (ports against endpoints are checked at resolution). @internal */
export function checkMetrics(scope: IConstruct, m: MetricsOptions | undefined): void {
  if (!m) return;
  checkPort(scope, 'metrics.port', m.port);
  if (m.path !== undefined && !/^\/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*$/.test(m.path)) {
    fail(scope, `metrics.path '${m.path}' is not an absolute URL path`, "use a path such as '/metrics'");
  }
  checkFormatDuration(scope, 'metrics.interval', m.interval, DurationTarget.PROMETHEUS, 'Duration.seconds(30)');
}

/** Validates tracing settings. @internal */
export function checkTracing(scope: IConstruct, what: string, t: Tracing | undefined): void {
  if (t === undefined) return;
  if (!(t instanceof Tracing)) fail(scope, `${what} is not a Tracing`, 'use Tracing.sdk(), Tracing.autoInstrument(language) or Tracing.none()');
  if (t._language !== undefined && !Object.values(TracingLanguage).includes(t._language)) {
    fail(scope, `${what}: auto-instrumentation language '${t._language}' is unknown`, `use one of ${Object.keys(TracingLanguage).map(k => `TracingLanguage.${k}`).join(', ')}`);
  }
  if (t._language === TracingLanguage.GO) {
    fail(scope, `${what}: Go auto-instrumentation runs a privileged eBPF sidecar, which the restricted Pod Security profile of the cells forbids`,
      'instrument the Go service with the OpenTelemetry SDK and use Tracing.sdk()');
  }
  checkNumber(scope, `${what}: samplingRatio`, t._samplingRatio);
  if (t._samplingRatio !== undefined && !(t._samplingRatio >= 0 && t._samplingRatio <= 1)) {
    fail(scope, `${what}: samplingRatio ${t._samplingRatio} is not between 0 and 1`, 'give the share of traces to keep, e.g. 0.1 for 10%');
  }
}

/** The threshold in seconds of a latency such as `500ms` or `1s`, or undefined when it is not one. @internal */
export function latencySeconds(value: string): number | undefined {
  const m = MS.exec(value);
  if (!m) return undefined;
  return m[2] === 'ms' ? Number(m[1]) / 1000 : Number(m[1]);
}

/** Validates SLO settings (the latency bucket is checked against the data plane at resolution). @internal */
export function checkSlo(scope: IConstruct, what: string, s: SloOptions | undefined): void {
  if (!s) return;
  checkBoolean(scope, `${what}.alerts`, s.alerts);
  for (const [field, value] of [['availability', s.availability], ['latencyTarget', s.latencyTarget]] as const) {
    checkNumber(scope, `${what}.${field}`, value);
    if (value !== undefined && !(value > 0 && value < 100)) {
      fail(scope, `${what}.${field} ${value} is not a percentage between 0 and 100 (exclusive)`, 'give an objective such as 99.9; 100 leaves no error budget to alert on');
    }
  }
  const threshold = checkFormatDuration(scope, `${what}.latencyThreshold`, s.latencyThreshold, DurationTarget.GATEWAY, 'Duration.millis(250)');
  if (threshold !== undefined && latencySeconds(threshold) === undefined) {
    fail(scope, `${what}.latencyThreshold '${threshold}' is not a latency`, 'use milliseconds or seconds, such as Duration.millis(250) or Duration.seconds(1)');
  }
}
