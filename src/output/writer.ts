import * as fs from 'fs';
import * as path from 'path';
import { contentOf, FileContent } from './file-content';
import { cleanTempFiles, FolderMaker, lstat, removeAllTempFiles, removeEmptyParents, sameFileAsWanted, tempPathFor, TreeInspector } from './owned-tree/files';
import { explainFsError, RunState } from './owned-tree/fs-errors';
import { acquireLock } from './owned-tree/lock';
import { normalizeFiles, PENDING_FILE, RECORD_FILE } from './owned-tree/paths';
import { hashFile, OwnershipRecord, PENDING_FORMAT, PendingLog, readPending, readRecord, RECORD_FORMAT, recordText, sha256 } from './owned-tree/record';
import { StagedFiles } from './owned-tree/staging';
import { Utf8Scratch } from './owned-tree/utf8-scratch';

export { LOCK_FILE, PENDING_FILE, RECORD_DIR, RECORD_FILE } from './owned-tree/paths';

/**
 * What `writeOwnedTree` did, as relative paths (forward slashes), each list sorted.
 * @internal
 */
export interface WriteResult {
  /** Files created or whose content changed. */
  readonly written: string[];
  /** Files whose content was already what it should be (not rewritten; includes adopted identical files). */
  readonly unchanged: string[];
  /** Files this writer owned before and deleted because they are no longer generated. */
  readonly removed: string[];
}

/** A point a run has reached, reported to `onProgress` (test hook). @internal */
export enum WriteStep {
  /** The lock is held; nothing is changed yet. */
  LOCKED = 'locked',
  /** The intent log is in place (every new or changed file is staged under its temp name). */
  PENDING = 'pending',
  /** One more new or changed file is written to its temp name (the first pass, before the intent log). */
  TEMP = 'temp',
  /** One more temp file is renamed into place. */
  RENAME = 'rename',
  /** The ownership record is replaced. */
  RECORD = 'record',
  /** One more file that is no longer generated is deleted. */
  REMOVE = 'remove',
}

/** @internal */
export interface WriteOwnedTreeOptions {
  /**
   * Who owns the tree, recorded in the ownership record. A tree recorded as owned by someone else is refused.
   * @default 'cdk8s-openchoreo'
   */
  readonly owner?: string;
  /**
   * How long to wait for another run's lock on the same tree before refusing, in milliseconds.
   * @default 30000
   */
  readonly lockTimeoutMs?: number;
  /**
   * Test hook: simulate the process dying after this many renames (each new or changed file, then the
   * ownership record), leaving behind exactly what a killed process would (temp files included).
   */
  readonly failAfter?: number;
  /** Test hook: called at each step with how many of that step are done (e.g. to kill the process there). */
  readonly onProgress?: (step: WriteStep, count: number) => void;
  /**
   * Called with the sha256 of the ownership record this run wrote or kept, while the lock is still held
   * (the re-synth cache pairs it with its input fingerprint; after the lock, another run may have replaced it).
   */
  readonly onRecorded?: (recordSha256: string) => void;
}

/** Thrown by the `failAfter` test hook; unlike a real error it leaves its temp files behind, as a killed process would. */
class SimulatedCrash extends Error {}

/** What a path may hold for this writer to overwrite or delete it: one of these hashes. */
interface Owned {
  readonly shas: Set<string>;
  /** Listed by the record or as a deletion: a different content there was changed by someone else (refused). */
  strict: boolean;
}

/**
 * Writes `files` (relative path → content, or a function producing it) under `outdir`, which may hold files this
 * writer does not own (a GitOps checkout: READMEs, other apps, `.git`). A file is overwritten or deleted only if
 * the ownership record (`.cdk8s-openchoreo/files.json`, or the intent log of an interrupted run) lists it **and**
 * its current content still has the recorded sha256:
 *
 * - the run holds an exclusive lock (`.cdk8s-openchoreo/lock`: pid, host, start time) and waits a bounded time
 *   for another run's; a lock whose process is gone is taken over;
 * - every path is validated; then a first pass produces each file's content in turn (deferred contents only
 *   then, so that they never all live at once), hashes it, compares it with what is on disk and writes each new
 *   or changed file to a temp name next to its place; every existing file that is not owned (or was changed
 *   since it was written) and differs from what would be written is reported (all of them, in one error) before
 *   anything is renamed, with the temp files and the folders made for them removed again; identical files are
 *   adopted; unchanged files are not rewritten;
 * - an intent log (`.cdk8s-openchoreo/pending.json`) lists what the run is about to write and delete, with
 *   hashes; then all temp files are renamed into place, then the record is replaced the same way, then owned
 *   files that are no longer generated are deleted (with folders left empty, never `outdir`), then the intent
 *   log is removed. A run interrupted at any point is finished by the next one (which also removes leftover temp
 *   files: in the folders it writes or owns, and anywhere under `outdir` when it takes over the lock of a run
 *   that died); `verifyOwnedTree` reports it meanwhile;
 * - file-system errors name the path, the fix and the state the tree is left in.
 * @internal
 */
export function writeOwnedTree(
  outdir: string, files: Record<string, FileContent> | Iterable<readonly [string, FileContent]>, options: WriteOwnedTreeOptions = {},
): WriteResult {
  const owner = options.owner ?? 'cdk8s-openchoreo';
  const root = path.resolve(outdir);
  const wanted = normalizeFiles(files);
  let state = RunState.UNCHANGED;
  try {
    if (fs.existsSync(root) && !fs.statSync(root).isDirectory()) {
      throw new Error(`The output directory ${root} exists but is not a directory. Nothing was changed. Fix: move that file out of the way or choose another output directory.`);
    }
    const lock = acquireLock(root, options.lockTimeoutMs);
    try {
      options.onProgress?.(WriteStep.LOCKED, 1);
      // A run that died holding the lock may have left temp files anywhere it was staging: remove them all first.
      if (lock.tookOver) removeAllTempFiles(root);
      return writeLocked(root, owner, wanted, options, () => { state = RunState.PARTIAL; });
    } finally {
      lock.release();
    }
  } catch (e) {
    throw explainFsError(e, root, state);
  }
}

function writeLocked(
  root: string, owner: string, wanted: Map<string, FileContent>, options: WriteOwnedTreeOptions, started: () => void,
): WriteResult {
  const previous = readRecord(root, owner);
  const pending = readPending(root, owner);

  // What this writer may overwrite or delete: what the record lists, what an interrupted run was deleting,
  // and what it was writing (the latter only where that run got to write it: a matching hash).
  const owned = new Map<string, Owned>();
  const own = (rel: string, sha: string, strict: boolean) => {
    const o = owned.get(rel) ?? { shas: new Set<string>(), strict: false };
    o.shas.add(sha);
    o.strict = o.strict || strict;
    owned.set(rel, o);
  };
  for (const f of previous?.files ?? []) own(f.path, f.sha256, true);
  for (const f of pending?.remove ?? []) own(f.path, f.sha256, true);
  for (const f of pending?.write ?? []) own(f.path, f.sha256, false);

  // --- first pass: validate, and stage new and changed files under temp names ---------------------------
  // Nothing a reader of the tree sees changes until every check has passed: a refusal or an error removes
  // what was staged. Each content lives only while its file is handled.
  const folders = new FolderMaker();
  const staged = new StagedFiles(folders);
  const problems: string[] = [];
  const hashes = new Map<string, string>();
  const toWrite: string[] = [];
  const unchanged: string[] = [];
  const toRemove: Array<{ path: string; sha256: string }> = [];
  const inspector = new TreeInspector(root);
  try {
    const changedBySomeoneElse = (rel: string, current: string, o: Owned) =>
      `${rel}: was changed after ${owner} wrote it (its sha256 is now ${current.slice(0, 12)}…, the record has ${[...o.shas][0].slice(0, 12)}…)`;
    const scratch = new Utf8Scratch();
    for (const [rel, source] of wanted) {
      const content = contentOf(source);
      if (typeof content !== 'string') throw new Error(`Content of ${rel} must be a string.`);
      // Encoded once into the reused buffer: hashed, compared and staged from those bytes (valid until the next file).
      const bytes = scratch.encode(content);
      const wantedSha = sha256(bytes);
      hashes.set(rel, wantedSha);
      const problem = inspector.parentProblem(rel);
      if (problem) {
        problems.push(problem);
        continue;
      }
      const full = path.join(root, rel);
      const stat = inspector.parentMissing(rel) ? undefined : lstat(full); // a first synth creates every folder
      const o = owned.get(rel);
      let write = false;
      if (!stat) {
        write = true;
      } else if (stat.isDirectory()) {
        problems.push(`${rel}: is a directory`);
      } else if (!stat.isFile()) {
        problems.push(`${rel}: exists, is not owned by ${owner} and is not a regular file (a symbolic link or a device)`);
      } else if (o === undefined && stat.size !== bytes.length) {
        problems.push(`${rel}: exists, is not owned by ${owner} and differs from what it would write`);
      } else {
        const current = hashFile(full);
        if (current === wantedSha) unchanged.push(rel);
        else if (o?.shas.has(current)) write = true;
        else if (o?.strict) problems.push(changedBySomeoneElse(rel, current, o));
        else problems.push(`${rel}: exists, is not owned by ${owner} and differs from what it would write`);
      }
      if (!write) continue;
      toWrite.push(rel);
      if (problems.length > 0) continue; // refused anyway: stage nothing more
      staged.stage(full, bytes);
      options.onProgress?.(WriteStep.TEMP, staged.count);
    }
    const byLowerCase = new Map([...wanted.keys()].map(rel => [rel.toLowerCase(), rel]));
    for (const [rel, o] of [...owned].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      if (wanted.has(rel)) continue;
      const problem = inspector.parentProblem(rel);
      if (problem) {
        problems.push(problem);
        continue;
      }
      const stat = lstat(path.join(root, rel));
      if (!stat?.isFile()) continue; // already gone, or replaced by something that is not our file
      if (sameFileAsWanted(root, rel, byLowerCase)) continue; // e.g. `A.yaml` → `a.yaml` on a case-insensitive file system
      const current = hashFile(path.join(root, rel));
      if (o.shas.has(current)) toRemove.push({ path: rel, sha256: current });
      else if (o.strict) problems.push(`${changedBySomeoneElse(rel, current, o)}; it is no longer generated but is not deleted`);
    }
    if (problems.length > 0) {
      throw new Error(
        `Refusing to write to ${root}; nothing was written. ${owner} only overwrites or deletes files listed in ${RECORD_FILE} there, `
        + 'and only while they hold what it wrote:\n'
        + problems.map(p => `  - ${p}\n`).join('')
        + 'Fix: Move each of these out of the way (rename it or put it elsewhere), or delete it so the generator may own and write it, '
        + 'then synth again. To change a generated file for good, change the platform declaration instead.',
      );
    }
  } catch (e) {
    staged.discard();
    throw e;
  }

  // --- apply -----------------------------------------------------------------------------------------
  const record: OwnershipRecord = { format: RECORD_FORMAT, owner, files: [...wanted.keys()].map(p => ({ path: p, sha256: hashes.get(p)! })) };
  const text = recordText(record);
  let budget = options.failAfter ?? Infinity;
  try {
    // Folders that were missing hold only this run's temp files: no need to look into them.
    const looked = [...wanted.keys(), ...owned.keys()].filter(rel => !inspector.parentMissing(rel));
    cleanTempFiles(root, [...looked, RECORD_FILE, PENDING_FILE], staged.tempPaths());
    const recordChanged = !sameText(path.join(root, RECORD_FILE), text);
    if (toWrite.length === 0 && toRemove.length === 0 && !recordChanged) {
      if (pending) fs.rmSync(path.join(root, PENDING_FILE), { force: true });
      options.onRecorded?.(sha256(text));
      return { written: [], unchanged, removed: [] };
    }

    // Every file the new record lists (written, unchanged or adopted) and every file about to be deleted, with
    // their hashes: if this run is interrupted, the next one owns exactly those, whatever point it stopped at.
    const log: PendingLog = {
      format: PENDING_FORMAT,
      owner,
      write: record.files,
      remove: toRemove,
    };
    replaceFile(root, PENDING_FILE, recordText(log), folders);
    started();
    options.onProgress?.(WriteStep.PENDING, 1);

    // The staged files, renamed into place one after the other, so the tree is mixed only briefly.
    for (let i = 0; i < toWrite.length; i++) {
      if (budget-- <= 0) throw new SimulatedCrash(`Simulated crash before renaming ${toWrite[i]} into place`);
      staged.rename(i);
      options.onProgress?.(WriteStep.RENAME, i + 1);
    }
    if (recordChanged) {
      if (budget-- <= 0) {
        fs.writeFileSync(tempPathFor(path.join(root, RECORD_FILE)), text);
        throw new SimulatedCrash(`Simulated crash before renaming ${RECORD_FILE} into place`);
      }
      replaceFile(root, RECORD_FILE, text, folders);
      options.onProgress?.(WriteStep.RECORD, 1);
    }
  } catch (e) {
    if (!(e instanceof SimulatedCrash)) staged.discard(); // the temp files not renamed yet, and folders left empty
    throw e;
  }
  if (budget <= 0) throw new SimulatedCrash('Simulated crash before deleting files that are no longer generated');

  const removed: string[] = [];
  for (const { path: rel } of toRemove) {
    const full = path.join(root, rel);
    fs.rmSync(full, { force: true });
    removed.push(rel);
    removeEmptyParents(root, path.dirname(full));
    options.onProgress?.(WriteStep.REMOVE, removed.length);
  }
  fs.rmSync(path.join(root, PENDING_FILE), { force: true });
  options.onRecorded?.(sha256(text));
  return { written: toWrite, unchanged, removed };
}

/** Writes `content` to a temp file next to `rel` and renames it into place (removing the temp file if that fails). */
function replaceFile(root: string, rel: string, content: string, folders: FolderMaker): void {
  const full = path.join(root, rel);
  folders.ensure(path.dirname(full));
  const temp = tempPathFor(full);
  try {
    fs.writeFileSync(temp, content);
    fs.renameSync(temp, full);
  } catch (e) {
    fs.rmSync(temp, { force: true });
    throw e;
  }
}

function sameText(full: string, content: string): boolean {
  const stat = lstat(full);
  return stat !== undefined && stat.isFile() && stat.size === Buffer.byteLength(content) && fs.readFileSync(full, 'utf8') === content;
}
