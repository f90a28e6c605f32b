import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { checkLabels } from './checks';
import { checkWholeSeconds } from './duration';
import { fail } from './errors';
import { checkPlacement, Placement } from './placement';
import { checkProbes, Probes } from './probe';

/** What runs in the container before it is sent SIGTERM. */
export enum PreStopType {
  /** Wait a while (rendered as `sleep <seconds>`: the image needs a `sleep` binary). */
  SLEEP = 'sleep',
  /** Run a command. */
  EXEC = 'exec',
  /** Nothing: SIGTERM at once. */
  NONE = 'none',
}

/**
 * A preStop hook of the main container. It runs when the pod starts terminating, before SIGTERM,
 * and counts against the termination grace period.
 * @see https://kubernetes.io/docs/concepts/containers/container-lifecycle-hooks/
 */
export class PreStop {
  /**
   * Wait `duration` before SIGTERM, so load balancers stop routing to the pod first. Kubernetes
   * 1.28 has no sleep action: this runs `sleep <seconds>` in the container (an image without a
   * `sleep` binary fails the hook and the pod gets SIGTERM at once; use exec or none then).
   */
  public static sleep(duration: Duration): PreStop {
    return new PreStop(PreStopType.SLEEP, duration);
  }
  /** Run `command` in the container (e.g. a graceful drain script). */
  public static exec(command: string[]): PreStop {
    return new PreStop(PreStopType.EXEC, undefined, command);
  }
  /** No hook, not even the gateway drain delay. */
  public static none(): PreStop {
    return new PreStop(PreStopType.NONE);
  }
  private constructor(
    /** The hook's type. */
    public readonly type: PreStopType,
    /** How long a SLEEP hook waits. */
    public readonly duration?: Duration,
    /** The command of an EXEC hook. */
    public readonly command?: string[],
  ) {}
}

/**
 * Settings of a component's pods that every kind accepts and an environment may override:
 * probes, placement, graceful shutdown, and labels and annotations of the user's own.
 */
export interface PodSettings {
  /**
   * Readiness, liveness and startup probes of the main container (Deployment-backed components).
   * An environment override replaces the probes it names.
   * @default - none
   */
  readonly probes?: Probes;
  /**
   * Node selector, tolerations, node label requirements and priority class, merged over the
   * environment's and the data plane's placement.
   * @default - the environment's and data plane's placement
   */
  readonly placement?: Placement;
  /**
   * Time between SIGTERM (after the preStop hook starts) and SIGKILL.
   * @default Duration.seconds(30)
   */
  readonly terminationGracePeriod?: Duration;
  /**
   * The preStop hook.
   * @default - PreStop.sleep(Duration.seconds(10)) where the component is routed by a gateway in
   * the environment (Envoy stops sending it requests before it exits), none elsewhere
   */
  readonly preStop?: PreStop;
  /**
   * Labels of the user's own, on the workload and its pods (not in the selector). The
   * `openchoreo.dev` domain and the library's own keys are reserved.
   * @default - none
   */
  readonly labels?: { [key: string]: string };
  /**
   * Annotations of the user's own, on the workload and its pods. The `openchoreo.dev` domain and
   * the library's own keys are reserved.
   * @default - none
   */
  readonly annotations?: { [key: string]: string };
}

/** The drain delay of gateway-routed components, in seconds. @internal */
export const GATEWAY_DRAIN_SECONDS = 10;

/** Keys the library writes itself (besides the openchoreo.dev domain). */
const RESERVED_KEYS = ['app.kubernetes.io/managed-by', 'fluentbit.io/parser', 'pod-template-hash'];
const RESERVED_PREFIXES = ['instrumentation.opentelemetry.io/', 'pod-security.kubernetes.io/'];

/** Whether a label or annotation key is the library's (openchoreo.dev domain or a key it sets). @internal */
export function isReservedKey(key: string): boolean {
  const slash = key.lastIndexOf('/');
  const domain = slash < 0 ? '' : key.slice(0, slash);
  return domain === 'openchoreo.dev' || domain.endsWith('.openchoreo.dev')
    || RESERVED_KEYS.includes(key) || RESERVED_PREFIXES.some(p => key.startsWith(p));
}

/** Validates pod settings at construction; `where` prefixes the field names (e.g. "overrides for 'production': "). @internal */
export function checkPodSettings(scope: IConstruct, where: string, s: PodSettings): void {
  checkProbes(scope, where, s.probes);
  checkPlacement(scope, where, s.placement);
  const grace = checkWholeSeconds(scope, `${where}terminationGracePeriod`, s.terminationGracePeriod, 0, 86400);
  const h = s.preStop;
  if (h !== undefined) {
    if (!(h instanceof PreStop)) fail(scope, `${where}preStop is not a PreStop`, 'use PreStop.sleep(Duration.seconds(n)), PreStop.exec([...]) or PreStop.none()');
    if (h.type === PreStopType.EXEC && (!Array.isArray(h.command) || h.command.length === 0 || h.command.some(c => typeof c !== 'string' || c.length === 0))) {
      fail(scope, `${where}preStop has an empty command ${JSON.stringify(h.command)}`, "give the command and its arguments, e.g. PreStop.exec(['/bin/drain'])");
    }
    const sleep = h.type === PreStopType.SLEEP ? checkWholeSeconds(scope, `${where}preStop sleep`, h.duration ?? Duration.seconds(0), 1, 3600)! : undefined;
    if (sleep !== undefined && grace !== undefined && sleep >= grace) {
      fail(scope, `${where}preStop sleeps ${sleep}s, not less than terminationGracePeriod ${grace}s, so the container would be killed before it sees SIGTERM`,
        `lengthen terminationGracePeriod beyond ${sleep}s (e.g. Duration.seconds(${sleep + 30})) or shorten the sleep`);
    }
  }
  checkUserMetadata(scope, `${where}labels`, s.labels, true);
  checkUserMetadata(scope, `${where}annotations`, s.annotations, false);
}

function checkUserMetadata(scope: IConstruct, what: string, values: { [key: string]: string } | undefined, isLabel: boolean): void {
  for (const [key, value] of Object.entries(values ?? {})) {
    if (isReservedKey(key)) {
      fail(scope, `${what} key '${key}' is reserved for the library`, "use a key of your own domain (e.g. 'acme.example/team'); the openchoreo.dev domain and the keys the library sets are reserved");
    }
    if (isLabel) {
      checkLabels(scope, what, { [key]: value });
    } else {
      checkLabels(scope, what, { [key]: '' });
      if (typeof value !== 'string') fail(scope, `${what} value of '${key}' is not a string: ${JSON.stringify(value)}`, 'quote the value as a string');
    }
  }
}
