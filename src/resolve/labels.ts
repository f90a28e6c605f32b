/** OpenChoreo's label keys (reference §5.2). @internal */
export const Labels = {
  NAMESPACE: 'openchoreo.dev/namespace',
  PROJECT: 'openchoreo.dev/project',
  COMPONENT: 'openchoreo.dev/component',
  ENVIRONMENT: 'openchoreo.dev/environment',
  COMPONENT_UID: 'openchoreo.dev/component-uid',
  ENVIRONMENT_UID: 'openchoreo.dev/environment-uid',
  PROJECT_UID: 'openchoreo.dev/project-uid',
  DATAPLANE: 'openchoreo.dev/dataplane',
  WORKFLOW_PLANE: 'openchoreo.dev/workflow-plane',
  WORKFLOW_TYPE: 'openchoreo.dev/workflow-type',
  COMPONENT_TYPE: 'openchoreo.dev/component-type',
  ENDPOINT_NAME: 'openchoreo.dev/endpoint-name',
  ENDPOINT_VISIBILITY: 'openchoreo.dev/endpoint-visibility',
  RESOURCE: 'openchoreo.dev/resource',
  RESOURCE_UID: 'openchoreo.dev/resource-uid',
  MANAGED_BY: 'app.kubernetes.io/managed-by',
} as const;

/** Annotation keys. @internal */
export const Annotations = {
  DISPLAY_NAME: 'openchoreo.dev/display-name',
  RESOURCE_HASH: 'openchoreo.dev/dp-resource-hash',
  ENDPOINT_BASE_PATH: 'openchoreo.dev/endpoint-base-path',
  SECURITY_EXCEPTION_PREFIX: 'security.openchoreo.dev/exception-',
  POD_SECURITY_RELAXED_BY: 'security.openchoreo.dev/pod-security-relaxed-by',
  POD_SECURITY_REASON: 'security.openchoreo.dev/pod-security-reason',
} as const;

/** The value of app.kubernetes.io/managed-by on everything we emit. @internal */
export const MANAGED_BY = 'cdk8s-openchoreo';

/** A Pod Security Standards level. @internal */
export type PodSecurityLevel = 'restricted' | 'baseline' | 'privileged';

/** Pod Security Admission labels for a namespace: `enforce` as given, audit and warn at restricted. @internal */
export function podSecurityLabels(enforce: PodSecurityLevel): Record<string, string> {
  return {
    'pod-security.kubernetes.io/audit': 'restricted',
    'pod-security.kubernetes.io/audit-version': 'v1.28',
    'pod-security.kubernetes.io/enforce': enforce,
    'pod-security.kubernetes.io/enforce-version': 'v1.28',
    'pod-security.kubernetes.io/warn': 'restricted',
    'pod-security.kubernetes.io/warn-version': 'v1.28',
  };
}
