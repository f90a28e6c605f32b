import { IConstruct } from 'constructs';
import { fail } from './errors';

const DNS_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Kubernetes' limit on a ConfigMap's data (1 MiB). @internal */
export const CONFIG_MAP_MAX_BYTES = 1024 * 1024;
/** Kubernetes' limit on an object's annotations, keys and values together (256 KiB). @internal */
export const ANNOTATIONS_MAX_BYTES = 256 * 1024;
/** Kubernetes' limit on a label value. @internal */
export const LABEL_VALUE_MAX = 63;

/** Validates a DNS name (such as a cluster domain): lowercase dot-separated DNS labels. @internal */
export function checkDnsName(scope: IConstruct, what: string, value: string, example: string): string {
  if (typeof value !== 'string' || !DNS_SUBDOMAIN.test(value) || value.split('.').some(l => l.length > 63)) {
    fail(scope, `${what} '${value}' is not a DNS name`, `use lowercase DNS labels joined by dots, e.g. '${example}'`);
  }
  return value;
}

/** Validates a namespace a controller runs in (a DNS-1123 label of at most 63 characters). @internal */
export function checkNamespaceName(scope: IConstruct, what: string, value: string, example: string): string {
  if (typeof value !== 'string' || value.length > 63 || !DNS_LABEL.test(value)) {
    fail(scope, `${what} '${value}' is not a valid namespace name (a DNS-1123 label of at most 63 characters)`,
      `use lowercase letters, digits and '-', e.g. '${example}'`);
  }
  return value;
}

/** Normalizes an absolute path for overlap checks: no trailing slash, no repeated slashes. @internal */
export function normalizePath(p: string): string {
  const s = p.replace(/\/+/g, '/').replace(/\/$/, '');
  return s === '' ? '/' : s;
}

/** Whether one normalized path is the other or lies inside it. @internal */
export function pathsOverlap(a: string, b: string): boolean {
  const x = normalizePath(a);
  const y = normalizePath(b);
  return x === y || x.startsWith(y === '/' ? '/' : `${y}/`) || y.startsWith(x === '/' ? '/' : `${x}/`);
}

/** Byte length of a string in UTF-8. @internal */
export function utf8Bytes(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}
