import { Duration } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { checkBranch, checkBuilderImage, checkHosts, checkRegistry, checkRepoPath, checkSecretRef, CIDR, defaultRegistryHosts, GIT_USER } from './build-checks';
import { Builder, BuilderConfinement, BuilderKind, DEFAULT_BUILDKIT_IMAGE, DEFAULT_GIT_IMAGE } from './builder';
import { checkDnsLabel, checkInteger, checkMemory, checkPort, checkResourceFields, withResourceDefaults } from './checks';
import type { DataPlane } from './data-plane';
import { checkDurationSeconds, rejectRenamedDuration } from './duration';
import { fail } from './errors';
import { ResourceRequirements } from './options';
import { Organization } from './organization';
import { checkBoolean } from './runtime-types';
import { SecretRef } from './secrets';
import { maskUrl } from './url-checks';

/**
 * Where a component's source lives and how it is built. The build runs on the organization's
 * {@link BuildPlane} and pushes `<registry>/<organization>-<project>-<component>` (OpenChoreo's
 * image name); `cdk8s-openchoreo release` then pins the pushed image in the release ledger.
 */
export interface BuildSource {
  /** HTTPS URL of the Git repository, e.g. `https://github.com/acme/shop.git`. */
  readonly repository: string;
  /**
   * The branch built by default (a run may pass another branch, tag or commit as `revision`).
   * @default 'main'
   */
  readonly branch?: string;
  /**
   * The component's folder inside the repository.
   * @default '.' - the repository root
   */
  readonly path?: string;
  /**
   * The builder.
   * @default Builder.buildpacks()
   */
  readonly builder?: Builder;
  /**
   * A token (or password) for the repository, kept in the data plane's secret store.
   * @default - the build plane's gitCredentials, or none (a public repository)
   */
  readonly gitCredentials?: SecretRef;
  /**
   * The user name sent with `gitCredentials` (GitHub App tokens need `x-access-token`).
   * @default 'git'
   */
  readonly gitUsername?: string;
  /**
   * The build plane that builds the component.
   * @default - the organization's only build plane
   */
  readonly buildPlane?: BuildPlane;
}

/** A validated build source with every default applied. @internal */
export interface ResolvedBuildSource {
  readonly repository: string;
  readonly host: string;
  readonly port: number;
  readonly branch: string;
  readonly path: string;
  readonly builder: Builder;
  /** Dockerfile builds: the Dockerfile and the context, relative to the repository root. */
  readonly dockerfile?: string;
  readonly context?: string;
  readonly gitCredentials?: SecretRef;
  readonly gitUsername: string;
  readonly buildPlane?: BuildPlane;
}

const REPOSITORY_URL = /^https:\/\/([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)(:(\d{1,5}))?\/[A-Za-z0-9._~-]+(\/[A-Za-z0-9._~-]+)*\/?$/;

/** Validates a build source declared on `scope` (a component). @internal */
export function checkBuildSource(scope: IConstruct, organization: Organization, source: BuildSource): ResolvedBuildSource {
  if (!source || typeof source !== 'object') fail(scope, `source '${source}' is not a build source`, "use source: { repository: 'https://github.com/acme/shop.git', builder: Builder.buildpacks() }");
  const repository = source.repository;
  if (repository === undefined || (typeof repository === 'string' && repository.trim() === '')) {
    fail(scope, `source has no repository ('${repository ?? ''}')`, "set source.repository to the HTTPS URL of the Git repository, e.g. 'https://github.com/acme/shop.git'");
  }
  const m = typeof repository === 'string' ? REPOSITORY_URL.exec(repository) : null;
  if (!m) {
    const ssh = typeof repository === 'string' && /^(ssh:\/\/|git@)/.test(repository);
    const http = typeof repository === 'string' && repository.startsWith('http://');
    const credentials = typeof repository === 'string' && /^https:\/\/[^/]*@/.test(repository);
    fail(scope, `source repository '${maskUrl(repository)}' is not a valid HTTPS Git URL`,
      ssh ? "use the repository's HTTPS URL (SSH remotes are not supported) with gitCredentials: SecretRef.fromStore('<token-key>')"
        : http ? 'use https:// (plain HTTP would expose the source and the credentials)'
          : credentials ? 'remove the credentials from the URL and reference them with gitCredentials: SecretRef.fromStore(\'<token-key>\')'
            : "use 'https://<host>/<owner>/<repository>[.git]' without user, query or fragment, e.g. 'https://github.com/acme/shop.git'");
  }
  const port = m![6] !== undefined ? checkPort(scope, 'source repository port', Number(m![6])) : 443;
  const branch = source.branch ?? 'main';
  checkBranch(scope, branch);
  const srcPath = checkRepoPath(scope, 'source.path', source.path ?? '.', '.');
  const builder = source.builder ?? Builder.buildpacks();
  if (!(builder instanceof Builder)) fail(scope, `source.builder '${String(builder)}' is not a Builder`, 'use Builder.dockerfile({ ... }) or Builder.buildpacks({ ... })');
  let dockerfile: string | undefined;
  let context: string | undefined;
  if (builder.kind === BuilderKind.DOCKERFILE) {
    dockerfile = checkRepoPath(scope, 'Dockerfile path', builder.dockerfilePath!, srcPath);
    if (dockerfile === '.') fail(scope, `Dockerfile path '${builder.dockerfilePath}' names the source folder, not a file`, "name the file, e.g. dockerfile: 'Dockerfile'");
    context = checkRepoPath(scope, 'build context', builder.contextPath!, srcPath);
  } else {
    checkBuilderImage(scope, 'builderImage', builder.builderImage!);
    if (builder.runImage !== undefined) checkBuilderImage(scope, 'runImage', builder.runImage);
    checkInteger(scope, 'buildpacks userId', builder.userId, 1, 2147483647);
    checkInteger(scope, 'buildpacks groupId', builder.groupId, 1, 2147483647);
  }
  if (source.gitCredentials !== undefined) checkSecretRef(scope, 'gitCredentials', source.gitCredentials);
  const gitUsername = source.gitUsername ?? 'git';
  if (typeof gitUsername !== 'string' || !GIT_USER.test(gitUsername)) {
    fail(scope, `gitUsername '${gitUsername}' is invalid`, "use a plain user name such as 'git' or 'x-access-token'");
  }
  if (source.buildPlane !== undefined && (!(source.buildPlane instanceof BuildPlane) || source.buildPlane.organization !== organization)) {
    fail(scope, `source.buildPlane '${source.buildPlane?.node?.path ?? source.buildPlane}' is not a build plane of organization '${organization.name}'`,
      `declare the BuildPlane in organization '${organization.name}' and pass it as source.buildPlane`);
  }
  return {
    repository,
    host: m![1],
    port,
    branch,
    path: srcPath,
    builder,
    dockerfile,
    context,
    gitCredentials: source.gitCredentials,
    gitUsername,
    buildPlane: source.buildPlane,
  };
}

/** Properties of a {@link BuildPlane}. */
export interface BuildPlaneProps {
  /**
   * The build plane's name.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * The cluster Argo Workflows runs on: a data plane that hosts environments, or a dedicated build
   * cluster declared as a DataPlane without environments. Its secret store holds the credentials
   * and its network-policy back-end isolates the builds.
   */
  readonly dataPlane: DataPlane;
  /**
   * Where images are pushed: a registry host with an optional path, e.g. `ghcr.io/acme`. A
   * component's image is `<registry>/<organization>-<project>-<component>`.
   */
  readonly registry: string;
  /**
   * Push credentials: a remote value holding a Docker config JSON (`{"auths": {...}}`). An
   * ExternalSecret turns it into a `kubernetes.io/dockerconfigjson` Secret.
   */
  readonly registryCredentials: SecretRef;
  /**
   * Namespace the workflows run in.
   * @default `workflows-<organization>` (OpenChoreo's workflow namespace)
   */
  readonly namespace?: string;
  /**
   * Git credentials of components that set none.
   * @default - none: such components clone anonymously
   */
  readonly gitCredentials?: SecretRef;
  /**
   * Hosts builds may download from besides the Git hosts and the registry: base-image registries,
   * package registries, buildpack dependency mirrors (`host` or `host:port`, port 443 by default;
   * `*.example.com` matches one or more labels, Cilium only). Every entry is visible in the build
   * namespace's network policy.
   * @default - none
   */
  readonly allowedHosts?: string[];
  /**
   * Hosts the registry is reached at, if they differ from the registry's host.
   * @default - the registry's host (`registry-1.docker.io` and `auth.docker.io` for `docker.io`)
   */
  readonly registryHosts?: string[];
  /**
   * IP ranges of the Kubernetes API server endpoints, which Argo's executor calls. Required with
   * the Kubernetes NetworkPolicy back-end (`kubectl get endpoints kubernetes -n default`).
   * @default - Cilium: the `kube-apiserver` entity
   */
  readonly kubernetesApiCidrs?: string[];
  /**
   * Ports of the Kubernetes API server endpoints.
   * @default [443, 6443]
   */
  readonly kubernetesApiPorts?: number[];
  /**
   * How the BuildKit container of Dockerfile builds is confined.
   * @default BuilderConfinement.unconfined()
   */
  readonly dockerfileConfinement?: BuilderConfinement;
  /**
   * Resources of the build container.
   * @default - requests 500m CPU and 1Gi memory, limits 2 CPUs and 4Gi memory (a request or a limit set alone applies to both)
   */
  readonly builderResources?: ResourceRequirements;
  /**
   * Size of the workspace volume the source is checked out to (one per run).
   * @default '2Gi'
   */
  readonly workspaceSize?: string;
  /**
   * StorageClass of the workspace volume.
   * @default - the cluster's default StorageClass
   */
  readonly storageClass?: string;
  /**
   * How long a run may take before it is stopped: whole seconds from 1 minute to 24 hours.
   * @default Duration.minutes(60)
   */
  readonly timeout?: Duration;
  /**
   * Whether builds import and export a build cache in the registry (`<image>:buildcache`).
   * @default true
   */
  readonly registryCache?: boolean;
  /**
   * Image of the rootless BuildKit builder, pinned by tag or digest.
   * @default 'docker.io/moby/buildkit:v0.32.2-rootless'
   */
  readonly buildkitImage?: string;
  /**
   * Image of the checkout step (needs `git` and `sh`), pinned by tag or digest.
   * @default 'docker.io/alpine/git:v2.52.0'
   */
  readonly gitImage?: string;
}

const LOCALHOST_PROFILE = /^[A-Za-z0-9._/-]+$/;

/** A host (and port) builds reach. @internal */
export interface BuildHost {
  readonly host: string;
  readonly port: number;
}

/**
 * Where components are built: Argo Workflows on a data plane's cluster (OpenChoreo's
 * WorkflowPlane). Renders, into the data plane's platform folder, the build namespace (Pod Security
 * labels as strict as its builders allow), the workflow service account with exactly the RBAC
 * Argo's executor needs, ExternalSecrets for registry and Git credentials, default-deny network
 * policies (egress only to DNS, the API server for the executor, the Git hosts, the registry and
 * `allowedHosts`; no ingress), and one WorkflowTemplate per built component.
 *
 * Prerequisites on that cluster: Argo Workflows (emissary executor), the External Secrets
 * Operator with the data plane's ClusterSecretStore, and a default StorageClass (or `storageClass`).
 * Configure Argo's controller with `workflowRestrictions: { templateReferencing: Secure }` so that
 * only these WorkflowTemplates run and a submission cannot override their security settings;
 * this matters most with Dockerfile builds, whose namespace admits any pod (Pod Security
 * "privileged", see {@link Builder}).
 * @see https://openchoreo.dev/docs/concepts/platform-abstractions/workflow-plane/
 * @see https://argo-workflows.readthedocs.io/en/latest/workflow-restrictions/
 * @see https://argo-workflows.readthedocs.io/en/latest/workflow-templates/
 */
export class BuildPlane extends Construct {
  /** The organization it belongs to. */
  public readonly organization: Organization;
  /** The build plane's name. */
  public readonly name: string;
  /** The data plane whose cluster runs the builds. */
  public readonly dataPlane: DataPlane;
  /** Registry (host and path) images are pushed to. */
  public readonly registry: string;
  /** Push credentials. */
  public readonly registryCredentials: SecretRef;
  /** Namespace of the workflows. */
  public readonly namespace: string;
  /** Default Git credentials, if any. */
  public readonly gitCredentials?: SecretRef;
  /** Confinement of Dockerfile builds. */
  public readonly dockerfileConfinement: BuilderConfinement;
  /** Workspace volume size. */
  public readonly workspaceSize: string;
  /** Workspace StorageClass, if set. */
  public readonly storageClass?: string;
  /** How long a run may take before it is stopped. */
  public readonly timeout: Duration;
  /** Whether the registry build cache is used. */
  public readonly registryCache: boolean;
  /** BuildKit image. */
  public readonly buildkitImage: string;
  /** Checkout image. */
  public readonly gitImage: string;
  /** @internal */ public readonly _allowedHosts: BuildHost[];
  /** @internal */ public readonly _registryHosts: BuildHost[];
  /** @internal */ public readonly _kubernetesApiCidrs?: string[];
  /** @internal */ public readonly _kubernetesApiPorts: number[];
  /** @internal */ public readonly _builderResources: ResourceRequirements;

  constructor(scope: Construct, id: string, props: BuildPlaneProps) {
    super(scope, id);
    this.organization = Organization.ofConstruct(this);
    this.name = checkDnsLabel(this, 'build plane name', props.name ?? id);
    const dp = props.dataPlane;
    if (!dp || dp.organization !== this.organization) {
      fail(this, `build plane '${this.name}' runs on data plane ${dp?.node?.path ? `'${dp.node.path}'` : 'undefined'}, which is not a data plane of organization '${this.organization.name}'`,
        `declare the DataPlane in organization '${this.organization.name}' (a dedicated build cluster is a DataPlane without environments) and pass it as 'dataPlane'`);
    }
    const twin = this.organization.buildPlanes.find(b => b.dataPlane === dp);
    if (twin) {
      fail(this, `data plane '${dp.name}' already has build plane '${twin.name}' (${twin.node.path})`,
        `declare one build plane per data plane: remove '${this.name}', or place it on another data plane`);
    }
    this.dataPlane = dp;
    this.registry = checkRegistry(this, props.registry);
    if (props.registryCredentials === undefined) fail(this, `build plane '${this.name}' has no registryCredentials`, "set registryCredentials: SecretRef.fromStore('<key of a Docker config JSON>')");
    checkSecretRef(this, 'registryCredentials', props.registryCredentials);
    this.registryCredentials = props.registryCredentials;
    this.namespace = checkDnsLabel(this, 'build namespace', props.namespace ?? `workflows-${this.organization.name}`);
    if (props.gitCredentials !== undefined) checkSecretRef(this, 'gitCredentials', props.gitCredentials);
    this.gitCredentials = props.gitCredentials;
    this._allowedHosts = checkHosts(this, 'allowedHosts', props.allowedHosts ?? []);
    this._registryHosts = props.registryHosts !== undefined
      ? checkHosts(this, 'registryHosts', props.registryHosts)
      : defaultRegistryHosts(this.registry);
    if (props.registryHosts !== undefined && this._registryHosts.length === 0) {
      fail(this, 'registryHosts is empty', "leave registryHosts unset to use the registry's host, or list the hosts the registry is reached at");
    }
    if (props.kubernetesApiCidrs !== undefined) {
      if (props.kubernetesApiCidrs.length === 0) fail(this, 'kubernetesApiCidrs is empty', 'list the API server endpoint ranges, or leave it unset (Cilium only)');
      for (const c of props.kubernetesApiCidrs) if (!CIDR.test(c)) fail(this, `kubernetesApiCidrs entry '${c}' is not an IPv4 CIDR`, "use the form '10.0.0.10/32'");
      this._kubernetesApiCidrs = [...new Set(props.kubernetesApiCidrs)].sort();
    }
    const apiPorts = props.kubernetesApiPorts ?? [443, 6443];
    if (apiPorts.length === 0) fail(this, 'kubernetesApiPorts is empty', 'list the API server endpoint ports, e.g. [6443]');
    for (const p of apiPorts) checkPort(this, 'kubernetesApiPorts entry', p);
    this._kubernetesApiPorts = [...new Set(apiPorts)].sort((a, b) => a - b);
    this.dockerfileConfinement = props.dockerfileConfinement ?? BuilderConfinement.unconfined();
    if (!(this.dockerfileConfinement instanceof BuilderConfinement)) {
      fail(this, `dockerfileConfinement '${String(this.dockerfileConfinement)}' is not a BuilderConfinement`, 'use BuilderConfinement.unconfined() or BuilderConfinement.localhostProfiles(...)');
    }
    for (const [what, p] of [['seccomp profile', this.dockerfileConfinement.seccompProfile], ['AppArmor profile', this.dockerfileConfinement.appArmorProfile]] as const) {
      if (p !== undefined && (!LOCALHOST_PROFILE.test(p) || p.startsWith('/') || p.split('/').includes('..'))) {
        fail(this, `${what} '${p}' is not a relative profile name`, "name the profile as installed on the nodes, e.g. 'profiles/buildkit-rootless.json'");
      }
    }
    const r = props.builderResources ?? {};
    checkResourceFields(this, 'builderResources', r);
    this._builderResources = withResourceDefaults(r, { cpuRequest: '500m', cpuLimit: '2', memoryRequest: '1Gi', memoryLimit: '4Gi' });
    this.workspaceSize = props.workspaceSize ?? '2Gi';
    checkMemory(this, 'workspaceSize', this.workspaceSize);
    if (props.storageClass !== undefined) checkDnsLabel(this, 'storageClass', props.storageClass, 253);
    this.storageClass = props.storageClass;
    rejectRenamedDuration(this, props, 'timeoutMinutes', 'timeout', 'minutes');
    this.timeout = props.timeout ?? Duration.minutes(60);
    checkDurationSeconds(this, 'timeout', this.timeout, 60, 24 * 3600);
    this.registryCache = checkBoolean(this, 'registryCache', props.registryCache) ?? true;
    this.buildkitImage = checkBuilderImage(this, 'buildkitImage', props.buildkitImage ?? DEFAULT_BUILDKIT_IMAGE);
    this.gitImage = checkBuilderImage(this, 'gitImage', props.gitImage ?? DEFAULT_GIT_IMAGE);
    this.organization._register('BuildPlane', this.name, this);
  }

  /** The image repository a component of `project` named `component` is pushed to. */
  public repositoryFor(project: string, component: string): string {
    return `${this.registry}/${this.organization.name}-${project}-${component}`;
  }
}

