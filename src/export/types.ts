/**
 * A file of an export: its path relative to the organization's folder (under `exports/<format>/`)
 * and the YAML documents it holds, in order. The pipeline (src/synth.ts) serializes them. @internal
 */
export interface ExportedFile {
  readonly file: string;
  readonly documents: any[];
}
