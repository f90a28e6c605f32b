import { IConstruct } from 'constructs';
import type { Environment } from './environment';
import { fail } from './errors';
import { checkEnum } from './runtime-types';

/** How a policy finding affects the synthesis. */
export enum PolicySeverity {
  /** The synthesis fails, naming the object, the rule and the fix (unless suppressed with a reason). */
  ERROR = 'error',
  /** The synthesis succeeds; the finding is printed once and listed in the environment's policy.md. */
  WARNING = 'warning',
}

/**
 * One rendered object as a policy rule sees it, with the facts of the plan rules need. Rules run
 * over the final objects: those the library renders and those traits and patches add or change.
 */
export interface PolicySubject {
  /** The Kubernetes object as it will be written (apiVersion, kind, metadata, spec, …). */
  readonly manifest: { [key: string]: any };
  /** The construct path of its owner (the component, project, environment, data plane or organization). */
  readonly path: string;
  /** Its owner in words, e.g. `component acme/shop/api in environment 'production'`. */
  readonly owner: string;
  /**
   * The environment it is deployed to.
   * @default - none (a platform or delivery object)
   */
  readonly environment?: string;
  /** Whether that environment is marked production. */
  readonly isProduction: boolean;
  /**
   * The project of its cell.
   * @default - none
   */
  readonly project?: string;
  /**
   * The component it belongs to.
   * @default - none (not a component's object)
   */
  readonly component?: string;
  /**
   * The component's kind, e.g. `Service`.
   * @default - none
   */
  readonly componentKind?: string;
  /** Whether the component serves endpoints. */
  readonly hasEndpoints: boolean;
  /** The Pod Security rules the component opted out of with a reason (`securityExceptions`), e.g. `run-as-non-root`. */
  readonly securityExceptions: string[];
  /** Every object of the same component in the same environment, this one included (none for other objects). */
  readonly componentObjects: Array<{ [key: string]: any }>;
  /** The organization's allowed image registries (empty: any registry). */
  readonly allowedRegistries: string[];
}

/** What a rule found wrong with one object. */
export interface PolicyFinding {
  /** What is wrong, naming the bad value, e.g. `container 'main' has no memory limit`. */
  readonly message: string;
  /**
   * How to fix this finding.
   * @default - the rule's fix
   */
  readonly fix?: string;
}

/**
 * A policy rule, in cdk-nag's shape: an id, a severity, what it checks and how to fix it, and a
 * check over one rendered object. Platform teams implement it to add rules of their own
 * (`PolicyPack.recommended().with([new MyRule()])`).
 */
export interface IPolicyRule {
  /** Unique id in capitals, digits and hyphens, e.g. `ACME-TEAM-LABEL` (`OC-` is the library's prefix). */
  readonly id: string;
  /** Whether a finding fails the synthesis or warns. */
  readonly severity: PolicySeverity;
  /** What the rule checks, one sentence (listed in policy.md). */
  readonly description: string;
  /** How to fix a finding, one sentence. */
  readonly fix: string;
  /** The findings for one object; none when it complies or the rule does not apply to it. */
  check(subject: PolicySubject): PolicyFinding[];
}

/** Where a component's suppression applies. */
export interface PolicySuppressionOptions {
  /**
   * Only in this environment.
   * @default - every environment
   */
  readonly environment?: Environment;
}

/** Which objects an organization-wide suppression covers. */
export interface OrganizationPolicySuppressionOptions extends PolicySuppressionOptions {
  /**
   * Only objects of this kind, e.g. `Deployment`.
   * @default - every kind
   */
  readonly kind?: string;
}

/** A declared suppression. @internal */
export interface PolicySuppressionDeclaration {
  readonly ruleId: string;
  readonly reason: string;
  /** Who declared it: a component or the organization. */
  readonly scope: IConstruct;
  /** Set for a component's suppression. */
  readonly component?: IConstruct;
  readonly environment?: Environment;
  readonly kind?: string;
}

/** The rule packs the library ships. @internal */
export type BuiltInPack = 'recommended' | 'strict' | 'baseline';

type BuiltInRules = (pack: BuiltInPack) => IPolicyRule[];
let builtIns: BuiltInRules | undefined;

/** Installs the built-in rules (called once, by `src/policy/packs.ts`). @internal */
export function _useBuiltInPolicyRules(fn: BuiltInRules): void {
  builtIns = fn;
}

const RULE_ID = /^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*$/;
/** Rule ids become annotation keys (`policy.openchoreo.dev/suppressed-<id>`, name part at most 63 characters). @internal */
export const RULE_ID_MAX = 50;
/** The shortest reason a suppression may give. @internal */
export const REASON_MIN = 10;

/** Checks a rule id's spelling. @internal */
export function checkRuleId(scope: IConstruct | string, what: string, id: unknown): string {
  if (typeof id !== 'string' || !RULE_ID.test(id) || id.length > RULE_ID_MAX) {
    fail(scope, `${what} '${String(id)}' is not a rule id`, `use capitals, digits and hyphens, at most ${RULE_ID_MAX} characters, e.g. 'OC-IMAGE-DIGEST-PROD' or 'ACME-TEAM-LABEL'`);
  }
  return id;
}

function checkRule(rule: IPolicyRule, ids: Set<string>): void {
  const where = 'PolicyPack';
  if (rule === null || typeof rule !== 'object' || typeof (rule as any).check !== 'function') {
    fail(where, `policy rule ${String((rule as any)?.id ?? rule)} has no check(subject) method`, 'pass objects implementing IPolicyRule (id, severity, description, fix and check(subject))');
  }
  const id = checkRuleId(where, 'policy rule id', rule.id);
  checkEnum(where, `severity of policy rule '${id}'`, rule.severity ?? ('(none)' as PolicySeverity), PolicySeverity, 'PolicySeverity');
  for (const field of ['description', 'fix'] as const) {
    if (typeof rule[field] !== 'string' || rule[field].trim() === '') {
      fail(where, `policy rule '${id}' has no ${field}`, `give the rule a one-sentence ${field === 'fix' ? 'fix (how to resolve a finding)' : 'description (what it checks)'}`);
    }
  }
  if (ids.has(id)) fail(where, `policy rule id '${id}' is used twice in the pack`, 'give each rule its own id (built-in rules start with OC-)');
  ids.add(id);
}

/**
 * The rules an organization's synthesis runs over every rendered object, chosen per organization
 * (`OrganizationProps.policyPack`). Errors fail the synthesis; warnings are printed once and listed
 * in each environment's `policy.md`, with the suppressions and their reasons.
 */
export class PolicyPack {
  /**
   * The default: what the library guarantees is an error (restricted Pod Security, requests and
   * limits, no host access, allowed registries, API-server size limits); production practice
   * (probes, two replicas and a PDB, image digests) warns.
   */
  public static recommended(): PolicyPack {
    return new PolicyPack('recommended', 'recommended', []);
  }

  /** Every rule of the recommended pack, each an error. */
  public static strict(): PolicyPack {
    return new PolicyPack('strict', 'strict', []);
  }

  /** Only the given rules, plus the API-server size limits (objects the API server would refuse are always an error). */
  public static custom(rules: IPolicyRule[]): PolicyPack {
    return new PolicyPack('custom', 'baseline', []).with(rules);
  }

  private constructor(
    /** The pack's name in reports: `recommended`, `strict` or `custom` (`+N` when rules were added). */
    public readonly name: string,
    private readonly base: BuiltInPack,
    private readonly added: IPolicyRule[],
  ) {}

  /** A pack with this pack's rules and `rules` added. */
  public with(rules: IPolicyRule[]): PolicyPack {
    if (!Array.isArray(rules)) fail('PolicyPack', `rules ${String(rules)} is not a list`, 'pass a list of IPolicyRule objects');
    const pack = new PolicyPack(this.base === 'baseline' ? 'custom' : `${this.base}+${this.added.length + rules.length}`, this.base, [...this.added, ...rules]);
    const ids = new Set<string>();
    for (const rule of pack.rules) checkRule(rule, ids);
    for (const rule of rules) {
      if (rule.id.startsWith('OC-')) fail('PolicyPack', `policy rule id '${rule.id}' uses the library's prefix OC-`, "give your rules your own prefix, e.g. 'ACME-TEAM-LABEL'");
    }
    return pack;
  }

  /** The rules, built-in first. */
  public get rules(): IPolicyRule[] {
    if (!builtIns) {
      fail('PolicyPack', 'the built-in policy rules are not loaded', "import the library from its package root ('cdk8s-openchoreo'), which loads them");
    }
    return [...builtIns(this.base), ...this.added];
  }

  /** The ids of the rules. */
  public get ruleIds(): string[] {
    return this.rules.map(r => r.id);
  }
}

/** Validates a suppression's rule id, reason and kind while declaring it. @internal */
export function checkSuppression(
  scope: IConstruct, ruleId: string, reason: string, kind: string | undefined,
  existing: readonly PolicySuppressionDeclaration[], environment?: Environment,
): void {
  checkRuleId(scope, 'suppressed policy rule id', ruleId);
  if (typeof reason !== 'string' || reason.trim().length < REASON_MIN) {
    fail(scope, `suppression of policy rule '${ruleId}' gives no real reason ('${reason ?? ''}')`,
      `explain in a sentence (at least ${REASON_MIN} characters) why the finding is acceptable; reviewers read it in the object's annotation and in policy.md`);
  }
  if (kind !== undefined && (typeof kind !== 'string' || !/^[A-Z][A-Za-z0-9]*$/.test(kind))) {
    fail(scope, `suppression of policy rule '${ruleId}' names kind '${String(kind)}'`, "give a Kubernetes kind in PascalCase, e.g. 'Deployment'");
  }
  const same = existing.find(s => s.ruleId === ruleId && s.environment === environment && s.kind === kind && s.scope === scope);
  if (same) {
    fail(scope, `policy rule '${ruleId}' is suppressed twice${environment ? ` in environment '${environment.name}'` : ''}`, 'keep one suppression per rule (and environment)');
  }
}
