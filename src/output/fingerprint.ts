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

/** An array index among an array's own keys. */
const INDEX = /^\d+$/;

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
  out.text(`cdk8s-openchoreo input fingerprint 2\n${process.version} ${process.platform} ${process.arch}\n`);
  const reader = new FileReader();
  for (const file of inputs.modules) {
    const content = reader.read(file); // undefined: a built-in or virtual module, whose name is still hashed
    // The content goes into the one hash as it is, after its length (no sha256 per file).
    out.text(`module ${file} ${content ? content.length : '-'}\n`);
    if (content) out.bytes(content);
  }
  out.text(`cwd ${inputs.cwd}\nargv ${JSON.stringify(inputs.argv)}\n`);
  for (const name of Object.keys(inputs.env).sort()) {
    if (!VOLATILE_ENV.has(name)) out.text(`env ${JSON.stringify(name)}=${JSON.stringify(inputs.env[name] ?? null)}\n`);
  }
  const state = new StateWriter(out, root);
  state.constructs();
  return out.digest();
}

/**
 * Reads whole files into one reused buffer (a view of it is valid until the next read): the few hundred
 * modules of an app cost a third of `readFileSync`'s time without a Buffer (and a stat) per file.
 */
class FileReader {
  private buffer = Buffer.allocUnsafe(1_048_576);

  public read(file: string): Buffer | undefined {
    let fd: number;
    try {
      fd = fs.openSync(file, 'r');
    } catch {
      return undefined;
    }
    try {
      let length = 0;
      for (;;) {
        if (length === this.buffer.length) {
          const bigger = Buffer.allocUnsafe(this.buffer.length * 2);
          this.buffer.copy(bigger);
          this.buffer = bigger;
        }
        const n = fs.readSync(fd, this.buffer, length, this.buffer.length - length, null);
        if (n === 0) return this.buffer.subarray(0, length);
        length += n;
      }
    } catch {
      return undefined; // e.g. a directory
    } finally {
      fs.closeSync(fd);
    }
  }
}

/** Buffers small strings before hashing them (one `update` per value would dominate the cost). */
class HashWriter {
  private readonly hash: Hash = createHash('sha256');
  private pending = '';

  public text(s: string): void {
    this.pending += s;
    if (this.pending.length > 65_536) this.flush();
  }

  public bytes(b: Buffer): void {
    this.flush();
    this.hash.update(b);
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

/**
 * Writes values as a self-delimiting text: a tag, then a length or the value, so no two states write the same text.
 * For speed it appends to a string of its own, passed to the hash between constructs, and memoizes the text
 * of what repeats across constructs (property keys, class names, construct paths).
 */
class StateWriter {
  /** Objects already written, by first-visit order: a shared or cyclic object is written once, then referred to. */
  private readonly seen = new Map<object, number>();
  /** The constructs under the root in tree order (pre-order, as `findAll`). */
  private readonly tree: IConstruct[] = [];
  /** Paths of the constructs (`node.path` joins the scopes' ids at every read): the tree's, then any other referred to. */
  private readonly paths = new Map<IConstruct, string>();
  /** Text not passed to the hash yet (appended to in place: the hot path is one string field). */
  private text = '';
  /** `k<length>:<key>` of each property key written. */
  private readonly keys = new Map<string, string>();
  /** `<length>:<name>` of each prototype's class name. */
  private readonly classNames = new Map<object, string>();

  constructor(private readonly out: HashWriter, root: IConstruct) {
    this.collect(root, root.node.path);
  }

  /** Writes every construct under the root, in tree order. */
  public constructs(): void {
    for (const c of this.tree) {
      const at = this.paths.get(c)!;
      this.seen.set(c, this.seen.size);
      this.text += `\nK${at.length}:${at}${this.className(c)}{`;
      this.fields(c, 'node');
      this.text += '}';
      if (this.text.length > 65_536) this.spill();
    }
    this.spill();
  }

  private spill(): void {
    this.out.text(this.text);
    this.text = '';
  }

  /** Lists the tree before writing it (as `findAll` does): a getter that adds a construct cannot change what is walked. */
  private collect(c: IConstruct, at: string): void {
    this.tree.push(c);
    this.paths.set(c, at);
    for (const child of c.node.children) {
      // `node.path` joins the non-empty ids of the scopes; only a root may have an empty id.
      const id = child.node.id;
      this.collect(child, at === '' ? id : id === '' ? at : `${at}/${id}`);
    }
  }

  /** Objects and strings first: most of the values (tests of `typeof` against a literal are cheap even before the walk is optimized). */
  private value(v: unknown): void {
    if (typeof v === 'object') {
      if (v === null) this.text += 'n';
      else this.object(v);
    } else if (typeof v === 'string') {
      this.text += `s${v.length}:${v}`;
    } else if (typeof v === 'number') {
      this.text += `d${Object.is(v, -0) ? '-0' : String(v)};`;
    } else if (typeof v === 'boolean') {
      this.text += v ? 't' : 'f';
    } else if (typeof v === 'undefined') {
      this.text += 'u';
    } else if (typeof v === 'function') {
      this.fn(v);
    } else if (typeof v === 'bigint') {
      this.text += `b${String(v)};`;
    } else {
      this.text += `y${String(v).length}:${String(v)}`; // a symbol
    }
  }

  private fn(f: Function): void {
    const id = this.seen.get(f);
    // The same function again: its source and properties are those written the first time.
    if (id !== undefined) {
      this.text += `r${id};`;
      return;
    }
    this.seen.set(f, this.seen.size);
    const source = Function.prototype.toString.call(f);
    this.text += `F${source.length}:${source}{`;
    // A function's own properties (e.g. static fields of a class) are state too.
    this.fields(f);
    this.text += '}';
  }

  private object(o: object): void {
    const id = this.seen.get(o);
    if (id !== undefined) {
      this.text += `r${id};`;
      return;
    }
    if (Object.getPrototypeOf(o) === Object.prototype) {
      // Most of the state: plain objects (props and their parts).
      this.seen.set(o, this.seen.size);
      this.text += 'O{';
      this.fields(o);
      this.text += '}';
      return;
    }
    if (Construct.isConstruct(o)) {
      const at = this.pathOf(o);
      this.text += `C${at.length}:${at}`;
      return;
    }
    if (o === globalThis || o === process) {
      this.text += 'G';
      return;
    }
    this.seen.set(o, this.seen.size);
    if (Array.isArray(o)) return this.array(o);
    if (o instanceof Map) {
      this.text += `M${o.size}[`;
      for (const [k, v] of o) {
        this.value(k);
        this.value(v);
      }
      this.text += ']';
      return;
    }
    if (o instanceof Set) {
      this.text += `S${o.size}[`;
      for (const v of o) this.value(v);
      this.text += ']';
      return;
    }
    if (o instanceof Date) {
      this.text += `D${o.getTime()};`;
    } else if (o instanceof RegExp) {
      this.text += `R${String(o).length}:${String(o)}`;
    } else if (ArrayBuffer.isView(o)) {
      this.text += `B${sha256(Buffer.from(o.buffer, o.byteOffset, o.byteLength))}`;
    } else if (o instanceof ArrayBuffer) {
      this.text += `B${sha256(Buffer.from(o))}`;
    } else {
      this.text += `O${this.className(o)}{`;
      this.fields(o);
      this.text += '}';
    }
  }

  private array(o: unknown[]): void {
    this.text += `A${o.length}[`;
    for (let i = 0; i < o.length; i++) this.value(o[i]);
    // Extra own properties of an array (rare) are state too.
    if (Object.keys(o).length !== o.length) this.fields(o, undefined, true);
    this.text += ']';
  }

  /** Own enumerable properties (string keys in order, then symbol keys), each as key then value. */
  private fields(o: object, skip?: string, nonIndexOnly = false): void {
    for (const key of Object.keys(o)) {
      if (key === skip || (nonIndexOnly && INDEX.test(key))) continue;
      let token = this.keys.get(key);
      if (token === undefined) {
        token = `k${key.length}:${key}`;
        this.keys.set(key, token);
      }
      this.text += token;
      this.read(o, key);
    }
    for (const sym of Object.getOwnPropertySymbols(o)) {
      if (!Object.prototype.propertyIsEnumerable.call(o, sym)) continue;
      this.text += `k${String(sym)}`;
      this.read(o, sym);
    }
  }

  private read(o: object, key: PropertyKey): void {
    let v: unknown;
    try {
      v = (o as any)[key];
    } catch (e) {
      // An own getter that throws: the message is the best available record of what it would give.
      const message = String((e as Error)?.message ?? e);
      this.text += `E${message.length}:${message}`;
      return;
    }
    this.value(v);
  }

  /** A construct's path: from the tree walk, else (a construct outside the root's tree) its node's. */
  private pathOf(c: IConstruct): string {
    let at = this.paths.get(c);
    if (at === undefined) {
      at = c.node.path;
      this.paths.set(c, at);
    }
    return at;
  }

  private className(o: object): string {
    const proto = Object.getPrototypeOf(o);
    if (proto === null) return 'null';
    let name = this.classNames.get(proto);
    if (name === undefined) {
      const n = proto.constructor?.name;
      name = typeof n === 'string' ? `${n.length}:${n}` : '?';
      this.classNames.set(proto, name);
    }
    return name;
  }
}
