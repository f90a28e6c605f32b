import { IConstruct } from 'constructs';
import { fail } from './errors';

const ENTRY = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?(:[0-9]+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/;

/**
 * Checks the organization's allowed registries: host names with an optional port and repository
 * path, no scheme, tag, digest or trailing slash; returns them sorted without repeats. @internal
 */
export function checkAllowedRegistries(scope: IConstruct, entries: string[] | undefined): string[] {
  if (entries === undefined) return [];
  if (!Array.isArray(entries)) fail(scope, `allowedRegistries ${JSON.stringify(entries)} is not a list`, "give a list of registries, e.g. ['ghcr.io/acme']");
  for (const e of entries) {
    if (typeof e !== 'string' || !ENTRY.test(e)) {
      fail(scope, `allowed registry '${String(e)}' is not a registry host or repository prefix`,
        "write it as an image reference starts, without scheme, tag or trailing slash, e.g. 'ghcr.io/acme' or 'registry.acme.example:5000'");
    }
  }
  return [...new Set(entries)].sort();
}

/**
 * The fully qualified repository of an image reference: Docker Hub images without a registry host
 * become `docker.io/library/<name>` (or `docker.io/<owner>/<name>`); tag and digest dropped. @internal
 */
export function repositoryOf(image: string): string {
  const withoutDigest = image.split('@')[0];
  const slash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.indexOf(':', slash + 1);
  const repo = colon < 0 ? withoutDigest : withoutDigest.slice(0, colon);
  const first = repo.split('/')[0];
  const hasHost = repo.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (hasHost) return repo;
  return repo.includes('/') ? `docker.io/${repo}` : `docker.io/library/${repo}`;
}

/** Whether `image` comes from one of `allowed` (a host, or a repository prefix ending at a path segment). @internal */
export function isAllowedImage(image: string, allowed: readonly string[]): boolean {
  const repo = repositoryOf(image);
  return allowed.some(a => repo === a || repo.startsWith(`${a}/`));
}
