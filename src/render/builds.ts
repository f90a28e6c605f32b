import { k8s } from 'cdk8s-plus-28';
import { BUILDKIT_SCRIPT, BUILDPACKS_SCRIPT, CHECKOUT_SCRIPT, Paths } from './build-scripts';
import { externalSecret } from './external-secret';
import { object, Plain } from './json';
import { renderCiliumEgressPolicy } from './network-cilium';
import { renderKubernetesEgressPolicy } from './network-kubernetes';
import { BuilderKind } from '../model/builder';
import { NetworkPolicyProvider } from '../model/network';
import { BUILD_STEP_LABEL, BuildNames, PlanBuild, PlanBuildPlane } from '../resolve/builds';
import { Labels } from '../resolve/labels';
import { PlanDataPlane, PlanNetworkRule, PlanResources } from '../resolve/plan';

/** CNB Platform API the lifecycle is driven with (lifecycle 0.21 supports 0.7 to 0.14). */
const CNB_PLATFORM_API = '0.13';

/**
 * A build plane's objects: the build namespace, the workflow service account with the executor's
 * RBAC, the ExternalSecrets, the network policies and one WorkflowTemplate per built component.
 * @internal
 */
export function renderBuildPlane(bp: PlanBuildPlane, dp: PlanDataPlane): any[] {
  const meta = (name: string, labels: Record<string, string> = bp.labels) => ({ name, namespace: bp.namespace, labels });
  const out: any[] = [
    object<k8s.KubeNamespaceProps>('v1', 'Namespace', {
      metadata: {
        name: bp.namespace,
        labels: bp.namespaceLabels,
        ...(Object.keys(bp.namespaceAnnotations).length > 0 ? { annotations: bp.namespaceAnnotations } : {}),
      },
    }),
    // The token is projected into Argo's executor containers only (see the podSpecPatch), never into build steps.
    object<k8s.KubeServiceAccountProps>('v1', 'ServiceAccount', { metadata: meta(BuildNames.SERVICE_ACCOUNT), automountServiceAccountToken: false }),
    object<k8s.KubeRoleProps>('rbac.authorization.k8s.io/v1', 'Role', {
      metadata: meta(BuildNames.EXECUTOR_ROLE),
      // What Argo Workflows' executor (>= v3.4) needs, and nothing more.
      rules: [{ apiGroups: ['argoproj.io'], resources: ['workflowtaskresults'], verbs: ['create', 'patch'] }],
    }),
    object<k8s.KubeRoleBindingProps>('rbac.authorization.k8s.io/v1', 'RoleBinding', {
      metadata: meta(BuildNames.EXECUTOR_ROLE),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: BuildNames.EXECUTOR_ROLE },
      subjects: [{ kind: 'ServiceAccount', name: BuildNames.SERVICE_ACCOUNT, namespace: bp.namespace }],
    }),
  ];
  for (const s of bp.secrets) {
    const build = s.component ? bp.builds.find(b => b.project === s.component!.project && b.component === s.component!.name) : undefined;
    out.push(externalSecret(meta(s.name, build?.labels ?? bp.labels), s.name, [s.data], dp, s.type));
  }
  out.push(...renderPolicies(bp));
  for (const b of bp.builds) out.push(workflowTemplate(bp, b));
  return out;
}

function renderPolicies(bp: PlanBuildPlane): any[] {
  const n = bp.network;
  const cilium = n.provider === NetworkPolicyProvider.CILIUM;
  const policy = (name: string, step: string | undefined, rules: PlanNetworkRule[], dns: boolean) => {
    const annotations: Record<string, string> = {};
    if (rules.length > 0) annotations['openchoreo.dev/allowed-egress'] = rules.map(describeRule).join('; ');
    const widened = step ? n.widened.filter(w => w.buildStep === step) : [];
    if (widened.length > 0) annotations['security.openchoreo.dev/widened'] = widened.map(w => w.text).join('; ');
    const metadata = { name, namespace: bp.namespace, labels: bp.labels, ...(Object.keys(annotations).length > 0 ? { annotations } : {}) };
    const pods: Record<string, string> = step ? { [BUILD_STEP_LABEL]: step } : {};
    const dnsPods = dns ? n.dns : undefined;
    return cilium ? renderCiliumEgressPolicy(metadata, pods, rules, dnsPods) : renderKubernetesEgressPolicy(metadata, pods, rules, dnsPods);
  };
  return [
    policy(BuildNames.BASELINE_POLICY, undefined, n.all, true),
    policy(BuildNames.CHECKOUT_POLICY, 'checkout', n.checkout, false),
    policy(BuildNames.BUILD_POLICY, 'build', n.build, false),
  ];
}

function describeRule(r: PlanNetworkRule): string {
  const peer = r.peer.kind === 'fqdn' ? r.peer.fqdn : r.peer.kind === 'cidrs' ? r.peer.cidrs!.join(',') : r.peer.kind;
  return `${peer}:${r.ports.map(p => p.port).join(',')} (${r.reason})`;
}

type Container = Plain<k8s.Container>;
type SecurityContext = Plain<k8s.SecurityContext>;

/** The restricted profile for one container. */
const RESTRICTED: SecurityContext = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  seccompProfile: { type: 'RuntimeDefault' },
};

const resources = (r: PlanResources) => ({ requests: { ...r.requests }, limits: { ...r.limits } });
const emptyDir = (name: string) => ({ name, emptyDir: {} });
const env = (vars: Record<string, string | undefined>) =>
  Object.entries(vars).filter(([, v]) => v !== undefined).map(([name, value]) => ({ name, value: value! }));

/**
 * Argo adds an `init` and a `wait` container (emissary executor) to every step pod. This patch
 * gives them the restricted profile and resources, and mounts the service-account token into them
 * only: the pod itself mounts none, so build steps (which run untrusted build scripts) get no API
 * credentials. Needs Argo's default pod layout (the init-less layout needs Kubernetes >= 1.33).
 */
function executorPatch(bp: PlanBuildPlane): string {
  const mount = { name: 'executor-token', mountPath: Paths.SERVICE_ACCOUNT, readOnly: true };
  const executor = (name: string) => ({ name, resources: resources(bp.resources.executor), securityContext: RESTRICTED, volumeMounts: [mount] });
  return JSON.stringify({
    automountServiceAccountToken: false,
    volumes: [{
      name: 'executor-token',
      projected: {
        sources: [
          { serviceAccountToken: { path: 'token', expirationSeconds: 3600 } },
          { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
          { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
        ],
      },
    }],
    initContainers: [executor('init')],
    containers: [executor('wait')],
  });
}

/**
 * One component's WorkflowTemplate: parameters `revision` (branch, tag or commit; the source's
 * branch by default) and `image-tag` (`git-<12 characters of the commit>` by default); step
 * `checkout` clones the revision into the workspace volume, step `build-and-push` builds it with
 * the component's builder and pushes `<repository>:<tag>`; the outputs `image`
 * (`<repository>:<tag>@sha256:<digest>`, what the release ledger pins), `digest` and `commit`
 * are global outputs of the run.
 */
function workflowTemplate(bp: PlanBuildPlane, b: PlanBuild): any {
  const dockerfile = b.builder === BuilderKind.DOCKERFILE;
  const podLabels = { ...b.labels };
  delete podLabels[Labels.MANAGED_BY]; // Argo creates the pods, not this tool
  const podSecurityContext = {
    runAsNonRoot: true,
    runAsUser: b.runAsUser,
    runAsGroup: b.runAsGroup,
    fsGroup: b.runAsGroup,
    fsGroupChangePolicy: 'OnRootMismatch',
    seccompProfile: { type: 'RuntimeDefault' },
  };
  const release = `npx cdk8s-openchoreo release --project ${b.project} --component ${b.component} --image <output 'image'>`;
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'WorkflowTemplate',
    metadata: {
      name: b.templateName,
      namespace: bp.namespace,
      labels: b.labels,
      annotations: {
        'openchoreo.dev/image-repository': b.repository,
        'openchoreo.dev/source-repository': b.source.url,
        'workflows.argoproj.io/description': `Builds ${b.project}/${b.component} from ${b.source.url} (${b.source.path}) with ${dockerfile ? 'rootless BuildKit' : 'Cloud Native Buildpacks'} `
          + `and pushes ${b.repository}. Record the output in the release ledger: ${release}`,
      },
    },
    spec: {
      entrypoint: 'build',
      serviceAccountName: BuildNames.SERVICE_ACCOUNT,
      arguments: {
        parameters: [
          { name: 'revision', value: b.source.branch, description: 'Branch, tag or commit SHA to build' },
          { name: 'image-tag', value: '', description: "Tag of the pushed image (default: 'git-' and the first 12 characters of the commit SHA)" },
        ],
      },
      activeDeadlineSeconds: bp.timeoutSeconds,
      ttlStrategy: { secondsAfterSuccess: 86400, secondsAfterFailure: 604800 },
      podGC: { strategy: 'OnPodSuccess' },
      securityContext: podSecurityContext,
      podSpecPatch: executorPatch(bp),
      podMetadata: { labels: podLabels },
      workflowMetadata: { labels: podLabels },
      volumeClaimTemplates: [{
        metadata: { name: 'workspace' },
        spec: {
          accessModes: ['ReadWriteOnce'],
          resources: { requests: { storage: bp.workspaceSize } },
          ...(bp.storageClass ? { storageClassName: bp.storageClass } : {}),
        },
      }],
      volumeClaimGC: { strategy: 'OnWorkflowCompletion' },
      templates: [
        {
          name: 'build',
          steps: [
            [{ name: 'checkout', template: 'checkout' }],
            [{
              name: 'build-and-push',
              template: 'build-and-push',
              arguments: { parameters: [{ name: 'commit', value: '{{steps.checkout.outputs.parameters.commit}}' }] },
            }],
          ],
          outputs: {
            parameters: ['image', 'digest'].map(name => ({ name, valueFrom: { parameter: `{{steps.build-and-push.outputs.parameters.${name}}}` } }))
              .concat([{ name: 'commit', valueFrom: { parameter: '{{steps.checkout.outputs.parameters.commit}}' } }]),
          },
        },
        checkoutTemplate(bp, b),
        dockerfile ? buildkitTemplate(bp, b) : buildpacksTemplate(bp, b),
      ],
    },
  };
}

function checkoutTemplate(bp: PlanBuildPlane, b: PlanBuild): any {
  const container: Container = {
    name: 'main',
    image: bp.gitImage,
    imagePullPolicy: 'IfNotPresent',
    command: ['/bin/sh', '-c'],
    args: [CHECKOUT_SCRIPT],
    env: env({
      REPOSITORY: b.source.url,
      REVISION: '{{workflow.parameters.revision}}',
      HOME: '/tmp',
      GIT_USERNAME: b.gitSecret ? b.gitUsername : undefined,
      GIT_PASSWORD_FILE: b.gitSecret ? `${Paths.GIT_SECRET}/password` : undefined,
    }),
    resources: resources(bp.resources.checkout),
    securityContext: RESTRICTED,
    volumeMounts: [
      { name: 'workspace', mountPath: Paths.WORKSPACE },
      { name: 'tmp', mountPath: '/tmp' },
      ...(b.gitSecret ? [{ name: 'git-credentials', mountPath: Paths.GIT_SECRET, readOnly: true }] : []),
    ],
  };
  return {
    name: 'checkout',
    metadata: { labels: { [BUILD_STEP_LABEL]: 'checkout' } },
    volumes: [emptyDir('tmp'), ...(b.gitSecret ? [{ name: 'git-credentials', secret: { secretName: b.gitSecret, defaultMode: 0o440 } }] : [])],
    container,
    outputs: { parameters: [{ name: 'commit', valueFrom: { path: `${Paths.OUTPUTS}/commit` } }] },
  };
}

/** Output parameters of the build step, written by its script. */
const buildOutputs = {
  parameters: ['image', 'digest'].map(name => ({ name, globalName: name, valueFrom: { path: `${Paths.OUTPUTS}/${name}` } })),
};

const registryVolume = { name: 'registry-credentials', secret: { secretName: BuildNames.REGISTRY_SECRET, items: [{ key: '.dockerconfigjson', path: 'config.json' }], defaultMode: 0o440 } };

function buildpacksTemplate(bp: PlanBuildPlane, b: PlanBuild): any {
  const container: Container = {
    name: 'main',
    image: b.builderImage,
    imagePullPolicy: 'IfNotPresent',
    command: ['/bin/sh', '-c'],
    args: [BUILDPACKS_SCRIPT],
    env: env({
      CNB_PLATFORM_API,
      IMAGE: b.repository,
      IMAGE_TAG: '{{workflow.parameters.image-tag}}',
      COMMIT: '{{inputs.parameters.commit}}',
      SOURCE_PATH: b.source.path,
      RUN_IMAGE: b.runImage,
      REGISTRY_CACHE: String(bp.registryCache),
      DOCKER_CONFIG: Paths.REGISTRY_SECRET,
      HOME: '/home/cnb',
    }),
    resources: resources(bp.resources.builder),
    securityContext: RESTRICTED,
    volumeMounts: [
      { name: 'workspace', mountPath: Paths.WORKSPACE },
      { name: 'layers', mountPath: '/layers' },
      { name: 'platform', mountPath: '/platform' },
      { name: 'home', mountPath: '/home/cnb' },
      { name: 'tmp', mountPath: '/tmp' },
      { name: 'registry-credentials', mountPath: Paths.REGISTRY_SECRET, readOnly: true },
    ],
  };
  return {
    name: 'build-and-push',
    inputs: { parameters: [{ name: 'commit' }] },
    metadata: { labels: { [BUILD_STEP_LABEL]: 'build' } },
    volumes: [emptyDir('layers'), emptyDir('platform'), emptyDir('home'), emptyDir('tmp'), registryVolume],
    container,
    outputs: buildOutputs,
  };
}

function buildkitTemplate(bp: PlanBuildPlane, b: PlanBuild): any {
  const c = bp.confinement;
  const dockerfileDir = b.dockerfile!.includes('/') ? b.dockerfile!.slice(0, b.dockerfile!.lastIndexOf('/')) : '.';
  const dockerfileName = b.dockerfile!.slice(b.dockerfile!.lastIndexOf('/') + 1);
  const securityContext: SecurityContext = {
    // newuidmap/newgidmap (setuid) map the build's root to UID 1000's subordinate IDs: they need
    // privilege escalation and SETUID/SETGID; every other capability is dropped.
    allowPrivilegeEscalation: true,
    capabilities: { drop: ['ALL'], add: ['SETGID', 'SETUID'] },
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
    runAsUser: 1000,
    runAsGroup: 1000,
    // BuildKit calls unshare and mount, which RuntimeDefault denies.
    seccompProfile: c.seccompProfile ? { type: 'Localhost', localhostProfile: c.seccompProfile } : { type: 'Unconfined' },
  };
  const appArmor = c.seccompProfile ? (c.appArmorProfile ? `localhost/${c.appArmorProfile}` : undefined) : 'unconfined';
  const container: Container = {
    name: 'main',
    image: b.builderImage,
    imagePullPolicy: 'IfNotPresent',
    command: ['/bin/sh', '-c'],
    args: [BUILDKIT_SCRIPT],
    env: env({
      BUILDKITD_FLAGS: '--oci-worker-no-process-sandbox',
      XDG_RUNTIME_DIR: '/home/user/.local/tmp',
      IMAGE: b.repository,
      IMAGE_TAG: '{{workflow.parameters.image-tag}}',
      COMMIT: '{{inputs.parameters.commit}}',
      REPOSITORY: b.source.url,
      CONTEXT_DIR: `${Paths.SOURCE}/${b.context}`.replace(/\/\.$/, ''),
      DOCKERFILE_DIR: `${Paths.SOURCE}/${dockerfileDir}`.replace(/\/\.$/, ''),
      DOCKERFILE_NAME: dockerfileName,
      REGISTRY_CACHE: String(bp.registryCache),
      DOCKER_CONFIG: Paths.REGISTRY_SECRET,
    }),
    resources: resources(bp.resources.builder),
    securityContext,
    volumeMounts: [
      { name: 'workspace', mountPath: Paths.WORKSPACE, readOnly: true },
      { name: 'buildkit-state', mountPath: '/home/user/.local/share/buildkit' },
      { name: 'buildkit-run', mountPath: '/home/user/.local/tmp' },
      { name: 'tmp', mountPath: '/tmp' },
      { name: 'registry-credentials', mountPath: Paths.REGISTRY_SECRET, readOnly: true },
    ],
  };
  return {
    name: 'build-and-push',
    inputs: { parameters: [{ name: 'commit' }] },
    metadata: {
      labels: { [BUILD_STEP_LABEL]: 'build' },
      // Kubernetes 1.28 sets AppArmor profiles by annotation (the field arrived in 1.30).
      ...(appArmor ? { annotations: { 'container.apparmor.security.beta.kubernetes.io/main': appArmor } } : {}),
    },
    volumes: [emptyDir('buildkit-state'), emptyDir('buildkit-run'), emptyDir('tmp'), registryVolume],
    container,
    outputs: buildOutputs,
  };
}
