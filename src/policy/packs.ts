import { AllowedRegistriesPolicyRule } from './rules/oc-allowed-registries';
import { ApiSizeLimitsPolicyRule } from './rules/oc-api-size-limits';
import { ImageDigestProductionPolicyRule } from './rules/oc-image-digest-prod';
import { NoHostAccessPolicyRule } from './rules/oc-no-host-access';
import { PodSecurityPolicyRule } from './rules/oc-pod-security';
import { ProbesProductionPolicyRule } from './rules/oc-probes-prod';
import { ReplicasPdbProductionPolicyRule } from './rules/oc-replicas-pdb-prod';
import { ResourcesPolicyRule } from './rules/oc-resources';
import { _useBuiltInPolicyRules, BuiltInPack, IPolicyRule, PolicySeverity } from '../model/policy';

/** Rules that are never suppressed: what they find, the API server would refuse. @internal */
export const UNSUPPRESSIBLE_RULES: ReadonlySet<string> = new Set(['OC-API-SIZE-LIMITS']);

/**
 * The built-in packs: `recommended` (the library's guarantees are errors, production practice
 * warns), `strict` (every rule an error) and `baseline` (what a custom pack always holds). @internal
 */
export function builtInRules(pack: BuiltInPack): IPolicyRule[] {
  if (pack === 'baseline') return [new ApiSizeLimitsPolicyRule()];
  const practice = pack === 'strict' ? PolicySeverity.ERROR : PolicySeverity.WARNING;
  return [
    new PodSecurityPolicyRule(),
    new NoHostAccessPolicyRule(),
    new ResourcesPolicyRule(),
    new AllowedRegistriesPolicyRule(),
    new ApiSizeLimitsPolicyRule(),
    new ProbesProductionPolicyRule(practice),
    new ReplicasPdbProductionPolicyRule(practice),
    new ImageDigestProductionPolicyRule(practice),
  ];
}

_useBuiltInPolicyRules(builtInRules);
