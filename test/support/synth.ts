import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { assertValidManifests } from './schema-validator';
import { Organization, PlatformApp } from '../../src';
import { synthesizeOrganization } from '../../src/synth';

const tempDirs: string[] = [];

/** A PlatformApp writing into a fresh temp dir (removed after the test file). */
export function testApp(): PlatformApp {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'openchoreo-test-'));
  tempDirs.push(outdir);
  return new PlatformApp({ outdir });
}

afterAll(() => {
  for (const d of tempDirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/**
 * Synthesizes an organization and validates every object against its upstream schema (unknown
 * fields rejected), cluster by cluster: each data plane's objects (and the Argo CD objects) are
 * checked for duplicates among themselves, since two clusters may hold objects of the same name.
 * Every test that looks at output goes through here.
 */
export function synth(org: Organization): any[] {
  const objects = org.toJson();
  const clusters = new Map<string, any[]>();
  for (const o of synthesizeOrganization(org).objects) {
    const cluster = o.dir.split('/')[0];
    clusters.set(cluster, [...(clusters.get(cluster) ?? []), o.manifest]);
  }
  for (const manifests of clusters.values()) assertValidManifests(manifests);
  assertValidManifests(org._extraObjects());
  return objects;
}

/** Finds exactly one object by kind and name (or a predicate). */
export function one(objects: any[], kind: string, name?: string | ((o: any) => boolean)): any {
  const found = objects.filter(o => o.kind === kind && (name === undefined
    || (typeof name === 'string' ? o.metadata.name === name : name(o))));
  if (found.length !== 1) throw new Error(`expected one ${kind} ${typeof name === 'string' ? name : ''}, found ${found.length}`);
  return found[0];
}

/** Objects of a kind in a namespace. */
export function inNamespace(objects: any[], namespace: string, kind?: string): any[] {
  return objects.filter(o => o.metadata.namespace === namespace && (kind === undefined || o.kind === kind));
}

/** Objects labelled with a component in an environment. */
export function ofComponent(objects: any[], component: string, environment: string): any[] {
  return objects.filter(o => o.metadata.labels?.['openchoreo.dev/component'] === component
    && o.metadata.labels?.['openchoreo.dev/environment'] === environment);
}
