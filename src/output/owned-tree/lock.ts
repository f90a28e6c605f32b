import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LOCK_FILE, RECORD_DIR } from './paths';

/** Who holds a tree's lock, as written in the lock file. @internal */
export interface LockInfo {
  readonly pid: number;
  readonly host: string;
  readonly started: string;
}

/** A held lock; `release()` removes the lock file and the folders acquiring it created, if they are empty. @internal */
export interface HeldLock {
  /** Whether it was taken over from a run whose process died holding it (that run was interrupted). */
  readonly tookOver: boolean;
  release(): void;
}

/** How long a run waits for another run's lock by default before refusing. @internal */
export const DEFAULT_LOCK_TIMEOUT_MS = 30_000;
const POLL_MS = 25;

/**
 * Takes the exclusive lock of the tree at `root` (creating `root` and the bookkeeping folder if needed): the
 * lock file is created atomically (hard-linked from a complete temp file, so it is never seen half-written).
 * A lock left by a process that is gone (same host, pid not running) is removed; a live one is waited for up to
 * `timeoutMs`, then the run is refused with who holds it.
 * @internal
 */
export function acquireLock(root: string, timeoutMs: number = DEFAULT_LOCK_TIMEOUT_MS): HeldLock {
  const created = mkdirs(path.join(root, RECORD_DIR));
  const lockPath = path.join(root, LOCK_FILE);
  const info: LockInfo = { pid: process.pid, host: os.hostname(), started: new Date().toISOString() };
  const temp = `${lockPath}.${process.pid}`;
  fs.writeFileSync(temp, JSON.stringify(info) + '\n');
  const deadline = Date.now() + timeoutMs;
  let tookOver = false;
  try {
    for (;;) {
      if (tryLink(temp, lockPath)) break;
      const holder = readLock(root);
      if (holder?.stale) {
        removeIfUnchanged(lockPath, holder.ino);
        tookOver = true;
        continue;
      }
      if (Date.now() >= deadline) {
        throw new Error(`Another run is writing to ${root}: ${lockPath} is held by ${describeHolder(holder?.info)}; waited ${Math.round(timeoutMs / 1000)} s. `
          + 'Nothing was changed. Fix: wait for that run to finish and synth again; if no run is active (its process is gone, '
          + `e.g. it ran on another machine), delete ${lockPath}.`);
      }
      sleep(POLL_MS);
    }
  } catch (e) {
    removeCreated(created);
    throw e;
  } finally {
    fs.rmSync(temp, { force: true });
  }
  removeDeadTemps(path.dirname(lockPath));
  return {
    tookOver,
    release: () => {
      fs.rmSync(lockPath, { force: true });
      removeCreated(created);
    },
  };
}

/**
 * The lock of the tree at `root`, if any: who holds it and whether it is stale (same host, process gone).
 * An unreadable lock file counts as held by an unknown run (never as stale).
 * @internal
 */
export function readLock(root: string): { info: LockInfo | undefined; stale: boolean; ino: number } | undefined {
  const lockPath = path.join(root, LOCK_FILE);
  let text: string;
  let ino: number;
  try {
    ino = fs.statSync(lockPath).ino;
    text = fs.readFileSync(lockPath, 'utf8');
  } catch (e: any) {
    if (e.code === 'ENOENT') return undefined;
    throw e;
  }
  let info: LockInfo | undefined;
  try {
    const data = JSON.parse(text);
    if (Number.isInteger(data?.pid) && typeof data.host === 'string' && typeof data.started === 'string') info = data;
  } catch {
    info = undefined;
  }
  const stale = info !== undefined && info.host === os.hostname() && !processRuns(info.pid);
  return { info, stale, ino };
}

/** "pid 123 on host h since <time>", or what is known of an unreadable lock. @internal */
export function describeHolder(info: LockInfo | undefined): string {
  return info ? `pid ${info.pid} on host ${info.host} since ${info.started}` : 'an unknown run (the lock file is unreadable)';
}

function tryLink(temp: string, lockPath: string): boolean {
  try {
    fs.linkSync(temp, lockPath);
    return true;
  } catch (e: any) {
    if (e.code === 'EEXIST') return false;
    if (e.code !== 'EPERM' && e.code !== 'ENOTSUP' && e.code !== 'EOPNOTSUPP') throw e;
  }
  // File systems without hard links: exclusive create, then write (a reader may briefly see it empty: "unknown run").
  try {
    fs.writeFileSync(lockPath, fs.readFileSync(temp), { flag: 'wx' });
    return true;
  } catch (e: any) {
    if (e.code === 'EEXIST') return false;
    throw e;
  }
}

/** Removes the lock temp files (`lock.<pid>`) of processes that died while taking the lock. */
function removeDeadTemps(dir: string): void {
  for (const name of fs.readdirSync(dir)) {
    const pid = /^lock\.(\d+)$/.exec(name)?.[1];
    if (pid !== undefined && Number(pid) !== process.pid && !processRuns(Number(pid))) fs.rmSync(path.join(dir, name), { force: true });
  }
}

function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e: any) {
    return e.code === 'EPERM'; // it exists, owned by another user
  }
}

/** Removes a stale lock unless another run replaced it in the meantime (a different inode). */
function removeIfUnchanged(lockPath: string, ino: number): void {
  try {
    if (fs.statSync(lockPath).ino === ino) fs.unlinkSync(lockPath);
  } catch (e: any) {
    if (e.code !== 'ENOENT') throw e;
  }
}

/** Creates `dir` and its missing parents; returns the ones it created, deepest first. */
function mkdirs(dir: string): string[] {
  const missing: string[] = [];
  for (let d = dir; !fs.existsSync(d); d = path.dirname(d)) {
    missing.push(d);
    if (path.dirname(d) === d) break;
  }
  fs.mkdirSync(dir, { recursive: true });
  return missing;
}

function removeCreated(dirs: string[]): void {
  for (const d of dirs) {
    try {
      fs.rmdirSync(d);
    } catch {
      return; // not empty: the run left files there
    }
  }
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
