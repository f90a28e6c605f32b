import { Chart, Testing } from 'cdk8s';
import * as plus from 'cdk8s-plus-28';
import { assertValidManifests, knownKinds, validateManifest } from './support/schema-validator';
import { CiliumNetworkPolicy, CiliumNetworkPolicySpecIngressFromEntities } from '../src/imports/cilium.io';
import { ExternalSecret, ExternalSecretSpecSecretStoreRefKind } from '../src/imports/external-secrets.io';

function deployment(spec: Record<string, unknown> = {}): any {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'api', namespace: 'shop-dev', labels: { 'app.kubernetes.io/name': 'api' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'api' } },
      template: {
        metadata: { labels: { app: 'api' } },
        spec: {
          containers: [{
            name: 'api',
            image: 'registry.example.com/shop/api:1.0.0',
            ports: [{ containerPort: 8080, name: 'http' }],
            resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
          }],
        },
      },
      ...spec,
    },
  };
}

function service(port: Record<string, unknown> = {}): any {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'api', namespace: 'shop-dev' },
    spec: { selector: { app: 'api' }, ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP', ...port }] },
  };
}

function externalSecret(spec: Record<string, unknown> = {}): any {
  return {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    metadata: { name: 'db', namespace: 'shop-dev' },
    spec: {
      refreshInterval: '1h',
      secretStoreRef: { kind: 'ClusterSecretStore', name: 'vault' },
      target: { name: 'db-credentials', creationPolicy: 'Owner' },
      data: [{ secretKey: 'password', remoteRef: { key: 'shop/db', property: 'password' } }],
      ...spec,
    },
  };
}

function ciliumNetworkPolicy(spec: Record<string, unknown> = {}): any {
  return {
    apiVersion: 'cilium.io/v2',
    kind: 'CiliumNetworkPolicy',
    metadata: { name: 'api-ingress', namespace: 'shop-dev' },
    spec: {
      endpointSelector: { matchLabels: { 'app.kubernetes.io/name': 'api' } },
      ingress: [{
        fromEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'gateway' } }],
        toPorts: [{ ports: [{ port: '8080', protocol: 'TCP' }] }],
      }],
      egress: [{ toCIDR: ['10.0.0.0/8'] }],
      ...spec,
    },
  };
}

/** Validates `obj`, expects at least one error, and returns all of them joined. */
function rejected(obj: any): string {
  const errors = validateManifest(obj);
  expect(errors).not.toEqual([]);
  return errors.join('\n');
}

describe('valid manifests pass', () => {
  test.each([
    ['Deployment', deployment()],
    ['Service', service()],
    ['ExternalSecret', externalSecret()],
    ['CiliumNetworkPolicy', ciliumNetworkPolicy()],
    ['Namespace', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop-dev', labels: { team: '' } } }],
    ['Application', {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'shop-dev', namespace: 'argocd' },
      spec: { project: 'shop', source: { repoURL: 'https://git.example/ops.git', path: 'acme', targetRevision: 'main' }, destination: { server: 'https://kubernetes.default.svc' } },
    }],
  ])('%s', (_name, obj) => {
    expect(validateManifest(obj)).toEqual([]);
  });

  test('assertValidManifests accepts a valid set', () => {
    expect(() => assertValidManifests([deployment(), service(), externalSecret(), ciliumNetworkPolicy()])).not.toThrow();
  });

  test('the test files of one jest worker share the loaded validators (test/support/jest-environment.js)', () => {
    validateManifest(deployment());
    const store = (globalThis as { __cdk8sOpenChoreoWorkerStore?: Map<string, any> }).__cdk8sOpenChoreoWorkerStore;
    expect(store).toBeDefined(); // a Map of the worker's realm, not this file's
    expect([...store!.get('schema-validator').validators.keys()]).toContain('apps/v1/Deployment');
  });

  test('knownKinds lists the emitted kinds', () => {
    expect(knownKinds()).toEqual(expect.arrayContaining([
      'apps/v1/Deployment', 'v1/Service', 'external-secrets.io/v1/ExternalSecret', 'cilium.io/v2/CiliumNetworkPolicy',
    ]));
  });
});

test('cdk8s output of the generated bindings and cdk8s-plus-28 validates', () => {
  const chart = new Chart(Testing.app(), 'chart', { namespace: 'shop-dev' });
  const deploy = new plus.Deployment(chart, 'api', { replicas: 2, containers: [{ image: 'nginx:1.27', portNumber: 8080 }] });
  deploy.exposeViaService({ ports: [{ port: 80, targetPort: 8080 }] });
  new plus.ConfigMap(chart, 'config', { data: { LOG_LEVEL: 'info' } });
  new plus.k8s.KubeCronJob(chart, 'job', {
    spec: {
      schedule: '0 * * * *',
      jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'job', image: 'busybox' }] } } } },
    },
  });
  new plus.k8s.KubeHorizontalPodAutoscalerV2(chart, 'hpa', {
    spec: {
      maxReplicas: 3,
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' },
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
    },
  });
  new plus.k8s.KubePodDisruptionBudget(chart, 'pdb', {
    spec: { minAvailable: plus.k8s.IntOrString.fromNumber(1), selector: { matchLabels: { app: 'api' } } },
  });
  new plus.k8s.KubeNetworkPolicy(chart, 'deny', { spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } });
  new ExternalSecret(chart, 'secret', {
    spec: {
      secretStoreRef: { kind: ExternalSecretSpecSecretStoreRefKind.CLUSTER_SECRET_STORE, name: 'vault' },
      data: [{ secretKey: 'password', remoteRef: { key: 'shop/db' } }],
    },
  });
  new CiliumNetworkPolicy(chart, 'cnp', {
    metadata: {},
    spec: {
      endpointSelector: { matchLabels: { app: 'api' } },
      ingress: [{ fromEntities: [CiliumNetworkPolicySpecIngressFromEntities.CLUSTER] }],
    },
  });
  const objs = Testing.synth(chart);
  expect(objs.map((o) => o.kind).sort()).toEqual(['CiliumNetworkPolicy', 'ConfigMap', 'CronJob', 'Deployment', 'ExternalSecret',
    'HorizontalPodAutoscaler', 'NetworkPolicy', 'PodDisruptionBudget', 'Service']);
  expect(() => assertValidManifests(objs)).not.toThrow();
});

test('a chart namespace on a cluster-scoped object is reported', () => {
  const chart = new Chart(Testing.app(), 'chart', { namespace: 'shop-dev' });
  new plus.Namespace(chart, 'ns', { metadata: { name: 'shop-dev' } });
  expect(() => assertValidManifests(Testing.synth(chart))).toThrow(/^Namespace\/shop-dev\/shop-dev: metadata\.namespace: must not be set/m);
});

describe('invalid manifests are rejected', () => {
  test('misspelt field', () => {
    const obj = deployment();
    obj.spec.replica = 3;
    expect(rejected(obj)).toMatch(/spec: unknown field "replica"/);
  });

  test('misspelt field deep inside a pod template', () => {
    const obj = deployment();
    obj.spec.template.spec.containers[0].imagePullPolicyy = 'Always';
    expect(rejected(obj)).toMatch(/spec\.template\.spec\.containers\[0\]: unknown field "imagePullPolicyy"/);
  });

  test('wrong type', () => {
    expect(rejected(deployment({ replicas: '2' }))).toMatch(/spec\.replicas: "2" must be integer/);
  });

  test('bad enum', () => {
    expect(rejected(service({ protocol: 'HTTP' }))).toMatch(/spec\.ports\[0\]\.protocol: "HTTP" must be one of "TCP", "UDP", "SCTP"/);
  });

  test('missing required field', () => {
    const obj = deployment();
    delete obj.spec.selector;
    expect(rejected(obj)).toMatch(/spec: missing required field "selector"/);
    const port = service();
    delete port.spec.ports[0].port;
    expect(rejected(port)).toMatch(/spec\.ports\[0\]: missing required field "port"/);
  });

  test('unknown kind', () => {
    expect(rejected({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x' } })).toMatch(/no schema for apiVersion "v1" kind "Secret"/);
    expect(rejected({ ...service(), apiVersion: 'v2' })).toMatch(/no schema for apiVersion "v2" kind "Service"/);
  });

  test('bad label value', () => {
    const obj = deployment();
    obj.metadata.labels['app.kubernetes.io/version'] = 'v1.0/beta';
    expect(rejected(obj)).toMatch(/metadata\.labels\["app\.kubernetes\.io\/version"\]: value "v1\.0\/beta"/);
    obj.metadata.labels['app.kubernetes.io/version'] = 'x'.repeat(64);
    expect(rejected(obj)).toMatch(/metadata\.labels\["app\.kubernetes\.io\/version"\]: value "x+" must be at most 63/);
  });

  test('bad label key', () => {
    const obj = deployment();
    obj.metadata.labels['Example.com/name'] = 'x';
    expect(rejected(obj)).toMatch(/metadata\.labels\["Example\.com\/name"\]: key prefix "Example\.com"/);
  });

  test('over-long namespace name', () => {
    const name = `shop-${'x'.repeat(59)}`; // 64 characters
    expect(rejected({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } })).toMatch(/metadata\.name: "shop-x+" is 64 characters long, at most 63 allowed/);
    const obj = service();
    obj.metadata.namespace = name;
    expect(rejected(obj)).toMatch(/metadata\.namespace: "shop-x+" is 64 characters long, at most 63 allowed/);
  });

  test('invalid object names', () => {
    expect(rejected({ ...service(), metadata: { name: '1api' } })).toMatch(/metadata\.name: "1api" must be a DNS-1035 label/);
    expect(rejected({ ...deployment(), metadata: { name: 'Api_v2' } })).toMatch(/metadata\.name: "Api_v2" must be a DNS-1123 subdomain/);
    expect(rejected({ ...deployment(), metadata: {} })).toMatch(/metadata\.name: required/);
  });

  test('namespace on a cluster-scoped kind', () => {
    expect(rejected({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a', namespace: 'b' } }))
      .toMatch(/metadata\.namespace: must not be set on cluster-scoped v1\/Namespace/);
  });

  test('ExternalSecret with an unknown spec field', () => {
    expect(rejected(externalSecret({ refreshIntervall: '1h' }))).toMatch(/spec: unknown field "refreshIntervall"/);
  });

  test('ExternalSecret with a bad enum and unknown metadata field', () => {
    const obj = externalSecret({ target: { name: 'db', creationPolicy: 'Sometimes' } });
    obj.metadata.lables = { app: 'db' };
    const errors = rejected(obj);
    expect(errors).toMatch(/spec\.target\.creationPolicy: "Sometimes" must be one of/);
    expect(errors).toMatch(/metadata: unknown field "lables"/);
  });

  test('CiliumNetworkPolicy: typo, bad cidr, RE2 pattern and selector oneOf', () => {
    const typo = ciliumNetworkPolicy();
    typo.spec.egres = typo.spec.egress;
    expect(rejected(typo)).toMatch(/spec: unknown field "egres"/);
    expect(rejected(ciliumNetworkPolicy({ egress: [{ toCIDR: ['10.0.0.0/33'] }] }))).toMatch(/spec\.egress\[0\]\.toCIDR\[0\]: "10\.0\.0\.0\/33" must match format "cidr"/);
    const port = ciliumNetworkPolicy();
    port.spec.ingress[0].toPorts[0].ports[0].port = 'http-';
    expect(rejected(port)).toMatch(/spec\.ingress\[0\]\.toPorts\[0\]\.ports\[0\]\.port: "http-" must match pattern/);
    expect(rejected(ciliumNetworkPolicy({ nodeSelector: {} }))).toMatch(/spec: must match exactly one schema in oneOf/);
  });

  test('assertValidManifests lists every invalid object', () => {
    const objs = [deployment({ replica: 1 }), service({ protocol: 'HTTP' }), externalSecret(), service()];
    expect(() => assertValidManifests(objs)).toThrow(/3 of 4 manifests are invalid:\n/);
    let message = '';
    try {
      assertValidManifests(objs);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/^Deployment\/shop-dev\/api: spec: unknown field "replica"$/m);
    expect(message).toMatch(/^Service\/shop-dev\/api: spec\.ports\[0\]\.protocol: "HTTP" must be one of/m);
    expect(message).toMatch(/^Service\/shop-dev\/api: duplicate object/m);
    expect(message).not.toMatch(/ExternalSecret/);
  });
});
