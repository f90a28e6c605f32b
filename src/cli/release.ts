import * as path from 'path';
import { objectChanges, PromoteResult, synthesize, synthesizeWithLedger } from './promote';
import { isImageOf, isImageReference } from '../model/checks';
import { ReleaseLedger } from '../model/ledger';

/** Options of a release. @internal */
export interface ReleaseOptions {
  readonly project: string;
  readonly component: string;
  /** The build's output: `<repository>:<tag>@sha256:<digest>`. */
  readonly image: string;
  /** The ledger file the app reads (relative to `cwd`). */
  readonly ledger: string;
  /** The command that synthesizes the app (honours CDK8S_OUTDIR). */
  readonly app: string;
  readonly cwd: string;
  /** Compute and print the report without changing the ledger. */
  readonly dryRun?: boolean;
}

/**
 * Records a build's output in the release ledger: pins `image` for the component in its
 * pipeline's first environment, after checking that the component is built by a build plane, that
 * the image is a valid reference of its build repository and that it carries a digest (an
 * immutable build output, not a movable tag). Re-synthesizes and reports what changes there.
 * Refusals leave the ledger untouched. Later environments get the release with `promote`. @internal
 */
export function release(o: ReleaseOptions): PromoteResult {
  const refuse = (why: string): PromoteResult => ({ ok: false, report: `release refused: ${why}` });
  const key = `${o.project}/${o.component}`;
  if (!isImageReference(o.image)) {
    return refuse(`'${o.image}' is not a valid image reference (pass the build's 'image' output, <repository>:<tag>@sha256:<digest>)`);
  }
  const before = synthesize(o, 'before');
  const owners = before.filter(org => org.builds?.[key] !== undefined);
  if (owners.length === 0) {
    const built = before.flatMap(org => Object.keys(org.builds ?? {})).sort();
    return refuse(`component '${key}' is not built by a build plane (built components: ${built.length > 0 ? built.join(', ') : 'none'}); `
      + 'give it a source to build, or pin its images with promote');
  }
  if (owners.length > 1) return refuse(`component '${key}' is built in several organizations (${owners.map(org => org.organization).join(', ')})`);
  const org = owners[0];
  const build = org.builds![key];
  if (!isImageOf(o.image, build.repository)) {
    return refuse(`'${o.image}' is not an image of ${key}'s build repository '${build.repository}' (pass the build's 'image' output)`);
  }
  if (!/@sha256:[a-f0-9]{64}$/.test(o.image)) {
    return refuse(`'${o.image}' has no digest; a release is an immutable build output: pass the build's 'image' output (${build.repository}:<tag>@sha256:<digest>)`);
  }
  const env = build.releaseEnvironment;
  if (!env) return refuse(`the pipeline of project '${o.project}' has no first environment to release into`);

  const ledgerFile = path.resolve(o.cwd, o.ledger);
  const ledger = ReleaseLedger.fromFile(ledgerFile);
  const current = ledger.pinOf(env, o.project, o.component)?.image;
  const lines = [`Release ${key} → ${env}`];
  if (current === o.image) {
    lines.push(`Nothing to release: '${env}' already runs ${o.image}.`);
    return { ok: true, report: lines.join('\n') };
  }
  lines.push(`  ${key}: ${current ?? '(none)'} → ${o.image}`);

  const after = synthesizeWithLedger(o, ledgerFile, ledger.withPin(env, o.project, o.component, o.image));
  if (after instanceof Error) return refuse(after.message);

  lines.push(`Changes in ${env} (rendered objects):`);
  lines.push(...objectChanges([[org.objects[env], after.find(a => a.organization === org.organization)?.objects[env]]]));
  const next = Object.entries(org.environments)
    .filter(([, e]) => e.projects[o.project]?.promotedFrom.includes(env))
    .map(([name]) => name).sort();
  if (next.length > 0) {
    lines.push(`Next: ${next.map(t => `npx cdk8s-openchoreo promote --from ${env} --to ${t} --project ${o.project} --component ${o.component}`).join(' ; ')}`);
  }
  lines.push(o.dryRun ? `Dry run: ${o.ledger} is unchanged.` : `Ledger updated: ${o.ledger}`);
  return { ok: true, report: lines.join('\n') };
}
