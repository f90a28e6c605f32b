import { Labels, MANAGED_BY } from '../resolve/labels';
import { Cell, PlanComponent } from '../resolve/plan';

// One labels object per component, shared by its objects (the writer only reads them).
const objectLabels = new WeakMap<PlanComponent, Record<string, string>>();

/** Metadata of an object that belongs to a component in a cell. @internal */
export function componentMetadata(cell: Cell, c: PlanComponent, name: string, annotations?: Record<string, string>) {
  let labels = objectLabels.get(c);
  if (!labels) {
    labels = { ...c.labels, [Labels.MANAGED_BY]: MANAGED_BY };
    objectLabels.set(c, labels);
  }
  return {
    name,
    namespace: cell.namespace,
    labels,
    ...(annotations && Object.keys(annotations).length > 0 ? { annotations } : {}),
  };
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
