import { Chart, JsonPatch } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import type { BuildPlane } from './build';
import { checkDnsLabel, checkResourceFields, withResourceDefaults } from './checks';
import type { Component } from './component';
import type { ComponentType } from './component-type';
import type { DataPlane } from './data-plane';
import type { DeploymentPipeline } from './deployment-pipeline';
import type { Environment } from './environment';
import { fail } from './errors';
import { checkExportFormats, checkOwnerRef, ExportFormat } from './exports';
import type { ExternalService } from './external-service';
import type { GitOpsDelivery } from './gitops';
import { ReleaseLedger } from './ledger';
import { IsolationMode } from './network';
import { ResourceRequirements } from './options';
import { checkSuppression, OrganizationPolicySuppressionOptions, PolicyPack, PolicySuppressionDeclaration } from './policy';
import { checkAllowedRegistries } from './policy-registries';
import type { Project } from './project';
import { checkBoolean, checkEnum } from './runtime-types';

/**
 * Turns an organization into its Kubernetes objects. The model does not import the layers above
 * it (resolve, render, report, output): `src/synth.ts` installs the pipeline when it loads, and the
 * package root loads it. @internal
 */
export type OrganizationSynthesizer = (org: Organization) => any[];

let synthesizer: OrganizationSynthesizer | undefined;

/** Installs the synthesis pipeline (called once, by `src/synth.ts`). @internal */
export function _useSynthesizer(fn: OrganizationSynthesizer): void {
  synthesizer = fn;
}

/** Marks organizations (also across copies of the library). */
const ORGANIZATION = Symbol.for('cdk8s-openchoreo.Organization');

/** Properties of an {@link Organization}. */
export interface OrganizationProps {
  /**
   * The organization's name: OpenChoreo's control-plane namespace, used in cell names and in the
   * `openchoreo.dev/namespace` label.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Human-readable name, kept as the `openchoreo.dev/display-name` annotation.
   * @default - none
   */
  readonly displayName?: string;
  /**
   * Container resources for every component that sets none (environments may override).
   * @default - requests and limits of 100m CPU and 256Mi memory, as OpenChoreo's default component types
   */
  readonly defaultResources?: ResourceRequirements;
  /**
   * How widely endpoints are reachable: only declared dependencies, or OpenChoreo's visibility rules.
   * @default IsolationMode.LEAST_PRIVILEGE
   */
  readonly isolation?: IsolationMode;
  /**
   * The release ledger pinning each component's image per environment.
   * @default - no ledger: images come from the components and their environment overrides
   */
  readonly releases?: ReleaseLedger;
  /**
   * The policy rules every synthesis runs over the rendered objects.
   * @default PolicyPack.recommended()
   */
  readonly policyPack?: PolicyPack;
  /**
   * Registries (and repository prefixes) images may come from, e.g. `['ghcr.io/acme', 'registry.acme.example']`;
   * rule OC-ALLOWED-REGISTRIES refuses any other image. Docker Hub images count as `docker.io/library/<name>`.
   * @default - any registry
   */
  readonly allowedRegistries?: string[];
  /**
   * Whether every component must have a component type (`type` prop).
   * @default false
   */
  readonly requireComponentType?: boolean;
  /**
   * Formats the organization is exported to besides its GitOps tree, written under
   * `<organization>/exports/<format>/` (never applied by Argo CD or Flux).
   * @default - none
   */
  readonly exports?: ExportFormat[];
  /**
   * The owning group in the Backstage catalog export (`[group:][<namespace>/]<name>`): owner of the
   * organization's Domain and external services, and of every project that has neither its own
   * `owner` nor a DEVELOPER grant.
   * @default - the first group of the organization-wide ADMIN grant, else `group:default/<organization>-platform`
   * @see https://backstage.io/docs/features/software-catalog/descriptor-format#specowner-required
   */
  readonly owner?: string;
}

/**
 * Which rendered objects an organization-level patch applies to. Every field given must match;
 * project, component and environment match the objects' `openchoreo.dev` labels.
 */
export interface PatchSelector {
  /** The kind of object, e.g. `Deployment`. */
  readonly kind: string;
  /**
   * The project's name.
   * @default - any project
   */
  readonly project?: string;
  /**
   * The component's name.
   * @default - any component
   */
  readonly component?: string;
  /**
   * The environment's name.
   * @default - any environment
   */
  readonly environment?: string;
  /**
   * The object's name.
   * @default - any name
   */
  readonly name?: string;
}

/** An organization-level patch. @internal */
export interface OrganizationPatch {
  readonly selector: PatchSelector;
  readonly patch: JsonPatch;
}

/**
 * The tenant: owns data planes, environments, deployment pipelines, projects and their components,
 * and synthesizes everything they declare. An Organization is a cdk8s Chart, so `Testing.synth(org)`
 * and `app.synth()` work as usual; `PlatformApp` writes the same objects as a GitOps tree.
 * @see https://openchoreo.dev/docs/concepts/
 */
export class Organization extends Chart {
  /** Returns the organization that `scope` belongs to, or throws a clear error. */
  public static ofConstruct(scope: IConstruct): Organization {
    for (let s: IConstruct | undefined = scope; s; s = s.node.scope) {
      if (Organization.isOrganization(s)) return s;
    }
    return fail(scope, `${scope.node.path || 'this construct'} is not inside an Organization`,
      'create it with an Organization (or one of its projects) as its scope');
  }

  /** Whether `x` is an Organization. */
  public static isOrganization(x: any): x is Organization {
    // Not `instanceof`: cdk8s' Chart answers it for every chart (Symbol.hasInstance), subclasses included.
    return x !== null && typeof x === 'object' && ORGANIZATION in x;
  }

  /** The organization's name. */
  public readonly name: string;
  /** Human-readable name, if set. */
  public readonly displayName?: string;
  /** Default container resources. */
  public readonly defaultResources: ResourceRequirements;
  /** Isolation mode of the network policies. */
  public readonly isolation: IsolationMode;
  /** The release ledger, if any. */
  public readonly releases?: ReleaseLedger;
  /** Whether every component must have a component type. */
  public readonly requireComponentType: boolean;
  /** @internal */ public readonly _patches: OrganizationPatch[] = [];
  /** The policy rules the synthesis runs. */
  public readonly policyPack: PolicyPack;
  /** Registries images may come from (empty: any). */
  public readonly allowedRegistries: string[];
  /** @internal */ public readonly _policySuppressions: PolicySuppressionDeclaration[] = [];
  /** Formats exported besides the GitOps tree, sorted. */
  public readonly exports: ExportFormat[];
  /** The catalog owner as declared, in full form (`group:<namespace>/<name>`), if set. */
  public readonly owner?: string;

  private readonly registry = new Map<string, Map<string, IConstruct>>();
  private revision = 0;

  constructor(scope: Construct, id: string, props: OrganizationProps = {}) {
    super(scope, id);
    Object.defineProperty(this, ORGANIZATION, { value: true });
    this.name = checkDnsLabel(this, 'organization name', props.name ?? id);
    this.displayName = props.displayName;
    this.isolation = checkEnum(this, 'isolation', props.isolation, IsolationMode, 'IsolationMode') ?? IsolationMode.LEAST_PRIVILEGE;
    this.releases = props.releases;
    this.requireComponentType = checkBoolean(this, 'requireComponentType', props.requireComponentType) ?? false;
    if (props.policyPack !== undefined && !(props.policyPack instanceof PolicyPack)) {
      fail(this, `policyPack ${JSON.stringify(props.policyPack)} is not a PolicyPack`, 'use PolicyPack.recommended(), PolicyPack.strict() or PolicyPack.custom([...])');
    }
    this.policyPack = props.policyPack ?? PolicyPack.recommended();
    this.allowedRegistries = checkAllowedRegistries(this, props.allowedRegistries);
    this.exports = checkExportFormats(this, props.exports);
    this.owner = checkOwnerRef(this, 'owner', props.owner);
    const r = props.defaultResources ?? {};
    checkResourceFields(this, 'defaultResources', r);
    this.defaultResources = withResourceDefaults(r, { cpuRequest: '100m', cpuLimit: '100m', memoryRequest: '256Mi', memoryLimit: '256Mi' });
  }

  /** Data planes declared in this organization, sorted by name. */
  public get dataPlanes(): DataPlane[] {
    return this.members<DataPlane>('DataPlane');
  }
  /** Environments declared in this organization, sorted by name. */
  public get environments(): Environment[] {
    return this.members<Environment>('Environment');
  }
  /** Deployment pipelines declared in this organization, sorted by name. */
  public get pipelines(): DeploymentPipeline[] {
    return this.members<DeploymentPipeline>('DeploymentPipeline');
  }
  /** Projects declared in this organization, sorted by name. */
  public get projects(): Project[] {
    return this.members<Project>('Project');
  }
  /** How the organization's tree is delivered, if declared. */
  public get delivery(): GitOpsDelivery | undefined {
    return this.members<GitOpsDelivery>('GitOpsDelivery')[0];
  }
  /** Build planes declared in this organization, sorted by name. */
  public get buildPlanes(): BuildPlane[] {
    return this.members<BuildPlane>('BuildPlane');
  }
  /** External services declared in this organization, sorted by name. */
  public get externalServices(): ExternalService[] {
    return this.members<ExternalService>('ExternalService');
  }

  /** Component types published in this organization, sorted by name. */
  public get componentTypes(): ComponentType[] {
    return this.members<ComponentType>('ComponentType');
  }

  /**
   * Applies a JSON patch (RFC 6902) to every rendered object of the cells and data planes that
   * `selector` matches, after component patches and before reports and checks read the objects. A
   * patch that matches nothing, touches a network policy or the `openchoreo.dev` labels fails the
   * synthesis.
   * @see https://cdk8s.io/docs/latest/basics/escape-hatches/
   */
  public addPatch(selector: PatchSelector, patch: JsonPatch): void {
    if (!selector || typeof selector.kind !== 'string' || selector.kind.length === 0) {
      fail(this, `patch selector ${JSON.stringify(selector)} names no kind`, "give the kind of object to patch, e.g. { kind: 'Deployment', project: 'shop' }");
    }
    if (!(patch instanceof JsonPatch)) fail(this, `patch for ${selector.kind} is not a JsonPatch (${JSON.stringify(patch)})`, "use JsonPatch.add('/spec/...', value), JsonPatch.replace(...) or JsonPatch.remove(...) from cdk8s");
    this._patches.push({ selector: { ...selector }, patch });
    this._changed();
  }

  /**
   * Suppresses a policy rule for objects that are not a component's (or for every component's),
   * optionally only in one environment or for one kind. The reason is kept in the suppressed
   * objects' `policy.openchoreo.dev/suppressed-<rule>` annotation and in policy.md; a suppression
   * that suppresses nothing fails the synthesis.
   * @param ruleId the rule, e.g. `OC-IMAGE-DIGEST-PROD`
   * @param reason why the findings are acceptable (at least 10 characters)
   */
  public suppressPolicy(ruleId: string, reason: string, options: OrganizationPolicySuppressionOptions = {}): void {
    if (options.environment !== undefined && options.environment?.organization !== this) {
      fail(this, `suppression of policy rule '${ruleId}' names environment '${options.environment?.node.path}', which is not an environment of this organization`, `name an environment of organization ${this.node.path}`);
    }
    checkSuppression(this, ruleId, reason, options.kind, this._policySuppressions, options.environment);
    this._policySuppressions.push({ ruleId, reason: reason.trim(), scope: this, environment: options.environment, kind: options.kind });
    this._changed();
  }

  /**
   * Renders every object of the platform (resolving and validating the whole declaration first).
   * Throws an error naming the construct path, the bad value and the fix for invalid input.
   */
  public toJson(): any[] {
    if (!synthesizer) {
      fail(this, 'the synthesis pipeline is not loaded', "import the library from its package root ('cdk8s-openchoreo'), which loads it");
    }
    return [...synthesizer(this), ...super.toJson()];
  }

  /**
   * Objects added to the organization chart directly (cdk8s ApiObjects), outside the model.
   * @internal
   */
  public _extraObjects(): any[] {
    return super.toJson();
  }

  /**
   * Registers a named member; names are unique per kind within the organization.
   * @internal
   */
  public _register(kind: string, name: string, member: IConstruct): void {
    let byName = this.registry.get(kind);
    if (!byName) {
      byName = new Map();
      this.registry.set(kind, byName);
    }
    const existing = byName.get(name);
    if (existing) {
      fail(member, `${kind} name '${name}' is already used by ${existing.node.path}`,
        'give one of them a different name (the \'name\' prop or the construct id)');
    }
    byName.set(name, member);
    this._changed();
  }

  /** Marks cached output stale after a declaration changes. @internal */
  public _changed(): void {
    this.revision++;
  }

  /** Counts declaration changes, so that the pipeline knows when its cached output is stale. @internal */
  public _revision(): number {
    return this.revision;
  }

  /** Components of every project, by project then name. @internal */
  public _components(): Component[] {
    return this.projects.flatMap(p => p.components);
  }

  private members<T extends IConstruct>(kind: string): T[] {
    const byName = this.registry.get(kind);
    if (!byName) return [];
    return [...byName.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v as T);
  }
}
