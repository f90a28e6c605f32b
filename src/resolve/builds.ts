import { Annotations, Labels, MANAGED_BY, podSecurityLabels, PodSecurityLevel } from './labels';
import { generateName, NameLimit, stableUid } from './naming';
import { PlanNetworkRule, PlanPeer, PlanResources, PlanSecretData } from './plan';
import { secretData } from './secret-data';
import { WidenedRule, widenedFqdnEgress } from './widened';
import { BuildHost, BuildPlane } from '../model/build';
import { BuilderKind } from '../model/builder';
import { isImageOf } from '../model/checks';
import { Component } from '../model/component';
import { Environment } from '../model/environment';
import { ProblemCollector } from '../model/errors';
import { NetworkPolicyProvider, PodPeer } from '../model/network';
import { Organization } from '../model/organization';

/** The label that tells a build pod's step (`checkout` or `build`); network policies select by it. @internal */
export const BUILD_STEP_LABEL = 'openchoreo.dev/build-step';
/** Names of the build namespace's fixed objects. @internal */
export const BuildNames = {
  SERVICE_ACCOUNT: 'workflow-sa',
  EXECUTOR_ROLE: 'workflow-executor',
  REGISTRY_SECRET: 'registry-push',
  DEFAULT_GIT_SECRET: 'git-credentials',
  BASELINE_POLICY: 'build-baseline',
  CHECKOUT_POLICY: 'build-checkout',
  BUILD_POLICY: 'build-image',
} as const;

/** An ExternalSecret of the build namespace. @internal */
export interface PlanBuildSecret {
  readonly name: string;
  readonly data: PlanSecretData;
  /** Secret type (the registry's is `kubernetes.io/dockerconfigjson`). */
  readonly type?: string;
  /** The component it belongs to (component Git credentials). */
  readonly component?: { readonly project: string; readonly name: string };
}

/** One built component: its WorkflowTemplate's inputs. @internal */
export interface PlanBuild {
  /** Construct path of the component. */
  readonly path: string;
  readonly project: string;
  readonly component: string;
  /** Labels of its objects (and, without managed-by, of its pods). */
  readonly labels: Record<string, string>;
  readonly templateName: string;
  /** The image repository the build pushes (`<registry>/<org>-<project>-<component>`). */
  readonly repository: string;
  /** The pipeline's root environment, where `release` pins the build's output. */
  readonly releaseEnvironment?: string;
  readonly source: { readonly url: string; readonly branch: string; readonly path: string };
  readonly builder: BuilderKind;
  readonly builderImage: string;
  /** Dockerfile builds: Dockerfile and context relative to the repository root. */
  readonly dockerfile?: string;
  readonly context?: string;
  /** Buildpacks builds: the run image, if set. */
  readonly runImage?: string;
  /** User and group the steps run as (the builder's). */
  readonly runAsUser: number;
  readonly runAsGroup: number;
  /** Secret with the Git password (`password` key), if any. */
  readonly gitSecret?: string;
  readonly gitUsername: string;
}

/** A build plane: Argo Workflows in a namespace of a data plane's cluster. @internal */
export interface PlanBuildPlane {
  readonly path: string;
  readonly name: string;
  readonly organization: string;
  readonly dataPlane: string;
  readonly namespace: string;
  /** Labels of its objects. */
  readonly labels: Record<string, string>;
  readonly namespaceLabels: Record<string, string>;
  readonly namespaceAnnotations: Record<string, string>;
  readonly podSecurity: PodSecurityLevel;
  readonly registry: string;
  readonly secrets: PlanBuildSecret[];
  readonly network: {
    readonly provider: NetworkPolicyProvider;
    readonly dns: PodPeer;
    /** Egress of every build pod besides DNS (the API server, for Argo's executor). */
    readonly all: PlanNetworkRule[];
    readonly checkout: PlanNetworkRule[];
    readonly build: PlanNetworkRule[];
    /** Rules the Kubernetes back-end renders wider than declared. */
    readonly widened: WidenedRule[];
  };
  readonly confinement: { readonly seccompProfile?: string; readonly appArmorProfile?: string };
  readonly resources: { readonly builder: PlanResources; readonly checkout: PlanResources; readonly executor: PlanResources };
  readonly workspaceSize: string;
  readonly storageClass?: string;
  readonly timeoutSeconds: number;
  readonly registryCache: boolean;
  readonly buildkitImage: string;
  readonly gitImage: string;
  readonly builds: PlanBuild[];
}

const CHECKOUT_RESOURCES: PlanResources = { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1', memory: '512Mi' } };
const EXECUTOR_RESOURCES: PlanResources = { requests: { cpu: '10m', memory: '64Mi' }, limits: { cpu: '500m', memory: '256Mi' } };

/** The build plane that builds `c`, if it can be determined. */
function planeOf(org: Organization, c: Component): BuildPlane | undefined {
  const planes = org.buildPlanes;
  return c._build?.buildPlane ?? (planes.length === 1 ? planes[0] : undefined);
}

/**
 * Whether a component runs in `env`: components with an image always do; a built component
 * without one runs once the release ledger pins a release there (or an override sets an image).
 * Its dependents still get its address, which it serves once released. @internal
 */
export function isPlacedIn(org: Organization, c: Component, env: Environment): boolean {
  return c.image !== undefined || c._overrides.get(env)?.image !== undefined || org.releases?.pinOf(env.name, c.project.name, c.name) !== undefined;
}

/**
 * Resolves the build planes and their builds: which plane builds each component, the image
 * repository, the Git and registry credentials, the build namespace's Pod Security level and
 * egress rules. Checks that every image a built component may run (its `image`, environment
 * overrides, release ledger pins) comes from its build repository. @internal
 */
export function resolveBuildPlanes(
  org: Organization, releaseEnvironmentOf: (c: Component) => string | undefined, problems: ProblemCollector,
): PlanBuildPlane[] {
  const builtBy = new Map<BuildPlane, Component[]>(org.buildPlanes.map(bp => [bp, []]));
  for (const c of org._components()) {
    if (!c._build) continue;
    const plane = planeOf(org, c);
    if (!plane) {
      const planes = org.buildPlanes;
      if (planes.length === 0) {
        problems.add(c, `is built from '${c._build.repository}', but organization '${org.name}' declares no BuildPlane`,
          `declare one: new BuildPlane(org, 'ci', { dataPlane, registry: 'ghcr.io/${org.name}', registryCredentials: SecretRef.fromStore('<registry-credentials-key>') })`);
      } else {
        problems.add(c, `is built from '${c._build.repository}', but organization '${org.name}' has ${planes.length} build planes (${planes.map(p => p.name).join(', ')})`,
          `choose one with source.buildPlane (${planes.map(p => p.name).join(' or ')})`);
      }
      continue;
    }
    builtBy.get(plane)!.push(c);
    checkImagesOf(org, c, plane.repositoryFor(c.project.name, c.name), problems);
  }
  return org.buildPlanes.map(bp => resolvePlane(org, bp, builtBy.get(bp)!, releaseEnvironmentOf, problems));
}

function checkImagesOf(org: Organization, c: Component, repository: string, problems: ProblemCollector): void {
  const fixImage = `use an image its build pushed ('${repository}:<tag>@sha256:<digest>')`;
  if (c.image !== undefined && !isImageOf(c.image, repository)) {
    problems.add(c, `image '${c.image}' is not an image of the component's build repository '${repository}'`,
      `${fixImage}, or remove image so that the component runs the releases the ledger pins`);
  }
  for (const [env, o] of [...c._overrides.entries()].sort(([a], [b]) => (a.name < b.name ? -1 : 1))) {
    if (o.image !== undefined && !isImageOf(o.image, repository)) {
      problems.add(c, `the image override '${o.image}' for '${env.name}' is not an image of the component's build repository '${repository}'`,
        `${fixImage}, or pin releases in the ledger instead of overriding the image`, { environment: env.name });
    }
  }
  const ledger = org.releases;
  if (!ledger) return;
  for (const env of ledger.environments) {
    const pin = ledger.pinOf(env, c.project.name, c.name);
    if (pin && !isImageOf(pin.image, repository)) {
      problems.add(c, `the release ledger (${ledger.source}) pins '${pin.image}' in '${env}', which is not an image of the component's build repository '${repository}'`,
        `pin the build's output: npx cdk8s-openchoreo release --project ${c.project.name} --component ${c.name} --image ${repository}:<tag>@sha256:<digest> (then promote it)`);
    }
  }
}

function resolvePlane(
  org: Organization, bp: BuildPlane, components: Component[], releaseEnvironmentOf: (c: Component) => string | undefined, problems: ProblemCollector,
): PlanBuildPlane {
  const dp = bp.dataPlane;
  const labels = { [Labels.NAMESPACE]: org.name, [Labels.DATAPLANE]: dp.name, [Labels.WORKFLOW_PLANE]: bp.name, [Labels.MANAGED_BY]: MANAGED_BY };
  const secrets: PlanBuildSecret[] = [{
    name: BuildNames.REGISTRY_SECRET,
    type: 'kubernetes.io/dockerconfigjson',
    data: secretData('.dockerconfigjson', bp.registryCredentials),
  }];
  let defaultGitUsed = false;
  const builds: PlanBuild[] = components.map(c => {
    const b = c._build!;
    const project = c.project.name;
    let gitSecret: string | undefined;
    if (b.gitCredentials) {
      gitSecret = generateName(NameLimit.SUBDOMAIN, project, c.name, 'git');
      secrets.push({ name: gitSecret, data: secretData('password', b.gitCredentials), component: { project, name: c.name } });
    } else if (bp.gitCredentials) {
      gitSecret = BuildNames.DEFAULT_GIT_SECRET;
      defaultGitUsed = true;
    }
    const dockerfile = b.builder.kind === BuilderKind.DOCKERFILE;
    return {
      path: c.node.path,
      project,
      component: c.name,
      labels: {
        ...labels,
        [Labels.PROJECT]: project,
        [Labels.COMPONENT]: c.name,
        [Labels.COMPONENT_UID]: stableUid('Component', org.name, project, c.name),
        [Labels.WORKFLOW_TYPE]: 'component',
      },
      templateName: generateName(NameLimit.SUBDOMAIN, project, c.name),
      repository: bp.repositoryFor(project, c.name),
      releaseEnvironment: releaseEnvironmentOf(c),
      source: { url: b.repository, branch: b.branch, path: b.path },
      builder: b.builder.kind,
      builderImage: dockerfile ? bp.buildkitImage : b.builder.builderImage!,
      dockerfile: b.dockerfile,
      context: b.context,
      runImage: b.builder.runImage,
      // The rootless BuildKit image's user is 1000:1000 (its /etc/subuid names it).
      runAsUser: dockerfile ? 1000 : b.builder.userId!,
      runAsGroup: dockerfile ? 1000 : b.builder.groupId!,
      gitSecret,
      gitUsername: b.gitUsername,
    };
  }).sort((a, b) => (a.templateName < b.templateName ? -1 : 1));
  if (defaultGitUsed) secrets.push({ name: BuildNames.DEFAULT_GIT_SECRET, data: secretData('password', bp.gitCredentials!) });
  secrets.sort((a, b) => (a.name < b.name ? -1 : 1));

  const relaxedBy = builds.filter(b => b.builder === BuilderKind.DOCKERFILE).map(b => `${b.project}/${b.component}`);
  const confinement = bp.dockerfileConfinement;
  const podSecurity: PodSecurityLevel = relaxedBy.length === 0 ? 'restricted' : confinement.seccompProfile ? 'baseline' : 'privileged';
  const namespaceAnnotations: Record<string, string> = relaxedBy.length === 0 ? {} : {
    [Annotations.POD_SECURITY_RELAXED_BY]: relaxedBy.join(','),
    [Annotations.POD_SECURITY_REASON]: confinement.seccompProfile
      ? 'rootless BuildKit (Dockerfile builds) needs SETUID/SETGID for newuidmap and privilege escalation; its seccomp and AppArmor profiles are node-installed Localhost profiles'
      : 'rootless BuildKit (Dockerfile builds) needs seccomp and AppArmor Unconfined (unshare, mount), which only the privileged level admits; it still runs as UID 1000 with all other capabilities dropped',
  };

  const network = resolveNetwork(bp, builds, problems);
  return {
    path: bp.node.path,
    name: bp.name,
    organization: org.name,
    dataPlane: dp.name,
    namespace: bp.namespace,
    labels,
    namespaceLabels: { ...labels, ...podSecurityLabels(podSecurity) },
    namespaceAnnotations,
    podSecurity,
    registry: bp.registry,
    secrets,
    network,
    confinement: { seccompProfile: confinement.seccompProfile, appArmorProfile: confinement.appArmorProfile },
    resources: {
      builder: {
        requests: { cpu: bp._builderResources.cpuRequest!, memory: bp._builderResources.memoryRequest! },
        limits: { cpu: bp._builderResources.cpuLimit!, memory: bp._builderResources.memoryLimit! },
      },
      checkout: CHECKOUT_RESOURCES,
      executor: EXECUTOR_RESOURCES,
    },
    workspaceSize: bp.workspaceSize,
    storageClass: bp.storageClass,
    timeoutSeconds: bp.timeout.toSeconds(),
    registryCache: bp.registryCache,
    buildkitImage: bp.buildkitImage,
    gitImage: bp.gitImage,
    builds,
  };
}

/**
 * Egress of the build pods: DNS (rendered by the baseline), the API server for Argo's executor
 * (every pod), the Git hosts (checkout pods), the registry and the declared hosts (build pods).
 * Nothing else, and no ingress.
 */
function resolveNetwork(bp: BuildPlane, builds: PlanBuild[], problems: ProblemCollector): PlanBuildPlane['network'] {
  const dp = bp.dataPlane;
  const provider = dp.networkPolicyProvider;
  const widened: WidenedRule[] = [];
  const apiPorts = bp._kubernetesApiPorts.map(port => ({ port, protocol: 'TCP' as const }));
  const all: PlanNetworkRule[] = [];
  if (bp._kubernetesApiCidrs) {
    all.push({ peer: { kind: 'cidrs', cidrs: bp._kubernetesApiCidrs }, ports: apiPorts, reason: "the Kubernetes API server (Argo's executor records step results)" });
  } else if (provider === NetworkPolicyProvider.CILIUM) {
    all.push({ peer: { kind: 'kube-apiserver' }, ports: apiPorts, reason: "the Kubernetes API server (Argo's executor records step results)" });
  } else if (builds.length > 0) {
    problems.add(bp, `the Kubernetes NetworkPolicy back-end of data plane '${dp.name}' cannot select the API server, which Argo's executor in build namespace '${bp.namespace}' must reach`,
      "set kubernetesApiCidrs to the API server endpoints (kubectl get endpoints kubernetes -n default), e.g. kubernetesApiCidrs: ['10.0.0.10/32']");
  }

  const gitHosts = new Map<string, { host: BuildHost; users: string[] }>();
  for (const b of builds) {
    const url = new URL(b.source.url);
    const host: BuildHost = { host: url.hostname, port: url.port ? Number(url.port) : 443 };
    const key = `${host.host}:${host.port}`;
    const entry = gitHosts.get(key) ?? { host, users: [] };
    entry.users.push(`${b.project}/${b.component}`);
    gitHosts.set(key, entry);
  }
  const hostRules = (hosts: Array<{ host: BuildHost; reason: string }>, step: string): PlanNetworkRule[] => {
    const sorted = [...hosts].sort((a, b) => (`${a.host.host}:${a.host.port}` < `${b.host.host}:${b.host.port}` ? -1 : 1));
    if (provider === NetworkPolicyProvider.CILIUM) {
      return sorted.map(h => ({ peer: { kind: 'fqdn', fqdn: h.host.host } as PlanPeer, ports: [{ port: h.host.port, protocol: 'TCP' as const }], reason: h.reason }));
    }
    if (sorted.length === 0) return [];
    const names = sorted.map(h => `${h.host.host}:${h.host.port}`);
    if (!dp.acceptWiderNetworkRules) {
      problems.add(bp, `${step} pods must reach ${names.join(', ')} by host name, which the Kubernetes NetworkPolicy back-end of data plane '${dp.name}' cannot express`,
        `use the Cilium back-end, or set acceptWiderNetworkRules: true on data plane '${dp.name}' to allow these ports to any address`);
      return [];
    }
    const ports = [...new Set(sorted.map(h => h.host.port))].sort((a, b) => a - b);
    widened.push(widenedFqdnEgress(`build ${step} pods`, names.join(', '), ports.map(port => ({ port, protocol: 'TCP' })), step));
    return [{ peer: { kind: 'anywhere' }, ports: ports.map(port => ({ port, protocol: 'TCP' as const })), reason: `${names.join(', ')} (widened: NetworkPolicy has no FQDN rules)` }];
  };
  const checkout = hostRules([...gitHosts.values()].map(g => ({ host: g.host, reason: `Git host of ${g.users.sort().join(', ')}` })), 'checkout');
  const buildHosts = new Map<string, { host: BuildHost; reason: string }>();
  for (const h of bp._allowedHosts) buildHosts.set(`${h.host}:${h.port}`, { host: h, reason: 'declared download host (allowedHosts)' });
  for (const h of bp._registryHosts) buildHosts.set(`${h.host}:${h.port}`, { host: h, reason: `registry ${bp.registry}` });
  const build = builds.length === 0 ? [] : hostRules([...buildHosts.values()], 'build');
  return { provider, dns: dp.dnsPods, all, checkout, build, widened };
}
