import { Labels, MANAGED_BY } from '../resolve/labels';
import { Cell, PlanComponent } from '../resolve/plan';

// One labels object per component, shared by its objects (the writer only reads them).
const objectLabels = new WeakMap<PlanComponent, Record<string, string>>();

/** An object's metadata: annotations only when there are some. @internal */
export interface ComponentMetadata {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  annotations?: Record<string, string>;
}

/** Metadata of an object that belongs to a component in a cell. @internal */
export function componentMetadata(cell: Cell, c: PlanComponent, name: string, annotations?: Record<string, string>): ComponentMetadata {
  let labels = objectLabels.get(c);
  if (!labels) {
    labels = { ...c.labels, [Labels.MANAGED_BY]: MANAGED_BY };
    objectLabels.set(c, labels);
  }
  const metadata: ComponentMetadata = { name, namespace: cell.namespace, labels };
  if (annotations && hasKeys(annotations)) metadata.annotations = annotations;
  return metadata;
}

/** Whether an object has an own key (without listing its keys). */
function hasKeys(o: object): boolean {
  for (const k in o) if (Object.prototype.hasOwnProperty.call(o, k)) return true;
  return false;
}

/** Labels of cell-level objects (not owned by one component). @internal */
export function cellLabels(cell: Cell): Record<string, string> {
  return {
    [Labels.NAMESPACE]: cell.organization,
    [Labels.PROJECT]: cell.project,
    [Labels.ENVIRONMENT]: cell.environment,
    [Labels.MANAGED_BY]: MANAGED_BY,
  };
}
