import { k8s } from 'cdk8s-plus-28';
import { componentMetadata } from './metadata';
import { Cell, PlanComponent } from '../resolve/plan';

/** A HorizontalPodAutoscaler and a PodDisruptionBudget, when the component asks for them. @internal */
export function renderScaling(cell: Cell, c: PlanComponent): any[] {
  const out: any[] = [];
  const a = c.autoscaling;
  if (a) {
    const metrics: k8s.MetricSpecV2[] = [];
    if (a.cpuUtilization !== undefined) metrics.push(utilization('cpu', a.cpuUtilization));
    if (a.memoryUtilization !== undefined) metrics.push(utilization('memory', a.memoryUtilization));
    out.push(k8s.KubeHorizontalPodAutoscalerV2.manifest({
      metadata: componentMetadata(cell, c, c.workloadName),
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: c.workloadName },
        minReplicas: a.minReplicas,
        maxReplicas: a.maxReplicas,
        metrics,
      },
    }));
  }
  const b = c.disruptionBudget;
  if (b) {
    const value = typeof b.value === 'number' ? k8s.IntOrString.fromNumber(b.value) : k8s.IntOrString.fromString(b.value);
    out.push(k8s.KubePodDisruptionBudget.manifest({
      metadata: componentMetadata(cell, c, c.workloadName),
      spec: { selector: { matchLabels: c.labels }, [b.kind]: value },
    }));
  }
  return out;
}

function utilization(resource: string, averageUtilization: number): k8s.MetricSpecV2 {
  return { type: 'Resource', resource: { name: resource, target: { type: 'Utilization', averageUtilization } } };
}
