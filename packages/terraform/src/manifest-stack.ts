import * as path from 'path';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { PlatformValidationError } from 'cdk8s-openchoreo/lib/model/errors';
import { DefaultTokenResolver, LocalBackend, StringConcat, TerraformElement, TerraformStack, Tokenization } from 'cdktf';
import { Construct } from 'constructs';
import { escapeTemplates } from './escape';
import { ISplicingStack, useSplicingSynthesizer, withoutStackTraces } from './fast-synthesis';
import { assignResourceIds, describeObject, KubernetesObject } from './object-ids';
import { definedKind, dependenciesOf, isCrd, kindKey, Tier, tierOf } from './tiers';

/** How Terraform's Kubernetes provider reaches the cluster. No credentials: they stay in the kubeconfig. */
export interface KubernetesProviderSettings {
  /**
   * The kubeconfig file (provider `config_path`), relative or `~/...`: an absolute path of this
   * machine would make the configuration machine-dependent.
   * @default '~/.kube/config'
   * @see https://registry.terraform.io/providers/hashicorp/kubernetes/2.38.0/docs#config_path
   */
  readonly kubeconfigPath?: string;
  /**
   * The kubeconfig context (provider `config_context`).
   * @default - the kubeconfig's current context
   */
  readonly kubeconfigContext?: string;
  /**
   * The API server URL (provider `host`), overriding the context's.
   * @default - the context's server
   */
  readonly host?: string;
}

/** Props of {@link KubernetesManifestStack}. */
export interface KubernetesManifestStackProps extends KubernetesProviderSettings {
  /** The Kubernetes objects, one `kubernetes_manifest` each. */
  readonly objects: readonly unknown[];
  /**
   * The server-side apply field manager.
   * @default 'cdk8s-openchoreo'
   */
  readonly fieldManager?: string;
  /**
   * The local backend's state file, relative to the stack's working directory.
   * @default 'terraform.<stack id>.tfstate'
   */
  readonly backendPath?: string;
}

/** The placeholder a resource's `manifest` holds until the configuration is written. */
const PLACEHOLDER_KEY = '//cdk8s-openchoreo-object';

interface Entry {
  readonly id: string;
  readonly object: KubernetesObject;
  readonly tier: Tier;
  readonly dependsOn: readonly string[];
  readonly resource: Manifest;
}

/**
 * A CDKTF stack of `kubernetes_manifest` resources, one per object, with `depends_on` in tiers
 * (Namespaces, then cluster-scoped objects, then namespaced ones; a RoleBinding after its Role; a
 * Gateway after its GatewayClass), `${`/`%{` escaped in every string, a local backend with a
 * relative path and the provider configured from the props. Resource names are
 * `<group|core>_<Kind>_<namespace|_cluster>_<name>`; resources are declared in tier order, then by name.
 *
 * CustomResourceDefinitions may share a stack only with other CRDs: a CRD and the objects of its
 * kind cannot be planned together (the provider reads the CRD's schema at plan time).
 * @see https://registry.terraform.io/providers/hashicorp/kubernetes/2.38.0/docs/resources/manifest
 */
export class KubernetesManifestStack extends TerraformStack implements ISplicingStack {
  /** The resources by resource name, in declaration order (tier, then name). */
  public readonly resources: ReadonlyMap<string, Manifest>;
  /** The provider. */
  public readonly provider: KubernetesProvider;
  private readonly entries: readonly Entry[];
  private readonly byId: ReadonlyMap<string, Entry>;
  private skeletonOnly = false;
  private lastSkeleton?: any;

  constructor(scope: Construct, id: string, props: KubernetesManifestStackProps) {
    super(scope, id);
    const where = this.node.path;
    const backendPath = props.backendPath ?? `terraform.${id}.tfstate`;
    const kubeconfigPath = props.kubeconfigPath ?? '~/.kube/config';
    refuseAbsolute(where, 'backendPath', backendPath, 'a path relative to the stack\'s working directory (cdktf.out/stacks/<id>/), e.g. \'terraform.<id>.tfstate\'');
    refuseAbsolute(where, 'kubeconfigPath', kubeconfigPath, 'a relative path or one starting with ~/, or leave it unset and set KUBE_CONFIG_PATH when running terraform');
    new LocalBackend(this, { path: backendPath });
    this.provider = new KubernetesProvider(this, 'kubernetes', {
      configPath: kubeconfigPath,
      configContext: props.kubeconfigContext,
      host: props.host,
    });
    // `source = "kubernetes"` resolves to hashicorp/kubernetes already; say so explicitly.
    this.addOverride('terraform.required_providers.kubernetes.source', 'hashicorp/kubernetes');

    const assigned = assignResourceIds(props.objects, where);
    refuseCrdsWithTheirObjects(where, assigned.map(a => a.object));
    const dependencies = dependenciesOf(assigned);
    const sorted = assigned
      .map(a => ({ ...a, tier: tierOf(a.object) }))
      .sort((a, b) => a.tier - b.tier || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const fieldManager = props.fieldManager ?? 'cdk8s-openchoreo';
    this.entries = withoutStackTraces(() => sorted.map(({ id: rid, object, tier }) => {
      const dependsOn = dependencies.get(rid) ?? [];
      // References by name (no resource token to resolve; an addOverride per resource would make
      // cdktf's metadata merge quadratic: 61 s at 25,000 resources).
      const resource = new Manifest(this, rid, {
        manifest: { [PLACEHOLDER_KEY]: rid },
        fieldManager: { name: fieldManager },
        dependsOn: dependsOn.length > 0 ? dependsOn.map(d => ({ fqn: `kubernetes_manifest.${d}` })) : undefined,
      });
      resource.overrideLogicalId(rid);
      return { id: rid, object, tier, dependsOn, resource };
    }));
    this.byId = new Map(this.entries.map(e => [e.id, e]));
    this.resources = new Map(this.entries.map(e => [e.id, e.resource]));
    useSplicingSynthesizer(this);
  }

  /** The object a resource applies (unescaped). */
  public objectOf(resourceId: string): KubernetesObject | undefined {
    return this.byId.get(resourceId)?.object;
  }

  /** The resource names each resource depends on (`depends_on`), and its tier. */
  public get graph(): ReadonlyArray<{ readonly id: string; readonly tier: Tier; readonly dependsOn: readonly string[] }> {
    return this.entries.map(({ id, tier, dependsOn }) => ({ id, tier, dependsOn }));
  }

  /**
   * cdktf's preparing resolve run, which finds cross-stack references, minus this stack's own
   * manifest resources: they reference nothing but resources of this stack, by name.
   */
  public prepareStack(): void {
    this.ensureBackendExists();
    const own = new Set<unknown>(this.resources.values());
    const resolver = new DefaultTokenResolver(new StringConcat());
    for (const c of this.node.findAll()) {
      if (TerraformElement.isTerraformElement(c) && !own.has(c)) Tokenization.resolve(c.toTerraform(), { scope: this, preparing: true, resolver });
    }
  }

  /** The configuration, manifests included (cdktf's `Testing.synth` and the synthesizer read it). */
  public toTerraform(): any {
    const tf = super.toTerraform();
    if (this.skeletonOnly) {
      // cdktf's synthesizer writes this (an empty configuration) before the full one replaces it.
      this.lastSkeleton = tf;
      return {};
    }
    this.splice(tf);
    return tf;
  }

  /** @internal */
  public withSkeleton(f: () => void): any {
    this.skeletonOnly = true;
    this.lastSkeleton = undefined;
    try {
      f();
      return this.lastSkeleton;
    } finally {
      this.skeletonOnly = false;
      this.lastSkeleton = undefined;
    }
  }

  /** @internal */
  public splice(tf: any): void {
    const blocks = tf.resource?.kubernetes_manifest ?? {};
    for (const e of this.entries) {
      const block = blocks[e.id];
      // A manifest changed with addOverride() stays as it was set.
      if (block?.manifest && Object.keys(block.manifest).length === 1 && block.manifest[PLACEHOLDER_KEY] === e.id) {
        block.manifest = escapeTemplates(e.object);
      }
    }
  }
}

function refuseAbsolute(where: string, prop: string, value: string, fix: string): void {
  if (path.isAbsolute(value) || /^[A-Za-z]:[\\/]/.test(value)) {
    throw new PlatformValidationError([{ path: where, message: `${prop} '${value}' is an absolute path of this machine, which would make cdk.tf.json machine-dependent`, fix: `use ${fix}` }]);
  }
}

function refuseCrdsWithTheirObjects(where: string, objects: readonly KubernetesObject[]): void {
  const crds = new Map(objects.filter(isCrd).map(o => [definedKind(o), o]));
  const clash = objects.find(o => !isCrd(o) && crds.has(kindKey(o)));
  if (clash) {
    throw new PlatformValidationError([{
      path: where,
      message: `${describeObject(clash)} shares the stack with ${describeObject(crds.get(kindKey(clash))!)}, the CRD of its kind; the provider cannot plan an object whose CRD is not installed yet`,
      fix: 'put the CustomResourceDefinitions in a stack of their own and make this stack depend on it (PlatformStack does so: <id>-crds)',
    }]);
  }
}
