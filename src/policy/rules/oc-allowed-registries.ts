import { IPolicyRule, PolicyFinding, PolicySeverity, PolicySubject } from '../../model/policy';
import { isAllowedImage, repositoryOf } from '../../model/policy-registries';
import { POD_TEMPLATE_KINDS, containersOf, podTemplatesOf } from '../pod-templates';
import { onlyKinds } from '../rule-kinds';

/**
 * OC-ALLOWED-REGISTRIES: when the organization lists `allowedRegistries`, every container image
 * comes from one of them (Docker Hub images count as `docker.io/library/<name>`).
 * @internal
 */
export class AllowedRegistriesPolicyRule implements IPolicyRule {
  public readonly id = 'OC-ALLOWED-REGISTRIES';
  public readonly description = "Container images come from the organization's allowedRegistries (when it sets them)";
  public readonly fix = "use an image from an allowed registry (mirror it there), or add its registry to the organization's allowedRegistries";
  constructor(public readonly severity: PolicySeverity = PolicySeverity.ERROR) {
    onlyKinds(this, POD_TEMPLATE_KINDS);
  }

  public check(subject: PolicySubject): PolicyFinding[] {
    if (subject.allowedRegistries.length === 0) return [];
    return podTemplatesOf(subject.manifest).flatMap(pod => containersOf(pod))
      .filter(c => typeof c.container.image === 'string' && !isAllowedImage(c.container.image, subject.allowedRegistries))
      .map(c => ({ message: `container '${c.name}' at ${c.at} runs image '${c.container.image}' (repository ${repositoryOf(c.container.image)}), which is not in allowedRegistries ${subject.allowedRegistries.join(', ')}` }));
  }
}
