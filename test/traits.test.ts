import { JsonPatch } from 'cdk8s';
import {
  ComponentKind, ComponentType, DataPlane, DeploymentPipeline, Environment, ExternalService, ITrait, NetworkPolicyProvider, Organization,
  Project, Service, TraitContext, TraitNeeds, TraitRenderContext, TraitRendering, Traits, Worker,
} from '../src';
import { baseline, IMAGE } from './support/fixtures';
import { expectProblem } from './support/problems';
import { one, synth, testApp } from './support/synth';
import { generateName } from '../src/resolve/naming';
import { synthesizeOrganization } from '../src/synth';

const ns = (env: string) => generateName(63, 'dp', 'acme', 'shop', env);
const PROXY = 'gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.14.1';
const dbProxy = () => Traits.databaseProxy({ database: 'orders-db', image: PROXY, host: 'orders-db.sql.acme.example', port: 5432, metricsPort: 9801 });

interface Script {
  readonly needs?: TraitNeeds;
  readonly render?: (ctx: TraitRenderContext) => TraitRendering;
  readonly throws?: string;
}

/** A test trait doing whatever its fields say; records the contexts it saw. */
class ScriptedTrait implements ITrait {
  public readonly seen: TraitRenderContext[] = [];
  constructor(public readonly name: string, private readonly script: Script = {}) {}
  public needs(_ctx: TraitContext): TraitNeeds {
    if (this.script.throws === 'needs') throw new Error('boom in needs');
    return this.script.needs ?? {};
  }
  public render(ctx: TraitRenderContext): TraitRendering {
    this.seen.push(ctx);
    return this.script.render?.(ctx) ?? {};
  }
}

/** One environment on a data plane with the Kubernetes NetworkPolicy back-end. */
function kubernetesPlatform(app: any): Project {
  const org = new Organization(app, 'acme');
  const dataPlane = new DataPlane(org, 'k8s', { networkPolicyProvider: NetworkPolicyProvider.KUBERNETES });
  const dev = new Environment(org, 'development', { dataPlane });
  const prod = new Environment(org, 'production', { dataPlane, isProduction: true });
  return new Project(org, 'shop', { pipeline: new DeploymentPipeline(org, 'p', { promotionPaths: [{ source: dev, targets: [prod] }] }) });
}

const configMap = (name: string, extra: any = {}) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...extra }, data: { owner: 'shop-team' } });

describe('built-in traits', () => {
  test('databaseProxy: a hardened sidecar, egress in the emitted policy and in the connectivity report, a scraped metrics port with its PodMonitor', () => {
    const b = baseline(testApp());
    const api = new Service(b.project, 'api', { image: IMAGE });
    api.addEndpoint('http', { port: 8080 });
    api.addTrait(dbProxy());
    const objects = synth(b.org);
    const deployment = one(objects, 'Deployment', generateName(253, 'api', 'production'));
    const proxy = deployment.spec.template.spec.containers.find((c: any) => c.name === 'db-proxy');
    expect(proxy.image).toBe(PROXY);
    expect(proxy.ports).toEqual([{ name: 'db-proxy', containerPort: 5432, protocol: 'TCP' }, { name: 'proxy-metrics', containerPort: 9801, protocol: 'TCP' }]);
    expect(proxy.securityContext).toEqual(expect.objectContaining({
      runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] },
    }));
    expect(proxy.resources.requests).toEqual({ cpu: '50m', memory: '64Mi' });
    // the emitted policy: egress to the database's FQDN on 5432, ingress from Prometheus on 9801
    const policy = one(objects, 'CiliumNetworkPolicy', o => o.metadata.name === 'openchoreo-api' && o.metadata.namespace === ns('production'));
    expect(policy.spec.egress).toContainEqual({ toFQDNs: [{ matchName: 'orders-db.sql.acme.example' }], toPorts: [{ ports: [{ port: '5432', protocol: 'TCP' }] }] });
    expect(JSON.stringify(policy.spec.ingress)).toContain('"port":"9801"');
    // the report, computed from the emitted policies, shows both
    const prod = synthesizeOrganization(b.org).connectivity.find(e => e.environment === 'production')!;
    const flows = prod.flows.filter(f => f.from === 'shop/api' || f.to === 'shop/api').map(f => `${f.from} -> ${f.to}:${f.port}/${f.protocol}`);
    expect(flows).toEqual(expect.arrayContaining(['shop/api -> external:orders-db:5432/TCP', 'prometheus -> shop/api:9801/TCP']));
    // the PodMonitor lands in the component's group with its labels
    const monitor = one(objects, 'PodMonitor', o => o.metadata.namespace === ns('production'));
    expect(monitor.metadata.labels).toEqual(expect.objectContaining({ 'openchoreo.dev/component': 'api', 'openchoreo.dev/environment': 'production', 'app.kubernetes.io/managed-by': 'cdk8s-openchoreo' }));
    const rendered = synthesizeOrganization(b.org).objects.find(o => o.manifest === monitor)!;
    expect(rendered.group).toBe('api');
    expect(rendered.isComponent).toBe(true);
    // the production quota counts the sidecar
    const readme = synthesizeOrganization(b.org).documents.find(d => d.file === 'eu/production/README.md')!.content;
    expect(readme).toContain(`| shop | api | PodMonitor \`${generateName(253, 'api', 'production')}-db-proxy\` (added) | trait 'database-proxy' (from the component) |`);
  });

  test('databaseProxy with cidrs on the Kubernetes NetworkPolicy back-end: an ipBlock egress the report shows', () => {
    const project = kubernetesPlatform(testApp());
    const api = new Worker(project, 'api', { image: IMAGE });
    api.addTrait(Traits.databaseProxy({ database: 'orders-db', image: PROXY, cidrs: ['10.20.0.0/24'], port: 5432 }));
    const objects = synth(project.organization);
    const policy = one(objects, 'NetworkPolicy', o => o.metadata.name === 'openchoreo-api' && o.metadata.namespace.includes('-development-'));
    expect(policy.spec.egress).toContainEqual({ to: [{ ipBlock: { cidr: '10.20.0.0/24' } }], ports: [{ port: 5432, protocol: 'TCP' }] });
    const env = synthesizeOrganization(project.organization).connectivity[0];
    expect(env.flows.map(f => `${f.from} -> ${f.to}:${f.port}`)).toContain('shop/api -> external:orders-db:5432');
  });

  test('podAnnotations: pod template annotations by JSON patch; the component\'s own annotation wins', () => {
    const b = baseline(testApp());
    const type = new ComponentType(b.org, 'worker', { kind: ComponentKind.WORKER, traits: [Traits.podAnnotations({ 'karpenter.sh/do-not-disrupt': 'true', 'example.com/a': 'type' })] });
    new Worker(b.project, 'jobs', { type, image: IMAGE, annotations: { 'example.com/a': 'own' } });
    new Worker(b.project, 'bare', { type, image: IMAGE });
    const objects = synth(b.org);
    expect(one(objects, 'Deployment', generateName(253, 'jobs', 'staging')).spec.template.metadata.annotations)
      .toEqual(expect.objectContaining({ 'karpenter.sh/do-not-disrupt': 'true', 'example.com/a': 'own' }));
    expect(one(objects, 'Deployment', generateName(253, 'bare', 'staging')).spec.template.metadata.annotations)
      .toEqual(expect.objectContaining({ 'example.com/a': 'type', 'karpenter.sh/do-not-disrupt': 'true' }));
  });
});

describe('custom traits', () => {
  test('the context, read-only objects, added objects (labelled, schema-valid, in the component group) and patches', () => {
    const b = baseline(testApp());
    const trait = new ScriptedTrait('ownership', {
      render: ctx => {
        expect(() => { ctx.objects[0].metadata.name = 'changed'; }).toThrow();
        return {
          objects: [configMap(`${ctx.component}-owner`)],
          patches: [{ kind: 'Deployment', operations: [JsonPatch.add('/spec/revisionHistoryLimit', ctx.isProduction ? 10 : 2)] }],
        };
      },
    });
    const api = new Service(b.project, 'api', { image: IMAGE });
    api.addTrait(trait);
    const objects = synth(b.org);
    const prodCtx = trait.seen.find(c => c.environment === 'production')!;
    expect(prodCtx).toEqual(expect.objectContaining({
      component: 'api',
      componentPath: 'acme/shop/api',
      kind: ComponentKind.SERVICE,
      project: 'shop',
      isProduction: true,
      namespace: ns('production'),
      workloadKind: 'Deployment',
      workloadName: generateName(253, 'api', 'production'),
    }));
    expect(prodCtx.labels['openchoreo.dev/component']).toBe('api');
    expect(prodCtx.objects.map(o => o.kind)).toContain('Deployment');
    expect(one(objects, 'Deployment', generateName(253, 'api', 'production')).spec.revisionHistoryLimit).toBe(10);
    expect(one(objects, 'Deployment', generateName(253, 'api', 'development')).spec.revisionHistoryLimit).toBe(2);
    const owners = objects.filter(o => o.kind === 'ConfigMap' && o.metadata.name === 'api-owner');
    expect(owners).toHaveLength(3);
    for (const o of owners) expect(o.metadata.labels['openchoreo.dev/project']).toBe('shop');
    expect(one(objects, 'ConfigMap', o => o.metadata.name === 'api-owner' && o.metadata.namespace === ns('staging')).metadata.labels['openchoreo.dev/environment']).toBe('staging');
  });

  test('determinism: traits, components and types declared in another order give the same files', () => {
    const files = (reverse: boolean) => {
      const app = testApp();
      const b = baseline(app);
      const traits = [dbProxy(), Traits.podAnnotations({ 'example.com/x': '1' }), new ScriptedTrait('owner', { render: ctx => ({ objects: [configMap(`${ctx.component}-owner`)] }) })];
      const names = reverse ? ['b', 'a'] : ['a', 'b'];
      for (const n of names) {
        const c = new Service(b.project, n, { image: IMAGE });
        for (const t of reverse ? [...traits].reverse() : traits) c.addTrait(t);
      }
      return app.synthFiles();
    };
    expect(files(true)).toEqual(files(false));
  });
});

describe('traits: bad input and traffic a trait may not open', () => {
  const build = (trait: ITrait, extra?: (b: ReturnType<typeof baseline>) => void) => (app: any) => {
    const b = baseline(app);
    extra?.(b);
    new Service(b.project, 'api', { image: IMAGE }).addTrait(trait);
  };

  test('a trait adding a network policy is refused', () => {
    expectProblem(build(new ScriptedTrait('opener', { render: () => ({ objects: [{ apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name: 'allow-all' }, spec: {} }] }) })), {
      path: 'acme/shop/api', value: "adds CiliumNetworkPolicy 'allow-all': network policies and namespaces come from the network plan only", fix: /declare the traffic in the trait's needs\(\)/, at: 'synth',
    });
  });

  test('a trait patching the component\'s network policy is refused', () => {
    expectProblem(build(new ScriptedTrait('opener', { render: () => ({ patches: [{ kind: 'CiliumNetworkPolicy', operations: [JsonPatch.add('/spec/egress/-', { toEntities: ['world'] })] }] }) })), {
      path: 'acme/shop/api', value: "trait 'opener' (from the component) patches CiliumNetworkPolicy", fix: /needs\(\) \(egress, scrapePorts\)/, at: 'synth',
    });
  });

  test('a trait relabelling the pods is refused', () => {
    expectProblem(build(new ScriptedTrait('relabel', { render: () => ({ patches: [{ kind: 'Deployment', operations: [JsonPatch.replace('/spec/template/metadata/labels/openchoreo.dev~1component', 'other')] }] }) })), {
      path: 'acme/shop/api', value: "changes the pod template's openchoreo.dev labels of Deployment", fix: /leave the pod template's openchoreo.dev labels as rendered/, at: 'synth',
    });
  });

  test('a trait turning on host networking is refused', () => {
    expectProblem(build(new ScriptedTrait('host', { render: () => ({ patches: [{ kind: 'Deployment', operations: [JsonPatch.add('/spec/template/spec/hostNetwork', true)] }] }) })), {
      path: 'acme/shop/api', value: 'changes hostNetwork (host-network pods bypass the network policies)', fix: /leave hostNetwork/, at: 'synth',
    });
  });

  test('a patch that targets nothing', () => {
    expectProblem(build(new ScriptedTrait('hpa', { render: () => ({ patches: [{ kind: 'HorizontalPodAutoscaler', operations: [JsonPatch.add('/spec/minReplicas', 2)] }] }) })), {
      path: 'acme/shop/api', value: "patches HorizontalPodAutoscaler, which the component does not have in 'development'", fix: /patch one of its objects \(CiliumNetworkPolicy, Deployment/, at: 'synth',
    });
  });

  test('an added object of a kind the library does not emit, cluster-scoped, in another namespace, relabelled, or incomplete', () => {
    const adds = (m: any) => build(new ScriptedTrait('adder', { render: () => ({ objects: [m] }) }));
    expectProblem(adds({ apiVersion: 'fluentbit.fluent.io/v1alpha2', kind: 'FluentBitConfig', metadata: { name: 'x' } }), {
      path: 'acme/shop/api', value: "adds fluentbit.fluent.io/v1alpha2 FluentBitConfig 'x', a kind the library does not emit", fix: /kinds in src\/render\/kinds.ts/, at: 'synth',
    });
    expectProblem(adds({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'x' } }), {
      path: 'acme/shop/api', value: "ClusterRole 'x', a cluster-scoped kind", fix: /namespaced objects/, at: 'synth',
    });
    expectProblem(adds(configMap('x', { namespace: 'kube-system' })), {
      path: 'acme/shop/api', value: "adds ConfigMap 'x' in namespace 'kube-system'", fix: /leave metadata.namespace unset/, at: 'synth',
    });
    expectProblem(adds(configMap('x', { labels: { 'openchoreo.dev/component': 'web' } })), {
      path: 'acme/shop/api', value: "sets label openchoreo.dev/component='web' on ConfigMap 'x'", fix: /leave openchoreo.dev\/component unset: the library sets it to 'api'/, at: 'synth',
    });
    expectProblem(adds({ kind: 'ConfigMap' }), {
      path: 'acme/shop/api', value: 'adds an object without apiVersion, kind and metadata.name ({"kind":"ConfigMap"})', fix: /return complete manifests/, at: 'synth',
    });
  });

  test('egress on the NetworkPolicy back-end by host name only', () => {
    expectProblem(app => new Service(kubernetesPlatform(app), 'api', { image: IMAGE }).addTrait(dbProxy()), {
      path: 'acme/shop/api', value: "trait 'database-proxy' needs egress 'orders-db' by host name (orders-db.sql.acme.example)", fix: /declare the service's cidrs, use the Cilium back-end, or set acceptWiderNetworkRules/, at: 'synth',
    });
  });

  test('egress named like an external service that goes elsewhere', () => {
    expectProblem(build(dbProxy(), b => new ExternalService(b.org, 'orders-db', { host: 'other.example.com', port: 443 })), {
      path: 'acme/shop/api', value: "trait 'database-proxy' names its egress 'orders-db' (orders-db.sql.acme.example:5432/TCP), the name of external service 'orders-db' (other.example.com:443/TCP)", fix: /another name than 'orders-db'/, at: 'synth',
    });
  });

  test('a scrape port no container listens on', () => {
    expectProblem(build(new ScriptedTrait('scraper', { needs: { scrapePorts: [9999] } })), {
      path: 'acme/shop/api', value: "trait 'scraper' declares scrape port 9999, which no container of the component listens on in 'development'", fix: /declare the port on the trait's sidecar/, at: 'synth',
    });
  });

  test('invalid egress: name, host, port', () => {
    expectProblem(build(new ScriptedTrait('e', { needs: { egress: [{ name: 'Orders DB', host: 'db.example.com', port: 5432 }] } })), {
      path: 'acme/shop/api', value: "trait 'e' declares egress named 'Orders DB', which is not a DNS label", fix: /e.g. 'orders-db'/, at: 'synth',
    });
    expectProblem(build(new ScriptedTrait('e', { needs: { egress: [{ name: 'db', host: 'https://db.example.com', port: 5432 }] } })), {
      path: 'acme/shop/api', value: "declares egress 'db' to host 'https://db.example.com'", fix: /db.example.com/, at: 'synth',
    });
    expectProblem(build(new ScriptedTrait('e', { needs: { egress: [{ name: 'db', cidrs: ['10.0.0.0/8'], port: 0 }] } })), {
      path: 'acme/shop/api', value: "declares egress 'db' on port 0, which is not a port from 1 to 65535", fix: /e.g. 5432/, at: 'synth',
    });
    expectProblem(build(new ScriptedTrait('e', { needs: { egress: [{ name: 'db', port: 5432 }] } })), {
      path: 'acme/shop/api', value: "declares egress 'db' with neither a host nor cidrs", fix: /host/, at: 'synth',
    });
  });

  test('an invalid trait sidecar, a trait that throws', () => {
    expectProblem(build(new ScriptedTrait('side', { needs: { sidecars: [{ name: 'proxy', image: 'not an image' }] } })), {
      path: 'acme/shop/api', value: "a trait's sidecar in 'development': sidecar 'proxy' image 'not an image' is not a valid image reference", fix: /registry\/repository:tag/, at: 'synth',
    });
    expectProblem(build(new ScriptedTrait('thrower', { throws: 'needs' })), {
      path: 'acme/shop/api', value: "trait 'thrower' failed in needs() in 'development': boom in needs", fix: /must return data, not throw/, at: 'synth',
    });
  });

  test('built-in trait options and trait objects are checked', () => {
    expectProblem(() => Traits.databaseProxy({ database: 'orders-db', image: PROXY, port: 5432 }), {
      path: 'Traits.databaseProxy', value: "database 'orders-db' has neither a host nor cidrs", fix: /set host/, at: 'construction',
    });
    expectProblem(() => Traits.databaseProxy({ database: 'db', image: PROXY, host: 'db.example.com', port: 5432, metricsPort: 5432 }), {
      path: 'Traits.databaseProxy', value: 'metricsPort 5432 is also the listenPort', fix: /another port/, at: 'construction',
    });
    expectProblem(() => Traits.podAnnotations({ 'openchoreo.dev/x': 'y' }), {
      path: 'Traits.podAnnotations', value: "annotation key 'openchoreo.dev/x' is reserved", fix: /karpenter.sh/, at: 'construction',
    });
    expectProblem(app => new Service(baseline(app).project, 'api', { image: IMAGE }).addTrait({ name: 'Bad Name', needs: () => ({}), render: () => ({}) }), {
      path: 'acme/shop/api', value: "trait name 'Bad Name'", fix: /use a name such as/, at: 'construction',
    });
  });
});
