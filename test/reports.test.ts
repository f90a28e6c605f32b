import * as path from 'path';
import { parse } from 'yaml';
import { diagramSize, mermaidBlocks, mermaidSummary, parseMermaidEach } from './support/mermaid';
import { testApp } from './support/synth';
import { buildPlatform as buildBench } from '../bench/platform';
import { buildPlatform as buildExample } from '../examples/platform/main';
import { Flow } from '../src/report/connectivity';
import { connectivityMarkdown } from '../src/report/connectivity-markdown';
import { synthesizeOrganization } from '../src/synth';

const example = (() => {
  const app = testApp();
  const org = buildExample(app);
  return { org, files: app.synthFiles() };
})();
const fifty = (() => {
  const app = testApp();
  const built = buildBench(app, { components: 50 });
  return { org: built.organization, files: app.synthFiles() };
})();

const md = (files: { [file: string]: string }) => Object.keys(files).filter(f => f.endsWith('.md')).sort();

describe('environment README', () => {
  const readme = example.files['acme/eu-west/production/README.md'];

  test('where the environment is promoted from, whether it needs approval, and how it syncs', () => {
    expect(readme).toContain('| payments | `dp-acme-payments-production-c507aead` | staging | **required** | Argo CD, **manual** (someone syncs after review); Flux, every 5m |');
    expect(example.files['acme/eu-west/development/README.md'])
      .toContain('| payments | `dp-acme-payments-development-18f37607` | — (first environment of the pipeline) | not required | Argo CD, automated (prune, self-heal); Flux, every 5m |');
    expect(example.files['acme/eu-west/staging/README.md']).toMatch(/\| storefront \| `[^`]+` \| development \| not required \| Argo CD, automated/);
  });

  test('image and where it comes from, replicas or autoscaler bounds, resources', () => {
    expect(readme).toContain('| storefront | web | deployment/web-application | `ghcr.io/acme/web:3.0.9` | release ledger (pin) | 2 | 250m, 512Mi / 1, 1Gi | http HTTP :3000 (project, public) |');
    expect(readme).toContain('| payments | payments-api | deployment/service | `ghcr.io/acme/payments-api:1.8.0` | code | HPA 3–20 (CPU 60%) | 250m, 512Mi / 1, 1Gi |');
    expect(readme).toContain('| storefront | catalog | deployment/service | `ghcr.io/acme/catalog:4.0.2` | code | 3 | 200m, 384Mi / 1, 1Gi |');
    expect(readme).toContain('| payments | settlement | cronjob/scheduled-task | `ghcr.io/acme/settlement:1.2.0` | code | — (runs on schedule) |');
    expect(example.files['acme/eu-west/development/README.md']).toMatch(/\| payments \| payments-api \| [^|]+ \| [^|]+ \| code \| HPA 1–2 \(CPU 80%\) \|/);
  });

  test('each CronJob\'s schedule and the secret-store keys each component reads', () => {
    expect(readme).toContain('| payments | settlement | `30 2 * * *` | Europe/Berlin | Forbid | 3 | 300s | no |');
    expect(readme).toContain('Keys each component reads from the secret store (ClusterSecretStore `vault-eu`)');
    expect(readme).toContain('| payments | ledger | `payments/ledger-db#password` → env DB_PASSWORD<br>`payments/api-keys#back-office` → API key of client back-office (grpc route) |');
    expect(readme).toContain('| storefront | catalog | `storefront/catalog-tls#key` → file /etc/catalog/tls.key |');
    // components that read no secret are not listed
    expect(readme).not.toMatch(/\| storefront \| web \| `[^`]*#/);
  });

  test('the picture keeps components up to 30 nodes and shows projects beyond', () => {
    expect(readme).toContain('  c__storefront__web -->|"http :8080"| c__payments__payments_api');
    const big = fifty.files['bench/eu-west/production/README.md'];
    expect(big).toContain('Projects instead of components (');
    const [block] = mermaidBlocks({ 'README.md': big });
    expect(block.text).toMatch(/p__\w+\["\w+<br\/><small>20 components<\/small>"\]/);
    expect(block.text).not.toMatch(/\bc__/);
  });
});

describe('organization and platform READMEs', () => {
  test('the organization index links every environment\'s reports, the platform folders and the delivery entry points', () => {
    const index = example.files['acme/README.md'];
    expect(index).toContain('# Organization acme (ACME Corp)');
    expect(index).toContain('| production | eu-west | **yes** | 2 | 7 | [README](eu-west/production/README.md), [connectivity](eu-west/production/connectivity.md), [access](eu-west/production/access.md), [policy](eu-west/production/policy.md) |');
    expect(index).toContain('| eu-west | gateway-external, gateway-external-production, gateway-internal | ci | [eu-west/platform/](eu-west/platform/README.md) |');
    expect(index).toContain('apply [gitops/](gitops/) once');
    expect(index).toContain('point `flux bootstrap` at [eu-west/flux-system/](eu-west/flux-system/)');
  });

  test('the platform folder README: gateways, dashboards, build plane, roles', () => {
    const readme = example.files['acme/eu-west/platform/README.md'];
    expect(readme).toContain('| gateway-internal | `openchoreo-data-plane` | INTERNAL endpoints | `internal.acme.example` | development, production, staging | 2 | secret store key `certs/internal-acme-example` | 1.2 |');
    expect(readme).toContain('| payments (production) | payments | production | 3 |');
    expect(readme).toContain('| storefront | recommendations | buildpacks | `https://github.com/acme/storefront.git` main services/recommendations | `ghcr.io/acme/acme-storefront-recommendations` | development |');
    expect(readme).toContain('| release-manager | `acme-release-manager` | read, deploy | 2 |');
    // one dashboard row per cell, one role row per role bound on the data plane
    expect(readme.match(/^\| \w+ \(\w+\) \|/gm)).toHaveLength(6);
  });

  test('every relative link of every Markdown file points into the tree', () => {
    const all = new Set(Object.keys(example.files));
    const folders = new Set([...all].flatMap(f => f.split('/').slice(0, -1).map((_, i, parts) => parts.slice(0, i + 1).join('/'))));
    let links = 0;
    for (const file of md(example.files)) {
      for (const [, target] of example.files[file].matchAll(/\]\(([^)]+)\)/g)) {
        if (/^[a-z]+:/.test(target)) continue;
        links++;
        const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(file), target));
        if (target.endsWith('/')) expect({ file, target, exists: folders.has(resolved.replace(/\/$/, '')) }).toEqual({ file, target, exists: true });
        else expect({ file, target, exists: all.has(resolved) }).toEqual({ file, target, exists: true });
      }
    }
    expect(links).toBeGreaterThan(40);
  });

  test('no kustomization.yaml lists a Markdown file', () => {
    const kustomizations = Object.keys(example.files).filter(f => f.endsWith('kustomization.yaml'));
    expect(kustomizations.length).toBeGreaterThan(10);
    for (const f of kustomizations) {
      const resources: string[] = parse(example.files[f]).resources;
      expect(resources.filter(r => r.endsWith('.md'))).toEqual([]);
    }
  });
});

/** Splits a Markdown table row at unescaped pipes and unescapes the cells. */
function cells(row: string): string[] {
  return row.slice(2, -2).split(/ (?<!\\)\| /).map(c => c.replace(/\\\|/g, '|').replace(/\\\\/g, '\\'));
}

const flowKey = (f: Flow) => `${f.from} -> ${f.to} ${f.port}/${f.protocol} ${f.l7 ? f.l7.join(' & ') : 'any'}`;

/** The flows a project page states: its table rows and its notes line, expanded. */
function pageFlows(page: string, project: string): string[] {
  const out: string[] = [];
  for (const row of page.split('\n').filter(l => l.startsWith('| ') && !l.startsWith('| From') && !l.startsWith('| ---'))) {
    const [from, to, port, protocol, l7] = cells(row);
    out.push(flowKey({ from, to, port: Number(port), protocol, ...(l7 === 'any' ? {} : { l7: l7.split('<br>') }) }));
  }
  const notes = page.split('\n').find(l => l.startsWith('**Not drawn:** '));
  for (const segment of notes ? notes.slice('**Not drawn:** '.length, -1).split(' · ') : []) {
    const [, label, ports, names] = /^(.*) \(([^)]*)\): (.*)$/.exec(segment)!;
    const components = /Components: (.*)\.$/m.exec(page)![1];
    for (const name of (names === 'every component' ? components : names).split(', ')) {
      for (const p of ports.split(', ')) {
        const [port, protocol] = p.split('/');
        const c = `${project}/${name}`;
        const [from, to] = label === 'DNS' ? [c, 'dns'] : label === 'telemetry to otel-collector' ? [c, 'otel-collector'] : [label === 'Prometheus scrapes' ? 'prometheus' : '?', c];
        out.push(flowKey({ from, to, port: Number(port), protocol }));
      }
    }
  }
  return out;
}

describe('connectivity reports', () => {
  const envs = synthesizeOrganization(example.org).connectivity;

  test('the project pages, read back, state exactly the flows evaluated from the emitted policies', () => {
    expect(envs).toHaveLength(3);
    for (const env of envs) {
      const stated = new Set<string>();
      for (const project of ['payments', 'storefront']) {
        for (const f of pageFlows(example.files[`acme/eu-west/${env.environment}/${project}/connectivity.md`], project)) stated.add(f);
      }
      expect([...stated].sort()).toEqual(env.flows.map(flowKey).sort());
    }
    // and at 50 components, where diagrams collapse or are left out, the tables still say everything
    for (const env of synthesizeOrganization(fifty.org).connectivity) {
      const projects = [...new Set(env.components.map(c => c.split('/')[0]))];
      expect(projects).toHaveLength(3);
      const stated = new Set(projects.flatMap(p => pageFlows(fifty.files[`bench/eu-west/${env.environment}/${p}/connectivity.md`], p)));
      expect([...stated].sort()).toEqual(env.flows.map(flowKey).sort());
    }
    const prod = envs.find(e => e.environment === 'production')!;
    expect(prod.flows.filter(f => f.to === 'dns')).toHaveLength(16); // 7 components and the orders-db pods
    // a flow between projects is on both projects' pages
    for (const project of ['payments', 'storefront']) {
      expect(example.files[`acme/eu-west/production/${project}/connectivity.md`]).toContain('| storefront/web | payments/payments-api | 8080 | TCP | any |');
    }
  });

  test('DNS, telemetry and scrapes are one line of notes, never a node or an edge', () => {
    const overview = example.files['acme/eu-west/production/connectivity.md'];
    expect(overview).toContain('42 allowed flows: 15 between components, gateways and external services; 27 to DNS, telemetry and scrapes.');
    expect(overview).toContain('**Not drawn:** DNS (53/TCP, 53/UDP): 8 components · telemetry to otel-collector (4318/TCP): 7 components · Prometheus scrapes (3000/TCP, 8080/TCP, 9127/TCP, 9464/TCP): 4 components.');
    expect(example.files['acme/eu-west/production/payments/connectivity.md'])
      .toContain('**Not drawn:** DNS (53/TCP, 53/UDP): every component · telemetry to otel-collector (4318/TCP): ledger, payments-api, settlement · Prometheus scrapes (8080/TCP): payments-api · Prometheus scrapes (9127/TCP): ledger · Prometheus scrapes (9464/TCP): settlement.');
    for (const block of mermaidBlocks({ ...example.files, ...fifty.files })) expect({ name: block.name, infra: /dns|otel|prometheus/.test(block.text) }).toEqual({ name: block.name, infra: false });
  });

  test('the overview draws projects, gateways and external services, and links a page per project', () => {
    const overview = example.files['acme/eu-west/production/connectivity.md'];
    const [block] = mermaidBlocks({ 'c.md': overview });
    const nodes = [...block.text.matchAll(/^ {2}(\w+)[[(]/gm)].map(m => m[1]);
    // the CloudNativePG operator reaches the orders-db pods of payments
    expect(nodes).toEqual(['o__operator_cnpg_system', 'p__payments', 'p__storefront', 'gw__external', 'gw__internal', 'x__ledger_db', 'x__stripe']);
    expect(block.text).toContain('p__storefront -->|"8080/TCP (2 flows)"| p__payments');
    expect(overview).toContain('| payments | 4 | 3 | 6 | 2 | [payments/connectivity.md](payments/connectivity.md) |');
  });

  test('at 50 components no diagram has more than 30 nodes', () => {
    const blocks = mermaidBlocks(fifty.files);
    expect(blocks.length).toBeGreaterThan(10);
    for (const b of blocks) expect({ name: b.name, small: diagramSize(b.text).nodes <= 30 }).toEqual({ name: b.name, small: true });
    // every project page has its diagram or, above 30 nodes, says so (its table lists every flow)
    const pages = md(fifty.files).filter(f => /^bench\/eu-west\/\w+\/[^/]+\/connectivity\.md$/.test(f));
    expect(pages).toHaveLength(3 * 3);
    for (const f of pages) {
      const drawn = mermaidBlocks({ [f]: fifty.files[f] }).length;
      const omitted = /_No diagram: \d+ nodes are more than 30; the table lists every flow._/.test(fifty.files[f]);
      expect({ f, one: drawn + (omitted ? 1 : 0) }).toEqual({ f, one: 1 });
      expect(fifty.files[f]).toContain('| From | To | Port | Protocol | L7 |');
    }
  });
});

describe('connectivityMarkdown above maxNodes', () => {
  const f = (from: string, to: string, port: number): Flow => ({ from, to, port, protocol: 'TCP' });
  const flows = [f('a/x', 'a/y', 1), f('b/1', 'a/x', 2), f('b/2', 'a/x', 2), f('c/1', 'a/y', 3)];

  test('collapses ends when asked and leaves the diagram out when that is still too many', () => {
    const collapse = (end: string) => (end.startsWith('a/') ? end : `project ${end.split('/')[0]}`);
    const collapsed = connectivityMarkdown('F', flows, { maxNodes: 4, collapse, collapsedNote: 'Collapsed.' });
    expect(collapsed).toContain('Collapsed.');
    expect(diagramSize(mermaidBlocks({ 'f.md': collapsed })[0].text)).toEqual({ nodes: 4, edges: 3 });
    expect(collapsed).toContain('| b/2 | a/x | 2 | TCP | any |'); // the table keeps every flow
    const omitted = connectivityMarkdown('F', flows, { maxNodes: 3, collapse, collapsedNote: 'Collapsed.' });
    expect(omitted).toContain('_No diagram: 4 nodes are more than 3; the table lists every flow._');
    expect(omitted).not.toContain('Collapsed.');
    expect(mermaidBlocks({ 'f.md': omitted })).toEqual([]);
    expect(connectivityMarkdown('F', flows, { maxNodes: 5 })).toContain('```mermaid');
  });
});

describe('Mermaid', () => {
  const blocks = mermaidBlocks({ ...example.files, ...fifty.files });
  const broken = { name: 'broken', text: blocks[0].text.replace('-->|"', '-->|') };
  /** One mermaid child for both tests: every emitted block, then the broken one (each parsed on its own). */
  let outcomes: ReturnType<typeof parseMermaidEach> | undefined;
  const parsed = () => (outcomes ??= parseMermaidEach([...blocks, broken]));

  test('every emitted block parses with mermaid\'s own parser', () => {
    const result = mermaidSummary(parsed().slice(0, blocks.length));
    expect(result.failures).toEqual([]);
    expect(result.parsed).toBe(blocks.length);
    expect(result.parsed).toBeGreaterThan(20);
  });

  test('a broken block is caught', () => {
    const result = mermaidSummary([parsed()[0], parsed()[blocks.length]]);
    expect(result.parsed).toBe(1);
    expect(result.failures.map(f => f.name)).toEqual(['broken']);
    expect(result.failures[0].error).toMatch(/Parse error/);
  });
});

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('report size', () => {
  test('grows linearly with the components: per-project pages stay the size of a project, indexes grow with the projects', () => {
    const sizes = (n: number) => {
      const app = testApp();
      buildBench(app, { components: n });
      const files = app.synthFiles();
      const of = (pattern: RegExp) => md(files).filter(f => pattern.test(f)).map(f => files[f].length);
      return {
        total: md(files).reduce((s, f) => s + files[f].length, 0),
        indexes: of(/^bench\/eu-west\/[^/]+\/(connectivity|access|README)\.md$/).reduce((a, b) => a + b, 0),
        meanPage: mean(of(/^bench\/eu-west\/[^/]+\/[^/]+\/(connectivity|access|README)\.md$/)),
        files,
      };
    };
    const small = sizes(120);
    const large = sizes(480);
    // above 100 components an environment's README lists projects, and each project's README its components
    const readme = large.files['bench/eu-west/production/README.md'];
    expect(readme).toContain('| p0000 | 20 | 2 |');
    expect(readme).toContain('[p0000/README.md](p0000/README.md) |');
    expect(readme).not.toContain('## Components');
    const project = large.files['bench/eu-west/production/p0000/README.md'];
    expect(project).toContain('# p0000 in production on eu-west');
    expect(project.match(/^\| p0000 \| [^|]+ \| (deployment|statefulset|cronjob)\//gm)).toHaveLength(20);
    expect(large.total / small.total).toBeLessThan(4 * 1.1);
    expect(large.indexes / small.indexes).toBeLessThan(4 * 1.1);
    expect(large.meanPage / small.meanPage).toBeLessThan(1.25);
  });
});
