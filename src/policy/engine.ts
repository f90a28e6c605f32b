import { UNSUPPRESSIBLE_RULES } from './packs';
import { memoizingPodTemplates } from './pod-templates';
import { rulesByKind } from './rule-kinds';
import { policySubjects } from './subjects';
import { ProblemCollector } from '../model/errors';
import type { Organization } from '../model/organization';
import { IPolicyRule, PolicyFinding, PolicySeverity, PolicySubject, PolicySuppressionDeclaration } from '../model/policy';
import type { OwnedObject } from '../render/identities';
import { compareText } from '../render/markdown';
import { objectName } from '../render/object-name';
import type { RenderedObject } from '../render/types';
import { Plan } from '../resolve/plan';

/** The annotation a suppressed object carries per rule: `policy.openchoreo.dev/suppressed-<rule id in lower case>`. @internal */
export const SUPPRESSED_ANNOTATION_PREFIX = 'policy.openchoreo.dev/suppressed-';

/** One finding that did not fail the synthesis: a warning, or a suppressed finding. @internal */
export interface PolicyFindingRecord {
  readonly ruleId: string;
  readonly severity: PolicySeverity;
  /** The owner's construct path. */
  readonly path: string;
  readonly owner: string;
  /** `Kind 'namespace/name'`. */
  readonly object: string;
  readonly environment?: string;
  readonly message: string;
  readonly fix: string;
  /** Set when a suppression covers it. */
  readonly suppressed?: { readonly reason: string; readonly by: string };
}

/** A component's declared opt-out of a Pod Security rule: a recorded suppression of OC-POD-SECURITY. @internal */
export interface PolicyException {
  readonly environment: string;
  readonly path: string;
  readonly rule: string;
  readonly reason: string;
}

/** What the policy pack found in an organization. @internal */
export interface PolicyEvaluation {
  readonly pack: string;
  readonly rules: ReadonlyArray<Pick<IPolicyRule, 'id' | 'severity' | 'description' | 'fix'>>;
  /** Warnings and suppressed findings, sorted by environment, rule, path and object. */
  readonly findings: PolicyFindingRecord[];
  readonly exceptions: PolicyException[];
}

/**
 * Runs the organization's policy pack over every rendered object (after traits and patches):
 * errors that no suppression covers fail the synthesis with the owner's path, the object, the rule
 * and the fix, as do suppressions that name an unknown rule or suppress nothing; suppressed
 * objects get a `policy.openchoreo.dev/suppressed-<rule>` annotation with the reason. @internal
 */
export function evaluatePolicy(org: Organization, plan: Plan, objects: readonly RenderedObject[], owned: readonly OwnedObject[]): PolicyEvaluation {
  const pack = org.policyPack;
  const rules = pack.rules;
  const subjects = policySubjects(plan, objects, owned, org.allowedRegistries);
  // a component's own suppression first: it is the more specific one
  const suppressions = [...org._components().flatMap(c => c._policySuppressions), ...org._policySuppressions];
  const used = new Map<PolicySuppressionDeclaration, number>(suppressions.map(s => [s, 0]));
  const problems = new ProblemCollector();
  const records: PolicyFindingRecord[] = [];
  const annotate: Array<{ manifest: any; ruleId: string; reason: string }> = [];
  // Subjects outside, rules inside: the pod-template memo then holds one manifest at a time (every rule reading a
  // workload's templates asks right after the previous one). The outcomes are kept per rule and handled below in
  // rule order, so that errors, records and annotations come in the same order as running rule by rule.
  const runs: RuleRun[] = rules.map(rule => ({ rule, outcomes: [] }));
  const runsOf = rulesByKind(runs);
  memoizingPodTemplates(() => {
    for (let i = 0; i < subjects.length; i++) { // indexed: no iterator result per object while the loop is not yet optimized
      const subject = subjects[i];
      const applicable = runsOf(subject.manifest.kind);
      for (let r = 0; r < applicable.length; r++) {
        const run = applicable[r];
        const outcome = runRule(run.rule, subject);
        if (outcome !== undefined) run.outcomes.push(outcome); // most objects comply: nothing kept for them
      }
    }
  });
  for (const { rule, outcomes } of runs) {
    const candidates = suppressions.filter(s => s.ruleId === rule.id && !UNSUPPRESSIBLE_RULES.has(rule.id));
    for (const outcome of outcomes) {
      const subject = outcome.subject;
      if (outcome.broken !== undefined) {
        problems.add(org, outcome.broken.message, outcome.broken.fix);
        continue;
      }
      for (const finding of outcome.findings!) {
        const object = objectName(subject.manifest);
        const inEnv = subject.environment ? ` in '${subject.environment}'` : '';
        const suppression = candidates.find(s => covers(s, subject));
        const fix = finding.fix ?? rule.fix;
        if (suppression) {
          used.set(suppression, used.get(suppression)! + 1);
          annotate.push({ manifest: subject.manifest, ruleId: rule.id, reason: suppression.reason });
        } else if (rule.severity === PolicySeverity.ERROR) {
          problems.add(subject.path, `policy rule ${rule.id}: ${object}${inEnv}: ${finding.message}`,
            UNSUPPRESSIBLE_RULES.has(rule.id) ? fix : `${fix}; or, if it is intended, suppress it with a reason: ${suppressHint(subject, rule.id)}`,
            { environment: subject.environment });
          continue;
        }
        records.push({
          ruleId: rule.id,
          severity: rule.severity,
          path: subject.path,
          owner: subject.owner,
          object,
          environment: subject.environment,
          message: finding.message,
          fix,
          suppressed: suppression ? { reason: suppression.reason, by: suppression.scope.node.path } : undefined,
        });
      }
    }
  }
  checkSuppressions(rules, pack.name, used, problems);
  problems.throwIfAny();
  for (const a of annotate) setAnnotation(a.manifest, `${SUPPRESSED_ANNOTATION_PREFIX}${a.ruleId.toLowerCase()}`, a.reason);
  const exceptions = plan.cells.flatMap(cell => cell.components.flatMap(c => c.security.exceptions.map(e => ({
    environment: cell.environment, path: c.path, rule: e.rule, reason: e.reason,
  }))));
  return {
    pack: pack.name,
    rules: rules.map(r => ({ id: r.id, severity: r.severity, description: r.description, fix: r.fix })),
    findings: records.sort((a, b) => compareText(a.environment ?? '', b.environment ?? '') || compareText(a.ruleId, b.ruleId)
      || compareText(a.path, b.path) || compareText(a.object, b.object) || compareText(a.message, b.message)),
    exceptions,
  };
}

/** A rule and what it found. */
interface RuleRun {
  readonly rule: IPolicyRule;
  readonly outcomes: RuleOutcome[];
}

/** Findings of a rule on a subject, or the problem of a rule that threw or answered something else (worded at once). */
interface RuleOutcome {
  readonly subject: PolicySubject;
  readonly findings?: PolicyFinding[];
  readonly broken?: { readonly message: string; readonly fix: string };
}

/** A rule's outcome on one subject; undefined when it found nothing. */
function runRule(rule: IPolicyRule, subject: PolicySubject): RuleOutcome | undefined {
  let findings: unknown;
  try {
    findings = rule.check(subject);
  } catch (e) {
    return {
      subject,
      broken: {
        message: `policy rule ${rule.id} failed on ${objectName(subject.manifest)} of ${subject.owner}: ${e instanceof Error ? e.message : String(e)}`,
        fix: "fix the rule's check(subject): it must return a list of findings (empty when the object complies) and not throw",
      },
    };
  }
  if (Array.isArray(findings) && findings.length === 0) return undefined; // most objects comply
  if (!Array.isArray(findings) || findings.some(f => typeof f?.message !== 'string' || f.message.trim() === '' || (f.fix !== undefined && typeof f.fix !== 'string'))) {
    return {
      subject,
      broken: {
        message: `policy rule ${rule.id} returned ${JSON.stringify(findings)} for ${objectName(subject.manifest)} of ${subject.owner}`,
        fix: "return a list of findings, each { message: 'what is wrong, naming the value' } with an optional fix string",
      },
    };
  }
  // a copy of what it answered, as it was checked (it is handled after every rule ran)
  const copies = findings.map((f: PolicyFinding) => (f.fix === undefined ? { message: f.message } : { message: f.message, fix: f.fix }));
  return { subject, findings: copies };
}

function covers(s: PolicySuppressionDeclaration, subject: PolicySubject): boolean {
  if (s.environment !== undefined && s.environment.name !== subject.environment) return false;
  if (s.component !== undefined) return subject.component !== undefined && s.component.node.path === subject.path;
  return s.kind === undefined || s.kind === subject.manifest.kind;
}

function suppressHint(subject: PolicySubject, ruleId: string): string {
  const env = subject.environment ? `, { environment: ${subject.environment} }` : '';
  return subject.component !== undefined
    ? `component.suppressPolicy('${ruleId}', '<why it is acceptable>'${env})`
    : `organization.suppressPolicy('${ruleId}', '<why it is acceptable>'${subject.environment ? `, { environment: ${subject.environment}, kind: '${subject.manifest.kind}' }` : `, { kind: '${subject.manifest.kind}' }`})`;
}

function checkSuppressions(rules: IPolicyRule[], pack: string, used: Map<PolicySuppressionDeclaration, number>, problems: ProblemCollector): void {
  const ids = new Set(rules.map(r => r.id));
  for (const [s, count] of used) {
    const where = s.environment ? ` in environment '${s.environment.name}'` : '';
    if (UNSUPPRESSIBLE_RULES.has(s.ruleId)) {
      problems.add(s.scope, `policy rule '${s.ruleId}' cannot be suppressed: the API server would refuse the objects it finds`,
        'remove the suppression and make the object smaller or its labels valid');
    } else if (!ids.has(s.ruleId)) {
      problems.add(s.scope, `suppression names policy rule '${s.ruleId}', which the organization's policy pack '${pack}' does not have`,
        `use one of ${[...ids].join(', ')}, or add the rule to the pack (PolicyPack.recommended().with([...]))`);
    } else if (count === 0) {
      problems.add(s.scope, `suppression of policy rule '${s.ruleId}'${where}${s.kind ? ` for kind ${s.kind}` : ''} suppresses nothing: no object it covers has a finding of that rule`,
        'remove the suppression (the objects comply), or narrow it to where the finding is');
    }
  }
}

/** Sets an annotation on a copy of the metadata (metadata objects may be shared between manifests), keys sorted. */
function setAnnotation(manifest: any, key: string, value: string): void {
  const annotations: Record<string, string> = { ...(manifest.metadata?.annotations ?? {}), [key]: value };
  manifest.metadata = { ...manifest.metadata, annotations: Object.fromEntries(Object.entries(annotations).sort(([a], [b]) => compareText(a, b))) };
}
