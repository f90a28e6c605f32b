import { Duration } from 'cdk8s';
import { flat } from './flat-string';
import { orNone, SharedValues } from './memo';
import { PlanEndpoint, PlanEnvVar, PlanObservability, PlanObservabilityServices } from './plan';
import { Component } from '../model/component';
import { kindTraits } from '../model/component-kind';
import { DataPlane } from '../model/data-plane';
import { DurationTarget, formatDuration } from '../model/duration';
import { EndpointType } from '../model/endpoint';
import { Environment } from '../model/environment';
import { ProblemCollector } from '../model/errors';
import { NetworkPolicyProvider, PodPeer } from '../model/network';
import { HttpMetrics, HttpMetricsKind, LogFormat, latencySeconds, OtlpProtocol, SloOptions, Tracing, TracingMode } from '../model/observability';

/** A data plane's observability services, defaults applied. @internal */
export interface ObservabilitySettings extends PlanObservabilityServices {
  readonly prometheusPods: PodPeer;
  readonly collector: { readonly host: string; readonly port: number; readonly protocol: OtlpProtocol; readonly pods: PodPeer };
  readonly buckets: number[];
  readonly defaultTracing?: Tracing;
  /** The OTEL_* variables that are the same for every component of the data plane (shared by them). */
  readonly telemetry: { readonly endpoint: PlanEnvVar; readonly protocol: PlanEnvVar; readonly samplerArgs: Map<number, PlanEnvVar> };
}

const PROPAGATORS: PlanEnvVar = Object.freeze({ name: 'OTEL_PROPAGATORS', value: 'tracecontext,baggage' });
const SAMPLER: PlanEnvVar = Object.freeze({ name: 'OTEL_TRACES_SAMPLER', value: 'parentbased_traceidratio' });

/** Applies the defaults (kube-prometheus-stack, OpenChoreo's collector) to a data plane's settings. @internal */
export function observabilitySettings(dp: DataPlane, problems: ProblemCollector): ObservabilitySettings {
  const o = dp.observability;
  const protocol = o.collector?.protocol ?? OtlpProtocol.HTTP_PROTOBUF;
  const httpMetrics = o.httpMetrics?._kind ?? HttpMetricsKind.OPENTELEMETRY;
  if (httpMetrics === HttpMetricsKind.HUBBLE && dp.networkPolicyProvider !== NetworkPolicyProvider.CILIUM) {
    problems.add(dp, `data plane '${dp.name}' reads request metrics from Hubble, which needs the Cilium back-end, but its networkPolicyProvider is '${dp.networkPolicyProvider}'`,
      'use NetworkPolicyProvider.CILIUM, or HttpMetrics.openTelemetry()');
  }
  const collector = {
    host: o.collector?.host ?? 'opentelemetry-collector.openchoreo-observability-plane.svc.cluster.local',
    port: o.collector?.port ?? (protocol === OtlpProtocol.GRPC ? 4317 : 4318),
    protocol,
    pods: o.collector?.pods ?? { namespace: 'openchoreo-observability-plane', labels: { 'app.kubernetes.io/name': 'opentelemetry-collector' } },
  };
  return {
    selectorLabels: { ...(o.prometheus?.selectorLabels ?? { release: 'kube-prometheus-stack' }) },
    prometheusPods: o.prometheus?.pods ?? { namespace: 'monitoring', labels: { 'app.kubernetes.io/name': 'prometheus' } },
    collector,
    grafana: {
      namespace: o.grafana?.namespace ?? 'monitoring',
      dashboardLabels: { ...(o.grafana?.dashboardLabels ?? { grafana_dashboard: '1' }) },
      folderAnnotation: o.grafana?.folderAnnotation ?? 'grafana_folder',
    },
    httpMetrics,
    buckets: o.httpMetrics?._buckets ?? HttpMetrics.openTelemetry()._buckets,
    defaultTracing: o.defaultTracing,
    telemetry: {
      endpoint: { name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: `http://${collector.host}:${collector.port}` },
      protocol: { name: 'OTEL_EXPORTER_OTLP_PROTOCOL', value: collector.protocol },
      samplerArgs: new Map(),
    },
  };
}

/** Where a component runs: what its telemetry is attributed to. @internal */
export interface ObservabilityContext {
  readonly organization: string;
  readonly project: string;
  readonly namespace: string;
  readonly endpoints: PlanEndpoint[];
  readonly settings: ObservabilitySettings;
  /** Values many components resolve to alike (tracing settings, SLOs). */
  readonly shared: SharedValues;
}

const HTTP_LIKE = new Set([EndpointType.HTTP, EndpointType.GRAPHQL, EndpointType.WEBSOCKET]);
const DEFAULT_SLO: Required<Omit<SloOptions, 'alerts'>> = { availability: 99.5, latencyThreshold: Duration.millis(500), latencyTarget: 99 };

/** Formats a computed ratio without floating-point noise (1 - 99.5/100 = 0.005). */
const ratio = (percent: number) => Number(((100 - percent) / 100).toPrecision(10));

/**
 * A component's metrics endpoint, tracing, SLOs and log format in one environment, and the
 * OTEL_* variables that point its SDK or agent at the data plane's collector. @internal
 */
export function resolveObservability(
  c: Component, env: Environment, ctx: ObservabilityContext, problems: ProblemCollector,
): { observability: PlanObservability; telemetryEnv: PlanEnvVar[] } {
  const p = c._props;
  const o = c._overrides.get(env) ?? {};
  const s = ctx.settings;

  let metrics: PlanObservability['metrics'];
  if (p.metrics) {
    const podScraped = kindTraits(c.kind).podScraped;
    const path = p.metrics.path ?? '/metrics';
    if (podScraped) {
      metrics = { monitor: 'PodMonitor', portName: 'metrics', containerPort: p.metrics.port, ownContainerPort: true, path, interval: p.metrics.interval && formatDuration(p.metrics.interval, DurationTarget.PROMETHEUS) };
    } else {
      const ep = ctx.endpoints.find(e => e.port === p.metrics!.port && e.protocol === 'TCP');
      if (!ep) {
        problems.add(c, `metrics port ${p.metrics.port} is not an endpoint of component '${c.name}' (a ServiceMonitor scrapes it through the Service)`,
          `add an endpoint on port ${p.metrics.port}, e.g. addEndpoint('metrics', { port: ${p.metrics.port} }), or use one of its TCP endpoint ports: ${ctx.endpoints.filter(e => e.protocol === 'TCP').map(e => e.port).join(', ') || '(none)'}`);
      } else {
        metrics = { monitor: 'ServiceMonitor', portName: ep.portName, containerPort: ep.targetPort, ownContainerPort: false, path, interval: p.metrics.interval && formatDuration(p.metrics.interval, DurationTarget.PROMETHEUS) };
      }
    }
  }

  const tracingDecl = o.tracing ?? p.tracing ?? s.defaultTracing;
  const mode = tracingDecl?._mode ?? TracingMode.SDK;
  const samplingRatio = tracingDecl?._samplingRatio ?? (env.isProduction ? 0.1 : 1);
  const tracing: PlanObservability['tracing'] = mode === TracingMode.NONE ? undefined
    : ctx.shared.get(`tracing ${mode} ${tracingDecl?._language} ${samplingRatio} ${s.collector.port}`, () => ({
      mode: mode === TracingMode.AUTO ? 'auto' as const : 'sdk' as const,
      language: tracingDecl?._language,
      samplingRatio,
      collectorPort: s.collector.port,
    }));

  const sloDecl: SloOptions = { ...(p.slo ?? {}), ...(o.slo ?? {}) };
  const declared = p.slo !== undefined || (o.slo !== undefined && Object.keys(o.slo).length > 0);
  const http = ctx.endpoints.filter(e => HTTP_LIKE.has(e.type));
  // A metrics port that is not an endpoint is reported above: not again as "nothing measures the requests".
  const measured = s.httpMetrics === HttpMetricsKind.HUBBLE || p.metrics !== undefined;
  let slo: PlanObservability['slo'];
  let sloMissing: string | undefined;
  if (http.length === 0) {
    if (declared && sloDecl.alerts !== false) {
      problems.add(c, `slo is set on component '${c.name}', which has no HTTP, GraphQL or Websocket endpoint to measure`, 'remove slo, or add the HTTP endpoint it applies to');
    }
  } else if (sloDecl.alerts === false) {
    sloMissing = 'SLO alerts switched off';
  } else if (!measured) {
    sloMissing = 'no request metrics (declare metrics, or read Hubble metrics on the data plane)';
    if (declared) {
      problems.add(c, `slo is set on component '${c.name}' in '${env.name}', but nothing measures its requests: it has no metrics endpoint and data plane '${env.dataPlane.name}' reads OpenTelemetry metrics`,
        "declare metrics: { port } for the component's HTTP server metrics, or set observability.httpMetrics: HttpMetrics.hubble() on the data plane", { environment: env.name });
    }
  } else {
    const availability = sloDecl.availability ?? DEFAULT_SLO.availability;
    const latencyThreshold = formatDuration(sloDecl.latencyThreshold ?? DEFAULT_SLO.latencyThreshold, DurationTarget.GATEWAY);
    const latencyTarget = sloDecl.latencyTarget ?? DEFAULT_SLO.latencyTarget;
    const seconds = latencySeconds(latencyThreshold)!;
    if (!s.buckets.some(b => Math.abs(b - seconds) < 1e-9)) {
      const below = [...s.buckets].reverse().find(b => b < seconds);
      const above = s.buckets.find(b => b > seconds);
      problems.add(c, `SLO latency threshold '${latencyThreshold}' in '${env.name}' is not a bucket boundary of the request duration histogram (${s.buckets.map(b => `${b}s`).join(', ')})`,
        `use a boundary${below !== undefined ? ` such as '${Math.round(below * 1000)}ms'` : ''}${below !== undefined && above !== undefined ? ' or' : ''}${above !== undefined ? ` '${Math.round(above * 1000)}ms'` : ''}, or configure the histogram's buckets with HttpMetrics`, { environment: env.name });
    }
    slo = ctx.shared.get(`slo ${availability} ${latencyThreshold} ${latencyTarget}`, () => ({
      errorBudget: ratio(availability), availability, latencySeconds: seconds, latencyThreshold, latencyBudget: ratio(latencyTarget), latencyTarget,
    }));
  }

  const telemetryEnv: PlanEnvVar[] = [];
  if (tracing) {
    const attributes = flat(`service.namespace=${ctx.project},deployment.environment.name=${env.name},k8s.namespace.name=${ctx.namespace},`
      + `openchoreo.organization=${ctx.organization},openchoreo.project=${ctx.project},openchoreo.component=${c.name},openchoreo.environment=${env.name}`);
    let samplerArg = s.telemetry.samplerArgs.get(tracing.samplingRatio);
    if (!samplerArg) {
      samplerArg = { name: 'OTEL_TRACES_SAMPLER_ARG', value: String(tracing.samplingRatio) };
      s.telemetry.samplerArgs.set(tracing.samplingRatio, samplerArg);
    }
    telemetryEnv.push(
      s.telemetry.endpoint,
      s.telemetry.protocol,
      PROPAGATORS,
      { name: 'OTEL_RESOURCE_ATTRIBUTES', value: attributes },
      { name: 'OTEL_SERVICE_NAME', value: c.name },
      SAMPLER,
      samplerArg,
    );
  }
  return {
    observability: { metrics, tracing, slo, sloMissing, logFormat: p.logFormat === LogFormat.JSON ? 'json' : 'text' },
    telemetryEnv: orNone(telemetryEnv),
  };
}
