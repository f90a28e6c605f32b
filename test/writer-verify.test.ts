import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PassThrough } from 'stream';
import { main } from '../src/cli/main';
import { verifyOwnedTree } from '../src/output/verify';
import { PENDING_FILE, RECORD_FILE, writeOwnedTree } from '../src/output/writer';

const tempDirs: string[] = [];
afterAll(() => {
  for (const d of tempDirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function checkout(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'openchoreo-verify-'));
  tempDirs.push(dir);
  return dir;
}

const V1 = { 'acme/a.yaml': 'a\n', 'acme/dev/b.yaml': 'b\n', 'c.yaml': 'c\n' };

/** Runs `verify` in-process; returns its exit code and what it printed. */
function run(...args: string[]): { code: number; out: string; err: string } {
  const out = new PassThrough();
  const err = new PassThrough();
  const code = main(['verify', ...args], { stdout: out, stderr: err, cwd: process.cwd() });
  return { code, out: out.read()?.toString() ?? '', err: err.read()?.toString() ?? '' };
}

describe('verifyOwnedTree', () => {
  test('a finished tree with foreign files next to it is complete', () => {
    const dir = checkout();
    fs.writeFileSync(path.join(dir, 'README.md'), 'ours\n');
    writeOwnedTree(dir, V1);
    expect(verifyOwnedTree(dir)).toEqual({ complete: true, reasons: [], files: 3, owner: 'cdk8s-openchoreo' });
  });

  test('every way a tree can be unfinished is named, one reason each', () => {
    const dir = checkout();
    writeOwnedTree(dir, V1);
    fs.rmSync(path.join(dir, 'acme/a.yaml'));
    fs.writeFileSync(path.join(dir, 'c.yaml'), 'edited\n');
    fs.rmSync(path.join(dir, 'acme/dev/b.yaml'));
    fs.mkdirSync(path.join(dir, 'acme/dev/b.yaml'));
    fs.writeFileSync(path.join(dir, 'acme/.a.yaml.cdk8s-openchoreo-tmp-4242'), 'partial');
    fs.writeFileSync(path.join(dir, PENDING_FILE), JSON.stringify({ format: 2, owner: 'cdk8s-openchoreo', write: [], remove: [] }));
    expect(verifyOwnedTree(dir).reasons).toEqual([
      `an interrupted run left ${PENDING_FILE}: files may be half replaced or not yet deleted; synth again to finish it`,
      'acme/a.yaml: missing',
      'acme/dev/b.yaml: is not a regular file',
      'c.yaml: its content differs from the record (changed by hand, or by an unfinished run)',
      'acme/.a.yaml.cdk8s-openchoreo-tmp-4242: temp file of an unfinished run',
    ]);
  });

  test('no record, an invalid record, or no directory at all: not complete, saying why', () => {
    const dir = checkout();
    expect(verifyOwnedTree(dir).reasons).toEqual([`it has no ownership record (${RECORD_FILE}): no run has finished writing it`]);
    writeOwnedTree(dir, V1);
    fs.writeFileSync(path.join(dir, RECORD_FILE), '{');
    expect(verifyOwnedTree(dir)).toMatchObject({ complete: false, reasons: [expect.stringMatching(/files\.json is not valid JSON/)] });
    expect(verifyOwnedTree(path.join(dir, 'c.yaml')).reasons).toEqual([`${path.join(dir, 'c.yaml')} is not a directory`]);
  });

  test('reads only: verifying an unfinished tree changes nothing', () => {
    const dir = checkout();
    writeOwnedTree(dir, V1);
    fs.writeFileSync(path.join(dir, 'acme/.a.yaml.cdk8s-openchoreo-tmp-4242'), 'partial');
    const before = fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
    verifyOwnedTree(dir);
    expect(fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort()).toEqual(before);
  });
});

describe('cdk8s-openchoreo verify <dir>', () => {
  test('exit 0 and a one-line summary for a complete tree', () => {
    const dir = checkout();
    writeOwnedTree(dir, V1);
    expect(run(dir)).toEqual({ code: 0, out: `complete: ${dir} holds the 3 files its record lists, unchanged (owner cdk8s-openchoreo).\n`, err: '' });
  });

  test('exit 1 with the reasons and the fix for an incomplete tree', () => {
    const dir = checkout();
    writeOwnedTree(dir, V1);
    fs.rmSync(path.join(dir, 'c.yaml'));
    expect(run(dir)).toEqual({
      code: 1,
      out: '',
      err: `incomplete: ${dir} is not a finished tree:\n  - c.yaml: missing\n`
        + 'Fix: synth again into it (an interrupted run is finished by the next one), and publish only once verify says complete.\n',
    });
  });

  test('many reasons are cut after 50, counting the rest', () => {
    const dir = checkout();
    const files = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`f${String(i).padStart(2, '0')}.yaml`, `${i}\n`]));
    writeOwnedTree(dir, files);
    for (const f of Object.keys(files)) fs.rmSync(path.join(dir, f));
    const { code, err } = run(dir);
    expect(code).toBe(1);
    expect(err.split('\n').filter(l => l.startsWith('  - '))).toHaveLength(50);
    expect(err).toContain('  - f49.yaml: missing\n  … and 10 more\n');
  });

  test('a missing directory is not complete (exit 1)', () => {
    const dir = path.join(checkout(), 'nope');
    expect(run(dir)).toMatchObject({ code: 1, err: expect.stringContaining(`  - ${dir} is not a directory\n`) });
  });

  test.each([
    [[], 'verify needs the directory to check'],
    [['a', 'b'], 'verify takes one directory, got 2 arguments'],
    [['--force'], 'unknown option --force'],
  ])('usage error %j: exit 2 with the usage', (args, why) => {
    const r = run(...args);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(new RegExp(`^cdk8s-openchoreo: ${why}\\n\\nusage: cdk8s-openchoreo verify <dir>\\n`));
    expect(r.out).toBe('');
  });

  test('--help prints the usage with the exit codes (exit 0)', () => {
    const r = run('--help');
    expect(r.code).toBe(0);
    expect(r.out).toContain('Exit code: 0 complete, 1 not complete, 2 usage error.');
  });
});
