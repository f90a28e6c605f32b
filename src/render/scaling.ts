import { k8s } from 'cdk8s-plus-28';
import { object, Plain } from './json';
import { componentMetadata } from './metadata';
import { Cell, PlanComponent } from '../resolve/plan';

/** A HorizontalPodAutoscaler and a PodDisruptionBudget, when the component asks for them. @internal */
export function renderScaling(cell: Cell, c: PlanComponent): any[] {
  const out: any[] = [];
  const a = c.autoscaling;
  if (a) {
    const metrics: Array<Plain<k8s.MetricSpecV2>> = [];
    if (a.cpuUtilization !== undefined) metrics.push(utilization('cpu', a.cpuUtilization));
    if (a.memoryUtilization !== undefined) metrics.push(utilization('memory', a.memoryUtilization));
    out.push(object<k8s.KubeHorizontalPodAutoscalerV2Props>('autoscaling/v2', 'HorizontalPodAutoscaler', {
      metadata: componentMetadata(cell, c, c.workloadName),
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: c.stateful ? 'StatefulSet' : 'Deployment', name: c.workloadName },
        minReplicas: a.minReplicas,
        maxReplicas: a.maxReplicas,
        metrics,
      },
    }));
  }
  const b = c.disruptionBudget;
  if (b) {
    out.push(object<k8s.KubePodDisruptionBudgetProps>('policy/v1', 'PodDisruptionBudget', {
      metadata: componentMetadata(cell, c, c.workloadName),
      spec: { selector: { matchLabels: c.labels }, [b.kind]: b.value },
    }));
  }
  return out;
}

function utilization(resource: string, averageUtilization: number): Plain<k8s.MetricSpecV2> {
  return { type: 'Resource', resource: { name: resource, target: { type: 'Utilization', averageUtilization } } };
}
