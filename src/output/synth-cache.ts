import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { RECORD_FILE } from './owned-tree/paths';
import { hashFile, sha256 } from './owned-tree/record';
import { verifyOwnedTree } from './verify';

/*
 * The re-synth cache: `PlatformApp.synth()` skips resolving, rendering and writing when the input
 * fingerprint (fingerprint.ts) equals the one of the last synthesis into the same folder AND that
 * folder still holds exactly what that synthesis wrote: its ownership record is the one it wrote
 * (same sha256) and `verifyOwnedTree` finds every recorded file with its recorded content, no run in
 * progress and no interrupted one. Anything else is a miss, and a miss is an ordinary synthesis.
 *
 * The entry lives outside the GitOps tree, in `node_modules/.cache/cdk8s-openchoreo/` of the nearest
 * folder (from the working directory up) that has `node_modules`, else in the OS temp folder: a
 * fresh clone (a CI run) has none and synthesizes in full.
 */

/** Format of a cache entry file. */
const ENTRY_FORMAT = 1;

/** What the last synthesis into a folder left for the next one. @internal */
export interface SynthCacheEntry {
  readonly format: number;
  /** The resolved output folder. */
  readonly outdir: string;
  /** The input fingerprint of that synthesis. */
  readonly fingerprint: string;
  /** sha256 of the ownership record that synthesis wrote (or kept). */
  readonly record: string;
  /** The policy warnings it printed, printed again on a hit. */
  readonly warnings: string;
}

/** Where the entry for `outdir` is kept. @internal */
export function cacheEntryPath(outdir: string, cwd: string = process.cwd()): string {
  const key = sha256(path.resolve(outdir)).slice(0, 24);
  return path.join(cacheFolder(cwd), `synth-${key}.json`);
}

/**
 * The entry of the last synthesis into `outdir` if its fingerprint is `fingerprint` and the folder
 * still holds exactly what it wrote; otherwise undefined. Reads only. @internal
 */
export function reusableSynthesis(outdir: string, fingerprint: string, entryFile: string = cacheEntryPath(outdir)): SynthCacheEntry | undefined {
  const entry = readEntry(entryFile);
  const root = path.resolve(outdir);
  if (!entry || entry.fingerprint !== fingerprint || entry.outdir !== root) return undefined;
  const record = recordSha256(root);
  if (record === undefined || record !== entry.record) return undefined;
  return verifyOwnedTree(root).complete ? entry : undefined;
}

/**
 * Records a finished synthesis into `outdir`: its fingerprint, the sha256 of the ownership record it
 * wrote, and the warnings it printed. A cache that cannot be written is no cache: errors are ignored. @internal
 */
export function rememberSynthesis(
  outdir: string, fingerprint: string, record: string, warnings: string, entryFile: string = cacheEntryPath(outdir),
): void {
  const entry: SynthCacheEntry = { format: ENTRY_FORMAT, outdir: path.resolve(outdir), fingerprint, record, warnings };
  const temp = `${entryFile}.${process.pid}.tmp`;
  try {
    fs.mkdirSync(path.dirname(entryFile), { recursive: true });
    fs.writeFileSync(temp, `${JSON.stringify(entry)}\n`);
    fs.renameSync(temp, entryFile);
  } catch {
    fs.rmSync(temp, { force: true });
  }
}

/** sha256 of the ownership record's text under `root`; undefined when it cannot be read. @internal */
export function recordSha256(root: string): string | undefined {
  try {
    return hashFile(path.join(root, RECORD_FILE));
  } catch {
    return undefined;
  }
}

function readEntry(file: string): SynthCacheEntry | undefined {
  let data: any;
  try {
    data = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
  const ok = data && data.format === ENTRY_FORMAT && typeof data.outdir === 'string' && typeof data.fingerprint === 'string'
    && typeof data.record === 'string' && typeof data.warnings === 'string';
  return ok ? data : undefined;
}

function cacheFolder(cwd: string): string {
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    if (isDirectory(path.join(dir, 'node_modules'))) return path.join(dir, 'node_modules', '.cache', 'cdk8s-openchoreo');
    if (path.dirname(dir) === dir) break;
  }
  const user = typeof process.getuid === 'function' ? String(process.getuid()) : 'user';
  return path.join(os.tmpdir(), `cdk8s-openchoreo-cache-${user}`);
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}
