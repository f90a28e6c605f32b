import { IPolicyRule, PolicyFinding, PolicySeverity, PolicySubject } from '../../model/policy';
import { POD_TEMPLATE_KINDS, containersOf, podTemplatesOf } from '../pod-templates';
import { onlyKinds } from '../rule-kinds';

const DIGEST = /@[a-z0-9]+([+._-][a-z0-9]+)*:[a-fA-F0-9]{32,}$/;

/**
 * OC-IMAGE-DIGEST-PROD: in production every container image is pinned by digest, so what was
 * tested is what runs (a tag can be pushed again). Mutable tags (`latest`, none) are already refused.
 * @see https://kubernetes.io/docs/concepts/containers/images/#image-names
 * @internal
 */
export class ImageDigestProductionPolicyRule implements IPolicyRule {
  public readonly id = 'OC-IMAGE-DIGEST-PROD';
  public readonly description = 'In production, container images are pinned by digest (repository@sha256:...)';
  public readonly fix = "pin the production release by digest, e.g. with the release ledger (npx cdk8s-openchoreo release, then promote) or configureEnvironment(production, { image: 'ghcr.io/acme/api@sha256:...' })";
  constructor(public readonly severity: PolicySeverity = PolicySeverity.WARNING) {
    onlyKinds(this, POD_TEMPLATE_KINDS);
  }

  public check(subject: PolicySubject): PolicyFinding[] {
    if (!subject.isProduction) return [];
    return podTemplatesOf(subject.manifest).flatMap(pod => containersOf(pod))
      .filter(c => typeof c.container.image === 'string' && !DIGEST.test(c.container.image))
      .map(c => ({ message: `container '${c.name}' at ${c.at} runs image '${c.container.image}' by tag, not by digest` }));
  }
}
