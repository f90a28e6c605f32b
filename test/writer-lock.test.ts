import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { verifyOwnedTree } from '../src/output/verify';
import { LOCK_FILE, RECORD_FILE, writeOwnedTree, WriteStep } from '../src/output/writer';

// The lock in one process; two real processes contending for it are in writer-process.test.ts.

const tempDirs: string[] = [];
afterAll(() => {
  for (const d of tempDirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function checkout(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'openchoreo-lock-'));
  tempDirs.push(dir);
  return dir;
}

function putLock(dir: string, content: string): void {
  fs.mkdirSync(path.join(dir, '.cdk8s-openchoreo'), { recursive: true });
  fs.writeFileSync(path.join(dir, LOCK_FILE), content);
}

/** The pid of a process that has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', '']);
  return r.pid!;
}

describe('the lock', () => {
  test('is held during a run, names this process, and is gone afterwards', () => {
    const dir = checkout();
    let seen: any;
    writeOwnedTree(dir, { 'a.yaml': 'a\n' }, {
      onProgress: step => {
        if (step === WriteStep.LOCKED) seen = JSON.parse(fs.readFileSync(path.join(dir, LOCK_FILE), 'utf8'));
      },
    });
    expect(seen).toEqual({ pid: process.pid, host: os.hostname(), started: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    expect(fs.readdirSync(path.join(dir, '.cdk8s-openchoreo'))).toEqual(['files.json']);
  });

  test('left by a process that is gone (same host) is taken over', () => {
    const dir = checkout();
    putLock(dir, JSON.stringify({ pid: deadPid(), host: os.hostname(), started: '2026-01-01T00:00:00.000Z' }));
    expect(verifyOwnedTree(dir).reasons).not.toContainEqual(expect.stringContaining('a run is writing it now'));
    expect(writeOwnedTree(dir, { 'a.yaml': 'a\n' }, { lockTimeoutMs: 0 }).written).toEqual(['a.yaml']);
    expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(false);
  });

  test('the temp file of a process that died while taking the lock is removed; a live one is left alone', () => {
    const dir = checkout();
    const dead = `lock.${deadPid()}`;
    const live = `lock.${process.ppid}`;
    putLock(dir, '');
    fs.renameSync(path.join(dir, LOCK_FILE), path.join(dir, '.cdk8s-openchoreo', dead));
    fs.writeFileSync(path.join(dir, '.cdk8s-openchoreo', live), '{}');
    writeOwnedTree(dir, { 'a.yaml': 'a\n' });
    expect(fs.readdirSync(path.join(dir, '.cdk8s-openchoreo')).sort()).toEqual(['files.json', live].sort());
  });

  const since = '2026-01-01T00:00:00.000Z';
  test.each([
    ['a live process', () => ({ pid: process.pid, host: os.hostname() })],
    ['another host (its pid cannot be checked there)', () => ({ pid: deadPid(), host: 'build-agent-7' })],
    ['an unreadable lock file', () => undefined],
  ])('held by %s: the run waits, then refuses naming the holder, and changes nothing', (_, holderOf) => {
    const dir = checkout();
    writeOwnedTree(dir, { 'a.yaml': 'a\n' });
    const h = holderOf();
    const lock = h ? JSON.stringify({ ...h, started: since }) : 'garbage';
    const holder = h ? `pid ${h.pid} on host ${h.host} since ${since}` : 'an unknown run (the lock file is unreadable)';
    putLock(dir, lock);
    const record = fs.readFileSync(path.join(dir, RECORD_FILE), 'utf8');
    const lockPath = path.join(dir, LOCK_FILE);
    let message = '';
    try {
      writeOwnedTree(dir, { 'b.yaml': 'b\n' }, { lockTimeoutMs: 0 });
    } catch (e: any) {
      message = e.message;
    }
    expect(message).toBe(`Another run is writing to ${dir}: ${lockPath} is held by ${holder}; waited 0 s. Nothing was changed. `
      + `Fix: wait for that run to finish and synth again; if no run is active (its process is gone, e.g. it ran on another machine), delete ${lockPath}.`);
    expect(fs.readFileSync(lockPath, 'utf8')).toBe(lock); // another run's lock is never removed
    expect(fs.readFileSync(path.join(dir, RECORD_FILE), 'utf8')).toBe(record);
    expect(fs.existsSync(path.join(dir, 'b.yaml'))).toBe(false);
    expect(verifyOwnedTree(dir)).toEqual({ complete: false, reasons: [`a run is writing it now (${LOCK_FILE} is held by ${holder})`], files: 1, owner: 'cdk8s-openchoreo' });
  });

  test('a refused first run leaves no bookkeeping folder and no output directory behind', () => {
    const dir = path.join(checkout(), 'out');
    fs.mkdirSync(path.join(dir, 'x.yaml'), { recursive: true }); // a folder where a file belongs
    expect(() => writeOwnedTree(dir, { 'x.yaml': 'x\n' })).toThrow(/x\.yaml: is a directory/);
    expect(fs.readdirSync(dir)).toEqual(['x.yaml']);
    const fresh = path.join(checkout(), 'never');
    expect(() => writeOwnedTree(fresh, { 'a.yaml': 'a\n' }, { owner: 'x', onProgress: () => { throw new Error('stop'); } })).toThrow('stop');
    expect(fs.existsSync(fresh)).toBe(false);
  });
});
