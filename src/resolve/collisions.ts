import { ARGOCD_FOLDER_FILES } from './reserved-names';
import { ProblemCollector } from '../model/errors';
import { GitOpsTool } from '../model/gitops';
import { Organization } from '../model/organization';

/** A cell as the collision checks see it. @internal */
export interface NamedCell {
  readonly namespace: string;
  readonly project: string;
  readonly environment: string;
}

/**
 * Names that join several user names with '-' must stay unique: a cell's namespace
 * (`dp-<org>-<project>-<env>-<hash>`, OpenChoreo's formula, which hashes the joined string) and the
 * Argo CD folder `gitops/argocd/<data plane>-<environment>/`. Two different pairs can join into the
 * same string (project 'a-b' in environment 'c', project 'a' in environment 'b-c'): both would
 * share one namespace or folder. Reports each clash at the later construct, naming the earlier one.
 * @internal
 */
export function checkJoinedNames(org: Organization, cells: readonly NamedCell[], problems: ProblemCollector): void {
  const projectPath = (name: string) => org.projects.find(p => p.name === name)?.node.path ?? `${org.node.path}/${name}`;
  const seen = new Map<string, NamedCell>();
  for (const cell of cells) {
    const first = seen.get(cell.namespace);
    if (!first) {
      seen.set(cell.namespace, cell);
      continue;
    }
    problems.add(projectPath(cell.project),
      `the cell of project '${cell.project}' in environment '${cell.environment}' gets namespace '${cell.namespace}', which is already the namespace of project '${first.project}' in environment '${first.environment}' (${projectPath(first.project)}): cell names join organization, project and environment with '-' before hashing, so both pairs give '${org.name}-${cell.project}-${cell.environment}' and the two tenants would share one namespace`,
      `rename project '${cell.project}' or environment '${cell.environment}' (or '${first.project}' / '${first.environment}') so that '<project>-<environment>' differs, e.g. without '-' in one of them`);
  }
  if (!org.delivery?.tools.includes(GitOpsTool.ARGO_CD)) return;
  const folders = new Map<string, string>();
  for (const env of org.environments) {
    const folder = `${env.dataPlane.name}-${env.name}`;
    const where = `gitops/argocd/${folder}`;
    if (ARGOCD_FOLDER_FILES.includes(folder)) {
      problems.add(env, `data plane '${env.dataPlane.name}' and environment '${env.name}' join into '${folder}', which the Argo CD folder uses for its own ${folder}.yaml`,
        `rename environment '${env.name}' or data plane '${env.dataPlane.name}'`);
    }
    const first = folders.get(folder);
    if (first === undefined) {
      folders.set(folder, env.node.path);
      continue;
    }
    problems.add(env, `environment '${env.name}' of data plane '${env.dataPlane.name}' gets the Argo CD folder '${where}/' and Application '${org.name}-${folder}', which environment ${first} already has ('<data plane>-<environment>' joins with '-')`,
      `rename environment '${env.name}' or data plane '${env.dataPlane.name}' so that '<data plane>-<environment>' differs from '${folder}'`);
  }
}

/**
 * Organizations of one app must have distinct names: the name is the tree's top folder, the
 * control-plane namespace and part of every cell name. @internal
 */
export function checkOrganizationNames(organizations: readonly Organization[], problems: ProblemCollector): void {
  const seen = new Map<string, Organization>();
  for (const org of organizations) {
    const first = seen.get(org.name);
    if (!first) {
      seen.set(org.name, org);
      continue;
    }
    problems.add(org, `organization name '${org.name}' is already used by ${first.node.path} in this app: both would write the folder '${org.name}/' and share its objects`,
      "give one of them a different name (the 'name' prop or the construct id)");
  }
}
