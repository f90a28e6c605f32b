import { IPolicyRule, PolicyFinding, PolicySeverity, PolicySubject } from '../../model/policy';
import { SERVING_WORKLOAD_KINDS, isServingWorkload, podTemplatesOf } from '../pod-templates';
import { onlyKinds } from '../rule-kinds';

/**
 * OC-PROBES-PROD: in production, the main container of a component that serves endpoints has a
 * readiness probe (no traffic before it is ready) and a liveness probe (restarted when stuck).
 * @see https://kubernetes.io/docs/concepts/configuration/liveness-readiness-startup-probes/
 * @internal
 */
export class ProbesProductionPolicyRule implements IPolicyRule {
  public readonly id = 'OC-PROBES-PROD';
  public readonly description = 'In production, components with endpoints have readiness and liveness probes';
  public readonly fix = 'declare probes on the component, e.g. probes: { readiness: Probe.http({ endpoint: \'http\', path: \'/ready\' }), liveness: Probe.tcp({ endpoint: \'http\' }) }';
  constructor(public readonly severity: PolicySeverity = PolicySeverity.WARNING) {
    onlyKinds(this, SERVING_WORKLOAD_KINDS);
  }

  public check(subject: PolicySubject): PolicyFinding[] {
    if (!subject.isProduction || !subject.hasEndpoints || !isServingWorkload(subject.manifest)) return [];
    const findings: PolicyFinding[] = [];
    for (const pod of podTemplatesOf(subject.manifest)) {
      const main = Array.isArray(pod.spec.containers) ? pod.spec.containers[0] : undefined;
      if (!main) continue;
      const missing = (['readinessProbe', 'livenessProbe'] as const).filter(p => !main[p]);
      if (missing.length > 0) {
        findings.push({ message: `container '${main.name}' at ${pod.at}.containers[0] serves endpoints in production without ${missing.join(' and ')}` });
      }
    }
    return findings;
  }
}
