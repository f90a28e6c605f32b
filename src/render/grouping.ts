import type { RenderedObject } from './types';
import { Cell } from '../resolve/plan';

/** Items grouped by a key, in first-seen order within each group. @internal */
export function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/** Cells per `<data plane>/<environment>`, sorted by that key. @internal */
export function cellsByEnvironment(cells: Cell[]): Array<[string, Cell[]]> {
  return [...groupBy(cells, c => `${c.dataPlane}/${c.environment}`).entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Manifests per namespace (a Namespace object counts as part of itself). @internal */
export function manifestsByNamespace(objects: RenderedObject[]): Map<string, any[]> {
  const withNamespace = objects.map(o => o.manifest)
    .filter(m => (m.kind === 'Namespace' ? m.metadata.name : m.metadata.namespace) !== undefined);
  return groupBy(withNamespace, m => (m.kind === 'Namespace' ? m.metadata.name : m.metadata.namespace));
}
