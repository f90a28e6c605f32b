/** `Kind 'namespace/name'` of a manifest, as messages and reports name an object. @internal */
export function objectName(manifest: any): string {
  const m = manifest?.metadata ?? {};
  return `${manifest?.kind} '${m.namespace ? `${m.namespace}/` : ''}${m.name}'`;
}
