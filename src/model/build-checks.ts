import * as path from 'path';
import { IConstruct } from 'constructs';
import type { BuildHost } from './build';
import { checkPort, isImageReference } from './checks';
import { fail } from './errors';
import { SecretRef } from './secrets';
import { checkNoHostCredentials } from './url-checks';

// Validators of build declarations (build sources, build planes): each names the construct path, the value and the fix.

const REPO_PATH = /^[A-Za-z0-9._@+/-]+$/;
/** @internal */
export const GIT_USER = /^[A-Za-z0-9._@+-]+$/;
const REGISTRY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)(:(\d{1,5}))?((\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*)$/;
const HOST_ENTRY = /^(\*\.)?([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+)(:(\d{1,5}))?$/;
/** @internal */
export const CIDR = /^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\/(3[0-2]|[12]?\d)$/;

export function checkBranch(scope: IConstruct, branch: string): void {
  const bad = typeof branch !== 'string' || branch.length === 0 || !/^[A-Za-z0-9._/-]+$/.test(branch) || branch.startsWith('-') || branch.startsWith('/')
    || branch.endsWith('/') || branch.endsWith('.') || branch.endsWith('.lock') || branch.includes('..') || branch.includes('//');
  if (bad) fail(scope, `build branch '${branch}' is not a valid Git branch name`, "use a branch such as 'main' or 'release/1.x'");
}

/**
 * Normalizes a path relative to `base` (itself relative to the repository root) and checks that
 * it stays inside the repository. Returns the path relative to the root ('.' for the root).
 */
export function checkRepoPath(scope: IConstruct, what: string, value: string, base: string): string {
  if (typeof value !== 'string' || value.length === 0 || !REPO_PATH.test(value)) {
    fail(scope, `${what} '${value}' is invalid`, "use a relative path of letters, digits, '.', '_', '-' and '/', e.g. 'services/api'");
  }
  if (value.startsWith('/')) fail(scope, `${what} '${value}' is absolute`, 'give it relative to the repository (source.path) or to source.path (Dockerfile and context)');
  const joined = path.posix.normalize(path.posix.join(base, value)).replace(/\/+$/, '');
  if (joined === '..' || joined.startsWith('../')) {
    fail(scope, `${what} '${value}' escapes the repository (it resolves to '${joined}' from the repository root)`,
      `keep it inside the repository: relative to ${base === '.' ? 'the repository root' : `'${base}'`}, use at most ${base === '.' ? 0 : base.split('/').length} '..'`);
  }
  return joined === '' ? '.' : joined;
}

/** Builder images must be pinned (a version tag or a digest). */
export function checkBuilderImage(scope: IConstruct, what: string, image: string): string {
  const last = typeof image === 'string' ? image.slice(image.lastIndexOf('/') + 1) : '';
  const pinned = typeof image === 'string' && (image.includes('@sha256:') || (last.includes(':') && !last.endsWith(':latest')));
  if (!isImageReference(image) || !pinned) {
    fail(scope, `${what} '${image}' is not a pinned image reference`, "pin it by a version tag or a digest, e.g. 'docker.io/paketobuildpacks/builder-jammy-base:0.4.610'");
  }
  return image;
}

export function checkSecretRef(scope: IConstruct, what: string, ref: SecretRef): void {
  if (!(ref instanceof SecretRef)) fail(scope, `${what} '${String(ref)}' is not a SecretRef`, `use ${what}: SecretRef.fromStore('<remote-key>')`);
  if (typeof ref.key !== 'string' || ref.key.trim() === '') fail(scope, `${what} has an empty remote key ('${ref.key}')`, `use ${what}: SecretRef.fromStore('<remote-key>')`);
}

export function checkRegistry(scope: IConstruct, registry: string): string {
  checkNoHostCredentials(scope, 'registry', registry, 'keep push credentials in registryCredentials: SecretRef.fromStore(\'<key>\')');
  const m = typeof registry === 'string' ? REGISTRY.exec(registry) : null;
  const host = m?.[1] ?? '';
  if (!m || !(host.includes('.') || m[5] !== undefined || host === 'localhost')) {
    const fix = typeof registry === 'string' && /^[a-z]+:\/\//i.test(registry) ? `drop the scheme: '${registry.replace(/^[a-z]+:\/\//i, '')}'`
      : typeof registry === 'string' && /[:@][^/]*$/.test(registry) && !/:\d+$/.test(registry) ? 'remove the tag or digest: the registry is a host and a path, images get their own names'
        : typeof registry === 'string' && registry !== registry.toLowerCase() ? `use lowercase: '${registry.toLowerCase()}'`
          : "use a registry host with an optional path, e.g. 'ghcr.io/acme' or 'registry.acme.example:5000/platform' (Docker Hub: 'docker.io/acme')";
    fail(scope, `registry '${registry}' is not a registry host with an optional path`, fix);
  }
  if (m[6] !== undefined) checkPort(scope, 'registry port', Number(m[6]));
  return registry;
}

export function defaultRegistryHosts(registry: string): BuildHost[] {
  const m = REGISTRY.exec(registry)!;
  const host = m[1];
  if (host === 'docker.io' || host === 'index.docker.io') {
    return [{ host: 'auth.docker.io', port: 443 }, { host: 'registry-1.docker.io', port: 443 }];
  }
  return [{ host, port: m[6] !== undefined ? Number(m[6]) : 443 }];
}

export function checkHosts(scope: IConstruct, what: string, hosts: string[]): BuildHost[] {
  const out = new Map<string, BuildHost>();
  for (const h of hosts) {
    const m = typeof h === 'string' ? HOST_ENTRY.exec(h) : null;
    if (!m) {
      fail(scope, `${what} entry '${h}' is not a host name`, "use 'host' or 'host:port' without scheme or path, e.g. 'registry.npmjs.org' or '*.pkg.dev:443'");
    }
    const port = m[7] !== undefined ? checkPort(scope, `${what} port`, Number(m[7])) : 443;
    const host = `${m[1] ?? ''}${m[2]}`;
    out.set(`${host}:${port}`, { host, port });
  }
  return [...out.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, v]) => v);
}
