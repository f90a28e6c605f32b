import { ExportedObject, meta, orgDir } from './infra';
import { API_VERSION, TRAITS, componentTypeName, componentTypeSpec, egressPolicyTemplate } from './types';
import type { Component } from '../../model/component';
import type { ComponentType } from '../../model/component-type';
import type { Organization } from '../../model/organization';
import type { ITrait } from '../../model/trait';
import { DatabaseProxyTrait, PodAnnotationsTrait } from '../../model/traits';

/*
 * The model's platform standards as OpenChoreo CRs: a ComponentType of the model becomes a
 * namespaced ComponentType built on the zero-trust ClusterComponentType of its kind (its defaults
 * as schema defaults where the schema has a field), and the built-in traits (Traits.databaseProxy,
 * Traits.podAnnotations) become ClusterTraits with the trait's options as parameters. Custom ITrait
 * classes and addPatch patches are code: NOT-EXPRESSIBLE.md lists them.
 */

/** The ClusterTraits of the built-in model traits. @internal */
export const BUILT_IN_TRAITS = { databaseProxy: 'database-proxy', podAnnotations: 'pod-annotations' } as const;

/** A `traits[]` entry of a Component or ComponentType. @internal */
export interface TraitInstance {
  readonly kind: 'ClusterTrait';
  readonly name: string;
  readonly instanceName: string;
  readonly parameters: Record<string, unknown>;
}

const defined = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

/** The ClusterTrait instance of a built-in model trait; undefined for a custom ITrait (code, not expressible). @internal */
export function traitInstance(t: ITrait): TraitInstance | undefined {
  if (t instanceof PodAnnotationsTrait) {
    return { kind: 'ClusterTrait', name: BUILT_IN_TRAITS.podAnnotations, instanceName: t.name, parameters: { annotations: t._annotations } };
  }
  if (t instanceof DatabaseProxyTrait) {
    const o = t._options;
    const resources = o.resources ? defined({ ...o.resources }) : undefined;
    return {
      kind: 'ClusterTrait',
      name: BUILT_IN_TRAITS.databaseProxy,
      instanceName: t.name,
      parameters: defined({
        database: o.database,
        image: o.image,
        host: o.host,
        cidrs: o.cidrs,
        port: o.port,
        listenPort: o.listenPort,
        metricsPort: o.metricsPort,
        args: o.args,
        resources,
      }),
    };
  }
  return undefined;
}

/** The component's own built-in traits as instances, sorted by instance name. @internal */
export function ownTraitInstances(c: Component): TraitInstance[] {
  return c._traits.map(traitInstance).filter((t): t is TraitInstance => t !== undefined).sort((a, b) => (a.instanceName < b.instanceName ? -1 : 1));
}

/** `Component.spec.componentType`: the model's type as a namespaced ComponentType, else the zero-trust ClusterComponentType. @internal */
export function componentTypeRef(c: Component): { kind: string; name: string } {
  const base = componentTypeName(c.kind);
  if (!c.componentType) return { kind: 'ClusterComponentType', name: base };
  return { kind: 'ComponentType', name: `${base.split('/')[0]}/${c.componentType.name}` };
}

const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x));

/** The spec of the namespaced ComponentType of a model ComponentType. @internal */
export function modelComponentTypeSpec(type: ComponentType, org: Organization): Record<string, any> {
  const spec = clone(componentTypeSpec(type.kind)) as Record<string, any>;
  const d = type._defaults;
  const params = spec.parameters.openAPIV3Schema.properties;
  if (d.scratchPaths !== undefined) params.scratchPaths = { ...params.scratchPaths, default: [...d.scratchPaths] };
  const envs = spec.environmentConfigs.openAPIV3Schema.properties;
  if (d.replicas !== undefined && envs.replicas) envs.replicas = { ...envs.replicas, default: d.replicas };
  const r = d.resources;
  if (r?.cpuRequest && r.cpuLimit && r.memoryRequest && r.memoryLimit) {
    const requests = { cpu: r.cpuRequest, memory: r.memoryRequest };
    envs.resources = { ...envs.resources, default: { requests, limits: { cpu: r.cpuLimit, memory: r.memoryLimit } } };
  }
  const used = org.projects.flatMap(p => p.components).filter(c => c.componentType === type).flatMap(c => ownTraitInstances(c).map(t => t.name));
  const builtIn = Object.values(BUILT_IN_TRAITS).filter(n => type.allowedTraits === undefined || type.allowedTraits.includes(n) || used.includes(n));
  const allowed = [...new Set([...spec.allowedTraits.map((t: { name: string }) => t.name), ...builtIn])].sort();
  spec.allowedTraits = allowed.map(name => ({ kind: 'ClusterTrait', name }));
  const embedded = type._traits.map(traitInstance).filter((t): t is TraitInstance => t !== undefined);
  if (embedded.length > 0) spec.traits = embedded.sort((a, b) => (a.instanceName < b.instanceName ? -1 : 1));
  return spec;
}

/** The namespaced ComponentTypes of the organization's model types that exported components use, by file. @internal */
export function componentTypeObjects(org: Organization, exported: ReadonlySet<Component>): ExportedObject[] {
  return org.componentTypes.filter(t => [...exported].some(c => c.componentType === t))
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .map(t => ({
      file: `${orgDir(org.name)}/platform/component-types/${t.name}.yaml`,
      manifest: {
        apiVersion: API_VERSION,
        kind: 'ComponentType',
        metadata: meta(org.name, t.name, undefined, t.description ? { 'openchoreo.dev/description': t.description } : undefined),
        spec: modelComponentTypeSpec(t, org),
      },
    }));
}

/** The built-in ClusterTraits the organization's exported components and types use. @internal */
export function usedBuiltInTraits(exported: ReadonlySet<Component>): string[] {
  const names = new Set<string>();
  for (const c of exported) {
    for (const t of [...(c.componentType?._traits ?? []), ...c._traits]) {
      const i = traitInstance(t);
      if (i) names.add(i.name);
    }
  }
  return [...names].sort();
}

const str = { type: 'string' };
const port = { type: 'integer', minimum: 1, maximum: 65535 };
const WORKLOADS = [
  { group: 'apps', version: 'v1', kind: 'Deployment', pod: '/spec/template' },
  { group: 'apps', version: 'v1', kind: 'StatefulSet', pod: '/spec/template' },
  { group: 'batch', version: 'v1', kind: 'CronJob', pod: '/spec/jobTemplate/spec/template' },
];
const named = (suffix: string) => ({ name: `\${oc_generate_name(metadata.componentName, trait.instanceName, "${suffix}")}`, namespace: '${metadata.namespace}', labels: '${metadata.labels}' });

/** The spec of a built-in model trait's ClusterTrait. @internal */
export function builtInTraitSpec(name: string): Record<string, unknown> {
  if (name === BUILT_IN_TRAITS.podAnnotations) {
    return {
      parameters: { openAPIV3Schema: { type: 'object', required: ['annotations'], properties: { annotations: { type: 'object', additionalProperties: str } } } },
      patches: WORKLOADS.map(w => ({
        target: { group: w.group, version: w.version, kind: w.kind },
        operations: [{ op: 'add', path: `${w.pod}/metadata/annotations`, value: '${parameters.annotations}' }],
      })),
    };
  }
  if (name === BUILT_IN_TRAITS.databaseProxy) {
    const quantity = { type: 'object', properties: { cpuRequest: str, cpuLimit: str, memoryRequest: str, memoryLimit: str } };
    return {
      parameters: {
        openAPIV3Schema: {
          type: 'object',
          required: ['database', 'image', 'port'],
          properties: {
            database: str,
            image: str,
            host: str,
            cidrs: { type: 'array', items: str },
            port,
            listenPort: { ...port, default: 5432 },
            metricsPort: port,
            args: { type: 'array', items: str },
            resources: { ...quantity, default: { cpuRequest: '50m', cpuLimit: '200m', memoryRequest: '64Mi', memoryLimit: '128Mi' } },
          },
        },
      },
      patches: WORKLOADS.map(w => ({
        target: { group: w.group, version: w.version, kind: w.kind },
        operations: [{
          op: 'add',
          path: `${w.pod}/spec/containers/-`,
          value: {
            name: 'db-proxy',
            image: '${parameters.image}',
            args: '${has(parameters.args) ? parameters.args : oc_omit()}',
            ports: '${[{"name": "db-proxy", "containerPort": parameters.listenPort}] + (has(parameters.metricsPort) ? [{"name": "proxy-metrics", "containerPort": parameters.metricsPort}] : [])}',
            resources: {
              requests: { cpu: '${parameters.resources.cpuRequest}', memory: '${parameters.resources.memoryRequest}' },
              limits: { cpu: '${parameters.resources.cpuLimit}', memory: '${parameters.resources.memoryLimit}' },
            },
            securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
          },
        }],
      })),
      creates: [
        { template: egressPolicyTemplate(named('egress'), 'TCP') },
        {
          includeWhen: '${has(parameters.metricsPort)}',
          template: {
            apiVersion: 'monitoring.coreos.com/v1',
            kind: 'PodMonitor',
            metadata: named('metrics'),
            spec: { selector: { matchLabels: '${metadata.podSelectors}' }, podMetricsEndpoints: [{ port: 'proxy-metrics', path: '/metrics' }] },
          },
        },
      ],
    };
  }
  throw new Error(`internal: no built-in ClusterTrait '${name}'`);
}

/** Whether a ClusterTrait name is one of the export's own (zero-trust) or the built-in model traits'. @internal */
export function isExportedTrait(name: string): boolean {
  return (Object.values(TRAITS) as string[]).includes(name) || (Object.values(BUILT_IN_TRAITS) as string[]).includes(name);
}
