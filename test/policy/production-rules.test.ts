import { Testing } from 'cdk8s';
import { captureWarnings, evaluateChanged, findingsOf, subjectOf, subjectsOf } from './support';
import { DisruptionBudget, OrganizationProps, PolicyPack, PolicySeverity, Probe, Worker } from '../../src';
import { ImageDigestProductionPolicyRule } from '../../src/policy/rules/oc-image-digest-prod';
import { ProbesProductionPolicyRule } from '../../src/policy/rules/oc-probes-prod';
import { ReplicasPdbProductionPolicyRule } from '../../src/policy/rules/oc-replicas-pdb-prod';
import { baseline, IMAGE, service } from '../support/fixtures';
import { expectProblem } from '../support/problems';
import { synth } from '../support/synth';

captureWarnings();

const DIGEST = 'ghcr.io/acme/api@sha256:5db4c21d0530365a14f594ee4bce1855698c6039b558ebc942acb8d6158c1bbf';
const PROBES = { readiness: Probe.http({ endpoint: 'http', path: '/ready' }), liveness: Probe.tcp({ endpoint: 'http' }) };

/** The baseline platform with one service 'api' serving an endpoint. */
function platform(props: Parameters<typeof service>[2] = {}, orgProps: OrganizationProps = {}) {
  const b = baseline(Testing.app(), orgProps);
  const api = service(b.project, 'api', props);
  api.addEndpoint('http', { port: 8080 });
  return { ...b, api };
}

/** A production service that meets every production rule. */
const COMPLIANT = { image: DIGEST, probes: PROBES, replicas: 2, disruptionBudget: DisruptionBudget.maxUnavailable(1) };

describe('OC-PROBES-PROD', () => {
  const rule = new ProbesProductionPolicyRule();

  test('Compliance: readiness and liveness in production; workers and non-production environments are not checked', () => {
    const { org, project } = platform(COMPLIANT);
    new Worker(project, 'jobs', { image: IMAGE });
    synth(org);
    expect(findingsOf(rule, subjectsOf(org))).toEqual([]);
    const bare = platform();
    const subjects = subjectsOf(bare.org);
    // without probes: only production's Deployment is a finding
    expect(findingsOf(rule, subjects)).toHaveLength(1);
    expect(rule.check(subjectOf(subjects, 'Deployment', 'api-staging'))).toEqual([]);
    expect(rule.check(subjectOf(subjects, 'Deployment', 'api-production'))).toHaveLength(1);
  });

  test('Noncompliance: a production service without probes warns (recommended) and names the missing probes', () => {
    const { org } = platform({ ...COMPLIANT, probes: { readiness: PROBES.readiness } });
    expect(rule.check(subjectOf(subjectsOf(org), 'Deployment', 'api-production'))).toEqual([
      { message: "container 'main' at spec.template.spec.containers[0] serves endpoints in production without livenessProbe" },
    ]);
    const warnings = evaluateChanged(org).findings;
    expect(warnings.map(f => [f.ruleId, f.severity, f.path, f.environment])).toEqual([['OC-PROBES-PROD', PolicySeverity.WARNING, 'acme/shop/api', 'production']]);
  });

  test('Noncompliance (strict): the same finding fails the synthesis', () => {
    expectProblem(app => {
      const b = baseline(app, { policyPack: PolicyPack.strict() });
      service(b.project, 'api', { ...COMPLIANT, probes: undefined }).addEndpoint('http', { port: 8080 });
    }, {
      path: 'acme/shop/api',
      value: 'serves endpoints in production without readinessProbe and livenessProbe',
      fix: /declare probes on the component.*component\.suppressPolicy\('OC-PROBES-PROD'/,
      at: 'synth',
    });
  });
});

describe('OC-REPLICAS-PDB-PROD', () => {
  const rule = new ReplicasPdbProductionPolicyRule();

  test('Compliance: two replicas and a PDB, or an autoscaler minimum of two and a PDB', () => {
    const fixed = platform(COMPLIANT);
    synth(fixed.org);
    expect(findingsOf(rule, subjectsOf(fixed.org))).toEqual([]);
    const scaled = platform({ ...COMPLIANT, replicas: undefined, autoscaling: { minReplicas: 2, maxReplicas: 4 } });
    synth(scaled.org);
    expect(findingsOf(rule, subjectsOf(scaled.org))).toEqual([]);
  });

  test('Noncompliance 1: one replica and no PodDisruptionBudget in production', () => {
    const { org, api, prod } = platform({ ...COMPLIANT, disruptionBudget: undefined });
    api.configureEnvironment(prod, { replicas: 1 });
    expect(rule.check(subjectOf(subjectsOf(org), 'Deployment', 'api-production')).map(f => f.message)).toEqual([
      'replicas is 1 (one pod: any restart is an outage)',
      'no PodDisruptionBudget selects its pods',
    ]);
  });

  test('Noncompliance 2: an autoscaler whose minimum is one', () => {
    const { org } = platform({ ...COMPLIANT, replicas: undefined, autoscaling: { minReplicas: 1, maxReplicas: 4 } });
    expect(rule.check(subjectOf(subjectsOf(org), 'Deployment', 'api-production')).map(f => f.message)).toEqual([
      "its HorizontalPodAutoscaler's minReplicas is 1 (one pod: any restart is an outage)",
    ]);
  });

  test('Noncompliance (strict): fails the synthesis with the fix', () => {
    expectProblem(app => {
      const b = baseline(app, { policyPack: PolicyPack.strict() });
      service(b.project, 'api', { ...COMPLIANT, disruptionBudget: undefined }).addEndpoint('http', { port: 8080 });
    }, {
      path: 'acme/shop/api',
      value: 'no PodDisruptionBudget selects its pods',
      fix: /disruptionBudget: DisruptionBudget\.maxUnavailable\(1\)/,
      at: 'synth',
    });
  });
});

describe('OC-IMAGE-DIGEST-PROD', () => {
  const rule = new ImageDigestProductionPolicyRule();

  test('Compliance: a digest in production; tags elsewhere are fine', () => {
    const { org } = platform(COMPLIANT);
    synth(org);
    expect(findingsOf(rule, subjectsOf(org))).toEqual([]);
    const tagged = platform({ ...COMPLIANT, image: IMAGE });
    const findings = findingsOf(rule, subjectsOf(tagged.org));
    expect(findings).toEqual([{ message: `container 'main' at spec.template.spec.containers[0] runs image '${IMAGE}' by tag, not by digest` }]);
  });

  test('Noncompliance (recommended): a warning, printed and listed, the synthesis succeeds', () => {
    const { org } = platform({ ...COMPLIANT, image: IMAGE });
    const evaluation = evaluateChanged(org);
    expect(evaluation.findings.map(f => `${f.ruleId} ${f.severity} ${f.object.split("'")[0]}`)).toEqual(['OC-IMAGE-DIGEST-PROD warning Deployment ']);
    expect(synth(org).length).toBeGreaterThan(10);
  });

  test('Noncompliance (strict): an error naming the image and the fix', () => {
    expectProblem(app => {
      const b = baseline(app, { policyPack: PolicyPack.strict() });
      service(b.project, 'api', { ...COMPLIANT, image: IMAGE }).addEndpoint('http', { port: 8080 });
    }, {
      path: 'acme/shop/api',
      value: `runs image '${IMAGE}' by tag, not by digest`,
      fix: /pin the production release by digest/,
      at: 'synth',
    });
  });
});
