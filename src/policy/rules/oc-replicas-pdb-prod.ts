import { IPolicyRule, PolicyFinding, PolicySeverity, PolicySubject } from '../../model/policy';
import { SERVING_WORKLOAD_KINDS, isServingWorkload } from '../pod-templates';
import { onlyKinds } from '../rule-kinds';

/**
 * OC-REPLICAS-PDB-PROD: in production, a component that serves endpoints runs at least two pods
 * (fixed replicas, or an autoscaler's minimum) and has a PodDisruptionBudget selecting them, so
 * one node drain or failure never takes it down.
 * @see https://kubernetes.io/docs/concepts/workloads/pods/disruptions/
 * @internal
 */
export class ReplicasPdbProductionPolicyRule implements IPolicyRule {
  public readonly id = 'OC-REPLICAS-PDB-PROD';
  public readonly description = 'In production, components with endpoints run at least 2 replicas (or an autoscaler minimum of 2) and have a PodDisruptionBudget';
  public readonly fix = 'set replicas: 2 or more (or autoscaling.minReplicas) and disruptionBudget: DisruptionBudget.maxUnavailable(1) for production, e.g. configureEnvironment(production, { replicas: 3, disruptionBudget: DisruptionBudget.maxUnavailable(1) })';
  constructor(public readonly severity: PolicySeverity = PolicySeverity.WARNING) {
    onlyKinds(this, SERVING_WORKLOAD_KINDS);
  }

  public check(subject: PolicySubject): PolicyFinding[] {
    const m = subject.manifest;
    if (!subject.isProduction || !subject.hasEndpoints || !isServingWorkload(m)) return [];
    const findings: PolicyFinding[] = [];
    const hpa = subject.componentObjects.find(o => o.kind === 'HorizontalPodAutoscaler'
      && o.spec?.scaleTargetRef?.kind === m.kind && o.spec?.scaleTargetRef?.name === m.metadata?.name);
    const replicas: number = hpa ? hpa.spec.minReplicas ?? 1 : m.spec?.replicas ?? 1;
    if (replicas < 2) {
      findings.push({ message: `${hpa ? `its HorizontalPodAutoscaler's minReplicas is ${replicas}` : `replicas is ${replicas}`} (one pod: any restart is an outage)` });
    }
    const labels: Record<string, string> = m.spec?.template?.metadata?.labels ?? {};
    const selects = (pdb: any) => {
      const wanted = Object.entries<string>(pdb.spec?.selector?.matchLabels ?? {});
      return wanted.length > 0 && wanted.every(([k, v]) => labels[k] === v);
    };
    const pdb = subject.componentObjects.find(o => o.kind === 'PodDisruptionBudget' && selects(o));
    if (!pdb) findings.push({ message: 'no PodDisruptionBudget selects its pods' });
    return findings;
  }
}
