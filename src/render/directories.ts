import { Cell } from '../resolve/plan';

/** The folder of a data plane's platform objects (gateways) in the output tree. @internal */
export function platformDirectory(dataPlane: string): string {
  return `${dataPlane}/platform`;
}

/** The folder of a cell in the output tree: data plane, environment, project. @internal */
export function cellDirectory(cell: Cell): string {
  return `${cell.dataPlane}/${cell.environment}/${cell.project}`;
}
