import * as fs from 'fs';
import * as path from 'path';
import { isInside, TEMP_MARK, TEMP_PATTERN } from './paths';

/** The file's stats without following a link, or undefined if nothing is there. @internal */
export function lstat(full: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(full, { throwIfNoEntry: false });
  } catch (e: any) {
    if (e.code === 'ENOTDIR') return undefined;
    throw e;
  }
}

/** The temp name next to `full` that this process writes before renaming it into place. @internal */
export function tempPathFor(full: string): string {
  return path.join(path.dirname(full), `.${path.basename(full)}${TEMP_MARK}${process.pid}`);
}

/** Creates folders, remembering the ones that exist so each is created at most once, and which ones it created. @internal */
export class FolderMaker {
  private readonly made = new Set<string>();
  private readonly created: string[] = [];

  public ensure(dir: string): void {
    if (this.made.has(dir)) return;
    const first = fs.mkdirSync(dir, { recursive: true });
    if (first !== undefined) {
      for (let d = dir; ; d = path.dirname(d)) {
        this.created.push(d);
        if (d === first || path.dirname(d) === d) break;
      }
    }
    this.made.add(dir);
  }

  /** Removes the folders this maker created while they are empty, deepest first (folders that existed stay). */
  public removeCreated(): void {
    for (const dir of [...this.created].sort((a, b) => b.length - a.length)) {
      try {
        fs.rmdirSync(dir);
      } catch {
        // not empty (someone else's file) or already gone: leave it
      }
    }
    this.created.length = 0;
    this.made.clear();
  }
}

const MISSING = 'missing';

/** Looks at the directories above paths under the output directory, caching what it finds. @internal */
export class TreeInspector {
  private readonly dirs = new Map<string, string | undefined>();
  private readonly realRoot: string | undefined;

  constructor(private readonly root: string) {
    this.realRoot = fs.existsSync(root) ? fs.realpathSync(root) : undefined;
  }

  /**
   * Why `rel` cannot be written or deleted: an existing parent is not a directory, or resolves (through a
   * symbolic link) outside the output directory. Undefined if it can.
   */
  public parentProblem(rel: string): string | undefined {
    const state = this.firstState(rel);
    return state === undefined || state === MISSING ? undefined : `${rel}: ${state}`;
  }

  /**
   * Whether a folder above `rel` was missing when first looked at: nothing can be at `rel` then (the run's own
   * temp files aside), so it need not be looked at.
   */
  public parentMissing(rel: string): boolean {
    return this.firstState(rel) === MISSING;
  }

  /** The state of the first folder above `rel` that is missing or a problem; undefined if all are folders inside the root. */
  private firstState(rel: string): string | undefined {
    for (let i = rel.indexOf('/'); i >= 0; i = rel.indexOf('/', i + 1)) {
      const dir = rel.slice(0, i);
      let state = this.dirs.get(dir);
      if (state === undefined && !this.dirs.has(dir)) {
        state = this.inspect(dir);
        this.dirs.set(dir, state);
      }
      if (state !== undefined) return state;
    }
    return undefined;
  }

  private inspect(dir: string): string | undefined {
    const full = path.join(this.root, dir);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(full);
    } catch (e: any) {
      if (e.code === 'ENOENT' || e.code === 'ENOTDIR') return MISSING;
      throw e;
    }
    if (!stat.isDirectory()) return `its parent ${dir} exists and is not a directory`;
    const real = fs.realpathSync(full);
    if (this.realRoot === undefined || !isInside(this.realRoot, real)) return `its parent ${dir} resolves outside the output directory (to ${real})`;
    return undefined;
  }
}

/**
 * Removes temp files an interrupted run left in the directories of the given paths, then folders left empty;
 * the temp files this run staged (`keep`) stay. @internal
 */
export function cleanTempFiles(root: string, rels: Iterable<string>, keep: ReadonlySet<string> = new Set()): void {
  const dirs = new Set<string>();
  for (const rel of rels) dirs.add(path.dirname(path.join(root, rel)));
  for (const dir of dirs) {
    let names: string[];
    try {
      names = fs.readdirSync(dir);
    } catch {
      continue;
    }
    let removed = false;
    for (const name of names) {
      if (!TEMP_PATTERN.test(name)) continue;
      const full = path.join(dir, name);
      if (keep.has(full)) continue;
      if (lstat(full)?.isFile()) {
        fs.unlinkSync(full);
        removed = true;
      }
    }
    if (removed) removeEmptyParents(root, dir);
  }
}

/** Every temp file under `root` (not inside `.git` folders, not through symbolic links), as full paths. @internal */
export function findTempFiles(root: string, dir: string = root, found: string[] = []): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return found;
  }
  for (const e of entries) {
    if (e.isDirectory() && e.name.toLowerCase() !== '.git') findTempFiles(root, path.join(dir, e.name), found);
    else if (e.isFile() && TEMP_PATTERN.test(e.name)) found.push(path.join(dir, e.name));
  }
  return found;
}

/**
 * Removes every temp file under `root` (see `findTempFiles`), then folders left empty: after a run died, its temp
 * files may sit in folders that no later run writes to. @internal
 */
export function removeAllTempFiles(root: string): void {
  for (const full of findTempFiles(root)) {
    fs.unlinkSync(full);
    removeEmptyParents(root, path.dirname(full));
  }
}

/** Removes `dir` and its parents while they are empty, stopping at (and never removing) `root`. @internal */
export function removeEmptyParents(root: string, dir: string): void {
  while (isInside(root, dir) && dir !== root) {
    try {
      fs.rmdirSync(dir);
    } catch (e: any) {
      if (e.code === 'ENOENT') {
        dir = path.dirname(dir);
        continue;
      }
      return; // not empty (or not ours to remove)
    }
    dir = path.dirname(dir);
  }
}

/**
 * Whether deleting `rel` would delete a wanted file: the same file under another spelling (case-insensitive file
 * systems). `byLowerCase` maps each wanted path's lower case to the path.
 * @internal
 */
export function sameFileAsWanted(root: string, rel: string, byLowerCase: Map<string, string>): boolean {
  const other = byLowerCase.get(rel.toLowerCase());
  if (other === undefined || other === rel) return false;
  const a = lstat(path.join(root, rel));
  const b = lstat(path.join(root, other));
  return a !== undefined && b !== undefined && a.ino === b.ino && a.dev === b.dev;
}
