/**
 * A generated tree of `count` files for writer tests; each version changes every file's content, drops the
 * first tenth of the files of the previous version and adds as many new ones (so a run writes, keeps and deletes).
 */
export function generatedTree(count: number, version: number): Record<string, string> {
  const files: Record<string, string> = {};
  const shift = Math.floor(count / 10) * version;
  for (let i = shift; i < shift + count; i++) {
    files[`acme/dp/env-${i % 3}/project-${i % 20}/component-${i}.yaml`] = `kind: Deployment\nmetadata:\n  name: component-${i}\n# version ${version}\n`;
  }
  return files;
}
