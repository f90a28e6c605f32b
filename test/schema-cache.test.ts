import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import Ajv, { ValidateFunction } from 'ajv';
import standaloneCode from 'ajv/dist/standalone';
import { tempDir } from './support/fixtures';
import { CacheOutcome, ValidatorCache, afterFirstUse, cacheKey, cachedValidator } from './support/schema-cache';

/** A schema whose pattern goes through a runtime-provided function, like schema-validator's re2. */
const SCHEMA = {
  type: 'object',
  properties: { name: { type: 'string', pattern: '^[a-z]+$' }, port: { type: 'integer', maximum: 65535 } },
  required: ['name'],
  additionalProperties: false,
};

let patternsCompiled = 0;
function lowerOnly(pattern: string) {
  patternsCompiled++;
  const re = new RegExp(pattern);
  return { test: (s: string) => re.test(s), toString: () => `lower:${pattern}` };
}
lowerOnly.code = 'require("test-runtime").lowerOnly';

function compile(): string {
  const ajv = new Ajv({ allErrors: true, code: { source: true, regExp: lowerOnly } });
  return standaloneCode(ajv, ajv.compile(SCHEMA));
}

const dirs: string[] = [];
afterAll(() => dirs.forEach(d => fs.rmSync(d, { recursive: true, force: true })));

function setup() {
  const dir = tempDir('schema-cache-');
  dirs.push(dir);
  const cache: ValidatorCache = { dir, runtime: { 'test-runtime': { lowerOnly } } };
  const key = cacheKey(['test', JSON.stringify(SCHEMA)]);
  const outcomes: CacheOutcome[] = [];
  let compiles = 0;
  const get = (): ValidateFunction => cachedValidator(cache, key, () => {
    compiles++;
    return compile();
  }, o => outcomes.push(o));
  return { dir, key, file: path.join(dir, `${key}.js`), get, outcomes, compiles: () => compiles };
}

function errorsOf(validate: ValidateFunction, value: unknown): string[] {
  return validate(value) ? [] : (validate.errors ?? []).map(e => `${e.instancePath} ${e.keyword} ${e.message}`);
}

const INVALID = { name: 'Web', port: 70000, extra: true };

describe('schema cache', () => {
  test('compiles once, then loads from disk a validator that gives the same answers', () => {
    const { get, outcomes, compiles, file } = setup();
    const first = get();
    expect(outcomes).toEqual(['compiled']);
    expect(fs.existsSync(file)).toBe(true);
    const second = get();
    expect(outcomes).toEqual(['compiled', 'hit']);
    expect(compiles()).toBe(1);
    expect(errorsOf(second, { name: 'web', port: 80 })).toEqual([]);
    expect(errorsOf(second, INVALID)).toEqual(errorsOf(first, INVALID));
    expect(errorsOf(second, INVALID)).toEqual([
      ' additionalProperties must NOT have additional properties',
      '/name pattern must match pattern "^[a-z]+$"',
      '/port maximum must be <= 65535',
    ]);
  });

  test('the cached code calls the runtime the caller provides (not a pattern engine of its own)', () => {
    const { get } = setup();
    get();
    const before = patternsCompiled;
    const loaded = get();
    expect(patternsCompiled).toBe(before + 1);
    expect(loaded({ name: 'web' })).toBe(true);
  });

  test('a tampered entry is not trusted: it is compiled again, replaced, and rejects invalid input', () => {
    const { get, outcomes, file } = setup();
    get();
    const text = fs.readFileSync(file, 'utf8');
    const header = text.slice(0, text.indexOf('\n') + 1);
    // Same checksum line, different code: a validator that accepts everything.
    fs.writeFileSync(file, `${header}module.exports = () => true;`);
    const validate = get();
    expect(outcomes).toEqual(['compiled', 'compiled']);
    expect(validate(INVALID)).toBe(false);
    expect(fs.readFileSync(file, 'utf8')).toBe(text);
  });

  test('an entry that does not load (valid checksum, broken code) is compiled again', () => {
    const { get, outcomes, file } = setup();
    get();
    const code = 'throw new Error("broken")';
    fs.writeFileSync(file, `// sha256:${crypto.createHash('sha256').update(code).digest('hex')}\n${code}`);
    expect(get()(INVALID)).toBe(false);
    expect(outcomes).toEqual(['compiled', 'compiled']);
  });

  test('writes leave no temporary files behind', () => {
    const { get, dir, key } = setup();
    get();
    expect(fs.readdirSync(dir)).toEqual([`${key}.js`]);
  });

  test('keys: length-prefixed, so different part lists never collide', () => {
    expect(cacheKey(['ab', 'c'])).not.toBe(cacheKey(['a', 'bc']));
    expect(cacheKey(['ab', 'c'])).toBe(cacheKey(['ab', 'c']));
    expect(cacheKey(['x'])).toMatch(/^[0-9a-f]{64}$/);
  });

  test('keeps V8\'s code cache beside an entry after its first use, and loads through it or past a damaged one', () => {
    const { get, file } = setup();
    const codeCache = file.replace(/\.js$/, '.v8');
    const first = get();
    expect(fs.existsSync(codeCache)).toBe(false); // made only after a call, so that it holds the validate function
    expect(errorsOf(first, INVALID)).toHaveLength(3);
    afterFirstUse(first);
    const written = fs.readFileSync(codeCache);
    expect(written.length).toBeGreaterThan(0);
    afterFirstUse(first); // once per validator
    expect(fs.readFileSync(codeCache).equals(written)).toBe(true);

    // loaded through the code cache: the same answers, and nothing to write again
    const second = get();
    expect(errorsOf(second, INVALID)).toEqual(errorsOf(first, INVALID));
    expect(second({ name: 'web', port: 80 })).toBe(true);
    fs.rmSync(codeCache);
    afterFirstUse(second);
    expect(fs.existsSync(codeCache)).toBe(false);

    // damaged, in a folder this process has not compiled from (V8 reuses what it compiled for the same file
    // name and source within a process, without asking the code cache): V8 rejects it, the code is compiled from
    // source, gives the same answers, and a good code cache replaces the damaged one
    const other = setup();
    fs.copyFileSync(file, other.file);
    const damaged = other.file.replace(/\.js$/, '.v8');
    fs.writeFileSync(damaged, Buffer.from('not a code cache'));
    const third = other.get();
    expect(other.outcomes).toEqual(['hit']);
    expect(errorsOf(third, INVALID)).toEqual(errorsOf(first, INVALID));
    afterFirstUse(third);
    expect(fs.readFileSync(damaged).toString()).not.toBe('not a code cache');
  });
});
