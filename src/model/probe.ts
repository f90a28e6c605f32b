import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { checkNonEmpty } from './checks';
import { checkWholeSeconds } from './duration';
import { fail } from './errors';

/** How the kubelet checks a container. */
export enum ProbeType {
  /** An HTTP GET; 200-399 is healthy. */
  HTTP = 'http',
  /** The gRPC health-checking protocol (`grpc.health.v1.Health/Check`). */
  GRPC = 'grpc',
  /** A TCP connection that opens. */
  TCP = 'tcp',
  /** A command run inside the container; exit code 0 is healthy. */
  EXEC = 'exec',
}

/** The scheme of an HTTP probe. */
export enum ProbeScheme {
  /** Plain HTTP. */
  HTTP = 'HTTP',
  /** HTTPS, without certificate verification (as the kubelet does it). */
  HTTPS = 'HTTPS',
}

/**
 * When and how often a probe runs, and how many results change the container's state.
 * @see https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/#configure-probes
 */
export interface ProbeTimings {
  /**
   * Wait after the container starts before the first probe.
   * @default Duration.seconds(0)
   */
  readonly initialDelay?: Duration;
  /**
   * Time between probes (whole seconds, at least 1).
   * @default Duration.seconds(10)
   */
  readonly period?: Duration;
  /**
   * Time after which one probe counts as failed (whole seconds, at least 1, at most `period`).
   * @default Duration.seconds(1)
   */
  readonly timeout?: Duration;
  /**
   * Consecutive failures after which the container is unready (readiness), restarted (liveness,
   * startup).
   * @default 3
   */
  readonly failureThreshold?: number;
  /**
   * Consecutive successes after a failure for the container to count as healthy again (readiness
   * only: liveness and startup probes need 1).
   * @default 1
   */
  readonly successThreshold?: number;
}

/** Where a network probe connects: give exactly one of `endpoint` or `port`. */
export interface ProbeTarget {
  /**
   * The name of one of the component's endpoints; the probe uses its container port.
   * @default - `port` must be set
   */
  readonly endpoint?: string;
  /**
   * A container port of the component (an endpoint's `targetPort` or the metrics port).
   * @default - `endpoint` must be set
   */
  readonly port?: number;
}

/** An HTTP GET probe. */
export interface HttpProbeOptions extends ProbeTarget, ProbeTimings {
  /**
   * The request path.
   * @default '/'
   */
  readonly path?: string;
  /**
   * HTTP or HTTPS.
   * @default ProbeScheme.HTTP
   */
  readonly scheme?: ProbeScheme;
  /**
   * Request headers (no secrets: they are visible in the workload).
   * @default - none
   */
  readonly headers?: { [name: string]: string };
}

/** A gRPC health-check probe (Kubernetes 1.27+; the port is numeric, as gRPC probes require). */
export interface GrpcProbeOptions extends ProbeTarget, ProbeTimings {
  /**
   * The service name sent in the health-check request.
   * @default - '' (the server's overall health)
   */
  readonly service?: string;
}

/** A TCP probe. */
export interface TcpProbeOptions extends ProbeTarget, ProbeTimings {}

/**
 * A health probe of the main container. The kubelet sends network probes to the pod IP from its
 * node; probes never name another host (the `host` field is an SSRF vector and not offered).
 * @see https://kubernetes.io/docs/concepts/configuration/liveness-readiness-startup-probes/
 */
export class Probe {
  /** An HTTP GET against `path` on an endpoint's or a container port. */
  public static http(options: HttpProbeOptions): Probe {
    return new Probe(ProbeType.HTTP, options, options);
  }
  /** A gRPC health check against an endpoint's or a container port. */
  public static grpc(options: GrpcProbeOptions): Probe {
    return new Probe(ProbeType.GRPC, options, options);
  }
  /** A TCP connection to an endpoint's or a container port. */
  public static tcp(options: TcpProbeOptions): Probe {
    return new Probe(ProbeType.TCP, options, options);
  }
  /** A command run in the container (no network traffic; a command that calls out needs egress). */
  public static exec(command: string[], timings: ProbeTimings = {}): Probe {
    return new Probe(ProbeType.EXEC, {}, timings, command);
  }

  /** Network target and HTTP/gRPC details. @internal */
  public readonly _options: HttpProbeOptions & GrpcProbeOptions;

  private constructor(
    /** How the probe checks the container. */
    public readonly type: ProbeType,
    options: HttpProbeOptions & GrpcProbeOptions,
    /** Its timings. */
    public readonly timings: ProbeTimings,
    /** The command (exec probes). */
    public readonly command?: string[],
  ) {
    this._options = options;
  }
}

/** The probes of a component's main container. */
export interface Probes {
  /**
   * Whether the pod receives traffic (Service endpoints, gateway routes).
   * @default - none: the pod receives traffic as soon as it starts
   */
  readonly readiness?: Probe;
  /**
   * Whether the container is restarted. Must not be more eager than readiness.
   * @default - none
   */
  readonly liveness?: Probe;
  /**
   * Holds off the other probes until the container has started (slow starts).
   * @default - none
   */
  readonly startup?: Probe;
}

/** The probe kinds, in output order. @internal */
export const PROBE_KINDS = ['startup', 'readiness', 'liveness'] as const;

const HTTP_PATH = /^\/[A-Za-z0-9._~!$&'()*+,;=:@%/?-]*$/;
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;

/** Validates the probes a component or an override declares (ports are checked at synthesis). @internal */
export function checkProbes(scope: IConstruct, where: string, probes: Probes | undefined): void {
  if (probes === undefined) return;
  for (const kind of PROBE_KINDS) {
    const p = probes[kind];
    if (p === undefined) continue;
    const what = `${where}${kind} probe`;
    if (!(p instanceof Probe)) fail(scope, `${what} is not a Probe`, 'use Probe.http({...}), Probe.grpc({...}), Probe.tcp({...}) or Probe.exec([...])');
    checkTimings(scope, what, p.timings, kind);
    if (p.type === ProbeType.EXEC) {
      if (!Array.isArray(p.command) || p.command.length === 0 || p.command.some(s => typeof s !== 'string' || s.length === 0)) {
        fail(scope, `${what} has an empty command ${JSON.stringify(p.command)}`, "give the command and its arguments, e.g. Probe.exec(['/bin/healthcheck'])");
      }
      continue;
    }
    const o = p._options;
    if ((o.endpoint === undefined) === (o.port === undefined)) {
      fail(scope, `${what} sets ${o.endpoint === undefined ? 'neither endpoint nor port' : `both endpoint '${o.endpoint}' and port ${o.port}`}`,
        "give exactly one: endpoint: '<endpoint name>' or port: <container port>");
    }
    if (o.endpoint !== undefined) checkNonEmpty(scope, `${what} endpoint`, o.endpoint);
    if (o.port !== undefined && (!Number.isInteger(o.port) || o.port < 1 || o.port > 65535)) {
      fail(scope, `${what} port ${JSON.stringify(o.port)} is not a port number`,
        p.type === ProbeType.GRPC ? 'gRPC probes need a numeric port between 1 and 65535 (named ports are not supported), or an endpoint name' : 'use a container port between 1 and 65535, or an endpoint name');
    }
    if ('host' in (o as object)) fail(scope, `${what} sets host '${(o as any).host}'`, "remove host: probes go to the pod's own IP (another host would let the kubelet reach arbitrary addresses)");
    if (p.type === ProbeType.HTTP) {
      if (o.path !== undefined && !HTTP_PATH.test(o.path)) fail(scope, `${what} path '${o.path}' is not an absolute URL path`, "use a path such as '/healthz'");
      if (o.scheme !== undefined && !Object.values(ProbeScheme).includes(o.scheme)) fail(scope, `${what} scheme '${o.scheme}' is unknown`, 'use ProbeScheme.HTTP or ProbeScheme.HTTPS');
      for (const [name, value] of Object.entries(o.headers ?? {})) {
        if (!HEADER_NAME.test(name)) fail(scope, `${what} header name '${name}' is invalid`, "use a token such as 'X-Probe'");
        if (typeof value !== 'string' || /[\r\n]/.test(value)) fail(scope, `${what} header '${name}' has an invalid value ${JSON.stringify(value)}`, 'use a single-line string');
      }
    } else if (p.type === ProbeType.GRPC && o.service !== undefined && typeof o.service !== 'string') {
      fail(scope, `${what} service ${JSON.stringify(o.service)} is not a string`, "give the gRPC service name, e.g. 'orders.v1.Orders'");
    }
  }
}

function checkTimings(scope: IConstruct, what: string, t: ProbeTimings, kind: typeof PROBE_KINDS[number]): void {
  checkWholeSeconds(scope, `${what} initialDelay`, t.initialDelay, 0, 3600);
  const period = checkWholeSeconds(scope, `${what} period`, t.period, 1, 3600) ?? 10;
  const timeout = checkWholeSeconds(scope, `${what} timeout`, t.timeout, 1, 3600) ?? 1;
  if (timeout > period) fail(scope, `${what} timeout ${timeout}s is longer than its period ${period}s`, `set timeout to at most ${period}s, or lengthen period`);
  for (const [f, v] of [['failureThreshold', t.failureThreshold], ['successThreshold', t.successThreshold]] as const) {
    if (v !== undefined && (!Number.isInteger(v) || v < 1 || v > 100)) fail(scope, `${what} ${f} ${JSON.stringify(v)} is not an integer from 1 to 100`, `set ${f} to a whole number such as 3`);
  }
  if (kind !== 'readiness' && t.successThreshold !== undefined && t.successThreshold !== 1) {
    fail(scope, `${what} successThreshold ${t.successThreshold} is not 1`, `remove successThreshold: Kubernetes requires 1 for ${kind} probes`);
  }
}
