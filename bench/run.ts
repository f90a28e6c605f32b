/**
 * Scale benchmark: our PlatformApp synth vs. raw cdk8s-plus-28, each measurement in a fresh child
 * process (so peak RSS is per measurement).
 *
 *   node bench/.build/bench/run.js [--sizes 100,1000,3000] [--variants ours,baseline] [--repeat 1]
 *                                  [--profile] [--charts 10] [--tmpdir DIR] [--keep-output]
 *
 * Exits 1 when a target of DESIGN.md "Scale" fails (1,000 components × 3 environments: total under
 * 3 s and peak RSS under 512 MiB; growth 1,000 → 3,000 components at most 3.3×).
 *
 * Times are measured inside the child: "load" is requiring the library (cdk8s, our model or
 * cdk8s-plus-28), "construct" is building the construct tree, "synth" is `app.synth()` writing
 * real files into a temporary outdir. Total = construct + synth (module load is reported apart,
 * like the baseline harness of reference/toolchain-and-style.md). Peak RSS is the child's
 * `process.resourceUsage().maxRSS` at the end (whole process life, module load included).
 */
const T_START = process.hrtime.bigint();

import * as cp from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

type Variant = 'ours' | 'baseline';

interface ChildResult {
  readonly variant: Variant;
  readonly components: number;
  readonly sets?: number;
  readonly objects: number;
  readonly files: number;
  readonly bytes: number;
  readonly loadMs: number;
  readonly constructMs: number;
  readonly synthMs: number;
  readonly totalMs: number;
  /** Time spent inside fs write/mkdir/unlink calls during synth (file-system cost, not ours). */
  readonly fsMs: number;
  readonly fsCalls: number;
  readonly maxRssKiB: number;
  /** Phase boundaries on the monotonic clock, in microseconds (to split CPU profiles). */
  readonly marksUs: { start: number; loaded: number; constructed: number; synthesized: number };
  readonly profile?: string;
}

interface Failure {
  readonly variant: Variant;
  readonly components: number;
  readonly sets?: number;
  readonly error: string;
}

const MARKER = 'BENCH_RESULT ';
const TARGET = { components: 1000, totalSeconds: 3, rssMiB: 512, largeComponents: 3000, growth: 3.3 };

// ---------------------------------------------------------------------------------------------
// Child: one measurement.
// ---------------------------------------------------------------------------------------------

function us(t: bigint): number {
  return Number(t / 1000n);
}

function ms(a: bigint, b: bigint): number {
  return Number(b - a) / 1e6;
}

function walk(dir: string): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) {
      const sub = walk(full);
      files += sub.files;
      bytes += sub.bytes;
    } else if (e.isFile()) {
      files++;
      bytes += fs.statSync(full).size;
    }
  }
  return { files, bytes };
}

/**
 * Wraps the synchronous fs calls that write output so the time spent in them (kernel file creation,
 * which varies a lot between disks) can be reported apart. Must run before the library is loaded:
 * TypeScript's `import * as fs` copies the module's functions at import time.
 */
function instrumentFs(): { ms: () => number; calls: () => number } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const realFs = require('fs') as any;
  let spent = 0n;
  let calls = 0;
  for (const name of ['writeFileSync', 'mkdirSync', 'openSync', 'writeSync', 'closeSync', 'unlinkSync', 'rmSync']) {
    const real = realFs[name];
    if (typeof real !== 'function') continue;
    realFs[name] = function (this: unknown, ...args: unknown[]) {
      const t = process.hrtime.bigint();
      try {
        return real.apply(this, args);
      } finally {
        spent += process.hrtime.bigint() - t;
        calls++;
      }
    };
  }
  return { ms: () => Number(spent) / 1e6, calls: () => calls };
}

function child(variant: Variant, n: number, outdir: string, sets: number, charts: number): void {
  const fsTimer = instrumentFs();
  let fsBefore = 0;
  let callsBefore = 0;
  let t1: bigint, t2: bigint, t3: bigint;
  let objects: number;
  if (variant === 'ours') {
    // Loaded here, not at the top, so each child pays only for what it measures.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { PlatformApp } = require('../src') as typeof import('../src');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { buildPlatform } = require('./platform') as typeof import('./platform');
    t1 = process.hrtime.bigint();
    const app = new PlatformApp({ outdir });
    const built = buildPlatform(app, { components: n });
    t2 = process.hrtime.bigint();
    fsBefore = fsTimer.ms(); callsBefore = fsTimer.calls();
    app.synth();
    t3 = process.hrtime.bigint();
    objects = built.organization.toJson().length; // cached by synth: counting only
  } else {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { buildBaseline, countBaselineObjects } = require('./baseline') as typeof import('./baseline');
    t1 = process.hrtime.bigint();
    const { app, charts: chartList } = buildBaseline({ sets, outdir, charts });
    t2 = process.hrtime.bigint();
    fsBefore = fsTimer.ms(); callsBefore = fsTimer.calls();
    app.synth();
    t3 = process.hrtime.bigint();
    objects = countBaselineObjects(chartList);
  }
  const fsMs = fsTimer.ms() - fsBefore;
  const fsCalls = fsTimer.calls() - callsBefore;
  const maxRssKiB = process.resourceUsage().maxRSS;
  const { files, bytes } = walk(outdir);
  const result: ChildResult = {
    variant,
    components: n,
    sets: variant === 'baseline' ? sets : undefined,
    objects,
    files,
    bytes,
    loadMs: ms(T_START, t1),
    constructMs: ms(t1, t2),
    synthMs: ms(t2, t3),
    totalMs: ms(t1, t3),
    fsMs,
    fsCalls,
    maxRssKiB,
    marksUs: { start: us(T_START), loaded: us(t1), constructed: us(t2), synthesized: us(t3) },
  };
  process.stdout.write(`${MARKER}${JSON.stringify(result)}\n`);
}

// ---------------------------------------------------------------------------------------------
// Parent: spawn children, print the table, check targets.
// ---------------------------------------------------------------------------------------------

interface Options {
  sizes: number[];
  variants: Variant[];
  repeat: number;
  profile: boolean;
  charts: number;
  keepOutput: boolean;
  perSetObjects: number;
  tmpdir: string;
}

function parseArgs(argv: string[]): { opts: Options; childArgs?: { variant: Variant; n: number; outdir: string; sets: number; charts: number } } {
  const get = (name: string): string | undefined => {
    const i = argv.findIndex(a => a === `--${name}` || a.startsWith(`--${name}=`));
    if (i < 0) return undefined;
    const a = argv[i];
    return a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[i + 1];
  };
  const has = (name: string) => argv.includes(`--${name}`);
  const ints = (s: string) => s.split(',').map(x => x.trim()).filter(Boolean).map(x => {
    const v = Number(x.replace(/_/g, ''));
    if (!Number.isInteger(v) || v <= 0) throw new Error(`not a positive integer: '${x}'`);
    return v;
  });
  const opts: Options = {
    sizes: ints(get('sizes') ?? '100,1000,3000'),
    variants: (get('variants') ?? 'ours,baseline').split(',').map(v => {
      if (v !== 'ours' && v !== 'baseline') throw new Error(`unknown variant '${v}' (use ours, baseline)`);
      return v;
    }),
    repeat: Number(get('repeat') ?? '1'),
    profile: has('profile'),
    charts: Number(get('charts') ?? '10'),
    keepOutput: has('keep-output'),
    perSetObjects: 3,
    // Default to a memory-backed folder: the benchmark measures synthesis, not the VM's disk, whose
    // file-creation latency varies tenfold between runs. Pass --tmpdir /tmp to include the disk.
    tmpdir: get('tmpdir') ?? (fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir()),
  };
  const c = get('child');
  if (c) {
    return {
      opts,
      childArgs: { variant: c as Variant, n: Number(get('n')), outdir: get('outdir')!, sets: Number(get('sets') ?? '0'), charts: opts.charts },
    };
  }
  return { opts };
}

const tempDirs = new Set<string>();
function cleanup(): void {
  for (const d of tempDirs) fs.rmSync(d, { recursive: true, force: true });
  tempDirs.clear();
}

function runChild(variant: Variant, n: number, sets: number, opts: Options, profileDir?: string): ChildResult | Failure {
  const tmp = fs.mkdtempSync(path.join(opts.tmpdir, `cdk8s-openchoreo-bench-${variant}-${n}-`));
  tempDirs.add(tmp);
  const outdir = path.join(tmp, 'out');
  fs.mkdirSync(outdir);
  const nodeArgs: string[] = [];
  // Running from source (ts-node): the child needs the TypeScript hook too.
  if (__filename.endsWith('.ts')) nodeArgs.push('-r', 'ts-node/register/transpile-only');
  if (profileDir) nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=${variant}-${n}.cpuprofile`);
  const args = [...nodeArgs, __filename, '--child', variant, '--n', String(n), '--sets', String(sets), '--charts', String(opts.charts), '--outdir', outdir];
  const r = cp.spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 15 * 60 * 1000 });
  try {
    const line = (r.stdout ?? '').split('\n').find(l => l.startsWith(MARKER));
    if (r.status !== 0 || !line) {
      const why = r.error ? String(r.error) : r.signal ? `killed by ${r.signal}` : `exit code ${r.status}`;
      const lines = `${r.stderr ?? ''}`.trim().split('\n');
      const at = lines.findIndex(l => /Error\b/.test(l));
      const tail = (at >= 0 ? lines.slice(at, at + 3) : lines.slice(-4)).map(l => l.trim().slice(0, 300)).join(' / ');
      return { variant, components: n, sets: variant === 'baseline' ? sets : undefined, error: `${why}: ${tail}` };
    }
    const result = JSON.parse(line.slice(MARKER.length)) as ChildResult;
    return profileDir ? { ...result, profile: path.join(profileDir, `${variant}-${n}.cpuprofile`) } : result;
  } finally {
    if (!opts.keepOutput) {
      fs.rmSync(tmp, { recursive: true, force: true });
      tempDirs.delete(tmp);
    } else {
      tempDirs.delete(tmp);
      process.stderr.write(`  kept output of ${variant} N=${n} in ${outdir}\n`);
    }
  }
}

function isFailure(r: ChildResult | Failure): r is Failure {
  return (r as Failure).error !== undefined;
}

function median(results: ChildResult[]): ChildResult {
  const sorted = [...results].sort((a, b) => a.totalMs - b.totalMs);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

const fmtS = (msv: number) => (msv / 1000).toFixed(2);
const fmtInt = (v: number) => v.toLocaleString('en-US');
const mib = (kib: number) => (kib / 1024).toFixed(0);

function row(r: ChildResult | Failure): string {
  const comp = r.variant === 'baseline' ? `${fmtInt(r.components)} (${fmtInt(r.sets ?? 0)} sets)` : fmtInt(r.components);
  if (isFailure(r)) return `| ${r.variant} | ${comp} | FAILED: ${r.error.replace(/\|/g, '/')} | | | | | | | | | |`;
  const rate = Math.round(r.objects / (r.totalMs / 1000));
  return `| ${r.variant} | ${comp} | ${fmtInt(r.objects)} | ${fmtInt(r.files)} | ${fmtS(r.loadMs)} | ${fmtS(r.constructMs)} | ${fmtS(r.synthMs)} | **${fmtS(r.totalMs)}** | ${fmtS(r.fsMs)} | ${fmtS(r.totalMs - r.fsMs)} | ${fmtInt(rate)} | ${mib(r.maxRssKiB)} |`;
}

// --- CPU profile summary ----------------------------------------------------------------------

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
interface CpuProfile { nodes: ProfileNode[]; startTime: number; endTime: number; samples: number[]; timeDeltas: number[] }

function summarizeProfile(file: string, r: ChildResult, top: number): string {
  const prof = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(prof.nodes.map(n => [n.id, n]));
  const cwd = process.cwd();
  const label = (n: ProfileNode) => {
    const f = n.callFrame;
    let url = f.url.replace(/^file:\/\//, '');
    if (url.startsWith(cwd)) url = path.relative(cwd, url);
    return { fn: f.functionName || '(anonymous)', file: url ? `${url}:${f.lineNumber + 1}` : '', url };
  };
  // Phases by timestamp (V8 profile time and process.hrtime share the monotonic clock on Linux).
  const m = r.marksUs;
  const aligned = prof.startTime <= m.loaded && prof.endTime >= m.synthesized;
  const phases: Array<[string, number, number]> = aligned
    ? [['construct', m.loaded, m.constructed], ['synth', m.constructed, m.synthesized]]
    : [['whole process', -Infinity, Infinity]];
  const out: string[] = [];
  for (const [phase, from, to] of phases) {
    const selfFn = new Map<string, number>();
    const selfFile = new Map<string, number>();
    let t = prof.startTime;
    let total = 0;
    for (let i = 0; i < prof.samples.length; i++) {
      t += prof.timeDeltas[i];
      const dt = prof.timeDeltas[i + 1] ?? 0;
      if (t < from || t >= to) continue;
      const node = byId.get(prof.samples[i]);
      if (!node) continue;
      const l = label(node);
      const key = `${l.fn}\t${l.file}`;
      selfFn.set(key, (selfFn.get(key) ?? 0) + dt);
      const fileKey = l.url ? (l.url.includes('node_modules/') ? l.url.replace(/^.*node_modules\/((@[^/]+\/)?[^/]+).*$/, 'node_modules/$1 (package)') : l.url) : `(${l.fn})`;
      selfFile.set(fileKey, (selfFile.get(fileKey) ?? 0) + dt);
      total += dt;
    }
    out.push(`\n**${r.variant} N=${r.components}, ${phase} phase: ${(total / 1e6).toFixed(2)} s sampled** (self time)\n`);
    out.push('| self ms | % | function | location |', '|---:|---:|---|---|');
    for (const [key, v] of [...selfFn.entries()].sort((a, b) => b[1] - a[1]).slice(0, top)) {
      const [fn, loc] = key.split('\t');
      out.push(`| ${(v / 1000).toFixed(0)} | ${((100 * v) / total).toFixed(1)} | \`${fn}\` | ${loc} |`);
    }
    out.push('', '| self ms | % | file / package |', '|---:|---:|---|');
    for (const [key, v] of [...selfFile.entries()].sort((a, b) => b[1] - a[1]).slice(0, 12)) {
      out.push(`| ${(v / 1000).toFixed(0)} | ${((100 * v) / total).toFixed(1)} | ${key} |`);
    }
  }
  return out.join('\n');
}

// --- main ---------------------------------------------------------------------------------------

function main(): number {
  const { opts, childArgs } = parseArgs(process.argv.slice(2));
  if (childArgs) {
    child(childArgs.variant, childArgs.n, childArgs.outdir, childArgs.sets, childArgs.charts);
    return 0;
  }
  process.on('SIGINT', () => { cleanup(); process.exit(130); });
  const profileDir = opts.profile ? fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-openchoreo-bench-prof-')) : undefined;

  const cpus = os.cpus();
  console.log('## cdk8s-openchoreo scale benchmark\n');
  console.log(`node ${process.version}, ${cpus.length} × ${cpus[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ${os.platform()} ${os.arch()}`);
  console.log(`sizes ${opts.sizes.join(', ')}; 3 environments, 20 components per project; baseline: cdk8s-plus-28 in ${opts.charts} charts, ` +
    `Deployment + Service + NetworkPolicy sets sized to our object count; ${opts.repeat > 1 ? `median of ${opts.repeat} runs` : '1 run'} per cell` +
    `${opts.profile ? '; CPU-profiled (slower)' : ''}\n`);

  const results: Array<ChildResult | Failure> = [];
  const ours = new Map<number, ChildResult>();
  for (const n of opts.sizes) {
    for (const variant of opts.variants) {
      let sets = 0;
      if (variant === 'baseline') {
        const mine = ours.get(n);
        // Comparable object count; without our run, assume ~15 objects per component (3 envs × 5).
        sets = Math.max(1, Math.round((mine ? mine.objects : n * 15) / opts.perSetObjects));
      }
      const runs: ChildResult[] = [];
      let failure: Failure | undefined;
      for (let k = 0; k < opts.repeat && !failure; k++) {
        process.stderr.write(`  running ${variant} N=${n}${variant === 'baseline' ? ` (${sets} sets)` : ''}${opts.repeat > 1 ? ` #${k + 1}` : ''}…\n`);
        const r = runChild(variant, n, sets, opts, k === 0 ? profileDir : undefined);
        if (isFailure(r)) failure = r;
        else runs.push(r);
      }
      if (failure) { results.push(failure); continue; }
      const med = median(runs);
      const withProfile = { ...med, profile: runs[0].profile };
      results.push(withProfile);
      if (variant === 'ours') ours.set(n, withProfile);
    }
  }

  console.log('| variant | components | objects | files | load s | construct s | synth s | total s | of which fs s | total − fs s | objects/s | peak RSS MiB |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of results) console.log(row(r));
  console.log('\ntotal = construct + synth (module load excluded); "of which fs" = time inside fs write/mkdir calls during synth ' +
    `(file creation cost of the output disk, ${opts.tmpdir}); objects/s = objects / total; peak RSS = child maxRSS (whole process).`);

  // Ratios and targets.
  let failed = false;
  const verdict = (ok: boolean) => { if (!ok) failed = true; return ok ? 'PASS' : 'FAIL'; };
  const a = ours.get(TARGET.components);
  const b = ours.get(TARGET.largeComponents);
  console.log('');
  for (const r of results) {
    if (r.variant !== 'baseline' || isFailure(r)) continue;
    const mine = ours.get(r.components);
    if (mine) console.log(`- N=${fmtInt(r.components)} (${fmtInt(mine.objects)} objects): the cdk8s-plus-28 baseline takes ${(r.totalMs / mine.totalMs).toFixed(1)}× our total time and ${(r.maxRssKiB / mine.maxRssKiB).toFixed(1)}× our peak RSS for ${fmtInt(r.objects)} objects.`);
  }
  if (a && b) {
    const ratio = b.totalMs / a.totalMs;
    console.log(`- growth ours, time(${fmtInt(TARGET.largeComponents)}) / time(${fmtInt(TARGET.components)}): total ${ratio.toFixed(2)}× ` +
      `(construct ${(b.constructMs / a.constructMs).toFixed(2)}×, synth ${(b.synthMs / a.synthMs).toFixed(2)}×; objects ${(b.objects / a.objects).toFixed(2)}×)`);
  }
  console.log('\n**Targets** (DESIGN.md "Scale"):\n');
  if (a) {
    console.log(`- ${verdict(a.totalMs < TARGET.totalSeconds * 1000)} ${fmtInt(TARGET.components)} components × 3 envs synthesize in under ${TARGET.totalSeconds} s: ${fmtS(a.totalMs)} s ` +
      `(${fmtS(a.fsMs)} s of it in ${fmtInt(a.fsCalls)} fs calls writing ${fmtInt(a.files)} files; ${fmtS(a.totalMs - a.fsMs)} s without them)`);
    console.log(`- ${verdict(a.maxRssKiB / 1024 < TARGET.rssMiB)} ${fmtInt(TARGET.components)} components × 3 envs peak RSS under ${TARGET.rssMiB} MiB: ${mib(a.maxRssKiB)} MiB`);
  } else {
    console.log(`- n/a ${fmtInt(TARGET.components)}-component targets (size ${TARGET.components} not measured)`);
  }
  if (a && b) {
    const ratio = b.totalMs / a.totalMs;
    console.log(`- ${verdict(ratio <= TARGET.growth)} growth ${fmtInt(TARGET.components)}→${fmtInt(TARGET.largeComponents)} ≤ ${TARGET.growth}×: ${ratio.toFixed(2)}×`);
  } else {
    console.log(`- n/a growth target (sizes ${TARGET.components} and ${TARGET.largeComponents} not both measured)`);
  }
  for (const r of results) {
    if (r.variant === 'ours' && isFailure(r)) { failed = true; console.log(`- FAIL ours N=${r.components} did not complete`); }
  }

  if (profileDir) {
    console.log('\n### CPU profiles (self time, top functions)');
    for (const r of results) {
      if (isFailure(r) || !r.profile || !fs.existsSync(r.profile)) continue;
      if (r.variant !== 'ours' && !opts.variants.every(v => v === 'baseline')) continue;
      console.log(summarizeProfile(r.profile, r, 20));
    }
    console.log(`\nprofiles kept in ${profileDir} (open in Chrome DevTools → Performance)`);
  }
  cleanup();
  return failed ? 1 : 0;
}

process.exitCode = main();
