import type { SloOptions, Tracing } from './observability';
import type { PodSettings } from './pod-settings';
import type { RolloutSettings } from './rollout';

/**
 * CPU and memory for a container. Requests default to the limits when only limits are set, and
 * vice versa.
 * @see https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/
 */
export interface ResourceRequirements {
  /**
   * CPU request, e.g. `250m`.
   * @default - the environment's or organization's default (100m)
   */
  readonly cpuRequest?: string;
  /**
   * CPU limit, e.g. `1`.
   * @default - the CPU request
   */
  readonly cpuLimit?: string;
  /**
   * Memory request, e.g. `256Mi`.
   * @default - the environment's or organization's default (256Mi)
   */
  readonly memoryRequest?: string;
  /**
   * Memory limit, e.g. `512Mi`.
   * @default - the memory request
   */
  readonly memoryLimit?: string;
}

/**
 * Horizontal pod autoscaling for a Deployment-backed component.
 * @see https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/
 */
export interface AutoscalingOptions {
  /**
   * Fewest replicas.
   * @default 1
   */
  readonly minReplicas?: number;
  /** Most replicas. */
  readonly maxReplicas: number;
  /**
   * Target average CPU utilization, in percent of the CPU request.
   * @default 80 (when no memory target is set)
   */
  readonly cpuUtilization?: number;
  /**
   * Target average memory utilization, in percent of the memory request.
   * @default - no memory target
   */
  readonly memoryUtilization?: number;
}

/** How a PodDisruptionBudget limits voluntary evictions. */
export enum DisruptionBudgetKind {
  /** `minAvailable` pods must stay up. */
  MIN_AVAILABLE = 'minAvailable',
  /** At most `maxUnavailable` pods may be down. */
  MAX_UNAVAILABLE = 'maxUnavailable',
}

/**
 * A PodDisruptionBudget for a Deployment-backed component.
 * @see https://kubernetes.io/docs/concepts/workloads/pods/disruptions/
 */
export class DisruptionBudget {
  /** At least `count` pods stay available during voluntary disruptions. */
  public static minAvailable(count: number): DisruptionBudget {
    return new DisruptionBudget(DisruptionBudgetKind.MIN_AVAILABLE, count, false);
  }
  /** At least `percent`% of pods stay available. */
  public static minAvailablePercent(percent: number): DisruptionBudget {
    return new DisruptionBudget(DisruptionBudgetKind.MIN_AVAILABLE, percent, true);
  }
  /** At most `count` pods may be unavailable. */
  public static maxUnavailable(count: number): DisruptionBudget {
    return new DisruptionBudget(DisruptionBudgetKind.MAX_UNAVAILABLE, count, false);
  }
  /** At most `percent`% of pods may be unavailable. */
  public static maxUnavailablePercent(percent: number): DisruptionBudget {
    return new DisruptionBudget(DisruptionBudgetKind.MAX_UNAVAILABLE, percent, true);
  }
  private constructor(
    /** Which field of the budget is set. */
    public readonly kind: DisruptionBudgetKind,
    /** The count or percentage. */
    public readonly value: number,
    /** Whether `value` is a percentage. */
    public readonly isPercent: boolean,
  ) {}
}

/** What a CronJob does when a run is due while the previous one is still running. */
export enum ConcurrencyPolicy {
  /** Skip the new run. */
  FORBID = 'Forbid',
  /** Run both. */
  ALLOW = 'Allow',
  /** Stop the old run and start the new one. */
  REPLACE = 'Replace',
}

/**
 * A rule of the workload security baseline (Pod Security Standards "restricted" plus our own
 * hardening). A component may opt out of a single rule with a stated reason.
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
 */
export enum PodSecurityRule {
  /** Containers run as a non-root user (PSS restricted). */
  RUN_AS_NON_ROOT = 'run-as-non-root',
  /** `allowPrivilegeEscalation: false` (PSS restricted). */
  NO_PRIVILEGE_ESCALATION = 'no-privilege-escalation',
  /** All Linux capabilities dropped (PSS restricted). */
  DROP_ALL_CAPABILITIES = 'drop-all-capabilities',
  /** The RuntimeDefault seccomp profile (PSS restricted). */
  SECCOMP_RUNTIME_DEFAULT = 'seccomp-runtime-default',
  /** A read-only root filesystem with writable scratch volumes (hardening beyond PSS). */
  READ_ONLY_ROOT_FILESYSTEM = 'read-only-root-filesystem',
}

/** An explicit, reasoned opt-out of one security rule, recorded as an annotation on the workload. */
export interface SecurityException {
  /** The rule opted out of. */
  readonly rule: PodSecurityRule;
  /** Why the component needs it (kept in the output for reviewers). */
  readonly reason: string;
}

/**
 * Settings every component kind shares and that an environment may override.
 */
export interface WorkloadSettings {
  /**
   * Plain environment variables. Secret values are refused here: use `secretEnv`.
   * @default - none
   */
  readonly env?: { [key: string]: string };
  /**
   * CPU and memory.
   * @default - the environment's, then the organization's defaults
   */
  readonly resources?: ResourceRequirements;
}

/**
 * Settings of Deployment-backed components that an environment may override.
 */
export interface DeploymentSettings extends WorkloadSettings, RolloutSettings {
  /**
   * Fixed replica count (ignored when autoscaling is set).
   * @default - the environment's default, else 1
   */
  readonly replicas?: number;
  /**
   * Horizontal pod autoscaling.
   * @default - no autoscaler
   */
  readonly autoscaling?: AutoscalingOptions;
  /**
   * A PodDisruptionBudget.
   * @default - none
   */
  readonly disruptionBudget?: DisruptionBudget;
}

/**
 * Per-environment overrides of a component. Fields that do not apply to the component's kind
 * (for example `replicas` on a scheduled task) are rejected.
 */
export interface EnvironmentOverrides extends DeploymentSettings, PodSettings {
  /**
   * The image released to this environment (tag or digest), e.g. `ghcr.io/acme/api:1.5.0`.
   * @default - the component's image
   */
  readonly image?: string;
  /**
   * Cron schedule (scheduled tasks only).
   * @default - the component's schedule
   */
  readonly schedule?: string;
  /**
   * Suspend the CronJob in this environment (scheduled tasks only).
   * @default false
   */
  readonly suspend?: boolean;
  /**
   * Tracing in this environment (e.g. another sampling ratio, or Tracing.none()).
   * @default - the component's tracing
   */
  readonly tracing?: Tracing;
  /**
   * SLO settings in this environment, merged field by field over the component's.
   * @default - the component's SLOs
   */
  readonly slo?: SloOptions;
  /**
   * Persistent volume sizes in this environment, by volume name (StatefulService only), e.g.
   * `{ data: '100Gi' }`. A StatefulSet's claim templates cannot change once created: a new size
   * applies to a new StatefulSet (or after `kubectl delete statefulset --cascade=orphan`).
   * @default - the volumes' declared sizes
   */
  readonly volumeSizes?: { [volume: string]: string };
}
