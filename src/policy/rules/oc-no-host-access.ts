import { IPolicyRule, PolicyFinding, PolicySeverity, PolicySubject } from '../../model/policy';
import { POD_TEMPLATE_KINDS, containersOf, podTemplatesOf } from '../pod-templates';
import { onlyKinds } from '../rule-kinds';

/**
 * OC-NO-HOST-ACCESS: no pod shares the node's network, process or IPC namespaces, mounts a host
 * path, binds a host port or runs a privileged container (Pod Security "baseline").
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
 * @internal
 */
export class NoHostAccessPolicyRule implements IPolicyRule {
  public readonly id = 'OC-NO-HOST-ACCESS';
  public readonly description = 'No hostNetwork, hostPID, hostIPC, hostPath volumes, hostPort or privileged containers';
  public readonly fix = 'remove the host access from the pod (in the trait or patch that added it); a workload that needs the node belongs to the platform, not to a component';
  constructor(public readonly severity: PolicySeverity = PolicySeverity.ERROR) {
    onlyKinds(this, POD_TEMPLATE_KINDS);
  }

  public check(subject: PolicySubject): PolicyFinding[] {
    const findings: PolicyFinding[] = [];
    for (const pod of podTemplatesOf(subject.manifest)) {
      for (const field of ['hostNetwork', 'hostPID', 'hostIPC'] as const) {
        if (pod.spec[field] === true) findings.push({ message: `${pod.at}.${field} is true` });
      }
      for (const v of Array.isArray(pod.spec.volumes) ? pod.spec.volumes : []) {
        if (v?.hostPath) findings.push({ message: `volume '${v.name}' at ${pod.at}.volumes mounts host path '${v.hostPath.path}'` });
      }
      for (const c of containersOf(pod)) {
        if (c.container.securityContext?.privileged === true) findings.push({ message: `container '${c.name}' at ${c.at} is privileged` });
        for (const p of Array.isArray(c.container.ports) ? c.container.ports : []) {
          if (p?.hostPort) findings.push({ message: `container '${c.name}' at ${c.at} binds host port ${p.hostPort}` });
        }
      }
    }
    return findings;
  }
}
