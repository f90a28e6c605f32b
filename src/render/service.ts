import { k8s } from 'cdk8s-plus-28';
import { Cell, PlanComponent } from '../resolve/plan';
import { componentMetadata } from './metadata';

/** A ClusterIP Service with one port per endpoint (sorted by name). @internal */
export function renderService(cell: Cell, c: PlanComponent): any[] {
  if (c.endpoints.length === 0) return [];
  return [k8s.KubeService.manifest({
    metadata: componentMetadata(cell, c, c.serviceName),
    spec: {
      type: 'ClusterIP',
      selector: c.labels,
      ports: c.endpoints.map(e => ({
        name: e.portName,
        port: e.port,
        targetPort: k8s.IntOrString.fromNumber(e.targetPort),
        protocol: e.protocol,
      })),
    },
  })];
}
