import { Testing } from 'cdk8s';
import { listFiles, withApp } from './fixtures';
import { Organization, PlatformApp } from '../../src';
import { formatProblem, PlatformValidationError } from '../../src/model/errors';

/** A problem a test expects the platform to report. */
export interface ExpectedProblem {
  /** The exact construct path the problem must be reported at. */
  readonly path: string;
  /** The bad value, as it must appear in the message. */
  readonly value: string;
  /** What the `Fix:` part must say. */
  readonly fix: RegExp;
  /** When the problem must be detected; unchecked when omitted. */
  readonly at?: 'construction' | 'synth';
  /** Text that must NOT appear in the message (e.g. a secret value). */
  readonly notContaining?: string;
}

/**
 * Declares a platform with `build`, then synthesizes it with PlatformApp into a temporary directory.
 * Asserts that a PlatformValidationError is thrown (while declaring or while synthesizing) with a
 * problem `[path] ...value... . Fix: ...`. For synth-time problems it also asserts that no file was
 * written and that `Testing.synth(org)` fails the same way.
 */
export function expectProblem(build: (app: PlatformApp) => void, expected: ExpectedProblem): void {
  withApp((app, outdir) => {
    let error: unknown;
    let at: 'construction' | 'synth' | undefined;
    try {
      build(app);
    } catch (e) {
      error = e;
      at = 'construction';
    }
    if (at === undefined) {
      try {
        app.synth();
      } catch (e) {
        error = e;
        at = 'synth';
      }
    }
    if (at === undefined) {
      throw new Error(`expected a validation error at [${expected.path}] naming '${expected.value}', but the platform synthesized ${listFiles(outdir).length} file(s)`);
    }
    // (a) the right kind of error was thrown
    if (!(error instanceof PlatformValidationError)) throw error;
    if (expected.at) expect(at).toBe(expected.at);
    const message = error.message;
    // (b) exact construct path, (c) bad value, (d) a fix — all in one problem
    expect(message).toContain(`[${expected.path}] `);
    expect(message).toContain(expected.value);
    expect(message).toContain('Fix:');
    const problem = error.problems.find(p => p.path === expected.path && p.message.includes(expected.value));
    if (!problem) {
      throw new Error(`no problem at [${expected.path}] names '${expected.value}'; got:\n${message}`);
    }
    expect(problem.fix).toMatch(expected.fix);
    expect(message).toContain(formatProblem(problem));
    if (expected.notContaining !== undefined) expect(message).not.toContain(expected.notContaining);

    if (at === 'synth') {
      // Fails before any YAML is written.
      expect(listFiles(outdir)).toEqual([]);
      // The chart API reports the same problems.
      const orgId = expected.path.split('/')[0];
      const org = app.node.findAll().filter(Organization.isOrganization).find(o => o.node.path === orgId);
      if (org) expect(() => Testing.synth(org)).toThrow(message);
    }
  });
}
