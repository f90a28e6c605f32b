import { IConstruct } from 'constructs';
import { fail } from './errors';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const ENV_VAR = /^[A-Za-z_][A-Za-z0-9_]*$/;
const QUANTITY = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/;
const CPU = /^(\d+(\.\d+)?|\.\d+)(m)?$/;
const MEMORY = /^(\d+(\.\d+)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/;

/** Validates a DNS-1123 label no longer than `max`. @internal */
export function checkDnsLabel(scope: IConstruct, what: string, value: string, max = 63): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > max || !DNS_LABEL.test(value)) {
    fail(scope, `${what} '${value}' is not a valid DNS-1123 label (lowercase letters, digits and '-', starting and ending with a letter or digit, at most ${max} characters)`,
      `use a name such as '${suggestDnsLabel(String(value ?? ''), max)}'`);
  }
  return value;
}

/**
 * Validates a DNS-1035 label (a DNS-1123 label starting with a letter), as Service names and
 * port names need. `why` says what the name becomes. @internal
 */
export function checkDns1035Label(scope: IConstruct, what: string, value: string, why: string): string {
  checkDnsLabel(scope, what, value);
  if (!/^[a-z]/.test(value) || value.includes('--')) {
    fail(scope, `${what} '${value}' must start with a letter and must not contain '--' (it becomes ${why})`,
      `start the name with a letter and use single dashes, e.g. '${suggestDnsLabel(`${what.split(' ')[0]}-${value.replace(/-{2,}/g, '-')}`)}'`);
  }
  return value;
}

/** A best-effort DNS label derived from arbitrary text, for error messages. @internal */
export function suggestDnsLabel(value: string, max = 63): string {
  const s = value.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, max).replace(/-+$/, '');
  return s.length > 0 ? s : 'my-name';
}

/** Validates a TCP/UDP port number. @internal */
export function checkPort(scope: IConstruct, what: string, port: number): number {
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    fail(scope, `${what} ${port} is out of range`, 'use an integer port between 1 and 65535');
  }
  return port;
}

/** Validates an environment variable name. @internal */
export function checkEnvVarName(scope: IConstruct, name: string): string {
  if (!ENV_VAR.test(name)) {
    fail(scope, `environment variable name '${name}' is invalid`, 'use letters, digits and underscores, not starting with a digit (e.g. LOG_LEVEL)');
  }
  return name;
}

/** Validates a CPU quantity such as `250m` or `1.5`. @internal */
export function checkCpu(scope: IConstruct, what: string, value: string | undefined): void {
  if (value === undefined) return;
  if (!CPU.test(value) || !QUANTITY.test(value)) {
    fail(scope, `${what} '${value}' is not a valid CPU quantity`, "use cores ('1', '0.5') or millicores ('250m')");
  }
}

/** Validates a memory quantity such as `256Mi`. @internal */
export function checkMemory(scope: IConstruct, what: string, value: string | undefined): void {
  if (value === undefined) return;
  if (!MEMORY.test(value) || !QUANTITY.test(value)) {
    fail(scope, `${what} '${value}' is not a valid memory quantity`, "use a binary suffix such as '256Mi' or '1Gi'");
  }
}

/** CPU and memory quantities as written in props. @internal */
export interface ResourceFields {
  readonly cpuRequest?: string;
  readonly cpuLimit?: string;
  readonly memoryRequest?: string;
  readonly memoryLimit?: string;
}

/** Validates the quantities of a resources prop, and that a request set beside its limit does not exceed it. @internal */
export function checkResourceFields(scope: IConstruct, what: string, r: ResourceFields | undefined): void {
  if (!r) return;
  checkCpu(scope, `${what}.cpuRequest`, r.cpuRequest);
  checkCpu(scope, `${what}.cpuLimit`, r.cpuLimit);
  checkMemory(scope, `${what}.memoryRequest`, r.memoryRequest);
  checkMemory(scope, `${what}.memoryLimit`, r.memoryLimit);
  if (r.cpuRequest && r.cpuLimit && cpuMillis(r.cpuRequest) > cpuMillis(r.cpuLimit)) {
    fail(scope, `${what}.cpuRequest ${r.cpuRequest} exceeds ${what}.cpuLimit ${r.cpuLimit}`, `set cpuLimit to at least ${r.cpuRequest}, or lower cpuRequest`);
  }
  if (r.memoryRequest && r.memoryLimit && memoryBytes(r.memoryRequest) > memoryBytes(r.memoryLimit)) {
    fail(scope, `${what}.memoryRequest ${r.memoryRequest} exceeds ${what}.memoryLimit ${r.memoryLimit}`, `set memoryLimit to at least ${r.memoryRequest}, or lower memoryRequest`);
  }
}

/**
 * The one request/limit defaulting rule of a resources prop: a pair left unset takes the defaults;
 * a pair with one side set has the other side follow it (so a request alone is also its limit).
 * The resolver layers these over environment and organization defaults (resolve/component.ts).
 * @internal
 */
export function withResourceDefaults(r: ResourceFields, defaults: Required<ResourceFields>): Required<ResourceFields> {
  const pair = (req: string | undefined, lim: string | undefined, dReq: string, dLim: string): [string, string] =>
    (req === undefined && lim === undefined ? [dReq, dLim] : [req ?? lim!, lim ?? req!]);
  const [cpuRequest, cpuLimit] = pair(r.cpuRequest, r.cpuLimit, defaults.cpuRequest, defaults.cpuLimit);
  const [memoryRequest, memoryLimit] = pair(r.memoryRequest, r.memoryLimit, defaults.memoryRequest, defaults.memoryLimit);
  return { cpuRequest, cpuLimit, memoryRequest, memoryLimit };
}

/** Parsed quantities by text: resolve, quotas and policies parse the same few values thousands of times. */
const cpuParsed = new Map<string, number>();
const memoryParsed = new Map<string, number>();
const PARSED_LIMIT = 10_000;

function parsedOnce(cache: Map<string, number>, value: string, parse: (value: string) => number): number {
  let n = cache.get(value);
  if (n === undefined) {
    n = parse(value);
    if (cache.size < PARSED_LIMIT) cache.set(value, n);
  }
  return n;
}

/** Parses a CPU quantity into millicores. @internal */
export function cpuMillis(value: string): number {
  return parsedOnce(cpuParsed, value, v => {
    const m = CPU.exec(v)!;
    return m[3] === 'm' ? parseFloat(m[1]) : parseFloat(m[1]) * 1000;
  });
}

const MEMORY_FACTORS: Record<string, number> = {
  '': 1,
  'k': 1e3,
  'M': 1e6,
  'G': 1e9,
  'T': 1e12,
  'P': 1e15,
  'E': 1e18,
  'Ki': 2 ** 10,
  'Mi': 2 ** 20,
  'Gi': 2 ** 30,
  'Ti': 2 ** 40,
  'Pi': 2 ** 50,
  'Ei': 2 ** 60,
};

/** Parses a memory quantity into bytes. @internal */
export function memoryBytes(value: string): number {
  return parsedOnce(memoryParsed, value, v => {
    const m = MEMORY.exec(v)!;
    return parseFloat(m[1]) * MEMORY_FACTORS[m[3] ?? ''];
  });
}

/** Checks that a number is a positive (or non-negative) integer. @internal */
export function checkInteger(scope: IConstruct, what: string, value: number | undefined, min: number, max = Number.MAX_SAFE_INTEGER): void {
  if (value === undefined) return;
  if (!Number.isInteger(value) || value < min || value > max) {
    fail(scope, `${what} ${value} is invalid`, `use an integer between ${min} and ${max === Number.MAX_SAFE_INTEGER ? 'any larger value' : max}`);
  }
}

/** Rejects empty strings. @internal */
export function checkNonEmpty(scope: IConstruct, what: string, value: string | undefined): string {
  if (value === undefined || value.trim().length === 0) {
    fail(scope, `${what} is empty`, `set ${what} to a non-empty value`);
  }
  return value;
}

const LABEL_NAME = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)$/;
const LABEL_PREFIX = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Validates Kubernetes label keys and values. @internal */
export function checkLabels(scope: IConstruct, what: string, labels: { [key: string]: string }): void {
  for (const [key, value] of Object.entries(labels)) {
    const slash = key.lastIndexOf('/');
    const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
    const name = slash >= 0 ? key.slice(slash + 1) : key;
    if ((prefix !== undefined && (prefix.length > 253 || !LABEL_PREFIX.test(prefix))) || name.length > 63 || !LABEL_NAME.test(name)) {
      fail(scope, `${what} key '${key}' is not a valid label key`, "use an optional DNS prefix and a name of letters, digits, '-', '_' and '.' (e.g. 'app.kubernetes.io/name')");
    }
    if (typeof value !== 'string' || value.length > 63 || (value.length > 0 && !LABEL_NAME.test(value))) {
      fail(scope, `${what} value '${value}' of '${key}' is not a valid label value`, "use at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit");
    }
  }
}

const IMAGE_REFERENCE = /^(?:[a-zA-Z0-9.-]+(?::[0-9]+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/;

/** Whether `image` is an image reference (registry/repo[:tag][@digest]). @internal */
export function isImageReference(image: string): boolean {
  return typeof image === 'string' && IMAGE_REFERENCE.test(image);
}

/** Whether `image` is an image (a tag or a digest) of `repository`. @internal */
export function isImageOf(image: string, repository: string): boolean {
  return image.startsWith(`${repository}:`) || image.startsWith(`${repository}@`);
}

/**
 * Refuses an environment (or none) that is not one of `organization`'s, for a method that targets an
 * environment: `<what> '<path>', which is not an environment of organization '<name>'`. @internal
 */
export function checkOwnEnvironment(
  scope: IConstruct, what: string, environment: { readonly organization: unknown; readonly node: { readonly path: string } } | undefined,
  organization: { readonly name: string },
): void {
  if (!environment || environment.organization !== organization) {
    fail(scope, `${what} '${environment?.node.path}', which is not an environment of organization '${organization.name}'`,
      'pass an Environment declared in the same organization');
  }
}
