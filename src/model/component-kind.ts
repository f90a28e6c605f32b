/**
 * The kind of a component: which OpenChoreo default component type renders it.
 * @see https://openchoreo.dev/docs/concepts/developer-abstractions/component/
 */
export enum ComponentKind {
  /** A long-running API or backend (Deployment + Service). */
  SERVICE = 'deployment/service',
  /** A web front end (Deployment + Service, served on its own host name when exposed). */
  WEB_APPLICATION = 'deployment/web-application',
  /** A background worker with no endpoints (Deployment). */
  WORKER = 'deployment/worker',
  /** A job run on a cron schedule (CronJob). */
  SCHEDULED_TASK = 'cronjob/scheduled-task',
  /** A stateful backend with persistent volumes (StatefulSet + headless Service + Service). */
  STATEFUL_SERVICE = 'statefulset/stateful-service',
}

/**
 * What a component kind is, as every layer reads it: the model's checks, the resolver, the
 * renderers and the reports ask this table instead of comparing kinds. A new kind is a row here
 * plus its construct (src/model/component-kinds.ts) and, if its workload object is new, its
 * renderer (docs/adding-a-component-kind.md). @internal
 */
export interface ComponentKindTraits {
  /** The workload object rendered per environment. */
  readonly workload: 'Deployment' | 'CronJob' | 'StatefulSet';
  /** Serves endpoints (and so gets a Service, routes and network ingress). */
  readonly servesEndpoints: boolean;
  /** Runs replicas: `replicas`, `autoscaling` and `disruptionBudget` apply. */
  readonly scalable: boolean;
  /** Runs on a cron schedule: `schedule` and `suspend` apply. */
  readonly scheduled: boolean;
  /** Its metrics are scraped from its pods (a PodMonitor) rather than through its Service. */
  readonly podScraped: boolean;
  /** Its exposed HTTP endpoints get a host name of their own rather than a path on the shared host. */
  readonly ownHost: boolean;
}

/** The component-kind table. @internal */
export const COMPONENT_KINDS: { readonly [kind in ComponentKind]: ComponentKindTraits } = {
  [ComponentKind.SERVICE]: { workload: 'Deployment', servesEndpoints: true, scalable: true, scheduled: false, podScraped: false, ownHost: false },
  [ComponentKind.WEB_APPLICATION]: { workload: 'Deployment', servesEndpoints: true, scalable: true, scheduled: false, podScraped: false, ownHost: true },
  [ComponentKind.WORKER]: { workload: 'Deployment', servesEndpoints: false, scalable: true, scheduled: false, podScraped: true, ownHost: false },
  [ComponentKind.STATEFUL_SERVICE]: { workload: 'StatefulSet', servesEndpoints: true, scalable: true, scheduled: false, podScraped: false, ownHost: false },
  [ComponentKind.SCHEDULED_TASK]: { workload: 'CronJob', servesEndpoints: false, scalable: false, scheduled: true, podScraped: true, ownHost: false },
};

/** The traits of a component kind. @internal */
export function kindTraits(kind: ComponentKind): ComponentKindTraits {
  return COMPONENT_KINDS[kind];
}
