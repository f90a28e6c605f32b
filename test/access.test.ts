import { buildPlatform } from '../examples/platform/main';
import {
  AccessCapability, AccessGrant, AccessRole, CustomRole, DataPlane, DeploymentPipeline, Environment, GitOpsDelivery, GitOpsTool,
  Organization, PlatformApp, Project, Worker,
} from '../src';
import { baseline, IMAGE, service, withApp } from './support/fixtures';
import { expectProblem, ExpectedProblem } from './support/problems';
import { one, synth, testApp } from './support/synth';
import { PlatformValidationError } from '../src/model/errors';
import { AccessEvaluator, groupMember, serviceAccount } from '../src/report/access';
import { AccessEntry, consistent, evaluateAccess } from '../src/report/access-capabilities';
import { renderAccessReports } from '../src/report/access-pages';
import { accessOf } from '../src/report/access-report';
import { generateName } from '../src/resolve/naming';
import { synthesizeOrganization } from '../src/synth';

// ---------------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------------

const cell = (project: string, env: string, org = 'acme') => generateName(63, 'dp', org, project, env);
const deliveryName = (project: string, env: string) => generateName(253, 'acme', project, env);

/** The example platform, whose grants are: platform admins everywhere, everyone in engineering
 * reads, each team develops its own project (read-only in production), the payments on-call group
 * may also deploy and debug payments in production, and release managers may deploy (only) in
 * production. */
function example(app: PlatformApp = testApp()): Organization {
  return buildPlatform(app);
}

/** shop (dev → staging → production with approval) with both delivery tools and `grants`. */
function shop(grants: (b: ReturnType<typeof baseline>) => void, options: { prefix?: string; tools?: GitOpsTool[] } = {}) {
  const app = testApp();
  const org = new Organization(app, 'acme');
  const dataPlane = new DataPlane(org, 'eu', options.prefix !== undefined ? { kubernetesGroupPrefix: options.prefix } : {});
  const dev = new Environment(org, 'development', { dataPlane });
  const staging = new Environment(org, 'staging', { dataPlane });
  const prod = new Environment(org, 'production', { dataPlane, isProduction: true });
  const pipeline = new DeploymentPipeline(org, 'standard', {
    promotionPaths: [{ source: dev, targets: [staging] }, { source: staging, targets: [prod], requiresApproval: true }],
  });
  const project = new Project(org, 'shop', { pipeline });
  service(project, 'api').addEndpoint('http', { port: 8080 });
  new Worker(project, 'mailer', { image: IMAGE, kubernetesApiAccess: true });
  new GitOpsDelivery(org, 'delivery', { repoUrl: 'https://git.example/ops.git', tools: options.tools ?? [GitOpsTool.ARGO_CD, GitOpsTool.FLUX] });
  const b = { app, org, dataPlane, dev, staging, prod, pipeline, project };
  grants(b);
  return b;
}

/** The RoleBindings of grants in a cell of project shop. */
const accessBindings = (objects: any[], env: string) => objects
  .filter(o => o.kind === 'RoleBinding' && o.metadata.namespace === cell('shop', env) && o.metadata.labels['openchoreo.dev/access-role']);
const rulesOf = (role: any) => role.rules.map((r: any) => `${r.apiGroups.join(',') || 'core'}: ${r.resources.join(',')} [${r.verbs.join(',')}]`);
/** The verbs a role grants on `group/resource` (group 'core' for ''), comma-separated in rule order. */
const verbsOn = (role: any, resource: string) => role.rules
  .filter((r: any) => r.resources.some((res: string) => `${r.apiGroups[0] || 'core'}/${res}` === resource)).flatMap((r: any) => r.verbs).join(',');
const allResources = (role: any, verb: string) => role.rules.filter((r: any) => r.verbs.includes(verb))
  .flatMap((r: any) => r.resources.map((res: string) => `${r.apiGroups[0] || 'core'}/${res}`));

/** group → project → capabilities, as the access report computes them for one environment. */
function matrix(entries: AccessEntry[]): Record<string, Record<string, string[]>> {
  const out: Record<string, Record<string, string[]>> = {};
  for (const e of entries) {
    out[e.group] = out[e.group] ?? {};
    out[e.group][e.target] = e.verdicts.map(v => (consistent(v) ? v.capability : `${v.capability} (inconsistent)`));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// What each built-in role may do, per layer
// ---------------------------------------------------------------------------------------------

describe('built-in roles in the cells (Kubernetes)', () => {
  const objects = synth(shop(b => {
    new AccessGrant(b.org, 'admins', { groups: ['admins'], role: AccessRole.ADMIN });
    new AccessGrant(b.org, 'devs', { groups: ['devs'], role: AccessRole.DEVELOPER });
    new AccessGrant(b.org, 'viewers', { groups: ['viewers'], role: AccessRole.VIEWER });
  }).org);
  const role = (name: string) => one(objects, 'ClusterRole', name);

  test('viewer reads workloads, config, routes and policies; never Secrets, logs, exec or any write', () => {
    const viewer = role('acme-viewer');
    expect(viewer.rules.every((r: any) => r.verbs.join() === 'get,list,watch')).toBe(true);
    expect(allResources(viewer, 'get')).toEqual(expect.arrayContaining([
      'core/pods', 'core/configmaps', 'core/services', 'core/events', 'apps/deployments', 'batch/cronjobs', 'autoscaling/horizontalpodautoscalers',
      'gateway.networking.k8s.io/httproutes', 'gateway.networking.k8s.io/grpcroutes', 'cilium.io/ciliumnetworkpolicies', 'external-secrets.io/externalsecrets',
      'gateway.envoyproxy.io/securitypolicies', 'policy/poddisruptionbudgets',
    ]));
    for (const forbidden of ['core/secrets', 'core/pods/log', 'core/pods/exec', 'core/pods/attach', 'core/pods/portforward']) expect(verbsOn(viewer, forbidden)).toBe('');
    expect(JSON.stringify(viewer.rules)).not.toMatch(/rbac|rolebindings|"\*"/);
    expect(viewer.metadata.annotations['openchoreo.dev/capabilities']).toBe('read');
  });

  test('developer adds logs, exec and deleting pods (restart); no Secrets and no writes to workloads', () => {
    const dev = role('acme-developer');
    expect(rulesOf(dev)).toEqual(expect.arrayContaining([
      'core: pods/attach,pods/exec [create]',
      'core: pods/log [get]',
      'core: pods [get,list,watch,delete]',
    ]));
    expect(verbsOn(dev, 'core/secrets')).toBe('');
    expect(verbsOn(dev, 'core/pods/portforward')).toBe('');
    for (const verb of ['create', 'update', 'patch']) {
      expect(allResources(dev, verb).filter((r: string) => !r.startsWith('core/pods/'))).toEqual([]);
    }
    expect(dev.metadata.annotations['openchoreo.dev/capabilities']).toBe('read,logs,deploy,restart,exec');
  });

  test('developer in production (no grant naming it): read and logs only', () => {
    const ro = role('acme-developer-read-only');
    expect(rulesOf(ro).filter((r: string) => !r.endsWith('[get,list,watch]'))).toEqual(['core: pods/log [get]']);
    expect(ro.metadata.annotations['openchoreo.dev/capabilities']).toBe('read,logs');
  });

  test('admin also reads Secrets, port-forwards and edits outside Git, but never touches RBAC', () => {
    const admin = role('acme-admin');
    expect(verbsOn(admin, 'core/secrets')).toBe('get,list,watch');
    expect(verbsOn(admin, 'core/pods/portforward')).toBe('create');
    expect(verbsOn(admin, 'apps/deployments')).toBe('get,list,watch,create,update,patch,delete,deletecollection');
    expect(verbsOn(admin, 'apps/deployments/scale')).toBe('get,update,patch');
    expect(verbsOn(admin, 'core/pods')).toBe('get,list,watch,delete');
    expect(verbsOn(admin, 'core/events')).toBe('get,list,watch');
    expect(JSON.stringify(admin.rules)).not.toMatch(/rbac|rolebindings|"\*"/);
  });

  test('the ClusterRoles live in the data plane\'s platform folder, the RoleBindings in each cell\'s access.yaml', () => {
    const files = Object.keys(withApp(app => {
      const b = baseline(app);
      service(b.project, 'api');
      new AccessGrant(b.org, 'devs', { groups: ['devs'], role: AccessRole.DEVELOPER });
      return app.synthFiles();
    }));
    expect(files).toEqual(expect.arrayContaining(['acme/eu/platform/rbac.yaml', 'acme/eu/production/shop/access.yaml', 'acme/eu/development/access.md']));
    expect(files.filter(f => f.endsWith('/access.yaml'))).toHaveLength(3);
  });
});

describe('grants in the cells', () => {
  test('RoleBindings bind each role to its groups, prefixed as the data plane\'s API server sees them', () => {
    const { org } = shop(b => {
      new AccessGrant(b.org, 'devs', { groups: ['shop-devs', 'contractors'], role: AccessRole.DEVELOPER, project: b.project });
    }, { prefix: 'oidc:' });
    const objects = synth(org);
    const binding = one(objects, 'RoleBinding', (o: any) => o.metadata.name === 'acme-developer' && o.metadata.namespace === cell('shop', 'staging'));
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'acme-developer' });
    expect(binding.subjects).toEqual([
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'oidc:contractors' },
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'oidc:shop-devs' },
    ]);
    expect(binding.metadata.labels).toMatchObject({ 'openchoreo.dev/project': 'shop', 'openchoreo.dev/environment': 'staging', 'openchoreo.dev/access-role': 'developer' });
    // Argo CD sees the identity provider's names.
    expect(one(objects, 'AppProject', 'acme-shop').spec.roles.find((r: any) => r.name === 'developer_staging').groups).toEqual(['contractors', 'shop-devs']);
    // The same people, the same access, whatever the prefix.
    const report = synthesizeOrganization(org).access.find(e => e.environment === 'staging')!;
    expect(matrix(report.entries)).toEqual({
      'contractors': { shop: ['read', 'logs', 'deploy', 'restart', 'exec'] },
      'shop-devs': { shop: ['read', 'logs', 'deploy', 'restart', 'exec'] },
    });
  });

  test('production is read-only for developers unless a grant names the production environment', () => {
    const { org } = shop(b => {
      new AccessGrant(b.org, 'devs', { groups: ['devs'], role: AccessRole.DEVELOPER, project: b.project });
      new AccessGrant(b.org, 'oncall', { groups: ['oncall'], role: AccessRole.DEVELOPER, project: b.project, environment: b.prod });
      new AccessGrant(b.org, 'prod-devs', { groups: ['prod-devs'], role: AccessRole.DEVELOPER, environment: b.prod });
    });
    const objects = synth(org);
    const prod = objects.filter(o => o.kind === 'RoleBinding' && o.metadata.namespace === cell('shop', 'production') && o.metadata.name.startsWith('acme-developer'));
    expect(prod.map(o => [o.metadata.name, o.subjects.map((s: any) => s.name)])).toEqual([
      ['acme-developer', ['oncall', 'prod-devs']],
      ['acme-developer-read-only', ['devs']],
    ]);
    expect(matrix(synthesizeOrganization(org).access.find(e => e.environment === 'production')!.entries)).toEqual({
      'devs': { shop: ['read', 'logs'] },
      'oncall': { shop: ['read', 'logs', 'deploy', 'restart', 'exec'] },
      'prod-devs': { shop: ['read', 'logs', 'deploy', 'restart', 'exec'] },
    });
    // Outside production the environment-scoped grants give nothing.
    expect(accessBindings(objects, 'development').map(o => o.subjects.map((s: any) => s.name))).toEqual([['devs']]);
  });

  test('a group that holds the full role in production does not also get its read-only variant', () => {
    const objects = synth(shop(b => {
      new AccessGrant(b.org, 'devs', { groups: ['devs'], role: AccessRole.DEVELOPER });
      new AccessGrant(b.org, 'devs-prod', { groups: ['devs'], role: AccessRole.DEVELOPER, environment: b.prod });
    }).org);
    expect(accessBindings(objects, 'production').map(o => o.metadata.name)).toEqual(['acme-developer']);
    expect(objects.filter(o => o.kind === 'ClusterRole').map(o => o.metadata.name)).not.toContain('acme-developer-read-only');
  });

  test('custom roles: exactly their capabilities, restricted in production by default', () => {
    const { org } = shop(b => {
      const sre = new CustomRole(b.org, 'sre', { capabilities: [AccessCapability.EXEC, AccessCapability.READ, AccessCapability.LOGS, AccessCapability.EXEC] });
      new CustomRole(b.org, 'auditor', { capabilities: [AccessCapability.READ_SECRETS], restrictedInProduction: false });
      const deployer = new CustomRole(b.org, 'deployer', { capabilities: [AccessCapability.DEPLOY] });
      new AccessGrant(b.org, 'sre-grant', { groups: ['sre'], role: sre });
      new AccessGrant(b.org, 'auditors', { groups: ['auditors'], role: AccessRole.fromName('auditor') });
      new AccessGrant(b.org, 'deployers', { groups: ['deployers'], role: deployer });
    });
    const objects = synth(org);
    expect(rulesOf(one(objects, 'ClusterRole', 'acme-sre')).filter((r: string) => !r.endsWith('[get,list,watch]'))).toEqual([
      'core: pods/attach,pods/exec [create]', 'core: pods/log [get]',
    ]);
    expect(rulesOf(one(objects, 'ClusterRole', 'acme-auditor'))).toEqual(['core: secrets [get,list,watch]']);
    // DEPLOY has no Kubernetes permission: no ClusterRole, no RoleBinding, but Argo CD and Flux roles.
    expect(objects.filter(o => o.metadata.name === 'acme-deployer')).toEqual([]);
    const staging = matrix(synthesizeOrganization(org).access.find(e => e.environment === 'staging')!.entries);
    const prod = matrix(synthesizeOrganization(org).access.find(e => e.environment === 'production')!.entries);
    expect(staging).toEqual({ auditors: { shop: ['read-secrets'] }, deployers: { shop: ['deploy'] }, sre: { shop: ['read', 'logs', 'exec'] } });
    // In production: the SRE role keeps read and logs; the deployer keeps nothing; the auditor is not restricted.
    expect(prod).toEqual({ auditors: { shop: ['read-secrets'] }, sre: { shop: ['read', 'logs'] } });
  });
});

// ---------------------------------------------------------------------------------------------
// Argo CD and Flux
// ---------------------------------------------------------------------------------------------

describe('Argo CD project roles', () => {
  const b = shop(x => {
    new AccessGrant(x.org, 'devs', { groups: ['devs'], role: AccessRole.DEVELOPER, project: x.project });
    new AccessGrant(x.org, 'staging-viewers', { groups: ['qa'], role: AccessRole.VIEWER, environment: x.staging });
  });
  const objects = synth(b.org);
  const project = one(objects, 'AppProject', 'acme-shop');
  const roles = Object.fromEntries(project.spec.roles.map((r: any) => [r.name, r]));
  const app = (env: string) => `acme-shop/${deliveryName('shop', env)}`;

  test('one role per role and environment; its policies name only that environment\'s Application', () => {
    expect(Object.keys(roles)).toEqual(['developer-read-only_production', 'developer_development', 'developer_staging', 'viewer_staging']);
    for (const [name, role] of Object.entries<any>(roles)) {
      const env = name.split('_')[1];
      for (const p of role.policies) expect(p).toMatch(new RegExp(`^p, proj:acme-shop:${name}, [a-z]+, [^,]+, ${app(env)}, allow$`));
    }
    expect(roles.viewer_staging).toEqual({
      name: 'viewer_staging',
      description: expect.stringContaining('(environment staging)'),
      groups: ['qa'],
      policies: [`p, proj:acme-shop:viewer_staging, applications, get, ${app('staging')}, allow`],
    });
  });

  test('developers sync, restart and exec outside production; in production they get and read logs, no sync', () => {
    const actions = (name: string) => roles[name].policies.map((p: string) => p.split(', ').slice(2, 4).join(' '));
    expect(actions('developer_staging')).toEqual([
      'applications get', 'logs get', 'applications sync', 'applications action/apps/*/restart', 'applications delete//Pod/*/*', 'exec create',
    ]);
    expect(actions('developer-read-only_production')).toEqual(['applications get', 'logs get']);
    const evaluator = new AccessEvaluator(objects);
    expect(evaluator.argoCdAllows(['devs'], { resource: 'applications', action: 'sync', object: app('staging') })).toBe(true);
    expect(evaluator.argoCdAllows(['devs'], { resource: 'applications', action: 'sync', object: app('production') })).toBe(false);
    expect(evaluator.argoCdAllows(['qa'], { resource: 'applications', action: 'get', object: app('development') })).toBe(false);
  });

  test('only with Argo CD delivery', () => {
    const flux = synth(shop(x => {
      new AccessGrant(x.org, 'devs', { groups: ['devs'], role: AccessRole.DEVELOPER });
    }, { tools: [GitOpsTool.FLUX] }).org);
    expect(flux.filter(o => o.kind === 'AppProject')).toEqual([]);
  });
});

describe('Flux', () => {
  const b = shop(x => {
    new AccessGrant(x.org, 'devs', { groups: ['devs'], role: AccessRole.DEVELOPER });
    new AccessGrant(x.org, 'viewers', { groups: ['viewers'], role: AccessRole.VIEWER });
  });
  const objects = synth(b.org);
  const evaluator = new AccessEvaluator(objects);
  const reconciler = serviceAccount('flux-system', 'acme-shop-reconciler');

  test('the tenant may bind exactly the ClusterRoles its cells\' RoleBindings name, in its cells only', () => {
    expect(one(objects, 'ClusterRole', 'acme-shop-reconciler-objects').rules).toContainEqual({
      apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], resourceNames: ['acme-developer', 'acme-developer-read-only', 'acme-viewer'], verbs: ['bind'],
    });
    const bindings = objects.filter(o => o.kind === 'RoleBinding' && o.metadata.name.startsWith('acme-') && o.metadata.namespace.startsWith('dp-'))
      .filter(o => o.roleRef.name !== 'acme-shop-reconciler-objects');
    expect(bindings).toHaveLength(6);
    for (const binding of bindings) expect(evaluator.mayCreateRoleBinding(reconciler, binding)).toBe(true);
    // …but not elsewhere, and not to a role it was not given.
    const elsewhere = { ...bindings[0], metadata: { ...bindings[0].metadata, namespace: 'kube-system' } };
    expect(evaluator.mayCreateRoleBinding(reconciler, elsewhere)).toBe(false);
    const admin = { ...bindings[0], roleRef: { ...bindings[0].roleRef, name: 'acme-admin' } };
    expect(evaluator.mayCreateRoleBinding(reconciler, admin)).toBe(false);
    const clusterAdmin = { ...bindings[0], roleRef: { ...bindings[0].roleRef, name: 'cluster-admin' } };
    expect(evaluator.mayCreateRoleBinding(reconciler, clusterAdmin)).toBe(false);
  });

  test('the tenant changes only the RoleBindings it applies, never the one that grants it its own access', () => {
    const may = (verb: string, name: string, env = 'staging') => evaluator.kubernetesAllows(reconciler, {
      verb, apiGroup: 'rbac.authorization.k8s.io', resource: 'rolebindings', namespace: cell('shop', env), name,
    });
    for (const verb of ['update', 'patch', 'delete']) {
      expect(may(verb, 'acme-developer')).toBe(true);
      expect(may(verb, 'acme-shop-reconciler')).toBe(false);
    }
    expect(may('get', 'acme-shop-reconciler')).toBe(true);
    expect(one(objects, 'ClusterRole', 'acme-shop-reconciler-objects').rules).toContainEqual({
      apiGroups: ['rbac.authorization.k8s.io'],
      resources: ['rolebindings'],
      resourceNames: ['acme-developer', 'acme-developer-read-only', 'acme-viewer'],
      verbs: ['update', 'patch', 'delete'],
    });
  });

  test('without the bind rule Kubernetes would refuse the RoleBindings (escalation prevention)', () => {
    const tampered = objects.map(o => (o.kind === 'ClusterRole' && o.metadata.name === 'acme-shop-reconciler-objects'
      ? { ...o, rules: o.rules.filter((r: any) => !r.verbs.includes('bind')) } : o));
    const binding = one(objects, 'RoleBinding', (o: any) => o.metadata.name === 'acme-developer' && o.metadata.namespace === cell('shop', 'staging'));
    expect(new AccessEvaluator(tampered).mayCreateRoleBinding(reconciler, binding)).toBe(false);
  });

  test('people: viewers get, list and watch their Kustomizations; developers may also patch (reconcile, suspend) outside production', () => {
    const ks = (env: string) => deliveryName('shop', env);
    const may = (group: string, verb: string, env: string) => evaluator.kubernetesAllows(groupMember(group), {
      verb, apiGroup: 'kustomize.toolkit.fluxcd.io', resource: 'kustomizations', namespace: 'flux-system', name: ks(env),
    });
    for (const env of ['development', 'staging', 'production']) {
      expect(may('viewers', 'get', env)).toBe(true);
      expect(may('viewers', 'watch', env)).toBe(true);
      expect(may('viewers', 'patch', env)).toBe(false);
      expect(may('devs', 'get', env)).toBe(true);
      expect(may('devs', 'patch', env)).toBe(env !== 'production');
      expect(may('devs', 'delete', env)).toBe(false);
    }
    // Nobody may touch the Kustomization of another project or the GitRepository.
    expect(evaluator.kubernetesAllows(groupMember('devs'), {
      verb: 'patch', apiGroup: 'kustomize.toolkit.fluxcd.io', resource: 'kustomizations', namespace: 'flux-system', name: 'acme-platform',
    })).toBe(false);
    const role = one(objects, 'Role', `${ks('staging')}-reconcile`);
    expect(role.rules).toEqual([{ apiGroups: ['kustomize.toolkit.fluxcd.io'], resources: ['kustomizations'], resourceNames: [ks('staging')], verbs: ['patch'] }]);
    expect(objects.filter(o => o.kind === 'Role' && o.metadata.name === `${ks('production')}-reconcile`)).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// The example platform: the access matrix computed from the emitted objects
// ---------------------------------------------------------------------------------------------

describe('example platform with grants', () => {
  const app = testApp();
  const acme = example(app);
  const objects = synth(acme);
  const rendered = synthesizeOrganization(acme);
  const prod = rendered.access.find(e => e.environment === 'production')!;

  test('the production access matrix, computed from the emitted objects, is exactly the declared one', () => {
    const all = ['read', 'logs', 'deploy', 'restart', 'exec', 'port-forward', 'read-secrets', 'edit'];
    expect(matrix(prod.entries)).toEqual({
      'engineering': { payments: ['read'], storefront: ['read'] },
      'payments-developers': { payments: ['read', 'logs'] },
      'payments-oncall': { payments: ['read', 'logs', 'deploy', 'restart', 'exec'] },
      'platform-admins': { payments: all, storefront: all },
      'release-managers': { payments: ['read', 'deploy'], storefront: ['read', 'deploy'] },
      'storefront-developers': { storefront: ['read', 'logs'] },
    });
    // every capability agrees across Kubernetes, Argo CD and Flux
    for (const e of prod.entries) for (const v of e.verdicts) expect(consistent(v)).toBe(true);
  });

  test('the matrix outside production follows the same grants', () => {
    const staging = rendered.access.find(e => e.environment === 'staging')!;
    expect(matrix(staging.entries)).toMatchObject({
      'engineering': { payments: ['read'], storefront: ['read'] },
      'payments-developers': { payments: ['read', 'logs', 'deploy', 'restart', 'exec'] },
      'storefront-developers': { storefront: ['read', 'logs', 'deploy', 'restart', 'exec'] },
    });
    expect(Object.keys(matrix(staging.entries)).sort()).toEqual(['engineering', 'payments-developers', 'platform-admins', 'storefront-developers']);
  });

  test('removing a subject from an emitted binding removes exactly that access (and the report flags the disagreement)', () => {
    const tampered = rendered.objects.map(o => ({ ...o, manifest: structuredClone(o.manifest) }));
    const binding = tampered.find(o => o.manifest.kind === 'RoleBinding' && o.manifest.metadata.name === 'acme-developer'
      && o.manifest.metadata.namespace === cell('payments', 'production'))!;
    binding.manifest.subjects = binding.manifest.subjects.filter((s: any) => s.name !== 'payments-oncall');
    const after = accessOf(rendered.plan, tampered).find(e => e.environment === 'production')!;
    const changed = (m: Record<string, Record<string, string[]>>) => JSON.stringify(m);
    const before = matrix(prod.entries);
    const now = matrix(after.entries);
    expect(now['payments-oncall'].payments).toEqual(['read (inconsistent)', 'logs (inconsistent)', 'deploy', 'restart (inconsistent)', 'exec (inconsistent)']);
    // everything else is unchanged
    delete before['payments-oncall'];
    delete now['payments-oncall'];
    expect(changed(now)).toBe(changed(before));
    // and the Kubernetes layer alone no longer lets the group do anything in the cell
    const verdicts = after.entries.find(e => e.group === 'payments-oncall')!.verdicts;
    expect(verdicts.filter(v => v.kubernetes === true)).toEqual([]);
  });

  test('removing a group from an Argo CD project role removes exactly its Argo CD access', () => {
    const tampered = rendered.objects.map(o => ({ ...o, manifest: structuredClone(o.manifest) }));
    const project = tampered.find(o => o.manifest.kind === 'AppProject' && o.manifest.metadata.name === 'acme-storefront')!;
    const role = project.manifest.spec.roles.find((r: any) => r.name === 'release-manager_production');
    role.groups = [];
    const after = accessOf(rendered.plan, tampered).find(e => e.environment === 'production')!;
    expect(matrix(after.entries)['release-managers']).toEqual({ payments: ['read', 'deploy'], storefront: ['read (inconsistent)', 'deploy (inconsistent)'] });
    expect(after.entries.find(e => e.group === 'release-managers' && e.target === 'storefront')!.verdicts)
      .toEqual([{ capability: 'read', kubernetes: true, argoCd: false, flux: true }, { capability: 'deploy', argoCd: false, flux: true }]);
  });

  test('access.md next to connectivity.md: an index of projects, the checks, and a page per project with its groups and service accounts', () => {
    const files = app.synthFiles();
    for (const env of ['development', 'staging', 'production']) {
      expect(files[`acme/eu-west/${env}/access.md`]).toBeDefined();
      for (const project of ['payments', 'storefront']) expect(files[`acme/eu-west/${env}/${project}/access.md`]).toBeDefined();
    }
    const md = files['acme/eu-west/production/access.md'];
    expect(md).toContain('# Access: production (data plane eu-west)');
    // one row per project: groups with access, groups that can deploy, groups that can exec
    expect(md).toContain('| payments | 5 | 3 | 2 | — | [payments/access.md](payments/access.md) |');
    expect(md).toContain('| storefront | 4 | 2 | 1 | — | [storefront/access.md](storefront/access.md) |');
    expect(md).toContain('| deploy | — | applications sync | patch |');
    expect(md).toContain('| flux-system/acme-payments-reconciler | every namespace (ClusterRoleBinding) | ClusterRole acme-payments-reconciler-namespaces |');
    expect(md).not.toContain('payments-developers'); // groups are on the project pages, never in a groups × projects table
    // The project pages, read back as the group × project matrix, say exactly what the grants declare.
    const pages: Record<string, Record<string, string[]>> = {};
    for (const project of ['payments', 'storefront']) {
      const page = files[`acme/eu-west/production/${project}/access.md`];
      expect(page).toContain(`# Access: project ${project} in production (data plane eu-west)`);
      for (const [, group, capabilities] of page.matchAll(/^\| ([a-z][a-z-]*) \| ([a-z, ⚠+A-Za-z-]+) \|$/gm)) {
        if (group === 'group') continue;
        pages[group] = { ...pages[group], [project]: capabilities.split(', ') };
      }
    }
    const all = ['read', 'logs', 'deploy', 'restart', 'exec', 'port-forward', 'read-secrets', 'edit'];
    expect(pages).toEqual({
      'engineering': { payments: ['read'], storefront: ['read'] },
      'payments-developers': { payments: ['read', 'logs'] },
      'payments-oncall': { payments: ['read', 'logs', 'deploy', 'restart', 'exec'] },
      'platform-admins': { payments: all, storefront: all },
      'release-managers': { payments: ['read', 'deploy'], storefront: ['read', 'deploy'] },
      'storefront-developers': { storefront: ['read', 'logs'] },
    });
    expect(files['acme/eu-west/production/payments/access.md'])
      .toContain('| flux-system/acme-payments-reconciler | cell of payments | ClusterRole acme-payments-reconciler-objects |');
    expect(files['acme/eu-west/production/payments/access.md']).not.toContain('acme-storefront-reconciler');
    for (const f of Object.keys(files).filter(k => k.endsWith('access.md'))) expect(files[f]).not.toMatch(/⚠ .* only/);
  });

  test('a disagreement between layers shows on the project page and is counted in the index', () => {
    const tampered = rendered.objects.map(o => ({ ...o, manifest: structuredClone(o.manifest) }));
    const project = tampered.find(o => o.manifest.kind === 'AppProject' && o.manifest.metadata.name === 'acme-storefront')!;
    project.manifest.spec.roles.find((r: any) => r.name === 'release-manager_production').groups = [];
    const docs = renderAccessReports(accessOf(rendered.plan, tampered).filter(e => e.environment === 'production'));
    const text = (file: string) => docs.find(d => d.file === file)!.content;
    expect(text('eu-west/production/storefront/access.md')).toContain('| release-managers | read ⚠ Kubernetes + Flux only, deploy ⚠ Flux only |');
    expect(text('eu-west/production/access.md')).toContain('| storefront | 4 | 1 | 1 | ⚠ 1 group | [storefront/access.md](storefront/access.md) |');
    expect(text('eu-west/production/access.md')).toContain('| payments | 5 | 3 | 2 | — |');
  });

  test('objects the grants add, by kind', () => {
    // ClusterRoles: admin, developer, developer-read-only, release-manager, viewer.
    const roles = objects.filter(o => o.kind === 'ClusterRole' && o.metadata.labels['openchoreo.dev/access-role']).map(o => o.metadata.name);
    expect(roles).toEqual(['acme-admin', 'acme-developer', 'acme-developer-read-only', 'acme-release-manager', 'acme-viewer']);
    // RoleBindings: 21 in the cells (admin and viewer in 6 cells, developer in 4 non-production cells and
    // payments' production cell, developer-read-only in the 2 production cells, release-manager in the 2 production cells)
    // and 12 on Kustomizations (a view and a reconcile binding per cell); Roles: those 12.
    const inCells = objects.filter(o => o.kind === 'RoleBinding' && roles.includes(o.roleRef.name));
    expect(inCells).toHaveLength(21);
    expect(inCells.every(o => o.metadata.namespace.startsWith('dp-acme-'))).toBe(true);
    const onFlux = objects.filter(o => o.kind === 'RoleBinding' && o.roleRef.kind === 'Role' && o.metadata.namespace === 'flux-system');
    expect(onFlux).toHaveLength(12);
    expect(objects.filter(o => o.kind === 'Role' && o.metadata.namespace === 'flux-system')).toHaveLength(12);
    // AppProjects keep their number but gain roles
    expect(one(objects, 'AppProject', 'acme-payments').spec.roles.map((r: any) => r.name)).toEqual([
      'admin_development', 'admin_production', 'admin_staging',
      'developer-read-only_production', 'developer_development', 'developer_production', 'developer_staging',
      'release-manager_production', 'viewer_development', 'viewer_production', 'viewer_staging',
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// Component service accounts
// ---------------------------------------------------------------------------------------------

describe('component service accounts', () => {
  const { org } = shop(b => {
    new AccessGrant(b.org, 'admins', { groups: ['admins'], role: AccessRole.ADMIN });
  });
  const objects = synth(org);

  test('one ServiceAccount per component and environment, used by its pods, token automount off unless kubernetesApiAccess', () => {
    for (const env of ['development', 'staging', 'production']) {
      const accounts = objects.filter(o => o.kind === 'ServiceAccount' && o.metadata.namespace === cell('shop', env));
      expect(accounts.map(a => [a.metadata.name, a.automountServiceAccountToken])).toEqual([['api', false], ['mailer', true]]);
      for (const d of objects.filter(o => o.kind === 'Deployment' && o.metadata.namespace === cell('shop', env))) {
        const pod = d.spec.template.spec;
        const component = d.metadata.labels['openchoreo.dev/component'];
        expect(pod.serviceAccountName).toBe(component);
        expect(pod.automountServiceAccountToken).toBe(component === 'mailer');
      }
    }
  });

  test('no binding names a component\'s service account: a mounted token grants nothing', () => {
    const evaluator = new AccessEvaluator(objects);
    expect(evaluator.kubernetesSubjects().serviceAccounts).toEqual(['flux-system/acme-shop-reconciler']);
    for (const env of ['development', 'staging', 'production']) {
      const namespace = cell('shop', env);
      const mailer = serviceAccount(namespace, 'mailer');
      for (const [verb, resource] of [['get', 'pods'], ['list', 'secrets'], ['get', 'configmaps'], ['create', 'pods/exec']]) {
        expect(evaluator.kubernetesAllows(mailer, { verb, apiGroup: '', resource, namespace })).toBe(false);
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Output contract
// ---------------------------------------------------------------------------------------------

describe('output', () => {
  test('without grants nothing changes: no access objects, roles or reports', () => {
    const app = testApp();
    const b = baseline(app);
    service(b.project, 'api');
    new GitOpsDelivery(b.org, 'delivery', { repoUrl: 'https://git.example/ops.git', tools: [GitOpsTool.ARGO_CD, GitOpsTool.FLUX] });
    const objects = b.org.toJson();
    expect(objects.filter(o => o.metadata?.labels?.['openchoreo.dev/access-role'] || o.kind === 'Role')).toEqual([]);
    expect(objects.filter(o => o.kind === 'AppProject' && o.spec.roles)).toEqual([]);
    expect(Object.keys(app.synthFiles()).filter(f => f.includes('access'))).toEqual([]);
    expect(synthesizeOrganization(b.org).access).toEqual([]);
  });

  test('declaration order does not matter', () => {
    const declare = (reverse: boolean) => {
      const app = new PlatformApp({ outdir: testApp().outdir });
      const acme = buildPlatform(app);
      const payments = acme.projects.find(p => p.name === 'payments')!;
      const prod = acme.environments.find(e => e.name === 'production')!;
      const steps: Array<() => void> = [
        () => new AccessGrant(acme, 'a', { groups: ['zeta', 'alpha'], role: AccessRole.DEVELOPER, project: payments }),
        () => new AccessGrant(acme, 'b', { groups: ['ops'], role: AccessRole.fromName('ops') }),
        () => new CustomRole(acme, 'ops', { capabilities: [AccessCapability.LOGS, AccessCapability.READ, AccessCapability.RESTART] }),
        () => new AccessGrant(acme, 'c', { groups: ['beta'], role: AccessRole.VIEWER, environment: prod }),
        () => new AccessGrant(acme, 'd', { groups: ['alpha'], role: AccessRole.ADMIN, project: payments, environment: prod }),
      ];
      for (const step of reverse ? [...steps].reverse() : steps) step();
      return app.synthFiles();
    };
    const forward = declare(false);
    expect(declare(true)).toEqual(forward);
    expect(Object.keys(forward)).toContain('acme/eu-west/platform/rbac.yaml');
  });

  test('every object validates against its schema in a platform using every feature', () => {
    const { org } = shop(b => {
      const all = new CustomRole(b.org, 'everything', { capabilities: Object.values(AccessCapability) });
      new AccessGrant(b.org, 'all', { groups: ['everyone'], role: all });
      new AccessGrant(b.org, 'odd', { groups: ['Payments Team (EU)', 'https://idp.example/groups/42', 'team:ops'], role: AccessRole.DEVELOPER, project: b.project });
    }, { prefix: 'oidc:' });
    const objects = synth(org);
    expect(objects.filter(o => o.kind === 'RoleBinding').length).toBeGreaterThan(6);
    // and the evaluator accepts every AppProject as Argo CD would
    expect(() => new AccessEvaluator(objects)).not.toThrow();
  });
});

// ---------------------------------------------------------------------------------------------
// The evaluator on its own
// ---------------------------------------------------------------------------------------------

describe('access evaluator', () => {
  const clusterRole = (name: string, rules: any[], labels?: Record<string, string>) => ({
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name, ...(labels ? { labels } : {}) }, rules,
  });
  const roleBinding = (namespace: string, role: string, groups: string[], kind = 'ClusterRole') => ({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: `${role}-b`, namespace },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind, name: role },
    subjects: groups.map(name => ({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name })),
  });

  test('Kubernetes: wildcards, subresources, resource names and namespaces', () => {
    const e = new AccessEvaluator([
      clusterRole('star', [{ apiGroups: ['*'], resources: ['*'], verbs: ['get'] }]),
      clusterRole('logs', [{ apiGroups: [''], resources: ['*/log'], verbs: ['get'] }]),
      clusterRole('one', [{ apiGroups: ['apps'], resources: ['deployments'], resourceNames: ['web'], verbs: ['patch'] }]),
      roleBinding('a', 'star', ['g']),
      roleBinding('a', 'logs', ['l']),
      roleBinding('a', 'one', ['o']),
      roleBinding('a', 'missing', ['m']),
    ]);
    const may = (g: string, verb: string, apiGroup: string, resource: string, namespace = 'a', name?: string) =>
      e.kubernetesAllows(groupMember(g), { verb, apiGroup, resource, namespace, name });
    expect(may('g', 'get', 'apps', 'deployments')).toBe(true);
    expect(may('g', 'get', '', 'pods/log')).toBe(true);
    expect(may('g', 'get', 'apps', 'deployments', 'b')).toBe(false);
    expect(may('g', 'list', 'apps', 'deployments')).toBe(false);
    expect(may('l', 'get', '', 'pods/log')).toBe(true);
    expect(may('l', 'get', '', 'pods')).toBe(false);
    expect(may('o', 'patch', 'apps', 'deployments', 'a', 'web')).toBe(true);
    expect(may('o', 'patch', 'apps', 'deployments', 'a', 'api')).toBe(false);
    expect(may('o', 'patch', 'apps', 'deployments')).toBe(false);
    expect(may('m', 'get', '', 'pods')).toBe(false);
  });

  test('Kubernetes: aggregated ClusterRoles and ClusterRoleBindings', () => {
    const e = new AccessEvaluator([
      clusterRole('part', [{ apiGroups: [''], resources: ['pods'], verbs: ['list'] }], { agg: 'yes' }),
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'all' }, aggregationRule: { clusterRoleSelectors: [{ matchLabels: { agg: 'yes' } }] } },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: 'x' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'all' },
        subjects: [{ kind: 'ServiceAccount', name: 'bot', namespace: 'ops' }],
      },
    ]);
    expect(e.kubernetesAllows(serviceAccount('ops', 'bot'), { verb: 'list', apiGroup: '', resource: 'pods', namespace: 'anywhere' })).toBe(true);
    expect(e.kubernetesAllows(serviceAccount('dev', 'bot'), { verb: 'list', apiGroup: '', resource: 'pods', namespace: 'anywhere' })).toBe(false);
  });

  test('Argo CD: globs without separators, deny wins, and invalid project roles are refused', () => {
    const project = (policies: string[], name = 'p') => ({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AppProject',
      metadata: { name: 'p', namespace: 'argocd' },
      spec: { roles: [{ name, groups: ['g'], policies }] },
    });
    const e = new AccessEvaluator([project([
      'p, proj:p:r, applications, action/*, p/*, allow',
      'p, proj:p:r, applications, *, p/secret-app, deny',
    ], 'r')]);
    expect(e.argoCdAllows(['g'], { resource: 'applications', action: 'action/apps/Deployment/restart', object: 'p/web' })).toBe(true);
    expect(e.argoCdAllows(['g'], { resource: 'applications', action: 'action/apps/Deployment/restart', object: 'p/secret-app' })).toBe(false);
    expect(e.argoCdAllows(['h'], { resource: 'applications', action: 'action/x', object: 'p/web' })).toBe(false);
    expect(() => new AccessEvaluator([project(['p, proj:other:r, applications, get, p/*, allow'], 'r')])).toThrow(/policy subject/);
    expect(() => new AccessEvaluator([project(['p, proj:p:r, clusters2, get, p/*, allow'], 'r')])).toThrow(/not project-scoped/);
    expect(() => new AccessEvaluator([project(['p, proj:p:r, applications, get, q/*, allow'], 'r')])).toThrow(/outside the project/);
  });

  test('evaluateAccess strips the Kubernetes group prefix and ignores system groups', () => {
    const entries = evaluateAccess([
      clusterRole('read', [{ apiGroups: ['*'], resources: ['*'], verbs: ['get', 'list', 'watch'] }]),
      roleBinding('ns', 'read', ['oidc:team', 'system:masters']),
    ], [{ id: 'shop', namespace: 'ns' }], 'oidc:');
    expect(entries).toEqual([{
      group: 'team',
      target: 'shop',
      verdicts: [
        { capability: 'read', kubernetes: true }, { capability: 'logs', kubernetes: true }, { capability: 'read-secrets', kubernetes: true },
      ],
    }]);
  });
});

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

describe('access errors', () => {
  test.each<[string, (app: PlatformApp) => void, ExpectedProblem]>([
    ['a grant to a project of another organization', app => {
      const acme = baseline(app);
      const globex = new Organization(app, 'globex');
      new AccessGrant(globex, 'g', { groups: ['devs'], role: AccessRole.DEVELOPER, project: acme.project });
    }, { path: 'globex/g', value: "project 'shop' (acme/shop) is not a project of organization 'globex'", fix: /project declared in organization 'globex'/, at: 'construction' }],
    ['a grant to an environment of another organization', app => {
      const { org } = baseline(app);
      const globex = baseline(new PlatformApp({ outdir: testApp().outdir }), { name: 'globex' });
      new AccessGrant(org, 'g', { groups: ['devs'], role: AccessRole.VIEWER, environment: globex.prod });
    }, { path: 'acme/g', value: "environment 'production' (acme/production) is not an environment of organization 'acme'", fix: /environment declared in organization 'acme'/, at: 'construction' }],
    ['a custom role with no capabilities', app => {
      new CustomRole(baseline(app).org, 'empty', { capabilities: [] });
    }, { path: 'acme/empty', value: "custom role 'empty' has no capabilities", fix: /capabilities: \[AccessCapability\.READ/, at: 'construction' }],
    ['a custom role named like a built-in role', app => {
      new CustomRole(baseline(app).org, 'developer', { capabilities: [AccessCapability.READ] });
    }, { path: 'acme/developer', value: "custom role name 'developer' is the name of a built-in role", fix: /AccessRole\.DEVELOPER.*'team-developer'/, at: 'construction' }],
    ['a custom role named like a production variant', app => {
      new CustomRole(baseline(app).org, 'ops', { name: 'ops-read-only', capabilities: [AccessCapability.READ] });
    }, { path: 'acme/ops', value: "'ops-read-only' ends in '-read-only'", fix: /'ops-reader'/, at: 'construction' }],
    ['a custom role with an invalid name', app => {
      new CustomRole(baseline(app).org, 'ops', { name: 'Ops Team', capabilities: [AccessCapability.READ] });
    }, { path: 'acme/ops', value: "role name 'Ops Team' is not a valid DNS-1123 label", fix: /'ops-team'/, at: 'construction' }],
    ['a custom role with an unknown capability', app => {
      new CustomRole(baseline(app).org, 'ops', { capabilities: ['sudo' as AccessCapability] });
    }, { path: 'acme/ops', value: "capability 'sudo', which is unknown", fix: /read, logs, deploy, restart, exec, port-forward, read-secrets, edit/, at: 'construction' }],
    ['two custom roles with one name', app => {
      const { org } = baseline(app);
      new CustomRole(org, 'ops', { capabilities: [AccessCapability.READ] });
      new CustomRole(org, 'ops2', { name: 'ops', capabilities: [AccessCapability.LOGS] });
    }, { path: 'acme/ops2', value: "CustomRole name 'ops' is already used by acme/ops", fix: /different name/, at: 'construction' }],
    ['an empty group name', app => {
      new AccessGrant(baseline(app).org, 'g', { groups: [''], role: AccessRole.VIEWER });
    }, { path: 'acme/g', value: "group '' is empty", fix: /groups claim/, at: 'construction' }],
    ['a group name with a comma', app => {
      new AccessGrant(baseline(app).org, 'g', { groups: ['devs,ops'], role: AccessRole.VIEWER });
    }, { path: 'acme/g', value: "group 'devs,ops' contains a comma", fix: /groups claim/, at: 'construction' }],
    ['a Kubernetes system group', app => {
      new AccessGrant(baseline(app).org, 'g', { groups: ['system:authenticated'], role: AccessRole.VIEWER });
    }, { path: 'acme/g', value: "group 'system:authenticated' starts with 'system:'", fix: /groups claim/, at: 'construction' }],
    ['a group name with surrounding whitespace', app => {
      new AccessGrant(baseline(app).org, 'g', { groups: [' devs'], role: AccessRole.VIEWER });
    }, { path: 'acme/g', value: "group ' devs' has leading or trailing whitespace", fix: /groups claim/, at: 'construction' }],
    ['no groups', app => {
      new AccessGrant(baseline(app).org, 'g', { groups: [], role: AccessRole.VIEWER });
    }, { path: 'acme/g', value: 'groups is empty', fix: /payments-developers/, at: 'construction' }],
    ['a group listed twice', app => {
      new AccessGrant(baseline(app).org, 'g', { groups: ['devs', 'devs'], role: AccessRole.VIEWER });
    }, { path: 'acme/g', value: "group 'devs' is listed twice", fix: /each group once/, at: 'construction' }],
    ['duplicate grants', app => {
      const { org, project } = baseline(app);
      service(project, 'api');
      new AccessGrant(org, 'a', { groups: ['devs'], role: AccessRole.DEVELOPER, project });
      new AccessGrant(org, 'b', { groups: ['ops', 'devs'], role: AccessRole.DEVELOPER, project });
    }, { path: 'acme/b', value: "grants role 'developer' to group 'devs' in project 'shop' again (already granted by acme/a)", fix: /remove one of the two grants/, at: 'synth' }],
    ['a grant of a role that does not exist', app => {
      const { org, project } = baseline(app);
      service(project, 'api');
      new AccessGrant(org, 'g', { groups: ['sre'], role: AccessRole.fromName('sre') });
    }, { path: 'acme/g', value: "grants role 'sre', which does not exist in organization 'acme'", fix: /new CustomRole\(organization, 'sre'.*admin, developer, viewer/, at: 'synth' }],
    ['a custom role of another organization', app => {
      const { org } = baseline(app);
      const globex = new Organization(app, 'globex');
      const sre = new CustomRole(globex, 'sre', { capabilities: [AccessCapability.READ] });
      new AccessGrant(org, 'g', { groups: ['sre'], role: sre });
    }, { path: 'acme/g', value: "role 'sre' (globex/sre) is a custom role of organization 'globex', not of 'acme'", fix: /CustomRole in organization 'acme'/, at: 'construction' }],
    ['a project in an environment it is not deployed to', app => {
      const { org, dev, staging, dataPlane } = baseline(app);
      const qa = new Environment(org, 'qa', { dataPlane });
      const short = new DeploymentPipeline(org, 'short', { promotionPaths: [{ source: dev, targets: [staging] }] });
      const tools = new Project(org, 'tools', { pipeline: short });
      service(tools, 'api');
      new AccessGrant(org, 'g', { groups: ['devs'], role: AccessRole.DEVELOPER, project: tools, environment: qa });
    }, { path: 'acme/g', value: "project 'tools' in environment 'qa', which is not on the project's pipeline 'short'", fix: /development, staging/, at: 'synth' }],
    ['a custom role named like a Flux tenant', app => {
      const { org, project } = baseline(app);
      service(project, 'api');
      const r = new CustomRole(org, 'r', { name: 'shop-reconciler', capabilities: [AccessCapability.READ] });
      new AccessGrant(org, 'g', { groups: ['devs'], role: r });
    }, { path: 'acme/r', value: "custom role name 'shop-reconciler'", fix: /'shop-operator'/, at: 'synth' }],
    ['an invalid Kubernetes group prefix', app => {
      const org = new Organization(app, 'acme');
      new DataPlane(org, 'eu', { kubernetesGroupPrefix: 'system:oidc:' });
    }, { path: 'acme/eu', value: "kubernetesGroupPrefix 'system:oidc:'", fix: /--oidc-groups-prefix/, at: 'construction' }],
  ])('%s', (_name, build, expected) => expectProblem(build, expected));

  test('every problem is reported at once', () => {
    const app = testApp();
    const { org, project } = baseline(app);
    service(project, 'api');
    new AccessGrant(org, 'a', { groups: ['x'], role: AccessRole.fromName('nope') });
    new AccessGrant(org, 'b', { groups: ['y'], role: AccessRole.VIEWER });
    new AccessGrant(org, 'c', { groups: ['y'], role: AccessRole.VIEWER });
    let error: PlatformValidationError | undefined;
    try {
      org.toJson();
    } catch (e) {
      error = e as PlatformValidationError;
    }
    expect(error?.problems.map(p => p.path)).toEqual(['acme/a', 'acme/c']);
  });
});
