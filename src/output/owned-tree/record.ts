import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { checkRelativePath, PENDING_FILE, RECORD_FILE } from './paths';

/** Format of the ownership record (`files.json`). @internal */
export const RECORD_FORMAT = 1;
/** Format of the intent log (`pending.json`); 2 records the hash of every file it is about to delete. @internal */
export const PENDING_FORMAT = 2;

/** @internal */
export interface RecordEntry { readonly path: string; readonly sha256: string }
/** @internal */
export interface OwnershipRecord { readonly format: number; readonly owner: string; readonly files: RecordEntry[] }
/** @internal */
export interface PendingLog { readonly format: number; readonly owner: string; readonly write: RecordEntry[]; readonly remove: RecordEntry[] }

const SHA256 = /^[0-9a-f]{64}$/;
const CONFLICT_MARKERS = /^(<<<<<<<|=======|>>>>>>>)( |$)/m;

/**
 * Reads and validates the ownership record; undefined if there is none. With `owner`, a record of another owner
 * is refused. A record that cannot be trusted (not JSON, merge-conflict markers, wrong shape, a bad hash, a
 * path listed twice or outside the output directory) is refused as a whole: nothing it lists is touched.
 * @internal
 */
export function readRecord(root: string, owner: string | undefined): OwnershipRecord | undefined {
  const fix = 'Fix: restore it (e.g. `git checkout -- ' + RECORD_FILE + '`), or delete it: the files it listed are then '
    + 'no longer owned (identical ones are adopted again, others are refused).';
  const data = readJson(root, RECORD_FILE, fix);
  if (data === undefined) return undefined;
  const invalid = (why: string): never => {
    throw new Error(`The ownership record ${path.join(root, RECORD_FILE)} is not valid: ${why}. Nothing was changed. ${fix}`);
  };
  if (!isObject(data) || typeof data.format !== 'number' || !Array.isArray(data.files)) invalid('it needs "format", "owner" and a "files" list');
  checkFormatAndOwner(root, RECORD_FILE, data, RECORD_FORMAT, owner);
  const files = entries(data.files, `recorded (${RECORD_FILE})`, invalid);
  return { format: data.format, owner: data.owner, files };
}

/**
 * Reads and validates the intent log of an interrupted run; undefined if there is none.
 * @internal
 */
export function readPending(root: string, owner: string | undefined): PendingLog | undefined {
  const fix = 'Fix: restore it if it was edited, or delete it and synth again (files that run was about to write '
    + 'or delete are then no longer owned: identical ones are adopted, others are refused, none is deleted).';
  const data = readJson(root, PENDING_FILE, fix);
  if (data === undefined) return undefined;
  const invalid = (why: string): never => {
    throw new Error(`The log of an interrupted run ${path.join(root, PENDING_FILE)} is not valid: ${why}. Nothing was changed. ${fix}`);
  };
  if (!isObject(data) || typeof data.format !== 'number' || !Array.isArray(data.write) || !Array.isArray(data.remove)) {
    invalid('it needs "format", "owner", and "write" and "remove" lists');
  }
  checkFormatAndOwner(root, PENDING_FILE, data, PENDING_FORMAT, owner);
  const where = `pending (${PENDING_FILE})`;
  return { format: data.format, owner: data.owner, write: entries(data.write, where, invalid), remove: entries(data.remove, where, invalid) };
}

function entries(list: unknown[], where: string, invalid: (why: string) => never): RecordEntry[] {
  const seen = new Set<string>();
  return list.map((f, i) => {
    if (!isObject(f) || typeof f.path !== 'string' || typeof f.sha256 !== 'string') invalid(`entry ${i} is not { "path": string, "sha256": string }`);
    const rel = checkRelativePath(f.path, where);
    if (!SHA256.test(f.sha256)) invalid(`the sha256 of ${rel} is not 64 lower-case hex digits`);
    if (seen.has(rel)) invalid(`it lists ${rel} twice`);
    seen.add(rel);
    return { path: rel, sha256: f.sha256 };
  });
}

function checkFormatAndOwner(root: string, file: string, data: any, format: number, owner: string | undefined): void {
  const full = path.join(root, file);
  if (data.format !== format) {
    const fix = typeof data.format === 'number' && data.format < format
      ? 'finish that run with the older version of cdk8s-openchoreo that wrote it, or delete the file and synth again'
      : 'upgrade cdk8s-openchoreo to the version that wrote it';
    throw new Error(`${full} has format ${data.format}; this version of cdk8s-openchoreo understands format ${format}. Nothing was changed. Fix: ${fix}.`);
  }
  if (typeof data.owner !== 'string') {
    throw new Error(`${full} names no owner. Nothing was changed. Fix: restore it (e.g. from git), or delete it and synth again.`);
  }
  if (owner !== undefined && data.owner !== owner) {
    throw new Error(`${full} says the files in ${root} are owned by ${JSON.stringify(data.owner)}, not ${JSON.stringify(owner)}. `
      + 'Nothing was changed. Fix: give each app its own output directory (or delete that file if this app now owns them).');
  }
}

function readJson(root: string, rel: string, fix: string): any {
  const full = path.join(root, rel);
  let text: string;
  try {
    text = fs.readFileSync(full, 'utf8');
  } catch (e: any) {
    if (e.code === 'ENOENT') return undefined;
    if (e.path === undefined) e.path = full; // a read of a folder reports no path
    throw e;
  }
  if (CONFLICT_MARKERS.test(text)) {
    throw new Error(`${full} holds unresolved merge-conflict markers (<<<<<<< ======= >>>>>>>). Nothing was changed. `
      + `${fix} Never merge it by hand: take either side (e.g. \`git checkout --theirs -- ${rel}\`) and synth again, which rewrites it.`);
  }
  try {
    return JSON.parse(text);
  } catch (e: any) {
    throw new Error(`${full} is not valid JSON (${e.message}). Nothing was changed. ${fix}`);
  }
}

/**
 * One-shot hashing (`crypto.hash`, Node.js 20.12 and later) skips setting up a Hash object, which costs as much as
 * hashing a small file; older versions fall back to `createHash`.
 */
const hashOnce = (crypto as { hash?: (algorithm: string, data: string | Buffer, encoding: 'hex') => string }).hash;

/** The sha256 (hex) of a string's UTF-8 bytes or of a buffer. @internal */
export function sha256(content: string | Buffer): string {
  return hashOnce ? hashOnce('sha256', content, 'hex') : crypto.createHash('sha256').update(content).digest('hex');
}

/** The sha256 of a file's bytes. @internal */
export function hashFile(full: string): string {
  return sha256(fs.readFileSync(full));
}

/** The record's bytes: deterministic, one entry per line. @internal */
export function recordText(record: OwnershipRecord | PendingLog): string {
  return JSON.stringify(record, undefined, 2) + '\n';
}

function isObject(x: unknown): x is Record<string, any> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
