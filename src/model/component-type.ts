import { Construct } from 'constructs';
import { checkCpu, checkDnsLabel, checkOwnEnvironment, checkInteger, checkLabels, checkMemory, checkResourceFields, cpuMillis, memoryBytes } from './checks';
import { ComponentKind, kindTraits } from './component-kind';
import { Visibility } from './endpoint';
import type { Environment } from './environment';
import { fail } from './errors';
import { checkMetrics, checkSlo, checkTracing, LogFormat, MetricsOptions, SloOptions, Tracing } from './observability';
import { DeploymentSettings } from './options';
import { Organization } from './organization';
import { checkPodSettings, PodSettings } from './pod-settings';
import { checkRolloutSettings } from './rollout';
import { checkEnum, checkEnumList } from './runtime-types';
import { snapshotProps } from './snapshot';
import type { ITrait } from './trait';

/** A probe of the main container, as a component type may require it. */
export enum ProbeKind {
  /** The startup probe. */
  STARTUP = 'startup',
  /** The readiness probe. */
  READINESS = 'readiness',
  /** The liveness probe. */
  LIVENESS = 'liveness',
}

/**
 * Settings a component type gives every component of the type. A component's own props win over
 * them, and its environment overrides win over both; maps (env, resources, labels, annotations,
 * probes, slo) merge key by key.
 */
export interface ComponentTypeDefaults extends DeploymentSettings, PodSettings {
  /**
   * Tracing.
   * @default - the component's, else the data plane's default
   */
  readonly tracing?: Tracing;
  /**
   * The Prometheus metrics endpoint.
   * @default - not scraped
   */
  readonly metrics?: MetricsOptions;
  /**
   * Service level objectives.
   * @default - the library's SLO defaults
   */
  readonly slo?: SloOptions;
  /**
   * Log line format.
   * @default LogFormat.TEXT
   */
  readonly logFormat?: LogFormat;
  /**
   * Writable scratch directories.
   * @default ['/tmp']
   */
  readonly scratchPaths?: string[];
}

/**
 * Rules every component of a type must follow, checked per environment on the resolved values
 * (type defaults, component props and environment overrides applied). A component outside them
 * fails the synthesis with the rule and the fix.
 */
export interface ComponentTypeConstraints {
  /**
   * Fewest replicas (fixed replicas, or the autoscaler's minimum).
   * @default - no lower bound
   */
  readonly minReplicas?: number;
  /**
   * Most replicas (fixed replicas, or the autoscaler's maximum).
   * @default - no upper bound
   */
  readonly maxReplicas?: number;
  /**
   * Smallest CPU request of the main container, e.g. `100m`.
   * @default - no lower bound
   */
  readonly minCpuRequest?: string;
  /**
   * Largest CPU limit of the main container, e.g. `2`.
   * @default - no upper bound
   */
  readonly maxCpuLimit?: string;
  /**
   * Smallest memory request of the main container, e.g. `128Mi`.
   * @default - no lower bound
   */
  readonly minMemoryRequest?: string;
  /**
   * Largest memory limit of the main container, e.g. `2Gi`.
   * @default - no upper bound
   */
  readonly maxMemoryLimit?: string;
  /**
   * Visibilities the component's endpoints may have.
   * @default - every visibility
   */
  readonly allowedVisibilities?: Visibility[];
  /**
   * Probes the main container must have.
   * @default - none required
   */
  readonly requiredProbes?: ProbeKind[];
  /**
   * Label keys the component must set (e.g. an owner label such as `acme.example/team`).
   * @default - none required
   */
  readonly requiredLabels?: string[];
  /**
   * Whether the component needs a PodDisruptionBudget.
   * @default false
   */
  readonly requireDisruptionBudget?: boolean;
}

/** Properties of a {@link ComponentType}. */
export interface ComponentTypeProps {
  /**
   * The type's name (OpenChoreo `ComponentType` name).
   * @default - the construct id
   */
  readonly name?: string;
  /** The component kind the type builds on: a component of another kind cannot use it. */
  readonly kind: ComponentKind;
  /**
   * What the type is for, for developers choosing it.
   * @default - none
   */
  readonly description?: string;
  /**
   * Settings components of the type get unless they set their own.
   * @default - none
   */
  readonly defaults?: ComponentTypeDefaults;
  /**
   * Rules in every environment.
   * @default - none
   */
  readonly constraints?: ComponentTypeConstraints;
  /**
   * Rules added in production environments (each field replaces the one of `constraints`).
   * @default - the same as `constraints`
   */
  readonly productionConstraints?: ComponentTypeConstraints;
  /**
   * Traits every component of the type gets.
   * @default - none
   */
  readonly traits?: ITrait[];
  /**
   * Names of the traits a component of the type may add itself (`component.addTrait`).
   * @default - any trait
   */
  readonly allowedTraits?: string[];
}

/**
 * A component type a platform team publishes: the kind it builds on, the defaults it gives, the
 * rules it enforces (per environment, stricter in production if wished) and the traits it
 * attaches. Developers pick it with the `type` prop of a component.
 * @see https://openchoreo.dev/docs/concepts/platform-abstractions/component-type/
 */
export class ComponentType extends Construct {
  /** The organization publishing the type. */
  public readonly organization: Organization;
  /** The type's name. */
  public readonly name: string;
  /** The kind it builds on. */
  public readonly kind: ComponentKind;
  /** What it is for, if described. */
  public readonly description?: string;
  /** Names of the traits components may add, if restricted. */
  public readonly allowedTraits?: string[];

  /** @internal */ public readonly _defaults: ComponentTypeDefaults;
  /** @internal */ public readonly _constraints: ComponentTypeConstraints;
  /** @internal */ public readonly _productionConstraints: ComponentTypeConstraints;
  /** @internal */ public readonly _environmentConstraints = new Map<Environment, ComponentTypeConstraints>();
  /** @internal */ public readonly _traits: ITrait[];

  constructor(scope: Organization, id: string, props: ComponentTypeProps) {
    super(scope, id);
    props = snapshotProps(props);
    this.organization = Organization.ofConstruct(this);
    this.name = checkDnsLabel(this, 'component type name', props.name ?? id);
    this.kind = checkEnum(this, 'kind', props.kind, ComponentKind, 'ComponentKind')!;
    if (this.kind === undefined) fail(this, `component type '${this.name}' has no kind`, 'set kind, e.g. ComponentKind.SERVICE');
    this.description = props.description;
    this._defaults = checkDefaults(this, this.kind, props.defaults ?? {});
    this._constraints = checkConstraints(this, 'constraints', this.kind, props.constraints ?? {});
    this._productionConstraints = { ...this._constraints, ...checkConstraints(this, 'productionConstraints', this.kind, props.productionConstraints ?? {}) };
    this._traits = checkTraitList(this, props.traits ?? []);
    for (const t of props.allowedTraits ?? []) checkDnsLabel(this, 'allowed trait name', t);
    this.allowedTraits = props.allowedTraits === undefined ? undefined : [...new Set(props.allowedTraits)].sort();
    this.organization._register('ComponentType', this.name, this);
  }

  /** Rules of one environment, each field replacing the type's (and its production rules). */
  public constrainEnvironment(environment: Environment, constraints: ComponentTypeConstraints): void {
    checkOwnEnvironment(this, 'constraints target environment', environment, this.organization);
    const checked = checkConstraints(this, `constraints for '${environment.name}'`, this.kind, snapshotProps(constraints));
    this._environmentConstraints.set(environment, { ...(this._environmentConstraints.get(environment) ?? {}), ...checked });
    this.organization._changed();
  }

  /** The rules in one environment: the type's, production's where it is production, then the environment's own. @internal */
  public _constraintsIn(environment: Environment): ComponentTypeConstraints {
    const base = environment.isProduction ? this._productionConstraints : this._constraints;
    return { ...base, ...(this._environmentConstraints.get(environment) ?? {}) };
  }

  /** Layers the type's defaults under a component's props. @internal */
  public _withDefaults<T extends ComponentTypeDefaults>(props: T): T {
    const d = this._defaults;
    const merged: Record<string, unknown> = { ...(props as unknown as Record<string, unknown>) };
    for (const [key, value] of Object.entries(d)) {
      if (value === undefined) continue;
      const own = (props as unknown as Record<string, unknown>)[key];
      merged[key] = MERGED_KEYS.has(key) && own !== undefined ? { ...(value as object), ...(own as object) } : own ?? value;
    }
    return merged as unknown as T;
  }
}

/** Defaults merged key by key with the component's own. */
const MERGED_KEYS = new Set(['env', 'resources', 'labels', 'annotations', 'probes', 'slo']);

function checkDefaults(scope: ComponentType, kind: ComponentKind, d: ComponentTypeDefaults): ComponentTypeDefaults {
  const traits = kindTraits(kind);
  if (!traits.scalable) {
    for (const f of ['replicas', 'autoscaling', 'disruptionBudget', 'rollout', 'minReady', 'progressDeadline', 'probes'] as const) {
      if (d[f] !== undefined) fail(scope, `defaults set '${f}' for kind ${kind}`, `remove '${f}': it applies to Deployment-backed kinds only`);
    }
  }
  checkResourceFields(scope, 'defaults resources', d.resources);
  checkInteger(scope, 'defaults replicas', d.replicas, 0, 1000);
  if (d.autoscaling) {
    checkInteger(scope, 'defaults autoscaling.maxReplicas', d.autoscaling.maxReplicas, 1, 1000);
    checkInteger(scope, 'defaults autoscaling.minReplicas', d.autoscaling.minReplicas, 1, d.autoscaling.maxReplicas);
  }
  checkPodSettings(scope, 'defaults ', d);
  checkRolloutSettings(scope, 'defaults ', d);
  checkMetrics(scope, d.metrics);
  checkTracing(scope, 'defaults tracing', d.tracing);
  checkSlo(scope, 'defaults slo', d.slo);
  checkEnum(scope, 'defaults logFormat', d.logFormat, LogFormat, 'LogFormat');
  return d;
}

function checkConstraints(scope: ComponentType, where: string, kind: ComponentKind, c: ComponentTypeConstraints): ComponentTypeConstraints {
  const scalable = kindTraits(kind).scalable;
  for (const f of ['minReplicas', 'maxReplicas', 'requireDisruptionBudget', 'requiredProbes'] as const) {
    if (!scalable && c[f] !== undefined) fail(scope, `${where} set '${f}' for kind ${kind}`, `remove '${f}': it applies to Deployment-backed kinds only`);
  }
  if (!kindTraits(kind).servesEndpoints && c.allowedVisibilities !== undefined) {
    fail(scope, `${where} set 'allowedVisibilities' for kind ${kind}, which serves no endpoints`, "remove 'allowedVisibilities'");
  }
  checkInteger(scope, `${where} minReplicas`, c.minReplicas, 0, 1000);
  checkInteger(scope, `${where} maxReplicas`, c.maxReplicas, 1, 1000);
  if (c.minReplicas !== undefined && c.maxReplicas !== undefined && c.minReplicas > c.maxReplicas) {
    fail(scope, `${where} minReplicas ${c.minReplicas} is greater than maxReplicas ${c.maxReplicas}`, 'set maxReplicas to at least minReplicas');
  }
  checkCpu(scope, `${where} minCpuRequest`, c.minCpuRequest);
  checkCpu(scope, `${where} maxCpuLimit`, c.maxCpuLimit);
  checkMemory(scope, `${where} minMemoryRequest`, c.minMemoryRequest);
  checkMemory(scope, `${where} maxMemoryLimit`, c.maxMemoryLimit);
  if (c.minCpuRequest !== undefined && c.maxCpuLimit !== undefined && cpuMillis(c.minCpuRequest) > cpuMillis(c.maxCpuLimit)) {
    fail(scope, `${where} minCpuRequest ${c.minCpuRequest} exceeds maxCpuLimit ${c.maxCpuLimit}`, 'raise maxCpuLimit or lower minCpuRequest');
  }
  if (c.minMemoryRequest !== undefined && c.maxMemoryLimit !== undefined && memoryBytes(c.minMemoryRequest) > memoryBytes(c.maxMemoryLimit)) {
    fail(scope, `${where} minMemoryRequest ${c.minMemoryRequest} exceeds maxMemoryLimit ${c.maxMemoryLimit}`, 'raise maxMemoryLimit or lower minMemoryRequest');
  }
  checkEnumList(scope, `${where} allowedVisibilities`, c.allowedVisibilities, Visibility, 'Visibility');
  checkEnumList(scope, `${where} requiredProbes`, c.requiredProbes, ProbeKind, 'ProbeKind');
  for (const key of c.requiredLabels ?? []) checkLabels(scope, `${where} requiredLabels`, { [key]: '' });
  return Object.fromEntries(Object.entries(c).filter(([, v]) => v !== undefined)) as ComponentTypeConstraints;
}

/** Validates a list of traits: each an ITrait with a DNS-label name, names unique. @internal */
export function checkTraitList(scope: Construct, traits: ITrait[]): ITrait[] {
  const seen = new Set<string>();
  for (const t of traits) {
    checkTrait(scope, t);
    if (seen.has(t.name)) fail(scope, `trait '${t.name}' is attached twice`, 'attach each trait once (traits are told apart by name)');
    seen.add(t.name);
  }
  return [...traits];
}

/** Validates one trait object. @internal */
export function checkTrait(scope: Construct, t: ITrait): void {
  if (!t || typeof t !== 'object' || typeof t.needs !== 'function' || typeof t.render !== 'function') {
    fail(scope, `trait ${JSON.stringify(t)} is not an ITrait`, 'pass an object of a class implementing ITrait (name, needs(), render()), e.g. Traits.podAnnotations({...})');
  }
  checkDnsLabel(scope, 'trait name', t.name);
}
