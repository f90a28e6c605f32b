import { createHash, Hash } from 'crypto';
import * as fs from 'fs';
import { Construct, IConstruct } from 'constructs';
import { sha256 } from './owned-tree/record';

/*
 * The input fingerprint behind the re-synth cache (synth-cache.ts): a sha256 over everything a
 * synthesis can depend on, so that an equal fingerprint means equal output.
 *
 * - code: path and content of every CommonJS module loaded (the app, this library, every
 *   dependency). An app whose entry is an ES module has no fingerprint (its modules cannot be listed).
 * - process: Node.js version, platform, working directory, command line, environment variables.
 * - declarations: the state of every construct under the root, in tree order: its path and class, then
 *   every own enumerable property (except `node`) followed through plain objects, arrays, maps, sets
 *   and class instances; another construct is named by its path; a function by its source text.
 *   Files the app read while declaring (a release ledger, Score files, its own data) are in that
 *   state as parsed values.
 *
 * Not seen, and documented on `PlatformAppProps.cache`: state held outside the constructs and read
 * during synthesis (closure variables, `#private` fields, module globals filled from files or the
 * network at synth time).
 */

/** Variables that change between two identical runs of the same command and can feed no output. */
const VOLATILE_ENV = new Set(['_', 'OLDPWD']);

/** What a fingerprint covers, for the message of a miss and for tests. @internal */
export interface FingerprintInputs {
  /** Loaded module files: path → content (read when hashed). */
  readonly modules: readonly string[];
  readonly env: { readonly [name: string]: string | undefined };
  readonly argv: readonly string[];
  readonly cwd: string;
}

let inputsOverride: (() => FingerprintInputs | undefined) | undefined;

/** Replaces what `processInputs` returns (tests); no argument restores it. @internal */
export function _setProcessInputs(inputs?: () => FingerprintInputs | undefined): void {
  inputsOverride = inputs;
}

/**
 * The inputs of this process: undefined when they cannot be listed (no CommonJS entry module, e.g.
 * an ES-module app). @internal
 */
export function processInputs(): FingerprintInputs | undefined {
  if (inputsOverride) return inputsOverride();
  // `require.main` is fixed when this module is loaded: undefined if a `--require` preload loaded it before the entry.
  // eslint-disable-next-line @typescript-eslint/no-deprecated
  const main = require.main ?? process.mainModule;
  const cache = require.cache;
  if (!main || !cache || !cache[main.filename]) return undefined;
  return { modules: Object.keys(cache).sort(), env: process.env, argv: process.argv, cwd: process.cwd() };
}

/** The sha256 (hex) of the inputs and of the state of every construct under `root`. @internal */
export function inputFingerprint(root: IConstruct, inputs: FingerprintInputs): string {
  const out = new HashWriter();
  out.text(`cdk8s-openchoreo input fingerprint 1\n${process.version} ${process.platform} ${process.arch}\n`);
  for (const file of inputs.modules) {
    let content: Buffer | undefined;
    try {
      content = fs.readFileSync(file);
    } catch {
      content = undefined; // a built-in or virtual module: its name is still hashed
    }
    out.text(`module ${file} ${content ? sha256(content) : '-'}\n`);
  }
  out.text(`cwd ${inputs.cwd}\nargv ${JSON.stringify(inputs.argv)}\n`);
  for (const name of Object.keys(inputs.env).sort()) {
    if (!VOLATILE_ENV.has(name)) out.text(`env ${JSON.stringify(name)}=${JSON.stringify(inputs.env[name] ?? null)}\n`);
  }
  const state = new StateWriter(out);
  for (const construct of root.node.findAll()) state.construct(construct);
  return out.digest();
}

/** Buffers small strings before hashing them (one `update` per value would dominate the cost). */
class HashWriter {
  private readonly hash: Hash = createHash('sha256');
  private pending = '';

  public text(s: string): void {
    this.pending += s;
    if (this.pending.length > 65_536) this.flush();
  }

  public digest(): string {
    this.flush();
    return this.hash.digest('hex');
  }

  private flush(): void {
    this.hash.update(this.pending);
    this.pending = '';
  }
}

/** Writes values as a self-delimiting text: a tag, then a length or the value, so no two states write the same text. */
class StateWriter {
  /** Objects already written, by first-visit order: a shared or cyclic object is written once, then referred to. */
  private readonly seen = new Map<object, number>();
  /** Sources of functions, memoized (several constructs often hold the same function). */
  private readonly sources = new WeakMap<Function, string>();

  constructor(private readonly out: HashWriter) {}

  public construct(c: IConstruct): void {
    this.seen.set(c, this.seen.size);
    const at = c.node.path; // a getter that joins the scopes' ids: read once
    this.out.text(`\nK${at.length}:${at}${className(c)}{`);
    this.fields(c, 'node');
    this.out.text('}');
  }

  private value(v: unknown): void {
    switch (typeof v) {
      case 'string': return this.out.text(`s${v.length}:${v}`);
      case 'number': return this.out.text(`d${Object.is(v, -0) ? '-0' : String(v)};`);
      case 'boolean': return this.out.text(v ? 't' : 'f');
      case 'undefined': return this.out.text('u');
      case 'bigint': return this.out.text(`b${String(v)};`);
      case 'symbol': return this.out.text(`y${String(v).length}:${String(v)}`);
      case 'function': return this.fn(v as Function);
      default: return v === null ? this.out.text('n') : this.object(v as object);
    }
  }

  private fn(f: Function): void {
    let source = this.sources.get(f);
    if (source === undefined) {
      source = Function.prototype.toString.call(f);
      this.sources.set(f, source);
    }
    this.out.text(`F${source.length}:${source}`);
    // A function's own properties (e.g. static fields of a class) are state too.
    if (!this.seen.has(f)) {
      this.seen.set(f, this.seen.size);
      this.out.text('{');
      this.fields(f);
      this.out.text('}');
    }
  }

  private object(o: object): void {
    const id = this.seen.get(o);
    if (id !== undefined) return this.out.text(`r${id};`);
    if (Object.getPrototypeOf(o) === Object.prototype) {
      // Most of the state: plain objects (props and their parts).
      this.seen.set(o, this.seen.size);
      this.out.text('O{');
      this.fields(o);
      return this.out.text('}');
    }
    if (Construct.isConstruct(o)) {
      const at = o.node.path;
      return this.out.text(`C${at.length}:${at}`);
    }
    if (o === globalThis || o === process) return this.out.text('G');
    this.seen.set(o, this.seen.size);
    if (Array.isArray(o)) {
      this.out.text(`A${o.length}[`);
      for (let i = 0; i < o.length; i++) this.value(o[i]);
      // Extra own properties of an array (rare) are state too.
      if (Object.keys(o).length !== o.length) this.fields(o, undefined, true);
      return this.out.text(']');
    }
    if (o instanceof Map) {
      this.out.text(`M${o.size}[`);
      for (const [k, v] of o) {
        this.value(k);
        this.value(v);
      }
      return this.out.text(']');
    }
    if (o instanceof Set) {
      this.out.text(`S${o.size}[`);
      for (const v of o) this.value(v);
      return this.out.text(']');
    }
    if (o instanceof Date) return this.out.text(`D${o.getTime()};`);
    if (o instanceof RegExp) return this.out.text(`R${String(o).length}:${String(o)}`);
    if (ArrayBuffer.isView(o)) {
      const bytes = Buffer.from(o.buffer, o.byteOffset, o.byteLength);
      return this.out.text(`B${sha256(bytes)}`);
    }
    if (o instanceof ArrayBuffer) return this.out.text(`B${sha256(Buffer.from(o))}`);
    this.out.text(`O${className(o)}{`);
    this.fields(o);
    this.out.text('}');
  }

  /** Own enumerable properties (string keys in order, then symbol keys), each as key then value. */
  private fields(o: object, skip?: string, nonIndexOnly = false): void {
    for (const key of Object.keys(o)) {
      if (key === skip || (nonIndexOnly && /^\d+$/.test(key))) continue;
      this.out.text(`k${key.length}:${key}`);
      this.read(o, key);
    }
    for (const sym of Object.getOwnPropertySymbols(o)) {
      if (!Object.prototype.propertyIsEnumerable.call(o, sym)) continue;
      this.out.text(`k${String(sym)}`);
      this.read(o, sym);
    }
  }

  private read(o: object, key: PropertyKey): void {
    let v: unknown;
    try {
      v = (o as any)[key];
    } catch (e) {
      // An own getter that throws: the message is the best available record of what it would give.
      return this.out.text(`E${String((e as Error)?.message ?? e).length}:${String((e as Error)?.message ?? e)}`);
    }
    this.value(v);
  }
}

function className(o: object): string {
  const proto = Object.getPrototypeOf(o);
  if (proto === null) return 'null';
  const name = proto.constructor?.name;
  return typeof name === 'string' ? `${name.length}:${name}` : '?';
}
