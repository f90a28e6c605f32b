/**
 * Phase timing from outside the library: wraps exported functions of the compiled modules (which
 * TypeScript's CommonJS output reads from the module's `exports` at every call) so that each
 * phase's self time is recorded without changing what the functions return. Time is process CPU
 * time (user + sys, GC threads included), not wall time, so that a loaded machine does not skew
 * the split. A phase nested in
 * another (resolve inside renderOrganization) is subtracted from the outer one.
 *
 * The hooks name modules and functions of the library's current layout. A hook whose module or
 * function no longer exists is reported as missing (its time then counts as "other"), never an
 * error: the bench must keep running while the library's files move.
 */
import * as path from 'path';

/** The phases of a synth, in pipeline order. */
export const PHASES = [
  'declaration', 'fingerprint', 'resolve', 'render', 'identities', 'policy', 'connectivity', 'access', 'reports', 'exports', 'grouping', 'yaml',
  'write', 'warnings', 'other',
] as const;
export type Phase = typeof PHASES[number];

export interface Hook { readonly module: string; readonly fn: string; readonly phase: Phase }

/** Where each phase lives (module under src/, exported function). */
export const HOOKS: readonly Hook[] = [
  { module: 'render/platform', fn: 'renderPlan', phase: 'render' },
  { module: 'render/gitops', fn: 'renderGitOps', phase: 'render' },
  { module: 'render/customizations', fn: 'applyCustomizations', phase: 'render' },
  { module: 'policy/engine', fn: 'evaluatePolicy', phase: 'policy' },
  { module: 'resolve/resolver', fn: 'resolveOrganization', phase: 'resolve' },
  { module: 'report/connectivity-report', fn: 'connectivityOf', phase: 'connectivity' },
  { module: 'report/access-report', fn: 'accessOf', phase: 'access' },
  { module: 'report/connectivity-pages', fn: 'renderConnectivityReports', phase: 'reports' },
  { module: 'report/access-pages', fn: 'renderAccessReports', phase: 'reports' },
  { module: 'render/environment-readme', fn: 'renderEnvironmentReadmes', phase: 'reports' },
  { module: 'render/organization-readme', fn: 'renderOrganizationReadmes', phase: 'reports' },
  { module: 'render/platform-summary', fn: 'renderPlatformSummary', phase: 'reports' },
  { module: 'report/capacity', fn: 'renderCapacityReports', phase: 'reports' },
  { module: 'policy/policy-report', fn: 'renderPolicyReports', phase: 'reports' },
  { module: 'output/yaml', fn: 'toYamlDocuments', phase: 'yaml' },
  { module: 'output/writer', fn: 'writeOwnedTree', phase: 'write' },
  // Parts of what used to be "other": the re-synth cache's input fingerprint (before every synth), the identity
  // checks over the objects, the exports, the grouping of objects into files (file owners, kustomizations:
  // synthesizeFiles' self time) and the policy warnings printed after writing.
  { module: 'output/fingerprint', fn: 'inputFingerprint', phase: 'fingerprint' },
  { module: 'render/identities', fn: 'ownedObjects', phase: 'identities' },
  { module: 'render/identities', fn: 'identityProblems', phase: 'identities' },
  { module: 'render/identities', fn: 'checkIdentitiesAcross', phase: 'identities' },
  { module: 'export/exports', fn: 'renderExports', phase: 'exports' },
  { module: 'export/openchoreo/export', fn: 'renderOpenChoreoExport', phase: 'exports' },
  { module: 'synth', fn: 'synthesizeFiles', phase: 'grouping' },
  { module: 'synth', fn: 'policyWarnings', phase: 'warnings' },
];

/** Self CPU time per phase (ms) and what the hooked functions saw. */
export interface PhaseRecorder {
  readonly selfMs: Record<Phase, number>;
  /** Hooks whose module or function was not found (`module#fn`). */
  readonly missing: string[];
  /** Called with every value `writeOwnedTree` returns. */
  onWrite?: (result: { written: string[]; unchanged: string[]; removed: string[] }) => void;
  /** Called with every document list `toYamlDocuments` serializes. */
  onYaml?: (docs: any[]) => void;
}

/**
 * Installs the hooks on the compiled library under `srcDir` (e.g. bench/.build/src). Call after the
 * library is loaded and before synth.
 */
export function installPhaseHooks(srcDir: string): PhaseRecorder {
  const selfMs = Object.fromEntries(PHASES.map(p => [p, 0])) as Record<Phase, number>;
  const rec: PhaseRecorder = { selfMs, missing: [] };
  // Stack of [phase, nested time] for the calls in progress.
  const stack: Array<{ phase: Phase; nested: number }> = [];
  const cpuUs = () => { const u = process.cpuUsage(); return u.user + u.system; };
  for (const hook of HOOKS) {
    const mod = moduleExporting(srcDir, hook.module, hook.fn);
    if (mod === undefined) {
      rec.missing.push(`${hook.module}#${hook.fn}`);
      continue;
    }
    const real = mod[hook.fn];
    mod[hook.fn] = function (this: unknown, ...args: unknown[]) {
      if (hook.phase === 'yaml' && rec.onYaml) rec.onYaml(args[0] as any[]);
      const frame = { phase: hook.phase, nested: 0 };
      stack.push(frame);
      const t0 = cpuUs();
      try {
        const result = real.apply(this, args);
        if (hook.phase === 'write' && rec.onWrite) rec.onWrite(result);
        return result;
      } finally {
        const dt = cpuUs() - t0;
        stack.pop();
        selfMs[frame.phase] += (dt - frame.nested) / 1000;
        const parent = stack[stack.length - 1];
        if (parent) parent.nested += dt;
      }
    };
  }
  return rec;
}

/**
 * The compiled module `module` under `srcDir` (e.g. bench/.build/src) when it exports a function `fn` that can be
 * replaced (TypeScript's CommonJS output reads it from the module's `exports` at every call); else undefined.
 */
export function moduleExporting(srcDir: string, module: string, fn: string): any {
  let mod: any;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    mod = require(path.join(srcDir, module));
  } catch {
    return undefined;
  }
  const desc = Object.getOwnPropertyDescriptor(mod, fn);
  return typeof mod[fn] === 'function' && desc?.writable ? mod : undefined;
}
