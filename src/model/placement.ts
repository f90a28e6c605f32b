import { IConstruct } from 'constructs';
import { checkDnsLabel, checkLabels } from './checks';
import { fail } from './errors';

/** How a toleration matches a taint. */
export enum TolerationOperator {
  /** The taint's value equals `value`. */
  EQUAL = 'Equal',
  /** Any value (and, without `key`, any taint). */
  EXISTS = 'Exists',
}

/** A taint effect. */
export enum TaintEffect {
  /** New pods are not scheduled on the node. */
  NO_SCHEDULE = 'NoSchedule',
  /** The scheduler avoids the node. */
  PREFER_NO_SCHEDULE = 'PreferNoSchedule',
  /** Running pods are evicted. */
  NO_EXECUTE = 'NoExecute',
}

/** A toleration of a node taint. */
export interface Toleration {
  /**
   * The taint key.
   * @default - every key (operator must be EXISTS)
   */
  readonly key?: string;
  /**
   * How the value is matched.
   * @default TolerationOperator.EQUAL
   */
  readonly operator?: TolerationOperator;
  /**
   * The taint value (EQUAL only).
   * @default ''
   */
  readonly value?: string;
  /**
   * The taint effect tolerated.
   * @default - every effect
   */
  readonly effect?: TaintEffect;
  /**
   * How long a pod stays on a node that gets a NoExecute taint (seconds).
   * @default - forever
   */
  readonly tolerationSeconds?: number;
}

/** How a node label is matched. */
export enum NodeLabelOperator {
  /** The label's value is one of `values`. */
  IN = 'In',
  /** The label is missing or its value is none of `values`. */
  NOT_IN = 'NotIn',
  /** The label is present. */
  EXISTS = 'Exists',
  /** The label is missing. */
  DOES_NOT_EXIST = 'DoesNotExist',
}

/** A requirement on a node label (node affinity). */
export interface NodeLabelRequirement {
  /** The label key, e.g. `node.kubernetes.io/instance-type`. */
  readonly key: string;
  /** How the label is matched. */
  readonly operator: NodeLabelOperator;
  /**
   * Values (IN and NOT_IN only).
   * @default - none
   */
  readonly values?: string[];
  /**
   * Makes the requirement a preference of this weight (1-100) instead of a rule.
   * @default - required
   */
  readonly preferenceWeight?: number;
}

/**
 * Where pods run. Declared on the data plane, the environment and the component (and its
 * environment overrides), merged in that order: node selector keys and the priority class of a
 * later level win, tolerations and node label requirements add up.
 * @see https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/
 */
export interface Placement {
  /**
   * Node labels the node must carry.
   * @default - none
   */
  readonly nodeSelector?: { [key: string]: string };
  /**
   * Taints the pods tolerate.
   * @default - none
   */
  readonly tolerations?: Toleration[];
  /**
   * Node label requirements (all must hold) and preferences.
   * @default - none
   */
  readonly nodeLabels?: NodeLabelRequirement[];
  /**
   * The pods' PriorityClass.
   * @default - the cluster's default priority
   */
  readonly priorityClassName?: string;
}

/** What the scheduler does when spreading cannot be met. */
export enum SpreadWhenUnsatisfiable {
  /** Leave the pod pending. */
  DO_NOT_SCHEDULE = 'DoNotSchedule',
  /** Schedule it anyway, preferring the least skewed domain. */
  SCHEDULE_ANYWAY = 'ScheduleAnyway',
}

/** Options of topology spreading. */
export interface TopologySpreadOptions {
  /**
   * Largest allowed difference in pod count between two zones (or nodes).
   * @default 1
   */
  readonly maxSkew?: number;
  /**
   * What happens when zones cannot be balanced (few zones, or a zone full).
   * @default SpreadWhenUnsatisfiable.SCHEDULE_ANYWAY
   */
  readonly zones?: SpreadWhenUnsatisfiable;
  /**
   * What happens when nodes cannot be balanced.
   * @default SpreadWhenUnsatisfiable.SCHEDULE_ANYWAY
   */
  readonly nodes?: SpreadWhenUnsatisfiable;
}

/**
 * Topology spread constraints for components with two or more replicas, so one zone or node
 * failure takes down only part of them.
 * @see https://kubernetes.io/docs/concepts/scheduling-eviction/topology-spread-constraints/
 */
export class TopologySpread {
  /** Spread across zones and across nodes (the production default). */
  public static zonesAndNodes(options: TopologySpreadOptions = {}): TopologySpread {
    return new TopologySpread(true, true, options);
  }
  /** Spread across nodes only (single-zone clusters). */
  public static nodes(options: TopologySpreadOptions = {}): TopologySpread {
    return new TopologySpread(false, true, options);
  }
  /** No spread constraints (the default outside production). */
  public static none(): TopologySpread {
    return new TopologySpread(false, false, {});
  }
  private constructor(
    /** Whether pods spread across zones. */
    public readonly acrossZones: boolean,
    /** Whether pods spread across nodes. */
    public readonly acrossNodes: boolean,
    /** Skew and unsatisfiable behaviour. */
    public readonly options: TopologySpreadOptions,
  ) {}
}

/** The node label keys of a data plane's topology. */
export interface TopologyKeys {
  /**
   * The zone label.
   * @default 'topology.kubernetes.io/zone'
   */
  readonly zone?: string;
  /**
   * The node label.
   * @default 'kubernetes.io/hostname'
   */
  readonly node?: string;
}

/** Validates a placement at construction. @internal */
export function checkPlacement(scope: IConstruct, where: string, p: Placement | undefined): void {
  if (p === undefined) return;
  checkLabels(scope, `${where}placement.nodeSelector`, p.nodeSelector ?? {});
  for (const t of p.tolerations ?? []) {
    const op = t.operator ?? TolerationOperator.EQUAL;
    const what = `${where}placement toleration ${JSON.stringify(t)}`;
    if (!Object.values(TolerationOperator).includes(op)) fail(scope, `${what} has an unknown operator`, 'use TolerationOperator.EQUAL or TolerationOperator.EXISTS');
    if (t.key === undefined && op !== TolerationOperator.EXISTS) fail(scope, `${what} has no key but operator ${op}`, 'give the taint key, or use TolerationOperator.EXISTS to tolerate every taint');
    if (t.key !== undefined) checkLabels(scope, `${where}placement toleration`, { [t.key]: '' });
    if (op === TolerationOperator.EXISTS && t.value !== undefined) fail(scope, `${what} sets a value with operator Exists`, 'remove value, or use TolerationOperator.EQUAL');
    if (t.effect !== undefined && !Object.values(TaintEffect).includes(t.effect)) fail(scope, `${what} has an unknown effect`, 'use TaintEffect.NO_SCHEDULE, PREFER_NO_SCHEDULE or NO_EXECUTE');
    if (t.tolerationSeconds !== undefined) {
      if (t.effect !== TaintEffect.NO_EXECUTE) fail(scope, `${what} sets tolerationSeconds without effect NoExecute`, 'set effect: TaintEffect.NO_EXECUTE, or remove tolerationSeconds');
      if (!Number.isInteger(t.tolerationSeconds) || t.tolerationSeconds < 0) fail(scope, `${what} tolerationSeconds is not a whole number of seconds`, 'use e.g. 300');
    }
  }
  for (const r of p.nodeLabels ?? []) {
    const what = `${where}placement node label requirement on '${r.key}'`;
    checkLabels(scope, `${where}placement.nodeLabels`, { [r.key]: '' });
    if (!Object.values(NodeLabelOperator).includes(r.operator)) fail(scope, `${what} has unknown operator '${r.operator}'`, 'use NodeLabelOperator.IN, NOT_IN, EXISTS or DOES_NOT_EXIST');
    const needsValues = r.operator === NodeLabelOperator.IN || r.operator === NodeLabelOperator.NOT_IN;
    const values = r.values ?? [];
    if (needsValues && values.length === 0) fail(scope, `${what} (${r.operator}) lists no values`, 'give at least one value');
    if (!needsValues && values.length > 0) fail(scope, `${what} (${r.operator}) lists values ${JSON.stringify(values)}`, `remove values: ${r.operator} takes none`);
    for (const v of values) checkLabels(scope, `${where}placement.nodeLabels`, { [r.key]: v });
    const w = r.preferenceWeight;
    if (w !== undefined && (!Number.isInteger(w) || w < 1 || w > 100)) fail(scope, `${what} has preferenceWeight ${w}`, 'use a whole number from 1 to 100, or remove it to make the requirement a rule');
  }
  if (p.priorityClassName !== undefined) checkDnsLabel(scope, `${where}placement.priorityClassName`, p.priorityClassName, 253);
}

/** Validates a topology spread at construction. @internal */
export function checkTopologySpread(scope: IConstruct, what: string, s: TopologySpread | undefined): void {
  if (s === undefined) return;
  if (!(s instanceof TopologySpread)) fail(scope, `${what} is not a TopologySpread`, 'use TopologySpread.zonesAndNodes(), TopologySpread.nodes() or TopologySpread.none()');
  const skew = s.options.maxSkew;
  if (skew !== undefined && (!Number.isInteger(skew) || skew < 1 || skew > 100)) fail(scope, `${what} maxSkew ${skew} is not a whole number from 1 to 100`, 'use maxSkew: 1');
  for (const f of ['zones', 'nodes'] as const) {
    const v = s.options[f];
    if (v !== undefined && !Object.values(SpreadWhenUnsatisfiable).includes(v)) fail(scope, `${what} ${f} '${v}' is unknown`, 'use SpreadWhenUnsatisfiable.DO_NOT_SCHEDULE or SCHEDULE_ANYWAY');
  }
}

/** Validates a data plane's topology keys. @internal */
export function checkTopologyKeys(scope: IConstruct, keys: TopologyKeys | undefined): void {
  if (keys?.zone !== undefined) checkLabels(scope, 'topologyKeys.zone', { [keys.zone]: '' });
  if (keys?.node !== undefined) checkLabels(scope, 'topologyKeys.node', { [keys.node]: '' });
  if (keys?.zone !== undefined && keys.zone === keys.node) fail(scope, `topologyKeys.zone and topologyKeys.node are both '${keys.zone}'`, 'use a zone label and a node label');
}
