/**
 * Memory by synthesis stage (issue #15, peak memory): builds the bench platform and steps through
 * src/synth.ts's stages one by one, printing after each the live heap (heapUsed after a full GC),
 * what the stage added, and the process's peak RSS so far.
 *
 *   npx tsc -p bench/tsconfig.json && node --expose-gc bench/.build/bench/memory.js [--components 3000] [--snapshot STAGE]
 *
 * --snapshot writes a V8 heap snapshot after that stage (a file in the working directory, ~110 bytes
 * per live heap byte); to see which stage's garbage drives the heap's size, add `--trace-gc`.
 * Live heap is what a stage keeps; peak RSS follows it times V8's heap growth factor (1.1–4, higher
 * when the collector keeps up with allocation), so the same live heap peaks differently under load.
 */
import * as v8 from 'v8';
import { buildPlatform } from './platform';
import { PlatformApp } from '../src';
import { renderExports } from '../src/export/exports';
import { evaluatePolicy } from '../src/policy/engine';
import { renderPolicyReports } from '../src/policy/policy-report';
import { applyCustomizations } from '../src/render/customizations';
import { renderEnvironmentReadmes } from '../src/render/environment-readme';
import { renderGitOps } from '../src/render/gitops';
import { identityProblems, ownedObjects } from '../src/render/identities';
import { renderOrganizationReadmes } from '../src/render/organization-readme';
import { renderPlan } from '../src/render/platform';
import { renderPlatformSummary } from '../src/render/platform-summary';
import { renderAccessReports } from '../src/report/access-pages';
import { accessOf } from '../src/report/access-report';
import { renderCapacityReports } from '../src/report/capacity';
import { renderConnectivityReports } from '../src/report/connectivity-pages';
import { connectivityOf } from '../src/report/connectivity-report';
import { resolveOrganization } from '../src/resolve/resolver';

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with node --expose-gc');
const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? undefined : process.argv[i + 1];
};
const components = Number(arg('components') ?? '3000');
const snapshotAt = arg('snapshot');

const MiB = (bytes: number) => Math.round(bytes / 1048576);
let last = 0;
function stage(name: string): void {
  gc!();
  const live = MiB(process.memoryUsage().heapUsed);
  const peakRss = MiB(process.resourceUsage().maxRSS * 1024);
  console.log(`${name.padEnd(22)} live heap ${String(live).padStart(6)} MiB (${live - last >= 0 ? '+' : ''}${live - last})   peak RSS so far ${peakRss} MiB`);
  last = live;
  if (snapshotAt === name) console.log(`  heap snapshot: ${v8.writeHeapSnapshot()}`);
}

stage('start');
const app = new PlatformApp({ outdir: 'unused' });
const org = buildPlatform(app, { components }).organization;
stage('declaration');
// The steps of renderObjects and synthesizeOrganization (src/synth.ts), each result kept as the cache keeps it.
const plan = resolveOrganization(org);
stage('resolve');
const rendered = renderPlan(plan);
stage('render');
const { objects: cellObjects, customized } = applyCustomizations(org, plan, rendered);
const objects = [...cellObjects, ...renderGitOps(plan, cellObjects)];
stage('customize+gitops');
let owned: ReturnType<typeof ownedObjects> | undefined = ownedObjects(org, plan, objects);
if (identityProblems(owned).length > 0) throw new Error('identity clashes');
stage('owners+identities');
const policy = evaluatePolicy(org, plan, objects, owned);
owned = undefined; // renderObjects drops the owners when it returns
stage('policy');
const connectivity = connectivityOf(plan, cellObjects);
stage('connectivity');
const access = accessOf(plan, objects);
stage('access');
const documents = [
  ...renderConnectivityReports(connectivity), ...renderAccessReports(access), ...renderEnvironmentReadmes(plan, customized),
  ...renderOrganizationReadmes(plan), ...renderCapacityReports(plan), renderPlatformSummary(plan), ...renderPolicyReports(plan, policy),
];
stage('documents');
const exported = renderExports(org, plan);
stage('exports');
const chars = documents.reduce((n, d) => n + d.content.length, 0);
// Read last, so that the engine keeps alive to the end what the organization's synthesis cache keeps.
console.log(`${components} components: ${objects.length} objects, ${documents.length} documents (${(chars / 1e6).toFixed(1)} M chars), `
  + `${exported.length} export files, ${policy.findings.length} policy findings, ${connectivity.length + access.length} environment reports, ${plan.cells.length} cells`);
