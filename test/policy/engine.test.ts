import { Testing } from 'cdk8s';
import { captureWarnings, evaluateChanged, objectOf } from './support';
import { buildPlatform } from '../../examples/platform/main';
import {
  DataPlane, Environment, GitOpsDelivery, GitOpsTool, IPolicyRule, Organization, PlatformErrors, PolicyFinding, PolicyPack, PolicySeverity,
  PolicySubject, Probe, Worker,
} from '../../src';
import { synthesizeOrganization } from '../../src/synth';
import { baseline, IMAGE, service, withApp } from '../support/fixtures';
import { expectProblem } from '../support/problems';
import { synth, testApp } from '../support/synth';

const printed = captureWarnings();

/** A platform team's own rule: every Deployment carries the owning team's label. */
class TeamLabelRule implements IPolicyRule {
  public readonly id = 'ACME-TEAM-LABEL';
  public readonly description = 'Deployments carry the acme.example/team label';
  public readonly fix = "set labels: { 'acme.example/team': '<team>' } on the component";
  constructor(public readonly severity: PolicySeverity) {}
  public check(subject: PolicySubject): PolicyFinding[] {
    if (subject.manifest.kind !== 'Deployment' || subject.manifest.metadata?.labels?.['acme.example/team']) return [];
    return [{ message: `Deployment '${subject.manifest.metadata.name}' of ${subject.component} has no acme.example/team label` }];
  }
}

/** A rule with a bug. */
class BrokenRule implements IPolicyRule {
  public readonly id = 'ACME-BROKEN';
  public readonly severity = PolicySeverity.ERROR;
  public readonly description = 'Throws on every Deployment';
  public readonly fix = 'none';
  constructor(private readonly answer: 'throw' | 'garbage') {}
  public check(subject: PolicySubject): PolicyFinding[] {
    if (subject.manifest.kind !== 'Deployment') return [];
    if (this.answer === 'throw') throw new Error('spec is undefined');
    return 'oops' as any;
  }
}

const DIGEST = 'ghcr.io/acme/api@sha256:5db4c21d0530365a14f594ee4bce1855698c6039b558ebc942acb8d6158c1bbf';

describe('policy packs', () => {
  test('an organization runs the recommended pack by default; strict makes production practice errors', () => {
    const org = baseline(Testing.app()).org;
    expect(org.policyPack.name).toBe('recommended');
    expect(org.policyPack.ruleIds).toEqual([
      'OC-POD-SECURITY', 'OC-NO-HOST-ACCESS', 'OC-RESOURCES', 'OC-ALLOWED-REGISTRIES', 'OC-API-SIZE-LIMITS', 'OC-PROBES-PROD', 'OC-REPLICAS-PDB-PROD', 'OC-IMAGE-DIGEST-PROD',
    ]);
    const severities = (p: PolicyPack) => Object.fromEntries(p.rules.map(r => [r.id, r.severity]));
    expect(severities(PolicyPack.recommended())['OC-IMAGE-DIGEST-PROD']).toBe(PolicySeverity.WARNING);
    expect(new Set(Object.values(severities(PolicyPack.strict())))).toEqual(new Set([PolicySeverity.ERROR]));
  });

  test('custom packs hold the given rules plus the API-server size limits; with() extends a pack', () => {
    const custom = PolicyPack.custom([new TeamLabelRule(PolicySeverity.ERROR)]);
    expect(custom.name).toBe('custom');
    expect(custom.ruleIds).toEqual(['OC-API-SIZE-LIMITS', 'ACME-TEAM-LABEL']);
    const extended = PolicyPack.recommended().with([new TeamLabelRule(PolicySeverity.WARNING)]);
    expect(extended.name).toBe('recommended+1');
    expect(extended.ruleIds).toHaveLength(9);
    expect(extended.ruleIds[8]).toBe('ACME-TEAM-LABEL');
  });

  test('a custom error rule fails the synthesis naming the owner, the object, the rule and the fix', () => {
    expectProblem(app => {
      const b = baseline(app, { policyPack: PolicyPack.custom([new TeamLabelRule(PolicySeverity.ERROR)]) });
      service(b.project, 'api');
    }, {
      path: 'acme/shop/api',
      value: "policy rule ACME-TEAM-LABEL: Deployment 'dp-acme-shop-development-",
      fix: /set labels: \{ 'acme\.example\/team': '<team>' \} on the component; or, if it is intended, suppress it with a reason: component\.suppressPolicy\('ACME-TEAM-LABEL'/,
      at: 'synth',
    });
  });

  test('a custom warning rule synthesizes, lists its findings in policy.md and runs only where the pack says', () => {
    withApp(app => {
      const b = baseline(app, { policyPack: PolicyPack.recommended().with([new TeamLabelRule(PolicySeverity.WARNING)]) });
      service(b.project, 'api', { image: DIGEST, labels: { 'acme.example/team': 'shop' } });
      service(b.project, 'cart', { image: DIGEST });
      synth(b.org);
      const files = app.synthFiles();
      const staging = files['acme/eu/staging/policy.md'];
      expect(staging).toContain('| ACME-TEAM-LABEL | warning | Deployments carry the acme.example/team label |');
      expect(staging).toContain('## Warnings (1)');
      expect(staging).toMatch(/\| ACME-TEAM-LABEL \| acme\/shop\/cart \| Deployment 'dp-acme-shop-staging-[0-9a-f]+\/cart-staging-[0-9a-f]+' \| Deployment 'cart-staging-[0-9a-f]+' of cart has no acme\.example\/team label \|/);
      expect(staging).toContain('Pack `recommended+1`: 9 rules');
    });
  });

  test.each([
    ['an id that is not a rule id', { id: 'acme team' }, "policy rule id 'acme team' is not a rule id", /capitals, digits and hyphens/],
    ['no description', { description: ' ' }, "policy rule 'ACME-TEAM-LABEL' has no description", /one-sentence description/],
    ['no fix', { fix: '' }, "policy rule 'ACME-TEAM-LABEL' has no fix", /one-sentence fix/],
    ['an unknown severity', { severity: 'fatal' }, "severity of policy rule 'ACME-TEAM-LABEL' 'fatal' is not a value of PolicySeverity", /PolicySeverity\.ERROR, PolicySeverity\.WARNING/],
    ['a built-in id', { id: 'OC-RESOURCES' }, "policy rule id 'OC-RESOURCES' is used twice in the pack", /give each rule its own id/],
    ['the library\'s prefix', { id: 'OC-TEAM-LABEL' }, "policy rule id 'OC-TEAM-LABEL' uses the library's prefix OC-", /your own prefix/],
    ['no check method', { check: undefined }, 'has no check(subject) method', /implementing IPolicyRule/],
  ])('a custom rule with %s is refused when the pack is made', (_what, change, value, fix) => {
    const rule = Object.assign(new TeamLabelRule(PolicySeverity.ERROR), change);
    let error: unknown;
    try {
      PolicyPack.recommended().with([rule]);
    } catch (e) {
      error = e;
    }
    const [problem] = PlatformErrors.problemsOf(error);
    expect(problem.path).toBe('PolicyPack');
    expect(problem.message).toContain(value);
    expect(problem.fix).toMatch(fix);
  });

  test('with() of something else than a list is refused', () => {
    const [problem] = PlatformErrors.problemsOf((() => {
      try {
        PolicyPack.recommended().with(new TeamLabelRule(PolicySeverity.ERROR) as any);
      } catch (e) {
        return e;
      }
      return undefined;
    })());
    expect([problem.path, problem.message, problem.fix]).toEqual(['PolicyPack', 'rules [object Object] is not a list', 'pass a list of IPolicyRule objects']);
  });

  test('allowedRegistries that is not a list is refused at the organization', () => {
    expectProblem(app => new Organization(app, 'acme', { allowedRegistries: 'ghcr.io/acme' as any }), {
      path: 'acme', value: 'allowedRegistries "ghcr.io/acme" is not a list', fix: /give a list of registries, e\.g\. \['ghcr\.io\/acme'\]/, at: 'construction',
    });
  });

  test('a policyPack that is not a PolicyPack is refused at the organization', () => {
    expectProblem(app => new Organization(app, 'acme', { policyPack: 'strict' as any }), {
      path: 'acme', value: 'policyPack "strict" is not a PolicyPack', fix: /PolicyPack\.recommended\(\), PolicyPack\.strict\(\)/, at: 'construction',
    });
  });

  test.each([
    ['throws', 'throw', 'policy rule ACME-BROKEN failed on Deployment', /must return a list of findings .*and not throw/],
    ['returns something else than findings', 'garbage', 'policy rule ACME-BROKEN returned "oops" for Deployment', /return a list of findings, each \{ message/],
  ] as const)('a custom rule that %s fails the synthesis at the organization', (_what, answer, value, fix) => {
    expectProblem(app => {
      const b = baseline(app, { policyPack: PolicyPack.custom([new BrokenRule(answer)]) });
      service(b.project, 'api');
    }, { path: 'acme', value, fix, at: 'synth' });
  });
});

describe('warnings', () => {
  test('PlatformApp.synth() prints them once; toJson() and synthFiles() print nothing', () => {
    withApp(app => {
      const b = baseline(app);
      service(b.project, 'api');
      printed.length = 0;
      b.org.toJson();
      app.synthFiles();
      synthesizeOrganization(b.org);
      expect(printed).toEqual([]);
      app.synth();
      expect(printed).toHaveLength(1);
      expect(printed[0]).toMatch(/^cdk8s-openchoreo: organization 'acme': 1 policy warning \(pack recommended\), listed in each environment's policy\.md:\n {2}- \[acme\/shop\/api\] OC-IMAGE-DIGEST-PROD: Deployment '[^']+' in 'production': container 'main' at spec\.template\.spec\.containers\[0\] runs image 'ghcr\.io\/acme\/api:1\.0\.0' by tag, not by digest\. Fix: pin the production release by digest/);
      new Worker(b.project, 'jobs', { image: IMAGE });
      app.synth();
      expect(printed).toHaveLength(2);
      expect(printed[1]).toContain('2 policy warnings');
    });
  });

  test('a compliant platform prints nothing; more than 20 warnings print a count of the rest', () => {
    withApp(app => {
      const b = baseline(app);
      service(b.project, 'api', { image: DIGEST });
      printed.length = 0;
      app.synth();
      expect(printed).toEqual([]);
      for (let i = 0; i < 22; i++) service(b.project, `svc-${i}`);
      app.synth();
      expect(printed[0]).toContain('22 policy warnings');
      expect(printed[0].split('\n').filter(l => l.startsWith('  - '))).toHaveLength(20);
      expect(printed[0]).toContain('  … and 2 more');
    });
  });
});

describe('suppressions', () => {
  test('a component suppression in one environment: annotated object, listed in policy.md, warnings elsewhere stay', () => {
    withApp(app => {
      const b = baseline(app);
      const api = service(b.project, 'api', { probes: { readiness: Probe.tcp({ endpoint: 'http' }), liveness: Probe.tcp({ endpoint: 'http' }) } });
      api.addEndpoint('http', { port: 8080 });
      api.suppressPolicy('OC-IMAGE-DIGEST-PROD', '  the api image is rebuilt reproducibly from a signed tag  ', { environment: b.prod });
      const objects = synth(b.org);
      const prod = objects.find(o => o.kind === 'Deployment' && o.metadata.name.startsWith('api-production'));
      expect(prod.metadata.annotations['policy.openchoreo.dev/suppressed-oc-image-digest-prod']).toBe('the api image is rebuilt reproducibly from a signed tag');
      expect(Object.keys(prod.metadata.annotations)).toEqual([...Object.keys(prod.metadata.annotations)].sort());
      // the pod template is untouched (no restart for a review note)
      expect(Object.keys(prod.spec.template.metadata.annotations ?? {}).filter(k => k.startsWith('policy.'))).toEqual([]);
      const staging = objects.find(o => o.kind === 'Deployment' && o.metadata.name.startsWith('api-staging'));
      expect(Object.keys(staging.metadata.annotations ?? {}).filter(k => k.startsWith('policy.'))).toEqual([]);
      const page = app.synthFiles()['acme/eu/production/policy.md'];
      expect(page).toContain('## Suppressions (1)');
      expect(page).toMatch(/\| OC-IMAGE-DIGEST-PROD \| warning \| acme\/shop\/api \| Deployment '[^']+' \| container 'main' at spec\.template\.spec\.containers\[0\] runs image 'ghcr\.io\/acme\/api:1\.0\.0' by tag, not by digest \| the api image is rebuilt reproducibly from a signed tag \| acme\/shop\/api \|/);
      // production's replicas and PDB warning is not covered by that suppression
      expect(page).toContain('## Warnings (1)');
      expect(page).toContain('| OC-REPLICAS-PDB-PROD | acme/shop/api |');
    });
  });

  test('an organization suppression with a kind selector covers every component of that kind of object', () => {
    const b = baseline(Testing.app());
    service(b.project, 'api');
    new Worker(b.project, 'jobs', { image: IMAGE });
    b.org.suppressPolicy('OC-IMAGE-DIGEST-PROD', 'images are verified by the admission controller', { kind: 'Deployment', environment: b.prod });
    const evaluation = evaluateChanged(b.org);
    expect(evaluation.findings.map(f => [f.ruleId, f.path, f.suppressed?.by])).toEqual([
      ['OC-IMAGE-DIGEST-PROD', 'acme/shop/api', 'acme'],
      ['OC-IMAGE-DIGEST-PROD', 'acme/shop/jobs', 'acme'],
    ]);
  });

  test('a component suppression wins over an organization-wide one covering the same finding', () => {
    const b = baseline(Testing.app());
    service(b.project, 'api').suppressPolicy('OC-IMAGE-DIGEST-PROD', 'the api is rebuilt from a signed tag', { environment: b.prod });
    service(b.project, 'cart');
    b.org.suppressPolicy('OC-IMAGE-DIGEST-PROD', 'images are verified by the admission controller', { environment: b.prod });
    expect(evaluateChanged(b.org).findings.map(f => [f.path, f.suppressed?.by])).toEqual([['acme/shop/api', 'acme/shop/api'], ['acme/shop/cart', 'acme']]);
  });

  test('objects outside environments: their findings are listed in every policy.md; an organization suppression covers them by kind', () => {
    /** Flags Argo CD AppProjects, objects of no environment. */
    class NoAppProjectRule implements IPolicyRule {
      public readonly id = 'ACME-NO-APPPROJECT';
      public readonly severity = PolicySeverity.WARNING;
      public readonly description = 'AppProjects are managed by the Argo CD team';
      public readonly fix = 'leave AppProjects to the Argo CD team';
      public check(subject: PolicySubject): PolicyFinding[] {
        return subject.manifest.kind === 'AppProject' ? [{ message: `AppProject '${subject.manifest.metadata.name}' is emitted by ${subject.path}` }] : [];
      }
    }
    withApp(app => {
      const b = baseline(app, { policyPack: PolicyPack.recommended().with([new NoAppProjectRule()]) });
      new GitOpsDelivery(b.org, 'delivery', { repoUrl: 'https://git.acme.example/platform/gitops.git', tools: [GitOpsTool.ARGO_CD] });
      service(b.project, 'api', { image: DIGEST });
      const outside = evaluateChanged(b.org).findings.filter(f => f.ruleId === 'ACME-NO-APPPROJECT');
      expect(outside.length).toBeGreaterThan(0);
      expect(outside.every(f => f.environment === undefined)).toBe(true);
      const files = app.synthFiles();
      for (const env of ['development', 'staging', 'production']) {
        const rows = files[`acme/eu/${env}/policy.md`].split('\n').filter(l => l.startsWith('| ACME-NO-APPPROJECT | acme'));
        expect(rows).toHaveLength(outside.length);
      }
      b.org.suppressPolicy('ACME-NO-APPPROJECT', 'this organization has no Argo CD team yet', { kind: 'AppProject' });
      const objects = synth(b.org);
      const projects = objects.filter(o => o.kind === 'AppProject');
      expect(projects.map(o => o.metadata.annotations['policy.openchoreo.dev/suppressed-acme-no-appproject'])).toEqual(projects.map(() => 'this organization has no Argo CD team yet'));
      expect(app.synthFiles()['acme/eu/staging/policy.md']).toContain(`## Suppressions (${outside.length})`);
    });
  });

  test('a suppressed error no longer fails the synthesis (the patch that removed a securityContext, accepted)', () => {
    const b = baseline(Testing.app());
    service(b.project, 'api').suppressPolicy('OC-POD-SECURITY', 'debug image for a week, ticket OPS-1234', { environment: b.dev });
    const evaluation = evaluateChanged(b.org, objects => {
      delete objectOf(objects, 'Deployment', 'api-development').spec.template.spec.containers[0].securityContext;
    });
    const suppressed = evaluation.findings.filter(f => f.ruleId === 'OC-POD-SECURITY');
    expect(suppressed.map(f => [f.severity, f.environment, f.suppressed?.reason])).toEqual([[PolicySeverity.ERROR, 'development', 'debug image for a week, ticket OPS-1234']]);
  });

  test.each([
    ['an empty reason', 'OC-IMAGE-DIGEST-PROD', '', "suppression of policy rule 'OC-IMAGE-DIGEST-PROD' gives no real reason ('')", /at least 10 characters/],
    ['a short reason', 'OC-IMAGE-DIGEST-PROD', 'ok', "gives no real reason ('ok')", /explain in a sentence/],
    ['a rule id that is not one', 'oc-image-digest', 'the image is pinned elsewhere', "suppressed policy rule id 'oc-image-digest' is not a rule id", /capitals, digits and hyphens/],
  ])('a suppression with %s is refused at the component', (_what, ruleId, reason, value, fix) => {
    expectProblem(app => service(baseline(app).project, 'api').suppressPolicy(ruleId, reason), { path: 'acme/shop/api', value, fix, at: 'construction' });
  });

  test('the same suppression twice is refused', () => {
    expectProblem(app => {
      const b = baseline(app);
      const api = service(b.project, 'api');
      api.suppressPolicy('OC-IMAGE-DIGEST-PROD', 'pinned by the admission controller', { environment: b.prod });
      api.suppressPolicy('OC-IMAGE-DIGEST-PROD', 'pinned by the admission controller', { environment: b.prod });
    }, { path: 'acme/shop/api', value: "policy rule 'OC-IMAGE-DIGEST-PROD' is suppressed twice in environment 'production'", fix: /keep one suppression/, at: 'construction' });
  });

  test('a suppression naming an environment of another organization is refused', () => {
    expectProblem(app => {
      const b = baseline(app);
      const other = new Organization(app, 'other');
      const env = new Environment(other, 'production', { dataPlane: new DataPlane(other, 'eu') });
      service(b.project, 'api').suppressPolicy('OC-IMAGE-DIGEST-PROD', 'pinned by the admission controller', { environment: env });
    }, { path: 'acme/shop/api', value: "names environment 'other/production', which is not an environment of organization 'acme'", fix: /same organization/, at: 'construction' });
  });

  test('an organization suppression naming an environment of another organization is refused', () => {
    expectProblem(app => {
      const b = baseline(app);
      const other = new Organization(app, 'other');
      const env = new Environment(other, 'production', { dataPlane: new DataPlane(other, 'eu') });
      b.org.suppressPolicy('OC-IMAGE-DIGEST-PROD', 'pinned by the admission controller', { environment: env });
    }, { path: 'acme', value: "names environment 'other/production', which is not an environment of this organization", fix: /name an environment of organization acme/, at: 'construction' });
  });

  test('an organization suppression with a kind that is not a kind is refused', () => {
    expectProblem(app => baseline(app).org.suppressPolicy('OC-IMAGE-DIGEST-PROD', 'pinned by the admission controller', { kind: 'deployments' }), {
      path: 'acme', value: "names kind 'deployments'", fix: /PascalCase, e\.g\. 'Deployment'/, at: 'construction',
    });
  });

  test('a suppression of a rule the pack does not have fails the synthesis, listing the rules', () => {
    expectProblem(app => service(baseline(app).project, 'api').suppressPolicy('ACME-TEAM-LABEL', 'the team label comes from the namespace'), {
      path: 'acme/shop/api',
      value: "suppression names policy rule 'ACME-TEAM-LABEL', which the organization's policy pack 'recommended' does not have",
      fix: /use one of OC-POD-SECURITY, OC-NO-HOST-ACCESS, .*OC-IMAGE-DIGEST-PROD, or add the rule to the pack/,
      at: 'synth',
    });
  });

  test('a suppression that suppresses nothing fails the synthesis', () => {
    expectProblem(app => {
      const b = baseline(app);
      service(b.project, 'api', { image: DIGEST }).suppressPolicy('OC-IMAGE-DIGEST-PROD', 'the image may be a tag in production', { environment: b.prod });
    }, {
      path: 'acme/shop/api',
      value: "suppression of policy rule 'OC-IMAGE-DIGEST-PROD' in environment 'production' suppresses nothing",
      fix: /remove the suppression \(the objects comply\)/,
      at: 'synth',
    });
  });

  test('an organization suppression that covers nothing fails the synthesis at the organization', () => {
    expectProblem(app => {
      const b = baseline(app);
      service(b.project, 'api', { image: DIGEST });
      b.org.suppressPolicy('OC-NO-HOST-ACCESS', 'node agents are reviewed by the security team', { kind: 'DaemonSet' });
    }, { path: 'acme', value: "suppression of policy rule 'OC-NO-HOST-ACCESS' for kind DaemonSet suppresses nothing", fix: /remove the suppression/, at: 'synth' });
  });
});

describe('the example platform', () => {
  let rendered: ReturnType<typeof synthesizeOrganization>;
  beforeAll(() => {
    // the example's own test validates every object against its schema
    rendered = synthesizeOrganization(buildPlatform(testApp()));
  });

  test('passes the recommended pack; production policy.md lists its warnings and the catalog\'s suppression', () => {
    const page = rendered.documents.find(d => d.file === 'eu-west/production/policy.md')!.content;
    expect(page).toContain('Pack `recommended`: 8 rules');
    expect(page).toContain('## Suppressions (1)');
    expect(page).toMatch(/\| OC-REPLICAS-PDB-PROD \| warning \| acme\/storefront\/catalog \| Deployment 'dp-acme-storefront-production-[0-9a-f]+\/catalog-production-[0-9a-f]+' \| no PodDisruptionBudget selects its pods \| read-only catalog behind the CDN cache: a node drain may briefly take it down \| acme\/storefront\/catalog \|/);
    expect(page).toContain('## Warnings (11)');
    // the ledger's database-proxy sidecar (a trait) is checked like the component's own container
    expect(page).toContain("container 'db-proxy' at spec.template.spec.containers[1] runs image 'ghcr.io/acme/pgbouncer:1.23.1' by tag");
    expect(rendered.documents.filter(d => d.file.endsWith('policy.md')).map(d => d.file)).toEqual([
      'eu-west/development/policy.md', 'eu-west/production/policy.md', 'eu-west/staging/policy.md',
    ]);
  });

  test('the catalog\'s production Deployment carries the reason; its other environments do not', () => {
    const catalogs = rendered.objects.map(o => o.manifest).filter(m => m.kind === 'Deployment' && m.metadata.name.startsWith('catalog-'));
    expect(catalogs.map(m => [m.metadata.name.split('-')[1], m.metadata.annotations?.['policy.openchoreo.dev/suppressed-oc-replicas-pdb-prod']]).sort()).toEqual([
      ['development', undefined],
      ['production', 'read-only catalog behind the CDN cache: a node drain may briefly take it down'],
      ['staging', undefined],
    ]);
  });
});
