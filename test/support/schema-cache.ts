/**
 * A disk cache of compiled ajv validators, as ajv standalone code, so that each schema is
 * compiled once per machine rather than once per test file (jest gives every test file a module
 * registry of its own, so an in-memory cache only lives as long as one file).
 *
 * An entry is `<key>.js` in the cache folder, where the key is the sha256 of everything the
 * generated code depends on (the caller passes the schema, the ajv options and versions). Its
 * first line holds the sha256 of the rest: an entry that does not match it, or that does not
 * load, is compiled again and replaced. Entries are written to a temporary file and renamed into
 * place, so concurrent jest workers never read a half-written one.
 *
 * The generated code may `require` packages (ajv's runtime helpers, ajv-formats) and the names in
 * `runtime` (objects such as the regular-expression engine that the caller provides).
 *
 * Beside an entry, `<key>.v8` keeps V8's compiled code for it (a code cache, made after the
 * validator's first use so that it holds the validate function itself, not only the module's top
 * level). Parsing and compiling the generated code (up to 14 MB for one CRD) was most of what a test
 * file spent on validation; with the code cache each file deserializes it instead. V8 checks that
 * the data fits the source, its version and flags, and rejects it otherwise: then the code is
 * compiled from source again and the code cache is written anew.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as vm from 'vm';
import type { ValidateFunction } from 'ajv';

/** node_modules/.cache is where tools keep caches; it is never committed and `npm ci` clears it. */
export const DEFAULT_CACHE_DIR = path.join(__dirname, '..', '..', 'node_modules', '.cache', 'cdk8s-openchoreo-schemas');

export interface ValidatorCache {
  /** The folder holding the entries (created on the first write). */
  readonly dir: string;
  /** Module names the generated code may require, with the value `require` returns for each. */
  readonly runtime: Readonly<Record<string, unknown>>;
}

/** How `cachedValidator` obtained its function (for tests and measurements). */
export type CacheOutcome = 'hit' | 'compiled';

const CHECKSUM_PREFIX = '// sha256:';

/** sha256 of `parts`, each length-prefixed so that no two different lists collide by concatenation. */
export function cacheKey(parts: readonly string[]): string {
  const hash = crypto.createHash('sha256');
  for (const part of parts) hash.update(`${Buffer.byteLength(part)}:`).update(part);
  return hash.digest('hex');
}

/**
 * The validator stored under `key`, or, if there is none (or it is damaged), the one `compile`
 * returns the standalone code of, which is stored for the next caller.
 */
export function cachedValidator(cache: ValidatorCache, key: string, compile: () => string,
  onOutcome?: (outcome: CacheOutcome) => void): ValidateFunction {
  const file = path.join(cache.dir, `${key}.js`);
  const stored = readEntry(file);
  if (stored !== undefined) {
    const validate = tryLoad(cache, stored, file);
    if (validate) {
      onOutcome?.('hit');
      return validate;
    }
  }
  const code = compile();
  const validate = load(cache, code, file);
  writeEntry(file, code);
  onOutcome?.('compiled');
  return validate;
}

/** Code caches still to be written, per validator: each is made once, after the validator's first call. */
const pendingCodeCaches = new WeakMap<ValidateFunction, () => void>();

/**
 * To call after `validate` has run once: writes V8's code cache for it if it was compiled from source
 * (so that the validate function's compiled code is in it). Does nothing on later calls.
 */
export function afterFirstUse(validate: ValidateFunction): void {
  const write = pendingCodeCaches.get(validate);
  if (write === undefined) return;
  pendingCodeCaches.delete(validate);
  write();
}

/** The code of an entry whose checksum matches, else undefined. */
function readEntry(file: string): string | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const newline = text.indexOf('\n');
  if (newline < 0 || !text.startsWith(CHECKSUM_PREFIX)) return undefined;
  const code = text.slice(newline + 1);
  return text.slice(CHECKSUM_PREFIX.length, newline) === sha256(code) ? code : undefined;
}

function writeEntry(file: string, code: string): void {
  writeAtomically(file, `${CHECKSUM_PREFIX}${sha256(code)}\n${code}`);
}

/** Writes `file` through a temporary file and a rename, so that concurrent readers never see half of it. */
function writeAtomically(file: string, data: string | Buffer): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.${crypto.randomBytes(6).toString('hex')}.tmp`;
  try {
    fs.writeFileSync(temp, data);
    fs.renameSync(temp, file);
  } catch (e) {
    fs.rmSync(temp, { force: true });
    throw e;
  }
}

function tryLoad(cache: ValidatorCache, code: string, file: string): ValidateFunction | undefined {
  try {
    return load(cache, code, file);
  } catch {
    return undefined;
  }
}

/**
 * Evaluates ajv standalone (CommonJS) code and returns its export, with V8's code cache from
 * `<entry>.v8` when there is one that fits; when there is none, one is written after the first call
 * (`afterFirstUse`).
 */
function load(cache: ValidatorCache, code: string, file: string): ValidateFunction {
  const module = { exports: {} as unknown };
  const requireFor = (name: string): unknown => (Object.prototype.hasOwnProperty.call(cache.runtime, name)
    ? cache.runtime[name]
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    : require(name));
  const codeCacheFile = file.replace(/\.js$/, '.v8');
  const cachedData = readCodeCache(codeCacheFile);
  const script = new vm.Script(`(function (module, exports, require) {${code}\n})`, { filename: file, cachedData });
  (script.runInThisContext() as (m: unknown, e: unknown, r: unknown) => void)(module, module.exports, requireFor);
  if (typeof module.exports !== 'function') throw new Error('schema cache: the standalone code exports no validate function');
  const validate = module.exports as ValidateFunction;
  if (cachedData === undefined || script.cachedDataRejected) {
    pendingCodeCaches.set(validate, () => writeAtomically(codeCacheFile, script.createCachedData()));
  }
  return validate;
}

function readCodeCache(file: string): Buffer | undefined {
  try {
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}

function sha256(text: string): string {
  return crypto.createHash('sha256').update(text).digest('hex');
}
