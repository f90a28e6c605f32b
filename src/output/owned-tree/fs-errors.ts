import * as path from 'path';
import { PENDING_FILE, TEMP_PATTERN } from './paths';

/** How far a run got when a file-system error stopped it. @internal */
export enum RunState {
  /** Nothing on disk was changed yet. */
  UNCHANGED = 'unchanged',
  /** The intent log is written and files are being replaced or deleted. */
  PARTIAL = 'partial',
}

const CAUSES: Record<string, { what: string; fix: (p: string) => string }> = {
  EACCES: { what: 'permission denied', fix: p => `give the user running the synth write access to ${p} (or choose another output directory)` },
  EPERM: { what: 'operation not permitted', fix: p => `make ${p} writable for the user running the synth (check permissions, immutable flags, and that no other program holds it open), or choose another output directory` },
  EROFS: { what: 'the file system is read-only', fix: () => 'write to a writable file system (or remount it read-write)' },
  ENOTDIR: { what: 'a part of the path is a file where a folder belongs', fix: p => `move the file that sits in place of a folder of ${p} out of the way` },
  EISDIR: { what: 'it is a folder where a file belongs', fix: p => `move the folder ${p} out of the way` },
  EEXIST: { what: 'a file is where a folder belongs', fix: p => `move the file ${p} out of the way` },
  ENOSPC: { what: 'no space left on the device', fix: () => 'free disk space (or inodes) on that file system' },
  EDQUOT: { what: 'the disk quota is exceeded', fix: () => 'free space within your quota or raise it' },
  EMFILE: { what: 'too many open files', fix: () => 'raise the open-file limit (ulimit -n)' },
  EBUSY: { what: 'the file is busy', fix: p => `close the program holding ${p}` },
};

/**
 * Turns a file-system error into one naming the path, the cause, the fix and the state the tree is in.
 * Other errors are returned as they are.
 * @internal
 */
export function explainFsError(e: unknown, root: string, state: RunState): unknown {
  // Duck-typed: errors from Node's own fs may come from another realm (vm contexts, test runners).
  if (typeof e !== 'object' || e === null || typeof (e as any).code !== 'string' || typeof (e as any).syscall !== 'string') return e;
  const err = e as NodeJS.ErrnoException & { dest?: string };
  const code = err.code!;
  const where = err.path ?? root;
  const cause = CAUSES[code];
  const stateText = state === RunState.UNCHANGED
    ? 'Nothing was changed: the tree is as the previous run left it.'
    : `The tree is partly written (some files new, others as the previous run left them); ${PENDING_FILE} records this run, `
      + `so \`cdk8s-openchoreo verify ${root}\` reports it incomplete and the next synth finishes it.`;
  // A temp file is the writer's own: what the user can fix is its folder.
  const subject = TEMP_PATTERN.test(path.basename(where)) ? path.dirname(where) : where;
  const fix = cause ? `${cause.fix(subject)}, then synth again` : 'remove the cause, then synth again';
  const op = err.dest ? `${err.syscall} ${where} to ${err.dest}` : `${err.syscall} ${where}`;
  const wrapped = new Error(`Could not ${op} while writing ${root}: ${cause ? `${cause.what} ` : ''}(${err.message}). ${stateText} Fix: ${fix}.`);
  (wrapped as any).code = code;
  (wrapped as any).path = where;
  return wrapped;
}
