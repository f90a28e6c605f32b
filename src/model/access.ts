import { Construct, IConstruct } from 'constructs';
import { checkGroupName } from './access-names';
import { checkDnsLabel } from './checks';
import { Environment } from './environment';
import { fail } from './errors';
import { Organization } from './organization';
import { Project } from './project';
import { checkBoolean } from './runtime-types';

/**
 * One thing a role may do, with the same meaning in every layer the organization is delivered
 * with: Kubernetes RBAC in the cells, Argo CD project roles and Flux Kustomizations.
 * @see https://kubernetes.io/docs/reference/access-authn-authz/rbac/
 * @see https://argo-cd.readthedocs.io/en/stable/operator-manual/rbac/
 */
export enum AccessCapability {
  /**
   * See the project's objects: Kubernetes get/list/watch on workloads, pods, services, config
   * maps, routes, policies, autoscalers, events (never Secrets); Argo CD `applications, get`;
   * Flux get/list/watch on the project's Kustomizations.
   */
  READ = 'read',
  /** Read container logs: Kubernetes `pods/log` get; Argo CD `logs, get`. */
  LOGS = 'logs',
  /**
   * Deploy what Git holds: Argo CD `applications, sync`; Flux patch on the project's
   * Kustomizations (reconcile now, suspend, resume). No Kubernetes permission: deploying goes
   * through the GitOps controllers.
   */
  DEPLOY = 'deploy',
  /**
   * Restart workloads: Kubernetes delete on pods; Argo CD the `restart` actions of apps
   * workloads and deleting a Pod of the application.
   */
  RESTART = 'restart',
  /**
   * Open a shell in a container: Kubernetes `pods/exec` and `pods/attach` create; Argo CD
   * `exec, create` (the web terminal, when Argo CD enables it). A shell sees what the container
   * sees, its secrets included.
   */
  EXEC = 'exec',
  /** Forward a local port to a pod (Kubernetes `pods/portforward` create), past the network policies. */
  PORT_FORWARD = 'port-forward',
  /** Read Secret values: Kubernetes get/list/watch on `secrets`. */
  READ_SECRETS = 'read-secrets',
  /**
   * Change the project's objects outside Git: Kubernetes create/update/patch/delete on the
   * kinds READ covers (not Secrets, not RBAC); Argo CD `applications` update, delete, override
   * and every resource action.
   */
  EDIT = 'edit',
}

/** Every capability, in the order reports list them. @internal */
export const CAPABILITY_ORDER: readonly AccessCapability[] = [
  AccessCapability.READ,
  AccessCapability.LOGS,
  AccessCapability.DEPLOY,
  AccessCapability.RESTART,
  AccessCapability.EXEC,
  AccessCapability.PORT_FORWARD,
  AccessCapability.READ_SECRETS,
  AccessCapability.EDIT,
];

/** The capabilities a role restricted in production keeps there. @internal */
export const PRODUCTION_READ_ONLY: readonly AccessCapability[] = [AccessCapability.READ, AccessCapability.LOGS];

/** A role that grants can name: a built-in role, a {@link CustomRole}, or a reference by name. */
export interface IAccessRole {
  /** The role's name, unique in its organization. */
  readonly roleName: string;
}

/** A built-in role's definition. @internal */
export interface BuiltInRoleDefinition {
  readonly capabilities: readonly AccessCapability[];
  readonly restrictedInProduction: boolean;
  readonly description: string;
}

/** The built-in roles, by name. @internal */
export const BUILT_IN_ROLES: Readonly<Record<string, BuiltInRoleDefinition>> = {
  admin: {
    capabilities: CAPABILITY_ORDER,
    restrictedInProduction: false,
    description: 'Everything, everywhere it is granted: read, logs, deploy, restart, exec, port-forward, read secrets and edit outside Git',
  },
  developer: {
    capabilities: [AccessCapability.READ, AccessCapability.LOGS, AccessCapability.DEPLOY, AccessCapability.RESTART, AccessCapability.EXEC],
    restrictedInProduction: true,
    description: 'Read, logs, deploy, restart and exec; in production read and logs only, unless the grant names the production environment',
  },
  viewer: {
    capabilities: [AccessCapability.READ],
    restrictedInProduction: true,
    description: 'Read the project\'s objects and delivery state; never Secrets, logs or shells',
  },
};

/**
 * A role of the organization, to grant with an {@link AccessGrant}: one of the built-in roles
 * (`AccessRole.ADMIN`, `AccessRole.DEVELOPER`, `AccessRole.VIEWER`), or a {@link CustomRole}
 * referenced by name with `AccessRole.fromName()`. The built-in roles follow OpenChoreo's default
 * roles (admin, developer and a read-only role).
 * @see https://openchoreo.dev/docs/operations/authorization/
 */
export class AccessRole implements IAccessRole {
  /** Every capability in every environment it is granted in, production included. */
  public static readonly ADMIN = new AccessRole('admin');
  /**
   * READ, LOGS, DEPLOY, RESTART and EXEC; in a production environment READ and LOGS only, unless
   * the grant names that environment.
   */
  public static readonly DEVELOPER = new AccessRole('developer');
  /** READ only. */
  public static readonly VIEWER = new AccessRole('viewer');

  /**
   * A role by name: a built-in role or a {@link CustomRole} of the organization. A name that is
   * neither is reported when the organization is synthesized.
   */
  public static fromName(name: string): IAccessRole {
    return new AccessRole(name);
  }

  /** The role's name. */
  public readonly roleName: string;

  private constructor(roleName: string) {
    this.roleName = roleName;
  }
}

/** Properties of a {@link CustomRole}. */
export interface CustomRoleProps {
  /**
   * The role's name: a DNS label, not one of the built-in names and not ending in `-read-only`.
   * @default - the construct id
   */
  readonly name?: string;
  /** What the role may do (at least one capability). */
  readonly capabilities: AccessCapability[];
  /**
   * Whether the role keeps only READ and LOGS in production environments, except where a grant
   * names the production environment explicitly.
   * @default true
   */
  readonly restrictedInProduction?: boolean;
  /**
   * What the role is for, shown in the Argo CD project roles.
   * @default - a list of its capabilities
   */
  readonly description?: string;
}

/**
 * An organization-specific role: a named set of capabilities, granted like the built-in roles.
 * A construct (rather than a plain value) so that its name is unique in the organization and
 * every mistake is reported at its construct path.
 */
export class CustomRole extends Construct implements IAccessRole {
  /** The organization this role belongs to. */
  public readonly organization: Organization;
  /** The role's name. */
  public readonly roleName: string;
  /** Its capabilities, in report order. */
  public readonly capabilities: AccessCapability[];
  /** Whether it keeps only READ and LOGS in production unless a grant names the environment. */
  public readonly restrictedInProduction: boolean;
  /** What the role is for. */
  public readonly description: string;

  constructor(scope: Construct, id: string, props: CustomRoleProps) {
    super(scope, id);
    this.organization = Organization.ofConstruct(this);
    const name = checkDnsLabel(this, 'role name', props.name ?? id, 40);
    if (BUILT_IN_ROLES[name]) {
      fail(this, `custom role name '${name}' is the name of a built-in role`,
        `grant the built-in role with AccessRole.${name.toUpperCase()}, or give the custom role another name such as 'team-${name}'`);
    }
    if (name.endsWith('-read-only')) {
      fail(this, `custom role name '${name}' ends in '-read-only', which names the production variant of roles`,
        `choose a name without that suffix, e.g. '${name.replace(/-read-only$/, '-reader')}'`);
    }
    this.roleName = name;
    const capabilities = props.capabilities ?? [];
    if (!Array.isArray(capabilities) || capabilities.length === 0) {
      fail(this, `custom role '${name}' has no capabilities`, 'list at least one, e.g. capabilities: [AccessCapability.READ, AccessCapability.LOGS]');
    }
    for (const c of capabilities) {
      if (!CAPABILITY_ORDER.includes(c)) {
        fail(this, `custom role '${name}' lists capability '${c}', which is unknown`, `use AccessCapability values: ${CAPABILITY_ORDER.join(', ')}`);
      }
    }
    this.capabilities = CAPABILITY_ORDER.filter(c => capabilities.includes(c));
    this.restrictedInProduction = checkBoolean(this, 'restrictedInProduction', props.restrictedInProduction) ?? true;
    this.description = props.description ?? `Custom role ${name}: ${this.capabilities.join(', ')}`;
    if (/[\r\n"]/.test(this.description)) {
      fail(this, `description of custom role '${name}' contains a line break or a double quote`, 'write the description on one line without double quotes');
    }
    this.organization._register('CustomRole', name, this);
  }
}

/** Properties of an {@link AccessGrant}. */
export interface AccessGrantProps {
  /**
   * Identity-provider groups (the `groups` claim of their tokens) that receive the role, as
   * Argo CD sees them; Kubernetes sees them with the data plane's `kubernetesGroupPrefix`.
   */
  readonly groups: string[];
  /** The role granted. */
  readonly role: IAccessRole;
  /**
   * The project the grant is limited to.
   * @default - every project of the organization
   */
  readonly project?: Project;
  /**
   * The environment the grant is limited to. Naming a production environment here is what lifts
   * the production restriction of roles such as DEVELOPER: only such a grant gives them more
   * than READ and LOGS there.
   * @default - every environment (production ones restricted for roles restricted in production)
   */
  readonly environment?: Environment;
}

/**
 * Grants a role to identity-provider groups, in the whole organization, one project, one
 * environment, or one project in one environment. Every component of the covered cells is
 * access-controlled by it in every layer: RoleBindings in the cells (Kubernetes), project roles
 * of the project's Argo CD AppProject, and Roles on the project's Flux Kustomizations.
 * @see https://kubernetes.io/docs/reference/access-authn-authz/rbac/
 * @see https://argo-cd.readthedocs.io/en/stable/user-guide/projects/#project-roles
 */
export class AccessGrant extends Construct {
  /** Whether `x` is an AccessGrant. */
  public static isAccessGrant(x: any): x is AccessGrant {
    return x instanceof AccessGrant;
  }

  /** The organization the grant belongs to. */
  public readonly organization: Organization;
  /** The groups, sorted. */
  public readonly groups: string[];
  /** The role granted. */
  public readonly role: IAccessRole;
  /** The project it is limited to, if any. */
  public readonly project?: Project;
  /** The environment it is limited to, if any. */
  public readonly environment?: Environment;

  constructor(scope: Construct, id: string, props: AccessGrantProps) {
    super(scope, id);
    this.organization = Organization.ofConstruct(this);
    const org = this.organization;
    if (!props.role || typeof props.role.roleName !== 'string') {
      fail(this, `role '${props.role}' is not a role`, 'use AccessRole.ADMIN, AccessRole.DEVELOPER, AccessRole.VIEWER, a CustomRole or AccessRole.fromName(name)');
    }
    if (props.role instanceof CustomRole && props.role.organization !== org) {
      fail(this, `role '${props.role.roleName}' (${props.role.node.path}) is a custom role of organization '${props.role.organization.name}', not of '${org.name}'`,
        `declare the CustomRole in organization '${org.name}'`);
    }
    this.role = props.role;
    if (props.project !== undefined && (!(props.project instanceof Project) || props.project.organization !== org)) {
      fail(this, `project ${describe(props.project)} is not a project of organization '${org.name}'`,
        `grant access to a project declared in organization '${org.name}', or leave 'project' out to cover all of them`);
    }
    if (props.environment !== undefined && (!(props.environment instanceof Environment) || props.environment.organization !== org)) {
      fail(this, `environment ${describe(props.environment)} is not an environment of organization '${org.name}'`,
        `grant access to an environment declared in organization '${org.name}', or leave 'environment' out to cover all of them`);
    }
    this.project = props.project;
    this.environment = props.environment;
    const groups = props.groups ?? [];
    if (!Array.isArray(groups) || groups.length === 0) {
      fail(this, 'groups is empty', "list the identity-provider groups that receive the role, e.g. groups: ['payments-developers']");
    }
    const seen = new Set<string>();
    for (const g of groups) {
      checkGroupName(this, g);
      if (seen.has(g)) fail(this, `group '${g}' is listed twice`, 'list each group once');
      seen.add(g);
    }
    this.groups = [...groups].sort();
    org._changed();
  }
}

function describe(x: IConstruct | undefined): string {
  if (x && typeof (x as any).node?.path === 'string') return `'${(x as any).name ?? x.node.id}' (${x.node.path})`;
  return `'${String(x)}'`;
}
