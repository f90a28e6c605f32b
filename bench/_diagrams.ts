import { buildPlatform } from './platform';
import { buildPlatform as example } from '../examples/platform/main';
import { PlatformApp } from '../src';
import { diagramSize, mermaidBlocks } from '../test/support/mermaid';
const report = (label: string, files: { [f: string]: string }) => {
  console.log(`== ${label}`);
  for (const b of mermaidBlocks(files)) { const s = diagramSize(b.text); console.log(`${b.name}\t${s.nodes} nodes\t${s.edges} edges`); }
  for (const f of Object.keys(files).filter(f => f.endsWith('.md'))) if (/_No diagram/.test(files[f])) console.log(`${f}\tno diagram: ${/_No diagram: (\d+) nodes/.exec(files[f])![1]} nodes`);
};
const a = new PlatformApp({ outdir: '/tmp/d1' }); example(a); report('example', a.synthFiles());
const b = new PlatformApp({ outdir: '/tmp/d2' }); buildPlatform(b, { components: 50 }); report('50 components', b.synthFiles());
for (const n of [1000, 10000].slice(0, Number(process.env.SIZES ?? 1))) {
const c = new PlatformApp({ outdir: '/tmp/d3' }); buildPlatform(c, { components: n }); const files = c.synthFiles();
const md = Object.keys(files).filter(f => f.endsWith('.md'));
const by = (re: RegExp) => md.filter(f => re.test(f)).map(f => files[f].length);
const sum = (xs: number[]) => xs.reduce((x, y) => x + y, 0);
console.log(`== ${n} components: md files`, md.length, 'bytes', sum(md.map(f => files[f].length)));
for (const [k, re] of [['env connectivity.md', /^bench\/[^/]+\/[^/]+\/connectivity\.md$/], ['env access.md', /^bench\/[^/]+\/[^/]+\/access\.md$/], ['env README.md', /^bench\/[^/]+\/(development|staging|production)\/README\.md$/],
  ['project connectivity.md', /\/[^/]+\/[^/]+\/[^/]+\/connectivity\.md$/], ['project access.md', /\/[^/]+\/[^/]+\/[^/]+\/access\.md$/], ['org README', /^bench\/README\.md$/], ['platform README', /platform\/README\.md$/]] as Array<[string, RegExp]>) {
  const xs = by(re); if (xs.length) console.log(`${k}\tfiles ${xs.length}\ttotal ${sum(xs)}\tmax ${Math.max(...xs)}`);
}
}
