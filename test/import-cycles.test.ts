import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { importCycles, importGraph, typeScriptFiles } from './support/import-graph';

const ROOT = path.resolve(__dirname, '..');
/** What eslint lints (the projen eslint task's folders), where a cycle could form. */
const LINTED = ['src', 'test', 'build-tools', 'packages/terraform/src', 'packages/terraform/test', 'projenrc', '.projenrc.ts']
  .map(p => path.join(ROOT, p)).filter(p => fs.existsSync(p));

test('no cycle of value imports in the repository (type-only imports are exempt)', () => {
  // src/imports (generated bindings) imports only cdk8s and constructs; test/schemas holds no TypeScript.
  const graph = importGraph(typeScriptFiles(LINTED, [path.join(ROOT, 'src/imports')]));
  expect(graph.size).toBeGreaterThan(300);
  expect(graph.get(path.join(ROOT, 'src/synth.ts'))).toContain(path.join(ROOT, 'src/resolve/resolver.ts'));
  const cycles = importCycles(graph).map(c => c.map(f => path.relative(ROOT, f)).join(' -> '));
  expect(cycles).toEqual([]);
});

describe('the cycle finder', () => {
  /** Writes `files` (name → source) into a temp folder and returns the cycles among them, by file name. */
  function cyclesOf(files: Record<string, string>): string[][] {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'import-graph-'));
    try {
      for (const [name, text] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
        fs.writeFileSync(path.join(dir, name), text);
      }
      return importCycles(importGraph(typeScriptFiles([dir]))).map(c => c.map(f => path.relative(dir, f)));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  test('finds a cycle through imports, re-exports, index files, import-require and dynamic imports', () => {
    expect(cyclesOf({ 'a.ts': "import { b } from './b';", 'b.ts': "export * from './c';", 'c.ts': "import { a } from './a';" }))
      .toEqual([['a.ts', 'b.ts', 'c.ts', 'a.ts']]);
    expect(cyclesOf({ 'a.ts': "import { x } from './lib';", 'lib/index.ts': "import a = require('../a');" }))
      .toEqual([['a.ts', 'lib/index.ts', 'a.ts']]);
    expect(cyclesOf({ 'a.ts': "export const f = () => import('./b');", 'b.ts': "import './a';" }))
      .toEqual([['a.ts', 'b.ts', 'a.ts']]);
    expect(cyclesOf({ 'a.ts': "import { a } from './a';" })).toEqual([['a.ts', 'a.ts']]);
  });

  test('reports each cycle once, by the shortest path from its first module', () => {
    expect(cyclesOf({
      'a.ts': "import './b'; import './c';",
      'b.ts': "import './c';",
      'c.ts': "import './a';",
      'x.ts': "import './y';",
      'y.ts': "import './x'; import './a';",
    })).toEqual([['a.ts', 'c.ts', 'a.ts'], ['x.ts', 'y.ts', 'x.ts']]);
  });

  test('type-only imports and exports, packages and non-TypeScript files are no edge', () => {
    expect(cyclesOf({
      'a.ts': "import type { B } from './b'; import { type C, type D } from './c'; export type { E } from './e';",
      'b.ts': "import { a } from './a';",
      'c.ts': "import { a } from './a';",
      'e.ts': "export * from './a';",
    })).toEqual([]);
    expect(cyclesOf({ 'a.ts': "import { b } from 'b'; import data from './a.json'; import { type C, d } from './c';", 'c.ts': "import './a';" }))
      .toEqual([['a.ts', 'c.ts', 'a.ts']]);
  });
});
