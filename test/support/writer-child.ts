// Run as a plain node process (transpiled by writer-process.ts): writes a generated tree with the owned-file
// writer, optionally killing itself (SIGKILL) at one step or holding the lock until told to go on.
import * as fs from 'fs';
import { generatedTree } from './writer-tree';
import { writeOwnedTree, WriteStep } from '../../src/output/writer';

interface ChildSpec {
  readonly dir: string;
  readonly count: number;
  readonly version: number;
  readonly killAt?: { readonly step: WriteStep; readonly count: number };
  /** Once locked, print "locked" and wait until this file exists. */
  readonly holdUntil?: string;
  readonly lockTimeoutMs?: number;
}

const spec: ChildSpec = JSON.parse(process.argv[2]);

function waitFor(file: string): void {
  const cell = new Int32Array(new SharedArrayBuffer(4));
  while (!fs.existsSync(file)) Atomics.wait(cell, 0, 0, 10);
}

try {
  const result = writeOwnedTree(spec.dir, generatedTree(spec.count, spec.version), {
    lockTimeoutMs: spec.lockTimeoutMs,
    onProgress: (step, count) => {
      if (step === WriteStep.LOCKED && spec.holdUntil) {
        fs.writeSync(1, 'locked\n');
        waitFor(spec.holdUntil);
      }
      if (spec.killAt && step === spec.killAt.step && count === spec.killAt.count) process.kill(process.pid, 'SIGKILL');
    },
  });
  fs.writeSync(1, JSON.stringify({ written: result.written.length, unchanged: result.unchanged.length, removed: result.removed.length }) + '\n');
} catch (e: any) {
  fs.writeSync(2, e.message + '\n');
  process.exitCode = 1;
}
