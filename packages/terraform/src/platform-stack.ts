import { Organization } from 'cdk8s-openchoreo';
import { PlatformValidationError } from 'cdk8s-openchoreo/lib/model/errors';
import { synthesizeOrganization } from 'cdk8s-openchoreo/lib/synth';
import { Construct, IConstruct } from 'constructs';
import { KubernetesManifestStack } from './manifest-stack';
import { KubernetesObject } from './object-ids';
import { isCrd } from './tiers';

/** Argo CD's in-cluster address: a data plane with it has no URL of its own for the provider. */
const IN_CLUSTER = 'https://kubernetes.default.svc';

/** Options shared by {@link PlatformStack} and {@link toTerraform}. */
export interface TerraformExportOptions {
  /**
   * The kubeconfig file (provider `config_path`), relative or `~/...`.
   * @default '~/.kube/config'
   */
  readonly kubeconfigPath?: string;
  /**
   * The server-side apply field manager.
   * @default 'cdk8s-openchoreo'
   */
  readonly fieldManager?: string;
  /**
   * Also export the objects added to the organization chart directly (e.g. an `Include` of an
   * operator's CRDs); CustomResourceDefinitions among them go to the `<id>-crds` stack.
   * @default false
   */
  readonly includeExtraObjects?: boolean;
}

/** Props of {@link PlatformStack}. */
export interface PlatformStackProps extends TerraformExportOptions {
  /** The platform: an `Organization`, or a construct holding exactly one (a `PlatformApp`). */
  readonly platform: IConstruct;
  /**
   * The data plane to export (its platform folder and its cells; delivery objects are not exported:
   * Terraform takes the place of Argo CD and Flux).
   * @default - the organization's only data plane
   */
  readonly dataPlane?: string;
  /**
   * The kubeconfig context (provider `config_context`).
   * @default - the data plane's name
   */
  readonly kubeconfigContext?: string;
  /**
   * The local backend's state file, relative to the stack's working directory.
   * @default 'terraform.<id>.tfstate'
   */
  readonly backendPath?: string;
}

/**
 * One data plane of a synthesized platform as a CDKTF stack of `kubernetes_manifest` resources
 * (see {@link KubernetesManifestStack}). The provider uses the kubeconfig context named after the
 * data plane and, when the data plane declares an `apiServer`, that URL as `host`. The
 * CustomResourceDefinitions among the objects, if any, go to a stack `<id>-crds` this one depends on.
 */
export class PlatformStack extends KubernetesManifestStack {
  /** The stack of CustomResourceDefinitions this one depends on, when there are any. */
  public readonly crdStack?: KubernetesManifestStack;
  /** The exported data plane. */
  public readonly dataPlane: string;

  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    const org = organizationOf(props.platform);
    const { dataPlane, apiServer, objects } = dataPlaneObjects(org, props.dataPlane, props.includeExtraObjects ?? false);
    super(scope, id, {
      objects: objects.filter(o => !isCrd(o)),
      kubeconfigPath: props.kubeconfigPath,
      kubeconfigContext: props.kubeconfigContext ?? dataPlane,
      host: apiServer === IN_CLUSTER ? undefined : apiServer,
      fieldManager: props.fieldManager,
      backendPath: props.backendPath,
    });
    this.dataPlane = dataPlane;
    const crds = objects.filter(isCrd);
    if (crds.length > 0) {
      this.crdStack = new KubernetesManifestStack(scope, `${id}-crds`, {
        objects: crds,
        kubeconfigPath: props.kubeconfigPath,
        kubeconfigContext: props.kubeconfigContext ?? dataPlane,
        host: apiServer === IN_CLUSTER ? undefined : apiServer,
        fieldManager: props.fieldManager,
      });
      this.addDependency(this.crdStack);
    }
  }
}

/**
 * Every data plane of every organization in `platform` as a {@link PlatformStack} named
 * `<organization>-<data plane>`, sorted by name.
 */
export function toTerraform(scope: Construct, platform: IConstruct, options: TerraformExportOptions = {}): PlatformStack[] {
  const stacks: PlatformStack[] = [];
  for (const org of organizationsIn(platform)) {
    for (const dp of synthesizeOrganization(org).plan.dataPlanes.map(d => d.name).sort()) {
      stacks.push(new PlatformStack(scope, `${org.name}-${dp}`, { ...options, platform: org, dataPlane: dp }));
    }
  }
  return stacks;
}

function organizationsIn(platform: IConstruct): Organization[] {
  const found = Organization.isOrganization(platform) ? [platform] : platform.node.findAll().filter(Organization.isOrganization);
  if (found.length === 0) {
    throw new PlatformValidationError([{ path: platform.node.path || '<root>', message: 'holds no Organization', fix: 'pass the Organization, or the app it was declared in' }]);
  }
  return found.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function organizationOf(platform: IConstruct): Organization {
  const found = organizationsIn(platform);
  if (found.length > 1) {
    throw new PlatformValidationError([{
      path: platform.node.path || '<root>',
      message: `holds ${found.length} organizations (${found.map(o => o.name).join(', ')}); a PlatformStack exports one`,
      fix: 'pass one Organization as platform, or call toTerraform(scope, platform) for a stack per organization and data plane',
    }]);
  }
  return found[0];
}

function dataPlaneObjects(
  org: Organization, requested: string | undefined, extra: boolean,
): { dataPlane: string; apiServer: string; objects: KubernetesObject[] } {
  const synthesized = synthesizeOrganization(org);
  const planes = synthesized.plan.dataPlanes;
  const names = planes.map(d => d.name).sort();
  if (requested === undefined && planes.length !== 1) {
    throw new PlatformValidationError([{
      path: org.node.path,
      message: planes.length === 0 ? 'has no data plane to export' : `has ${planes.length} data planes (${names.join(', ')}) and no dataPlane was given`,
      fix: planes.length === 0 ? 'declare a DataPlane with environments on it' : `set dataPlane to one of ${names.map(n => `'${n}'`).join(', ')}, or call toTerraform(scope, platform) for a stack per data plane`,
    }]);
  }
  const plane = requested === undefined ? planes[0] : planes.find(d => d.name === requested);
  if (!plane) {
    throw new PlatformValidationError([{
      path: org.node.path,
      message: `has no data plane '${requested}'`,
      fix: `set dataPlane to one of ${names.map(n => `'${n}'`).join(', ')}`,
    }]);
  }
  const objects = synthesized.dataPlaneObjects.filter(o => o.dir.split('/')[0] === plane.name).map(o => o.manifest as KubernetesObject);
  return { dataPlane: plane.name, apiServer: plane.apiServer, objects: extra ? [...objects, ...org._extraObjects()] : objects };
}
