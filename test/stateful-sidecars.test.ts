import { Duration } from 'cdk8s';
import {
  CiliumLocalhost, Probe, EmptyDirMedium, NetworkPolicyProvider,
  PodManagement, Project, SecretRef, Service, StatefulService, VolumeAccessMode, VolumeRetention,
  Worker, DataPlane, Environment, DeploymentPipeline, Organization,
} from '../src';
import { baseline, IMAGE } from './support/fixtures';
import { expectProblem } from './support/problems';
import { one, synth, testApp } from './support/synth';
import type { PlatformApp } from '../src/output/platform-app';
import { generateName } from '../src/resolve/naming';

const ns = (project: string, env: string) => generateName(63, 'dp', 'acme', project, env);
const sts = (env: string) => generateName(52, 'db', env);

function postgres(project: Project, extra: Partial<ConstructorParameters<typeof StatefulService>[2]> = {}): StatefulService {
  const db = new StatefulService(project, 'db', {
    image: 'ghcr.io/acme/postgres:16.2',
    volumes: [{ name: 'data', mountPath: '/var/lib/postgresql/data', size: '10Gi', storageClass: 'fast-ssd' }],
    peerPorts: [5433],
    ...extra,
  });
  db.addEndpoint('sql', { port: 5432, type: 'TCP' as any });
  return db;
}

describe('StatefulService', () => {
  test('a StatefulSet with claim templates, retention, pod management, a headless Service and a ClusterIP Service (schemas validated)', () => {
    const { project, prod } = baseline(testApp());
    const db = postgres(project, { podManagement: PodManagement.PARALLEL, retainOnScaleDown: VolumeRetention.DELETE });
    db.configureEnvironment(prod, { volumeSizes: { data: '100Gi' } });
    const objects = synth(project.organization);
    expect(objects.filter(o => o.kind === 'StatefulSet')).toHaveLength(3);
    expect(objects.filter(o => o.kind === 'Deployment')).toHaveLength(0);
    const set = one(objects, 'StatefulSet', sts('production'));
    expect(set.metadata.namespace).toBe(ns('shop', 'production'));
    expect(set.spec.replicas).toBe(3);
    expect(set.spec.podManagementPolicy).toBe('Parallel');
    expect(set.spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Retain', whenScaled: 'Delete' });
    expect(set.spec.volumeClaimTemplates).toEqual([{
      metadata: { name: 'data', labels: set.spec.selector.matchLabels },
      spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'fast-ssd', resources: { requests: { storage: '100Gi' } } },
    }]);
    expect(one(objects, 'StatefulSet', sts('development')).spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('10Gi');
    const main = set.spec.template.spec.containers[0];
    expect(main.volumeMounts).toEqual(expect.arrayContaining([{ name: 'data', mountPath: '/var/lib/postgresql/data' }]));
    const headless = one(objects, 'Service', o => o.metadata.name === set.spec.serviceName && o.metadata.namespace === ns('shop', 'production'));
    expect(headless.metadata.namespace).toBe(ns('shop', 'production'));
    expect(headless.spec.clusterIP).toBe('None');
    expect(headless.spec.publishNotReadyAddresses).toBe(true);
    expect(headless.spec.selector).toEqual(set.spec.selector.matchLabels);
    expect(headless.spec.ports.map((p: any) => p.port)).toEqual([5433, 5432]);
    const svc = objects.find(o => o.kind === 'Service' && o.metadata.name === 'db' && o.metadata.namespace === ns('shop', 'production'));
    expect(svc.spec.type).toBe('ClusterIP');
  });

  test('defaults: ordered pods, claims retained, ReadWriteOnce; pod names stay within label limits', () => {
    const { project } = baseline(testApp());
    new StatefulService(project, 'a'.repeat(60), { image: IMAGE, volumes: [{ name: 'data', mountPath: '/data', size: '1Gi' }] });
    const set = synth(project.organization).find(o => o.kind === 'StatefulSet');
    expect(set.metadata.name.length).toBeLessThanOrEqual(52);
    expect(set.spec.podManagementPolicy).toBe('OrderedReady');
    expect(set.spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Retain', whenScaled: 'Retain' });
    expect(set.spec.volumeClaimTemplates[0].spec.accessModes).toEqual(['ReadWriteOnce']);
    expect(set.spec.volumeClaimTemplates[0].spec.storageClassName).toBeUndefined();
  });

  test('production StatefulSets spread like Deployments, counting revisions by the label the StatefulSet controller sets', () => {
    const { project } = baseline(testApp());
    postgres(project);
    const objects = synth(project.organization);
    const spread = one(objects, 'StatefulSet', sts('production')).spec.template.spec.topologySpreadConstraints;
    expect(spread.map((s: any) => s.topologyKey)).toEqual(['topology.kubernetes.io/zone', 'kubernetes.io/hostname']);
    for (const s of spread) expect(s.matchLabelKeys).toEqual(['controller-revision-hash']);
    expect(one(objects, 'StatefulSet', sts('development')).spec.template.spec.topologySpreadConstraints).toBeUndefined();
  });

  test('an autoscaled StatefulService scales its StatefulSet', () => {
    const { project } = baseline(testApp());
    postgres(project, { autoscaling: { maxReplicas: 5 } });
    const hpa = synth(project.organization).find(o => o.kind === 'HorizontalPodAutoscaler');
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'StatefulSet', name: hpa.metadata.name });
  });

  test.each([NetworkPolicyProvider.KUBERNETES, NetworkPolicyProvider.CILIUM])('peer ports: replicas may reach each other (%s back-end), other pods not', (provider) => {
    const app = testApp();
    const org = new Organization(app, 'acme');
    const dataPlane = new DataPlane(org, 'eu', { networkPolicyProvider: provider });
    const dev = new Environment(org, 'development', { dataPlane });
    const prod = new Environment(org, 'production', { dataPlane, isProduction: true });
    const pipeline = new DeploymentPipeline(org, 'standard', { promotionPaths: [{ source: dev, targets: [prod] }] });
    const project = new Project(org, 'shop', { pipeline });
    postgres(project);
    const objects = synth(org);
    const policy = objects.find(o => (o.kind === 'NetworkPolicy' || o.kind === 'CiliumNetworkPolicy') && JSON.stringify(o).includes('5433'));
    expect(policy).toBeDefined();
    const text = JSON.stringify(policy);
    expect(text).toContain('"openchoreo.dev/component":"db"');
  });

  test('bad inputs', () => {
    const vol = { name: 'data', mountPath: '/data', size: '1Gi' };
    const cases: Array<[any, string, RegExp]> = [
      [{ volumes: [] }, 'declares no volumes', /declare at least one/],
      [{ volumes: [{ ...vol, size: 'ten' }] }, "'ten'", /binary suffix/],
      [{ volumes: [{ ...vol, size: '0' }] }, "size '0' is not positive", /10Gi/],
      [{ volumes: [{ ...vol, mountPath: 'data' }] }, "mountPath 'data'", /absolute/],
      [{ volumes: [{ ...vol, name: 'Data' }] }, "'Data'", /use a name such as 'data'/],
      [{ volumes: [vol, { ...vol, mountPath: '/other' }] }, "volume name 'data' is declared twice", /its own name/],
      [{ volumes: [{ ...vol, accessModes: ['ReadWriteAlways'] }] }, "'ReadWriteAlways'", /VolumeAccessMode.READ_WRITE_ONCE/],
      [{ volumes: [{ ...vol, accessModes: [] }] }, 'empty accessModes', /leave accessModes unset/],
      [{ volumes: [vol], podManagement: 'Random' }, "podManagement 'Random'", /PodManagement.ORDERED/],
      [{ volumes: [vol], retainOnDelete: 'Keep' }, "retainOnDelete 'Keep'", /VolumeRetention.RETAIN/],
      [{ volumes: [vol], peerPorts: [70000] }, 'peer port 70000', /between 1 and 65535/],
      [{ volumes: [{ ...vol, mountPath: '/tmp' }] }, "mount path '/tmp' is declared twice", /one volume per directory/],
    ];
    for (const [props, value, fix] of cases) {
      expectProblem(app => new StatefulService(baseline(app).project, 'db', { image: IMAGE, ...props }),
        { path: 'acme/shop/db', value, fix, at: 'construction' });
    }
  });

  test('bad per-environment volume sizes', () => {
    expectProblem(app => {
      const { project, prod } = baseline(app);
      postgres(project).configureEnvironment(prod, { volumeSizes: { logs: '5Gi' } });
    }, { path: 'acme/shop/db', value: "volume 'logs'", fix: /use one of 'data'/, at: 'construction' });
    expectProblem(app => {
      const { project, prod } = baseline(app);
      postgres(project).configureEnvironment(prod, { volumeSizes: { data: 'big' } });
    }, { path: 'acme/shop/db', value: "'big'", fix: /binary suffix/, at: 'construction' });
    expectProblem(app => {
      const { project, prod } = baseline(app);
      new Service(project, 'api', { image: IMAGE }).configureEnvironment(prod, { volumeSizes: { data: '5Gi' } });
    }, { path: 'acme/shop/api', value: "'volumeSizes'", fix: /StatefulService volumes only/, at: 'construction' });
  });
});

describe('init containers, sidecars and emptyDirs', () => {
  test('hardened like the main container, with their own scratch, resources and secret env; shared emptyDirs', () => {
    const { project } = baseline(testApp());
    const api = new Service(project, 'api', {
      image: IMAGE,
      emptyDirs: [{ name: 'cache', mountPath: '/var/cache/app', medium: EmptyDirMedium.MEMORY, sizeLimit: '64Mi' }, { name: 'shared' }],
      initContainers: [{ name: 'migrate', image: 'ghcr.io/acme/migrate:1.0.0', args: ['up'], volumeMounts: [{ volume: 'shared', mountPath: '/work' }] }],
      sidecars: [{
        name: 'proxy',
        image: 'ghcr.io/acme/proxy:2.1.0',
        env: { MODE: 'edge' },
        secretEnv: { TOKEN: SecretRef.fromStore('acme/proxy-token') },
        resources: { cpuRequest: '50m', memoryRequest: '64Mi' },
        ports: [{ name: 'proxy', port: 9000 }],
        volumeMounts: [{ volume: 'shared', mountPath: '/shared', readOnly: true }],
      }],
    });
    api.addEndpoint('http', { port: 80, targetPort: 9000 });
    api.addEndpoint('admin', { port: 8081 });
    const objects = synth(project.organization);
    const dep = one(objects, 'Deployment', generateName(253, 'api', 'staging'));
    const pod = dep.spec.template.spec;
    expect(pod.containers.map((c: any) => c.name)).toEqual(['main', 'proxy']);
    expect(pod.initContainers.map((c: any) => c.name)).toEqual(['migrate']);
    const [main, proxy] = pod.containers;
    const init = pod.initContainers[0];
    for (const c of [proxy, init]) expect(c.securityContext).toEqual(main.securityContext);
    expect(main.securityContext.readOnlyRootFilesystem).toBe(true);
    // the endpoint whose targetPort is the sidecar's port is the sidecar's
    expect(main.ports.map((p: any) => p.containerPort)).toEqual([8081]);
    expect(proxy.ports).toEqual([{ name: 'proxy', containerPort: 9000, protocol: 'TCP' }]);
    expect(proxy.env).toEqual([{ name: 'MODE', value: 'edge' }]);
    // its own requests; limits from the organization's defaults, as for the main container
    expect(proxy.resources).toEqual({ requests: { cpu: '50m', memory: '64Mi' }, limits: main.resources.limits });
    expect(init.resources.requests).toEqual(main.resources.requests); // organization defaults
    expect(proxy.volumeMounts).toEqual([{ name: 'shared', mountPath: '/shared', readOnly: true }, { name: 'scratch-s0-0', mountPath: '/tmp' }]);
    expect(init.volumeMounts).toEqual([{ name: 'shared', mountPath: '/work' }, { name: 'scratch-i0-0', mountPath: '/tmp' }]);
    expect(main.volumeMounts).toEqual(expect.arrayContaining([{ name: 'cache', mountPath: '/var/cache/app' }]));
    expect(main.volumeMounts.map((m: any) => m.name)).not.toContain('shared');
    expect(pod.volumes).toEqual(expect.arrayContaining([
      { name: 'cache', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } },
      { name: 'shared', emptyDir: { sizeLimit: '256Mi' } },
      { name: 'scratch-s0-0', emptyDir: { sizeLimit: '256Mi' } },
      { name: 'scratch-i0-0', emptyDir: { sizeLimit: '256Mi' } },
    ]));
    const secretName = proxy.envFrom[0].secretRef.name;
    const es = one(objects, 'ExternalSecret', secretName);
    expect(es.spec.data).toEqual([expect.objectContaining({ secretKey: 'TOKEN', remoteRef: expect.objectContaining({ key: 'acme/proxy-token' }) })]);
    expect(JSON.stringify(objects)).not.toContain('proxy-token-value');
  });

  test("a sidecar's probes target its own ports; under allow-localhost=policy the host rule covers them; the report lists them", () => {
    const app = testApp();
    const org = new Organization(app, 'acme');
    const eu = new DataPlane(org, 'eu', { ciliumLocalhost: CiliumLocalhost.POLICY });
    const dev = new Environment(org, 'dev', { dataPlane: eu });
    const prod = new Environment(org, 'prod', { dataPlane: eu });
    const project = new Project(org, 'shop', { pipeline: new DeploymentPipeline(org, 'p', { promotionPaths: [{ source: dev, targets: [prod] }] }) });
    const api = new Service(project, 'api', {
      image: IMAGE,
      probes: { readiness: Probe.http({ endpoint: 'http' }) },
      sidecars: [{
        name: 'proxy',
        image: IMAGE,
        ports: [{ name: 'admin', port: 9901 }],
        probes: { readiness: Probe.http({ port: 9901, path: '/ready' }), liveness: Probe.exec(['/bin/alive']) },
      }],
    });
    api.addEndpoint('http', { port: 8080 });
    const objects = synth(org);
    const containers = one(objects, 'Deployment', o => o.metadata.namespace.includes('-dev-')).spec.template.spec.containers;
    expect(containers[1].readinessProbe).toEqual({
      httpGet: { path: '/ready', port: 9901, scheme: 'HTTP' }, initialDelaySeconds: 0, periodSeconds: 10, timeoutSeconds: 1, failureThreshold: 3, successThreshold: 1,
    });
    expect(containers[1].livenessProbe.exec).toEqual({ command: ['/bin/alive'] });
    const policy = one(objects, 'CiliumNetworkPolicy', o => o.metadata.name === 'openchoreo-api' && o.metadata.namespace.includes('-dev-'));
    expect(policy.spec.ingress.filter((r: any) => r.fromEntities)).toEqual([
      { fromEntities: ['host'], toPorts: [{ ports: [{ port: '8080', protocol: 'TCP' }, { port: '9901', protocol: 'TCP' }] }] },
    ]);
    expect(app.synthFiles()['acme/eu/dev/shop/connectivity.md']).toContain(': api readiness http :8080, api (sidecar proxy) readiness http :9901.');
  });

  test('a sidecar change rolls no other component; a worker may have sidecars too', () => {
    const { project } = baseline(testApp());
    new Worker(project, 'w', { image: IMAGE, sidecars: [{ name: 'agent', image: 'ghcr.io/acme/agent:1.0.0' }] });
    const dep = synth(project.organization).find(o => o.kind === 'Deployment');
    expect(dep.spec.template.spec.containers.map((c: any) => c.name)).toEqual(['main', 'agent']);
  });

  test('bad inputs', () => {
    const side = { name: 'proxy', image: 'ghcr.io/acme/proxy:1.0.0' };
    const cases: Array<[any, string, RegExp]> = [
      [{ sidecars: [{ ...side, name: 'main' }] }, "container name 'main' is declared twice", /'main' is the component's container/],
      [{ sidecars: [side, side] }, "container name 'proxy' is declared twice", /its own name/],
      [{ sidecars: [{ ...side, name: 'Proxy' }] }, "'Proxy'", /use a name such as 'proxy'/],
      [{ sidecars: [{ ...side, image: 'not an image' }] }, "image 'not an image'", /registry\/repository:tag/],
      [{ initContainers: [{ ...side, ports: [{ name: 'http', port: 80 }] }] }, "init container 'proxy' declares ports", /move the ports to a sidecar/],
      [{ sidecars: [{ ...side, ports: [{ name: 'a-very-long-port-name', port: 80 }] }] }, "'a-very-long-port-name'", /at most 15 characters/],
      [{ sidecars: [{ ...side, ports: [{ name: 'http', port: 0 }] }] }, "port 'http' 0", /between 1 and 65535/],
      [{ sidecars: [{ ...side, volumeMounts: [{ volume: 'cache', mountPath: '/c' }] }] }, "volume 'cache'", /declare it in emptyDirs/],
      [{ sidecars: [{ ...side, volumeMounts: [{ volume: 'cache', mountPath: 'c' }] }], emptyDirs: [{ name: 'cache' }] }, "mountPath 'c'", /absolute/],
      [{ sidecars: [{ ...side, env: { PASSWORD: 'hunter2hunter2' } }] }, 'PASSWORD', /secretEnv/],
      [{ sidecars: [{ ...side, secretEnv: { TOKEN: 'abc' } }] }, "secretEnv 'TOKEN'", /SecretRef.fromStore/],
      [{ sidecars: [{ ...side, resources: { cpuRequest: 'lots' } }] }, "'lots'", /millicores/],
      [{ emptyDirs: [{ name: 'scratch-0' }] }, "'scratch-0'", /rename it/],
      [{ emptyDirs: [{ name: 'c', medium: 'ssd' }] }, "medium 'ssd'", /EmptyDirMedium.DISK/],
      [{ emptyDirs: [{ name: 'c', sizeLimit: 'huge' }] }, "'huge'", /binary suffix/],
      [{ emptyDirs: [{ name: 'c', mountPath: '/tmp' }] }, "mount path '/tmp' is declared twice", /one volume per directory/],
      [{ sidecars: [{ ...side, ports: [{ name: 'a', port: 80 }] }, { ...side, name: 'two', ports: [{ name: 'b', port: 80 }] }] },
        "sidecar port '80/TCP' is declared twice", /its own number/],
    ];
    const withPort = { ...side, ports: [{ name: 'admin', port: 9901 }] };
    cases.push(
      [{ initContainers: [{ ...side, probes: { readiness: Probe.exec(['/ok']) } }] }, "init container 'proxy' declares readiness probes", /make it a sidecar/],
      [{ sidecars: [{ ...withPort, probes: { readiness: Probe.http({ endpoint: 'http' }) } }] }, "readiness probe names endpoint 'http'", /use port: 9901/],
      [{ sidecars: [{ ...withPort, probes: { liveness: Probe.tcp({ port: 8080 }) } }] }, 'liveness probe port 8080 is not one of its TCP ports (9901)', /a port the sidecar declares/],
      [{ sidecars: [{ ...side, probes: { readiness: Probe.grpc({ port: 9000 }) } }] }, 'readiness probe port 9000 is not one of its TCP ports (none declared)', /Probe.exec/],
      [{ sidecars: [{ ...withPort, probes: { readiness: Probe.tcp({ port: 9901, period: Duration.seconds(0) }) } }] }, "sidecar 'proxy' readiness probe", /./],
    );
    for (const [props, value, fix] of cases) {
      expectProblem(app => new Service(baseline(app).project, 'api', { image: IMAGE, ...props }),
        { path: 'acme/shop/api', value, fix, at: 'construction', notContaining: 'hunter2hunter2' });
    }
  });

  test('a sidecar port that is also the metrics port is refused at synthesis', () => {
    expectProblem((app: PlatformApp) => new Service(baseline(app).project, 'api', {
      image: IMAGE, metrics: { port: 9090 }, sidecars: [{ name: 'proxy', image: IMAGE, ports: [{ name: 'p', port: 9090 }] }],
    }), { path: 'acme/shop/api', value: "sidecar 'proxy' port 9090", fix: /another port/, at: 'synth' });
  });
});

void VolumeAccessMode;
