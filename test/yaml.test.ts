import { parseAllDocuments } from 'yaml';
import { RecentCache } from '../src/output/recent-cache';
import { isPlainSafe, toYamlDocuments } from '../src/output/yaml';

/** Parses with both YAML 1.1 and 1.2 rules, as different GitOps tools do. */
function parseBoth(text: string): any[][] {
  return (['1.1', '1.2'] as const).map(version => parseAllDocuments(text, { version }).map(d => {
    expect(d.errors).toEqual([]);
    return d.toJS();
  }));
}

const TRICKY = [
  '', ' ', 'yes', 'No', 'on', 'OFF', 'y', 'n', 'true', 'False', 'null', 'Null', '~', '0', '-1', '1.5', '1e3', '0x1F', '0o17', '012',
  '1_000', '.5', '._', '.5_', '-._', '1_0.', '.inf', '-.Inf', '.NaN', '12:30', '190:20:30', '2026-11-25', '2026-11-25T10:00:00Z', '100m', '256Mi', '1Gi', 'v1.28',
  '*', '&anchor', '!tag', '%x', '@at', '`x', '|', '>', '#comment', 'a #b', 'a: b', 'key:', '- item', '-', '?', '[a]', '{a}', '"q"', "'q'",
  'http://x.svc.cluster.local:8080/api', 'ghcr.io/acme/api:1.4.2', 'a\tb', 'line1\nline2', 'line1\nline2\n', 'a\n\n', '\nleading', ' lead',
  'trail ', 'tab\n\tindented', 'unicode ✓', 'emoji 🚀', 'ctrl\u0001x', 'cr\r\nlf', '<<', '=', 'x\u2028y', 'a\n b\n',
];

describe('YAML emitter', () => {
  test('round-trips tricky strings as strings under YAML 1.1 and 1.2', () => {
    const doc = { values: TRICKY, keyed: Object.fromEntries(TRICKY.map((s, i) => [s === '' ? `k${i}` : s, s])) };
    for (const [parsed] of parseBoth(toYamlDocuments([doc]))) {
      expect(parsed).toEqual(doc);
    }
  });

  test('round-trips numbers, booleans, nulls, nested and empty collections, multiple documents', () => {
    const docs = [
      { a: 1, b: -2.5, c: true, d: false, e: null, f: [], g: {}, h: [[1, 2], [], [{}]], i: [{ x: [{ y: 'z' }] }] },
      { apiVersion: 'v1', kind: 'ConfigMap', data: { 'rules.yaml': 'currency: EUR\ncutoff: "23:59"\n' } },
      [],
    ];
    for (const parsed of parseBoth(toYamlDocuments(docs))) expect(parsed).toEqual(docs);
  });

  test('writes multi-line config as a literal block', () => {
    const text = toYamlDocuments([{ data: { 'app.conf': 'a: 1\nb: 2\n' } }]);
    expect(text).toBe('data:\n  app.conf: |\n    a: 1\n    b: 2\n');
  });

  test('quotes what a parser would read as another type, leaves ordinary words plain', () => {
    expect(isPlainSafe('yes')).toBe(false);
    expect(isPlainSafe('1.0')).toBe(false);
    expect(isPlainSafe('12:30')).toBe(false);
    expect(isPlainSafe('100m')).toBe(true);
    expect(isPlainSafe('ghcr.io/acme/api:1.4.2')).toBe(true);
    expect(toYamlDocuments([{ replicas: '3', cpu: '1' }])).toBe('replicas: "3"\ncpu: "1"\n');
  });

  test('round-trips random strings', () => {
    let seed = 42;
    const rand = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
    const alphabet = 'aZ09 :-#\'"\n\t.,[]{}&*!|>%@`?~=+/\\yesnotrue';
    const strings: string[] = [];
    for (let i = 0; i < 2000; i++) {
      let s = '';
      const len = Math.floor(rand() * 12);
      for (let j = 0; j < len; j++) s += alphabet[Math.floor(rand() * alphabet.length)];
      strings.push(s);
    }
    for (const [parsed] of parseBoth(toYamlDocuments([{ strings }]))) expect(parsed).toEqual({ strings });
  });

  test('strings full of double quotes and backslashes (PromQL, JSON) are single-quoted, and round-trip', () => {
    const promql = 'sum(rate(x{namespace="a",le=~"0\\\\.50*"}[5m])) > 0';
    const json = '{"title":"it\'s","panels":[{"expr":"up{job=\\"a\\"}"}]}';
    const text = toYamlDocuments([{ promql, json }]);
    expect(text).toBe(`promql: '${promql}'\njson: '${json.replace(/'/g, "''")}'\n`);
    for (const [parsed] of parseBoth(text)) expect(parsed).toEqual({ promql, json });
  });
  test('names, label values and paths (written without a cache lookup) are plain exactly when isPlainSafe says so', () => {
    const alphabet = 'aZy-n.0_9/O:';
    const words = ['y', 'Y', 'n', 'No', 'yes', 'YES', 'on', 'Off', 'true', 'False', 'null', 'NULL', 'Nulls', 'onx', 'api', 'v1.28', 'a/b_c', 'http://x.svc:8080/a', 'ghcr.io/a:1.2', 'a::b', 'key:'];
    let seed = 7;
    for (let i = 0; i < 3000; i++) {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      let w = '';
      for (let n = 1 + (seed % 7), x = seed; n > 0; n--, x = Math.floor(x / 11)) w += alphabet[x % alphabet.length];
      words.push(w);
    }
    for (const w of words) {
      const text = toYamlDocuments([{ v: w, l: [w] }]);
      expect(text.startsWith(`v: ${w}\n`)).toBe(isPlainSafe(w));
      for (const [parsed] of parseBoth(text)) expect(parsed).toEqual({ v: w, l: [w] });
    }
  });
});

describe('RecentCache', () => {
  test('keeps what was used recently, holds at most twice its limit', () => {
    const cache = new RecentCache<number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('c', 3); // ages a and b
    expect(cache.get('a')).toBe(1); // back to the young generation
    cache.set('d', 4); // ages c and a; b is dropped
    expect(cache.get('b')).toBeUndefined();
    expect([cache.get('a'), cache.get('c'), cache.get('d')]).toEqual([1, 3, 4]);
  });
});
