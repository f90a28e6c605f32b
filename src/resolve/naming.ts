/* eslint-disable no-bitwise */ // hash functions work on bits
import * as crypto from 'crypto';
import { flat } from './flat-string';

/** Kubernetes name limits used by OpenChoreo's naming function. */
export const NameLimit = {
  /** DNS-1123 label: namespaces, services, label values. */
  LABEL: 63,
  /** CronJob names leave room for the Job suffix Kubernetes appends. */
  CRONJOB: 52,
  /** StatefulSet names leave room for the pod ordinal and the controller-revision-hash suffix (label values). */
  STATEFULSET: 52,
  /** DNS-1123 subdomain: most object names. */
  SUBDOMAIN: 253,
} as const;

/** Parts that sanitizing leaves unchanged (most names are already DNS labels): tested once, not rewritten. */
const CLEAN_PART = /^(?:[a-z0-9]|[a-z0-9][a-z0-9.-]*[a-z0-9])$/;

/** Lowercases, maps characters outside [a-z0-9.-] to '-', trims leading/trailing '-' and '.'. */
export function sanitizeNamePart(part: string): string {
  if (CLEAN_PART.test(part)) return part;
  return part.toLowerCase().replace(/[^a-z0-9.-]/g, '-').replace(/^[-.]+|[-.]+$/g, '');
}

/** One-shot hashing (Node 20.12+) skips the Hash object; older Node falls back to createHash. */
const oneShotHash: ((algorithm: string, data: string, encoding: 'hex') => string) | undefined = (crypto as any).hash;

/** First `n` hex characters of the SHA-256 of `s`. */
export function sha256Hex(s: string, n = 64): string {
  const hex = oneShotHash ? oneShotHash('sha256', s, 'hex') : crypto.createHash('sha256').update(s).digest('hex');
  return n >= 64 ? hex : hex.slice(0, n);
}

/** FNV-1a 32-bit hash as 8 lowercase hex characters. */
export function fnv1a32(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i);
    if (code > 0x7f) return fnv1a32Bytes(Buffer.from(s, 'utf8'));
    h = Math.imul(h ^ code, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

/** {@link fnv1a32} over UTF-8 bytes (strings with non-ASCII characters; ASCII ones hash their character codes). */
function fnv1a32Bytes(bytes: Uint8Array): string {
  let h = 0x811c9dc5;
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

/**
 * OpenChoreo's `GenerateK8sNameWithLengthLimit`: sanitized parts joined by '-', each truncated so
 * that the whole fits `limit`, followed by the first 8 hex characters of the SHA-256 of the
 * original (unsanitized) parts joined by '-'.
 */
export function generateName(limit: number, ...parts: string[]): string {
  const hash = sha256Hex(parts.join('-'), 8);
  const budget = limit - 8 - parts.length; // one '-' per part plus the hash
  const base = Math.floor(budget / parts.length);
  let remainder = budget - base * parts.length;
  const out: string[] = [];
  for (const part of parts) {
    const allowance = base + (remainder > 0 ? 1 : 0);
    if (remainder > 0) remainder--;
    const truncated = trimTrailingSeparators(sanitizeNamePart(part).slice(0, allowance));
    if (truncated.length > 0) out.push(truncated);
  }
  out.push(hash);
  return out.join('-');
}

/** `s` without trailing '-' and '.' (what `.replace(/[-.]+$/, '')` does, without a regular expression). */
function trimTrailingSeparators(s: string): string {
  let end = s.length;
  while (end > 0 && (s.charCodeAt(end - 1) === 45 /* - */ || s.charCodeAt(end - 1) === 46 /* . */)) end--;
  return end === s.length ? s : s.slice(0, end);
}

/**
 * A deterministic RFC 4122-shaped identifier (version 5 layout over SHA-256) for a named model
 * object. OpenChoreo labels objects with the UIDs of their control-plane resources; an offline
 * renderer has no API server, so it derives stable ones from the qualified name.
 */
export function stableUid(kind: string, ...qualifiedName: string[]): string {
  const s = sha256Hex(`${kind}/${qualifiedName.join('/')}`);
  const variant = ((parseInt(s[16], 16) & 0x3) | 0x8).toString(16);
  return flat(`${s.slice(0, 8)}-${s.slice(8, 12)}-5${s.slice(13, 16)}-${variant}${s.slice(17, 20)}-${s.slice(20, 32)}`);
}
