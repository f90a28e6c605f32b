/** Summarizes a V8 CPU profile of one child: top functions and files by self time, per phase. */
import * as fs from 'fs';
import * as path from 'path';
import type { ChildResult } from './child';
import { HOOKS, Phase, PHASES } from './phases';

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
interface CpuProfile { nodes: ProfileNode[]; startTime: number; endTime: number; samples: number[]; timeDeltas: number[] }

export function summarizeProfile(file: string, r: ChildResult, top: number): string {
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
  if (aligned) out.push(mainThreadPhases(prof, byId, m.loaded, m.constructed, m.synthesized));
  for (const [phase, from, to] of phases) {
    const selfFn = new Map<string, number>();
    const selfFile = new Map<string, number>();
    let total = 0;
    for (const { id, dt } of samplesIn(prof, from, to)) {
      const node = byId.get(id);
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

/**
 * The main thread's time per phase from declaration to files on disk, and how much of it is GC pauses: what a second thread
 * could not take over (the bench's phase split counts the CPU of every thread). A sample belongs to the
 * innermost hooked function on its stack; GC and other samples without JavaScript on the stack belong to the
 * phase of the JavaScript sample before them.
 */
function mainThreadPhases(prof: CpuProfile, byId: Map<number, ProfileNode>, from: number, declared: number, to: number): string {
  const parentOf = new Map<number, number>();
  for (const n of prof.nodes) for (const c of n.children ?? []) parentOf.set(c, n.id);
  const hooked = new Map(HOOKS.map(h => [`${h.fn} ${h.module}.js`, h.phase]));
  const phaseOf = new Map<number, Phase | undefined>();
  const find = (id: number): Phase | undefined => {
    if (phaseOf.has(id)) return phaseOf.get(id);
    const f = byId.get(id)!.callFrame;
    const at = f.url.indexOf('/src/');
    let p: Phase | undefined = at >= 0 ? hooked.get(`${f.functionName} ${f.url.slice(at + 5)}`) : undefined;
    if (p === undefined) {
      const up = parentOf.get(id);
      p = up === undefined ? undefined : find(up);
    }
    phaseOf.set(id, p);
    return p;
  };
  const total = new Map<Phase, number>();
  const gc = new Map<Phase, number>();
  let last: Phase = 'other';
  let sum = 0;
  for (const { id, t, dt } of samplesIn(prof, from, to)) {
    const fn = byId.get(id)?.callFrame.functionName;
    if (fn === '(idle)') continue;
    const p: Phase = t < declared ? 'declaration' : find(id) ?? (fn?.startsWith('(') ? last : 'other');
    last = p;
    total.set(p, (total.get(p) ?? 0) + dt);
    if (fn === '(garbage collector)') gc.set(p, (gc.get(p) ?? 0) + dt);
    sum += dt;
  }
  const sec = (us: number | undefined) => ((us ?? 0) / 1e6).toFixed(2);
  const shown = PHASES.filter(p => (total.get(p) ?? 0) > 0);
  return [
    `\n**Main thread by phase, declaration to disk: ${sec(sum)} s sampled** (s, of which GC pauses; the phase split above counts every thread's CPU)\n`,
    `| ${shown.join(' | ')} |`,
    `|${shown.map(() => '---:').join('|')}|`,
    `| ${shown.map(p => `${sec(total.get(p))} (GC ${sec(gc.get(p))})`).join(' | ')} |`,
  ].join('\n');
}

/** The samples taken in [from, to): node id, time stamp and the time until the next sample (µs). */
function* samplesIn(prof: CpuProfile, from: number, to: number): Generator<{ id: number; t: number; dt: number }> {
  let t = prof.startTime;
  for (let i = 0; i < prof.samples.length; i++) {
    t += prof.timeDeltas[i];
    if (t >= from && t < to) yield { id: prof.samples[i], t, dt: prof.timeDeltas[i + 1] ?? 0 };
  }
}
