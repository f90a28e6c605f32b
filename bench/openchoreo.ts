/**
 * OpenChoreo export benchmark: the bench platform (bench/platform.ts) at 1,000 components × 3
 * environments, exported as OpenChoreo CRs (plan → CRs → YAML), in this process:
 *
 *   npx tsc -p bench/tsconfig.json && node bench/.build/bench/openchoreo.js [--components 1000]
 *
 * Prints objects, bytes, and wall and CPU (user + sys) of the plan (resolve) and of the export
 * (CR objects and their YAML), each the best of 3 runs.
 */
import { buildPlatform } from './platform';
import { OpenChoreoExport, PlatformApp } from '../src';
import { toYamlDocuments } from '../src/output/yaml';
import { resolveOrganization } from '../src/resolve/resolver';

const arg = process.argv.indexOf('--components');
const components = arg < 0 ? 1000 : Number(process.argv[arg + 1]);

function measure<T>(fn: () => T): { result: T; wallMs: number; cpuMs: number } {
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  const result = fn();
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  const used = process.cpuUsage(cpu);
  return { result, wallMs, cpuMs: (used.user + used.system) / 1000 };
}

const app = new PlatformApp({ outdir: '/tmp/openchoreo-bench-unused' });
const built = buildPlatform(app, { components });
const exporter = new OpenChoreoExport(built.organization, 'openchoreo');
const best = <T>(runs: Array<{ result: T; wallMs: number; cpuMs: number }>) => runs.sort((a, b) => a.wallMs - b.wallMs)[0];
const plan = best([0, 1, 2].map(() => measure(() => resolveOrganization(built.organization))));
const exported = best([0, 1, 2].map(() => measure(() => {
  const rendered = exporter._render(plan.result);
  return rendered.objects.map(o => toYamlDocuments([o.manifest]));
})));
const bytes = exported.result.reduce((n, s) => n + Buffer.byteLength(s), 0);
process.stdout.write(`${built.components} components × ${built.environments} environments: ${exported.result.length} CRs, ${(bytes / 1024 / 1024).toFixed(1)} MB\n`
  + `resolve (plan): wall ${plan.wallMs.toFixed(0)} ms, CPU ${plan.cpuMs.toFixed(0)} ms\n`
  + `export (CRs + YAML): wall ${exported.wallMs.toFixed(0)} ms, CPU ${exported.cpuMs.toFixed(0)} ms\n`);
