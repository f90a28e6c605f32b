import * as fs from 'fs';
import * as path from 'path';
import { Construct } from 'constructs';
import { ITrait, PlatformApp, TraitContext, TraitNeeds, TraitRendering } from '../src';
import { baseline, listFiles, service, tempDir } from './support/fixtures';
import { _setProcessInputs, FingerprintInputs, inputFingerprint } from '../src/output/fingerprint';
import { cacheEntryPath } from '../src/output/synth-cache';
import { RECORD_FILE } from '../src/output/writer';
import { _setPolicyWarningWriter } from '../src/policy/warnings';

/** Counts how often it is rendered, in a module variable the fingerprint cannot see (as a synthesis would). */
let renders = 0;
class CountingTrait implements ITrait {
  public readonly name = 'counting';
  public needs(_context: TraitContext): TraitNeeds {
    return {};
  }
  public render(): TraitRendering {
    renders++;
    return {};
  }
}

const moduleFile = path.join(tempDir('cdk8s-openchoreo-cache-src-'), 'app.js');
let inputs: FingerprintInputs;
let outdir: string;
let warnings: string[];

beforeEach(() => {
  fs.writeFileSync(moduleFile, 'module.exports = 1;\n');
  inputs = { modules: [moduleFile], env: { HOME: '/home/ci' }, argv: ['node', 'main.js'], cwd: '/repo' };
  _setProcessInputs(() => inputs);
  outdir = tempDir('cdk8s-openchoreo-cache-');
  warnings = [];
  _setPolicyWarningWriter(text => warnings.push(text));
  renders = 0;
  delete process.env.CDK8S_OPENCHOREO_CACHE;
});

afterEach(() => {
  _setProcessInputs();
  _setPolicyWarningWriter();
  fs.rmSync(cacheEntryPath(outdir), { force: true });
  fs.rmSync(outdir, { recursive: true, force: true });
});

/** One synthesis in a fresh app, as a fresh `cdk8s synth` process would run it. */
function synth(image = 'ghcr.io/acme/api:1.0.0', cache?: boolean): { app: PlatformApp; mtimes: Map<string, number> } {
  const app = new PlatformApp({ outdir, cache });
  const { project } = baseline(app);
  service(project, 'api', { image }).addTrait(new CountingTrait());
  app.synth();
  const mtimes = new Map(listFiles(outdir).map(f => [f, fs.statSync(path.join(outdir, f)).mtimeMs]));
  return { app, mtimes };
}

describe('re-synth cache', () => {
  test('an unchanged platform is not resolved, rendered or written again, and its warnings are printed again', () => {
    const first = synth();
    expect(renders).toBe(3); // one per environment
    expect(fs.existsSync(cacheEntryPath(outdir))).toBe(true);
    const second = synth();
    expect(renders).toBe(3);
    expect(second.mtimes).toEqual(first.mtimes);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/policy warning/);
    expect(warnings[1]).toBe(warnings[0]);
  });

  test('a changed declaration synthesizes again and rewrites only what changed', () => {
    const first = synth();
    const second = synth('ghcr.io/acme/api:1.0.1');
    expect(renders).toBe(6);
    const changed = [...second.mtimes].filter(([f, t]) => first.mtimes.get(f) !== t).map(([f]) => f);
    expect(changed).toContain('acme/eu/development/shop/api.yaml');
    expect(changed.every(f => f.endsWith('api.yaml') || f.startsWith('.cdk8s-openchoreo/') || f.endsWith('.md') || f.endsWith('.json'))).toBe(true);
    expect(fs.readFileSync(path.join(outdir, 'acme/eu/development/shop/api.yaml'), 'utf8')).toContain('ghcr.io/acme/api:1.0.1');
  });

  test('a changed module, environment variable, command line or working directory synthesizes again', () => {
    synth();
    fs.writeFileSync(moduleFile, 'module.exports = 2;\n');
    synth();
    expect(renders).toBe(6);
    inputs = { ...inputs, env: { ...inputs.env, REGION: 'eu' } };
    synth();
    expect(renders).toBe(9);
    inputs = { ...inputs, argv: [...inputs.argv, '--prod'] };
    synth();
    expect(renders).toBe(12);
    inputs = { ...inputs, cwd: '/other' };
    synth();
    expect(renders).toBe(15);
    synth();
    expect(renders).toBe(15);
  });

  test('a generated file edited by hand is not trusted: the writer refuses as without the cache', () => {
    synth();
    const file = path.join(outdir, 'acme/eu/development/shop/api.yaml');
    fs.appendFileSync(file, '# edited\n');
    expect(() => synth()).toThrow(/acme\/eu\/development\/shop\/api\.yaml: was changed after cdk8s-openchoreo wrote it/);
    expect(renders).toBe(6);
  });

  test('a deleted generated file is written again', () => {
    synth();
    const file = path.join(outdir, 'acme/eu/development/shop/api.yaml');
    fs.rmSync(file);
    synth();
    expect(renders).toBe(6);
    expect(fs.existsSync(file)).toBe(true);
  });

  test('a tree another run wrote since (a different ownership record) synthesizes again', () => {
    synth();
    const record = path.join(outdir, RECORD_FILE);
    const data = JSON.parse(fs.readFileSync(record, 'utf8'));
    fs.writeFileSync(record, `${JSON.stringify(data, undefined, 1)}\n`); // same content, other text
    synth();
    expect(renders).toBe(6);
  });

  test('an unreadable or foreign cache entry is a miss, not an error', () => {
    synth();
    fs.writeFileSync(cacheEntryPath(outdir), '{ not json');
    synth();
    expect(renders).toBe(6);
    const entry = JSON.parse(fs.readFileSync(cacheEntryPath(outdir), 'utf8'));
    fs.writeFileSync(cacheEntryPath(outdir), JSON.stringify({ ...entry, outdir: '/elsewhere' }));
    synth();
    expect(renders).toBe(9);
  });

  test('cache: false, CDK8S_OPENCHOREO_CACHE=off, or inputs that cannot be listed always synthesize', () => {
    synth(undefined, false);
    synth(undefined, false);
    expect(renders).toBe(6);
    expect(fs.existsSync(cacheEntryPath(outdir))).toBe(false);
    synth();
    process.env.CDK8S_OPENCHOREO_CACHE = 'off';
    synth();
    expect(renders).toBe(12);
    delete process.env.CDK8S_OPENCHOREO_CACHE;
    _setProcessInputs(() => undefined);
    synth();
    expect(renders).toBe(15);
  });
});

describe('input fingerprint', () => {
  const base: FingerprintInputs = { modules: [], env: {}, argv: [], cwd: '/' };
  class Holder extends Construct {
    constructor(scope: Construct, id: string, public readonly value: unknown) {
      super(scope, id);
    }
  }
  const fingerprintOf = (...values: unknown[]) => {
    const root = new Construct(undefined as any, '');
    values.forEach((v, i) => new Holder(root, `h${i}`, v));
    return inputFingerprint(root, base);
  };

  test('equal declarations give equal fingerprints; any difference in state gives another', () => {
    expect(fingerprintOf({ a: 1, b: ['x'] })).toBe(fingerprintOf({ a: 1, b: ['x'] }));
    const variants = [
      { a: 1 }, { a: '1' }, { a: 1, b: undefined }, { b: 1 }, ['ab', 'c'], ['a', 'bc'], new Map([['a', 1]]), new Set(['a']),
      { a: -0 }, { a: 0 }, { a: null }, { a: true }, { a: () => 1 }, { a: () => 2 }, { a: /x/g }, { a: new Date(0) }, { a: Buffer.from('x') },
    ];
    const prints = variants.map(v => fingerprintOf(v));
    expect(new Set(prints).size).toBe(variants.length);
  });

  test('shared and cyclic objects are written once and referred to; constructs are named by path', () => {
    const cyclic: any = { name: 'loop' };
    cyclic.self = cyclic;
    expect(fingerprintOf(cyclic)).toBe(fingerprintOf((() => { const c: any = { name: 'loop' }; c.self = c; return c; })()));
    const shared = { x: 1 };
    expect(fingerprintOf([shared, shared])).not.toBe(fingerprintOf([{ x: 1 }, { x: 1 }]));
    const root = new Construct(undefined as any, '');
    const a = new Holder(root, 'a', 1);
    new Holder(root, 'b', a);
    expect(inputFingerprint(root, base)).toMatch(/^[0-9a-f]{64}$/);
  });

  test('the inputs of the process are part of it', () => {
    const root = new Construct(undefined as any, '');
    const print = (i: Partial<FingerprintInputs>) => inputFingerprint(root, { ...base, ...i });
    const prints = [print({}), print({ env: { A: '1' } }), print({ env: { A: '2' } }), print({ argv: ['x'] }), print({ cwd: '/x' }), print({ modules: [moduleFile] })];
    expect(new Set(prints).size).toBe(prints.length);
    expect(print({ env: { A: '1', OLDPWD: '/a' } })).toBe(print({ env: { A: '1', OLDPWD: '/b' } }));
  });

  test('every byte of a module counts, in a module larger than the read buffer too; a module that cannot be read counts by its name', () => {
    const root = new Construct(undefined as any, '');
    const big = path.join(path.dirname(moduleFile), 'big.js');
    const print = (content: Buffer) => {
      fs.writeFileSync(big, content);
      return inputFingerprint(root, { ...base, modules: [big, moduleFile] });
    };
    const content = Buffer.alloc(3 * 1024 * 1024 + 7, 'a');
    const first = print(content);
    expect(print(content)).toBe(first);
    content[content.length - 1] = 'b'.charCodeAt(0);
    expect(print(content)).not.toBe(first);
    expect(print(content.subarray(1))).not.toBe(first);
    const missing = (file: string) => inputFingerprint(root, { ...base, modules: [file] });
    expect(missing('/nonexistent/a.js')).not.toBe(missing('/nonexistent/b.js'));
    expect(missing(path.dirname(moduleFile))).toMatch(/^[0-9a-f]{64}$/);
  });

  test('a function is written once, then referred to', () => {
    const f = () => 1;
    expect(fingerprintOf([f, f])).toBe(fingerprintOf([f, f]));
    expect(fingerprintOf([f, f])).not.toBe(fingerprintOf([f, () => 1]));
  });
});

test('a cache prop that is not a boolean is refused with the construct, the value and the fix', () => {
  expect(() => new PlatformApp({ outdir: tempDir(), cache: 'yes' as unknown as boolean })).toThrow("[PlatformApp] cache 'yes' is not a boolean. Fix: set cache to true or false (without quotes)");
});
