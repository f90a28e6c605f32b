import { OpenChoreoExport, Project } from '../src';
import { baseline, listFiles, service, withApp } from './support/fixtures';
import { exampleExport } from './support/openchoreo';
import { celStatsOf, validateManifest } from './support/schema-validator';
import { testApp } from './support/synth';
import { OPENCHOREO_EXPORT_KINDS } from '../src/export/openchoreo/types';
import { PlatformValidationError } from '../src/model/errors';

const OC = 'openchoreo.dev/v1alpha1';

describe('OpenChoreo export of the example platform', () => {
  const app = testApp();
  const { org, x, files } = exampleExport(app);
  const objects = Object.values(files);
  const ofKind = (kind: string) => objects.filter(o => o.kind === kind);
  const named = (kind: string, name: string) => objects.find(o => o.kind === kind && o.metadata.name === name);

  test('object counts by kind', () => {
    const counts: Record<string, number> = {};
    for (const o of objects) counts[o.kind] = (counts[o.kind] ?? 0) + 1;
    expect(counts).toEqual({
      Namespace: 1,
      DataPlane: 1,
      WorkflowPlane: 1,
      Environment: 3,
      DeploymentPipeline: 1,
      Project: 2,
      ProjectReleaseBinding: 2 * 3,
      // 8 components (fraud-scorer has no image in any environment yet); recommendations runs in development only
      Component: 8,
      Workload: 8,
      ReleaseBinding: 7 * 3 + 1,
      // one release per distinct workload; web runs 3.1.0 in development and staging, 3.0.9 in production
      ComponentRelease: 8 + 1,
      SecretReference: 4,
      AuthzRole: 2,
      AuthzRoleBinding: 6,
      ClusterComponentType: 5,
      ClusterProjectType: 1,
      // the zero-trust traits + the built-in model traits in use (database-proxy, pod-annotations)
      ClusterTrait: 4 + 2,
      // the model's component types http-api and worker
      ComponentType: 2,
      // payments' orders-db (PostgreSQL) and its ClusterResourceType
      Resource: 1,
      ClusterResourceType: 1,
    });
    expect(objects).toHaveLength(90);
    expect(Object.keys(counts).sort()).toEqual([...OPENCHOREO_EXPORT_KINDS].sort());
  });

  test('every object validates against the pinned v1.2.3 CRDs (strict) and their CEL rules', () => {
    const problems = Object.entries(files).map(([file, o]) => [file, validateManifest(o)] as const).filter(([, e]) => e.length > 0);
    expect(problems).toEqual([]);
    // CEL rules of the exported kinds: evaluated on create, transition rules (oldSelf) skipped as the
    // API server does on create, and the `var` rule checked directly by the validator.
    const kinds = [...new Set(objects.filter(o => o.apiVersion === OC).map(o => o.kind))].sort();
    const stats = kinds.map(k => celStatsOf(`${OC}/${k}`)!);
    const rules = stats.reduce((n, s) => n + s.rules, 0);
    const transition = stats.reduce((n, s) => n + s.transitionRules, 0);
    const direct = stats.reduce((n, s) => n + s.unsupported.length, 0);
    expect({ kinds: kinds.length, rules, evaluated: rules - transition - direct, transition, checkedDirectly: direct }).toEqual({
      kinds: 19, rules: 56, evaluated: 22, transition: 19, checkedDirectly: 15,
    });
  });

  test('the validator does reject bad OpenChoreo objects (schema, CEL, and the rule CEL cannot evaluate)', () => {
    const workload = structuredClone(named('Workload', 'payments-api'));
    workload.spec.container.env[0].valueFrom = { secretKeyRef: { name: 'x', key: 'y' } };
    expect(validateManifest(workload).join('\n')).toContain('value and valueFrom are mutually exclusive');
    const type = structuredClone(named('ClusterComponentType', 'zero-trust-service'));
    type.spec.resources[0].forEach = '${workload.endpoints}';
    expect(validateManifest(type).join('\n')).toContain('spec.resources[0]: var is required when forEach is specified');
    type.spec.resources[0].id = 'main';
    delete type.spec.resources[0].forEach;
    expect(validateManifest(type).join('\n')).toContain('resources must contain a primary resource with id matching workloadType');
    const component = structuredClone(named('Component', 'web'));
    component.spec.componentType.name = 'zero-trust-service';
    expect(validateManifest(component).join('\n')).toContain('spec.componentType.name');
  });

  test('every reference resolves inside the export', () => {
    const types = new Map([...ofKind('ClusterComponentType'), ...ofKind('ComponentType')].map(t => [`${t.kind}:${t.spec.workloadType}/${t.metadata.name}`, t]));
    const traits = new Set(ofKind('ClusterTrait').map(t => t.metadata.name));
    for (const t of ofKind('ComponentType')) {
      expect(t.metadata.namespace).toBe('acme');
      for (const e of t.spec.traits ?? []) expect([t.metadata.name, e.name, traits.has(e.name)]).toEqual([t.metadata.name, e.name, true]);
      for (const a of t.spec.allowedTraits) expect(traits.has(a.name) || ['external-egress', 'metrics', 'disruption-budget', 'horizontal-pod-autoscaler'].includes(a.name)).toBe(true);
    }
    for (const r of ofKind('Resource')) {
      expect(named('Project', r.spec.owner.projectName)).toBeDefined();
      expect(named(r.spec.type.kind, r.spec.type.name)).toBeDefined();
    }
    for (const e of ofKind('Environment')) expect(named('DataPlane', e.spec.dataPlaneRef.name)).toBeDefined();
    // a WorkflowPlane uses the secret store of the data plane its builds run on
    for (const w of ofKind('WorkflowPlane')) expect(ofKind('DataPlane').map(d => d.spec.secretStoreRef.name)).toContain(w.spec.secretStoreRef.name);
    for (const p of ofKind('Project')) {
      expect(named('DeploymentPipeline', p.spec.deploymentPipelineRef.name)).toBeDefined();
      expect(named('ClusterProjectType', p.spec.type.name)).toBeDefined();
    }
    for (const c of ofKind('Component')) {
      const type = types.get(`${c.spec.componentType.kind}:${c.spec.componentType.name}`);
      expect([c.metadata.name, type !== undefined]).toEqual([c.metadata.name, true]);
      for (const t of c.spec.traits ?? []) {
        expect(traits.has(t.name)).toBe(true);
        expect(type.spec.allowedTraits.map((a: any) => a.name)).toContain(t.name);
      }
      if (c.spec.workflow) expect(type.spec.allowedWorkflows.map((a: any) => a.name)).toContain(c.spec.workflow.name);
      expect(named('Project', c.spec.owner.projectName)).toBeDefined();
    }
    const workloads = ofKind('Workload');
    for (const w of [...workloads, ...ofKind('ReleaseBinding'), ...ofKind('ComponentRelease')]) {
      expect(named('Component', w.spec.owner.componentName).spec.owner.projectName).toBe(w.spec.owner.projectName);
    }
    for (const b of ofKind('ReleaseBinding')) {
      expect(named('ComponentRelease', b.spec.releaseName).spec.owner.componentName).toBe(b.spec.owner.componentName);
      expect(named('Environment', b.spec.environment)).toBeDefined();
    }
    for (const w of workloads) {
      for (const e of [...(w.spec.container.env ?? []), ...(w.spec.container.files ?? [])].filter((v: any) => v.valueFrom)) {
        const ref = named('SecretReference', e.valueFrom.secretKeyRef.name);
        expect(ref.spec.data.map((d: any) => d.secretKey)).toContain(e.valueFrom.secretKeyRef.key);
      }
      for (const d of w.spec.dependencies?.resources ?? []) {
        const resource = named('Resource', d.ref);
        expect(resource.spec.owner.projectName).toBe(w.spec.owner.projectName);
        const outputs = named(resource.spec.type.kind, resource.spec.type.name).spec.outputs.map((o: any) => o.name);
        expect(Object.keys(d.envBindings).filter(k => !outputs.includes(k))).toEqual([]);
      }
      for (const d of w.spec.dependencies?.endpoints ?? []) {
        const provider = named('Workload', d.component);
        expect(provider.spec.owner.projectName).toBe(d.project ?? w.spec.owner.projectName);
        const endpoint = provider.spec.endpoints[d.name];
        expect(endpoint).toBeDefined();
        if (d.visibility === 'namespace') expect(endpoint.visibility).toContain('namespace');
      }
    }
    for (const b of ofKind('AuthzRoleBinding')) {
      for (const m of b.spec.roleMappings) if (m.roleRef.kind === 'AuthzRole') expect(named('AuthzRole', m.roleRef.name)).toBeDefined();
    }
  });

  test('fields follow the model: endpoints, dependencies with env bindings, secrets, overrides, traits', () => {
    const api = named('Workload', 'payments-api').spec;
    expect(api.endpoints).toEqual({ http: { type: 'HTTP', port: 8080, basePath: '/api/v1', visibility: ['namespace', 'internal'] } });
    expect(api.dependencies.endpoints).toEqual([{ component: 'ledger', name: 'grpc', visibility: 'project', envBindings: { address: 'LEDGER_ADDRESS' } }]);
    expect(api.container.env).toEqual([
      { key: 'LOG_LEVEL', value: 'info' },
      { key: 'STRIPE_API_KEY', valueFrom: { secretKeyRef: { name: 'payments-api-secrets', key: 'STRIPE_API_KEY' } } },
      { key: 'STRIPE_URL', value: 'https://api.stripe.com:443' },
    ]);
    expect(named('Workload', 'web').spec.dependencies.endpoints).toContainEqual({
      project: 'payments', component: 'payments-api', name: 'http', visibility: 'namespace', envBindings: { address: 'PAYMENTS_API_URL' },
    });
    expect(named('SecretReference', 'payments-api-secrets').spec).toEqual({
      template: { type: 'Opaque' }, data: [{ secretKey: 'STRIPE_API_KEY', remoteRef: { key: 'payments/stripe', property: 'api-key' } }], refreshInterval: '1h',
    });
    const dev = named('ReleaseBinding', 'payments-api-development').spec;
    expect(dev.workloadOverrides).toEqual({ container: { env: [{ key: 'LOG_LEVEL', value: 'debug' }] } });
    // the plan's values: an environment's autoscaling replaces the component's (defaults min 1, CPU 80%)
    expect(dev.traitEnvironmentConfigs.autoscaler).toEqual({ minReplicas: 1, maxReplicas: 2, cpuUtilization: 80 });
    const prod = named('ReleaseBinding', 'payments-api-production').spec;
    expect(prod.componentTypeEnvironmentConfigs.resources).toEqual({ requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } });
    expect(prod.traitEnvironmentConfigs).toEqual({ 'autoscaler': { minReplicas: 3, maxReplicas: 20, cpuUtilization: 60 }, 'disruption-budget': { maxUnavailable: 1 } });
    expect(named('Component', 'payments-api').spec.autoDeploy).toBe(false);
    expect(named('ReleaseBinding', 'settlement-development').spec.componentTypeEnvironmentConfigs).toMatchObject({ schedule: '30 2 * * *', suspend: true });
    // web: production pins 3.0.9 (the ledger), development and staging run 3.1.0; each release inlines its image
    const webReleases = ['development', 'staging', 'production'].map(e => named('ReleaseBinding', `web-${e}`).spec.releaseName);
    expect(webReleases[0]).toBe(webReleases[1]);
    expect(named('ComponentRelease', webReleases[2]).spec.workload.container.image).toBe('ghcr.io/acme/web:3.0.9');
    expect(webReleases[2]).toMatch(/^web-[0-9a-f]{8}$/);
    expect(named('Component', 'recommendations').spec.workflow).toMatchObject({ kind: 'ClusterWorkflow', name: 'paketo-buildpacks-builder' });
    expect(named('AuthzRoleBinding', 'payments-oncall-payments-oncall').spec.roleMappings[0]).toMatchObject({
      roleRef: { kind: 'ClusterAuthzRole', name: 'developer' },
      scope: { project: 'payments' },
      conditions: [{ expression: 'resource.environment in ["production"]' }],
    });
  });

  test('the build plane is a WorkflowPlane beside the DataPlane; components name the default ClusterWorkflows', () => {
    const file = 'namespaces/acme/platform/infra/workflow-planes/ci.yaml';
    expect(files[file]).toEqual({
      apiVersion: OC,
      kind: 'WorkflowPlane',
      metadata: { name: 'ci', namespace: 'acme', labels: { 'openchoreo.dev/name': 'ci' } },
      spec: {
        planeID: 'ci',
        clusterAgent: { clientCA: { secretKeyRef: { name: 'ci-workflow-plane-cluster-agent-ca', key: 'ca.crt' } } },
        secretStoreRef: { name: 'vault-eu' },
      },
    });
    expect(validateManifest(files[file])).toEqual([]);
    // the DataPlane's client CA is written the same way, from its own Secret
    expect(named('DataPlane', 'eu-west').spec.clusterAgent).toEqual({ clientCA: { secretKeyRef: { name: 'eu-west-cluster-agent-ca', key: 'ca.crt' } } });
    const bad = structuredClone(files[file]);
    delete bad.spec.clusterAgent;
    bad.spec.registry = 'ghcr.io/acme';
    bad.spec.planeID = 'CI_Plane';
    expect(validateManifest(bad)).toEqual([
      'spec: missing required field "clusterAgent"',
      'spec: unknown field "registry"',
      'spec.planeID: "CI_Plane" must match pattern "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"',
    ]);
    // Component.spec.workflow names a ClusterWorkflow; a Component has no field naming a workflow plane
    // (fraud-scorer, the Dockerfile build, is exported once a release pins an image)
    const recommendations = named('Component', 'recommendations');
    expect(recommendations.spec.workflow).toMatchObject({ kind: 'ClusterWorkflow', name: 'paketo-buildpacks-builder' });
    const planeRef = structuredClone(recommendations);
    planeRef.spec.workflowPlaneRef = { kind: 'WorkflowPlane', name: 'ci' };
    expect(validateManifest(planeRef).join('\n')).toContain('workflowPlaneRef');
  });

  test('what OpenChoreo cannot express is listed per construct, in the API and in NOT-EXPRESSIBLE.md', () => {
    const items = x.notExpressible();
    const keys = items.map(i => `${i.path} | ${i.feature}`);
    expect(keys).toEqual(expect.arrayContaining([
      'acme/standard | requiresApproval (staging → production)',
      'acme/eu-west | cluster agent client CA',
      'acme/ci | cluster agent client CA',
      'acme/ci | build placement',
      'acme/ci | builder confinement, resources, workspace, timeout, registry cache and images',
      'acme/ci | build network policy (egress only to the Git hosts, the registry, allowedHosts and the API server)',
      'acme/ci | registry, registry credentials and default git credentials',
      'acme/payments/payments-api | probes',
      'acme/payments/payments-api | tracing',
      'acme/payments/payments-api | slo',
      'acme/payments/payments-api/http | route (hostLabel, pathPrefix, API policy)',
      'acme/storefront/sessions | sidecars',
      'acme/payments/fraud-scorer | component without an image in any environment',
      'acme/delivery | GitOps delivery (Argo CD / Flux objects)',
      'acme/payments-oncall | capabilities restart',
    ]));
    expect(keys).not.toContain('acme/payments/payments-api | env');
    expect(keys.filter(k => k.startsWith('acme/ci |'))).toHaveLength(5);
    expect(keys).not.toContain('acme/payments/payments-api | autoscaling');
    // + the component types' settings OpenChoreo's types have no parameter for (logFormat, terminationGracePeriod),
    // their rules and custom traits, the patch, the policy suppression and the Postgres settings without a parameter
    expect(items).toHaveLength(54); // + the build plane's 5 items instead of 1
    expect(keys).toEqual(expect.arrayContaining(['acme/payments/ledger | logFormat', 'acme/storefront/order-worker | terminationGracePeriod']));
    expect(keys).not.toContain('acme/payments/ledger | type');
    expect(items.filter(i => i.path === 'acme/http-api' || i.path === 'acme/worker').map(i => `${i.path} | ${i.feature}`)).toEqual([
      'acme/http-api | constraints.allowedVisibilities', 'acme/http-api | constraints.maxCpuLimit', 'acme/http-api | constraints.requiredProbes',
      'acme/http-api | defaults.logFormat', 'acme/http-api | productionConstraints.minReplicas', 'acme/http-api | productionConstraints.requiredProbes',
      'acme/http-api | trait cost-allocation',
      'acme/worker | constraints.maxMemoryLimit', 'acme/worker | constraints.maxReplicas', 'acme/worker | defaults.terminationGracePeriod',
      'acme/worker | productionConstraints.minReplicas', 'acme/worker | trait cost-allocation',
    ]);
    expect(keys).toEqual(expect.arrayContaining([
      'acme/storefront/web | patch replace /spec/revisionHistoryLimit of Deployment in production',
      'acme/storefront/catalog | policy suppression OC-REPLICAS-PDB-PROD in production',
      'acme/payments/orders-db | backup',
      'acme/payments/orders-db | environments',
    ]));
    // the built-in traits and the resource dependency are expressed
    expect(keys.filter(k => /database-proxy|pod-annotations|orders-db \| (storageSize|type)/.test(k))).toEqual([]);
    for (const i of items) expect(i.reason.length).toBeGreaterThan(10);
    const written = app.synthFiles();
    const report = written['acme/exports/openchoreo/NOT-EXPRESSIBLE.md'];
    expect(report).toContain(`${items.length} item(s).`);
    expect(report).toContain('| `acme/storefront/sessions` | sidecars | a Workload has one container |');
    // the export sits beside the GitOps tree, never in it
    const exported = Object.keys(written).filter(f => f.startsWith('acme/exports/openchoreo/') && f.endsWith('.yaml') && !f.endsWith('/kustomization.yaml'));
    expect(exported).toHaveLength(90);
    expect(written['acme/exports/openchoreo/namespaces/acme/projects/payments/components/payments-api/workload.yaml']).toContain('kind: Workload');
    expect(written['acme/exports/openchoreo/platform-shared/kustomization.yaml']).toContain('- component-types');
    expect(written['acme/exports/openchoreo/namespaces/acme/platform/infra/kustomization.yaml']).toContain('- workflow-planes');
    expect(written['acme/kustomization.yaml']).not.toContain('exports');
    const gitops = Object.entries(written).filter(([f]) => !f.startsWith('acme/exports/')).map(([, content]) => content).join('\n');
    expect(gitops).not.toContain('exports/openchoreo');
    void org;
  });
});

describe('OpenChoreo export: determinism and releases', () => {
  test('the same model gives the same objects; one environment value changes one binding; a new image pin adds one release and moves one releaseName', () => {
    const first = exampleExport(testApp()).files;
    expect(exampleExport(testApp()).files).toEqual(first);
    const changed = (edit: (org: any) => void) => {
      const { org, x } = exampleExport(testApp());
      edit(org);
      const after = x.manifestsByFile();
      const files = [...new Set([...Object.keys(first), ...Object.keys(after)])].sort();
      return { after, diff: files.filter(f => JSON.stringify(first[f]) !== JSON.stringify(after[f])) };
    };
    const api = (org: any) => (org.projects as Project[]).find(p => p.name === 'payments')!.findComponent('payments-api')!;
    const env = (org: any, name: string) => org.environments.find((e: any) => e.name === name);
    const value = changed(org => api(org).configureEnvironment(env(org, 'production'), { env: { LOG_LEVEL: 'warn' } }));
    expect(value.diff).toEqual(['namespaces/acme/projects/payments/components/payments-api/release-bindings/payments-api-production.yaml']);
    const pin = changed(org => api(org).configureEnvironment(env(org, 'staging'), { image: 'ghcr.io/acme/payments-api:1.9.0' }));
    expect(pin.diff).toHaveLength(2);
    expect(pin.diff[0]).toBe('namespaces/acme/projects/payments/components/payments-api/release-bindings/payments-api-staging.yaml');
    expect(pin.diff[1]).toMatch(/payments-api\/releases\/payments-api-[0-9a-f]{8}\.yaml$/);
    expect(first[pin.diff[1]]).toBeUndefined();
    expect(pin.after[pin.diff[0]].spec.releaseName).toBe(pin.after[pin.diff[1]].metadata.name);
  });
});

describe('OpenChoreo export: errors', () => {
  test('two components of one name in different projects: refused with path, value and fix, before any file is written', () => {
    withApp((app, outdir) => {
      const { org, pipeline, project } = baseline(app);
      service(project, 'api');
      service(new Project(org, 'billing', { pipeline }), 'api');
      new OpenChoreoExport(org, 'openchoreo');
      let error: unknown;
      try {
        app.synth();
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(PlatformValidationError);
      const problem = (error as PlatformValidationError).problems[0];
      expect(problem.path).toBe('acme/shop/api');
      expect(problem.message).toContain("component name 'api' is also used in project 'billing'");
      expect(problem.fix).toMatch(/rename one of them \(the 'name' prop or the construct id\), e\.g\. 'shop-api'/);
      expect(listFiles(outdir)).toEqual([]);
    });
  });

  test('an export outside an organization, or a second one, is refused', () => {
    withApp(app => {
      const { org, project } = baseline(app);
      expect(() => new OpenChoreoExport(project as any, 'x')).toThrow(/\[acme\/shop\/x\] an OpenChoreoExport is declared in 'acme\/shop', which is not an Organization\. Fix: declare it directly in the organization/);
      new OpenChoreoExport(org, 'one');
      expect(() => new OpenChoreoExport(org, 'two')).toThrow(/\[acme\/two\] organization 'acme' already has an OpenChoreoExport \('acme\/one'\)\. Fix: declare one OpenChoreoExport per organization/);
    });
  });
});
