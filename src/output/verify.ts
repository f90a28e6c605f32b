import * as fs from 'fs';
import * as path from 'path';
import { findTempFiles, lstat } from './owned-tree/files';
import { describeHolder, readLock } from './owned-tree/lock';
import { LOCK_FILE, PENDING_FILE, RECORD_FILE, TEMP_PATTERN } from './owned-tree/paths';
import { hashFile, readPending, readRecord } from './owned-tree/record';

/** What `verifyOwnedTree` found. @internal */
export interface VerifyResult {
  /** Whether the tree is exactly what its last finished run wrote: no run in progress or interrupted, every recorded file present with its recorded hash. */
  readonly complete: boolean;
  /** Why it is not complete, one line each (empty when complete). */
  readonly reasons: string[];
  /** How many files the ownership record lists. */
  readonly files: number;
  /** The owner named in the record, if there is a valid one. */
  readonly owner?: string;
}

/**
 * Says whether the tree under `dir` that `writeOwnedTree` writes is complete, so that a publish step can refuse a
 * half-written one. Reads only; never changes anything.
 * @internal
 */
export function verifyOwnedTree(dir: string): VerifyResult {
  const root = path.resolve(dir);
  const reasons: string[] = [];
  const stat = lstat(root);
  if (!stat?.isDirectory()) return { complete: false, reasons: [`${root} is not a directory`], files: 0 };

  const lock = readLock(root);
  if (lock && !lock.stale) reasons.push(`a run is writing it now (${LOCK_FILE} is held by ${describeHolder(lock.info)})`);

  let record;
  try {
    record = readRecord(root, undefined);
  } catch (e: any) {
    return { complete: false, reasons: [...reasons, e.message], files: 0 };
  }
  if (!record) {
    return { complete: false, reasons: [...reasons, `it has no ownership record (${RECORD_FILE}): no run has finished writing it`], files: 0 };
  }
  try {
    if (readPending(root, undefined)) {
      reasons.push(`an interrupted run left ${PENDING_FILE}: files may be half replaced or not yet deleted; synth again to finish it`);
    }
  } catch (e: any) {
    reasons.push(e.message);
  }

  const folders = new Set<string>();
  for (const f of record.files) {
    const full = path.join(root, f.path);
    folders.add(path.dirname(full));
    const s = lstat(full);
    if (!s) reasons.push(`${f.path}: missing`);
    else if (!s.isFile()) reasons.push(`${f.path}: is not a regular file`);
    else if (hashFile(full) !== f.sha256) reasons.push(`${f.path}: its content differs from the record (changed by hand, or by an unfinished run)`);
  }
  folders.add(path.join(root, path.dirname(RECORD_FILE)));
  // A run that died (its lock is stale) may have staged temp files in folders the record does not list yet.
  if (lock?.stale) for (const temp of findTempFiles(root)) folders.add(path.dirname(temp));
  for (const folder of [...folders].sort()) {
    let names: string[];
    try {
      names = fs.readdirSync(folder);
    } catch {
      continue;
    }
    for (const name of names.sort()) {
      if (TEMP_PATTERN.test(name)) reasons.push(`${path.relative(root, path.join(folder, name)).split(path.sep).join('/')}: temp file of an unfinished run`);
    }
  }
  return { complete: reasons.length === 0, reasons, files: record.files.length, owner: record.owner };
}
