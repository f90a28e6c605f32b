import * as path from 'path';
import { verifyOwnedTree } from '../output/verify';

/** How many reasons are printed before the rest are counted. */
const SHOWN = 50;

/** Where `verify` writes. @internal */
export interface VerifyIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  /** The folder a relative `dir` is taken from. */
  readonly cwd: string;
}

/**
 * `cdk8s-openchoreo verify <dir>`: prints whether the tree in `dir` (relative to `io.cwd`) is complete; returns the exit
 * code (0 complete, 1 not complete).
 * @internal
 */
export function verifyDirectory(dir: string, io: VerifyIo): number {
  const result = verifyOwnedTree(path.resolve(io.cwd, dir));
  if (result.complete) {
    io.stdout.write(`complete: ${dir} holds the ${result.files} files its record lists, unchanged (owner ${result.owner}).\n`);
    return 0;
  }
  const shown = result.reasons.slice(0, SHOWN).map(r => `  - ${r}\n`).join('');
  const more = result.reasons.length > SHOWN ? `  … and ${result.reasons.length - SHOWN} more\n` : '';
  io.stderr.write(`incomplete: ${dir} is not a finished tree:\n${shown}${more}`
    + 'Fix: synth again into it (an interrupted run is finished by the next one), and publish only once verify says complete.\n');
  return 1;
}
