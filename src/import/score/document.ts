import { at, ScoreReader, SCORE_CPU, SCORE_MEMORY, SCORE_NAME } from './reader';

/** A container of a Score workload, checked field by field. @internal */
export interface ScoreContainer {
  readonly name: string;
  readonly path: string;
  readonly image: string;
  readonly command?: string[];
  readonly args?: string[];
  readonly variables: Array<{ readonly name: string; readonly value: string; readonly path: string }>;
  readonly files: ScoreFile[];
  readonly requests: { readonly cpu?: string; readonly memory?: string };
  readonly limits: { readonly cpu?: string; readonly memory?: string };
  readonly liveness?: ScoreProbe;
  readonly readiness?: ScoreProbe;
}

/** A file to mount: inline content or a source path. @internal */
export interface ScoreFile {
  readonly target: string;
  readonly path: string;
  readonly content?: string;
  readonly source?: string;
  readonly noExpand: boolean;
}

/** A probe: exec preferred when both are given (as the Score spec advises). @internal */
export interface ScoreProbe {
  readonly path: string;
  readonly exec?: string[];
  readonly http?: { readonly port: number; readonly path: string; readonly scheme?: string; readonly headers?: Record<string, string> };
}

/** A published port. @internal */
export interface ScorePort {
  readonly name: string;
  readonly path: string;
  readonly port: number;
  readonly targetPort: number;
  readonly protocol: 'TCP' | 'UDP';
}

/** A resource dependency. @internal */
export interface ScoreResource {
  readonly name: string;
  readonly path: string;
  readonly type: string;
  readonly class?: string;
  readonly id?: string;
  readonly params: Record<string, unknown>;
}

/** A Score workload, checked field by field against Score v1b1. @internal */
export interface ScoreWorkload {
  readonly name: string;
  readonly annotations: Record<string, string>;
  readonly ports: ScorePort[];
  readonly containers: ScoreContainer[];
  readonly resources: ScoreResource[];
}

const TYPE_NAME = /^[A-Za-z0-9][A-Za-z0-9-]{0,61}[A-Za-z0-9]$/;
const RESOURCE_ID = /^[a-z0-9]+(?:-+[a-z0-9]+)*(?:\.[a-z0-9]+(?:-+[a-z0-9]+)*)*$/;
const ANNOTATION_KEY = /^(([a-z0-9][a-z0-9-]{0,61}[a-z0-9])(\.[a-z0-9][a-z0-9-]{0,61}[a-z0-9])*\/)?[A-Za-z0-9][A-Za-z0-9._-]{0,61}[A-Za-z0-9]$/;

/**
 * Checks a parsed Score document field by field (the Score v1b1 schema's rules this importer relies
 * on) and returns it typed. Fields Score has but the importer cannot map fail with their fix. @internal
 */
export function readWorkload(r: ScoreReader, doc: unknown): ScoreWorkload {
  const root = r.object('$', doc, 'a Score workload (a mapping with apiVersion, metadata and containers)');
  r.keys('$', root, ['apiVersion', 'metadata', 'service', 'containers', 'resources']);
  if (root.apiVersion !== 'score.dev/v1b1') {
    r.fail('$.apiVersion', `${JSON.stringify(root.apiVersion)} is not 'score.dev/v1b1'`, 'set apiVersion: score.dev/v1b1 (the importer reads Score v1b1 only)');
  }
  const metadata = r.object('$.metadata', root.metadata);
  r.keys('$.metadata', metadata, ['name', 'annotations']);
  const name = r.string('$.metadata.name', metadata.name, SCORE_NAME, 'an RFC 1123 label of 2-63 characters (a-z, 0-9, -)');
  const annotations = stringMap(r, '$.metadata.annotations', metadata.annotations, ANNOTATION_KEY, 'an annotation key ([prefix/]name)');
  return {
    name, annotations, ports: readPorts(r, root.service), containers: readContainers(r, root.containers), resources: readResources(r, root.resources),
  };
}

function stringMap(r: ScoreReader, path: string, value: unknown, keyPattern?: RegExp, keyText?: string): Record<string, string> {
  if (value === undefined) return {};
  const map = r.object(path, value);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(map)) {
    if (keyPattern && !keyPattern.test(k)) r.fail(at(path, k), `key '${k}' is not ${keyText}`, `rename it to ${keyText}`);
    out[k] = r.string(at(path, k), v);
  }
  return out;
}

function readPorts(r: ScoreReader, value: unknown): ScorePort[] {
  if (value === undefined) return [];
  const service = r.object('$.service', value);
  r.keys('$.service', service, ['ports']);
  if (service.ports === undefined) return [];
  const ports = r.object('$.service.ports', service.ports);
  return Object.entries(ports).map(([name, raw]) => {
    const path = at('$.service.ports', name);
    if (!SCORE_NAME.test(name)) r.fail(path, `port name '${name}' is not an RFC 1123 label`, 'use 2-63 characters a-z, 0-9 and -');
    const p = r.object(path, raw);
    r.keys(path, p, ['port', 'protocol', 'targetPort']);
    const port = r.port(at(path, 'port'), p.port);
    const protocol = p.protocol ?? 'TCP';
    if (protocol !== 'TCP' && protocol !== 'UDP') r.fail(at(path, 'protocol'), `${JSON.stringify(protocol)} is not TCP or UDP`, 'use TCP or UDP');
    const targetPort = p.targetPort === undefined ? port : r.port(at(path, 'targetPort'), p.targetPort);
    return { name, path, port, targetPort, protocol: protocol as 'TCP' | 'UDP' };
  });
}

function readContainers(r: ScoreReader, value: unknown): ScoreContainer[] {
  const containers = r.object('$.containers', value);
  if (Object.keys(containers).length === 0) r.fail('$.containers', 'has no container', 'declare at least one container with an image');
  return Object.entries(containers).map(([name, raw]) => {
    const path = at('$.containers', name);
    if (!SCORE_NAME.test(name)) r.fail(path, `container name '${name}' is not an RFC 1123 label`, 'use 2-63 characters a-z, 0-9 and -');
    const c = r.object(path, raw);
    r.keys(path, c, ['image', 'command', 'args', 'variables', 'files', 'resources', 'livenessProbe', 'readinessProbe'], {
      volumes: 'remove volumes: external volumes are not imported (declare a StatefulService with volumes, or emptyDirs, in code)',
      before: 'remove before: declare ordered start-up as initContainers in code',
    });
    const variables = Object.entries(stringMap(r, at(path, 'variables'), c.variables))
      .map(([k, v]) => ({ name: k, value: v, path: at(at(path, 'variables'), k) }));
    const resources = c.resources === undefined ? {} : r.object(at(path, 'resources'), c.resources);
    r.keys(at(path, 'resources'), resources, ['requests', 'limits']);
    return {
      name,
      path,
      image: r.string(at(path, 'image'), c.image, /./, 'an image reference'),
      command: r.strings(at(path, 'command'), c.command),
      args: r.strings(at(path, 'args'), c.args),
      variables,
      files: readFiles(r, at(path, 'files'), c.files),
      requests: readQuantities(r, at(at(path, 'resources'), 'requests'), resources.requests),
      limits: readQuantities(r, at(at(path, 'resources'), 'limits'), resources.limits),
      liveness: readProbe(r, at(path, 'livenessProbe'), c.livenessProbe),
      readiness: readProbe(r, at(path, 'readinessProbe'), c.readinessProbe),
    };
  });
}

function readFiles(r: ScoreReader, path: string, value: unknown): ScoreFile[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) r.fail(path, 'uses the deprecated list form', 'write files as a mapping of target path to file: files: { /etc/app/config.yaml: { content: ... } }');
  return Object.entries(r.object(path, value)).map(([target, raw]) => {
    const fp = at(path, target);
    const f = r.object(fp, raw);
    r.keys(fp, f, ['content', 'source', 'noExpand', 'mode'], {
      binaryContent: 'use content (UTF-8 text), or mount binary data from the secret store with a SecretRef file in code',
    });
    if (f.mode !== undefined && f.mode !== '0644' && f.mode !== '644') {
      r.fail(at(fp, 'mode'), `${JSON.stringify(f.mode)} is not supported (files are mounted read-only with mode 0644)`, 'remove mode, or set it to 0644');
    }
    if ((f.content === undefined) === (f.source === undefined)) r.fail(fp, 'must set exactly one of content or source', 'give the file inline content, or a source path relative to the Score file');
    if (f.noExpand !== undefined && typeof f.noExpand !== 'boolean') r.fail(at(fp, 'noExpand'), `${JSON.stringify(f.noExpand)} is not a boolean`, 'use true or false');
    return {
      target,
      path: fp,
      content: r.optionalString(at(fp, 'content'), f.content),
      source: r.optionalString(at(fp, 'source'), f.source),
      noExpand: f.noExpand === true,
    };
  });
}

function readQuantities(r: ScoreReader, path: string, value: unknown): { cpu?: string; memory?: string } {
  if (value === undefined) return {};
  const q = r.object(path, value);
  r.keys(path, q, ['cpu', 'memory']);
  const cpu = r.optionalString(at(path, 'cpu'), q.cpu, SCORE_CPU, "a CPU quantity such as '250m' or '0.5'");
  const memory = r.optionalString(at(path, 'memory'), q.memory, SCORE_MEMORY, "a memory quantity such as '256Mi' or '1G'");
  // Score writes kilo as 'K'; Kubernetes as 'k'.
  return { cpu, memory: memory?.replace(/K$/, 'k') };
}

function readProbe(r: ScoreReader, path: string, value: unknown): ScoreProbe | undefined {
  if (value === undefined) return undefined;
  const p = r.object(path, value);
  r.keys(path, p, ['httpGet', 'exec']);
  if (p.httpGet === undefined && p.exec === undefined) r.fail(path, 'has neither httpGet nor exec', 'give the probe an httpGet or an exec check');
  if (p.exec !== undefined) {
    const e = r.object(at(path, 'exec'), p.exec);
    r.keys(at(path, 'exec'), e, ['command']);
    const command = r.strings(at(at(path, 'exec'), 'command'), e.command);
    if (!command || command.length === 0) r.fail(at(at(path, 'exec'), 'command'), 'is empty', 'give the command to run, e.g. ["/bin/health"]');
    return { path, exec: command };
  }
  const hp = at(path, 'httpGet');
  const h = r.object(hp, p.httpGet);
  r.keys(hp, h, ['port', 'path', 'scheme', 'httpHeaders'], {
    host: 'remove host: the kubelet probes the pod itself (a probe naming another host is an SSRF vector, and the library refuses it)',
  });
  const scheme = r.optionalString(at(hp, 'scheme'), h.scheme, /^(HTTP|HTTPS)$/, 'HTTP or HTTPS');
  let headers: Record<string, string> | undefined;
  if (h.httpHeaders !== undefined) {
    if (!Array.isArray(h.httpHeaders)) r.fail(at(hp, 'httpHeaders'), 'is not a list', 'write httpHeaders as a list of { name, value }');
    headers = {};
    for (const [i, raw] of h.httpHeaders.entries()) {
      const header = r.object(at(at(hp, 'httpHeaders'), i), raw);
      r.keys(at(at(hp, 'httpHeaders'), i), header, ['name', 'value']);
      headers[r.string(at(at(at(hp, 'httpHeaders'), i), 'name'), header.name, /^[A-Za-z0-9_-]+$/, 'a header name')] = r.string(at(at(at(hp, 'httpHeaders'), i), 'value'), header.value);
    }
  }
  return { path, http: { port: r.port(at(hp, 'port'), h.port), path: r.string(at(hp, 'path'), h.path, /^\//, 'an absolute path'), scheme, headers } };
}

function readResources(r: ScoreReader, value: unknown): ScoreResource[] {
  if (value === undefined) return [];
  return Object.entries(r.object('$.resources', value)).map(([name, raw]) => {
    const path = at('$.resources', name);
    if (!SCORE_NAME.test(name)) r.fail(path, `resource name '${name}' is not an RFC 1123 label`, 'use 2-63 characters a-z, 0-9 and -');
    const res = r.object(path, raw);
    r.keys(path, res, ['type', 'class', 'id', 'params'], { metadata: 'remove metadata: resource annotations have no counterpart in the platform (its mapping decides)' });
    return {
      name,
      path,
      type: r.string(at(path, 'type'), res.type, TYPE_NAME, 'a resource type (2-63 letters, digits and -)'),
      class: r.optionalString(at(path, 'class'), res.class, TYPE_NAME, 'a resource class (2-63 letters, digits and -)'),
      id: r.optionalString(at(path, 'id'), res.id, RESOURCE_ID, 'a resource id (dot-separated labels)'),
      params: res.params === undefined ? {} : r.object(at(path, 'params'), res.params),
    };
  });
}
