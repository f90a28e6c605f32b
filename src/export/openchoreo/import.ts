import { Duration } from 'cdk8s';
import { ComponentSources, ImportedComponent, ImportedEnvironment, SecretSource, readComponent } from './import-components';
import { ImportProblems, ReadDocument, checkKnownKeys, namespaceFolder, readDocuments, requireString } from './import-read';
import { ImportedResource, readResource } from './import-standards';
import { defined } from './infra';
import { PROJECT_TYPE } from './types';
import { Builder } from '../../model/builder';
import { Component, DeployableComponentProps } from '../../model/component';
import { ComponentKind } from '../../model/component-kind';
import { ScheduledTask, Service, WebApplication, Worker } from '../../model/component-kinds';
import { ExternalProtocol, ExternalService } from '../../model/external-service';
import { ConcurrencyPolicy, DisruptionBudget, EnvironmentOverrides } from '../../model/options';
import { Organization } from '../../model/organization';
import { Project } from '../../model/project';
import { Resource } from '../../model/resource';
import { ResourceType } from '../../model/resource-type';
import { SecretRef } from '../../model/secrets';
import { StatefulService } from '../../model/stateful-service';
import { envVarStem } from '../../resolve/dependencies';

/** What {@link OpenChoreoImport.fromDirectory} declared. */
export interface OpenChoreoImportResult {
  /** The projects created, sorted by name. */
  readonly projects: Project[];
  /** The components created, sorted by project and name. */
  readonly components: Component[];
}

const PROJECT_TYPES = ['default', PROJECT_TYPE];

/**
 * Migration from OpenChoreo: reads the Project, ProjectReleaseBinding, Component, Workload,
 * ReleaseBinding, ComponentRelease, SecretReference and Resource CRs (v1.2) of an OpenChoreo
 * mono-repo and declares the same projects, components and PostgreSQL resources in an organization.
 */
export class OpenChoreoImport {
  /**
   * Declares in `org` the projects and components of the mono-repo at `dir` (the folder holding
   * `namespaces/<namespace>/projects/`, e.g. an `exports/openchoreo/` folder this library wrote).
   * The organization must already declare the deployment pipelines and environments the CRs name
   * (and a BuildPlane for components built from source). Components get their container, endpoints,
   * dependencies (by name, with the env vars they bind), secret env vars and files (through the
   * SecretReferences), traits (autoscaler, disruption budget, metrics, external egress, database
   * proxy, pod annotations), resource dependencies (Resources of the cloudnative-pg-postgres
   * ClusterResourceType), their ComponentType (a `{kind: ComponentType}` reference names a
   * ComponentType the organization must declare before the import; its rules apply) and, per
   * environment, the image of the pinned ComponentRelease, replicas, resources, schedule and env
   * values. Anything else fails, with one problem per file and JSON path naming the fix, before
   * anything is declared.
   * @see https://openchoreo.dev/docs/platform-engineer-guide/gitops/overview/
   */
  public static fromDirectory(org: Organization, dir: string): OpenChoreoImportResult {
    const problems = new ImportProblems();
    const ns = namespaceFolder(dir, org.name, problems);
    problems.collector.throwIfAny();
    const docs = readDocuments(dir, ns!, problems);
    const byName = (kind: string) => {
      const map = new Map<string, ReadDocument>();
      for (const d of docs.filter(x => x.kind === kind)) {
        const other = map.get(d.name);
        if (other) problems.add(d, '.metadata.name', `${kind} '${d.name}' is also defined in ${other.file}`, `keep one ${kind} named '${d.name}' (names are unique per namespace)`);
        else map.set(d.name, d);
      }
      return map;
    };
    const projectDocs = byName('Project');
    const components = byName('Component');
    const workloads = byName('Workload');
    const releases = byName('ComponentRelease');
    const secretReferences = byName('SecretReference');
    const bindings = byName('ReleaseBinding');
    byName('ProjectReleaseBinding');
    const resources = [...byName('Resource').values()].map(r => readResource(r, new Set(projectDocs.keys()), problems)).filter((r): r is ImportedResource => r !== undefined);
    const environments = org.environments.map(e => e.name).sort();

    const projects = [...projectDocs.values()].map(p => readProject(org, p, problems));
    for (const prb of docs.filter(d => d.kind === 'ProjectReleaseBinding')) {
      const env = requireString(prb, '.spec.environment', problems, 'name the environment');
      if (env !== undefined && !environments.includes(env)) {
        problems.add(prb, '.spec.environment', `names environment '${env}', which the organization does not declare (it has ${environments.join(', ')})`, `declare Environment '${env}' in the organization before the import`);
      }
    }
    const imported: ImportedComponent[] = [];
    for (const c of [...components.values()].sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const sources: ComponentSources = {
        component: c,
        workload: workloads.get(c.name),
        bindings: [...bindings.values()].filter(b => b.doc.spec?.owner?.componentName === c.name),
        releases: new Map([...releases.entries()].filter(([, r]) => r.doc.spec?.owner?.componentName === c.name)),
        secretReferences,
        environments,
        componentTypes: org.componentTypes,
      };
      const read = readComponent(sources, new Set(projectDocs.keys()), problems);
      if (read) imported.push(read);
      for (const [i, d] of (read?.resourceDependencies ?? []).entries()) {
        if (!resources.some(r => r.name === d.resource && r.project === read!.project)) {
          problems.add(workloads.get(c.name)!, `.spec.dependencies.resources[${i}].ref`, `names Resource ${JSON.stringify(d.resource)}, which project '${read!.project}' does not have in the imported directory`,
            `add projects/${read!.project}/resources/${d.resource}.yaml, or remove the dependency`);
        }
      }
    }
    for (const b of bindings.values()) {
      const owner = b.doc.spec?.owner?.componentName;
      if (!components.has(owner)) problems.add(b, '.spec.owner.componentName', `names component ${JSON.stringify(owner)}, which has no component.yaml in the imported directory`, 'add the Component, or remove the binding');
    }
    problems.collector.throwIfAny();
    return declare(org, projects.filter((p): p is ImportedProject => p !== undefined), imported, resources);
  }

  private constructor() {}
}

interface ImportedProject { name: string; pipeline: string; displayName?: string }

function readProject(org: Organization, p: ReadDocument, problems: ImportProblems): ImportedProject | undefined {
  checkKnownKeys(p, '.spec', ['deploymentPipelineRef', 'type', 'parameters'], problems, 'a Project');
  const pipeline = requireString(p, '.spec.deploymentPipelineRef.name', problems, 'name the project\'s DeploymentPipeline');
  if (pipeline !== undefined && !org.pipelines.some(x => x.name === pipeline)) {
    problems.add(p, '.spec.deploymentPipelineRef.name', `names DeploymentPipeline '${pipeline}', which organization '${org.name}' does not declare`,
      `declare new DeploymentPipeline(org, '${pipeline}', ...) before the import`);
  }
  const type = p.doc.spec?.type;
  if (type?.kind !== 'ClusterProjectType' || !PROJECT_TYPES.includes(type?.name)) {
    problems.add(p, '.spec.type', `is ${JSON.stringify(type)}`, `use { kind: ClusterProjectType, name: ${PROJECT_TYPES.join(' | ')} }: the model's projects are cells of that shape`);
  }
  if (org.projects.some(x => x.name === p.name)) {
    problems.add(p, '.metadata.name', `project '${p.name}' already exists in organization '${org.name}'`, 'import into an organization without that project');
  }
  return pipeline === undefined ? undefined : { name: p.name, pipeline, displayName: p.doc.metadata?.annotations?.['openchoreo.dev/display-name'] };
}

const secretRef = (s: SecretSource) => SecretRef.fromStore(s.key, { property: s.property, version: s.version });

function componentProps(c: ImportedComponent, first: ImportedEnvironment | undefined): DeployableComponentProps & Record<string, unknown> {
  const p = c.parameters;
  const props: Record<string, unknown> = {
    ...(c.source ? {} : { image: c.image }),
    ...(c.source ? {
      source: {
        repository: c.source.repository,
        branch: c.source.branch,
        path: c.source.path,
        builder: c.source.dockerfile ? Builder.dockerfile({ dockerfile: c.source.dockerfilePath, context: c.source.context }) : Builder.buildpacks(),
      },
    } : {}),
    ...(c.command ? { command: c.command } : {}),
    ...(c.args ? { args: c.args } : {}),
    ...(Object.keys(c.env).length > 0 ? { env: c.env } : {}),
    ...(Object.keys(c.secretEnv).length > 0 ? { secretEnv: Object.fromEntries(Object.entries(c.secretEnv).map(([k, s]) => [k, secretRef(s)])) } : {}),
    ...(c.files.length > 0 ? {
      files: c.files.map(f => defined({ mountPath: f.mountPath, fileName: f.fileName, content: f.content, secret: f.secret && secretRef(f.secret) })),
    } : {}),
    ...(p.kubernetesApiAccess !== undefined ? { kubernetesApiAccess: p.kubernetesApiAccess } : {}),
    ...(p.scratchPaths !== undefined ? { scratchPaths: p.scratchPaths } : {}),
    ...(c.displayName ? { displayName: c.displayName } : {}),
    ...(c.type ? { type: c.type } : {}),
    ...(c.metrics ? { metrics: { port: c.metrics.port, ...(c.metrics.path ? { path: c.metrics.path } : {}) } } : {}),
  };
  if (c.kind === ComponentKind.SCHEDULED_TASK) {
    Object.assign(props, {
      schedule: first?.schedule ?? '0 0 * * *',
      ...(p.timeZone ? { timeZone: p.timeZone } : {}),
      ...(p.concurrencyPolicy ? { concurrencyPolicy: p.concurrencyPolicy as ConcurrencyPolicy } : {}),
      ...(p.backoffLimit !== undefined ? { backoffLimit: p.backoffLimit } : {}),
      ...(p.activeDeadlineSeconds !== undefined ? { activeDeadline: Duration.seconds(p.activeDeadlineSeconds) } : {}),
    });
  }
  if (c.kind === ComponentKind.STATEFUL_SERVICE) props.volumes = p.volumes ?? [];
  return props as DeployableComponentProps & Record<string, unknown>;
}

function create(project: Project, c: ImportedComponent): Component {
  const props = componentProps(c, c.environments[0]);
  switch (c.kind) {
    case ComponentKind.SERVICE: return new Service(project, c.name, props);
    case ComponentKind.WEB_APPLICATION: return new WebApplication(project, c.name, props);
    case ComponentKind.WORKER: return new Worker(project, c.name, props);
    case ComponentKind.SCHEDULED_TASK: return new ScheduledTask(project, c.name, props as any);
    case ComponentKind.STATEFUL_SERVICE: return new StatefulService(project, c.name, props as any);
  }
}

function overridesOf(c: ImportedComponent, e: ImportedEnvironment): EnvironmentOverrides {
  const budget = e.disruptionBudget;
  const percent = typeof budget?.value === 'string' && budget.value.endsWith('%');
  const amount = budget ? (percent ? Number(String(budget.value).slice(0, -1)) : Number(budget.value)) : 0;
  return {
    ...(e.image !== undefined && (c.source !== undefined || e.image !== c.image) ? { image: e.image } : {}),
    ...(Object.keys(e.env).length > 0 ? { env: e.env } : {}),
    ...(e.resources ? { resources: e.resources } : {}),
    ...(e.autoscaling ? { autoscaling: e.autoscaling } : {}),
    ...(!e.autoscaling && e.replicas !== undefined && c.kind !== ComponentKind.SCHEDULED_TASK ? { replicas: e.replicas } : {}),
    ...(budget ? {
      disruptionBudget: budget.kind === 'maxUnavailable'
        ? (percent ? DisruptionBudget.maxUnavailablePercent(amount) : DisruptionBudget.maxUnavailable(amount))
        : (percent ? DisruptionBudget.minAvailablePercent(amount) : DisruptionBudget.minAvailable(amount)),
    } : {}),
    ...(e.schedule !== undefined ? { schedule: e.schedule } : {}),
    ...(e.suspend !== undefined ? { suspend: e.suspend } : {}),
    ...(e.volumeSizes ? { volumeSizes: e.volumeSizes } : {}),
  };
}

function declare(
  org: Organization, projects: ImportedProject[], imported: ImportedComponent[], resources: ImportedResource[],
): OpenChoreoImportResult {
  const created = new Map<string, Project>();
  for (const p of [...projects].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    created.set(p.name, new Project(org, p.name, { pipeline: org.pipelines.find(x => x.name === p.pipeline)!, displayName: p.displayName }));
  }
  const declared = new Map<string, Resource>();
  for (const r of [...resources].sort((a, b) => (`${a.project}/${a.name}` < `${b.project}/${b.name}` ? -1 : 1))) {
    declared.set(`${r.project}/${r.name}`, new Resource(created.get(r.project)!, r.name, { type: ResourceType.postgres(r.props) }));
  }
  const components: Component[] = [];
  for (const c of imported) {
    const component = create(created.get(c.project)!, c);
    for (const t of c.traits) component.addTrait(t);
    for (const d of c.resourceDependencies) {
      const resource = declared.get(`${c.project}/${d.resource}`)!;
      component.dependOnResource(resource, d.envPrefix === envVarStem(resource.name) ? {} : { envPrefix: d.envPrefix });
    }
    for (const e of c.endpoints) {
      component.addEndpoint(e.name, {
        type: e.type,
        port: e.port,
        ...(e.targetPort !== undefined ? { targetPort: e.targetPort } : {}),
        ...(e.basePath !== undefined ? { basePath: e.basePath } : {}),
        ...(e.visibility.length > 0 ? { visibility: e.visibility } : {}),
      });
    }
    for (const e of c.environments) component.configureEnvironment(org.environments.find(x => x.name === e.name)!, overridesOf(c, e));
    components.push(component);
  }
  imported.forEach((c, i) => {
    const component = components[i];
    for (const d of c.dependencies) {
      component.dependOnName({ project: d.project, component: d.component, endpoint: d.endpoint },
        defined({ addressEnvVar: d.address, hostEnvVar: d.host, portEnvVar: d.port, basePathEnvVar: d.basePath }));
    }
    for (const x of c.externals) {
      const svc = org.externalServices.find(s => s.name === x.name) ?? new ExternalService(org, x.name, {
        host: x.host, cidrs: x.cidrs, port: x.port, protocol: x.protocol as ExternalProtocol, scheme: x.scheme,
      });
      component.dependOnExternal(svc, defined({ addressEnvVar: x.address, hostEnvVar: x.hostEnv, portEnvVar: x.portEnv }));
    }
  });
  return {
    projects: [...created.values()],
    components: [...components].sort((a, b) => (a.node.path < b.node.path ? -1 : 1)),
  };
}
