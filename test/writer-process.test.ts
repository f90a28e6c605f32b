import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildWriterChild, ChildOutcome, fastTempDir, runChild, startChild } from './support/writer-process';
import { generatedTree } from './support/writer-tree';
import { verifyOwnedTree } from '../src/output/verify';
import { LOCK_FILE, PENDING_FILE, RECORD_FILE, writeOwnedTree, WriteStep } from '../src/output/writer';

// Real node processes write real trees: killed with SIGKILL at several points of a 2,000-file write, and
// two at once into one folder. No timing is asserted: children kill themselves at a given step, or wait for a file.

const COUNT = 2_000;
// A generous cap for a loaded machine (children spawn and write thousands of files); nothing here asserts a duration.
jest.setTimeout(120_000);
let child: { script: string; cleanup: () => void };
const tempDirs: string[] = [];

beforeAll(() => { child = buildWriterChild(); });
afterAll(() => {
  child.cleanup();
  for (const d of tempDirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function freshDir(): string {
  const dir = fastTempDir('openchoreo-writer-proc-');
  tempDirs.push(dir);
  return dir;
}

/** Every file under `dir` except the bookkeeping folder, relative path → content. */
function outputs(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child_ = rel ? `${rel}/${entry.name}` : entry.name;
      if (child_ === '.cdk8s-openchoreo') continue;
      if (entry.isDirectory()) walk(child_);
      else out[child_] = fs.readFileSync(path.join(dir, child_), 'utf8');
    }
  };
  walk('');
  return out;
}

const sorted = (o: Record<string, string>) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)));

describe('SIGKILL during a large write, then verify and a re-run', () => {
  // Version 1 is on disk; version 2 changes all 2,000 files, adds 200 and drops 200.
  const points: Array<[string, WriteStep, number]> = [
    ['once locked, before anything changes', WriteStep.LOCKED, 1],
    ['with half the files staged under temp names, before the intent log', WriteStep.TEMP, COUNT / 2],
    ['after the intent log, with every file staged, before any rename', WriteStep.PENDING, 1],
    ['after the first rename', WriteStep.RENAME, 1],
    ['with half the files renamed into place', WriteStep.RENAME, COUNT / 2],
    ['at a random rename', WriteStep.RENAME, 0],
    ['after the record, before deleting', WriteStep.RECORD, 1],
    ['with some stale files deleted', WriteStep.REMOVE, 50],
  ];

  const randomRename = Math.floor(Math.random() * COUNT) + 1;
  const countAt = (at: number) => (at === 0 ? randomRename : at);
  let template: string;
  /** Each kill point's folder and how its child died; the children run side by side. */
  const killedAt = new Map<string, { dir: string; outcome: ChildOutcome }>();
  beforeAll(async () => {
    template = freshDir();
    writeOwnedTree(template, generatedTree(COUNT, 1));
    await Promise.all(points.map(async ([name, step, at]) => {
      const dir = freshDir();
      fs.cpSync(template, dir, { recursive: true });
      const outcome = await startChild(child.script, { dir, count: COUNT, version: 2, killAt: { step, count: countAt(at) } }).done;
      killedAt.set(name, { dir, outcome });
    }));
  });

  test('the starting tree is complete', () => {
    expect(verifyOwnedTree(template)).toEqual({ complete: true, reasons: [], files: COUNT, owner: 'cdk8s-openchoreo' });
  });

  test.each(points)('killed %s: verify reports it incomplete, a re-run repairs it and verify reports it complete', (name, step, at) => {
    const count = countAt(at);
    const { dir, outcome: killed } = killedAt.get(name)!;
    expect(killed.signal).toBe('SIGKILL');

    const after = verifyOwnedTree(dir);
    expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(true); // left by the dead process
    if (step === WriteStep.LOCKED) {
      // Nothing had changed: the previous tree is still complete (its lock is stale, not a reason).
      expect(after).toMatchObject({ complete: true, reasons: [] });
    } else if (step === WriteStep.TEMP) {
      // No file of the tree had changed yet (no intent log): verify reports only the staged temp files.
      expect(after.complete).toBe(false);
      expect(after.reasons).toHaveLength(COUNT / 2);
      const files = Object.entries(outputs(dir)).filter(([p]) => !p.includes('.cdk8s-openchoreo-tmp-'));
      expect(sorted(Object.fromEntries(files))).toEqual(sorted(generatedTree(COUNT, 1)));
    } else {
      expect(after.complete).toBe(false);
      expect(after.reasons).toContainEqual(expect.stringContaining(`an interrupted run left ${PENDING_FILE}`));
    }
    if (step === WriteStep.TEMP) expect(after.reasons.filter(r => r.includes('temp file of an unfinished run'))).toHaveLength(COUNT / 2);
    if (step === WriteStep.PENDING) expect(after.reasons.filter(r => r.includes('temp file of an unfinished run'))).toHaveLength(COUNT);
    if (step === WriteStep.RENAME) {
      // The files renamed into place so far that the old record lists now hold other content; new ones are not listed yet.
      const v1 = generatedTree(COUNT, 1);
      const renamedListed = Object.keys(generatedTree(COUNT, 2)).sort().slice(0, count).filter(p => p in v1);
      expect(after.reasons.filter(r => r.includes('its content differs from the record')).map(r => r.split(':')[0]).sort()).toEqual(renamedListed);
    }

    const rerun = writeOwnedTree(dir, generatedTree(COUNT, 2));
    expect(rerun.written.length + rerun.unchanged.length).toBe(COUNT);
    expect(verifyOwnedTree(dir)).toEqual({ complete: true, reasons: [], files: COUNT, owner: 'cdk8s-openchoreo' });
    expect(sorted(outputs(dir))).toEqual(sorted(generatedTree(COUNT, 2)));
    expect(fs.readdirSync(path.join(dir, '.cdk8s-openchoreo'))).toEqual(['files.json']);
  });
});

describe('two processes writing one folder', () => {
  test('started together: both succeed one after the other, and the tree is entirely one of the two', async () => {
    const dir = freshDir();
    const [a, b] = [startChild(child.script, { dir, count: COUNT, version: 1 }), startChild(child.script, { dir, count: COUNT, version: 2 })];
    const [ra, rb] = await Promise.all([a.done, b.done]);
    expect([ra.status, ra.stderr, rb.status, rb.stderr]).toEqual([0, '', 0, '']);
    const tree = sorted(outputs(dir));
    const winner = Object.values(tree)[0].includes('# version 2') ? 2 : 1;
    expect(tree).toEqual(sorted(generatedTree(COUNT, winner)));
    expect(verifyOwnedTree(dir)).toMatchObject({ complete: true, files: COUNT });
    expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(false);
  });

  test('a second run waits for the first to release the lock, then writes on top of it', async () => {
    const dir = freshDir();
    const release = path.join(freshDir(), 'go');
    const first = startChild(child.script, { dir, count: COUNT, version: 1, holdUntil: release });
    await first.locked;
    const second = startChild(child.script, { dir, count: COUNT, version: 2 });
    fs.writeFileSync(release, '');
    const [r1, r2] = await Promise.all([first.done, second.done]);
    expect([r1.status, r2.status]).toEqual([0, 0]);
    expect(JSON.parse(r2.stdout)).toEqual({ written: COUNT, unchanged: 0, removed: COUNT / 10 });
    expect(sorted(outputs(dir))).toEqual(sorted(generatedTree(COUNT, 2)));
    expect(verifyOwnedTree(dir).complete).toBe(true);
  });

  test('a run that cannot wait long enough refuses, naming the holder, and changes nothing', async () => {
    const dir = freshDir();
    writeOwnedTree(dir, generatedTree(10, 1));
    const release = path.join(freshDir(), 'go');
    const holder = startChild(child.script, { dir, count: 10, version: 2, holdUntil: release });
    await holder.locked;
    try {
      expect(verifyOwnedTree(dir).reasons).toEqual([expect.stringMatching(new RegExp(`a run is writing it now .*held by pid ${holder.pid} on host `))]);
      const refused = runChild(child.script, { dir, count: 10, version: 3, lockTimeoutMs: 0 });
      expect(refused.status).toBe(1);
      expect(refused.stderr).toContain(`Another run is writing to ${dir}: ${path.join(dir, LOCK_FILE)} is held by pid ${holder.pid} on host ${os.hostname()} since `);
      expect(refused.stderr).toMatch(/Nothing was changed\. Fix: wait for that run to finish and synth again; if no run is active .*delete /);
      expect(sorted(outputs(dir))).toEqual(sorted(generatedTree(10, 1)));
    } finally {
      fs.writeFileSync(release, '');
    }
    expect((await holder.done).status).toBe(0);
    expect(sorted(outputs(dir))).toEqual(sorted(generatedTree(10, 2)));
    expect(fs.readFileSync(path.join(dir, RECORD_FILE), 'utf8')).toContain('component-1');
  });
});
