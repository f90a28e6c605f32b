import { IConstruct } from 'constructs';
import { ProblemCollector } from '../model/errors';
import { Organization } from '../model/organization';

/** Which user-given names share a folder of the output tree with the tree's own files and folders. @internal */
export type NamedLevel = 'data plane' | 'environment' | 'project' | 'component';

/** A name the output tree uses itself, and the folder level where a user name would meet it. @internal */
export interface ReservedName {
  /** The name, as a folder name or a file name without its extension. */
  readonly name: string;
  /** The kinds of user names that sit next to it (or join into its name). */
  readonly reservedFor: readonly NamedLevel[];
  /** What the tree uses it for. */
  readonly usedFor: string;
}

/**
 * Every folder and file name the tree uses itself next to user names (see src/output/layout.ts,
 * src/render/directories.ts and the renderers' document names). A user name equal to one of them
 * would overwrite or merge into it: `<org>/<data plane>/…`, `<data plane>/<environment>/…`,
 * `<environment>/<project>/…`, `<project>/<component>.yaml` and `flux-tenants/<project>.yaml`.
 * Object names that join a component's name are listed too ('cell'). A test checks that it holds
 * every fixed name of a synthesized tree. @internal
 */
export const RESERVED_NAMES: readonly ReservedName[] = [
  { name: 'kustomization', reservedFor: ['data plane', 'environment', 'project', 'component'], usedFor: "every folder's kustomization.yaml" },
  { name: 'gitops', reservedFor: ['data plane'], usedFor: "the organization's gitops/ folder (Argo CD applications)" },
  { name: 'platform', reservedFor: ['data plane', 'environment', 'project'], usedFor: "the organization's platform.json, each data plane's platform/ folder and the Argo CD AppProject '<organization>-platform'" },
  { name: 'exports', reservedFor: ['data plane'], usedFor: "the organization's exports/ folder (the Backstage catalog and the OpenChoreo control-plane export, outside the GitOps tree)" },
  { name: 'extra-objects', reservedFor: ['data plane'], usedFor: "the organization's extra-objects.yaml (objects added to the chart directly)" },
  { name: 'flux-system', reservedFor: ['environment'], usedFor: "each data plane's flux-system/ folder (Flux bootstrap objects)" },
  { name: 'flux-tenants', reservedFor: ['environment'], usedFor: "each data plane's flux-tenants/ folder (the Flux tenants' RoleBindings)" },
  { name: 'readme', reservedFor: ['data plane', 'project', 'component'], usedFor: "the organization's, each environment's and each project's README.md (a folder or file of the same name differs only in case and extension)" },
  { name: 'access', reservedFor: ['project', 'component'], usedFor: "each environment's and each project's access.md and each cell's access.yaml (RoleBindings)" },
  { name: 'connectivity', reservedFor: ['project', 'component'], usedFor: "each environment's and each project's connectivity.md" },
  { name: 'policy', reservedFor: ['project'], usedFor: "each environment's policy.md (the policy pack's rules, warnings and suppressions)" },
  { name: 'namespace', reservedFor: ['component'], usedFor: "each cell's namespace.yaml" },
  { name: 'network-baseline', reservedFor: ['component'], usedFor: "each cell's network-baseline.yaml (default-deny policies)" },
  { name: 'observability', reservedFor: ['component'], usedFor: "each cell's observability.yaml (instrumentation and rules)" },
  { name: 'quota', reservedFor: ['component'], usedFor: "each cell's quota.yaml (ResourceQuota and LimitRange)" },
  { name: 'capacity', reservedFor: ['environment'], usedFor: "each data plane's capacity.md" },
  { name: 'cell', reservedFor: ['component'], usedFor: "each cell's PrometheusRule 'openchoreo-cell' (a component's is 'openchoreo-<component>')" },
];

/** The names the Argo CD folder `gitops/argocd/` holds beside its `<data plane>-<environment>/` folders. @internal */
export const ARGOCD_FOLDER_FILES: readonly string[] = ['kustomization', 'projects', 'root-applications'];

/**
 * Refuses data plane, environment, project and component names that the output tree uses itself.
 * @internal
 */
export function checkReservedNames(org: Organization, problems: ProblemCollector): void {
  const check = (level: NamedLevel, scope: IConstruct, name: string) => {
    const reserved = RESERVED_NAMES.find(r => r.name === name.toLowerCase() && r.reservedFor.includes(level));
    if (!reserved) return;
    problems.add(scope, `${level} name '${name}' is reserved: the output tree uses it for ${reserved.usedFor}, so the ${level}'s files would overwrite or merge into it`,
      `give the ${level} another name (the 'name' prop or the construct id), e.g. '${name}-1'`);
  };
  for (const dp of org.dataPlanes) check('data plane', dp, dp.name);
  for (const env of org.environments) check('environment', env, env.name);
  for (const project of org.projects) {
    check('project', project, project.name);
    for (const c of project.components) check('component', c, c.name);
  }
}
