import { Testing } from 'cdk8s';
import { captureWarnings, evaluateChanged, expectPolicyProblem, findingsOf, objectOf, subjectOf, subjectsOf } from './support';
import { isAllowedImage, repositoryOf } from '../../src/model/policy-registries';
import { AllowedRegistriesPolicyRule } from '../../src/policy/rules/oc-allowed-registries';
import { ApiSizeLimitsPolicyRule } from '../../src/policy/rules/oc-api-size-limits';
import { baseline, service } from '../support/fixtures';
import { expectProblem } from '../support/problems';
import { synth } from '../support/synth';

captureWarnings();

describe('OC-ALLOWED-REGISTRIES', () => {
  const rule = new AllowedRegistriesPolicyRule();

  test('Compliance: images from an allowed registry or repository prefix; no list means any registry', () => {
    const b = baseline(Testing.app(), { allowedRegistries: ['ghcr.io/acme', 'registry.acme.example:5000'] });
    service(b.project, 'api');
    service(b.project, 'proxy', { image: 'registry.acme.example:5000/envoy:1.30.0' });
    synth(b.org);
    expect(b.org.allowedRegistries).toEqual(['ghcr.io/acme', 'registry.acme.example:5000']);
    expect(findingsOf(rule, subjectsOf(b.org))).toEqual([]);
    const open = baseline(Testing.app());
    service(open.project, 'api', { image: 'nginx:1.25.3' });
    expect(findingsOf(rule, subjectsOf(open.org))).toEqual([]);
  });

  test('image references resolve to their repository: Docker Hub short names, ports, digests', () => {
    expect(repositoryOf('nginx:1.25.3')).toBe('docker.io/library/nginx');
    expect(repositoryOf('bitnami/redis@sha256:abc')).toBe('docker.io/bitnami/redis');
    expect(repositoryOf('registry.acme.example:5000/team/app:1.0')).toBe('registry.acme.example:5000/team/app');
    expect(repositoryOf('localhost/app')).toBe('localhost/app');
    expect(isAllowedImage('ghcr.io/acme-evil/app:1.0', ['ghcr.io/acme'])).toBe(false);
    expect(isAllowedImage('ghcr.io/acme/app:1.0', ['ghcr.io/acme'])).toBe(true);
    expect(isAllowedImage('nginx:1.25.3', ['docker.io/library'])).toBe(true);
  });

  test('Noncompliance: an image from another registry (a sidecar too) fails the synthesis', () => {
    expectProblem(app => {
      const b = baseline(app, { allowedRegistries: ['ghcr.io/acme'] });
      service(b.project, 'api', { sidecars: [{ name: 'proxy', image: 'docker.io/envoyproxy/envoy:v1.30.1' }] });
    }, {
      path: 'acme/shop/api',
      value: "container 'proxy' at spec.template.spec.containers[1] runs image 'docker.io/envoyproxy/envoy:v1.30.1' (repository docker.io/envoyproxy/envoy), which is not in allowedRegistries ghcr.io/acme",
      fix: /use an image from an allowed registry .*or add its registry to the organization's allowedRegistries/,
      at: 'synth',
    });
  });

  test.each([
    ['https://ghcr.io/acme', 'a scheme'],
    ['ghcr.io/acme/', 'a trailing slash'],
    ['ghcr.io/acme/app:1.0', 'a tag'],
    ['', 'nothing'],
  ])('a bad allowed registry %p (%s) is refused at the organization', entry => {
    expectProblem(app => baseline(app, { allowedRegistries: [entry] }), {
      path: 'acme',
      value: `allowed registry '${entry}' is not a registry host or repository prefix`,
      fix: /without scheme, tag or trailing slash, e\.g\. 'ghcr\.io\/acme'/,
      at: 'construction',
    });
  });
});

describe('OC-API-SIZE-LIMITS', () => {
  const rule = new ApiSizeLimitsPolicyRule();

  test('Compliance: the rendered objects fit the API server', () => {
    const b = baseline(Testing.app());
    service(b.project, 'api');
    synth(b.org);
    expect(findingsOf(rule, subjectsOf(b.org))).toEqual([]);
  });

  test('Noncompliance: a patch that adds 300 KiB of annotations fails, without offering a suppression', () => {
    const b = baseline(Testing.app());
    service(b.project, 'api');
    const change = (objects: any[]) => {
      const d = objectOf(objects, 'Deployment', 'api-development');
      d.metadata = { ...d.metadata, annotations: { 'acme.example/blob': 'z'.repeat(300 * 1024) } };
    };
    expect(rule.check(subjectOf(subjectsOf(b.org, change), 'Deployment', 'api-development'))[0].message).toMatch(/bytes of annotations, more than the API server's limit of 262144 bytes/);
    expectPolicyProblem(() => evaluateChanged(b.org, change), {
      path: 'acme/shop/api',
      value: "policy rule OC-API-SIZE-LIMITS: Deployment 'dp-acme-shop-development-",
      fix: /^shorten or remove annotations[^;]*$/,
    });
  });

  test('it cannot be suppressed', () => {
    expectProblem(app => {
      const b = baseline(app);
      service(b.project, 'api', { annotations: { 'acme.example/blob': 'z'.repeat(300 * 1024) } })
        .suppressPolicy('OC-API-SIZE-LIMITS', 'we really want this large annotation');
    }, {
      path: 'acme/shop/api',
      value: "policy rule 'OC-API-SIZE-LIMITS' cannot be suppressed",
      fix: /remove the suppression/,
      at: 'synth',
    });
  });
});
