import { ExportedObject, meta, orgDir } from './infra';
import { API_VERSION } from './types';
import type { Component } from '../../model/component';
import type { Project } from '../../model/project';
import { Resource, RESOURCE_ENV_SUFFIXES, resourcesOf } from '../../model/resource';
import { PostgresProps, PostgresResourceType } from '../../model/resource-postgres';
import { envVarStem } from '../../resolve/dependencies';

/*
 * Managed resources as OpenChoreo v1.2.3 Resources: a PostgreSQL resource becomes a Resource of
 * the ClusterResourceType `cloudnative-pg-postgres` (shipped in platform-shared/resource-types/),
 * its base settings as parameters; consumers bind its outputs (host, port, database, username,
 * password) through `Workload.spec.dependencies.resources` to the same env vars dependOnResource
 * injects. Per-environment settings, backups, poolers and external resources have no counterpart.
 */

/** The ClusterResourceType of the model's PostgreSQL resources. @internal */
export const POSTGRES_RESOURCE_TYPE = 'cloudnative-pg-postgres';

/** The PostgresProps carried as Resource parameters (the rest is listed as not expressible). @internal */
export const POSTGRES_PARAMETERS = ['cpu', 'database', 'instances', 'memory', 'owner', 'storageClass', 'storageSize', 'version'] as const;

/** The resource outputs and the env var suffixes dependOnResource gives them. @internal */
export const RESOURCE_OUTPUTS: ReadonlyArray<readonly [string, string]> = Object.entries(RESOURCE_ENV_SUFFIXES).sort(([a], [b]) => (a < b ? -1 : 1));

/** Whether a resource is exported (a PostgreSQL resource). @internal */
export const isExportedResource = (r: Resource) => r.type instanceof PostgresResourceType;

/** `Resource.spec.parameters` of a PostgreSQL resource. @internal */
export function postgresParameters(props: PostgresProps): Record<string, unknown> {
  const p = props as unknown as Record<string, unknown>;
  return Object.fromEntries(POSTGRES_PARAMETERS.filter(k => p[k] !== undefined).map(k => [k, p[k]]));
}

/** The Resource CRs of a project's exported resources. @internal */
export function resourceObjects(org: string, project: Project): ExportedObject[] {
  return resourcesOf(project).filter(isExportedResource).map(r => {
    const parameters = postgresParameters((r.type as PostgresResourceType)._props);
    return {
      file: `${orgDir(org)}/projects/${project.name}/resources/${r.name}.yaml`,
      manifest: {
        apiVersion: API_VERSION,
        kind: 'Resource',
        metadata: meta(org, r.name, { 'openchoreo.dev/project': project.name }),
        spec: {
          owner: { projectName: project.name },
          type: { kind: 'ClusterResourceType', name: POSTGRES_RESOURCE_TYPE },
          ...(Object.keys(parameters).length > 0 ? { parameters } : {}),
        },
      },
    };
  });
}

/** `Workload.spec.dependencies.resources`: the component's exported resource dependencies, by resource name. @internal */
export function workloadResourceDependencies(component: Component): Array<{ ref: string; envBindings: Record<string, string> }> {
  return component._resourceDependencies.filter(d => isExportedResource(d.resource))
    .map(d => {
      const prefix = d.options.envPrefix ?? envVarStem(d.resource.name);
      return { ref: d.resource.name, envBindings: Object.fromEntries(RESOURCE_OUTPUTS.map(([output, suffix]) => [output, `${prefix}_${suffix}`])) };
    })
    .sort((a, b) => (a.ref < b.ref ? -1 : 1));
}

const str = { type: 'string' };
const META = { name: '${metadata.name}', namespace: '${metadata.namespace}', labels: '${metadata.labels}' };

/** The spec of the ClusterResourceType `cloudnative-pg-postgres`. @internal */
export function postgresResourceTypeSpec(): Record<string, unknown> {
  return {
    parameters: {
      openAPIV3Schema: {
        type: 'object',
        properties: {
          database: str,
          owner: str,
          version: { type: 'string', default: '16' },
          instances: { type: 'integer', minimum: 1, default: 1 },
          storageSize: { type: 'string', default: '10Gi' },
          storageClass: str,
          cpu: str,
          memory: str,
        },
      },
    },
    resources: [{
      id: 'cluster',
      readyWhen: '${resource.status.readyInstances == resource.spec.instances}',
      template: {
        apiVersion: 'postgresql.cnpg.io/v1',
        kind: 'Cluster',
        metadata: META,
        spec: {
          instances: '${parameters.instances}',
          imageName: '${"ghcr.io/cloudnative-pg/postgresql:" + parameters.version}',
          storage: { size: '${parameters.storageSize}', storageClass: '${has(parameters.storageClass) ? parameters.storageClass : oc_omit()}' },
          bootstrap: { initdb: { database: '${has(parameters.database) ? parameters.database : metadata.resourceName}', owner: '${has(parameters.owner) ? parameters.owner : "app"}' } },
          resources: '${has(parameters.cpu) || has(parameters.memory) ? {"requests": {"cpu": parameters.cpu, "memory": parameters.memory}} : oc_omit()}',
        },
      },
    }],
    outputs: [
      { name: 'host', value: '${metadata.name + "-rw." + metadata.namespace + ".svc.cluster.local"}' },
      { name: 'port', value: '5432' },
      { name: 'database', value: '${has(parameters.database) ? parameters.database : metadata.resourceName}' },
      { name: 'username', secretKeyRef: { name: '${metadata.name + "-app"}', key: 'username' } },
      { name: 'password', secretKeyRef: { name: '${metadata.name + "-app"}', key: 'password' } },
    ],
  };
}

/** The ClusterResourceType object, when the organization exports a PostgreSQL resource. @internal */
export function resourceTypeObjects(projects: readonly Project[]): ExportedObject[] {
  if (!projects.some(p => resourcesOf(p).some(isExportedResource))) return [];
  return [{
    file: `platform-shared/resource-types/${POSTGRES_RESOURCE_TYPE}.yaml`,
    manifest: { apiVersion: API_VERSION, kind: 'ClusterResourceType', metadata: { name: POSTGRES_RESOURCE_TYPE }, spec: postgresResourceTypeSpec() },
  }];
}
