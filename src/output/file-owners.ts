import { PlatformValidationError, ValidationProblem } from '../model/errors';

/**
 * Every file of the output tree has one owner: a component's or a cell's objects, one object (in
 * a file-per-resource layout), a generated kustomization.yaml, a report, another chart. A second
 * owner of the same path would overwrite or merge into the first, so it is reported naming both.
 * @internal
 */
export class FileOwners {
  private readonly owners = new Map<string, string>();
  private readonly problems: ValidationProblem[] = [];

  /** Claims `file` for `owner` (in words); the same owner may claim it again. */
  public claim(file: string, owner: string): void {
    const first = this.owners.get(file);
    if (first === undefined) {
      this.owners.set(file, owner);
    } else if (first !== owner) {
      this.problems.push({
        path: file,
        message: `the output file is claimed by ${first} and by ${owner}: the second would overwrite or merge into the first`,
        fix: 'rename the construct whose name makes the path (a name the tree uses itself, or two names that join into one path)',
      });
    }
  }

  /** Throws every clash found. */
  public throwIfAny(): void {
    if (this.problems.length > 0) throw new PlatformValidationError(this.problems);
  }
}
