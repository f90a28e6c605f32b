import { spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { verifyOwnedTree } from '../src/output/verify';
import { LOCK_FILE, PENDING_FILE, RECORD_FILE, writeOwnedTree } from '../src/output/writer';

// A plain copy of `fs`, so that one test can make a rename fail (the module's own exports cannot be spied on).
jest.mock('fs', () => ({ ...jest.requireActual('fs') }));

const tempDirs: string[] = [];

afterAll(() => {
  for (const d of tempDirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** A fresh temp dir holding `files` (relative path → content), standing in for a GitOps checkout. */
function checkout(files: Record<string, string> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'openchoreo-writer-'));
  tempDirs.push(dir);
  for (const [rel, content] of Object.entries(files)) put(dir, rel, content);
  return dir;
}

function put(dir: string, rel: string, content: string): void {
  fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  fs.writeFileSync(path.join(dir, rel), content);
}

/** Every file under `dir` (dotfiles included), relative path → content. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(child);
      else out[child] = fs.readFileSync(path.join(dir, child), 'utf8');
    }
  };
  walk('');
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** Every directory under `dir`, relative, sorted. */
function dirs(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      out.push(child);
      walk(child);
    }
  };
  walk('');
  return out.sort();
}

function record(dir: string): any {
  return JSON.parse(fs.readFileSync(path.join(dir, RECORD_FILE), 'utf8'));
}

/** The tree minus the writer's own bookkeeping folder. */
function outputs(dir: string): Record<string, string> {
  return Object.fromEntries(Object.entries(tree(dir)).filter(([p]) => !p.startsWith('.cdk8s-openchoreo/')));
}

const sha = (s: string) => crypto.createHash('sha256').update(s).digest('hex');
const catchError = (f: () => unknown): Error => {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
};

const FOREIGN = {
  'README.md': '# our GitOps repo\n',
  'other-app/deploy.yaml': 'kind: Deployment\n',
  '.git/HEAD': 'ref: refs/heads/main\n',
};

const V1 = {
  'acme/dp/dev/shop/api.yaml': 'kind: Service # api v1\n',
  'acme/dp/dev/shop/web.yaml': 'kind: Service # web v1\n',
  'acme/dp/dev/billing/worker.yaml': 'kind: Deployment # worker v1\n',
  'acme/README.md': '# acme\n',
};

describe('ownership record', () => {
  test('a first write into a folder with foreign files writes ours, records exactly them and leaves the foreign files untouched', () => {
    const dir = checkout(FOREIGN);
    const before = fs.statSync(path.join(dir, 'README.md')).mtimeMs;

    const result = writeOwnedTree(dir, V1);

    expect(result).toEqual({ written: Object.keys(V1).sort(), unchanged: [], removed: [] });
    expect(outputs(dir)).toEqual({ ...FOREIGN, ...V1 });
    expect(fs.statSync(path.join(dir, 'README.md')).mtimeMs).toBe(before);
    expect(record(dir)).toEqual({
      format: 1,
      owner: 'cdk8s-openchoreo',
      files: Object.keys(V1).sort().map(p => ({ path: p, sha256: sha((V1 as any)[p]) })),
    });
    // The bookkeeping folder holds only the record once the run is over, and is not itself an output.
    expect(Object.keys(tree(dir)).filter(p => p.startsWith('.cdk8s-openchoreo/'))).toEqual([RECORD_FILE]);
    expect(record(dir).files.map((f: any) => f.path)).not.toContain(RECORD_FILE);
  });

  test('the record is deterministic: same files, same bytes, whatever the order given or the folder', () => {
    const a = checkout();
    const b = checkout(FOREIGN);
    writeOwnedTree(a, V1);
    writeOwnedTree(b, Object.fromEntries(Object.entries(V1).reverse()));
    const text = fs.readFileSync(path.join(a, RECORD_FILE), 'utf8');
    expect(fs.readFileSync(path.join(b, RECORD_FILE), 'utf8')).toBe(text);
    expect(text).toMatch(/\n$/);
    expect(text).not.toMatch(/time|date|\d{4}-\d\d-\d\d/i);
  });

  test('the owner is recorded, and a tree owned by another owner is refused', () => {
    const dir = checkout();
    writeOwnedTree(dir, { 'a.yaml': 'a\n' }, { owner: 'app-one' });
    expect(record(dir).owner).toBe('app-one');
    const error = catchError(() => writeOwnedTree(dir, { 'b.yaml': 'b\n' }, { owner: 'app-two' }));
    expect(error.message).toContain('"app-one"');
    expect(error.message).toContain('own output directory');
    expect(outputs(dir)).toEqual({ 'a.yaml': 'a\n' });
  });

  test('a corrupt record or one of an unknown format is refused, not guessed at', () => {
    const dir = checkout();
    writeOwnedTree(dir, { 'a.yaml': 'a\n' });
    put(dir, RECORD_FILE, '{ not json');
    expect(() => writeOwnedTree(dir, {})).toThrow(/files\.json is not valid JSON/);
    put(dir, RECORD_FILE, JSON.stringify({ format: 99, owner: 'cdk8s-openchoreo', files: [] }));
    expect(() => writeOwnedTree(dir, {})).toThrow(/format 99/);
    expect(outputs(dir)).toEqual({ 'a.yaml': 'a\n' });
  });

  test('a recorded path that escapes the output directory is rejected before anything is deleted', () => {
    const parent = checkout({ 'victim.txt': 'keep me\n' });
    const dir = path.join(parent, 'out');
    writeOwnedTree(dir, { 'a.yaml': 'a\n' });
    const tampered = record(dir);
    tampered.files.push({ path: '../victim.txt', sha256: sha('keep me\n') });
    put(dir, RECORD_FILE, JSON.stringify(tampered));
    expect(() => writeOwnedTree(dir, {})).toThrow(/"\.\.\/victim\.txt".*"\.\." segment/);
    expect(fs.readFileSync(path.join(parent, 'victim.txt'), 'utf8')).toBe('keep me\n');
    expect(outputs(dir)).toEqual({ 'a.yaml': 'a\n' });
  });
});

describe('prune', () => {
  test('a second write without one file deletes exactly it and its now-empty folder, and leaves foreign files', () => {
    const dir = checkout(FOREIGN);
    put(dir, 'acme/dp/dev/shop/NOTES.md', 'hand-written notes\n'); // foreign file next to ours
    writeOwnedTree(dir, V1);

    const v2: Record<string, string> = { ...V1 };
    delete v2['acme/dp/dev/billing/worker.yaml']; // the only file in its folder
    delete v2['acme/dp/dev/shop/web.yaml']; // shares its folder with a foreign file
    const result = writeOwnedTree(dir, v2);

    expect(result).toEqual({
      written: [],
      unchanged: Object.keys(v2).sort(),
      removed: ['acme/dp/dev/billing/worker.yaml', 'acme/dp/dev/shop/web.yaml'],
    });
    expect(outputs(dir)).toEqual({ ...FOREIGN, ...v2, 'acme/dp/dev/shop/NOTES.md': 'hand-written notes\n' });
    expect(dirs(dir)).not.toContain('acme/dp/dev/billing');
    expect(dirs(dir)).toContain('acme/dp/dev/shop');
    expect(record(dir).files.map((f: any) => f.path)).toEqual(Object.keys(v2).sort());
  });

  test('pruning everything removes the emptied folders but never the output directory itself', () => {
    const parent = checkout();
    const dir = path.join(parent, 'out');
    writeOwnedTree(dir, { 'a/b/c.yaml': 'c\n', 'top.yaml': 'top\n' });
    const result = writeOwnedTree(dir, {});
    expect(result.removed).toEqual(['a/b/c.yaml', 'top.yaml']);
    expect(fs.existsSync(dir)).toBe(true);
    expect(dirs(dir)).toEqual(['.cdk8s-openchoreo']);
    expect(record(dir).files).toEqual([]);
  });

  test('a foreign file is never deleted, even when it sits where an owned file used to be listed', () => {
    const dir = checkout(FOREIGN);
    writeOwnedTree(dir, { 'x.yaml': 'x\n' });
    writeOwnedTree(dir, {});
    put(dir, 'x.yaml', 'now someone else\'s\n'); // after the prune, the path is no longer owned
    writeOwnedTree(dir, { 'y.yaml': 'y\n' });
    expect(outputs(dir)).toEqual({ ...FOREIGN, 'x.yaml': 'now someone else\'s\n', 'y.yaml': 'y\n' });
  });

  test('an owned file edited by hand is neither overwritten nor deleted: the run is refused until it is restored or removed', () => {
    const dir = checkout();
    writeOwnedTree(dir, { 'a.yaml': 'a\n', 'b.yaml': 'b\n' });
    put(dir, 'a.yaml', 'edited\n');
    put(dir, 'b.yaml', 'edited\n');
    const before = tree(dir);
    const error = catchError(() => writeOwnedTree(dir, { 'a.yaml': 'a2\n' }));
    expect(error.message).toContain(`a.yaml: was changed after cdk8s-openchoreo wrote it (its sha256 is now ${sha('edited\n').slice(0, 12)}…, the record has ${sha('a\n').slice(0, 12)}…)`);
    expect(error.message).toContain('b.yaml: was changed after cdk8s-openchoreo wrote it');
    expect(error.message).toContain('it is no longer generated but is not deleted');
    expect(error.message).toMatch(/nothing was written[\s\S]*Fix: Move each of these out of the way/);
    expect(tree(dir)).toEqual(before);

    fs.rmSync(path.join(dir, 'a.yaml')); // the user moves their edit away ...
    put(dir, 'b.yaml', 'b\n'); // ... and restores the other file
    expect(writeOwnedTree(dir, { 'a.yaml': 'a\n' })).toEqual({ written: ['a.yaml'], unchanged: [], removed: ['b.yaml'] });
    expect(outputs(dir)).toEqual({ 'a.yaml': 'a\n' });
  });
});

describe('foreign files', () => {
  test('a differing foreign file at an output path is refused: the error names it and the fix, and nothing is written', () => {
    const dir = checkout({ ...FOREIGN, 'acme/dp/dev/shop/api.yaml': 'hand-made\n' });
    const before = tree(dir);

    const error = catchError(() => writeOwnedTree(dir, V1));

    expect(error.message).toContain('acme/dp/dev/shop/api.yaml');
    expect(error.message).toMatch(/nothing was written/);
    expect(error.message).toMatch(/Move each of these out of the way/);
    expect(error.message).toMatch(/delete it so the generator may own/);
    expect(tree(dir)).toEqual(before); // no other output, no record, no temp file
    expect(dirs(dir)).not.toContain('.cdk8s-openchoreo');
  });

  test('every conflict is reported at once, and a refused run leaves the previous tree and record intact', () => {
    const dir = checkout(FOREIGN);
    writeOwnedTree(dir, V1);
    put(dir, 'acme/new-one.yaml', 'theirs\n');
    put(dir, 'acme/new-two.yaml', 'theirs\n');
    const before = tree(dir);

    const error = catchError(() => writeOwnedTree(dir, {
      'acme/new-one.yaml': 'ours\n',
      'acme/new-two.yaml': 'ours\n',
      'acme/dp/dev/shop/api.yaml': 'kind: Service # api v2\n',
    }));

    expect(error.message).toContain('acme/new-one.yaml');
    expect(error.message).toContain('acme/new-two.yaml');
    expect(error.message).not.toContain('api.yaml');
    expect(tree(dir)).toEqual(before);
  });

  test('files staged under temp names before a conflict is found are removed, with the folders made for them', () => {
    const dir = checkout({ ...FOREIGN, 'acme/z.yaml': 'theirs\n' });
    const before = tree(dir);
    const beforeDirs = dirs(dir);
    // Sorted by path, the new files in new folders are staged before acme/z.yaml turns out to be foreign.
    const error = catchError(() => writeOwnedTree(dir, { ...V1, 'acme/new/deep/x.yaml': 'x\n', 'acme/z.yaml': 'ours\n' }));
    expect(error.message).toContain('acme/z.yaml: exists, is not owned');
    expect(tree(dir)).toEqual(before);
    expect(dirs(dir)).toEqual(beforeDirs);
  });

  test('deferred contents are produced once each, in path order, and written like strings', () => {
    const dir = checkout();
    const produced: string[] = [];
    const lazy = (rel: string, content: string) => [rel, () => { produced.push(rel); return content; }] as const;
    const result = writeOwnedTree(dir, [lazy('b/c.yaml', 'c\n'), lazy('a.yaml', 'a\n'), ['d.md', 'd\n']]);
    expect(result.written).toEqual(['a.yaml', 'b/c.yaml', 'd.md']);
    expect(produced).toEqual(['a.yaml', 'b/c.yaml']);
    expect(outputs(dir)).toEqual({ 'a.yaml': 'a\n', 'b/c.yaml': 'c\n', 'd.md': 'd\n' });
    expect(record(dir).files).toEqual([{ path: 'a.yaml', sha256: sha('a\n') }, { path: 'b/c.yaml', sha256: sha('c\n') }, { path: 'd.md', sha256: sha('d\n') }]);
  });

  test('a foreign file with identical content is adopted: reported unchanged, then owned', () => {
    const dir = checkout({ 'a.yaml': 'same\n' });
    const result = writeOwnedTree(dir, { 'a.yaml': 'same\n', 'b.yaml': 'b\n' });
    expect(result).toEqual({ written: ['b.yaml'], unchanged: ['a.yaml'], removed: [] });
    expect(record(dir).files.map((f: any) => f.path)).toEqual(['a.yaml', 'b.yaml']);
    expect(writeOwnedTree(dir, { 'b.yaml': 'b\n' }).removed).toEqual(['a.yaml']);
  });

  test('a foreign directory or file in the way of an output path is refused', () => {
    const dir = checkout({ 'a.yaml/inside.txt': 'x\n', 'b': 'a file\n' });
    const error = catchError(() => writeOwnedTree(dir, { 'a.yaml': 'a\n', 'b/c.yaml': 'c\n' }));
    expect(error.message).toContain('a.yaml: is a directory');
    expect(error.message).toContain('b/c.yaml: its parent b exists and is not a directory');
    expect(outputs(dir)).toEqual({ 'a.yaml/inside.txt': 'x\n', 'b': 'a file\n' });
  });

  if (process.platform !== 'win32') {
    test('a foreign symbolic link at an output path is neither followed nor replaced', () => {
      const outside = checkout({ 'target.txt': 'outside\n' });
      const dir = checkout();
      fs.symlinkSync(path.join(outside, 'target.txt'), path.join(dir, 'a.yaml'));
      expect(() => writeOwnedTree(dir, { 'a.yaml': 'a\n' })).toThrow(/a\.yaml: exists, is not owned/);
      expect(fs.readFileSync(path.join(outside, 'target.txt'), 'utf8')).toBe('outside\n');
    });

    test('a folder that is a symbolic link out of the output directory is refused', () => {
      const outside = checkout();
      const dir = checkout();
      fs.symlinkSync(outside, path.join(dir, 'linked'));
      expect(() => writeOwnedTree(dir, { 'linked/a.yaml': 'a\n' })).toThrow(/linked\/a\.yaml: its parent linked resolves outside/);
      expect(fs.readdirSync(outside)).toEqual([]);
    });
  }
});

describe('unchanged files', () => {
  test('are not rewritten (content compared, mtime kept) and are reported as unchanged', () => {
    const dir = checkout();
    writeOwnedTree(dir, V1);
    const old = new Date('2020-01-01T00:00:00Z');
    for (const p of [...Object.keys(V1), RECORD_FILE]) fs.utimesSync(path.join(dir, p), old, old);

    const v2 = { ...V1, 'acme/dp/dev/shop/api.yaml': 'kind: Service # api v2\n' };
    const result = writeOwnedTree(dir, v2);

    expect(result.written).toEqual(['acme/dp/dev/shop/api.yaml']);
    expect(result.unchanged).toEqual(Object.keys(V1).filter(p => p !== 'acme/dp/dev/shop/api.yaml').sort());
    expect(result.removed).toEqual([]);
    for (const p of result.unchanged) expect(fs.statSync(path.join(dir, p)).mtime).toEqual(old);
    expect(fs.statSync(path.join(dir, 'acme/dp/dev/shop/api.yaml')).mtime).not.toEqual(old);
    expect(outputs(dir)).toEqual(v2);
  });

  test('a rerun with the same files touches nothing, not even the record', () => {
    const dir = checkout();
    writeOwnedTree(dir, V1);
    const old = new Date('2020-01-01T00:00:00Z');
    for (const p of [...Object.keys(V1), RECORD_FILE]) fs.utimesSync(path.join(dir, p), old, old);
    expect(writeOwnedTree(dir, V1)).toEqual({ written: [], unchanged: Object.keys(V1).sort(), removed: [] });
    for (const p of [...Object.keys(V1), RECORD_FILE]) expect(fs.statSync(path.join(dir, p)).mtime).toEqual(old);
  });
});

describe('paths', () => {
  test.each([
    ['../escape.yaml', '".." segment'],
    ['a/../../escape.yaml', '".." segment'],
    ['a/..', '".." segment'],
    ['/etc/passwd', 'absolute'],
    ['\\\\server\\share\\x.yaml', 'absolute'],
    ['C:\\x.yaml', 'absolute'],
    ['C:x.yaml', 'absolute'],
    ['', 'empty'],
    ['a//b.yaml', 'empty or "." segment'],
    ['./a.yaml', 'empty or "." segment'],
    ['a/', 'empty or "." segment'],
    ['.cdk8s-openchoreo/files.json', 'reserved for the ownership record'],
    ['.cdk8s-openchoreo', 'reserved for the ownership record'],
    ['a/.b.yaml.cdk8s-openchoreo-tmp-123', 'reserved for temporary files'],
  ])('%j is rejected (%s) and nothing is written', (bad, why) => {
    const parent = checkout();
    const dir = path.join(parent, 'out');
    const error = catchError(() => writeOwnedTree(dir, { 'ok.yaml': 'ok\n', [bad]: 'x\n' }));
    expect(error.message).toContain(JSON.stringify(bad));
    expect(error.message).toContain(why);
    expect(tree(parent)).toEqual({});
    expect(fs.existsSync(dir)).toBe(false);
  });

  test('backslashes are read as separators, and the record uses forward slashes', () => {
    const dir = checkout();
    expect(writeOwnedTree(dir, { 'a\\b\\c.yaml': 'c\n' }).written).toEqual(['a/b/c.yaml']);
    expect(outputs(dir)).toEqual({ 'a/b/c.yaml': 'c\n' });
    expect(record(dir).files.map((f: any) => f.path)).toEqual(['a/b/c.yaml']);
  });

  test('paths naming the same file, differing only in case, or both a file and a folder are rejected', () => {
    const dir = checkout();
    expect(() => writeOwnedTree(dir, { 'a/b.yaml': '1', 'a\\b.yaml': '2' })).toThrow(/name the same file/);
    expect(() => writeOwnedTree(dir, { 'A.yaml': '1', 'a.yaml': '2' })).toThrow(/differ only in case/);
    expect(() => writeOwnedTree(dir, { 'a': '1', 'a/b.yaml': '2' })).toThrow(/Output path a is a file but a\/b\.yaml needs it to be a directory/);
    expect(tree(dir)).toEqual({});
  });
});

describe('interrupted runs', () => {
  test('an interrupted or failed synth leaves the previous tree intact, and a rerun converges', () => {
    const dir = checkout(FOREIGN);
    writeOwnedTree(dir, V1);
    const before = tree(dir);

    const v2: Record<string, string> = { ...V1, 'acme/dp/dev/shop/api.yaml': 'kind: Service # api v2\n', 'acme/new/x.yaml': 'x\n' };
    delete v2['acme/dp/dev/billing/worker.yaml'];
    // Dies with every new file written to its temp file, before the first is renamed into place.
    expect(() => writeOwnedTree(dir, v2, { failAfter: 0 })).toThrow(/Simulated crash/);

    const after = tree(dir);
    const temps = Object.keys(after).filter(p => /\.cdk8s-openchoreo-tmp-\d+$/.test(p));
    expect(temps).toEqual([`acme/dp/dev/shop/.api.yaml.cdk8s-openchoreo-tmp-${process.pid}`, `acme/new/.x.yaml.cdk8s-openchoreo-tmp-${process.pid}`]);
    for (const [p, content] of Object.entries(before)) expect(after[p]).toBe(content); // every file, record included
    expect(Object.keys(after).filter(p => !(p in before)).sort()).toEqual([PENDING_FILE, ...temps].sort());

    const result = writeOwnedTree(dir, v2);
    expect(result.written).toEqual(['acme/dp/dev/shop/api.yaml', 'acme/new/x.yaml']);
    expect(result.removed).toEqual(['acme/dp/dev/billing/worker.yaml']);
    expect(tree(dir)).toEqual({ ...FOREIGN, ...v2, [RECORD_FILE]: fs.readFileSync(path.join(dir, RECORD_FILE), 'utf8') });
    expect(record(dir).files.map((f: any) => f.path)).toEqual(Object.keys(v2).sort());
  });

  test('a run that dies midway is finished by the next one, even if that one generates different content', () => {
    const dir = checkout(FOREIGN);
    writeOwnedTree(dir, V1);
    const v2: Record<string, string> = { ...V1, 'acme/a-new.yaml': 'new v1\n', 'acme/z-new.yaml': 'z\n' };
    delete v2['acme/dp/dev/billing/worker.yaml'];
    // acme/a-new.yaml is renamed into place, then the process dies: the old record does not list it.
    expect(() => writeOwnedTree(dir, v2, { failAfter: 1 })).toThrow(/Simulated crash/);
    expect(fs.readFileSync(path.join(dir, 'acme/a-new.yaml'), 'utf8')).toBe('new v1\n');
    expect(record(dir).files.map((f: any) => f.path)).toEqual(Object.keys(V1).sort());
    expect(fs.existsSync(path.join(dir, 'acme/dp/dev/billing/worker.yaml'))).toBe(true);

    // The next run owns what the interrupted one wrote, so it may change it rather than refusing it as foreign.
    const v3 = { ...v2, 'acme/a-new.yaml': 'new v2\n' };
    const result = writeOwnedTree(dir, v3);
    expect(result.written).toEqual(['acme/a-new.yaml', 'acme/z-new.yaml']);
    expect(result.removed).toEqual(['acme/dp/dev/billing/worker.yaml']);
    expect(outputs(dir)).toEqual({ ...FOREIGN, ...v3 });
    expect(Object.keys(tree(dir)).filter(p => p.startsWith('.cdk8s-openchoreo/'))).toEqual([RECORD_FILE]);
  });

  test('a run that dies after writing the record but before pruning has its deletions finished by the next one', () => {
    const dir = checkout(FOREIGN);
    writeOwnedTree(dir, V1);
    const v2: Record<string, string> = { ...V1 };
    delete v2['acme/dp/dev/billing/worker.yaml'];
    // Nothing to write, then the record (1 rename), then the crash before pruning.
    expect(() => writeOwnedTree(dir, v2, { failAfter: 1 })).toThrow(/before deleting/);
    expect(record(dir).files.map((f: any) => f.path)).toEqual(Object.keys(v2).sort());
    expect(fs.existsSync(path.join(dir, 'acme/dp/dev/billing/worker.yaml'))).toBe(true);

    expect(writeOwnedTree(dir, v2).removed).toEqual(['acme/dp/dev/billing/worker.yaml']);
    expect(outputs(dir)).toEqual({ ...FOREIGN, ...v2 });
  });

  test('a run that dies before its record is written still owns the files it adopted', () => {
    const dir = checkout({ 'adopted.yaml': 'same\n' });
    expect(() => writeOwnedTree(dir, { 'adopted.yaml': 'same\n', 'b.yaml': 'b\n' }, { failAfter: 1 })).toThrow(/Simulated crash/);
    expect(fs.existsSync(path.join(dir, RECORD_FILE))).toBe(false);
    expect(writeOwnedTree(dir, { 'adopted.yaml': 'changed\n' })).toEqual({ written: ['adopted.yaml'], unchanged: [], removed: ['b.yaml'] });
  });

  test('temp files left by an interrupted run of another process are removed by the next run', () => {
    const dir = checkout(FOREIGN);
    writeOwnedTree(dir, V1);
    put(dir, 'acme/dp/dev/shop/.api.yaml.cdk8s-openchoreo-tmp-99999', 'partial');
    put(dir, '.cdk8s-openchoreo/.files.json.cdk8s-openchoreo-tmp-99999', 'partial');
    put(dir, 'acme/dp/dev/shop/.api.yaml.backup', 'not ours\n');
    writeOwnedTree(dir, V1);
    expect(outputs(dir)).toEqual({ ...FOREIGN, ...V1, 'acme/dp/dev/shop/.api.yaml.backup': 'not ours\n' });
    expect(Object.keys(tree(dir)).filter(p => p.startsWith('.cdk8s-openchoreo/'))).toEqual([RECORD_FILE]);
  });

  test('a run that takes over the lock of a run that died removes its temp files everywhere, even in folders it does not write', () => {
    const dir = checkout(FOREIGN);
    writeOwnedTree(dir, V1);
    const dead = spawnSync(process.execPath, ['-e', '']).pid!; // a process of this host that has exited
    put(dir, LOCK_FILE, JSON.stringify({ pid: dead, host: os.hostname(), started: new Date().toISOString() }) + '\n');
    put(dir, 'acme/gone/deep/.x.yaml.cdk8s-openchoreo-tmp-99999', 'staged by the dead run');
    put(dir, 'other-app/.keep.cdk8s-openchoreo-tmp-99999', 'staged by the dead run');
    expect(verifyOwnedTree(dir).reasons).toEqual([
      'acme/gone/deep/.x.yaml.cdk8s-openchoreo-tmp-99999: temp file of an unfinished run',
      'other-app/.keep.cdk8s-openchoreo-tmp-99999: temp file of an unfinished run',
    ]);
    const result = writeOwnedTree(dir, V1);
    expect(result.written).toEqual([]);
    expect(outputs(dir)).toEqual({ ...FOREIGN, ...V1 });
    expect(dirs(dir)).not.toContain('acme/gone');
    expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(false);
  });

  test('a write that fails for real removes its temp file; the next run converges', () => {
    const dir = checkout();
    writeOwnedTree(dir, { 'a.yaml': 'a\n' });
    // The second rename (the pending log is the first) is a.yaml's, and fails like a full or broken disk would.
    const rename = fs.renameSync;
    let calls = 0;
    const spy = jest.spyOn(jest.requireMock<typeof fs>('fs'), 'renameSync').mockImplementation((from, to) => {
      if (++calls === 2) throw Object.assign(new Error('EIO: simulated'), { code: 'EIO' });
      rename(from, to);
    });
    try {
      expect(() => writeOwnedTree(dir, { 'a.yaml': 'a2\n', 'b.yaml': 'b\n' })).toThrow(/EIO/);
    } finally {
      spy.mockRestore();
    }
    expect(calls).toBe(2);
    expect(outputs(dir)).toEqual({ 'a.yaml': 'a\n' });
    expect(Object.keys(tree(dir)).filter(p => p.includes('-tmp-'))).toEqual([]);
    expect(record(dir).files.map((f: any) => f.path)).toEqual(['a.yaml']);
    expect(writeOwnedTree(dir, { 'a.yaml': 'a2\n', 'b.yaml': 'b\n' }).written).toEqual(['a.yaml', 'b.yaml']);
    expect(outputs(dir)).toEqual({ 'a.yaml': 'a2\n', 'b.yaml': 'b\n' });
  });
});
