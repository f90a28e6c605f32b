import { k8s } from 'cdk8s-plus-28';
import { object } from './json';
import { Cell } from '../resolve/plan';

/**
 * A cell's ResourceQuota (what it declares at its peak, times its environment's headroom) and its
 * LimitRange (the organization's default resources for containers that set none), when its
 * environment has quotas on. @internal
 */
export function renderQuota(cell: Cell): any[] {
  const q = cell.quota;
  if (!q) return [];
  const metadata = { name: 'openchoreo-cell', namespace: cell.namespace, labels: cell.labels };
  return [
    object<k8s.KubeResourceQuotaProps>('v1', 'ResourceQuota', {
      metadata: {
        ...metadata,
        annotations: { 'openchoreo.dev/quota-headroom': String(q.headroom) },
      },
      spec: { hard: { ...q.hard } },
    }),
    object<k8s.KubeLimitRangeProps>('v1', 'LimitRange', {
      metadata,
      spec: {
        limits: [{
          type: 'Container',
          default: { cpu: q.defaults.limits.cpu, memory: q.defaults.limits.memory },
          defaultRequest: { cpu: q.defaults.requests.cpu, memory: q.defaults.requests.memory },
        }],
      },
    }),
  ];
}
