import { IPolicyRule, PolicyFinding, PolicySeverity, PolicySubject } from '../../model/policy';
import { POD_TEMPLATE_KINDS, containersOf, podTemplatesOf } from '../pod-templates';
import { onlyKinds } from '../rule-kinds';

const FIELDS = ['requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory'] as const;

/**
 * OC-RESOURCES: every container (init containers and sidecars included) sets CPU and memory
 * requests and limits, so the scheduler, quotas and capacity report see what it takes.
 * @see https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/
 * @internal
 */
export class ResourcesPolicyRule implements IPolicyRule {
  public readonly id = 'OC-RESOURCES';
  public readonly description = 'Every container sets CPU and memory requests and limits';
  public readonly fix = 'set resources.requests and resources.limits (cpu and memory) on the container, e.g. in the trait or patch that added it';
  constructor(public readonly severity: PolicySeverity = PolicySeverity.ERROR) {
    onlyKinds(this, POD_TEMPLATE_KINDS);
  }

  public check(subject: PolicySubject): PolicyFinding[] {
    const findings: PolicyFinding[] = [];
    for (const pod of podTemplatesOf(subject.manifest)) {
      for (const c of containersOf(pod)) {
        if (c.list === 'ephemeralContainers') continue; // the API forbids resources on them
        const missing = FIELDS.filter(f => {
          const [group, key] = f.split('.');
          const v = c.container.resources?.[group]?.[key];
          return v === undefined || v === null || v === '';
        });
        if (missing.length > 0) findings.push({ message: `container '${c.name}' at ${c.at} sets no resources.${missing.join(', resources.')}` });
      }
    }
    return findings;
  }
}
