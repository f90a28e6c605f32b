import * as path from 'path';
import { objectChanges } from './diff';
import { closingLines, LedgerChangeOptions, LedgerChangeResult, ledgerNotRead, runnerOf, synthesizeWithLedger } from './ledger-change';
import { synthesize } from './synthesize';
import { isImageOf, isImageReference } from '../model/checks';
import { ReleaseLedger } from '../model/ledger';

/** Options of a release. @internal */
export interface ReleaseOptions extends LedgerChangeOptions {
  readonly project: string;
  readonly component: string;
  /** The build's output: `<repository>:<tag>@sha256:<digest>`. */
  readonly image: string;
}

/**
 * Records a build's output in the release ledger: pins `image` for the component in its
 * pipeline's first environment, after checking that the component is built by a build plane, that
 * the image is a valid reference of its build repository and that it carries a digest (an
 * immutable build output, not a movable tag). Re-synthesizes and reports what changes there.
 * Refuses apps that do not read the ledger. Refusals leave the ledger untouched. Later environments get the release with `promote`. @internal
 */
export function release(o: ReleaseOptions): LedgerChangeResult {
  const refuse = (why: string): LedgerChangeResult => ({ ok: false, report: `release refused: ${why}` });
  const key = `${o.project}/${o.component}`;
  if (!isImageReference(o.image)) {
    return refuse(`'${o.image}' is not a valid image reference (pass the build's 'image' output, <repository>:<tag>@sha256:<digest>)`);
  }
  const before = synthesize(runnerOf(o), 'before');
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
  const unread = ledgerNotRead(o, before, ledger);
  if (unread) return refuse(unread);
  const current = ledger.pinOf(env, o.project, o.component)?.image;
  const lines = [`Release ${key} → ${env}`];
  if (current === o.image) {
    lines.push(`Nothing to release: '${env}' already runs ${o.image}.`);
    return { ok: true, report: lines.join('\n') };
  }
  lines.push(`  ${key}: ${current ?? '(none)'} → ${o.image}`);

  const pin = { environment: env, project: o.project, component: o.component, image: o.image };
  const after = synthesizeWithLedger(o, ledgerFile, ledger.withPin(env, o.project, o.component, o.image), [pin]);
  if (typeof after === 'string') return refuse(after);

  lines.push(`Changes in ${env} (rendered objects):`);
  lines.push(...objectChanges([[org.objects[env], after.find(a => a.organization === org.organization)?.objects[env]]], o.diff));
  const next = Object.entries(org.environments)
    .filter(([, e]) => e.projects[o.project]?.promotedFrom.includes(env))
    .map(([name]) => name).sort();
  if (next.length > 0) {
    lines.push(`Next: ${next.map(t => `npx cdk8s-openchoreo promote --from ${env} --to ${t} --project ${o.project} --component ${o.component}`).join(' ; ')}`);
  }
  const closing = closingLines(o);
  if (closing instanceof Error) return { ok: false, report: [...lines, closing.message].join('\n') };
  return { ok: true, report: [...lines, ...closing].join('\n') };
}
