import { formatProblem, PlatformValidationError } from '../../src/model/errors';
import type { Organization } from '../../src/model/organization';
import { IPolicyRule, PolicyFinding, PolicySubject } from '../../src/model/policy';
import { evaluatePolicy, PolicyEvaluation } from '../../src/policy/engine';
import { policySubjects } from '../../src/policy/subjects';
import { _setPolicyWarningWriter } from '../../src/policy/warnings';
import { renderGitOps } from '../../src/render/gitops';
import { ownedObjects } from '../../src/render/identities';
import { renderPlan } from '../../src/render/platform';
import type { RenderedObject } from '../../src/render/types';
import { resolveOrganization } from '../../src/resolve/resolver';

/** The organization's objects as the pipeline renders them, before the policy pack runs. */
export function renderUnchecked(org: Organization) {
  const plan = resolveOrganization(org);
  const cellObjects = renderPlan(plan);
  const objects = [...cellObjects, ...renderGitOps(plan, cellObjects)];
  return { plan, objects };
}

/**
 * Renders `org`, lets `change` alter the rendered objects (what a trait or a patch does), then
 * runs the policy pack over the result, as the pipeline does after its customizations step.
 */
export function evaluateChanged(org: Organization, change: (objects: RenderedObject[]) => void = () => {}): PolicyEvaluation {
  const { plan, objects } = renderUnchecked(org);
  change(objects);
  return evaluatePolicy(org, plan, objects, ownedObjects(org, plan, objects));
}

/** The policy subjects of `org`'s rendered objects (after `change`). */
export function subjectsOf(org: Organization, change: (objects: RenderedObject[]) => void = () => {}): PolicySubject[] {
  const { plan, objects } = renderUnchecked(org);
  change(objects);
  return policySubjects(plan, objects, ownedObjects(org, plan, objects), org.allowedRegistries);
}

/** The one rendered object of `kind` whose name starts with `prefix`. */
export function objectOf(objects: RenderedObject[], kind: string, prefix: string): any {
  const found = objects.filter(o => o.manifest.kind === kind && String(o.manifest.metadata?.name).startsWith(prefix));
  if (found.length !== 1) throw new Error(`expected one ${kind} '${prefix}…', found ${found.length}`);
  return found[0].manifest;
}

/** The one subject of `kind` whose name starts with `prefix` (a workload's name is `<component>-<environment>-<hash>`). */
export function subjectOf(subjects: PolicySubject[], kind: string, prefix: string): PolicySubject {
  const found = subjects.filter(s => s.manifest.kind === kind && String(s.manifest.metadata?.name).startsWith(prefix));
  if (found.length !== 1) throw new Error(`expected one ${kind} '${prefix}…', found ${found.length}`);
  return found[0];
}

/** A rule's findings over every subject. */
export function findingsOf(rule: IPolicyRule, subjects: PolicySubject[]): PolicyFinding[] {
  return subjects.flatMap(s => rule.check(s));
}

/** Asserts that `fn` throws a validation error with a problem at `path` naming `value`, whose fix matches `fix`. */
export function expectPolicyProblem(fn: () => unknown, expected: { path: string; value: string; fix: RegExp }): void {
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  if (!(error instanceof PlatformValidationError)) throw error ?? new Error(`expected a problem at [${expected.path}] naming '${expected.value}', but nothing was thrown`);
  const problem = error.problems.find(p => p.path === expected.path && p.message.includes(expected.value));
  if (!problem) throw new Error(`no problem at [${expected.path}] names '${expected.value}'; got:\n${error.message}`);
  expect(problem.fix).toMatch(expected.fix);
  expect(error.message).toContain(formatProblem(problem));
}

/** Captures the printed policy warnings for the test file (restores stderr afterwards). */
export function captureWarnings(): string[] {
  const printed: string[] = [];
  beforeAll(() => _setPolicyWarningWriter(text => printed.push(text)));
  afterAll(() => _setPolicyWarningWriter());
  return printed;
}

/** The main container of a workload manifest's pod template. */
export function mainContainer(manifest: any): any {
  const template = manifest.kind === 'CronJob' ? manifest.spec.jobTemplate.spec.template : manifest.spec.template;
  return template.spec.containers[0];
}
