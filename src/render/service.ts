import { k8s } from 'cdk8s-plus-28';
import { object } from './json';
import { componentMetadata } from './metadata';
import { Cell, PlanComponent } from '../resolve/plan';

/** A ClusterIP Service with one port per endpoint (sorted by name). @internal */
export function renderService(cell: Cell, c: PlanComponent): any[] {
  if (c.endpoints.length === 0) return [];
  return [object<k8s.KubeServiceProps>('v1', 'Service', {
    metadata: componentMetadata(cell, c, c.serviceName),
    spec: {
      type: 'ClusterIP',
      selector: c.labels,
      ports: c.endpoints.map(e => ({
        name: e.portName,
        port: e.port,
        targetPort: e.targetPort,
        protocol: e.protocol,
      })),
    },
  })];
}
