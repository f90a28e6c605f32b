import { DraftCell } from './network';
import { checkImage } from '../model/component';
import { ProblemCollector } from '../model/errors';
import { Organization } from '../model/organization';

/**
 * Checks the release ledger against the model and the pipelines: every pin names a known
 * environment and component deployed there, is a valid image, and ran in one of the environments
 * its environment is promoted from (as their current or a previous release). Pins of a project
 * whose pipeline is invalid (`unresolved`, already reported) are not checked: without a pipeline
 * the project is deployed nowhere, and each pin would only repeat that. @internal
 */
export function checkReleases(
  org: Organization, cells: DraftCell[], problems: ProblemCollector, unresolved: (project: string) => boolean = () => false,
): void {
  const ledger = org.releases;
  if (!ledger) return;
  const ran = new Map<string, Set<string>>(); // `${env}/${project}/${component}` → images that ran there
  const cellOf = new Map<string, DraftCell>();
  for (const cell of cells) {
    cellOf.set(`${cell.environment}/${cell.project}`, cell);
    for (const c of cell.components) {
      const pin = ledger.pinOf(cell.environment, cell.project, c.name);
      ran.set(`${cell.environment}/${cell.project}/${c.name}`, new Set([c.image, ...(pin?.previous ?? [])]));
    }
  }
  const where = `${org.node.path} (release ledger ${ledger.source})`;
  for (const env of ledger.environments) {
    if (!org.environments.some(e => e.name === env)) {
      problems.add(where, `the ledger pins releases in unknown environment '${env}'`, `use one of: ${org.environments.map(e => e.name).join(', ')}`);
      continue;
    }
    for (const key of ledger.componentsIn(env)) {
      const [project, component] = key.split('/');
      if (unresolved(project)) continue;
      const cell = cellOf.get(`${env}/${project}`);
      const c = cell?.components.find(x => x.name === component);
      if (!cell || !c) {
        problems.add(where, `the ledger pins '${key}' in '${env}', but no such component is deployed there`, `remove the entry, or declare component '${component}' in project '${project}'`);
        continue;
      }
      const image = ledger.pinOf(env, project, component)!.image;
      try {
        checkImage(org, image);
      } catch (e) {
        problems.add(c.path, `the ledger pins '${image}' in '${env}', which is not a valid image reference`, 'pin an image such as registry/repository:tag');
        continue;
      }
      if (cell.promotedFrom.length === 0) continue; // the pipeline's root takes any release
      const sources = cell.promotedFrom.filter(s => ran.get(`${s}/${project}/${component}`)?.has(image));
      if (sources.length === 0) {
        problems.add(c.path, `release '${image}' is pinned in '${env}' but never ran in ${cell.promotedFrom.map(s => `'${s}'`).join(' or ')}, where '${env}' is promoted from`,
          `promote it along the pipeline: npx cdk8s-openchoreo promote --from ${cell.promotedFrom[0]} --to ${env} --project ${project} --component ${component}`);
      }
    }
  }
}
