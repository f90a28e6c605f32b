import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { checkWholeSeconds } from './duration';
import { fail } from './errors';

/** How a Deployment replaces its pods. */
export enum RolloutStrategy {
  /** New pods start before old ones stop, within surge and unavailability limits. */
  ROLLING = 'RollingUpdate',
  /** Every old pod stops before new ones start (downtime; for workloads that cannot run two versions). */
  RECREATE = 'Recreate',
}

/**
 * Limits of a rolling update. Give a count or a percentage of the desired replicas for each limit,
 * not both. Kubernetes rounds surge percentages up and unavailability percentages down.
 */
export interface RollingUpdateOptions {
  /**
   * Extra pods above the desired replicas during the update.
   * @default - 25% (`maxSurgePercent`)
   */
  readonly maxSurge?: number;
  /**
   * Extra pods as a percentage of the desired replicas.
   * @default 25
   */
  readonly maxSurgePercent?: number;
  /**
   * Pods below the desired replicas during the update.
   * @default - 0 in production environments, 25% elsewhere
   */
  readonly maxUnavailable?: number;
  /**
   * Pods below the desired replicas, as a percentage.
   * @default - 0 in production environments, 25% elsewhere
   */
  readonly maxUnavailablePercent?: number;
}

/**
 * A Deployment's update strategy.
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#strategy
 */
export class Rollout {
  /** A rolling update (the default: 25% surge; nothing unavailable in production). */
  public static rolling(options: RollingUpdateOptions = {}): Rollout {
    return new Rollout(RolloutStrategy.ROLLING, options);
  }
  /** Stop every pod, then start the new ones. Incompatible with a disruption budget. */
  public static recreate(): Rollout {
    return new Rollout(RolloutStrategy.RECREATE, {});
  }
  private constructor(
    /** The strategy. */
    public readonly strategy: RolloutStrategy,
    /** Limits of a rolling update. */
    public readonly rollingOptions: RollingUpdateOptions,
  ) {}
}

/** Rollout settings of Deployment-backed components, overridable per environment. */
export interface RolloutSettings {
  /**
   * How the Deployment replaces its pods.
   * @default Rollout.rolling() - 25% surge; maxUnavailable 0 in production environments, 25% elsewhere
   */
  readonly rollout?: Rollout;
  /**
   * How long a new pod must be ready before it counts as available (`minReadySeconds`).
   * @default Duration.seconds(0)
   */
  readonly minReady?: Duration;
  /**
   * How long a rollout may make no progress before the Deployment reports it failed
   * (`progressDeadlineSeconds`; must exceed `minReady`).
   * @default Duration.seconds(600)
   */
  readonly progressDeadline?: Duration;
}

/** Validates rollout settings at construction. @internal */
export function checkRolloutSettings(scope: IConstruct, where: string, s: RolloutSettings): void {
  const r = s.rollout;
  if (r !== undefined) {
    if (!(r instanceof Rollout)) fail(scope, `${where}rollout is not a Rollout`, 'use Rollout.rolling({...}) or Rollout.recreate()');
    const o = r.rollingOptions;
    for (const f of ['maxSurge', 'maxUnavailable'] as const) {
      const count = o[f];
      const percent = o[`${f}Percent`];
      if (count !== undefined && percent !== undefined) {
        fail(scope, `${where}rollout sets both ${f} ${count} and ${f}Percent ${percent}`, `keep one of ${f} or ${f}Percent`);
      }
      if (count !== undefined && (!Number.isInteger(count) || count < 0 || count > 1000)) {
        fail(scope, `${where}rollout ${f} ${JSON.stringify(count)} is not a pod count from 0 to 1000`, `set ${f} to a whole number of pods, e.g. 1`);
      }
      if (percent !== undefined && (!Number.isInteger(percent) || percent < 0 || percent > 100)) {
        fail(scope, `${where}rollout ${f}Percent ${JSON.stringify(percent)} is not a percentage from 0 to 100`, `set ${f}Percent to a whole percentage, e.g. 25`);
      }
    }
    if ((o.maxSurge === 0 || o.maxSurgePercent === 0) && (o.maxUnavailable === 0 || o.maxUnavailablePercent === 0)) {
      fail(scope, `${where}rollout allows neither surge nor unavailable pods (maxSurge 0, maxUnavailable 0), so it could never replace a pod`,
        'allow a surge (e.g. maxSurge: 1), which keeps every desired replica up during the update');
    }
  }
  const minReady = checkWholeSeconds(scope, `${where}minReady`, s.minReady, 0, 3600);
  const deadline = checkWholeSeconds(scope, `${where}progressDeadline`, s.progressDeadline, 1, 86400);
  if (deadline !== undefined && deadline <= (minReady ?? 0)) {
    fail(scope, `${where}progressDeadline ${deadline}s does not exceed minReady ${minReady ?? 0}s`, `set progressDeadline above minReady, e.g. Duration.seconds(${(minReady ?? 0) + 600})`);
  }
}
