import * as path from 'path';
import type { FileContent } from '../file-content';

/** The folder (under the output directory) holding the writer's bookkeeping. @internal */
export const RECORD_DIR = '.cdk8s-openchoreo';
/** The ownership record: the files this writer owns, with their sha256. @internal */
export const RECORD_FILE = `${RECORD_DIR}/files.json`;
/** Intent log written before the first change and removed after the last one; read only after an interrupted run. @internal */
export const PENDING_FILE = `${RECORD_DIR}/pending.json`;
/** Held (created exclusively) for the whole of a run, so that two runs never write one tree at once. @internal */
export const LOCK_FILE = `${RECORD_DIR}/lock`;

/** Marks a temp file: `.<name>.cdk8s-openchoreo-tmp-<pid>` next to the file it will replace. @internal */
export const TEMP_MARK = '.cdk8s-openchoreo-tmp-';
/** @internal */
export const TEMP_PATTERN = /^\..+\.cdk8s-openchoreo-tmp-\d+$/;

/**
 * Returns the canonical form (forward slashes) of a path relative to the output directory, or throws:
 * absolute paths, `..`, empty or `.` segments, `.git` folders, the bookkeeping folder and temp-file names are rejected.
 * @internal
 */
export function checkRelativePath(given: string, what: string): string {
  const fail = (why: string): never => {
    throw new Error(`Invalid ${what} path ${JSON.stringify(given)}: ${why}. Fix: paths must be relative to the output directory and stay inside it.`);
  };
  if (typeof given !== 'string' || given.length === 0) fail('it is empty');
  if (given.includes('\0')) fail('it contains a NUL character');
  if (path.posix.isAbsolute(given) || path.win32.isAbsolute(given) || /^[a-zA-Z]:/.test(given)) fail('it is absolute');
  const segments = given.split(/[\\/]/);
  if (segments.includes('..')) fail('it contains a ".." segment');
  if (segments.some(s => s === '' || s === '.')) fail('it contains an empty or "." segment');
  if (segments[0] === RECORD_DIR) fail(`${RECORD_DIR}/ is reserved for the ownership record`);
  if (segments.some(s => s.toLowerCase() === '.git')) fail('it is inside a .git folder, which belongs to git');
  if (TEMP_PATTERN.test(segments[segments.length - 1])) fail('its name is reserved for temporary files');
  return segments.join('/');
}

/**
 * Validates and normalizes the wanted files (relative path → content, as an object or as entries); returns
 * them sorted by path. Deferred contents stay deferred: only the paths are checked here.
 * @internal
 */
export function normalizeFiles(files: Record<string, FileContent> | Iterable<readonly [string, FileContent]>): Map<string, FileContent> {
  const entries: Array<[string, FileContent]> = [];
  const folded = new Map<string, string>();
  const list = Symbol.iterator in files ? files as Iterable<readonly [string, FileContent]> : Object.entries(files);
  for (const [given, content] of list) {
    const rel = checkRelativePath(given, 'file');
    if (typeof content !== 'string' && typeof content !== 'function') throw new Error(`Content of ${given} must be a string.`);
    const key = rel.toLowerCase();
    const clash = folded.get(key);
    if (clash !== undefined) {
      const how = checkRelativePath(clash, 'file') === rel ? 'name the same file' : 'differ only in case';
      throw new Error(`Output paths ${clash} and ${given} ${how}; each output file needs its own path (case-insensitive file systems are common).`);
    }
    folded.set(key, given);
    entries.push([rel, content]);
  }
  entries.sort(([a], [b]) => compare(a, b));
  // A path cannot be both a file and a folder holding other files. Each folder maps to the last path (in order) inside
  // it: walking the paths backwards, from the deepest folder up, a folder already seen has all its parents seen too.
  const dirs = new Map<string, string>();
  for (let e = entries.length - 1; e >= 0; e--) {
    const rel = entries[e][0];
    for (let i = rel.lastIndexOf('/'); i > 0; i = rel.lastIndexOf('/', i - 1)) {
      const dir = rel.slice(0, i);
      if (dirs.has(dir)) break;
      dirs.set(dir, rel);
    }
  }
  for (const [rel] of entries) {
    const nested = dirs.get(rel);
    if (nested !== undefined) throw new Error(`Output path ${rel} is a file but ${nested} needs it to be a directory.`);
  }
  return new Map(entries);
}

/** @internal */
export function isInside(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

/** @internal */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
