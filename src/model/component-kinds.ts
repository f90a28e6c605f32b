import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { checkInteger } from './checks';
import { Component, ComponentProps, DeployableComponentProps } from './component';
import { ComponentKind } from './component-kind';
import { checkCronSchedule, checkTimeZone } from './cron';
import { checkDurationSeconds, rejectRenamedDuration } from './duration';
import { EnvironmentOverrides, ConcurrencyPolicy } from './options';
import { checkEnum } from './runtime-types';

/** Properties of a {@link Service}. */
export interface ServiceProps extends DeployableComponentProps {}

/** Properties of a {@link WebApplication}. */
export interface WebApplicationProps extends DeployableComponentProps {}

/** Properties of a {@link Worker}. */
export interface WorkerProps extends DeployableComponentProps {}

/**
 * A long-running backend or API: a Deployment and a Service per environment.
 * @see https://openchoreo.dev/docs/concepts/developer-abstractions/component/
 */
export class Service extends Component {
  constructor(scope: Construct, id: string, props: ServiceProps) {
    super(scope, id, ComponentKind.SERVICE, props);
  }
}

/**
 * A web front end: a Deployment and a Service per environment.
 * @see https://openchoreo.dev/docs/concepts/developer-abstractions/component/
 */
export class WebApplication extends Component {
  constructor(scope: Construct, id: string, props: WebApplicationProps) {
    super(scope, id, ComponentKind.WEB_APPLICATION, props);
  }
}

/**
 * A background worker without endpoints: a Deployment per environment.
 */
export class Worker extends Component {
  constructor(scope: Construct, id: string, props: WorkerProps) {
    super(scope, id, ComponentKind.WORKER, props);
  }
}

/** Properties of a {@link ScheduledTask}. */
export interface ScheduledTaskProps extends ComponentProps {
  /**
   * Cron schedule (five fields, or a macro such as `@hourly`).
   * @see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#schedule-syntax
   */
  readonly schedule: string;
  /**
   * IANA time zone the schedule is read in.
   * @default - the kube-controller-manager's time zone
   */
  readonly timeZone?: string;
  /**
   * What to do when a run is due while the previous one is still running.
   * @default ConcurrencyPolicy.FORBID
   */
  readonly concurrencyPolicy?: ConcurrencyPolicy;
  /**
   * Retries before a run is marked failed.
   * @default 3
   */
  readonly backoffLimit?: number;
  /**
   * How long a run may take before it is stopped (whole seconds).
   * @default Duration.minutes(5)
   */
  readonly activeDeadline?: Duration;
}

/**
 * A job on a cron schedule: a CronJob per environment.
 * @see https://openchoreo.dev/docs/concepts/developer-abstractions/component/
 */
export class ScheduledTask extends Component {
  /** The cron schedule. */
  public readonly schedule: string;
  /** Time zone, if set. */
  public readonly timeZone?: string;
  /** Concurrency policy. */
  public readonly concurrencyPolicy: ConcurrencyPolicy;
  /** Retries per run. */
  public readonly backoffLimit: number;
  /** Deadline per run. */
  public readonly activeDeadline: Duration;

  constructor(scope: Construct, id: string, props: ScheduledTaskProps) {
    super(scope, id, ComponentKind.SCHEDULED_TASK, props);
    this.schedule = checkCronSchedule(this, props.schedule);
    checkTimeZone(this, props.timeZone);
    this.timeZone = props.timeZone;
    this.concurrencyPolicy = checkEnum(this, 'concurrencyPolicy', props.concurrencyPolicy, ConcurrencyPolicy, 'ConcurrencyPolicy') ?? ConcurrencyPolicy.FORBID;
    checkInteger(this, 'backoffLimit', props.backoffLimit, 0, 100);
    this.backoffLimit = props.backoffLimit ?? 3;
    rejectRenamedDuration(this, props, 'activeDeadlineSeconds', 'activeDeadline', 'seconds');
    this.activeDeadline = props.activeDeadline ?? Duration.minutes(5);
    checkDurationSeconds(this, 'activeDeadline', this.activeDeadline, 1, 2_147_483_647);
  }

  /** @internal */
  protected _checkKindOverrides(overrides: EnvironmentOverrides, _scope: string): void {
    if (overrides.schedule !== undefined) checkCronSchedule(this, overrides.schedule);
  }
}
