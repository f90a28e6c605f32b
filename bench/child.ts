/**
 * One measurement, in a fresh process spawned by run.ts:
 *
 * - `ours`: declare the platform, `app.synth()` into an empty folder (phases, CPU, GC, tree hash);
 * - `resynth`: the same platform again into the folder the `ours` run left (nothing should change);
 * - `touch`: the platform with one component changed, into that folder (only its files should change);
 * - `jsyaml`: render the same platform (untimed), then time js-yaml and our emitter serializing the
 *   exact document lists our synth serializes, file by file;
 * - `bound`: the `ours` synth with connectivity, access and the reports stubbed out (offload-bound.ts): the
 *   least a design that moves them to another thread could take (the tree lacks the reports);
 * - `warm`: synthesize a platform of another seed first (untimed: the library's code runs once, so the
 *   JIT has compiled it), then time the `ours` synth in the same process: what a synth costs without
 *   the warm-up a fresh process pays;
 * - `baseline`: raw cdk8s-plus-28 for the same object count.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { PerformanceObserver } from 'perf_hooks';
import { stubOffloadablePhases } from './offload-bound';
import { installPhaseHooks, Phase } from './phases';

export type Variant = 'ours' | 'resynth' | 'touch' | 'jsyaml' | 'warm' | 'bound' | 'baseline';
export const MARKER = 'BENCH_RESULT ';

/** What a child reports (times in ms). */
export interface ChildResult {
  readonly variant: Variant;
  readonly components: number;
  readonly sets?: number;
  readonly objects: number;
  readonly files: number;
  readonly bytes: number;
  readonly loadMs: number;
  readonly constructMs: number;
  readonly synthMs: number;
  /** Wall time, declaration through files on disk (construct + synth). */
  readonly totalMs: number;
  /** user + sys CPU time of the process over the same span (all threads: GC helpers included). */
  readonly cpuMs: number;
  readonly gcMs: number;
  readonly maxRssKiB: number;
  /** CPU time per phase (see phases.ts). */
  readonly phasesMs?: Record<Phase, number>;
  readonly missingHooks?: string[];
  readonly written?: number;
  readonly unchanged?: number;
  readonly removed?: number;
  /** Written paths (touch variant only). */
  readonly writtenPaths?: string[];
  readonly touched?: string;
  /** sha256 over `sha256sum`-style lines of every file in the output folder, sorted by path. */
  readonly treeSha256?: string;
  /** jsyaml variant: js-yaml and our emitter over the same document lists. */
  readonly jsyaml?: { docs: number; files: number; jsyamlMs: number; jsyamlCpuMs: number; oursMs: number; oursCpuMs: number; jsyamlBytes: number };
  readonly marksUs: { start: number; loaded: number; constructed: number; synthesized: number };
  readonly profile?: string;
}

export interface ChildArgs {
  readonly variant: Variant;
  readonly n: number;
  readonly outdir: string;
  readonly sets: number;
  readonly charts: number;
  readonly touch: number;
}

/** The seed of the `warm` variant's first, untimed platform (the measured one has the default seed). */
const WARM_UP_SEED = 0xc01d;

const us = (t: bigint) => Number(t / 1000n);
const ms = (a: bigint, b: bigint) => Number(b - a) / 1e6;
const cpuNow = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };

/** Every file under `dir` (relative, forward slashes), sorted. */
export function listFiles(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...listFiles(dir, r));
    else if (e.isFile()) out.push(r);
  }
  return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * The tree's hash: sha256 of the `sha256sum` lines of its files, and its size. Files are read through one reused
 * buffer: reading each into a Buffer of its own would raise the child's peak RSS (the synth's measurement) by
 * the buffers the GC has not freed yet (hundreds of MB at 10,000 components).
 */
export function treeHash(dir: string): { sha256: string; files: number; bytes: number } {
  const h = crypto.createHash('sha256');
  const chunk = Buffer.allocUnsafe(1024 * 1024);
  let bytes = 0;
  const files = listFiles(dir);
  for (const f of files) {
    const fileHash = crypto.createHash('sha256');
    const fd = fs.openSync(path.join(dir, f), 'r');
    try {
      for (let n; (n = fs.readSync(fd, chunk, 0, chunk.length, null)) > 0;) {
        fileHash.update(chunk.subarray(0, n));
        bytes += n;
      }
    } finally {
      fs.closeSync(fd);
    }
    h.update(`${fileHash.digest('hex')}  ${f}\n`);
  }
  return { sha256: h.digest('hex'), files: files.length, bytes };
}

export function runChild(args: ChildArgs, tStart: bigint): void {
  let gcMs = 0;
  const obs = new PerformanceObserver(list => { for (const e of list.getEntries()) gcMs += e.duration; });
  obs.observe({ entryTypes: ['gc'] });
  const result = args.variant === 'baseline' ? baseline(args, tStart) : ours(args, tStart);
  const maxRssKiB = process.resourceUsage().maxRSS;
  // GC entries are delivered asynchronously: report once the event loop has run.
  setTimeout(() => {
    obs.disconnect();
    process.stdout.write(`${MARKER}${JSON.stringify({ ...result, gcMs, maxRssKiB })}\n`);
  }, 20);
}

type Partial = Omit<ChildResult, 'gcMs' | 'maxRssKiB'>;

function ours(args: ChildArgs, tStart: bigint): Partial {
  // Loaded here, not at the top, so each child pays only for what it measures.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { PlatformApp } = require('../src') as typeof import('../src');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { buildPlatform, componentName } = require('./platform') as typeof import('./platform');
  if (args.variant === 'bound') stubOffloadablePhases(path.join(__dirname, '..', 'src'));
  if (args.variant === 'warm') {
    // Before the hooks are installed, so that the phases count the timed synth only. Another seed: other names,
    // kinds and features, so that the timed synth does not just find the first one's strings in the emitter's caches.
    const dir = `${args.outdir}-warm-up`;
    const first = new PlatformApp({ outdir: dir });
    buildPlatform(first, { components: args.n, seed: WARM_UP_SEED });
    first.synth();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const rec = installPhaseHooks(path.join(__dirname, '..', 'src'));
  const writes: Array<{ written: string[]; unchanged: string[]; removed: string[] }> = [];
  rec.onWrite = r => writes.push(r);
  const yamlLists: any[][] = [];
  if (args.variant === 'jsyaml') rec.onYaml = docs => yamlLists.push(docs);
  const touch = args.variant === 'touch' ? args.touch : undefined;

  const c0 = cpuNow();
  const t1 = process.hrtime.bigint();
  const app = new PlatformApp({ outdir: args.outdir });
  const built = buildPlatform(app, { components: args.n, touch });
  const t2 = process.hrtime.bigint();
  const cDeclared = cpuNow();
  if (args.variant === 'jsyaml') app.synthFiles();
  else app.synth();
  const t3 = process.hrtime.bigint();
  const c1 = cpuNow();
  const objects = built.organization.toJson().length; // cached by synth: counting only
  const phasesMs = { ...rec.selfMs, declaration: cDeclared - c0 };
  phasesMs.other = Math.max(0, c1 - cDeclared - (Object.entries(rec.selfMs) as Array<[Phase, number]>)
    .filter(([p]) => p !== 'declaration' && p !== 'other').reduce((a, [, v]) => a + v, 0));
  const base = {
    variant: args.variant,
    components: args.n,
    objects,
    loadMs: ms(tStart, t1),
    constructMs: ms(t1, t2),
    synthMs: ms(t2, t3),
    totalMs: ms(t1, t3),
    cpuMs: c1 - c0,
    phasesMs,
    missingHooks: rec.missing,
    marksUs: { start: us(tStart), loaded: us(t1), constructed: us(t2), synthesized: us(t3) },
  };
  if (args.variant === 'jsyaml') {
    rec.onYaml = undefined; // serializeBoth calls toYamlDocuments again: stop collecting
    return { ...base, files: yamlLists.length, bytes: 0, jsyaml: serializeBoth(yamlLists) };
  }
  const w = writes[writes.length - 1];
  const tree = treeHash(args.outdir);
  return {
    ...base,
    files: tree.files,
    bytes: tree.bytes,
    treeSha256: tree.sha256,
    written: w ? w.written.length : 0, // no write at all (a re-synth cache hit) wrote nothing
    unchanged: w?.unchanged.length,
    removed: w?.removed.length,
    writtenPaths: args.variant === 'touch' ? w?.written : undefined,
    touched: touch !== undefined ? componentName(touch) : undefined,
  };
}

/** js-yaml (the serialization floor) and our emitter over the same document lists, file by file. */
function serializeBoth(lists: any[][]): NonNullable<ChildResult['jsyaml']> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports, import/no-extraneous-dependencies
  const jsyaml = require('js-yaml') as { dump: (o: unknown, opts?: object) => string };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { toYamlDocuments } = require('../src/output/yaml') as { toYamlDocuments: (docs: any[]) => string };
  const docs = lists.reduce((n, l) => n + l.length, 0);
  let c0 = cpuNow();
  let t0 = process.hrtime.bigint();
  let jsyamlBytes = 0;
  for (const list of lists) jsyamlBytes += list.map(d => jsyaml.dump(d, { noRefs: true, lineWidth: -1 })).join('---\n').length;
  const jsyamlMs = ms(t0, process.hrtime.bigint());
  const jsyamlCpuMs = cpuNow() - c0;
  c0 = cpuNow();
  t0 = process.hrtime.bigint();
  let sink = 0;
  for (const list of lists) sink += toYamlDocuments(list).length;
  const oursMs = ms(t0, process.hrtime.bigint());
  const oursCpuMs = cpuNow() - c0;
  if (sink < 0) throw new Error('unreachable');
  return { docs, files: lists.length, jsyamlMs, jsyamlCpuMs, oursMs, oursCpuMs, jsyamlBytes };
}

function baseline(args: ChildArgs, tStart: bigint): Partial {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { buildBaseline, countBaselineObjects } = require('./baseline') as typeof import('./baseline');
  const c0 = cpuNow();
  const t1 = process.hrtime.bigint();
  const { app, charts } = buildBaseline({ sets: args.sets, outdir: args.outdir, charts: args.charts });
  const t2 = process.hrtime.bigint();
  app.synth();
  const t3 = process.hrtime.bigint();
  const c1 = cpuNow();
  const tree = treeHash(args.outdir);
  return {
    variant: 'baseline',
    components: args.n,
    sets: args.sets,
    objects: countBaselineObjects(charts),
    files: tree.files,
    bytes: tree.bytes,
    loadMs: ms(tStart, t1),
    constructMs: ms(t1, t2),
    synthMs: ms(t2, t3),
    totalMs: ms(t1, t3),
    cpuMs: c1 - c0,
    marksUs: { start: us(tStart), loaded: us(t1), constructed: us(t2), synthesized: us(t3) },
  };
}
