import { IPolicyRule, PolicyFinding, PolicySeverity, PolicySubject } from '../../model/policy';
import { POD_TEMPLATE_KINDS, containersOf, podTemplatesOf } from '../pod-templates';
import { onlyKinds } from '../rule-kinds';

/** Volume types the restricted profile allows (hostPath is OC-NO-HOST-ACCESS's). */
const RESTRICTED_VOLUMES = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret', 'hostPath']);
const SECCOMP_TYPES = new Set(['RuntimeDefault', 'Localhost']);

/**
 * OC-POD-SECURITY: every pod template (the library's, and those traits and patches add or change)
 * meets Pod Security "restricted" plus a read-only root filesystem, except the rules its
 * component opted out of with a reason (`securityExceptions`, which count as recorded suppressions).
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
 * @internal
 */
export class PodSecurityPolicyRule implements IPolicyRule {
  public readonly id = 'OC-POD-SECURITY';
  public readonly description = 'Pods meet Pod Security "restricted" (non-root, no privilege escalation, all capabilities dropped, RuntimeDefault seccomp, restricted volume types) and have a read-only root filesystem';
  public readonly fix = "restore the container's securityContext (runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities.drop: [ALL], seccompProfile RuntimeDefault, readOnlyRootFilesystem: true), e.g. in the trait or patch that changed it; or declare securityExceptions with a reason on the component";
  constructor(public readonly severity: PolicySeverity = PolicySeverity.ERROR) {
    onlyKinds(this, POD_TEMPLATE_KINDS);
  }

  public check(subject: PolicySubject): PolicyFinding[] {
    const excepted = new Set(subject.securityExceptions);
    const findings: PolicyFinding[] = [];
    for (const pod of podTemplatesOf(subject.manifest)) {
      const podSc = pod.spec.securityContext ?? {};
      for (const v of Array.isArray(pod.spec.volumes) ? pod.spec.volumes : []) {
        const type = Object.keys(v ?? {}).find(k => k !== 'name');
        if (type && !RESTRICTED_VOLUMES.has(type)) {
          findings.push({ message: `volume '${v.name}' at ${pod.at}.volumes is of type '${type}', which restricted Pod Security forbids`, fix: 'use a configMap, secret, emptyDir, projected, downwardAPI, csi, ephemeral or persistentVolumeClaim volume' });
        }
      }
      for (const c of containersOf(pod)) {
        const sc = c.container.securityContext ?? {};
        const broken: string[] = [];
        const nonRoot = sc.runAsNonRoot ?? podSc.runAsNonRoot;
        const user = sc.runAsUser ?? podSc.runAsUser;
        if (!excepted.has('run-as-non-root')) {
          if (nonRoot !== true) broken.push(`runAsNonRoot is ${show(nonRoot)} (must be true)`);
          if (user === 0) broken.push('runAsUser is 0 (root)');
        }
        if (!excepted.has('no-privilege-escalation') && sc.allowPrivilegeEscalation !== false) {
          broken.push(`allowPrivilegeEscalation is ${show(sc.allowPrivilegeEscalation)} (must be false)`);
        }
        if (!excepted.has('drop-all-capabilities')) {
          const drop: unknown[] = sc.capabilities?.drop ?? [];
          const add: unknown[] = sc.capabilities?.add ?? [];
          if (!drop.includes('ALL')) broken.push(`capabilities.drop is ${show(sc.capabilities?.drop)} (must contain ALL)`);
          const extra = add.filter(a => a !== 'NET_BIND_SERVICE');
          if (extra.length > 0) broken.push(`capabilities.add is ${show(add)} (only NET_BIND_SERVICE may be added)`);
        }
        const seccomp = sc.seccompProfile?.type ?? podSc.seccompProfile?.type;
        if (!excepted.has('seccomp-runtime-default') && !SECCOMP_TYPES.has(seccomp)) {
          broken.push(`seccompProfile.type is ${show(seccomp)} (must be RuntimeDefault or Localhost)`);
        }
        if (!excepted.has('read-only-root-filesystem') && c.list !== 'ephemeralContainers' && sc.readOnlyRootFilesystem !== true) {
          broken.push(`readOnlyRootFilesystem is ${show(sc.readOnlyRootFilesystem)} (must be true)`);
        }
        if (broken.length > 0) findings.push({ message: `container '${c.name}' at ${c.at}: ${broken.join(', ')}` });
      }
    }
    return findings;
  }
}

function show(v: unknown): string {
  return v === undefined ? 'unset' : JSON.stringify(v);
}
