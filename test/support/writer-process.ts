import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';

const ROOT = path.resolve(__dirname, '../..');
/** The sources a writer child needs, relative to the repository root. */
const SOURCES = ['src/output/writer.ts', 'src/output/file-content.ts', 'src/output/verify.ts', 'test/support/writer-child.ts', 'test/support/writer-tree.ts'];

/**
 * Transpiles the writer and the child script to plain JavaScript in a temp folder (fast: no type-check, no
 * ts-node), keeping the repository layout so relative imports resolve. Returns the child script's path.
 */
export function buildWriterChild(): { script: string; cleanup: () => void } {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'openchoreo-writer-child-'));
  const ownedTree = fs.readdirSync(path.join(ROOT, 'src/output/owned-tree')).filter(f => f.endsWith('.ts')).map(f => `src/output/owned-tree/${f}`);
  for (const rel of [...SOURCES, ...ownedTree]) {
    const js = ts.transpileModule(fs.readFileSync(path.join(ROOT, rel), 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020, esModuleInterop: true },
      fileName: rel,
    }).outputText;
    const target = path.join(out, rel.replace(/\.ts$/, '.js'));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, js);
  }
  return { script: path.join(out, 'test/support/writer-child.js'), cleanup: () => fs.rmSync(out, { recursive: true, force: true }) };
}

/** What a finished child process did. */
export interface ChildOutcome {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the child to completion (or death). */
export function runChild(script: string, spec: object): ChildOutcome {
  const r = spawnSync(process.execPath, [script, JSON.stringify(spec)], { encoding: 'utf8' });
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

/** Starts the child; `locked` resolves when it prints "locked" (it holds the tree's lock), `done` when it exits. */
export function startChild(script: string, spec: object): { pid: number; locked: Promise<void>; done: Promise<ChildOutcome> } {
  const child = spawn(process.execPath, [script, JSON.stringify(spec)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let onLocked: () => void = () => undefined;
  const locked = new Promise<void>(resolve => { onLocked = resolve; });
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
    if (stdout.includes('locked\n')) onLocked();
  });
  child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
  const done = new Promise<ChildOutcome>(resolve => child.on('close', (status, signal) => resolve({ status, signal, stdout, stderr })));
  return { pid: child.pid!, locked, done };
}

/** A fresh temp folder, on a RAM file system when there is one (thousands of small files, written many times). */
export function fastTempDir(prefix: string): string {
  const shm = '/dev/shm';
  let base = os.tmpdir();
  try {
    fs.accessSync(shm, fs.constants.W_OK);
    if (fs.statSync(shm).isDirectory()) base = shm;
  } catch {
    // no /dev/shm: use the ordinary temp folder
  }
  return fs.mkdtempSync(path.join(base, prefix));
}
