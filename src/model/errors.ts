import { IConstruct } from 'constructs';

/**
 * One problem found in the declared platform: where it is, what the bad value is, and how to fix it.
 * @internal
 */
export interface Problem {
  readonly path: string;
  readonly message: string;
  readonly fix: string;
}

/** Formats a problem as `[path] message. Fix: ...`. @internal */
export function formatProblem(p: Problem): string {
  return `[${p.path}] ${p.message}. Fix: ${p.fix}`;
}

/**
 * Thrown for invalid declarations. The message names the construct path, the bad value and the fix.
 * @internal
 */
export class PlatformValidationError extends Error {
  public readonly problems: Problem[];
  constructor(problems: Problem[]) {
    super(problems.length === 1
      ? formatProblem(problems[0])
      : `${problems.length} problems in the platform declaration:\n${problems.map(p => `  - ${formatProblem(p)}`).join('\n')}`);
    this.name = 'PlatformValidationError';
    this.problems = problems;
  }
}

/** Throws a single-problem validation error for `scope`. @internal */
export function fail(scope: IConstruct | string, message: string, fix: string): never {
  throw new PlatformValidationError([{ path: typeof scope === 'string' ? scope : scope.node.path, message, fix }]);
}

/** Collects problems during resolution, then throws them all at once. @internal */
export class ProblemCollector {
  private readonly problems: Problem[] = [];
  public add(scope: IConstruct | string, message: string, fix: string): void {
    this.problems.push({ path: typeof scope === 'string' ? scope : scope.node.path, message, fix });
  }
  public get count(): number {
    return this.problems.length;
  }
  public throwIfAny(): void {
    if (this.problems.length > 0) {
      const sorted = [...this.problems].sort((a, b) => a.path.localeCompare(b.path) || a.message.localeCompare(b.message));
      throw new PlatformValidationError(sorted);
    }
  }
}
