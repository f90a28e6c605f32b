import type { PolicyEvaluation } from './engine';
import { PolicySeverity } from '../model/policy';

type Writer = (text: string) => void;
const stderr: Writer = text => process.stderr.write(text);
let writer: Writer = stderr;

/** Redirects the printed policy warnings (tests); no argument restores stderr. @internal */
export function _setPolicyWarningWriter(w?: Writer): void {
  writer = w ?? stderr;
}

/** At most this many warnings are printed one by one; policy.md lists them all. */
const PRINTED = 20;

/**
 * Prints an organization's unsuppressed policy warnings to stderr: `PlatformApp.synth()` calls it
 * once per synthesis (the data APIs, `toJson()` and `synthFiles()`, print nothing). @internal
 */
export function printPolicyWarnings(organization: string, evaluation: PolicyEvaluation): void {
  writePolicyWarnings(formatPolicyWarnings(organization, evaluation));
}

/** The text `printPolicyWarnings` prints; empty when there is no unsuppressed warning. @internal */
export function formatPolicyWarnings(organization: string, evaluation: PolicyEvaluation): string {
  const warnings = evaluation.findings.filter(f => f.severity === PolicySeverity.WARNING && !f.suppressed);
  if (warnings.length === 0) return '';
  const lines = [`cdk8s-openchoreo: organization '${organization}': ${warnings.length} policy warning${warnings.length === 1 ? '' : 's'} (pack ${evaluation.pack}), listed in each environment's policy.md:`];
  for (const w of warnings.slice(0, PRINTED)) lines.push(`  - [${w.path}] ${w.ruleId}: ${w.object}${w.environment ? ` in '${w.environment}'` : ''}: ${w.message}. Fix: ${w.fix}`);
  if (warnings.length > PRINTED) lines.push(`  … and ${warnings.length - PRINTED} more`);
  return `${lines.join('\n')}\n`;
}

/** Prints warnings text made by `formatPolicyWarnings` (nothing when empty). @internal */
export function writePolicyWarnings(text: string): void {
  if (text) writer(text);
}
