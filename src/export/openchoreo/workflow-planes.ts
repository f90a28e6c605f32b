import { ExportedObject, clusterAgent, meta, orgDir } from './infra';
import { API_VERSION } from './types';
import { BuildPlane } from '../../model/build';
import { Organization } from '../../model/organization';

/** The Secret (in the control plane's namespace) a WorkflowPlane's cluster agent client CA is read from: `<build plane>-workflow-plane-cluster-agent-ca`, key `ca.crt` (apart from a data plane's of the same name). @internal */
export const workflowPlaneCaSecret = (buildPlane: string) => `${buildPlane}-workflow-plane-cluster-agent-ca`;

/**
 * One WorkflowPlane per BuildPlane, in `platform/infra/workflow-planes/`: the plane ID is the build
 * plane's name, the secret store is that of the data plane the builds run on.
 * @internal
 */
export function workflowPlanes(org: Organization): ExportedObject[] {
  return [...org.buildPlanes].sort((a, b) => (a.name < b.name ? -1 : 1)).map(bp => ({
    file: `${orgDir(org.name)}/platform/infra/workflow-planes/${bp.name}.yaml`,
    manifest: {
      apiVersion: API_VERSION,
      kind: 'WorkflowPlane',
      metadata: meta(org.name, bp.name, { 'openchoreo.dev/name': bp.name }),
      spec: {
        planeID: bp.name,
        clusterAgent: clusterAgent(workflowPlaneCaSecret(bp.name)),
        secretStoreRef: { name: bp.dataPlane.secretStore },
      },
    },
  }));
}

const BUILD_TEMPLATES = 'OpenChoreo\'s ClusterWorkflows (paketo-buildpacks-builder, dockerfile-builder) run their own Argo templates: the WorkflowPlane has no field for it';

/** What a BuildPlane renders that its WorkflowPlane cannot carry. @internal */
export function buildPlaneItems(bp: BuildPlane, add: (path: string, feature: string, reason: string) => void): void {
  const path = bp.node.path;
  add(path, 'cluster agent client CA', `no counterpart in the model: WorkflowPlane.spec.clusterAgent.clientCA reads Secret '${workflowPlaneCaSecret(bp.name)}' (key ca.crt), which the operator creates`);
  add(path, 'build placement', `components name a ClusterWorkflow, which runs on a ClusterWorkflowPlane (default 'default'), never on a namespaced WorkflowPlane; a Component names no plane: install OpenChoreo's workflow plane as ClusterWorkflowPlane 'default' on data plane '${bp.dataPlane.name}', or the builds run elsewhere`);
  add(path, 'builder confinement, resources, workspace, timeout, registry cache and images', BUILD_TEMPLATES);
  add(path, 'build network policy (egress only to the Git hosts, the registry, allowedHosts and the API server)', `${BUILD_TEMPLATES}; OpenChoreo's workflow plane chart decides the builds' egress`);
  add(path, `registry${bp.gitCredentials ? ', registry credentials and default git credentials' : ' and registry credentials'}`, `${BUILD_TEMPLATES}; the registry and its push secret are set in OpenChoreo's workflow plane installation`);
}
