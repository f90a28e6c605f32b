import type { FileContent } from './file-content';
import { toYamlDocuments } from './yaml';
import type { RenderedObject } from '../render/types';

/**
 * How objects are spread over files inside a cell's folder.
 */
export enum OutputLayout {
  /** One file per component (`<project>/<component>.yaml`), plus `namespace.yaml` and `network-baseline.yaml`. */
  FILE_PER_COMPONENT = 'file-per-component',
  /** One folder per component, one file per object (`<project>/<component>/<kind>-<name>.yaml`). */
  FILE_PER_RESOURCE = 'file-per-resource',
}

/** The file of an object under a layout, relative to the organization's folder. @internal */
export function fileOf(o: RenderedObject, layout: OutputLayout): string {
  if (layout === OutputLayout.FILE_PER_COMPONENT) return `${o.dir}/${o.group}.yaml`;
  const leaf = `${String(o.manifest.kind).toLowerCase()}-${o.manifest.metadata.name}.yaml`;
  return o.isComponent ? `${o.dir}/${o.group}/${leaf}` : `${o.dir}/${leaf}`;
}

/**
 * The files of an organization's objects under a layout, in order. In a file-per-resource layout,
 * objects that would share a file (one kind and name in several namespaces, such as a Flux tenant's
 * RoleBinding in each of its cells) get their namespace in the file name as well:
 * `<kind>-<name>.<namespace>.yaml`. @internal
 */
export function filesOf(objects: readonly RenderedObject[], layout: OutputLayout): string[] {
  const files = objects.map(o => fileOf(o, layout));
  if (layout !== OutputLayout.FILE_PER_RESOURCE) return files;
  const count = new Map<string, number>();
  for (const f of files) count.set(f, (count.get(f) ?? 0) + 1);
  return files.map((f, i) => {
    const namespace = objects[i].manifest.metadata?.namespace;
    return count.get(f)! > 1 && namespace ? f.replace(/\.yaml$/, `.${namespace}.yaml`) : f;
  });
}

/**
 * A `kustomization.yaml` for every folder that holds manifests (directly or below), listing its
 * YAML files and its sub-folders, so that `kubectl kustomize` builds any level of the tree: an
 * organization, a data plane, an environment, a project, a component. Paths are relative to the
 * output directory; existing entries are not overwritten. Contents are deferred (serialized when
 * written). @internal
 */
export function kustomizations(files: string[]): Map<string, FileContent> {
  const entries = new Map<string, Set<string>>();
  const add = (dir: string, entry: string) => {
    const set = entries.get(dir);
    if (set === undefined) entries.set(dir, new Set([entry]));
    else set.add(entry);
  };
  for (const file of files) {
    if (!file.endsWith('.yaml') || file.endsWith('/kustomization.yaml') || file === 'kustomization.yaml') continue;
    // The file in its folder, then each folder in its parent, walking up by the last '/' (no split and join per level).
    let slash = file.lastIndexOf('/');
    if (slash < 0) continue; // a file at the top: no kustomization lists it
    add(file.slice(0, slash), file.slice(slash + 1));
    for (let dir = file.slice(0, slash); (slash = dir.lastIndexOf('/')) >= 0; dir = dir.slice(0, slash)) {
      add(dir.slice(0, slash), `${dir.slice(slash + 1)}/`);
    }
  }
  const out = new Map<string, FileContent>();
  for (const [dir, set] of entries) {
    if (dir === '') continue;
    const resources = [...set].sort((a, b) => {
      const da = a.endsWith('/');
      const db = b.endsWith('/');
      if (da !== db) return da ? 1 : -1; // files of this folder first, then sub-folders
      return a < b ? -1 : a > b ? 1 : 0;
    }).map(r => (r.endsWith('/') ? r.slice(0, -1) : r));
    out.set(`${dir}/kustomization.yaml`, () => toYamlDocuments([{ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources }]));
  }
  return out;
}
