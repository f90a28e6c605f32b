/**
 * Terraform export benchmark (`npm run bench:terraform [-- --components 1000] [--baseline]`): the
 * bench platform (bench/platform.ts: N components × 3 environments) synthesized by the core, then
 * exported with toTerraform() and written by cdktf's App.synth(). Prints wall and CPU (user + sys)
 * per phase, resources, the size of cdk.tf.json and the peak RSS. `--baseline` exports the same
 * objects the plain cdktf way (one Manifest per object holding its manifest, dependsOn references,
 * cdktf's own serializer), the prototype's design, for comparison.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { PlatformApp } from 'cdk8s-openchoreo';
import { synthesizeOrganization } from 'cdk8s-openchoreo/lib/synth';
import { App, LocalBackend, TerraformStack } from 'cdktf';
import { buildPlatform } from '../../../bench/platform';
import { escapeTemplates, resourceIdOf, toTerraform } from '../src';

interface Phase { readonly name: string; readonly wallMs: number; readonly cpuMs: number }

function measure<T>(phases: Phase[], name: string, f: () => T): T {
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  const result = f();
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  const used = process.cpuUsage(cpu);
  phases.push({ name, wallMs, cpuMs: (used.user + used.system) / 1000 });
  return result;
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? undefined : process.argv[i + 1];
}

function baselineStack(app: App, objects: any[]): void {
  const stack = new TerraformStack(app, 'bench-eu-west');
  new LocalBackend(stack, { path: 'terraform.bench-eu-west.tfstate' });
  new KubernetesProvider(stack, 'kubernetes', { configPath: '~/.kube/config', configContext: 'eu-west' });
  const namespaces = new Map<string, Manifest>();
  for (const o of [...objects].sort((a, b) => (a.kind === 'Namespace' ? 0 : 1) - (b.kind === 'Namespace' ? 0 : 1))) {
    const ns = o.metadata.namespace ? namespaces.get(o.metadata.namespace) : undefined;
    const r = new Manifest(stack, resourceIdOf(o), { manifest: escapeTemplates(o) as any, fieldManager: { name: 'cdk8s-openchoreo' }, dependsOn: ns ? [ns] : undefined });
    if (o.kind === 'Namespace') namespaces.set(o.metadata.name, r);
  }
}

const components = Number(arg('components') ?? '1000');
const baseline = process.argv.includes('--baseline');
const outdir = fs.mkdtempSync(path.join(fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir(), 'bench-terraform-'));
const phases: Phase[] = [];
try {
  const platform = measure(phases, 'declare the platform', () => buildPlatform(new PlatformApp(), { components }));
  const synthesized = measure(phases, 'core: resolve + render (synthesizeOrganization)', () => synthesizeOrganization(platform.organization));
  const app = new App({ outdir });
  const stacks = measure(phases, 'export: construct the stack (toTerraform)', () => (baseline
    ? (baselineStack(app, synthesized.dataPlaneObjects.map(o => o.manifest)), [])
    : toTerraform(app, platform.organization)));
  measure(phases, 'export: write cdk.tf.json (app.synth)', () => app.synth());
  const file = path.join(outdir, 'stacks', 'bench-eu-west', 'cdk.tf.json');
  const resources = baseline ? synthesized.dataPlaneObjects.length : stacks.reduce((n, s) => n + s.resources.size, 0);
  console.log(`${baseline ? 'baseline (plain cdktf)' : 'toTerraform'}: ${components} components, ${resources} kubernetes_manifest resources, cdk.tf.json ${(fs.statSync(file).size / 1e6).toFixed(1)} MB`);
  for (const p of phases) console.log(`  ${p.name.padEnd(52)} wall ${(p.wallMs / 1000).toFixed(2).padStart(6)} s   cpu ${(p.cpuMs / 1000).toFixed(2).padStart(6)} s`);
  const exported = phases.filter(p => p.name.startsWith('export'));
  console.log(`  ${'export total'.padEnd(52)} wall ${(exported.reduce((n, p) => n + p.wallMs, 0) / 1000).toFixed(2).padStart(6)} s   cpu ${(exported.reduce((n, p) => n + p.cpuMs, 0) / 1000).toFixed(2).padStart(6)} s`);
  console.log(`  peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB; load average ${os.loadavg().map(l => l.toFixed(1)).join(' ')}`);
} finally {
  fs.rmSync(outdir, { recursive: true, force: true });
}
