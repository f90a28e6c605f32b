/**
 * The `bound` variant's stubs: connectivity evaluation, access evaluation and every report renderer return
 * nothing, so that the synth measures only what has to run on the main thread (declaration, fingerprint, resolve,
 * render, identities, policy, grouping, YAML, write). That is the least any design moving those phases to
 * another thread could take, before the cost of handing them their inputs. The tree it writes lacks the reports.
 */
import { moduleExporting } from './phases';

interface Stub { readonly module: string; readonly fn: string; readonly result: () => unknown }

const STUBS: readonly Stub[] = [
  { module: 'report/connectivity-report', fn: 'connectivityOf', result: () => ({}) },
  { module: 'report/access-report', fn: 'accessOf', result: () => ({}) },
  ...[
    ['report/connectivity-pages', 'renderConnectivityReports'],
    ['report/access-pages', 'renderAccessReports'],
    ['render/environment-readme', 'renderEnvironmentReadmes'],
    ['render/organization-readme', 'renderOrganizationReadmes'],
    ['report/capacity', 'renderCapacityReports'],
    ['policy/policy-report', 'renderPolicyReports'],
  ].map(([module, fn]) => ({ module, fn, result: () => [] })),
  { module: 'render/platform-summary', fn: 'renderPlatformSummary', result: () => ({ file: 'platform.json', content: '' }) },
];

/** Replaces the offloadable phases of the compiled library under `srcDir`; throws if one is no longer there. */
export function stubOffloadablePhases(srcDir: string): void {
  for (const stub of STUBS) {
    const mod = moduleExporting(srcDir, stub.module, stub.fn);
    if (mod === undefined) throw new Error(`bench/offload-bound.ts: ${stub.module}#${stub.fn} not found. Fix: update the stub list`);
    mod[stub.fn] = stub.result;
  }
}
