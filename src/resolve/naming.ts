/* eslint-disable no-bitwise */ // hash functions work on bits
import { createHash } from 'crypto';

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

/** Lowercases, maps characters outside [a-z0-9.-] to '-', trims leading/trailing '-' and '.'. */
export function sanitizeNamePart(part: string): string {
  return part.toLowerCase().replace(/[^a-z0-9.-]/g, '-').replace(/^[-.]+|[-.]+$/g, '');
}

/** First `n` hex characters of the SHA-256 of `s`. */
export function sha256Hex(s: string, n = 64): string {
  return createHash('sha256').update(s).digest('hex').slice(0, n);
}

/** FNV-1a 32-bit hash as 8 lowercase hex characters. */
export function fnv1a32(s: string): string {
  let h = 0x811c9dc5;
  const bytes = Buffer.from(s, 'utf8');
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
    const truncated = sanitizeNamePart(part).slice(0, allowance).replace(/[-.]+$/, '');
    if (truncated.length > 0) out.push(truncated);
  }
  out.push(hash);
  return out.join('-');
}

/**
 * A deterministic RFC 4122-shaped identifier (version 5 layout over SHA-256) for a named model
 * object. OpenChoreo labels objects with the UIDs of their control-plane resources; an offline
 * renderer has no API server, so it derives stable ones from the qualified name.
 */
export function stableUid(kind: string, ...qualifiedName: string[]): string {
  const h = sha256Hex(`${kind}/${qualifiedName.join('/')}`, 32).split('');
  h[12] = '5';
  h[16] = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  const s = h.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20, 32)}`;
}
