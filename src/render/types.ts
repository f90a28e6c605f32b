/** A rendered Kubernetes object and where it belongs in the output tree. @internal */
export interface RenderedObject {
  /** Its folder: a cell's (`dp/development/shop`), a data plane's platform folder (`dp/platform`), … */
  readonly dir: string;
  /** The group of objects it belongs to: a component's name, `namespace`, `network-baseline`, `gateways`, … */
  readonly group: string;
  /** Whether the group is a component (it then gets its own folder in a file-per-resource layout). */
  readonly isComponent: boolean;
  readonly manifest: any;
}

/** A rendered non-Kubernetes file (a report, `platform.json`, a README). @internal */
export interface RenderedDocument {
  readonly file: string;
  readonly content: string;
}
