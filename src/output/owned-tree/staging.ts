import * as fs from 'fs';
import * as path from 'path';
import { FolderMaker, tempPathFor } from './files';

/**
 * The new and changed files of a run, each written to its temp name next to its place as soon as its content
 * is produced (the writer's first pass), so that a run holds one file's content at a time instead of the whole
 * tree's. Until they are renamed into place they change nothing a reader of the tree sees (temp names are
 * hidden and reserved; `verifyOwnedTree` reports them). `discard()` removes them and the folders made for them:
 * a refused or failed first pass leaves the tree as it found it. After a crash, the next run removes them
 * (`cleanTempFiles`).
 * @internal
 */
export class StagedFiles {
  private readonly temps: string[] = [];
  private readonly targets: string[] = [];

  constructor(private readonly folders: FolderMaker) {}

  /** How many files are staged. */
  public get count(): number {
    return this.temps.length;
  }

  /** The temp paths staged so far (the ones `cleanTempFiles` must keep). */
  public tempPaths(): ReadonlySet<string> {
    return new Set(this.temps);
  }

  /** Writes `content` to the temp name of `full` (creating its folder). */
  public stage(full: string, content: string | Buffer): void {
    this.folders.ensure(path.dirname(full));
    const temp = tempPathFor(full);
    this.temps.push(temp);
    this.targets.push(full);
    fs.writeFileSync(temp, content);
  }

  /** Renames the `i`th staged file into place. */
  public rename(i: number): void {
    fs.renameSync(this.temps[i], this.targets[i]);
    this.temps[i] = '';
  }

  /** Removes the staged files not renamed yet, and the folders made for them while they are empty. */
  public discard(): void {
    for (const t of this.temps) if (t) fs.rmSync(t, { force: true });
    this.folders.removeCreated();
  }
}

