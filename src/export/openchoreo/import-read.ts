import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { API_VERSION } from './types';
import { ProblemCollector } from '../../model/errors';

/*
 * Reading OpenChoreo CRs for the import: every YAML document under a project's folder, with the
 * helpers that check a field and report `<file>: <JSON path> …` problems naming the fix.
 */

/** One CR read from a file. @internal */
export interface ReadDocument {
  /** The file, relative to the imported directory. */
  readonly file: string;
  /** `$` or `$[<n>]` when the file holds several documents. */
  readonly root: string;
  readonly kind: string;
  readonly name: string;
  readonly doc: any;
}

/** The kinds the import reads, and the folders they sit in. @internal */
export const IMPORTED_KINDS = ['Project', 'ProjectReleaseBinding', 'Component', 'Workload', 'ReleaseBinding', 'ComponentRelease', 'SecretReference', 'Resource'];

/** Problems of the import, each naming the file, the JSON path and the fix. @internal */
export class ImportProblems {
  public readonly collector = new ProblemCollector();
  public add(d: { file: string; root: string } | string, where: string, message: string, fix: string): void {
    const file = typeof d === 'string' ? d : d.file;
    const jsonPath = typeof d === 'string' ? where : `${d.root}${where}`;
    this.collector.add(file, `${jsonPath}: ${message}`, fix);
  }
}

const isObject = (v: unknown): v is Record<string, any> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The value at `.a.b` of a document, or undefined. @internal */
export function at(doc: any, jsonPath: string): any {
  let v = doc;
  for (const part of jsonPath.split('.').filter(p => p !== '')) v = isObject(v) ? v[part] : undefined;
  return v;
}

/** Reads a required string field; reports it when absent or not a string. @internal */
export function requireString(d: ReadDocument, jsonPath: string, problems: ImportProblems, fix: string): string | undefined {
  const v = at(d.doc, jsonPath);
  if (typeof v === 'string' && v !== '') return v;
  problems.add(d, jsonPath, v === undefined ? 'is missing' : `is ${JSON.stringify(v)}, not a non-empty string`, fix);
  return undefined;
}

/** Reports keys of `.path` outside `allowed` (the import would drop them silently otherwise). @internal */
export function checkKnownKeys(d: ReadDocument, jsonPath: string, allowed: readonly string[], problems: ImportProblems, what: string): void {
  const v = at(d.doc, jsonPath);
  if (v === undefined) return;
  if (!isObject(v)) {
    problems.add(d, jsonPath, `is ${JSON.stringify(v)}, not an object`, `write ${what} as a YAML mapping`);
    return;
  }
  for (const key of Object.keys(v).sort()) {
    if (!allowed.includes(key)) {
      problems.add(d, `${jsonPath}.${key}`, `is not supported by the import (${what} supports ${allowed.join(', ')})`, `remove '${key}', or declare it in code after the import`);
    }
  }
}

function yamlFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter(f => /\.ya?ml$/.test(f) && path.basename(f) !== 'kustomization.yaml' && fs.statSync(path.join(dir, f)).isFile())
    .map(f => f.split(path.sep).join('/'))
    .sort();
}

/**
 * The namespace folder of the mono-repo under `dir` (`namespaces/<namespace>/`): the only one, or
 * the one named like the organization. @internal
 */
export function namespaceFolder(dir: string, orgName: string, problems: ImportProblems): string | undefined {
  const root = path.join(dir, 'namespaces');
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) {
    problems.add(dir, '$', 'has no namespaces/ folder', 'pass the root of an OpenChoreo mono-repo (the folder holding namespaces/<namespace>/projects/)');
    return undefined;
  }
  const names = fs.readdirSync(root).filter(n => fs.statSync(path.join(root, n)).isDirectory()).sort();
  if (names.length === 1) return `namespaces/${names[0]}`;
  if (names.includes(orgName)) return `namespaces/${orgName}`;
  problems.add(`${dir}/namespaces`, '$', `holds ${names.length === 0 ? 'no namespace folder' : `namespaces ${names.join(', ')}`} and none is named '${orgName}'`,
    'import one namespace: keep only its folder, or name the organization like one of them');
  return undefined;
}

/** Every imported CR under the namespace folder's `projects/` and `platform/secret-references/`. @internal */
export function readDocuments(dir: string, nsFolder: string, problems: ImportProblems): ReadDocument[] {
  const out: ReadDocument[] = [];
  const files = [
    ...yamlFiles(path.join(dir, nsFolder, 'projects')).map(f => `${nsFolder}/projects/${f}`),
    ...yamlFiles(path.join(dir, nsFolder, 'platform', 'secret-references')).map(f => `${nsFolder}/platform/secret-references/${f}`),
  ];
  for (const file of files) {
    let docs: any[];
    const parsed = parseAllDocuments(fs.readFileSync(path.join(dir, file), 'utf8'));
    const error = parsed.flatMap(d => d.errors)[0];
    if (error) {
      problems.add(file, '$', `is not valid YAML (${error.message.split('\n')[0]})`, 'fix the YAML syntax');
      continue;
    }
    docs = parsed.map(d => d.toJSON()).filter((x: unknown) => x !== null && x !== undefined);
    docs.forEach((doc, i) => {
      const root = docs.length > 1 ? `$[${i}]` : '$';
      const d = { file, root };
      if (!isObject(doc)) {
        problems.add(d, '', 'is not a mapping', 'write one Kubernetes object per YAML document');
        return;
      }
      if (doc.apiVersion !== API_VERSION) {
        problems.add(d, '.apiVersion', `is ${JSON.stringify(doc.apiVersion)}, not ${API_VERSION}`, `export the CRs of OpenChoreo v1.2 (apiVersion ${API_VERSION})`);
        return;
      }
      if (!IMPORTED_KINDS.includes(doc.kind)) {
        problems.add(d, '.kind', `${JSON.stringify(doc.kind)} is not imported (the import reads ${IMPORTED_KINDS.join(', ')})`, 'move the object out of the projects/ folder, or remove it');
        return;
      }
      const name = doc.metadata?.name;
      if (typeof name !== 'string' || name === '') {
        problems.add(d, '.metadata.name', 'is missing', 'give the object a name');
        return;
      }
      out.push({ file, root, kind: doc.kind, name, doc });
    });
  }
  return out;
}
