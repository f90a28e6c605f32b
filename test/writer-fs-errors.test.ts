import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { verifyOwnedTree } from '../src/output/verify';
import { PENDING_FILE, RECORD_DIR, writeOwnedTree } from '../src/output/writer';

// A plain copy of `fs`, so that single calls can fail like a real file system would (the module's own exports cannot be spied on).
jest.mock('fs', () => ({ ...jest.requireActual('fs') }));
const mockedFs = jest.requireMock<typeof fs>('fs');

const tempDirs: string[] = [];
afterAll(() => {
  for (const d of tempDirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function checkout(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'openchoreo-fserr-'));
  tempDirs.push(dir);
  return dir;
}

const V1 = { 'acme/a.yaml': 'a\n', 'acme/old.yaml': 'old\n' };
const V2 = { 'acme/a.yaml': 'a2\n', 'acme/b.yaml': 'b\n' };

/** Makes the first call of `fs[method]` whose first argument matches fail with `code`, as Node reports it. */
function failOnce(method: 'writeFileSync' | 'renameSync' | 'mkdirSync' | 'rmSync', matches: (p: string) => boolean, code: string, syscall: string): jest.SpyInstance {
  const real = (fs as any)[method].bind(fs);
  let failed = false;
  return jest.spyOn(mockedFs, method).mockImplementation(((...args: any[]) => {
    if (!failed && typeof args[0] === 'string' && matches(args[0])) {
      failed = true;
      const dest = method === 'renameSync' ? args[1] : undefined;
      throw Object.assign(new Error(`${code}: simulated, ${syscall} '${args[0]}'${dest ? ` -> '${dest}'` : ''}`), { code, syscall, path: args[0], dest });
    }
    return real(...args);
  }) as any);
}

function errorOf(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
}

const temps = (dir: string) => fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter(f => f.includes('.cdk8s-openchoreo-tmp-'));
const UNCHANGED = 'Nothing was changed: the tree is as the previous run left it.';
const PARTIAL = /The tree is partly written .*pending\.json records this run, so `cdk8s-openchoreo verify .*` reports it incomplete and the next synth finishes it\./;

describe('file-system errors name the path, the cause, the fix and the state of the tree', () => {
  test.each([
    ['EACCES', 'permission denied', 'give the user running the synth write access to <acme>'],
    ['EPERM', 'operation not permitted', 'make <acme> writable for the user running the synth'],
    ['ENOSPC', 'no space left on the device', 'free disk space'],
    ['EROFS', 'the file system is read-only', 'write to a writable file system'],
  ])('%s writing a new file (to its temp name, before the intent log): nothing was changed, verify says complete, the next run writes it', (code, what, fix) => {
    const dir = checkout();
    writeOwnedTree(dir, V1);
    const spy = failOnce('writeFileSync', p => p.includes('.b.yaml.cdk8s-openchoreo-tmp-'), code, 'open');
    const error = errorOf(() => writeOwnedTree(dir, V2));
    spy.mockRestore();
    const temp = path.join(dir, `acme/.b.yaml.cdk8s-openchoreo-tmp-${process.pid}`);
    expect(error.message).toContain(`Could not open ${temp} while writing ${dir}: ${what} (${code}: simulated`);
    expect(error.message).toContain(UNCHANGED);
    expect(error.message).toContain(`Fix: ${fix.replace('<acme>', path.join(dir, 'acme'))}`);
    expect(error.message).toMatch(/then synth again\.$/);
    expect(temps(dir)).toEqual([]); // its own temp files (a.yaml's was staged first) are removed
    expect(fs.readFileSync(path.join(dir, 'acme/a.yaml'), 'utf8')).toBe('a\n');
    expect(verifyOwnedTree(dir)).toMatchObject({ complete: true, files: 2 });

    expect(writeOwnedTree(dir, V2)).toEqual({ written: ['acme/a.yaml', 'acme/b.yaml'], unchanged: [], removed: ['acme/old.yaml'] });
    expect(verifyOwnedTree(dir).complete).toBe(true);
  });

  test('EPERM renaming a file into place names both paths', () => {
    const dir = checkout();
    writeOwnedTree(dir, V1);
    const spy = failOnce('renameSync', p => p.includes('.a.yaml.cdk8s-openchoreo-tmp-'), 'EPERM', 'rename');
    const error = errorOf(() => writeOwnedTree(dir, V2));
    spy.mockRestore();
    expect(error.message).toContain(`Could not rename ${path.join(dir, 'acme/.a.yaml.cdk8s-openchoreo-tmp-')}${process.pid} to ${path.join(dir, 'acme/a.yaml')}`);
    expect(error.message).toMatch(PARTIAL);
    expect(fs.readFileSync(path.join(dir, 'acme/a.yaml'), 'utf8')).toBe('a\n');
    expect(temps(dir)).toEqual([]);
    writeOwnedTree(dir, V2);
    expect(verifyOwnedTree(dir).complete).toBe(true);
  });

  test('EACCES deleting a file that is no longer generated: partly written, the next run deletes it', () => {
    const dir = checkout();
    writeOwnedTree(dir, V1);
    const spy = failOnce('rmSync', p => p.endsWith('old.yaml'), 'EACCES', 'unlink');
    const error = errorOf(() => writeOwnedTree(dir, V2));
    spy.mockRestore();
    expect(error.message).toContain(`Could not unlink ${path.join(dir, 'acme/old.yaml')} while writing ${dir}: permission denied`);
    expect(error.message).toMatch(PARTIAL);
    expect(verifyOwnedTree(dir).complete).toBe(false);
    expect(writeOwnedTree(dir, V2).removed).toEqual(['acme/old.yaml']);
    expect(verifyOwnedTree(dir).complete).toBe(true);
  });

  test('ENOSPC writing the intent log: nothing was changed, and the tree is still complete', () => {
    const dir = checkout();
    writeOwnedTree(dir, V1);
    const spy = failOnce('writeFileSync', p => p.includes('.pending.json.cdk8s-openchoreo-tmp-'), 'ENOSPC', 'open');
    const error = errorOf(() => writeOwnedTree(dir, V2));
    spy.mockRestore();
    expect(error.message).toContain('no space left on the device');
    expect(error.message).toContain(UNCHANGED);
    expect(temps(dir)).toEqual([]);
    expect(verifyOwnedTree(dir)).toMatchObject({ complete: true, files: 2 });
  });

  test('EROFS creating the output directory: nothing was changed', () => {
    const dir = path.join(checkout(), 'out');
    const spy = failOnce('mkdirSync', p => p.startsWith(dir), 'EROFS', 'mkdir');
    const error = errorOf(() => writeOwnedTree(dir, V1));
    spy.mockRestore();
    expect(error.message).toContain(`Could not mkdir ${path.join(dir, RECORD_DIR)} while writing ${dir}: the file system is read-only`);
    expect(error.message).toContain(UNCHANGED);
    expect(fs.existsSync(dir)).toBe(false);
  });

  test('ENOTDIR (the output directory is below a file), for real', () => {
    const parent = checkout();
    fs.writeFileSync(path.join(parent, 'file'), 'x');
    const dir = path.join(parent, 'file/out');
    const error = errorOf(() => writeOwnedTree(dir, V1));
    expect(error.message).toContain(`Could not mkdir ${path.join(dir, RECORD_DIR)} while writing ${dir}: a part of the path is a file where a folder belongs`);
    expect(error.message).toContain(UNCHANGED);
    expect(error.message).toContain('Fix: move the file that sits in place of a folder of');
  });

  test('EISDIR (the intent log is a folder), for real', () => {
    const dir = checkout();
    writeOwnedTree(dir, V1);
    fs.mkdirSync(path.join(dir, PENDING_FILE));
    const error = errorOf(() => writeOwnedTree(dir, V2));
    expect(error.message).toContain(`Could not read ${path.join(dir, PENDING_FILE)} while writing ${dir}: it is a folder where a file belongs`);
    expect(error.message).toContain(UNCHANGED);
    expect(error.message).toContain(`Fix: move the folder ${path.join(dir, PENDING_FILE)} out of the way, then synth again.`);
    expect(fs.readFileSync(path.join(dir, 'acme/old.yaml'), 'utf8')).toBe('old\n');
  });

  test('EEXIST (a file where the bookkeeping folder belongs), for real', () => {
    const dir = checkout();
    fs.writeFileSync(path.join(dir, RECORD_DIR), 'x');
    const error = errorOf(() => writeOwnedTree(dir, V1));
    expect(error.message).toContain(`Could not mkdir ${path.join(dir, RECORD_DIR)} while writing ${dir}: a file is where a folder belongs`);
    expect(error.message).toContain(`Fix: move the file ${path.join(dir, RECORD_DIR)} out of the way`);
    expect(fs.readdirSync(dir)).toEqual([RECORD_DIR]);
  });

  test('an error without a known cause keeps its message and still says the path and the state', () => {
    const dir = checkout();
    writeOwnedTree(dir, V1);
    const spy = failOnce('writeFileSync', p => p.includes('.a.yaml.cdk8s-openchoreo-tmp-'), 'EIO', 'open');
    const error = errorOf(() => writeOwnedTree(dir, V2));
    spy.mockRestore();
    expect(error.message).toMatch(/^Could not open .*\.a\.yaml\.cdk8s-openchoreo-tmp-\d+ while writing .*: \(EIO: simulated/);
    expect(error.message).toContain(UNCHANGED);
    expect(error.message).toContain('Fix: remove the cause, then synth again.');
  });
});
