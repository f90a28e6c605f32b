import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PlatformValidationError } from 'cdk8s-openchoreo/lib/model/errors';
import { App } from 'cdktf';
import { Construct } from 'constructs';
import { assertValidManifests } from '../../../../test/support/schema-validator';
import { resourceIdOf, Tier, tierOf, unescapeTemplates } from '../../src';

/** Synthesizes what `declare` adds to a cdktf App in a temporary folder; returns the files it wrote (path → text). */
export function synthTerraform(declare: (app: App) => void): { files: Map<string, string>; outdir: string } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-openchoreo-terraform-'));
  try {
    const app = new App({ outdir });
    declare(app);
    app.synth();
    const files = new Map<string, string>();
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else files.set(path.relative(outdir, p), fs.readFileSync(p, 'utf8'));
      }
    };
    walk(outdir);
    return { files, outdir };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** Every string (keys included) of a JSON value. */
export function stringsOf(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') {out.push(value);} else if (Array.isArray(value)) {value.forEach(v => stringsOf(v, out));} else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out.push(k);
      stringsOf(v, out);
    }
  }
  return out;
}

/** The template sequences (`${`, `%{`) Terraform would interpret in a string; escaped ones (`$${`, `%%{`) are literal. */
export function unescapedTemplates(s: string): string[] {
  const found: string[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c !== '$' && c !== '%') continue;
    if (s[i + 1] === c && s[i + 2] === '{') i += 2;
    else if (s[i + 1] === '{') found.push(s.slice(i, i + 20));
  }
  return found;
}

/** Resource ids in an order where every resource follows its depends_on targets; throws on a cycle. */
export function topologicalOrder(graph: Map<string, string[]>): string[] {
  const state = new Map<string, 'visiting' | 'done'>();
  const order: string[] = [];
  const visit = (id: string, trail: string[]) => {
    if (state.get(id) === 'done') return;
    if (state.get(id) === 'visiting') throw new Error(`dependency cycle: ${[...trail, id].join(' -> ')}`);
    state.set(id, 'visiting');
    for (const d of graph.get(id) ?? []) visit(d, [...trail, id]);
    state.set(id, 'done');
    order.push(id);
  };
  for (const id of [...graph.keys()].sort()) visit(id, []);
  return order;
}

/**
 * Checks one stack's cdk.tf.json against the objects it must hold: each object exactly once,
 * byte-equal after un-escaping, valid against its schema; depends_on targets exist, acyclic and
 * tiered; no unescaped template; provider and backend as expected. Returns the parsed configuration.
 */
export function checkStackFile(text: string, objects: readonly any[], stackId: string): any {
  const tf = JSON.parse(text);
  const blocks: Record<string, any> = tf.resource?.kubernetes_manifest ?? {};
  // every object exactly once, byte-equal (in its rendered key order) after un-escaping
  expect(Object.keys(blocks).length).toBe(objects.length);
  const decoded = new Map(Object.entries(blocks).map(([id, b]) => [id, unescapeTemplates(b.manifest)]));
  for (const o of objects) {
    const id = resourceIdOf(o);
    expect(decoded.has(id)).toBe(true);
    expect(JSON.stringify(decoded.get(id))).toBe(JSON.stringify(o));
  }
  assertValidManifests([...decoded.values()]);
  // nothing Terraform would read as a template
  expect(stringsOf(tf).flatMap(unescapedTemplates)).toEqual([]);
  // depends_on: targets exist, the graph is acyclic, each edge points to an earlier tier (a
  // RoleBinding may follow its Role in the same tier), each namespaced object follows its Namespace
  const tierById = new Map([...decoded.entries()].map(([id, o]) => [id, tierOf(o as any)]));
  const graph = new Map<string, string[]>();
  for (const [id, b] of Object.entries(blocks)) {
    const targets = (b.depends_on ?? []).map((d: string) => {
      expect(d).toMatch(/^kubernetes_manifest\./);
      return d.slice('kubernetes_manifest.'.length);
    });
    graph.set(id, targets);
    for (const t of targets) {
      expect(blocks[t]).toBeDefined();
      const ok = tierById.get(t)! < tierById.get(id)!
        || (tierById.get(t) === tierById.get(id) && (decoded.get(id) as any).kind === 'RoleBinding' && (decoded.get(t) as any).kind === 'Role');
      if (!ok) throw new Error(`${id} (tier ${tierById.get(id)}) depends on ${t} (tier ${tierById.get(t)})`);
    }
    const o = decoded.get(id) as any;
    const ns = o.metadata.namespace;
    const nsId = ns ? resourceIdOf({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }) : undefined;
    if (nsId && blocks[nsId]) expect(targets).toContain(nsId);
  }
  expect(topologicalOrder(graph)).toHaveLength(objects.length);
  // resources declared in tier order
  const tiers = Object.keys(blocks).map(id => tierById.get(id)!);
  expect(tiers).toEqual([...tiers].sort((a, b) => a - b));
  expect(tiers.every(t => t !== Tier.CRD) || tiers.every(t => t === Tier.CRD)).toBe(true);
  // provider pinned, backend local with a relative path
  expect(tf.terraform.required_providers.kubernetes).toEqual({ source: 'hashicorp/kubernetes', version: '2.38.0' });
  expect(tf.terraform.backend.local.path).toBe(`terraform.${stackId}.tfstate`);
  return tf;
}

/** Asserts no absolute path of this machine appears in any synthesized file. */
export function expectNoMachinePaths(files: Map<string, string>, outdir: string): void {
  const machine = [outdir, process.cwd(), os.homedir(), path.resolve(__dirname, '../../../..')];
  for (const [file, text] of files) {
    for (const p of machine) {
      if (text.includes(p)) throw new Error(`${file} contains the absolute path ${p}`);
    }
  }
}

/** Expects `f` to throw a PlatformValidationError with a problem at `path` naming `value`, whose fix matches `fix`. */
export function expectValidationError(f: () => unknown, expected: { path: string; value: string; fix: RegExp }): void {
  let error: unknown;
  try {
    f();
  } catch (e) {
    error = e;
  }
  if (!PlatformValidationError.isPlatformValidationError(error)) throw new Error(`expected a PlatformValidationError, got ${String(error)}`);
  const problem = error.problems.find(p => p.path === expected.path && p.message.includes(expected.value));
  if (!problem) throw new Error(`no problem at [${expected.path}] names '${expected.value}'; got:\n${error.message}`);
  expect(problem.fix).toMatch(expected.fix);
  expect(error.message).toContain(`[${expected.path}] `);
  expect(error.message).toContain('Fix:');
}

/** A scope for stacks in tests that never synthesize. */
export function scratchApp(): Construct {
  return new App({ outdir: path.join(os.tmpdir(), 'cdk8s-openchoreo-terraform-unused') });
}
