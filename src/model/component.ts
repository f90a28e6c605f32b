import { JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import { BuildSource, checkBuildSource, ResolvedBuildSource } from './build';
import { checkDns1035Label, checkEnvVarName, checkInteger, checkNonEmpty, checkOwnEnvironment, checkResourceFields, isImageReference } from './checks';
import { ComponentKind, kindTraits } from './component-kind';
import { checkTrait, ComponentType } from './component-type';
import { Endpoint, EndpointOptions } from './endpoint';
import { Environment } from './environment';
import { fail } from './errors';
import { ExternalService } from './external-service';
import { normalizePath, pathsOverlap } from './limits';
import { HttpMethod, HttpRule } from './network';
import { checkMetrics, checkSlo, checkTracing, LogFormat, MetricsOptions, SloOptions, Tracing } from './observability';
import { DeploymentSettings, EnvironmentOverrides, PodSecurityRule, SecurityException, WorkloadSettings } from './options';
import { Organization } from './organization';
import { checkPodSettings, PodSettings } from './pod-settings';
import { checkSuppression, PolicySuppressionDeclaration, PolicySuppressionOptions } from './policy';
import { Project } from './project';
import type { Resource, ResourceDependencyDeclaration, ResourceDependencyOptions } from './resource';
import { checkRolloutSettings } from './rollout';
import { checkBoolean, checkRequired } from './runtime-types';
import { checkNoLiteralSecret, SecretRef } from './secrets';
import { checkContainerSettings, ContainerSettings } from './sidecar';
import { snapshotProps } from './snapshot';
import type { ITrait } from './trait';
import { checkUnique } from './volume';

/** A file mounted into the container. Give exactly one of `content` or `secret`. */
export interface ConfigFile {
  /** Directory the file is mounted in (e.g. `/etc/app`). */
  readonly mountPath: string;
  /** The file's name inside `mountPath` (e.g. `config.yaml`). */
  readonly fileName: string;
  /**
   * Literal (non-secret) content, rendered into a ConfigMap.
   * @default - none; `secret` must be set
   */
  readonly content?: string;
  /**
   * Secret content, fetched from the secret store by an ExternalSecret.
   * @default - none; `content` must be set
   */
  readonly secret?: SecretRef;
}

/** Names of the environment variables a dependency injects. */
export interface DependencyOptions {
  /**
   * Variable receiving the full address (`http://host:port/basePath` for HTTP-like endpoints,
   * `host:port` otherwise, as OpenChoreo resolves it).
   * @default - `<COMPONENT>_<ENDPOINT>_URL` for HTTP, GraphQL and Websocket endpoints, `<COMPONENT>_<ENDPOINT>_ADDRESS` otherwise; `<SERVICE>_ADDRESS` for external services
   */
  readonly addressEnvVar?: string;
  /**
   * Variable receiving the host alone.
   * @default - not injected
   */
  readonly hostEnvVar?: string;
  /**
   * Variable receiving the port alone.
   * @default - not injected
   */
  readonly portEnvVar?: string;
  /**
   * Variable receiving the base path alone (HTTP-like endpoints).
   * @default - not injected
   */
  readonly basePathEnvVar?: string;
  /**
   * Narrow the dependency to these HTTP requests (Cilium back-end; HTTP, GraphQL, Websocket and
   * gRPC endpoints).
   * @default - any request on the endpoint's port
   */
  readonly httpRules?: HttpRule[];
}

/** Names another component's endpoint, for dependencies declared by name. */
export interface EndpointReference {
  /**
   * The providing component's project.
   * @default - the consumer's own project
   */
  readonly project?: string;
  /** The providing component's name. */
  readonly component: string;
  /** The endpoint's name. */
  readonly endpoint: string;
}

/** A recorded dependency. @internal */
export interface DependencyDeclaration {
  readonly endpoint?: Endpoint;
  readonly reference?: EndpointReference;
  readonly external?: ExternalService;
  readonly options: DependencyOptions;
}

/** Properties every component kind accepts. */
export interface ComponentProps extends WorkloadSettings, PodSettings, ContainerSettings {
  /**
   * The component's name, unique within its project.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * The platform's component type: its defaults apply under these props, its rules are checked in
   * every environment and its traits are attached. Its kind must be the component's kind.
   * @default - no type (refused when the organization sets requireComponentType)
   */
  readonly type?: ComponentType;
  /**
   * Container image with a tag or digest, e.g. `ghcr.io/acme/api:1.4.2`. Production environments
   * refuse `latest` and untagged images. Required unless the component has a `source`; for a
   * built component it must be an image of its build repository, and it runs wherever the release
   * ledger pins no release.
   * @default - none: the component must have a `source`, and runs in an environment once the
   * release ledger pins a release there (`cdk8s-openchoreo release`, then `promote`)
   */
  readonly image?: string;
  /**
   * The component's source, built on the organization's BuildPlane, which pushes
   * `<registry>/<organization>-<project>-<component>`. Ledger pins, `image` and environment image
   * overrides must then be images of that repository.
   * @default - not built here: `image` is required
   */
  readonly source?: BuildSource;
  /**
   * Container entrypoint.
   * @default - the image's entrypoint
   */
  readonly command?: string[];
  /**
   * Container arguments.
   * @default - the image's arguments
   */
  readonly args?: string[];
  /**
   * Environment variables whose values come from the secret store.
   * @default - none
   */
  readonly secretEnv?: { [key: string]: SecretRef };
  /**
   * Files mounted into the container.
   * @default - none
   */
  readonly files?: ConfigFile[];
  /**
   * Whether the component calls the Kubernetes API and needs its service-account token mounted.
   * @default false
   */
  readonly kubernetesApiAccess?: boolean;
  /**
   * Explicit, reasoned opt-outs of single security rules.
   * @default - none: the full restricted baseline applies
   */
  readonly securityExceptions?: SecurityException[];
  /**
   * Writable scratch directories (emptyDir volumes), needed with a read-only root filesystem.
   * @default ['/tmp']
   */
  readonly scratchPaths?: string[];
  /**
   * Human-readable name.
   * @default - none
   */
  readonly displayName?: string;
  /**
   * The Prometheus metrics endpoint, scraped by a ServiceMonitor (or a PodMonitor for workers and
   * scheduled tasks).
   * @default - not scraped
   */
  readonly metrics?: MetricsOptions;
  /**
   * How the component's traces reach the data plane's OpenTelemetry collector.
   * @default - the data plane's default tracing: Tracing.sdk() (the OTEL_* variables, for applications with an OpenTelemetry SDK) unless set otherwise
   */
  readonly tracing?: Tracing;
  /**
   * Service level objectives of its HTTP endpoints (needs request metrics: a metrics endpoint, or
   * Hubble metrics on the data plane).
   * @default - 99.5% availability, 99% of requests under 500ms, where request metrics exist
   */
  readonly slo?: SloOptions;
  /**
   * The format of its log lines, for the log pipeline's parser.
   * @default LogFormat.TEXT
   */
  readonly logFormat?: LogFormat;
}

/** Where a component's patch applies. */
export interface ComponentPatchOptions {
  /**
   * Only in this environment.
   * @default - every environment the component runs in
   */
  readonly environment?: Environment;
  /**
   * Only the object of this name.
   * @default - every object of the kind that belongs to the component
   */
  readonly name?: string;
}

/** A patch recorded by addPatch. @internal */
export interface ComponentPatch {
  readonly kind: string;
  readonly name?: string;
  readonly environment?: Environment;
  readonly patch: JsonPatch;
}

/** Properties of Deployment-backed components. */
export interface DeployableComponentProps extends ComponentProps, DeploymentSettings {}

const ABS_PATH = /^\/[^\0]*$/;
const FILE_NAME = /^[-._a-zA-Z0-9]+$/;

/**
 * A deployable unit of a project. Use one of its kinds: {@link Service}, {@link WebApplication},
 * {@link Worker} or {@link ScheduledTask}.
 * @see https://openchoreo.dev/docs/concepts/developer-abstractions/component/
 */
export abstract class Component extends Construct {
  /** The project the component belongs to. */
  public readonly project: Project;
  /** The component's name. */
  public readonly name: string;
  /** The component's kind. */
  public readonly kind: ComponentKind;
  /** The container image, if declared (built components may have none). */
  public readonly image?: string;
  /** The source the component is built from, if any. */
  public readonly source?: BuildSource;
  /** Container command, if set. */
  public readonly command?: string[];
  /** Container args, if set. */
  public readonly args?: string[];
  /** Whether the service-account token is mounted. */
  public readonly kubernetesApiAccess: boolean;
  /** Human-readable name, if set. */
  public readonly displayName?: string;
  /** The component's type, if it has one. */
  public readonly componentType?: ComponentType;

  /** @internal */ public readonly _props: DeployableComponentProps;
  /** @internal */ public readonly _build?: ResolvedBuildSource;
  /** @internal */ public readonly _dependencies: DependencyDeclaration[] = [];
  /** @internal */ public readonly _resourceDependencies: ResourceDependencyDeclaration[] = [];
  /** @internal */ public readonly _overrides = new Map<Environment, EnvironmentOverrides>();
  /** @internal */ public readonly _securityExceptions: SecurityException[];
  /** @internal */ public readonly _scratchPaths: string[];
  /** @internal */ public readonly _traits: ITrait[] = [];
  /** @internal */ public readonly _patches: ComponentPatch[] = [];
  /** @internal */ public readonly _policySuppressions: PolicySuppressionDeclaration[] = [];
  private readonly endpointsByName = new Map<string, Endpoint>();

  protected constructor(scope: Construct, id: string, kind: ComponentKind, props: DeployableComponentProps) {
    super(scope, id);
    props = snapshotProps(props);
    this.project = Project.of(this);
    this.kind = kind;
    this.name = checkDns1035Label(this, 'component name', props.name ?? id, 'the Service name');
    this.componentType = checkComponentType(this, kind, props.type);
    if (this.componentType) props = this.componentType._withDefaults(props);
    if (props.image === undefined && props.source === undefined) {
      fail(this, `component '${this.name}' declares neither an image nor a source to build`,
        "set image: 'registry/repository:tag', or source: { repository: 'https://<git host>/<owner>/<repo>.git' } to build it on the organization's BuildPlane");
    }
    this.image = props.image === undefined ? undefined : checkImage(this, props.image);
    this.source = props.source;
    this._build = props.source === undefined ? undefined : checkBuildSource(this, this.project.organization, props.source);
    this.command = props.command;
    this.args = props.args;
    this.kubernetesApiAccess = checkBoolean(this, 'kubernetesApiAccess', props.kubernetesApiAccess) ?? false;
    this.displayName = props.displayName;
    checkWorkloadSettings(this, props);
    checkDeploymentSettings(this, props, 'component');
    checkPodSettings(this, '', props);
    if (!kindTraits(kind).scalable && props.probes !== undefined) {
      fail(this, `a ${kind} component sets probes`, 'remove probes: a scheduled run ends by itself (bound it with activeDeadline)');
    }
    checkRolloutSettings(this, '', props);
    const secretEnv = props.secretEnv ?? {};
    for (const key of Object.keys(secretEnv)) {
      const ref = secretEnv[key];
      checkEnvVarName(this, key);
      if (props.env && key in props.env) {
        fail(this, `environment variable '${key}' is set both in env and in secretEnv`, 'keep only the secretEnv entry');
      }
      if (!(ref instanceof SecretRef)) fail(this, `secretEnv '${key}' is not a SecretRef`, 'use SecretRef.fromStore(\'<remote-key>\')');
      checkNonEmpty(this, `secretEnv '${key}' remote key`, ref.key);
    }
    checkFiles(this, props.files ?? []);
    checkMetrics(this, props.metrics);
    checkTracing(this, 'tracing', props.tracing);
    checkSlo(this, 'slo', props.slo);
    if (props.logFormat !== undefined && !Object.values(LogFormat).includes(props.logFormat)) {
      fail(this, `logFormat '${props.logFormat}' is unknown`, 'use LogFormat.TEXT or LogFormat.JSON');
    }
    this._securityExceptions = checkSecurityExceptions(this, props.securityExceptions ?? []);
    this._scratchPaths = [...new Set(props.scratchPaths ?? ['/tmp'])].sort();
    for (const p of this._scratchPaths) {
      if (!ABS_PATH.test(p)) fail(this, `scratch path '${p}' is not absolute`, "use an absolute directory such as '/tmp'");
      if (normalizePath(p) === '/') fail(this, `scratch path '${p}' is the root directory (a writable root defeats the read-only root filesystem)`, "use a directory below the root such as '/tmp'");
    }
    const persistent = (props as { readonly volumes?: Array<{ readonly name: string }> }).volumes;
    checkContainerSettings(this, props, Array.isArray(persistent) ? persistent.map(v => v?.name) : [], isImageReference);
    checkUnique(this, 'mount path', [...this._scratchPaths, ...(props.emptyDirs ?? []).flatMap(v => v.mountPath ?? [])],
      'mount one volume per directory of the main container');
    checkMountOverlaps(this, this._scratchPaths, props.files ?? []);
    this._props = props;
    this.project._addComponent(this);
  }

  /** Endpoints of the component, sorted by name. */
  public get endpoints(): Endpoint[] {
    return [...this.endpointsByName.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  /** Looks up an endpoint by name. */
  public findEndpoint(name: string): Endpoint | undefined {
    return this.endpointsByName.get(name);
  }

  /** Adds an endpoint the component serves. */
  public addEndpoint(name: string, options: EndpointOptions): Endpoint {
    if (!kindTraits(this.kind).servesEndpoints) {
      fail(this, `a ${this.kind} component cannot serve endpoint '${name}'`, 'declare the component as a Service or WebApplication, or remove the endpoint');
    }
    if (this.endpointsByName.has(name)) {
      fail(this, `endpoint name '${name}' is already used in component '${this.name}'`, 'give each endpoint of a component a distinct name');
    }
    return new Endpoint(this, name, options); // registers itself (_registerEndpoint)
  }

  /** Records an endpoint constructed on this component (Endpoint's constructor calls it). @internal */
  public _registerEndpoint(ep: Endpoint): void {
    const name = ep.name;
    if (!kindTraits(this.kind).servesEndpoints) {
      fail(this, `a ${this.kind} component cannot serve endpoint '${name}'`, 'declare the component as a Service or WebApplication, or remove the endpoint');
    }
    for (const other of this.endpointsByName.values()) {
      const sameProtocol = (other.type === 'UDP') === (ep.type === 'UDP');
      if (sameProtocol && other.port === ep.port) {
        fail(ep, `port ${ep.port} of endpoint '${name}' clashes with endpoint '${other.name}'`, 'give each endpoint its own port');
      }
      if (sameProtocol && other.targetPort === ep.targetPort) {
        fail(ep, `container port ${ep.targetPort} of endpoint '${name}' clashes with endpoint '${other.name}'`, 'give each endpoint its own targetPort');
      }
    }
    this.endpointsByName.set(name, ep);
    Organization.ofConstruct(this)._changed();
  }

  /** Declares that this component calls `endpoint` (of this or another project), injecting its address. */
  public dependOn(endpoint: Endpoint, options: DependencyOptions = {}): void {
    checkRequired(this, 'dependOn endpoint', endpoint, 'pass an Endpoint declared with component.addEndpoint(...), or use dependOnName for one declared elsewhere');
    this.recordDependency({ endpoint, options });
  }

  /** Declares a dependency on an endpoint named by project, component and endpoint name. */
  public dependOnName(reference: EndpointReference, options: DependencyOptions = {}): void {
    checkRequired(this, 'dependOnName reference', reference, 'pass { project, component, endpoint } naming the endpoint');
    this.recordDependency({ reference, options });
  }

  /** Declares that this component calls an external service, injecting its address. */
  public dependOnExternal(service: ExternalService, options: DependencyOptions = {}): void {
    checkRequired(this, 'dependOnExternal service', service, 'pass an ExternalService declared with new ExternalService(organization, ...)');
    this.recordDependency({ external: service, options });
  }

  /**
   * Declares that this component uses a managed resource of its project: injects `<PREFIX>_HOST`,
   * `_PORT`, `_DATABASE`, `_USER` and `_PASSWORD` (credentials as Secret references, never values)
   * and opens exactly the network path to it.
   */
  public dependOnResource(resource: Resource, options: ResourceDependencyOptions = {}): void {
    checkRequired(this, 'dependOnResource resource', resource, "pass a Resource declared with new Resource(project, 'name', { type })");
    if (options.envPrefix !== undefined) checkEnvVarName(this, options.envPrefix);
    if (this._resourceDependencies.some(d => d.resource === resource)) {
      fail(this, `depends on resource '${resource.name}' twice`, 'declare each resource dependency once');
    }
    this._resourceDependencies.push({ resource, options });
    this.project.organization._changed();
  }

  /** Sets overrides that apply in one environment only. Calling it again for the same environment merges. */
  /**
   * Suppresses a policy rule's findings on this component's objects (in every environment, or in
   * one), with the reason reviewers read in the objects' `policy.openchoreo.dev/suppressed-<rule>`
   * annotation and in the environment's policy.md. A suppression that suppresses nothing, or names
   * a rule the organization's pack does not have, fails the synthesis.
   * @param ruleId the rule, e.g. `OC-REPLICAS-PDB-PROD`
   * @param reason why the finding is acceptable (at least 10 characters)
   */
  public suppressPolicy(ruleId: string, reason: string, options: PolicySuppressionOptions = {}): void {
    if (options.environment !== undefined) checkOwnEnvironment(this, `suppression of policy rule '${ruleId}' names environment`, options.environment, this.project.organization);
    checkSuppression(this, ruleId, reason, undefined, this._policySuppressions, options.environment);
    this._policySuppressions.push({ ruleId, reason: reason.trim(), scope: this, component: this, environment: options.environment });
    this.project.organization._changed();
  }

  public configureEnvironment(environment: Environment, overrides: EnvironmentOverrides): void {
    overrides = snapshotProps(overrides);
    checkOwnEnvironment(this, 'overrides target environment', environment, this.project.organization);
    const scope = `overrides for '${environment.name}'`;
    if (overrides.image !== undefined) checkImage(this, overrides.image);
    checkWorkloadSettings(this, overrides);
    checkDeploymentSettings(this, overrides, scope);
    checkPodSettings(this, `${scope}: `, overrides);
    checkRolloutSettings(this, `${scope}: `, overrides);
    const traits = kindTraits(this.kind);
    if (!traits.scalable) {
      for (const f of ['replicas', 'autoscaling', 'disruptionBudget', 'rollout', 'minReady', 'progressDeadline', 'probes'] as const) {
        if (overrides[f] !== undefined) fail(this, `${scope} set '${f}' on a scheduled task`, `remove '${f}': it applies to Deployment-backed components only`);
      }
    }
    if (!traits.scheduled) {
      for (const f of ['schedule', 'suspend'] as const) {
        if (overrides[f] !== undefined) fail(this, `${scope} set '${f}' on a ${this.kind} component`, `remove '${f}': it applies to scheduled tasks only`);
      }
    }
    checkBoolean(this, `${scope}: suspend`, overrides.suspend);
    checkTracing(this, `${scope}: tracing`, overrides.tracing);
    checkSlo(this, `${scope}: slo`, overrides.slo);
    if (overrides.volumeSizes !== undefined && this.kind !== ComponentKind.STATEFUL_SERVICE) {
      fail(this, `${scope} set 'volumeSizes' on a ${this.kind} component`, "remove 'volumeSizes': it applies to StatefulService volumes only (use emptyDirs' sizeLimit for scratch space)");
    }
    this._checkKindOverrides(overrides, scope);
    const previous = this._overrides.get(environment) ?? {};
    this._overrides.set(environment, {
      ...previous,
      ...overrides,
      env: { ...(previous.env ?? {}), ...(overrides.env ?? {}) },
      resources: { ...(previous.resources ?? {}), ...(overrides.resources ?? {}) },
      slo: { ...(previous.slo ?? {}), ...(overrides.slo ?? {}) },
      volumeSizes: { ...(previous.volumeSizes ?? {}), ...(overrides.volumeSizes ?? {}) },
      probes: { ...(previous.probes ?? {}), ...(overrides.probes ?? {}) },
      labels: { ...(previous.labels ?? {}), ...(overrides.labels ?? {}) },
      annotations: { ...(previous.annotations ?? {}), ...(overrides.annotations ?? {}) },
    });
    this.project.organization._changed();
  }

  /**
   * Attaches a trait: its containers, network needs, objects and patches apply in every
   * environment. A component type may restrict the traits its components add (`allowedTraits`).
   */
  public addTrait(trait: ITrait): void {
    checkTrait(this, trait);
    const type = this.componentType;
    if (type?.allowedTraits && !type.allowedTraits.includes(trait.name)) {
      fail(this, `trait '${trait.name}' is not allowed by component type '${type.name}' (rule allowedTraits: ${type.allowedTraits.join(', ') || 'none'})`,
        `use one of the allowed traits, or ask the platform team to add '${trait.name}' to allowedTraits of ${type.node.path}`);
    }
    for (const t of [...(type?._traits ?? []), ...this._traits]) {
      if (t.name === trait.name) {
        fail(this, `trait '${trait.name}' is already attached${type?._traits.includes(t) ? ` by component type '${type.name}'` : ''}`, 'attach each trait once (traits are told apart by name)');
      }
    }
    this._traits.push(trait);
    this.project.organization._changed();
  }

  /**
   * Applies a JSON patch (RFC 6902) to the component's rendered objects of `kind` (in every
   * environment, or one), after traits and before reports and checks read them. A patch that
   * targets nothing, touches a network policy or the `openchoreo.dev` labels fails the synthesis.
   * @see https://cdk8s.io/docs/latest/basics/escape-hatches/
   */
  public addPatch(kind: string, patch: JsonPatch, options: ComponentPatchOptions = {}): void {
    checkNonEmpty(this, 'patch kind', kind);
    if (!(patch instanceof JsonPatch)) fail(this, `patch for ${kind} is not a JsonPatch (${JSON.stringify(patch)})`, "use JsonPatch.add('/spec/...', value), JsonPatch.replace(...) or JsonPatch.remove(...) from cdk8s");
    const env = options.environment;
    if (env !== undefined) checkOwnEnvironment(this, `patch for ${kind} targets environment`, env, this.project.organization);
    this._patches.push({ kind, name: options.name, environment: env, patch });
    this.project.organization._changed();
  }

  /** Kind-specific checks of overrides. @internal */
  protected _checkKindOverrides(_overrides: EnvironmentOverrides, _scope: string): void {}

  private recordDependency(dep: DependencyDeclaration): void {
    const o = dep.options;
    for (const v of [o.addressEnvVar, o.hostEnvVar, o.portEnvVar, o.basePathEnvVar]) {
      if (v !== undefined) checkEnvVarName(this, v);
    }
    for (const r of o.httpRules ?? []) {
      if (r.method === undefined && r.path === undefined) {
        fail(this, 'an HTTP rule sets neither method nor path, so it would allow every request', 'give the rule a method, a path or both, or leave httpRules unset to allow the whole port');
      }
      if (r.method !== undefined && !Object.values(HttpMethod).includes(r.method)) {
        fail(this, `HTTP rule method '${r.method}' is unknown`, `use one of ${Object.keys(HttpMethod).map(k => `HttpMethod.${k}`).join(', ')}`);
      }
      if (r.path !== undefined && !/^\/[A-Za-z0-9._~!$&'()+,;=:@%/-]*(\/\*)?$/.test(r.path)) {
        fail(this, `HTTP rule path '${r.path}' is invalid`, "use an absolute path such as '/orders', or a prefix ending in '/*' such as '/orders/*'");
      }
    }
    if (dep.external && o.httpRules) {
      fail(this, `dependency on external service '${dep.external.name}' sets httpRules`, 'remove httpRules: egress to external services is filtered by host and port only');
    }
    if (dep.reference) {
      checkNonEmpty(this, 'dependency component', dep.reference.component);
      checkNonEmpty(this, 'dependency endpoint', dep.reference.endpoint);
    }
    this._dependencies.push(dep);
    this.project.organization._changed();
  }
}

function checkComponentType(c: Component, kind: ComponentKind, type: ComponentType | undefined): ComponentType | undefined {
  const org = c.project.organization;
  if (type === undefined) {
    if (org.requireComponentType) {
      fail(c, `component '${c.name}' has no type, but organization '${org.name}' requires one (rule requireComponentType)`,
        `set type: one of the organization's component types for ${kind}${org.componentTypes.some(t => t.kind === kind) ? ` (${org.componentTypes.filter(t => t.kind === kind).map(t => t.name).join(', ')})` : ''}`);
    }
    return undefined;
  }
  if (!(type instanceof ComponentType)) fail(c, `type ${JSON.stringify(type)} is not a ComponentType`, 'pass a ComponentType declared in the organization');
  if (type.organization !== org) fail(c, `type '${type.node.path}' belongs to another organization`, `declare the component type in organization '${org.name}'`);
  if (type.kind !== kind) {
    fail(c, `component '${c.name}' is a ${kind} but component type '${type.name}' builds on ${type.kind}`,
      `use a type for ${kind}, or declare the component with the kind of '${type.name}'`);
  }
  return type;
}

/** Validates an image reference (registry/repo[:tag][@digest]). @internal */
export function checkImage(scope: Construct, image: string): string {
  if (!isImageReference(image)) {
    fail(scope, `image '${image}' is not a valid image reference`, "use 'registry/repository:tag' or 'registry/repository@sha256:<digest>', e.g. 'ghcr.io/acme/api:1.4.2'");
  }
  return image;
}

function checkWorkloadSettings(scope: Construct, s: WorkloadSettings): void {
  const env = s.env ?? {};
  for (const key of Object.keys(env)) { // keys, not entries: no [key, value] pair per variable (every component and override)
    const value = env[key];
    checkEnvVarName(scope, key);
    if (typeof value !== 'string') fail(scope, `environment variable '${key}' has a non-string value ${JSON.stringify(value)}`, 'quote the value as a string');
    checkNoLiteralSecret(scope, 'environment variable', key, value);
  }
  checkResourceFields(scope, 'resources', s.resources);
}

function checkDeploymentSettings(scope: Construct, s: DeploymentSettings, where: string): void {
  checkInteger(scope, `${where} replicas`, s.replicas, 0, 1000);
  const a = s.autoscaling;
  if (a) {
    checkInteger(scope, 'autoscaling.minReplicas', a.minReplicas, 1, 1000);
    checkInteger(scope, 'autoscaling.maxReplicas', a.maxReplicas, 1, 1000);
    if ((a.minReplicas ?? 1) > a.maxReplicas) {
      fail(scope, `autoscaling.minReplicas ${a.minReplicas ?? 1} is greater than maxReplicas ${a.maxReplicas}`, 'set maxReplicas to at least minReplicas');
    }
    checkInteger(scope, 'autoscaling.cpuUtilization', a.cpuUtilization, 1, 1000);
    checkInteger(scope, 'autoscaling.memoryUtilization', a.memoryUtilization, 1, 1000);
  }
  const b = s.disruptionBudget;
  if (b) {
    if (b.isPercent) checkInteger(scope, `disruptionBudget ${b.kind} percent`, b.value, 0, 100);
    else checkInteger(scope, `disruptionBudget ${b.kind}`, b.value, 0, 1000);
  }
}

function checkFiles(scope: Construct, files: ConfigFile[]): void {
  const seen = new Set<string>();
  for (const f of files) {
    if (!ABS_PATH.test(f.mountPath ?? '')) fail(scope, `file mountPath '${f.mountPath}' is not absolute`, "use an absolute directory such as '/etc/app'");
    if (!FILE_NAME.test(f.fileName ?? '')) fail(scope, `file name '${f.fileName}' is invalid`, "use letters, digits, '-', '_' and '.' only (e.g. 'config.yaml')");
    const full = `${f.mountPath.replace(/\/+$/, '')}/${f.fileName}`;
    if (seen.has(full)) fail(scope, `file '${full}' is declared twice`, 'mount each file once');
    seen.add(full);
    if ((f.content === undefined) === (f.secret === undefined)) {
      fail(scope, `file '${full}' must set exactly one of content or secret`, 'give literal content, or a SecretRef for secret content');
    }
    if (f.content !== undefined) checkNoLiteralSecret(scope, 'file', full, f.content);
  }
}

const PSS_RULES = Object.values(PodSecurityRule);

function checkSecurityExceptions(scope: Construct, list: SecurityException[]): SecurityException[] {
  const seen = new Set<string>();
  for (const e of list) {
    if (!PSS_RULES.includes(e.rule)) fail(scope, `security exception for unknown rule '${e.rule}'`, `use one of ${Object.keys(PodSecurityRule).map(k => `PodSecurityRule.${k}`).join(', ')}`);
    if (!e.reason || e.reason.trim().length < 10) {
      fail(scope, `security exception for '${e.rule}' has no stated reason ('${e.reason ?? ''}')`, 'explain in a sentence (at least 10 characters) why the component needs it; reviewers read it in the output');
    }
    if (seen.has(e.rule)) fail(scope, `security exception for '${e.rule}' is declared twice`, 'declare each exception once');
    seen.add(e.rule);
  }
  return [...list].sort((a, b) => (a.rule < b.rule ? -1 : 1));
}

/** Refuses scratch directories that are the same as or nest in one another, or hold a config file's directory. */
function checkMountOverlaps(scope: Construct, scratch: string[], files: ConfigFile[]): void {
  for (let i = 0; i < scratch.length; i++) {
    for (let j = i + 1; j < scratch.length; j++) {
      if (pathsOverlap(scratch[i], scratch[j])) {
        fail(scope, `scratch paths '${scratch[i]}' and '${scratch[j]}' overlap (two volumes on one directory tree)`, `keep only '${normalizePath(scratch[i]).length <= normalizePath(scratch[j]).length ? scratch[i] : scratch[j]}'`);
      }
    }
  }
  for (const f of files) {
    for (const p of scratch) {
      if (normalizePath(p) === normalizePath(f.mountPath)) {
        fail(scope, `file mountPath '${f.mountPath}' is also the scratch path '${p}' (two volumes on one directory)`, 'mount the file in a directory of its own, e.g. \'/etc/app\'');
      }
    }
  }
}
