import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { readWorkload, ScoreContainer, ScorePort, ScoreResource, ScoreWorkload } from './document';
import { ScoreResourceMapping, ScoreResourceMappingKind } from './mapping';
import { expandMetadata, parsePlaceholders, Piece } from './placeholders';
import { at, ScoreReader } from './reader';
import { Component, ConfigFile, DeployableComponentProps, EndpointReference } from '../../model/component';
import { ComponentKind } from '../../model/component-kind';
import { Service, WebApplication, Worker } from '../../model/component-kinds';
import { EndpointType, Visibility } from '../../model/endpoint';
import { fail, PlatformValidationError } from '../../model/errors';
import { Probe, Probes, ProbeScheme } from '../../model/probe';
import { Project } from '../../model/project';
import { RESOURCE_ENV_SUFFIXES } from '../../model/resource';
import { SecretRef } from '../../model/secrets';
import { ContainerOptions } from '../../model/sidecar';

/** How one Score service port becomes an endpoint. */
export interface ScoreEndpointOptions {
  /**
   * Protocol of the endpoint.
   * @default - EndpointType.HTTP for TCP ports, EndpointType.UDP for UDP ports
   */
  readonly type?: EndpointType;
  /**
   * Visibilities beyond the project (a `route` resource adds `routeVisibility`).
   * @default - project only
   */
  readonly visibility?: Visibility[];
  /**
   * Base path of an HTTP-like endpoint.
   * @default '/'
   */
  readonly basePath?: string;
}

/** Options of {@link Score.load}. */
export interface ScoreLoadOptions {
  /**
   * The component's name.
   * @default - the Score file's metadata.name
   */
  readonly name?: string;
  /**
   * The component kind: ComponentKind.SERVICE, WEB_APPLICATION or WORKER.
   * @default - ComponentKind.SERVICE when the workload publishes ports, else ComponentKind.WORKER
   */
  readonly kind?: ComponentKind;
  /**
   * The image of containers whose image is `.` (Score's "the image built from this workload").
   * @default - none: a `.` image is an error
   */
  readonly image?: string;
  /**
   * Endpoint settings per Score port name.
   * @default - every port an endpoint of project visibility, HTTP for TCP ports
   */
  readonly endpoints?: { [port: string]: ScoreEndpointOptions };
  /**
   * How the platform provides Score resource types other than `service`, `dns` and `route`, by
   * `<type>` or `<type>.<class>` (the latter wins), e.g. `{ postgres: ScoreResourceMapping.secretStore('payments/db') }`.
   * @default - none: such a resource is an error
   */
  readonly resourceTypes?: { [type: string]: ScoreResourceMapping };
  /**
   * The visibility a `route` resource gives the endpoint of its port.
   * @default Visibility.PUBLIC
   */
  readonly routeVisibility?: Visibility;
}

const KINDS = [ComponentKind.SERVICE, ComponentKind.WEB_APPLICATION, ComponentKind.WORKER];
const DEPENDENCY_TYPES = ['service', 'service-port'];
type AddressOption = 'hostEnvVar' | 'portEnvVar' | 'addressEnvVar';
const OUTPUT_OPTIONS: Record<string, AddressOption> = { host: 'hostEnvVar', hostname: 'hostEnvVar', port: 'portEnvVar', url: 'addressEnvVar', address: 'addressEnvVar' };

interface Dependency {
  readonly resource: ScoreResource;
  readonly reference?: EndpointReference;
  readonly mapping?: ScoreResourceMapping;
  readonly options: { [k in AddressOption]?: string };
  /** For a managed resource: the variable (and its JSON path) reading each output. */
  readonly outputs?: Map<string, { variable: string; where: string }>;
}

/** The outputs of a managed resource and the suffixes of the variables dependOnResource injects for them. */
const RESOURCE_OUTPUTS = RESOURCE_ENV_SUFFIXES;

/**
 * Reads Score workload files (`score.yaml`, Score v1b1) into components.
 * @see https://docs.score.dev/docs/score-specification/score-spec-reference/
 */
export class Score {
  /**
   * Declares the workload of a Score file as a component of `project` and returns it. The first
   * container is the component's; further containers become sidecars. `service.ports` become
   * endpoints; resources of type `service` (or `service-port`, params `workload`, `port` and
   * optionally `project`) become dependencies; `route` resources expose the endpoint of their
   * port (`dns` resources name their host); other types need a platform mapping
   * (`resourceTypes`). `${metadata.name}`, `${metadata.annotations.<key>}` and
   * `${resources.<name>.<output>}` are resolved in variables. Anything the importer cannot map is
   * an error naming the file, the JSON path and the fix.
   */
  public static load(project: Project, file: string, options: ScoreLoadOptions = {}): Component {
    const r = new ScoreReader(file);
    if (!fs.existsSync(file) || !fs.statSync(file).isFile()) fail(file, 'the Score file does not exist', 'pass the path of a score.yaml file (relative paths are read from the working directory)');
    // YAML 1.2, as Score's own tools read it (in YAML 1.1 `image: .` would be a number).
    const docs = parseAllDocuments(fs.readFileSync(file, 'utf8'), { version: '1.2' });
    const list = Array.isArray(docs) ? docs : [docs];
    for (const d of list) {
      if (d.errors.length > 0) r.fail('$', `is not valid YAML: ${d.errors[0].message.split('\n')[0]}`, 'correct the YAML syntax at that line');
    }
    if (list.length !== 1) r.fail('$', `the file holds ${list.length} YAML documents`, 'keep exactly one Score workload per file');
    const workload = readWorkload(r, list[0].toJS());
    try {
      return new ScoreImport(r, workload, options, project).declare();
    } catch (e) {
      if (!PlatformValidationError.isPlatformValidationError(e)) throw e;
      const problems = e.problems.map(p => (p.path === file ? p : { ...p, message: `${p.message} (imported from ${file})` }));
      throw new PlatformValidationError(problems);
    }
  }

  private constructor() {}
}

class ScoreImport {
  private readonly byName = new Map<string, ScoreResource>();
  private readonly dependencies = new Map<string, Dependency>();
  private readonly routes = new Map<string, string | undefined>(); // port name → path prefix

  constructor(
    private readonly r: ScoreReader, private readonly w: ScoreWorkload, private readonly options: ScoreLoadOptions, private readonly project: Project,
  ) {
    for (const res of w.resources) this.byName.set(res.name, res);
    for (const res of w.resources) this.classify(res);
  }

  public declare(): Component {
    const { r, w, options, project } = this;
    const kind = options.kind ?? (w.ports.length > 0 ? ComponentKind.SERVICE : ComponentKind.WORKER);
    if (!KINDS.includes(kind)) fail(this.r.file, `options.kind '${kind}' cannot be imported from Score`, 'use ComponentKind.SERVICE, WEB_APPLICATION or WORKER (declare scheduled tasks and stateful services in code)');
    if (kind === ComponentKind.WORKER && w.ports.length > 0) r.fail('$.service.ports', 'are published by a worker', 'load it with kind: ComponentKind.SERVICE or WEB_APPLICATION, or remove service.ports');
    const name = options.name ?? w.name;
    if (options.name === undefined && !/^[a-z]/.test(name)) r.fail('$.metadata.name', `'${name}' does not start with a letter (component names are Service names)`, "pass name: '<component>' in the load options, or rename the workload");
    for (const port of Object.keys(options.endpoints ?? {})) {
      if (!w.ports.some(p => p.name === port)) fail(r.file, `options.endpoints names port '${port}', which $.service.ports does not declare`, `use one of: ${w.ports.map(p => p.name).join(', ') || '(no ports)'}`);
    }
    const [main, ...others] = w.containers;
    const env = this.variables(main, true);
    // every check before the component exists: a refused file declares nothing
    const prefixes = new Map([...this.dependencies.values()].filter(d => d.outputs).map(d => [d, this.envPrefix(d)] as const));
    const props: DeployableComponentProps = {
      name,
      image: this.image(main),
      command: this.words(main, 'command'),
      args: this.words(main, 'args'),
      env: env.env,
      secretEnv: env.secretEnv,
      files: this.files(main),
      resources: resources(main),
      probes: this.probes(main),
      annotations: Object.keys(w.annotations).length > 0 ? w.annotations : undefined,
      sidecars: others.length > 0 ? others.map(c => this.sidecar(c)) : undefined,
    };
    const component = kind === ComponentKind.SERVICE ? new Service(project, name, props)
      : kind === ComponentKind.WEB_APPLICATION ? new WebApplication(project, name, props) : new Worker(project, name, props);
    for (const port of w.ports) this.endpoint(component, port);
    for (const d of [...this.dependencies.values()].sort((a, b) => (a.resource.name < b.resource.name ? -1 : 1))) {
      const envPrefix = prefixes.get(d);
      if (d.reference) component.dependOnName(d.reference, d.options);
      else if (d.mapping?.service) component.dependOnExternal(d.mapping.service, d.options);
      else if (d.mapping?.managedResource) component.dependOnResource(d.mapping.managedResource, envPrefix !== undefined ? { envPrefix } : {});
    }
    return component;
  }

  private classify(res: ScoreResource): void {
    const { r } = this;
    const builtIn = [...DEPENDENCY_TYPES, 'dns', 'route'].includes(res.type);
    if (builtIn) {
      if (res.class !== undefined) r.fail(at(res.path, 'class'), `is set on a '${res.type}' resource`, 'remove class: the importer maps service, dns and route resources itself');
      if (res.id !== undefined) r.fail(at(res.path, 'id'), `is set on a '${res.type}' resource`, 'remove id: the importer maps service, dns and route resources itself');
    }
    if (DEPENDENCY_TYPES.includes(res.type)) {
      const p = res.params;
      r.keys(at(res.path, 'params'), p, ['workload', 'port', 'project']);
      const component = r.string(at(at(res.path, 'params'), 'workload'), p.workload);
      const endpoint = r.string(at(at(res.path, 'params'), 'port'), p.port);
      const project = r.optionalString(at(at(res.path, 'params'), 'project'), p.project);
      this.dependencies.set(res.name, { resource: res, reference: { component, endpoint, ...(project ? { project } : {}) }, options: {} });
    } else if (res.type === 'dns') {
      if (Object.keys(res.params).length > 0) r.fail(at(res.path, 'params'), 'are set on a dns resource', 'remove params: host names are generated per environment by the gateways');
    } else if (res.type === 'route') {
      this.route(res);
    } else {
      const mapping = this.options.resourceTypes?.[`${res.type}.${res.class}`] ?? this.options.resourceTypes?.[res.type];
      if (!mapping) {
        r.fail(at(res.path, 'type'), `resource type '${res.type}'${res.class ? ` (class '${res.class}')` : ''} has no platform mapping`,
          `pass resourceTypes: { '${res.type}': ScoreResourceMapping.externalService(<ExternalService>) }, ScoreResourceMapping.resource(<Resource>) or ScoreResourceMapping.secretStore('<remote key>') in the load options`);
      }
      if (Object.keys(res.params).length > 0) r.fail(at(res.path, 'params'), `are set on a '${res.type}' resource`, 'remove params: the platform mapping (resourceTypes) provides the resource');
      if (mapping?.kind === ScoreResourceMappingKind.RESOURCE && mapping.managedResource?.project !== this.project) {
        r.fail(at(res.path, 'type'), `resource type '${res.type}' maps to Resource '${mapping.managedResource?.node.path}', which is not in project '${this.project.name}'`,
          `declare the Resource in project '${this.project.name}' and map '${res.type}' to it (a component uses the resources of its own project)`);
      }
      const outputs = mapping?.kind === ScoreResourceMappingKind.RESOURCE ? { outputs: new Map() } : {};
      this.dependencies.set(res.name, { resource: res, mapping, options: {}, ...outputs });
    }
  }

  /** The envPrefix of a managed resource dependency: the one prefix of the variables reading its outputs. */
  private envPrefix(d: Dependency): string | undefined {
    let prefix: string | undefined;
    let first = '';
    for (const [output, { variable, where }] of [...d.outputs!.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const suffix = `_${RESOURCE_OUTPUTS[output]}`;
      const own = variable.endsWith(suffix) && variable.length > suffix.length ? variable.slice(0, -suffix.length) : undefined;
      const example = Object.values(RESOURCE_OUTPUTS).map(x => `${prefix ?? own ?? 'DB'}_${x}`).join(', ');
      if (own === undefined || (prefix !== undefined && own !== prefix)) {
        this.r.fail(where, `variable '${variable}' reads '\${resources.${d.resource.name}.${output}}', but ${own === undefined ? `does not end in '${suffix}'` : `its prefix '${own}' differs from '${prefix}' (variable ${first})`}`,
          `name the variables of resource '${d.resource.name}' with one prefix, as dependOnResource injects them: ${example}`);
      }
      prefix = own;
      first ||= variable;
    }
    return prefix;
  }

  private route(res: ScoreResource): void {
    const { r } = this;
    const pp = at(res.path, 'params');
    r.keys(pp, res.params, ['host', 'path', 'port']);
    const host = r.string(at(pp, 'host'), res.params.host);
    const m = /^\$\{resources\.([a-z0-9-]+)\.host\}$/.exec(host);
    if (!m || this.byName.get(m[1])?.type !== 'dns') {
      r.fail(at(pp, 'host'), `'${host}' is not the host of a dns resource`, 'set host: ${resources.<dns resource>.host} and declare that resource with type: dns (the gateways generate host names per environment)');
    }
    const prefix = r.optionalString(at(pp, 'path'), res.params.path, /^\//, 'an absolute path');
    if (res.params.port === undefined) r.fail(at(pp, 'port'), 'is missing', 'set port to one of the service.ports');
    const portNumber = r.port(at(pp, 'port'), res.params.port);
    const port = this.w.ports.find(p => p.port === portNumber);
    if (!port) return r.fail(at(pp, 'port'), `${portNumber} is not a port of $.service.ports`, `use one of: ${this.w.ports.map(p => p.port).join(', ') || '(declare service.ports first)'}`);
    if (this.routes.has(port.name)) r.fail(res.path, `is a second route to port ${portNumber}`, 'route each port once');
    this.routes.set(port.name, prefix === undefined || prefix === '/' ? undefined : prefix.replace(/\/+$/, ''));
  }

  private endpoint(component: Component, port: ScorePort): void {
    const o = this.options.endpoints?.[port.name] ?? {};
    if (!/^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(port.name)) this.r.fail(port.path, `port name '${port.name}' does not start with a letter (endpoint names are Service port names)`, 'rename the port, e.g. \'http\'');
    const routed = this.routes.has(port.name);
    const visibility = [...(o.visibility ?? []), ...(routed ? [this.options.routeVisibility ?? Visibility.PUBLIC] : [])];
    const prefix = this.routes.get(port.name);
    component.addEndpoint(port.name, {
      port: port.port,
      targetPort: port.targetPort,
      type: o.type ?? (port.protocol === 'UDP' ? EndpointType.UDP : EndpointType.HTTP),
      basePath: o.basePath,
      visibility: visibility.length > 0 ? visibility : undefined,
      route: prefix ? { pathPrefix: prefix } : undefined,
    });
  }

  /** Command or args with `${metadata.*}` placeholders expanded. */
  private words(c: ScoreContainer, field: 'command' | 'args'): string[] | undefined {
    return c[field]?.map((word, i) => expandMetadata(this.r, at(at(c.path, field), i), parsePlaceholders(this.r, at(at(c.path, field), i), word),
      this.w,
      `${field} may use \${metadata.*} placeholders only: pass resource outputs as variables and read them in the application`));
  }

  private image(c: ScoreContainer): string {
    if (c.image !== '.') return c.image;
    if (this.options.image === undefined) this.r.fail(at(c.path, 'image'), "'.' (the workload's own build) has no image here", "pass image: '<registry>/<repository>:<tag>' in the load options");
    return this.options.image;
  }

  /** Variables: literals (metadata placeholders expanded), dependency outputs, secret outputs. */
  private variables(c: ScoreContainer, main: boolean): { env?: Record<string, string>; secretEnv?: Record<string, SecretRef> } {
    const env: Record<string, string> = {};
    const secretEnv: Record<string, SecretRef> = {};
    for (const v of c.variables) {
      const pieces = parsePlaceholders(this.r, v.path, v.value);
      const only = pieces.length === 1 && 'ref' in pieces[0] && pieces[0].ref[0] === 'resources' ? pieces[0].ref : undefined;
      if (only) {
        const secret = this.exactOutput(v.path, v.name, only, main);
        if (secret) secretEnv[v.name] = secret;
        continue;
      }
      env[v.name] = this.expand(v.path, pieces);
    }
    return { env: Object.keys(env).length > 0 ? env : undefined, secretEnv: Object.keys(secretEnv).length > 0 ? secretEnv : undefined };
  }

  /** A variable that is exactly `${resources.<name>.<output>}`: a dependency option or a secret. */
  private exactOutput(where: string, variable: string, ref: string[], main: boolean): SecretRef | undefined {
    const { r } = this;
    const [, name, ...outputPath] = ref;
    const output = outputPath.join('.');
    const res = this.resource(where, ref);
    const dep = this.dependencies.get(name);
    if (!dep) return r.fail(where, `'\${${ref.join('.')}}' reads a ${res.type} resource, whose host differs per environment`, 'remove the variable: read the request host, or configure the public URL per environment in code');
    const mapping = dep.mapping;
    if (mapping?.kind === ScoreResourceMappingKind.SECRET_STORE) return SecretRef.fromStore(mapping.remoteKey!, { property: output });
    if (mapping?.kind === ScoreResourceMappingKind.RESOURCE) {
      if (!(output in RESOURCE_OUTPUTS)) {
        return r.fail(where, `'\${${ref.join('.')}}' reads output '${output}', which Resource '${mapping.managedResource!.name}' does not provide (outputs: ${Object.keys(RESOURCE_OUTPUTS).join(', ')})`,
          'use one of its outputs, or compose the value in the application');
      }
      if (!main) r.fail(where, `'\${${ref.join('.')}}' is a resource output in sidecar '${where.split('.')[2]}'`, 'read resource outputs in the first (main) container: dependOnResource injects into it');
      const seen = dep.outputs!.get(output);
      if (seen) r.fail(where, `'\${${ref.join('.')}}' is read again (already by variable ${seen.variable})`, `read each output of resource '${name}' in one variable`);
      dep.outputs!.set(output, { variable, where });
      return undefined;
    }
    if (mapping?.secrets[output]) return mapping.secrets[output];
    const option = OUTPUT_OPTIONS[output];
    if (!option) {
      const known = [...Object.keys(OUTPUT_OPTIONS), ...Object.keys(mapping?.secrets ?? {})].join(', ');
      return r.fail(where, `'\${${ref.join('.')}}' reads output '${output}', which the ${mapping ? 'platform mapping' : `'${res.type}' resource`} does not provide (outputs: ${known})`,
        mapping ? `add '${output}' to the mapping's secrets, or use one of its outputs` : 'use host, port or url');
    }
    if (!main) r.fail(where, `'\${${ref.join('.')}}' is a dependency address in sidecar '${where.split('.')[2]}'`, 'read dependency addresses in the first (main) container: dependencies inject into it');
    if (dep.options[option] !== undefined) r.fail(where, `'\${${ref.join('.')}}' is read again (already by variable ${dep.options[option]})`, `read each output of resource '${name}' in one variable`);
    dep.options[option] = variable;
    return undefined;
  }

  private resource(where: string, ref: string[]): ScoreResource {
    const res = this.byName.get(ref[1]);
    if (ref.length < 3 || !res) {
      this.r.fail(where, `placeholder '\${${ref.join('.')}}' names resource '${ref[1] ?? ''}', which $.resources does not declare`, `declare it under resources, or use one of: ${[...this.byName.keys()].join(', ') || '(none declared)'}`);
    }
    return res;
  }

  /** Literal text with metadata placeholders, and the fixed host/port/url of external services. */
  private expand(where: string, pieces: Piece[]): string {
    const resolved = pieces.map((p): Piece => {
      if (!('ref' in p) || p.ref[0] !== 'resources') return p;
      // The dependency itself is declared either way (network egress); literal text gets the fixed address.
      const dep = this.dependencies.get(this.resource(where, p.ref).name);
      const service = dep?.mapping?.service;
      const output = p.ref.slice(2).join('.');
      if (service && ['host', 'port', 'url'].includes(output) && service._connectHost) {
        const hostPort = `${service._connectHost}:${service.port}`;
        return { text: output === 'host' ? service._connectHost : output === 'port' ? String(service.port) : service.scheme ? `${service.scheme}://${hostPort}` : hostPort };
      }
      return this.r.fail(where, `'\${${p.ref.join('.')}}' is mixed with other text`, `make the variable exactly '\${${p.ref.join('.')}}' (the platform injects the value), and compose it in the application`);
    });
    return expandMetadata(this.r, where, resolved, this.w, 'use ${metadata.name}, ${metadata.annotations.<key>} or ${resources.<name>.<output>}');
  }

  private files(c: ScoreContainer): ConfigFile[] | undefined {
    if (c.files.length === 0) return undefined;
    return c.files.map(f => {
      const slash = f.target.lastIndexOf('/');
      if (!f.target.startsWith('/') || slash === f.target.length - 1) this.r.fail(f.path, `target '${f.target}' is not an absolute file path`, "use the file's absolute path in the container, e.g. /etc/app/config.yaml");
      let content = f.content;
      if (f.source !== undefined) {
        const source = path.resolve(path.dirname(this.r.file), f.source);
        if (!fs.existsSync(source)) this.r.fail(at(f.path, 'source'), `'${f.source}' does not exist (read from ${source})`, 'give a path relative to the Score file, or inline the text as content');
        content = fs.readFileSync(source, 'utf8');
      }
      if (!f.noExpand) {
        content = expandMetadata(this.r, f.path, parsePlaceholders(this.r, f.path, content!), this.w,
          'files may use ${metadata.*} placeholders only: pass resource outputs as variables, or set noExpand: true');
      }
      return { mountPath: slash === 0 ? '/' : f.target.slice(0, slash), fileName: f.target.slice(slash + 1), content };
    });
  }

  private probes(c: ScoreContainer): Probes | undefined {
    const probe = (p: ScoreContainer['liveness']) => {
      if (!p) return undefined;
      if (p.exec) return Probe.exec(p.exec);
      const http = p.http!;
      const port = this.w.ports.find(x => x.targetPort === http.port);
      if (!port) return this.r.fail(at(at(p.path, 'httpGet'), 'port'), `${http.port} is not the targetPort of a port in $.service.ports`, 'probe a port the workload publishes, or use an exec probe');
      return Probe.http({ endpoint: port.name, path: http.path, scheme: http.scheme === 'HTTPS' ? ProbeScheme.HTTPS : undefined, headers: http.headers });
    };
    const liveness = probe(c.liveness);
    const readiness = probe(c.readiness);
    return liveness || readiness ? { liveness, readiness } : undefined;
  }

  private sidecar(c: ScoreContainer): ContainerOptions {
    if (c.files.length > 0) this.r.fail(at(c.path, 'files'), 'are set on a second container', 'mount files in the first (main) container, or declare the sidecar in code');
    if (c.liveness || c.readiness) this.r.fail(at(c.path, c.liveness ? 'livenessProbe' : 'readinessProbe'), 'is set on a second container', 'probe the first (main) container, or declare the sidecar with ports and probes in code');
    const { env, secretEnv } = this.variables(c, false);
    return { name: c.name, image: this.image(c), command: this.words(c, 'command'), args: this.words(c, 'args'), env, secretEnv, resources: resources(c) };
  }
}

function resources(c: ScoreContainer): DeployableComponentProps['resources'] {
  const r = { cpuRequest: c.requests.cpu, memoryRequest: c.requests.memory, cpuLimit: c.limits.cpu, memoryLimit: c.limits.memory };
  const set = Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined));
  return Object.keys(set).length > 0 ? set : undefined;
}
