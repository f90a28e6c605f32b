import { k8s } from 'cdk8s-plus-28';
import { object } from './json';
import { componentMetadata } from './metadata';
import { Cell, PlanComponent } from '../resolve/plan';

/** One ServiceAccount per component, token automount off unless it needs the Kubernetes API. @internal */
export function renderServiceAccount(cell: Cell, c: PlanComponent): any {
  return object<k8s.KubeServiceAccountProps>('v1', 'ServiceAccount', {
    metadata: componentMetadata(cell, c, c.serviceAccountName),
    automountServiceAccountToken: c.security.automountServiceAccountToken,
  });
}
