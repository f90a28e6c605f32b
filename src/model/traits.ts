import { JsonPatch } from 'cdk8s';
import { isImageReference } from './checks';
import { fail } from './errors';
import { CIDR, HOSTNAME } from './external-service';
import { ResourceRequirements } from './options';
import { isReservedKey } from './pod-settings';
import { ITrait, TraitContext, TraitNeeds, TraitPatch, TraitRenderContext, TraitRendering } from './trait';

/** Options of {@link Traits.databaseProxy}. */
export interface DatabaseProxyOptions {
  /** A DNS label naming the database, shown in the connectivity report as `external:<database>`. */
  readonly database: string;
  /** The proxy's image with a tag or digest, e.g. `gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.14.1`. */
  readonly image: string;
  /**
   * The database's host name (Cilium `toFQDNs`), unless `cidrs` are given.
   * @default - none; `cidrs` must be set
   */
  readonly host?: string;
  /**
   * The database's IPv4 ranges.
   * @default - none; `host` must be set
   */
  readonly cidrs?: string[];
  /** The database's port, e.g. 5432 (or the connector's, e.g. 3307 for Cloud SQL). */
  readonly port: number;
  /**
   * The port the proxy listens on in the pod (the application connects to `localhost:<listenPort>`).
   * @default 5432
   */
  readonly listenPort?: number;
  /**
   * A port on which the proxy serves Prometheus metrics: scraped through a PodMonitor.
   * @default - not scraped
   */
  readonly metricsPort?: number;
  /**
   * The proxy's arguments.
   * @default - the image's arguments
   */
  readonly args?: string[];
  /**
   * The proxy container's CPU and memory.
   * @default - requests of 50m CPU and 64Mi memory, limits of 200m CPU and 128Mi memory
   */
  readonly resources?: ResourceRequirements;
}

/** Options of {@link Traits.podAnnotations}. */
export interface PodAnnotationsOptions {
  /**
   * The trait's name (to attach several annotation traits).
   * @default 'pod-annotations'
   */
  readonly name?: string;
}

/**
 * Traits that ship with the library. Write your own by implementing {@link ITrait}
 * (docs/writing-a-trait.md).
 */
export class Traits {
  /**
   * A database proxy sidecar (Cloud SQL Auth Proxy, RDS Proxy, PgBouncer, …): the application talks
   * to `localhost:<listenPort>`, the sidecar to the database. Its egress goes through the network
   * plan (the policies allow exactly the database's host or ranges and port) and, with
   * `metricsPort`, Prometheus scrapes it through a PodMonitor. Trait name: `database-proxy`.
   */
  public static databaseProxy(options: DatabaseProxyOptions): ITrait {
    return new DatabaseProxyTrait(options);
  }

  /**
   * Annotations on the pods of every component it is attached to, e.g.
   * `{ 'karpenter.sh/do-not-disrupt': 'true' }` or a log router's settings. Applied as a JSON
   * patch of the workload's pod template; the component's own annotations with the same key win.
   */
  public static podAnnotations(annotations: { [key: string]: string }, options: PodAnnotationsOptions = {}): ITrait {
    return new PodAnnotationsTrait(annotations, options);
  }

  private constructor() {}
}

const TRAIT_SCOPE = 'Traits';

/** @internal */
export class DatabaseProxyTrait implements ITrait {
  public readonly name = 'database-proxy';
  /** The validated options (read by the OpenChoreo export). @internal */
  public readonly _options: DatabaseProxyOptions;
  private readonly o: DatabaseProxyOptions;

  constructor(o: DatabaseProxyOptions) {
    const where = `${TRAIT_SCOPE}.databaseProxy`;
    if (!o || typeof o.database !== 'string' || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(o.database) || o.database.length > 63) {
      fail(where, `database name '${o?.database}' is not a DNS label`, "name the database with lowercase letters, digits and '-', e.g. 'orders-db'");
    }
    if (typeof o.image !== 'string' || !isImageReference(o.image)) {
      fail(where, `proxy image '${o.image}' is not a valid image reference`, "use 'registry/repository:tag' or 'registry/repository@sha256:<digest>'");
    }
    if (o.host === undefined && (o.cidrs ?? []).length === 0) fail(where, `database '${o.database}' has neither a host nor cidrs`, "set host (e.g. 'orders-db.internal.example') or cidrs (e.g. ['10.20.0.0/24'])");
    if (o.host !== undefined && !HOSTNAME.test(o.host)) fail(where, `database host '${o.host}' is not a valid DNS host name`, "use a host such as 'orders-db.internal.example' (no scheme, port or path)");
    for (const c of o.cidrs ?? []) if (!CIDR.test(c)) fail(where, `database CIDR '${c}' is not an IPv4 CIDR`, "use the form '10.20.0.0/24'");
    for (const [what, port] of [['port', o.port], ['listenPort', o.listenPort], ['metricsPort', o.metricsPort]] as const) {
      if (port !== undefined || what === 'port') {
        if (!Number.isInteger(port) || port! < 1 || port! > 65535) fail(where, `${what} ${JSON.stringify(port)} is not a port from 1 to 65535`, `set ${what} to a port number, e.g. 5432`);
      }
    }
    if (o.metricsPort !== undefined && o.metricsPort === (o.listenPort ?? 5432)) {
      fail(where, `metricsPort ${o.metricsPort} is also the listenPort`, 'give the metrics another port, e.g. 9801');
    }
    this.o = { ...o, cidrs: o.cidrs ? [...o.cidrs] : undefined, args: o.args ? [...o.args] : undefined };
    this._options = this.o;
  }

  public needs(_context: TraitContext): TraitNeeds {
    const o = this.o;
    return {
      sidecars: [{
        name: 'db-proxy',
        image: o.image,
        args: o.args,
        resources: o.resources ?? { cpuRequest: '50m', cpuLimit: '200m', memoryRequest: '64Mi', memoryLimit: '128Mi' },
        ports: [{ name: 'db-proxy', port: o.listenPort ?? 5432 }, ...(o.metricsPort ? [{ name: 'proxy-metrics', port: o.metricsPort }] : [])],
      }],
      egress: [{ name: o.database, host: o.host, cidrs: o.cidrs, port: o.port }],
      scrapePorts: o.metricsPort ? [o.metricsPort] : [],
    };
  }

  public render(context: TraitRenderContext): TraitRendering {
    if (!this.o.metricsPort) return {};
    return {
      objects: [{
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'PodMonitor',
        metadata: { name: `${context.workloadName}-db-proxy`.slice(0, 253) },
        spec: {
          selector: { matchLabels: { 'openchoreo.dev/component': context.component, 'openchoreo.dev/environment': context.environment } },
          podMetricsEndpoints: [{ port: 'proxy-metrics', path: '/metrics' }],
        },
      }],
    };
  }
}

/** @internal */
export class PodAnnotationsTrait implements ITrait {
  public readonly name: string;
  /** The annotations, sorted by key (read by the OpenChoreo export). @internal */
  public get _annotations(): Record<string, string> { return { ...this.annotations }; }
  private readonly annotations: Record<string, string>;

  constructor(annotations: { [key: string]: string }, options: PodAnnotationsOptions) {
    const where = `${TRAIT_SCOPE}.podAnnotations`;
    this.name = options.name ?? 'pod-annotations';
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(this.name)) fail(where, `trait name '${this.name}' is not a DNS label`, "use lowercase letters, digits and '-', e.g. 'pod-annotations'");
    if (!annotations || Object.keys(annotations).length === 0) fail(where, 'no annotations given', "give at least one annotation, e.g. { 'karpenter.sh/do-not-disrupt': 'true' }");
    for (const [key, value] of Object.entries(annotations)) {
      if (isReservedKey(key)) fail(where, `annotation key '${key}' is reserved for the library`, "use a key of your own or of your tools' domain (e.g. 'karpenter.sh/do-not-disrupt')");
      if (typeof value !== 'string') fail(where, `annotation '${key}' has a non-string value ${JSON.stringify(value)}`, 'quote the value as a string');
    }
    this.annotations = Object.fromEntries(Object.entries(annotations).sort(([a], [b]) => (a < b ? -1 : 1)));
  }

  public needs(_context: TraitContext): TraitNeeds {
    return {};
  }

  public render(context: TraitRenderContext): TraitRendering {
    const workload = context.objects.find(o => o.kind === context.workloadKind && o.metadata?.name === context.workloadName);
    const base = context.workloadKind === 'CronJob' ? '/spec/jobTemplate/spec/template/metadata' : '/spec/template/metadata';
    const template = context.workloadKind === 'CronJob' ? workload?.spec?.jobTemplate?.spec?.template : workload?.spec?.template;
    const existing: Record<string, string> = template?.metadata?.annotations ?? {};
    const operations = existing === template?.metadata?.annotations
      ? Object.entries(this.annotations).filter(([k]) => !(k in existing)).map(([k, v]) => JsonPatch.add(`${base}/annotations/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`, v))
      : [JsonPatch.add(`${base}/annotations`, this.annotations)];
    const patch: TraitPatch = { kind: context.workloadKind, name: context.workloadName, operations };
    return operations.length === 0 ? {} : { patches: [patch] };
  }
}
