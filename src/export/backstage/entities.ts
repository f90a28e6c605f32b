import { apiEntityName, catalogName } from './names';
import type { CatalogLink } from './resources';
import { Component } from '../../model/component';
import { ComponentKind } from '../../model/component-kind';
import { Endpoint, EndpointType } from '../../model/endpoint';
import { Labels } from '../../resolve/labels';

/** The apiVersion of every entity the export writes. @internal */
export const CATALOG_API_VERSION = 'backstage.io/v1alpha1';

/** Backstage `spec.type` of a Component per component kind. @internal */
export const COMPONENT_TYPES: { readonly [kind in ComponentKind]: string } = {
  [ComponentKind.SERVICE]: 'service',
  [ComponentKind.WEB_APPLICATION]: 'website',
  [ComponentKind.WORKER]: 'worker',
  [ComponentKind.SCHEDULED_TASK]: 'scheduled-task',
  [ComponentKind.STATEFUL_SERVICE]: 'stateful-service',
};

/** Backstage API `spec.type` per endpoint type; TCP and UDP endpoints get no API entity. @internal */
export const API_TYPES: { readonly [type in EndpointType]?: string } = {
  [EndpointType.HTTP]: 'openapi',
  [EndpointType.GRAPHQL]: 'graphql',
  [EndpointType.GRPC]: 'grpc',
  [EndpointType.WEBSOCKET]: 'asyncapi',
};

/** The API `definition` until the model carries API schemas (as OpenChoreo's catalog module writes it). @internal */
export const NO_DEFINITION = 'No schema available';

/** The API entity name of an endpoint that has one (HTTP, GraphQL, gRPC, Websocket). @internal */
export function apiNameOf(endpoint: Endpoint): string | undefined {
  if (API_TYPES[endpoint.type] === undefined) return undefined;
  return apiEntityName(endpoint.component.project.name, endpoint.component.name, endpoint.name);
}

/** The Kubernetes plugin's label selector of a component: the three openchoreo.dev labels every object of it carries. @internal */
export function kubernetesLabelSelector(org: string, project: string, component: string): string {
  return `${Labels.NAMESPACE}=${org},${Labels.PROJECT}=${project},${Labels.COMPONENT}=${component}`;
}

/** What a Component entity needs beyond the model. @internal */
export interface ComponentFacts {
  readonly owner: string;
  readonly lifecycle: string;
  readonly links: CatalogLink[];
  /** `<org>/<api>` refs, sorted, deduplicated. */
  readonly consumesApis: string[];
  /** `component:` and `resource:` refs, sorted, deduplicated. */
  readonly dependsOn: string[];
}

/** The Component entity of a component. @internal */
export function componentEntity(org: string, c: Component, facts: ComponentFacts): any {
  const project = c.project.name;
  const providesApis = c.endpoints.flatMap(e => apiNameOf(e) ?? []).map(n => `${org}/${n}`);
  return {
    apiVersion: CATALOG_API_VERSION,
    kind: 'Component',
    metadata: {
      name: catalogName(c.name),
      namespace: org,
      ...(c.displayName ? { title: c.displayName } : {}),
      annotations: {
        'openchoreo.io/namespace': org,
        'openchoreo.io/project': project,
        'openchoreo.io/component': c.name,
        'openchoreo.io/component-type': c.kind,
        'backstage.io/kubernetes-label-selector': kubernetesLabelSelector(org, project, c.name),
      },
      ...(facts.links.length > 0 ? { links: facts.links } : {}),
    },
    spec: {
      type: COMPONENT_TYPES[c.kind],
      lifecycle: facts.lifecycle,
      owner: facts.owner,
      system: `${org}/${catalogName(project)}`,
      ...(providesApis.length > 0 ? { providesApis } : {}),
      ...(facts.consumesApis.length > 0 ? { consumesApis: facts.consumesApis } : {}),
      ...(facts.dependsOn.length > 0 ? { dependsOn: facts.dependsOn } : {}),
    },
  };
}

/** The API entity of an endpoint (HTTP, GraphQL, gRPC, Websocket). @internal */
export function apiEntity(org: string, e: Endpoint, owner: string, lifecycle: string): any {
  const c = e.component;
  return {
    apiVersion: CATALOG_API_VERSION,
    kind: 'API',
    metadata: {
      name: apiNameOf(e),
      namespace: org,
      title: `${c.name} ${e.name} API`,
      annotations: {
        'openchoreo.io/namespace': org,
        'openchoreo.io/project': c.project.name,
        'openchoreo.io/component': c.name,
        'openchoreo.io/endpoint-name': e.name,
        'openchoreo.io/endpoint-type': e.type,
        'openchoreo.io/endpoint-port': String(e.port),
        'openchoreo.io/endpoint-visibility': e.visibility.join(','),
      },
    },
    spec: {
      type: API_TYPES[e.type],
      lifecycle,
      owner,
      system: `${org}/${catalogName(c.project.name)}`,
      definition: NO_DEFINITION,
    },
  };
}

/** A Group entity for a full group ref; `identityGroup` is the identity-provider group it stands for. @internal */
export function groupEntity(ref: string, identityGroup: string | undefined): any {
  const [, namespace, name] = /^group:([^/]+)\/(.+)$/.exec(ref)!;
  const renamed = identityGroup !== undefined && identityGroup !== name;
  return {
    apiVersion: CATALOG_API_VERSION,
    kind: 'Group',
    metadata: {
      name,
      namespace,
      ...(renamed ? { title: identityGroup } : {}),
      ...(identityGroup !== undefined ? { annotations: { 'openchoreo.io/identity-group': identityGroup } } : {}),
    },
    spec: { type: 'team', children: [] },
  };
}
