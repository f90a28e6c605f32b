import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { verifyOwnedTree } from '../src/output/verify';
import { PENDING_FILE, RECORD_FILE, writeOwnedTree } from '../src/output/writer';

// An edited, merge-conflicted or hostile record or intent log must never make the writer delete or overwrite a
// file it did not write: each is refused as a whole (nothing changes) with the file, what is wrong and the fix.

const tempDirs: string[] = [];
afterAll(() => {
  for (const d of tempDirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const sha = (s: string) => crypto.createHash('sha256').update(s).digest('hex');
const USER = { 'README.md': '# ours\n', '.git/HEAD': 'ref: refs/heads/main\n', 'notes/plan.md': 'plan\n' };
const OURS = { 'acme/a.yaml': 'a\n', 'acme/b.yaml': 'b\n' };

/** A checkout holding user files and a finished run's output. */
function written(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'openchoreo-tamper-'));
  tempDirs.push(dir);
  for (const [rel, content] of Object.entries(USER)) put(dir, rel, content);
  writeOwnedTree(dir, OURS);
  return dir;
}

function put(dir: string, rel: string, content: string): void {
  fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  fs.writeFileSync(path.join(dir, rel), content);
}

/** Every file and its content (bookkeeping included). */
function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(fs.readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter(f => fs.statSync(path.join(dir, f)).isFile()).sort()
    .map(f => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));
}

const recordOf = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, RECORD_FILE), 'utf8'));
const pendingLog = (remove: unknown[], write: unknown[] = []) => JSON.stringify({ format: 2, owner: 'cdk8s-openchoreo', write, remove });

/** Runs a synth that no longer generates b.yaml (so it would delete what the record lists) and expects a refusal. */
function expectRefused(dir: string, ...parts: Array<string | RegExp>): void {
  const before = snapshot(dir);
  let message = '';
  try {
    writeOwnedTree(dir, { 'acme/a.yaml': 'a2\n' });
  } catch (e: any) {
    message = e.message;
  }
  for (const p of parts) expect(message).toMatch(p);
  expect(message).toMatch(/Fix: /);
  expect(snapshot(dir)).toEqual(before); // nothing deleted, overwritten or added
  // verify refuses to call such a tree complete
  expect(verifyOwnedTree(dir).complete).toBe(false);
}

describe('tampered ownership record', () => {
  test('listing .git/HEAD with its true hash: refused (a .git folder belongs to git), .git/HEAD kept', () => {
    const dir = written();
    const r = recordOf(dir);
    r.files.push({ path: '.git/HEAD', sha256: sha(USER['.git/HEAD']) });
    put(dir, RECORD_FILE, JSON.stringify(r));
    expectRefused(dir, 'Invalid recorded (.cdk8s-openchoreo/files.json) path ".git/HEAD": it is inside a .git folder, which belongs to git');
  });

  test('listing a user file under another hash (hand-edited record): refused naming the file and both hashes, the file kept', () => {
    const dir = written();
    const r = recordOf(dir);
    r.files.push({ path: 'README.md', sha256: sha('anything else\n') });
    put(dir, RECORD_FILE, JSON.stringify(r));
    expectRefused(dir,
      `README.md: was changed after cdk8s-openchoreo wrote it (its sha256 is now ${sha(USER['README.md']).slice(0, 12)}…, the record has ${sha('anything else\n').slice(0, 12)}…); it is no longer generated but is not deleted`,
      /nothing was written/);
  });

  test('an owned file replaced by a user file (same path, other content) is not overwritten', () => {
    const dir = written();
    put(dir, 'acme/a.yaml', 'my own a\n');
    expectRefused(dir, 'acme/a.yaml: was changed after cdk8s-openchoreo wrote it');
  });

  test('merge-conflicted: refused naming the conflict and how to resolve it', () => {
    const dir = written();
    const text = fs.readFileSync(path.join(dir, RECORD_FILE), 'utf8');
    put(dir, RECORD_FILE, `<<<<<<< HEAD\n${text}=======\n${text.replace('acme/b.yaml', 'README.md')}>>>>>>> feature\n`);
    expectRefused(dir, `${path.join(dir, RECORD_FILE)} holds unresolved merge-conflict markers`, /Nothing was changed/, /git checkout --theirs -- \.cdk8s-openchoreo\/files\.json/);
  });

  test.each([
    ['a path listed twice', (r: any) => r.files.push({ ...r.files[0] }), 'it lists acme/a.yaml twice'],
    ['a hash that is not sha256 hex', (r: any) => { r.files[1].sha256 = 'abc'; }, 'the sha256 of acme/b.yaml is not 64 lower-case hex digits'],
    ['an entry without a hash', (r: any) => { delete r.files[1].sha256; }, 'entry 1 is not { "path": string, "sha256": string }'],
    ['no owner', (r: any) => { delete r.owner; }, 'names no owner'],
    ['no files list', (r: any) => { delete r.files; }, 'it needs "format", "owner" and a "files" list'],
    ['an absolute path', (r: any) => r.files.push({ path: '/etc/passwd', sha256: sha('x') }), '"/etc/passwd": it is absolute'],
    ['a path escaping the output directory', (r: any) => r.files.push({ path: 'acme/../../x', sha256: sha('x') }), '"acme/../../x": it contains a ".." segment'],
    ['a path into the bookkeeping folder', (r: any) => r.files.push({ path: PENDING_FILE, sha256: sha('x') }), 'reserved for the ownership record'],
  ])('%s: refused as a whole', (_, edit, why) => {
    const dir = written();
    const r = recordOf(dir);
    edit(r);
    put(dir, RECORD_FILE, JSON.stringify(r));
    expectRefused(dir, why);
  });
});

describe('tampered intent log', () => {
  test('a deletion of a user file under another hash: refused, the file kept', () => {
    const dir = written();
    put(dir, PENDING_FILE, pendingLog([{ path: 'notes/plan.md', sha256: sha('other\n') }]));
    expectRefused(dir, 'notes/plan.md: was changed after cdk8s-openchoreo wrote it', /it is no longer generated but is not deleted/);
  });

  test('a deletion of .git/HEAD: refused, .git/HEAD kept', () => {
    const dir = written();
    put(dir, PENDING_FILE, pendingLog([{ path: '.git/HEAD', sha256: sha(USER['.git/HEAD']) }]));
    expectRefused(dir, `Invalid pending (${PENDING_FILE}) path ".git/HEAD"`, /Fix: paths must be relative/);
  });

  test('a "write" claiming a user file the run now wants to write: not owned (its hash does not match), refused', () => {
    const dir = written();
    put(dir, PENDING_FILE, pendingLog([], [{ path: 'README.md', sha256: sha('generated readme\n') }]));
    const before = snapshot(dir);
    expect(() => writeOwnedTree(dir, { ...OURS, 'README.md': 'generated readme\n' }))
      .toThrow('README.md: exists, is not owned by cdk8s-openchoreo and differs from what it would write');
    expect(snapshot(dir)).toEqual(before);
  });

  test('a log in the old format (deletions without hashes) is refused, not trusted', () => {
    const dir = written();
    put(dir, PENDING_FILE, JSON.stringify({ format: 1, owner: 'cdk8s-openchoreo', write: [], remove: ['README.md'] }));
    expectRefused(dir, 'has format 1; this version of cdk8s-openchoreo understands format 2. Nothing was changed. '
      + 'Fix: finish that run with the older version of cdk8s-openchoreo that wrote it, or delete the file and synth again.');
  });

  test.each([
    ['not JSON', '{ "format": 2, ', /pending\.json is not valid JSON/],
    ['merge-conflicted', `<<<<<<< HEAD\n${pendingLog([])}\n=======\n${pendingLog([])}\n>>>>>>> x\n`, /pending\.json holds unresolved merge-conflict markers/],
    ['without lists', JSON.stringify({ format: 2, owner: 'cdk8s-openchoreo' }), /it needs "format", "owner", and "write" and "remove" lists/],
    ['deleting a path twice', pendingLog([{ path: 'acme/b.yaml', sha256: sha('b\n') }, { path: 'acme/b.yaml', sha256: sha('b\n') }]), /it lists acme\/b\.yaml twice/],
  ])('%s: refused as a whole', (_, text, why) => {
    const dir = written();
    put(dir, PENDING_FILE, text);
    expectRefused(dir, why, /Nothing was changed/);
  });
});
