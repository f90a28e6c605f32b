import { Testing } from 'cdk8s';
import { captureWarnings, evaluateChanged, expectPolicyProblem, findingsOf, mainContainer, objectOf, subjectOf, subjectsOf } from './support';
import { PodSecurityRule, ScheduledTask } from '../../src';
import { NoHostAccessPolicyRule } from '../../src/policy/rules/oc-no-host-access';
import { PodSecurityPolicyRule } from '../../src/policy/rules/oc-pod-security';
import { ResourcesPolicyRule } from '../../src/policy/rules/oc-resources';
import { baseline, service } from '../support/fixtures';
import { synth } from '../support/synth';

captureWarnings();

/** acme / eu / development → staging → production, with one service 'api' (an endpoint). */
function platform(props: Parameters<typeof service>[2] = {}) {
  const b = baseline(Testing.app());
  const api = service(b.project, 'api', props);
  api.addEndpoint('http', { port: 8080 });
  return { ...b, api };
}

describe('OC-POD-SECURITY (restricted Pod Security and a read-only root filesystem)', () => {
  const rule = new PodSecurityPolicyRule();

  test('Compliance: every pod template the library renders meets it (schema-valid output)', () => {
    const { org } = platform();
    synth(org);
    const subjects = subjectsOf(org);
    expect(subjects.filter(s => s.manifest.kind === 'Deployment')).toHaveLength(3);
    expect(findingsOf(rule, subjects)).toEqual([]);
  });

  test('Noncompliance 1: a patch that removes the main container\'s securityContext fails the synthesis', () => {
    const { org } = platform();
    expectPolicyProblem(() => evaluateChanged(org, objects => {
      delete mainContainer(objectOf(objects, 'Deployment', 'api-production')).securityContext;
    }), {
      path: 'acme/shop/api',
      value: "policy rule OC-POD-SECURITY: Deployment 'dp-acme-shop-production-",
      fix: /restore the container's securityContext .*suppress it with a reason: component\.suppressPolicy\('OC-POD-SECURITY', '<why it is acceptable>', \{ environment: production \}\)/,
    });
    const subject = subjectOf(subjectsOf(org, objects => {
      delete mainContainer(objectOf(objects, 'Deployment', 'api-production')).securityContext;
    }), 'Deployment', 'api-production');
    // the pod keeps runAsNonRoot and seccomp at pod level; the container loses the rest
    expect(rule.check(subject).map(f => f.message)).toEqual([
      "container 'main' at spec.template.spec.containers[0]: allowPrivilegeEscalation is unset (must be false), capabilities.drop is unset (must contain ALL), readOnlyRootFilesystem is unset (must be true)",
    ]);
  });

  test('Noncompliance 2: a sidecar a trait adds without a securityContext, and root at pod level', () => {
    const { org } = platform();
    const subjects = subjectsOf(org, objects => {
      const d = objectOf(objects, 'Deployment', 'api-development');
      d.spec.template.spec.securityContext = { runAsUser: 0 };
      d.spec.template.spec.containers.push({ name: 'agent', image: 'ghcr.io/acme/agent:1.0.0' });
    });
    expect(rule.check(subjectOf(subjects, 'Deployment', 'api-development')).map(f => f.message)).toEqual([
      "container 'main' at spec.template.spec.containers[0]: runAsUser is 0 (root)",
      "container 'agent' at spec.template.spec.containers[1]: runAsNonRoot is unset (must be true), runAsUser is 0 (root), allowPrivilegeEscalation is unset (must be false), capabilities.drop is unset (must contain ALL), seccompProfile.type is unset (must be RuntimeDefault or Localhost), readOnlyRootFilesystem is unset (must be true)",
    ]);
  });

  test('Noncompliance 3: a volume type restricted Pod Security forbids, and added capabilities', () => {
    const { org } = platform();
    const subjects = subjectsOf(org, objects => {
      const d = objectOf(objects, 'Deployment', 'api-staging');
      d.spec.template.spec.volumes = [{ name: 'shared', nfs: { server: 'nfs.acme.example', path: '/export' } }];
      mainContainer(d).securityContext.capabilities.add = ['NET_ADMIN', 'NET_BIND_SERVICE'];
    });
    const findings = rule.check(subjectOf(subjects, 'Deployment', 'api-staging'));
    expect(findings.map(f => f.message)).toEqual([
      "volume 'shared' at spec.template.spec.volumes is of type 'nfs', which restricted Pod Security forbids",
      "container 'main' at spec.template.spec.containers[0]: capabilities.add is [\"NET_ADMIN\",\"NET_BIND_SERVICE\"] (only NET_BIND_SERVICE may be added)",
    ]);
    expect(findings[0].fix).toMatch(/use a configMap, secret, emptyDir/);
  });

  test('securityExceptions are recorded suppressions: the excepted rule is not a finding, the others still are', () => {
    const { org } = platform({ securityExceptions: [{ rule: PodSecurityRule.RUN_AS_NON_ROOT, reason: 'the vendor image binds port 80 as root' }] });
    synth(org);
    expect(findingsOf(rule, subjectsOf(org))).toEqual([]);
    const patched = subjectsOf(org, objects => {
      mainContainer(objectOf(objects, 'Deployment', 'api-production')).securityContext.allowPrivilegeEscalation = true;
    });
    expect(rule.check(subjectOf(patched, 'Deployment', 'api-production')).map(f => f.message)).toEqual([
      "container 'main' at spec.template.spec.containers[0]: allowPrivilegeEscalation is true (must be false)",
    ]);
    const policy = evaluateChanged(org);
    expect(policy.exceptions.filter(e => e.environment === 'production')).toEqual([
      { environment: 'production', path: 'acme/shop/api', rule: 'run-as-non-root', reason: 'the vendor image binds port 80 as root' },
    ]);
  });
});

describe('OC-NO-HOST-ACCESS', () => {
  const rule = new NoHostAccessPolicyRule();

  test('Compliance: no rendered pod touches the node', () => {
    const { org } = platform();
    synth(org);
    expect(findingsOf(rule, subjectsOf(org))).toEqual([]);
  });

  test('Noncompliance: host namespaces, a host path, a host port and a privileged container each fail the synthesis', () => {
    const { org } = platform();
    const change = (objects: any[]) => {
      const d = objectOf(objects, 'Deployment', 'api-development');
      const pod = d.spec.template.spec;
      Object.assign(pod, { hostNetwork: true, hostPID: true, hostIPC: true });
      pod.volumes.push({ name: 'docker', hostPath: { path: '/var/run/docker.sock' } });
      mainContainer(d).securityContext.privileged = true;
      mainContainer(d).ports[0].hostPort = 8080;
    };
    expect(rule.check(subjectOf(subjectsOf(org, change), 'Deployment', 'api-development')).map(f => f.message)).toEqual([
      'spec.template.spec.hostNetwork is true',
      'spec.template.spec.hostPID is true',
      'spec.template.spec.hostIPC is true',
      "volume 'docker' at spec.template.spec.volumes mounts host path '/var/run/docker.sock'",
      "container 'main' at spec.template.spec.containers[0] is privileged",
      "container 'main' at spec.template.spec.containers[0] binds host port 8080",
    ]);
    expectPolicyProblem(() => evaluateChanged(org, change), {
      path: 'acme/shop/api',
      value: "policy rule OC-NO-HOST-ACCESS: Deployment 'dp-acme-shop-development-",
      fix: /remove the host access from the pod/,
    });
  });
});

describe('OC-RESOURCES', () => {
  const rule = new ResourcesPolicyRule();

  test('Compliance: every rendered container has requests and limits (CronJobs and sidecars included)', () => {
    const { org, project } = platform({ sidecars: [{ name: 'proxy', image: 'ghcr.io/acme/proxy:1.0.0' }] });
    new ScheduledTask(project, 'nightly', { image: 'ghcr.io/acme/nightly:1.0.0', schedule: '0 1 * * *' });
    synth(org);
    expect(subjectsOf(org).filter(s => s.manifest.kind === 'CronJob')).toHaveLength(3);
    expect(findingsOf(rule, subjectsOf(org))).toEqual([]);
  });

  test('Noncompliance: a patch that drops the limits fails the synthesis, naming the missing fields', () => {
    const { org } = platform();
    const change = (objects: any[]) => {
      delete mainContainer(objectOf(objects, 'Deployment', 'api-staging')).resources.limits;
    };
    expect(rule.check(subjectOf(subjectsOf(org, change), 'Deployment', 'api-staging'))).toEqual([
      { message: "container 'main' at spec.template.spec.containers[0] sets no resources.limits.cpu, resources.limits.memory" },
    ]);
    expectPolicyProblem(() => evaluateChanged(org, change), {
      path: 'acme/shop/api',
      value: 'sets no resources.limits.cpu, resources.limits.memory',
      fix: /set resources\.requests and resources\.limits \(cpu and memory\)/,
    });
  });
});
