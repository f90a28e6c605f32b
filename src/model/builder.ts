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
