// Parses Mermaid blocks with the mermaid package's own parser (mermaid 11 is ESM-only and needs a DOM).
// Input on stdin: a JSON array of { name, text }. Output on stdout: a JSON array, per block in order, of { name } or { name, error }.
import { JSDOM } from 'jsdom';

const input = await new Promise((resolve, reject) => {
  let data = '';
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', chunk => { data += chunk; });
  process.stdin.on('end', () => resolve(data));
  process.stdin.on('error', reject);
});
const blocks = JSON.parse(input);
const dom = new JSDOM('<!doctype html><html><body></body></html>');
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import('mermaid');
mermaid.initialize({ startOnLoad: false });
const outcomes = [];
for (const block of blocks) {
  try {
    await mermaid.parse(block.text);
    outcomes.push({ name: block.name });
  } catch (e) {
    outcomes.push({ name: block.name, error: String(e && e.message ? e.message : e).split('\n').slice(0, 4).join(' ') });
  }
}
process.stdout.write(JSON.stringify(outcomes));
