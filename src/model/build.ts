import * as path from 'path';
import { Construct, IConstruct } from 'constructs';
import { checkDnsLabel, checkInteger, checkMemory, checkPort, checkResourceFields, isImageReference, withResourceDefaults } from './checks';
import type { DataPlane } from './data-plane';
import { fail } from './errors';
import { ResourceRequirements } from './options';
import { Organization } from './organization';
import { SecretRef } from './secrets';

/** Which tool turns a component's source into an image. */
export enum BuilderKind {
  /** The repository's Dockerfile, built by BuildKit in rootless mode. */
  DOCKERFILE = 'dockerfile',
  /** Cloud Native Buildpacks (the lifecycle of a CNB builder image, non-root). */
  BUILDPACKS = 'buildpacks',
}

/** Options of {@link Builder.dockerfile}. */
export interface DockerfileBuilderOptions {
  /**
   * The Dockerfile, relative to the source's `path`. It must stay inside the repository.
   * @default 'Dockerfile'
   */
  readonly dockerfile?: string;
  /**
   * The build context directory, relative to the source's `path`. It must stay inside the
   * repository (`'..'` from `services/api` is the repository's `services` folder).
   * @default '.' - the source path itself
   */
  readonly context?: string;
}

/** Options of {@link Builder.buildpacks}. */
export interface BuildpacksBuilderOptions {
  /**
   * The CNB builder image, pinned by a version tag or a digest (mirror it into your own registry
   * for air-gapped clusters).
   * @default 'docker.io/paketobuildpacks/builder-jammy-base:0.4.610' (Paketo Jammy Base: Java, Go, .NET, Node.js, Python, Ruby, NGINX, HTTPD, Procfile)
   * @see https://paketo.io/docs/reference/builders-reference/
   */
  readonly builderImage?: string;
  /**
   * The run image the application layers are placed on.
   * @default - the builder's run image (Paketo Jammy Base: `index.docker.io/paketobuildpacks/run-jammy-base:latest`, so Docker Hub must be in the build plane's allowedHosts)
   */
  readonly runImage?: string;
  /**
   * The user the lifecycle runs as: the builder image's `CNB_USER_ID`.
   * @default 1001 (Paketo Jammy builders)
   */
  readonly userId?: number;
  /**
   * The group the lifecycle runs as: the builder image's `CNB_GROUP_ID`.
   * @default 1000 (Paketo Jammy builders)
   */
  readonly groupId?: number;
}

/** BuildKit (rootless) image the Dockerfile builds run in, pinned by tag. @internal */
export const DEFAULT_BUILDKIT_IMAGE = 'docker.io/moby/buildkit:v0.32.2-rootless';
/** Paketo's Jammy Base builder, pinned by tag (lifecycle 0.21.14). @internal */
export const DEFAULT_BUILDPACKS_BUILDER = 'docker.io/paketobuildpacks/builder-jammy-base:0.4.610';
/** The image the checkout step runs in, pinned by tag. @internal */
export const DEFAULT_GIT_IMAGE = 'docker.io/alpine/git:v2.52.0';

/**
 * How a component's source becomes an image. Builders run unprivileged (no `privileged`, no host
 * namespaces, no added capabilities beyond the two rootless BuildKit needs):
 *
 * - {@link Builder.buildpacks}: the Cloud Native Buildpacks lifecycle (`creator`) of a builder
 *   image, as the builder's non-root CNB user, all capabilities dropped, RuntimeDefault seccomp,
 *   read-only root filesystem: it meets the Pod Security "restricted" profile.
 * - {@link Builder.dockerfile}: BuildKit in rootless mode (`moby/buildkit:<version>-rootless`,
 *   daemonless, `--oci-worker-no-process-sandbox`). It runs as UID 1000 and maps the build's
 *   root to that user's subordinate IDs with a user namespace. Creating it needs `newuidmap`
 *   (setuid, so `allowPrivilegeEscalation: true` and only SETUID/SETGID kept), and BuildKit's
 *   `unshare`/`mount` calls need seccomp and AppArmor relaxed (Unconfined, or node-installed
 *   Localhost profiles, see {@link BuilderConfinement}). Pod Security "baseline" forbids
 *   Unconfined profiles, so a build namespace with Dockerfile builds enforces "privileged"
 *   (or "baseline" with Localhost profiles); its audit and warn levels stay "restricted".
 *   Kaniko (runs as root; archived upstream in June 2025) and Buildah (the common in-cluster
 *   setups run it privileged) were not chosen.
 *
 * Tool images are pinned by tag: `moby/buildkit:v0.32.2-rootless`,
 * `paketobuildpacks/builder-jammy-base:0.4.610` (lifecycle 0.21.14) and `alpine/git:v2.52.0`;
 * `BuildPlaneProps.buildkitImage`, `gitImage` and `builderImage` take mirrors or digests.
 *
 * @see https://github.com/moby/buildkit/blob/master/docs/rootless.md
 * @see https://buildpacks.io/docs/for-platform-operators/concepts/lifecycle/create/
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/
 */
export class Builder {
  /** Builds the repository's Dockerfile with rootless BuildKit. */
  public static dockerfile(options: DockerfileBuilderOptions = {}): Builder {
    return new Builder(BuilderKind.DOCKERFILE, options.dockerfile ?? 'Dockerfile', options.context ?? '.');
  }

  /** Builds the source with Cloud Native Buildpacks (no Dockerfile needed). */
  public static buildpacks(options: BuildpacksBuilderOptions = {}): Builder {
    return new Builder(BuilderKind.BUILDPACKS, undefined, undefined, options.builderImage ?? DEFAULT_BUILDPACKS_BUILDER,
      options.runImage, options.userId ?? 1001, options.groupId ?? 1000);
  }

  private constructor(
    /** The kind of builder. */
    public readonly kind: BuilderKind,
    /** Dockerfile path relative to the source path (Dockerfile builds). */
    public readonly dockerfilePath?: string,
    /** Build context relative to the source path (Dockerfile builds). */
    public readonly contextPath?: string,
    /** CNB builder image (buildpacks builds). */
    public readonly builderImage?: string,
    /** Run image, if set (buildpacks builds). */
    public readonly runImage?: string,
    /** Lifecycle user (buildpacks builds). */
    public readonly userId?: number,
    /** Lifecycle group (buildpacks builds). */
    public readonly groupId?: number,
  ) {}
}

/**
 * How the BuildKit container of Dockerfile builds is confined. Rootless BuildKit needs syscalls
 * (`unshare`, `mount`) that the container runtime's default seccomp and AppArmor profiles deny.
 * @see https://github.com/moby/buildkit/blob/master/docs/rootless.md#containerized-deployment
 */
export class BuilderConfinement {
  /**
   * seccomp `Unconfined` and AppArmor `unconfined` for the BuildKit container only (BuildKit's
   * documented setup). The build namespace then enforces Pod Security "privileged", since no
   * lower level admits Unconfined profiles.
   */
  public static unconfined(): BuilderConfinement {
    return new BuilderConfinement();
  }

  /**
   * Profiles installed on the build nodes (for example with the Security Profiles Operator) that
   * allow what rootless BuildKit needs. The build namespace then enforces Pod Security "baseline".
   * @param seccompProfile path of the seccomp profile below the kubelet's seccomp directory, e.g. `profiles/buildkit-rootless.json`
   * @param appArmorProfile name of the AppArmor profile loaded on the nodes; omit only if the nodes do not run AppArmor
   */
  public static localhostProfiles(seccompProfile: string, appArmorProfile?: string): BuilderConfinement {
    return new BuilderConfinement(seccompProfile, appArmorProfile);
  }

  private constructor(
    /** Localhost seccomp profile, if any (Unconfined otherwise). */
    public readonly seccompProfile?: string,
    /** Localhost AppArmor profile, if any. */
    public readonly appArmorProfile?: string,
  ) {}
}

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
const REPO_PATH = /^[A-Za-z0-9._@+/-]+$/;
const GIT_USER = /^[A-Za-z0-9._@+-]+$/;

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
    fail(scope, `source repository '${credentials ? repository.replace(/\/\/[^/]*@/, '//***@') : repository}' is not a valid HTTPS Git URL`,
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

function checkBranch(scope: IConstruct, branch: string): void {
  const bad = typeof branch !== 'string' || branch.length === 0 || !/^[A-Za-z0-9._/-]+$/.test(branch) || branch.startsWith('-') || branch.startsWith('/')
    || branch.endsWith('/') || branch.endsWith('.') || branch.endsWith('.lock') || branch.includes('..') || branch.includes('//');
  if (bad) fail(scope, `build branch '${branch}' is not a valid Git branch name`, "use a branch such as 'main' or 'release/1.x'");
}

/**
 * Normalizes a path relative to `base` (itself relative to the repository root) and checks that
 * it stays inside the repository. Returns the path relative to the root ('.' for the root).
 */
function checkRepoPath(scope: IConstruct, what: string, value: string, base: string): string {
  if (typeof value !== 'string' || value.length === 0 || !REPO_PATH.test(value)) {
    fail(scope, `${what} '${value}' is invalid`, "use a relative path of letters, digits, '.', '_', '-' and '/', e.g. 'services/api'");
  }
  if (value.startsWith('/')) fail(scope, `${what} '${value}' is absolute`, 'give it relative to the repository (source.path) or to source.path (Dockerfile and context)');
  const joined = path.posix.normalize(path.posix.join(base, value)).replace(/\/+$/, '');
  if (joined === '..' || joined.startsWith('../')) {
    fail(scope, `${what} '${value}' escapes the repository (it resolves to '${joined}' from the repository root)`,
      `keep it inside the repository: relative to ${base === '.' ? 'the repository root' : `'${base}'`}, use at most ${base === '.' ? 0 : base.split('/').length} '..'`);
  }
  return joined === '' ? '.' : joined;
}

/** Builder images must be pinned (a version tag or a digest). */
function checkBuilderImage(scope: IConstruct, what: string, image: string): string {
  const last = typeof image === 'string' ? image.slice(image.lastIndexOf('/') + 1) : '';
  const pinned = typeof image === 'string' && (image.includes('@sha256:') || (last.includes(':') && !last.endsWith(':latest')));
  if (!isImageReference(image) || !pinned) {
    fail(scope, `${what} '${image}' is not a pinned image reference`, "pin it by a version tag or a digest, e.g. 'docker.io/paketobuildpacks/builder-jammy-base:0.4.610'");
  }
  return image;
}

function checkSecretRef(scope: IConstruct, what: string, ref: SecretRef): void {
  if (!(ref instanceof SecretRef)) fail(scope, `${what} '${String(ref)}' is not a SecretRef`, `use ${what}: SecretRef.fromStore('<remote-key>')`);
  if (typeof ref.key !== 'string' || ref.key.trim() === '') fail(scope, `${what} has an empty remote key ('${ref.key}')`, `use ${what}: SecretRef.fromStore('<remote-key>')`);
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
   * Minutes a run may take before it is stopped.
   * @default 60
   */
  readonly timeoutMinutes?: number;
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

const REGISTRY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)(:(\d{1,5}))?((\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*)$/;
const HOST_ENTRY = /^(\*\.)?([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+)(:(\d{1,5}))?$/;
const CIDR = /^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\/(3[0-2]|[12]?\d)$/;
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
  /** Run timeout in minutes. */
  public readonly timeoutMinutes: number;
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
    checkInteger(this, 'timeoutMinutes', props.timeoutMinutes, 1, 24 * 60);
    this.timeoutMinutes = props.timeoutMinutes ?? 60;
    this.registryCache = props.registryCache ?? true;
    this.buildkitImage = checkBuilderImage(this, 'buildkitImage', props.buildkitImage ?? DEFAULT_BUILDKIT_IMAGE);
    this.gitImage = checkBuilderImage(this, 'gitImage', props.gitImage ?? DEFAULT_GIT_IMAGE);
    this.organization._register('BuildPlane', this.name, this);
  }

  /** The image repository a component of `project` named `component` is pushed to. */
  public repositoryFor(project: string, component: string): string {
    return `${this.registry}/${this.organization.name}-${project}-${component}`;
  }
}

function checkRegistry(scope: IConstruct, registry: string): string {
  const m = typeof registry === 'string' ? REGISTRY.exec(registry) : null;
  const host = m?.[1] ?? '';
  if (!m || !(host.includes('.') || m[5] !== undefined || host === 'localhost')) {
    const fix = typeof registry === 'string' && /^[a-z]+:\/\//i.test(registry) ? `drop the scheme: '${registry.replace(/^[a-z]+:\/\//i, '')}'`
      : typeof registry === 'string' && /[:@][^/]*$/.test(registry) && !/:\d+$/.test(registry) ? 'remove the tag or digest: the registry is a host and a path, images get their own names'
        : typeof registry === 'string' && registry !== registry.toLowerCase() ? `use lowercase: '${registry.toLowerCase()}'`
          : "use a registry host with an optional path, e.g. 'ghcr.io/acme' or 'registry.acme.example:5000/platform' (Docker Hub: 'docker.io/acme')";
    fail(scope, `registry '${registry}' is not a registry host with an optional path`, fix);
  }
  if (m[6] !== undefined) checkPort(scope, 'registry port', Number(m[6]));
  return registry;
}

function defaultRegistryHosts(registry: string): BuildHost[] {
  const m = REGISTRY.exec(registry)!;
  const host = m[1];
  if (host === 'docker.io' || host === 'index.docker.io') {
    return [{ host: 'auth.docker.io', port: 443 }, { host: 'registry-1.docker.io', port: 443 }];
  }
  return [{ host, port: m[6] !== undefined ? Number(m[6]) : 443 }];
}

function checkHosts(scope: IConstruct, what: string, hosts: string[]): BuildHost[] {
  const out = new Map<string, BuildHost>();
  for (const h of hosts) {
    const m = typeof h === 'string' ? HOST_ENTRY.exec(h) : null;
    if (!m) {
      fail(scope, `${what} entry '${h}' is not a host name`, "use 'host' or 'host:port' without scheme or path, e.g. 'registry.npmjs.org' or '*.pkg.dev:443'");
    }
    const port = m[7] !== undefined ? checkPort(scope, `${what} port`, Number(m[7])) : 443;
    const host = `${m[1] ?? ''}${m[2]}`;
    out.set(`${host}:${port}`, { host, port });
  }
  return [...out.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, v]) => v);
}
