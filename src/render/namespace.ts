import { k8s } from 'cdk8s-plus-28';
import { object } from './json';
import { Cell } from '../resolve/plan';

/** The cell namespace, with Pod Security Admission labels. @internal */
export function renderNamespace(cell: Cell): any {
  return object<k8s.KubeNamespaceProps>('v1', 'Namespace', {
    metadata: {
      name: cell.namespace,
      labels: cell.labels,
      ...(Object.keys(cell.annotations).length > 0 ? { annotations: cell.annotations } : {}),
    },
  });
}
