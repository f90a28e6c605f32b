import { IConstruct } from 'constructs';

/**
 * One problem found in a platform declaration: where it is (the construct path, or a file), what is
 * wrong (naming the bad value), and how to fix it.
 */
export interface ValidationProblem {
  /** The construct path (or file) the problem is at, e.g. `acme/shop/api`. */
  readonly path: string;
  /** What is wrong, naming the bad value. */
  readonly message: string;
  /** How to fix it. */
  readonly fix: string;
}

/** Formats a problem as `[path] message. Fix: ...`. @internal */
export function formatProblem(p: ValidationProblem): string {
  return `[${p.path}] ${p.message}. Fix: ${p.fix}`;
}

/** Marks our validation errors across copies of the library (instanceof fails between two copies). */
const VALIDATION_ERROR = Symbol.for('cdk8s-openchoreo.PlatformValidationError');

/**
 * Thrown for invalid declarations, while declaring (constructors) or while synthesizing (checks
 * across constructs, where every problem is collected first). `problems` lists each problem with
 * its construct path, the bad value and the fix; the message is `[path] message. Fix: ...` (one
 * problem) or one such line per problem.
 *
 * TypeScript: `import { PlatformValidationError } from 'cdk8s-openchoreo/lib/model/errors'`, or use
 * `PlatformErrors.isPlatformValidationError(e)` (a jsii class extending `Error` cannot be exported
 * to other languages).
 */
export class PlatformValidationError extends Error {
  /** Whether `x` is a PlatformValidationError (also one thrown by another copy of the library). */
  public static isPlatformValidationError(x: any): x is PlatformValidationError {
    return x !== null && typeof x === 'object' && VALIDATION_ERROR in x;
  }

  /** The problems, sorted by path when several were collected. */
  public readonly problems: ValidationProblem[];

  constructor(problems: ValidationProblem[]) {
    super(problems.length === 1
      ? formatProblem(problems[0])
      : `${problems.length} problems in the platform declaration:\n${problems.map(p => `  - ${formatProblem(p)}`).join('\n')}`);
    this.name = 'PlatformValidationError';
    this.problems = problems;
    Object.defineProperty(this, VALIDATION_ERROR, { value: true });
  }
}

/** The environment variable that adds stack traces to the errors {@link PlatformErrors.describe} formats. */
export const DEBUG_VARIABLE = 'CDK8S_OPENCHOREO_DEBUG';

/**
 * Reading the errors the library throws: a type guard for validation errors, their problems, and the
 * text a person sees when a synthesis fails (what `PlatformApp.handleErrors()` prints).
 */
export class PlatformErrors {
  /** Whether `x` is a validation error of the platform declaration (it has `problems`). */
  public static isPlatformValidationError(x: any): x is PlatformValidationError {
    return PlatformValidationError.isPlatformValidationError(x);
  }

  /** The problems of a validation error; none for anything else. */
  public static problemsOf(error: any): ValidationProblem[] {
    return PlatformValidationError.isPlatformValidationError(error) ? [...error.problems] : [];
  }

  /**
   * The text a person sees for a failed synthesis: each problem once (repeats dropped) as `[path] message. Fix: ...`
   * (or the error's message for other errors), no stack trace unless `withStack` (what
   * `CDK8S_OPENCHOREO_DEBUG=1` turns on), ending with a newline.
   * @param withStack add the error's stack trace
   * @default false
   */
  public static describe(error: any, withStack: boolean = false): string {
    const problems = [...new Set(PlatformErrors.problemsOf(error).map(formatProblem))];
    const lines = problems.length > 0
      ? [`Synthesis failed: ${problems.length === 1 ? '1 problem' : `${problems.length} problems`} in the platform declaration.`, ...problems]
      : [`Synthesis failed: ${error instanceof Error ? error.message : String(error)}`];
    if (withStack && error instanceof Error && error.stack) lines.push('', error.stack);
    else lines.push(`(set ${DEBUG_VARIABLE}=1 to see the stack trace)`);
    return `${lines.join('\n')}\n`;
  }

  private constructor() {}
}

/** Whether the debug variable asks for stack traces. @internal */
export function debugRequested(env: { [name: string]: string | undefined } = process.env): boolean {
  const v = env[DEBUG_VARIABLE];
  return v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';
}

/** Throws a single-problem validation error for `scope`. @internal */
export function fail(scope: IConstruct | string, message: string, fix: string): never {
  throw new PlatformValidationError([{ path: typeof scope === 'string' ? scope : scope.node.path, message, fix }]);
}

/** What a collected problem concerns beyond its construct. @internal */
export interface ProblemContext {
  /** The environment the check ran for, when it runs once per environment. */
  readonly environment?: string;
}

interface CollectedProblem extends ValidationProblem {
  readonly environment?: string;
}

/**
 * Collects problems during resolution, then throws them all at once: each problem once (checks
 * that run per environment report a problem that names its environment once, adding the other
 * environments it also occurs in), sorted by path. @internal
 */
export class ProblemCollector {
  private readonly problems: CollectedProblem[] = [];
  public add(scope: IConstruct | string, message: string, fix: string, context: ProblemContext = {}): void {
    this.problems.push({ path: typeof scope === 'string' ? scope : scope.node.path, message, fix, environment: context.environment });
  }
  public get count(): number {
    return this.problems.length;
  }
  public throwIfAny(): void {
    if (this.problems.length > 0) {
      const sorted = mergeProblems(this.problems).sort((a, b) => a.path.localeCompare(b.path) || a.message.localeCompare(b.message));
      throw new PlatformValidationError(sorted);
    }
  }
}

/**
 * Drops repeated problems; a problem that names its environment and occurs the same way in several
 * environments is reported once, for the first, with `(also in 'b', 'c')`.
 */
function mergeProblems(problems: readonly CollectedProblem[]): ValidationProblem[] {
  const groups = new Map<string, { first: CollectedProblem; environments: string[] }>();
  for (const p of problems) {
    const env = p.environment ?? '';
    // The environment's name as a whole name (environment names are DNS labels: [a-z0-9-]).
    const token = new RegExp(`(?<![a-z0-9-])${env.replace(/[^a-z0-9-]/g, '\\$&')}(?![a-z0-9-])`, 'g');
    const named = env !== '' && p.message.includes(`'${env}'`);
    const normalize = (text: string) => (named ? text.replace(token, '\u0000') : text);
    const key = [p.path, normalize(p.message), normalize(p.fix)].join('\u0001');
    const group = groups.get(key);
    if (!group) groups.set(key, { first: p, environments: named ? [env] : [] });
    else if (named && !group.environments.includes(env)) group.environments.push(env);
  }
  return [...groups.values()].map(({ first, environments }) => ({
    path: first.path,
    message: environments.length > 1 ? `${first.message} (also in ${environments.slice(1).map(e => `'${e}'`).join(', ')})` : first.message,
    fix: first.fix,
  }));
}
