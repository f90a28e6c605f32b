/**
 * Scale benchmark (`npm run bench`): our PlatformApp synth at 100 / 1,000 / 3,000 components × 3
 * environments (10,000 with --large), each measurement in a fresh child process (so CPU and peak
 * RSS are per measurement):
 *
 *   node bench/.build/bench/run.js [--sizes 100,1000,3000] [--large] [--variants ours,resynth,touch,jsyaml,warm,bound,baseline]
 *                                  [--repeat 1] [--profile] [--charts 10] [--tmpdir DIR] [--keep-output] [--json FILE]
 *
 * Per size it prints objects, wall, CPU (user + sys), GC, peak RSS, the phase split (declaration,
 * resolve, render, connectivity, access, reports, YAML, write; see phases.ts), the ratio of the whole
 * synth's CPU to js-yaml serializing the same manifests (measured in the same run), the cdk8s-plus-28
 * baseline ratio, re-synth of the unchanged tree and after changing one component (time and files
 * written), the same synth in a warm process (how much of a first synth is the JIT's warm-up), the synth
 * without connectivity, access and reports (what must run on the main thread), and the sha256 of each
 * output tree, so that output identity can be checked across commits.
 *
 * Exits 1 when a target of DESIGN.md "Scale" (issue #15) fails.
 */
const T_START = process.hrtime.bigint();

import * as cp from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ChildArgs, ChildResult, MARKER, runChild, Variant } from './child';
import { PHASES } from './phases';
import { summarizeProfile } from './profile';

const VARIANTS: readonly Variant[] = ['ours', 'resynth', 'touch', 'jsyaml', 'warm', 'bound', 'baseline'];
/** Component changed by the `touch` measurement (the first component of the first project). */
const TOUCH = 0;
const TARGET = { components: 1000, large: 10000, largeWallS: 15, largeRssMiB: 2048, jsyamlRatio: 1.5, rssMiB: 300, linear: 1.1 };

interface Failure { readonly variant: Variant; readonly components: number; readonly error: string }
type Outcome = ChildResult | Failure;
const isFailure = (r: Outcome | undefined): r is Failure => !!r && (r as Failure).error !== undefined;

interface Options {
  sizes: number[];
  variants: Variant[];
  repeat: number;
  profile: boolean;
  charts: number;
  keepOutput: boolean;
  tmpdir: string;
  json?: string;
}

function parseArgs(argv: string[]): { opts: Options; child?: ChildArgs } {
  const get = (name: string): string | undefined => {
    const i = argv.findIndex(a => a === `--${name}` || a.startsWith(`--${name}=`));
    if (i < 0) return undefined;
    const a = argv[i];
    return a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[i + 1];
  };
  const has = (name: string) => argv.includes(`--${name}`);
  const ints = (s: string) => s.split(',').map(x => x.trim()).filter(Boolean).map(x => {
    const v = Number(x.replace(/_/g, ''));
    if (!Number.isInteger(v) || v <= 0) throw new Error(`--sizes: not a positive integer: '${x}'. Fix: pass e.g. --sizes 100,1000`);
    return v;
  });
  const sizes = ints(get('sizes') ?? '100,1000,3000');
  if (has('large') && !sizes.includes(TARGET.large)) sizes.push(TARGET.large);
  const opts: Options = {
    sizes,
    variants: (get('variants') ?? VARIANTS.join(',')).split(',').map(v => {
      if (!(VARIANTS as string[]).includes(v)) throw new Error(`--variants: unknown variant '${v}'. Fix: use some of ${VARIANTS.join(', ')}`);
      return v as Variant;
    }),
    repeat: Number(get('repeat') ?? '1'),
    profile: has('profile'),
    charts: Number(get('charts') ?? '10'),
    keepOutput: has('keep-output'),
    // Default to a memory-backed folder: the benchmark measures synthesis, not the VM's disk, whose
    // file-creation latency varies tenfold between runs. Pass --tmpdir /tmp to include the disk.
    tmpdir: get('tmpdir') ?? (fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir()),
    json: get('json'),
  };
  if (!has('child')) return { opts };
  // A child reads what to measure from stdin, so that every child runs with the same command line and
  // environment: those are part of the re-synth cache's input fingerprint, and a re-synth must match.
  return { opts, child: JSON.parse(fs.readFileSync(0, 'utf8')) as ChildArgs };
}

function spawn(variant: Variant, n: number, outdir: string, sets: number, opts: Options, profileDir?: string): Outcome {
  const nodeArgs: string[] = [];
  if (profileDir) nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=${variant}-${n}.cpuprofile`);
  const child: ChildArgs = { variant, n, outdir, sets, charts: opts.charts, touch: TOUCH };
  const r = cp.spawnSync(process.execPath, [...nodeArgs, __filename, '--child'], {
    input: JSON.stringify(child), encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: 20 * 60 * 1000,
  });
  const line = (r.stdout ?? '').split('\n').find(l => l.startsWith(MARKER));
  if (r.status !== 0 || !line) {
    const why = r.error ? String(r.error) : r.signal ? `killed by ${r.signal}` : `exit code ${r.status}`;
    const lines = `${r.stderr ?? ''}`.trim().split('\n');
    const at = lines.findIndex(l => /Error\b/.test(l));
    const tail = (at >= 0 ? lines.slice(at, at + 3) : lines.slice(-4)).map(l => l.trim().slice(0, 300)).join(' / ');
    return { variant, components: n, error: `${why}: ${tail}` };
  }
  const result = JSON.parse(line.slice(MARKER.length)) as ChildResult;
  return profileDir ? { ...result, profile: path.join(profileDir, `${variant}-${n}.cpuprofile`) } : result;
}

/** Median (by wall time) of `repeat` runs; a fresh output folder per run unless `outdir` is given. */
function measure(variant: Variant, n: number, opts: Options, outdir: () => string, sets = 0, profileDir?: string): Outcome {
  const runs: ChildResult[] = [];
  for (let k = 0; k < opts.repeat; k++) {
    process.stderr.write(`  ${variant} N=${n}${sets ? ` (${sets} sets)` : ''}${opts.repeat > 1 ? ` #${k + 1}` : ''}…\n`);
    const r = spawn(variant, n, outdir(), sets, opts, k === 0 ? profileDir : undefined);
    if (isFailure(r)) return r;
    runs.push(r);
  }
  const sorted = [...runs].sort((a, b) => a.totalMs - b.totalMs);
  return { ...sorted[Math.floor((sorted.length - 1) / 2)], profile: runs[0].profile };
}

const s = (msv: number) => (msv / 1000).toFixed(2);
const int = (v: number) => v.toLocaleString('en-US');
const mib = (kib: number) => (kib / 1024).toFixed(0);
const x = (v: number) => `${v.toFixed(2)}×`;

interface SizeResults { n: number; byVariant: Map<Variant, Outcome> }

function ok(r: Outcome | undefined): ChildResult | undefined {
  return r && !isFailure(r) ? r : undefined;
}

function print(all: SizeResults[], opts: Options): boolean {
  let failed = false;
  const failures = all.flatMap(sz => [...sz.byVariant.values()].filter(isFailure));
  console.log('| components | objects | files | MB | wall s | CPU s | GC s | peak RSS MiB | js-yaml CPU s | **synth CPU ÷ js-yaml** | our YAML emitter CPU s | cdk8s-plus-28 CPU s (÷ ours) | tree sha256 |');
  console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|');
  for (const { n, byVariant } of all) {
    const o = ok(byVariant.get('ours'));
    const j = ok(byVariant.get('jsyaml'))?.jsyaml;
    const b = ok(byVariant.get('baseline'));
    if (!o) continue;
    console.log(`| ${int(n)} | ${int(o.objects)} | ${int(o.files)} | ${(o.bytes / 1e6).toFixed(1)} | ${s(o.totalMs)} | ${s(o.cpuMs)} | ${s(o.gcMs)} | ${mib(o.maxRssKiB)} | ` +
      `${j ? s(j.jsyamlCpuMs) : 'n/a'} | ${j ? `**${x(o.cpuMs / j.jsyamlCpuMs)}**` : 'n/a'} | ${j ? s(j.oursCpuMs) : 'n/a'} | ` +
      `${b ? `${s(b.cpuMs)} (${x(b.cpuMs / o.cpuMs)})` : 'n/a'} | \`${o.treeSha256?.slice(0, 16)}\` |`);
  }
  console.log('\nwall and CPU span declaration → files on disk (module load excluded); CPU = user + sys of the child (GC helper threads ' +
    `included); GC = V8 gc pause time; js-yaml = \`dump()\` of the same document lists, file by file, in a child of its own; output in ${opts.tmpdir}.`);

  console.log('\n**Phase split** (self CPU time, s and % of the CPU from declaration to disk; fingerprint = the re-synth cache input fingerprint; grouping = synthesizeFiles (file claims, kustomizations); "other" = whatever is not hooked, GC included):\n');
  console.log(`| components | ${PHASES.join(' | ')} |`);
  console.log(`|---:|${PHASES.map(() => '---:').join('|')}|`);
  for (const { n, byVariant } of all) {
    const o = ok(byVariant.get('ours'));
    if (!o?.phasesMs) continue;
    console.log(`| ${int(n)} | ${PHASES.map(p => `${s(o.phasesMs![p])} (${((100 * o.phasesMs![p]) / o.cpuMs).toFixed(0)} %)`).join(' | ')} |`);
  }
  const missing = [...new Set(all.flatMap(sz => ok(sz.byVariant.get('ours'))?.missingHooks ?? []))];
  if (missing.length) console.log(`\nphase hooks not found (their time counts as "other"; update bench/phases.ts): ${missing.join(', ')}`);

  printWarm(all);
  printBound(all);

  console.log('\n**Re-synth** into the folder the first synth wrote (fresh process each):\n');
  console.log('| components | first: wall s / CPU s | unchanged: wall s / CPU s (CPU ÷ first) | written | one component changed: wall s / CPU s | written | only its files |');
  console.log('|---:|---:|---:|---:|---:|---:|---|');
  const onlyIts: Map<number, boolean> = new Map();
  for (const { n, byVariant } of all) {
    const o = ok(byVariant.get('ours'));
    const r = ok(byVariant.get('resynth'));
    const t = ok(byVariant.get('touch'));
    if (!o || (!r && !t)) continue;
    const its = t ? (t.writtenPaths ?? []).every(p => p.split('/').some(seg => seg === t.touched || seg === `${t.touched}.yaml`)) : false;
    if (t) onlyIts.set(n, its);
    console.log(`| ${int(n)} | ${s(o.totalMs)} / ${s(o.cpuMs)} | ${r ? `${s(r.totalMs)} / ${s(r.cpuMs)} (${x(r.cpuMs / o.cpuMs)})` : 'n/a'} | ${r ? int(r.written ?? -1) : 'n/a'} | ` +
      `${t ? `${s(t.totalMs)} / ${s(t.cpuMs)}` : 'n/a'} | ${t ? `${int(t.written ?? -1)} (${(t.writtenPaths ?? []).slice(0, 4).join(', ')}${(t.writtenPaths ?? []).length > 4 ? ', …' : ''})` : 'n/a'} | ` +
      `${t ? (its ? `yes (${t.touched})` : `NO (${t.touched})`) : 'n/a'} |`);
    if (r && o.treeSha256 && r.treeSha256 !== o.treeSha256) console.log(`| | re-synth of N=${n} changed the tree: ${r.treeSha256} ≠ ${o.treeSha256} | | | | | |`);
  }

  console.log('\n**Output trees** (sha256 of `sha256sum` lines of every file, sorted by path):\n');
  for (const { n, byVariant } of all) {
    const o = ok(byVariant.get('ours'));
    if (o?.treeSha256) console.log(`- N=${int(n)}: \`${o.treeSha256}\` (${int(o.files)} files, ${int(o.bytes)} bytes)`);
  }

  const ours = new Map(all.map(sz => [sz.n, ok(sz.byVariant.get('ours'))] as const));
  const sizes = [...ours.keys()].sort((a, b) => a - b);
  console.log('\n**Growth** (CPU ratio ÷ object ratio between consecutive sizes; linear = 1.00):\n');
  for (let i = 1; i < sizes.length; i++) {
    const a = ours.get(sizes[i - 1]);
    const b = ours.get(sizes[i]);
    if (!a || !b) continue;
    const g = (b.cpuMs / a.cpuMs) / (b.objects / a.objects);
    console.log(`- ${int(sizes[i - 1])} → ${int(sizes[i])}: CPU ${x(b.cpuMs / a.cpuMs)}, wall ${x(b.totalMs / a.totalMs)}, objects ${x(b.objects / a.objects)} → ${x(g)}`);
  }

  console.log('\n**Targets** (DESIGN.md "Scale", issue #15):\n');
  const verdict = (cond: boolean, text: string) => { if (!cond) failed = true; console.log(`- ${cond ? 'PASS' : 'FAIL'} ${text}`); };
  const k1 = ours.get(TARGET.components);
  const j1 = ok(all.find(sz => sz.n === TARGET.components)?.byVariant.get('jsyaml'))?.jsyaml;
  if (k1 && j1) verdict(k1.cpuMs / j1.jsyamlCpuMs <= TARGET.jsyamlRatio, `${int(TARGET.components)} components: synth CPU within ${TARGET.jsyamlRatio}× of js-yaml: ${x(k1.cpuMs / j1.jsyamlCpuMs)}`);
  if (k1) verdict(k1.maxRssKiB / 1024 < TARGET.rssMiB, `${int(TARGET.components)} components: peak RSS under ${TARGET.rssMiB} MiB: ${mib(k1.maxRssKiB)} MiB`);
  const r1 = ok(all.find(sz => sz.n === TARGET.components)?.byVariant.get('resynth'));
  if (k1 && r1) verdict(r1.written === 0 && r1.cpuMs <= k1.cpuMs / 2, `${int(TARGET.components)} components: unchanged re-synth writes nothing (${r1.written} files) in at most half the first synth's CPU (${x(r1.cpuMs / k1.cpuMs)})`);
  if (onlyIts.has(TARGET.components)) verdict(onlyIts.get(TARGET.components)!, `${int(TARGET.components)} components: changing one component rewrites only its files`);
  const big = ours.get(TARGET.large);
  if (big) {
    verdict(big.totalMs < TARGET.largeWallS * 1000, `${int(TARGET.large)} components under ${TARGET.largeWallS} s wall: ${s(big.totalMs)} s`);
    verdict(big.maxRssKiB / 1024 < TARGET.largeRssMiB, `${int(TARGET.large)} components under 2 GiB peak RSS: ${mib(big.maxRssKiB)} MiB`);
  } else {
    console.log(`- n/a ${int(TARGET.large)}-component targets (run with --large)`);
  }
  for (let i = 1; i < sizes.length; i++) {
    const a = ours.get(sizes[i - 1]);
    const b = ours.get(sizes[i]);
    if (!a || !b || sizes[i - 1] < TARGET.components) continue;
    const g = (b.cpuMs / a.cpuMs) / (b.objects / a.objects);
    verdict(g <= TARGET.linear, `linear ${int(sizes[i - 1])} → ${int(sizes[i])}: CPU growth within ${TARGET.linear}× of the object ratio: ${x(g)}`);
  }
  for (const f of failures) verdict(false, `${f.variant} N=${f.components} did not complete: ${f.error}`);
  return failed;
}

/** The first synth of a fresh process against the same synth in a process that has run the library once. */
function printWarm(all: SizeResults[]): void {
  const rows = all.map(({ n, byVariant }) => ({ n, o: ok(byVariant.get('ours')), w: ok(byVariant.get('warm')), j: ok(byVariant.get('jsyaml'))?.jsyaml }))
    .filter(r => r.o && r.w);
  if (rows.length === 0) return;
  console.log('\n**Warm process**: the same synth after one synth of a platform of another seed in the same process ' +
    '(the JIT has compiled the library\'s code; peak RSS is not comparable, the first synth\'s heap is still there):\n');
  console.log('| components | first synth: wall s / CPU s (÷ js-yaml) | warm synth: wall s / CPU s (÷ js-yaml) | warm-up: CPU share of the first synth | same tree |');
  console.log('|---:|---:|---:|---:|---|');
  for (const { n, o, w, j } of rows) {
    const ratio = (cpuMs: number) => (j ? ` (${x(cpuMs / j.jsyamlCpuMs)})` : '');
    console.log(`| ${int(n)} | ${s(o!.totalMs)} / ${s(o!.cpuMs)}${ratio(o!.cpuMs)} | ${s(w!.totalMs)} / ${s(w!.cpuMs)}${ratio(w!.cpuMs)} | ` +
      `${(100 * (1 - w!.cpuMs / o!.cpuMs)).toFixed(0)} % | ${w!.treeSha256 === o!.treeSha256 ? 'yes' : `NO: ${w!.treeSha256?.slice(0, 16)}`} |`);
  }
}

/** The synth against the same synth without the phases another thread could take over. */
function printBound(all: SizeResults[]): void {
  const rows = all.map(({ n, byVariant }) => ({ n, o: ok(byVariant.get('ours')), b: ok(byVariant.get('bound')) })).filter(r => r.o && r.b);
  if (rows.length === 0) return;
  console.log('\n**Offload bound**: the same synth with connectivity, access and every report stubbed out (bench/offload-bound.ts), ' +
    'the least a design running them on another thread could take:\n');
  console.log('| components | synth: wall s / CPU s | without connectivity, access, reports: wall s / CPU s | wall saved |');
  console.log('|---:|---:|---:|---:|');
  for (const { n, o, b } of rows) {
    console.log(`| ${int(n)} | ${s(o!.totalMs)} / ${s(o!.cpuMs)} | ${s(b!.totalMs)} / ${s(b!.cpuMs)} | ${(100 * (1 - b!.totalMs / o!.totalMs)).toFixed(0)} % |`);
  }
}

function main(): number {
  const { opts, child } = parseArgs(process.argv.slice(2));
  if (child) {
    runChild(child, T_START);
    return 0;
  }
  const tmpRoot = fs.mkdtempSync(path.join(opts.tmpdir, 'cdk8s-openchoreo-bench-'));
  const cleanup = () => { if (!opts.keepOutput) fs.rmSync(tmpRoot, { recursive: true, force: true }); };
  process.on('SIGINT', () => { cleanup(); process.exit(130); });
  const profileDir = opts.profile ? fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-openchoreo-bench-prof-')) : undefined;
  const cpus = os.cpus();
  console.log('## cdk8s-openchoreo scale benchmark\n');
  console.log(`node ${process.version}, ${cpus.length} × ${cpus[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ${os.platform()} ${os.arch()}, ` +
    `load average ${os.loadavg().map(l => l.toFixed(1)).join(' ')} at start`);
  console.log(`sizes ${opts.sizes.map(int).join(', ')}; 3 environments, 20 components per project; baseline: cdk8s-plus-28 in ${opts.charts} charts, ` +
    `Deployment + Service + NetworkPolicy sets sized to our object count; ${opts.repeat > 1 ? `median of ${opts.repeat} runs` : '1 run'} per cell` +
    `${opts.profile ? '; CPU-profiled (slower)' : ''}\n`);

  const all: SizeResults[] = [];
  let seq = 0;
  const fresh = () => { const d = path.join(tmpRoot, `out-${seq++}`); fs.mkdirSync(d); return d; };
  for (const n of opts.sizes) {
    const byVariant = new Map<Variant, Outcome>();
    all.push({ n, byVariant });
    const tree = fresh();
    const want = (v: Variant) => opts.variants.includes(v);
    // The first synth keeps its folder: re-synth and the one-component change write into it.
    let first = 0;
    const firstOut = () => (first++ === 0 ? tree : (fs.rmSync(tree, { recursive: true, force: true }), fs.mkdirSync(tree), tree));
    if (want('ours') || want('resynth') || want('touch')) byVariant.set('ours', measure('ours', n, opts, firstOut, 0, profileDir));
    if (ok(byVariant.get('ours'))) {
      if (want('resynth')) byVariant.set('resynth', measure('resynth', n, { ...opts, repeat: 1 }, () => tree));
      if (want('touch')) byVariant.set('touch', measure('touch', n, { ...opts, repeat: 1 }, () => tree));
    }
    if (!opts.keepOutput) fs.rmSync(tree, { recursive: true, force: true });
    if (want('jsyaml')) byVariant.set('jsyaml', measure('jsyaml', n, opts, fresh));
    if (want('warm')) byVariant.set('warm', measure('warm', n, opts, fresh));
    if (want('bound')) byVariant.set('bound', measure('bound', n, opts, fresh));
    if (want('baseline')) {
      const mine = ok(byVariant.get('ours'));
      const sets = Math.max(1, Math.round((mine ? mine.objects : n * 25) / 3));
      byVariant.set('baseline', measure('baseline', n, opts, fresh, sets));
    }
    // Free the memory-backed folder between sizes.
    if (!opts.keepOutput) for (const d of fs.readdirSync(tmpRoot)) fs.rmSync(path.join(tmpRoot, d), { recursive: true, force: true });
  }
  const failed = print(all, opts);
  if (opts.json) fs.writeFileSync(opts.json, JSON.stringify(all.map(sz => ({ n: sz.n, ...Object.fromEntries(sz.byVariant) })), null, 2));
  if (profileDir) {
    console.log('\n### CPU profiles (self time, top functions)');
    for (const sz of all) {
      const r = ok(sz.byVariant.get('ours'));
      if (r?.profile && fs.existsSync(r.profile)) console.log(summarizeProfile(r.profile, r, 20));
    }
    console.log(`\nprofiles kept in ${profileDir} (open in Chrome DevTools → Performance)`);
  }
  if (opts.keepOutput) process.stderr.write(`  kept output in ${tmpRoot}\n`);
  cleanup();
  return failed ? 1 : 0;
}

process.exitCode = main();
