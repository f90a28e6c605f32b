import { IConstruct } from 'constructs';
import { fail } from './errors';

/** `scheme://userinfo@` at the start of a URL (userinfo is everything up to the last `@` before the path). */
const USERINFO = /^([A-Za-z][A-Za-z0-9+.-]*:\/\/)([^/?#]*)@/;

/**
 * The URL with any userinfo (`user:pass@`, `:pass@`, `token@`) replaced by `***`, so that a
 * message never repeats a credential. @internal
 */
export function maskUrl(value: string): string {
  if (typeof value !== 'string') return String(value);
  return value.replace(USERINFO, '$1***@');
}

/**
 * Refuses a URL carrying credentials in its userinfo part (`https://user:token@host/...`): the
 * value would be copied into Argo CD, Flux or workload objects committed to Git. The message
 * shows the URL masked. `how` says where the credential belongs instead. @internal
 */
export function checkNoUrlCredentials(scope: IConstruct, what: string, value: string | undefined, how: string): void {
  if (typeof value !== 'string') return;
  const m = USERINFO.exec(value);
  if (!m) return;
  // `ssh://git@host/...` names the SSH user, not a secret; a password or any https user is one.
  const sshUserOnly = /^ssh:\/\//i.test(m[1]) && !m[2].includes(':');
  if (sshUserOnly) return;
  fail(scope, `${what} '${maskUrl(value)}' carries credentials in the URL (they would be copied into the output)`,
    `remove the user and password or token from the URL; ${how}`);
}

/** The host with anything before its last `@` (credentials) replaced by `***`, for messages. @internal */
export function maskHostCredentials(host: string): string {
  return host.includes('@') ? `***@${host.slice(host.lastIndexOf('@') + 1)}` : host;
}

/** Whether `host` is an IPv4 or IPv6 address rather than a host name. @internal */
export function isIpAddress(host: string): boolean {
  return /^(\d{1,3}\.){3}\d{1,3}$/.test(host) || /^\[?[0-9a-fA-F:]*:[0-9a-fA-F:.]*\]?$/.test(host);
}

/**
 * Refuses a host (or host and path, such as a registry) carrying credentials before an `@`
 * (`user:pass@host`, `token@host`), with or without a scheme; the message shows them masked. @internal
 */
export function checkNoHostCredentials(scope: IConstruct, what: string, value: string | undefined, how: string): void {
  if (typeof value !== 'string') return;
  if (USERINFO.test(value)) {
    checkNoUrlCredentials(scope, what, value, how);
    return;
  }
  const m = /^([^/@]*)@([^/]*)(.*)$/.exec(value);
  if (m) {
    fail(scope, `${what} '***@${m[2]}${m[3]}' carries credentials (they would be copied into the output)`, `give the host only; ${how}`);
  }
}
