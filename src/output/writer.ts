import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

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

/** @internal */
export interface WriteOwnedTreeOptions {
  /**
   * Who owns the tree, recorded in the ownership record. A tree recorded as owned by someone else is refused.
   * @default 'cdk8s-openchoreo'
   */
  readonly owner?: string;
  /**
   * Test hook: simulate the process dying after this many renames (each new or changed file, then the
   * ownership record), leaving behind exactly what a killed process would (temp file included).
   */
  readonly failAfter?: number;
}

/** The folder (under the output directory) holding the ownership record. @internal */
export const RECORD_DIR = '.cdk8s-openchoreo';
/** The ownership record: the files this writer owns, with their sha256. @internal */
export const RECORD_FILE = `${RECORD_DIR}/files.json`;
/** Intent log written before the first change and removed after the last one; read only after an interrupted run. @internal */
export const PENDING_FILE = `${RECORD_DIR}/pending.json`;

const FORMAT = 1;
const DEFAULT_OWNER = 'cdk8s-openchoreo';
const TEMP_MARK = '.cdk8s-openchoreo-tmp-';
const TEMP_PATTERN = /^\..+\.cdk8s-openchoreo-tmp-\d+$/;

interface RecordEntry { readonly path: string; readonly sha256: string }
interface OwnershipRecord { readonly format: number; readonly owner: string; readonly files: RecordEntry[] }
interface PendingLog { readonly format: number; readonly owner: string; readonly write: RecordEntry[]; readonly remove: string[] }

/** Thrown by the `failAfter` test hook; unlike a real error it leaves its temp file behind, as a killed process would. */
class SimulatedCrash extends Error {}

/**
 * Writes `files` (relative path → content) under `outdir`, which may hold files this writer does not own
 * (a GitOps checkout: READMEs, other apps, `.git`). Only what the previous ownership record
 * (`.cdk8s-openchoreo/files.json`) lists is ever overwritten or deleted:
 *
 * - every path is validated, and every existing file that is not owned and differs from what would be
 *   written is reported (all of them, in one error) before anything is written; identical files are adopted;
 * - unchanged files are not rewritten;
 * - new and changed files are written to a temp file in their own directory and renamed into place, then the
 *   record is replaced the same way, then owned files that are no longer generated are deleted, along with
 *   directories that deletion left empty (never `outdir`);
 * - an intent log (`.cdk8s-openchoreo/pending.json`) lists what a run is about to write and delete, so that a
 *   run interrupted at any point is finished by the next one (which also removes leftover temp files).
 *
 * Concurrent runs into the same directory are not supported.
 * @internal
 */
export function writeOwnedTree(outdir: string, files: Record<string, string>, options: WriteOwnedTreeOptions = {}): WriteResult {
  const owner = options.owner ?? DEFAULT_OWNER;
  const root = path.resolve(outdir);
  const wanted = normalizeFiles(files);

  if (fs.existsSync(root) && !fs.statSync(root).isDirectory()) {
    throw new Error(`The output directory ${root} exists but is not a directory.`);
  }
  const previous = readRecord(root, owner);
  const pending = readPending(root, owner);

  // Everything this writer may overwrite or delete: what the record lists, plus what an interrupted run
  // was deleting (it owned those) and the files it managed to write (identified by their content).
  const owned = new Set(previous ? previous.files.map(f => f.path) : []);
  if (pending) {
    for (const p of pending.remove) owned.add(p);
    for (const w of pending.write) if (!owned.has(w.path) && sha256(readRegularFile(root, w.path)) === w.sha256) owned.add(w.path);
  }

  // --- validate and plan; nothing on disk changes until every check has passed -------------------
  const inspector = new TreeInspector(root);
  const problems: string[] = [];
  const toWrite: Array<[string, Buffer]> = [];
  const unchanged: string[] = [];
  for (const [rel, content] of wanted) {
    const problem = inspector.parentProblem(rel);
    if (problem) {
      problems.push(problem);
      continue;
    }
    const full = path.join(root, rel);
    const stat = lstat(full);
    if (!stat) {
      toWrite.push([rel, content]);
    } else if (stat.isDirectory()) {
      problems.push(`${rel}: is a directory`);
    } else if (stat.isFile() && fs.readFileSync(full).equals(content)) {
      unchanged.push(rel);
    } else if (owned.has(rel)) {
      toWrite.push([rel, content]);
    } else {
      problems.push(`${rel}: exists, is not owned by ${owner} and differs from what it would write`);
    }
  }
  const toRemove = [...owned].filter(p => !wanted.has(p)).sort();
  for (const rel of toRemove) {
    const problem = inspector.parentProblem(rel);
    if (problem) problems.push(problem);
  }
  if (problems.length > 0) {
    throw new Error(
      `Refusing to write to ${root}; nothing was written. ${owner} only overwrites files listed in ${RECORD_FILE} there:\n`
      + problems.map(p => `  - ${p}\n`).join('')
      + 'Move each of these out of the way (rename it or put it elsewhere), or delete it so the generator may own and write it, then synth again.',
    );
  }

  // --- apply -----------------------------------------------------------------------------------------
  cleanTempFiles(root, [...wanted.keys(), ...owned, ...(pending?.write.map(w => w.path) ?? []), RECORD_FILE]);

  const record: OwnershipRecord = {
    format: FORMAT,
    owner,
    files: [...wanted].map(([p, content]) => ({ path: p, sha256: sha256(content) })),
  };
  const recordText = Buffer.from(JSON.stringify(record, undefined, 2) + '\n');
  const recordChanged = !sameContent(path.join(root, RECORD_FILE), recordText);
  if (toWrite.length === 0 && toRemove.length === 0 && !recordChanged) {
    if (pending) fs.rmSync(path.join(root, PENDING_FILE), { force: true });
    return { written: [], unchanged, removed: [] };
  }

  // Every file the new record lists (written, unchanged or adopted) and every file about to be deleted: if this
  // run is interrupted, the next one still owns them all, whatever point it stopped at.
  const log: PendingLog = { format: FORMAT, owner, write: record.files, remove: toRemove };
  let budget = options.failAfter ?? Infinity;
  const crashNow = () => budget-- <= 0;
  replaceFile(root, PENDING_FILE, Buffer.from(JSON.stringify(log, undefined, 2) + '\n'), false);
  for (const [rel, content] of toWrite) replaceFile(root, rel, content, crashNow());
  if (recordChanged) replaceFile(root, RECORD_FILE, recordText, crashNow());
  if (budget <= 0) throw new SimulatedCrash('Simulated crash before deleting files that are no longer generated');

  const removed: string[] = [];
  for (const rel of toRemove) {
    const full = path.join(root, rel);
    const stat = lstat(full);
    if (!stat || stat.isDirectory()) continue; // already gone, or replaced by something that is not our file
    if (sameFileAsWanted(root, rel, wanted)) continue; // e.g. `A.yaml` → `a.yaml` on a case-insensitive file system
    fs.unlinkSync(full);
    removed.push(rel);
    removeEmptyParents(root, path.dirname(full));
  }
  fs.rmSync(path.join(root, PENDING_FILE), { force: true });

  return { written: toWrite.map(([p]) => p), unchanged, removed };
}

/** Validates and normalizes the wanted files; returns them sorted by path. */
function normalizeFiles(files: Record<string, string>): Map<string, Buffer> {
  const entries: Array<[string, Buffer]> = [];
  const folded = new Map<string, string>();
  for (const [given, content] of Object.entries(files)) {
    const rel = checkRelativePath(given, 'file');
    if (typeof content !== 'string') throw new Error(`Content of ${given} must be a string.`);
    const key = rel.toLowerCase();
    const clash = folded.get(key);
    if (clash !== undefined) {
      const how = checkRelativePath(clash, 'file') === rel ? 'name the same file' : 'differ only in case';
      throw new Error(`Output paths ${clash} and ${given} ${how}; each output file needs its own path (case-insensitive file systems are common).`);
    }
    folded.set(key, given);
    entries.push([rel, Buffer.from(content, 'utf8')]);
  }
  entries.sort(([a], [b]) => compare(a, b));
  // A path cannot be both a file and a folder holding other files.
  const dirs = new Map<string, string>();
  for (const [rel] of entries) {
    const segments = rel.split('/');
    for (let i = 1; i < segments.length; i++) dirs.set(segments.slice(0, i).join('/'), rel);
  }
  for (const [rel] of entries) {
    const nested = dirs.get(rel);
    if (nested !== undefined) throw new Error(`Output path ${rel} is a file but ${nested} needs it to be a directory.`);
  }
  return new Map(entries);
}

/**
 * Returns the canonical form (forward slashes) of a path relative to the output directory, or throws:
 * absolute paths, `..`, empty or `.` segments, the ownership record's folder and temp-file names are rejected.
 */
function checkRelativePath(given: string, what: string): string {
  const fail = (why: string): never => {
    throw new Error(`Invalid ${what} path ${JSON.stringify(given)}: ${why}. Paths must be relative to the output directory and stay inside it.`);
  };
  if (typeof given !== 'string' || given.length === 0) fail('it is empty');
  if (given.includes('\0')) fail('it contains a NUL character');
  if (path.posix.isAbsolute(given) || path.win32.isAbsolute(given) || /^[a-zA-Z]:/.test(given)) fail('it is absolute');
  const segments = given.split(/[\\/]/);
  if (segments.includes('..')) fail('it contains a ".." segment');
  if (segments.some(s => s === '' || s === '.')) fail('it contains an empty or "." segment');
  if (segments[0] === RECORD_DIR) fail(`${RECORD_DIR}/ is reserved for the ownership record`);
  if (TEMP_PATTERN.test(segments[segments.length - 1])) fail('its name is reserved for temporary files');
  return segments.join('/');
}

/** Looks at the directories above paths under the output directory, caching what it finds. */
class TreeInspector {
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
    const segments = rel.split('/');
    for (let i = 1; i < segments.length; i++) {
      const dir = segments.slice(0, i).join('/');
      if (!this.dirs.has(dir)) this.dirs.set(dir, this.inspect(dir));
      const state = this.dirs.get(dir);
      if (state === 'missing') return undefined;
      if (state !== undefined) return `${rel}: ${state}`;
    }
    return undefined;
  }

  private inspect(dir: string): string | undefined {
    const full = path.join(this.root, dir);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(full);
    } catch (e: any) {
      if (e.code === 'ENOENT' || e.code === 'ENOTDIR') return 'missing';
      throw e;
    }
    if (!stat.isDirectory()) return `its parent ${dir} exists and is not a directory`;
    const real = fs.realpathSync(full);
    if (this.realRoot === undefined || !isInside(this.realRoot, real)) return `its parent ${dir} resolves outside the output directory (to ${real})`;
    return undefined;
  }
}

function readRecord(root: string, owner: string): OwnershipRecord | undefined {
  const data = readJson(root, RECORD_FILE);
  if (data === undefined) return undefined;
  const fix = 'Restore it (e.g. from git), or delete it: files it listed are then no longer owned (identical ones are adopted again, others are refused).';
  if (!isObject(data) || typeof data.format !== 'number' || !Array.isArray(data.files)) {
    throw new Error(`The ownership record ${path.join(root, RECORD_FILE)} is not valid. ${fix}`);
  }
  checkFormatAndOwner(root, RECORD_FILE, data, owner);
  const files = data.files.map((f: unknown) => {
    if (!isObject(f) || typeof f.path !== 'string' || typeof f.sha256 !== 'string') {
      throw new Error(`The ownership record ${path.join(root, RECORD_FILE)} is not valid. ${fix}`);
    }
    return { path: checkRelativePath(f.path, `recorded (${RECORD_FILE})`), sha256: f.sha256 };
  });
  return { format: data.format, owner, files };
}

function readPending(root: string, owner: string): PendingLog | undefined {
  const data = readJson(root, PENDING_FILE);
  if (data === undefined) return undefined;
  if (!isObject(data) || typeof data.format !== 'number' || !Array.isArray(data.write) || !Array.isArray(data.remove)
    || !data.write.every((w: unknown) => isObject(w) && typeof w.path === 'string' && typeof w.sha256 === 'string')
    || !data.remove.every((p: unknown) => typeof p === 'string')) {
    throw new Error(`The log of an interrupted run ${path.join(root, PENDING_FILE)} is not valid. Delete it and synth again.`);
  }
  checkFormatAndOwner(root, PENDING_FILE, data, owner);
  const where = `pending (${PENDING_FILE})`;
  return {
    format: data.format,
    owner,
    write: data.write.map((w: any) => ({ path: checkRelativePath(w.path, where), sha256: w.sha256 })),
    remove: data.remove.map((p: string) => checkRelativePath(p, where)),
  };
}

function checkFormatAndOwner(root: string, file: string, data: any, owner: string): void {
  const full = path.join(root, file);
  if (data.format !== FORMAT) {
    throw new Error(`${full} has format ${data.format}; this version of cdk8s-openchoreo understands format ${FORMAT}. Upgrade it.`);
  }
  if (data.owner !== owner) {
    throw new Error(`${full} says the files in ${root} are owned by ${JSON.stringify(data.owner)}, not ${JSON.stringify(owner)}. `
      + 'Give each app its own output directory (or delete that file if this app now owns them).');
  }
}

function readJson(root: string, rel: string): any {
  const full = path.join(root, rel);
  let text: string;
  try {
    text = fs.readFileSync(full, 'utf8');
  } catch (e: any) {
    if (e.code === 'ENOENT') return undefined;
    throw e;
  }
  try {
    return JSON.parse(text);
  } catch (e: any) {
    throw new Error(`${full} is not valid JSON (${e.message}). Restore it (e.g. from git), or delete it and synth again.`);
  }
}

/** The content of a regular file, or an empty buffer that matches no recorded hash when there is none. */
function readRegularFile(root: string, rel: string): Buffer {
  const full = path.join(root, rel);
  const stat = lstat(full);
  return stat?.isFile() ? fs.readFileSync(full) : Buffer.alloc(0);
}

/** Writes `content` to a temp file next to `rel` and renames it into place. */
function replaceFile(root: string, rel: string, content: Buffer, crash: boolean): void {
  const full = path.join(root, rel);
  const dir = path.dirname(full);
  fs.mkdirSync(dir, { recursive: true });
  const temp = path.join(dir, `.${path.basename(full)}${TEMP_MARK}${process.pid}`);
  try {
    fs.writeFileSync(temp, content);
    if (crash) throw new SimulatedCrash(`Simulated crash before renaming ${rel} into place`);
    fs.renameSync(temp, full);
  } catch (e) {
    if (!(e instanceof SimulatedCrash)) fs.rmSync(temp, { force: true });
    throw e;
  }
}

/** Removes temp files an interrupted run left in the directories of the given paths. */
function cleanTempFiles(root: string, rels: Iterable<string>): void {
  const dirs = new Set<string>();
  for (const rel of rels) dirs.add(path.dirname(path.join(root, rel)));
  for (const dir of dirs) {
    let names: string[];
    try {
      names = fs.readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      if (!TEMP_PATTERN.test(name)) continue;
      const full = path.join(dir, name);
      if (lstat(full)?.isFile()) fs.unlinkSync(full);
    }
  }
}

/** Removes `dir` and its parents while they are empty, stopping at (and never removing) `root`. */
function removeEmptyParents(root: string, dir: string): void {
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

/** Whether deleting `rel` would delete a wanted file: the same file under another spelling (case-insensitive file systems). */
function sameFileAsWanted(root: string, rel: string, wanted: Map<string, Buffer>): boolean {
  const key = rel.toLowerCase();
  for (const other of wanted.keys()) {
    if (other.toLowerCase() !== key) continue;
    const a = lstat(path.join(root, rel));
    const b = lstat(path.join(root, other));
    if (a && b && a.ino === b.ino && a.dev === b.dev) return true;
  }
  return false;
}

function sameContent(full: string, content: Buffer): boolean {
  const stat = lstat(full);
  return stat !== undefined && stat.isFile() && stat.size === content.length && fs.readFileSync(full).equals(content);
}

function lstat(full: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(full);
  } catch (e: any) {
    if (e.code === 'ENOENT' || e.code === 'ENOTDIR') return undefined;
    throw e;
  }
}

function isInside(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

function isObject(x: unknown): x is Record<string, any> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function sha256(content: Buffer): string {
  return crypto.createHash('sha256').update(content).digest('hex');
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
