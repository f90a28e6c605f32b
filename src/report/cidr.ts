// ---------------------------------------------------------------------------------------------
// CIDR arithmetic (IPv4; no bitwise operators)
import type { ExternalPeer } from './connectivity-model';
import type { Path } from './json-path';

export interface Cidr {
  /** undefined for IPv6 blocks, which can match only fqdn-only targets (and only as ::/0). */
  readonly base?: number;
  readonly prefix: number;
}

export function parseCidr(text: any, where: string, path: Path): Cidr {
  const s = String(text);
  const slash = s.indexOf('/');
  const addr = slash < 0 ? s : s.slice(0, slash);
  const ipv6 = addr.includes(':');
  const max = ipv6 ? 128 : 32;
  const prefix = slash < 0 ? max : Number(s.slice(slash + 1));
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > max || (slash >= 0 && !/^[0-9]+$/.test(s.slice(slash + 1)))) {
    throw new Error(`connectivity: ${where}: ${path} ${s} is not a CIDR`);
  }
  if (ipv6) {
    if (!/^[0-9a-fA-F:.]+$/.test(addr)) throw new Error(`connectivity: ${where}: ${path} ${s} is not a CIDR`);
    return { prefix };
  }
  return { base: parseIpv4(addr, where, path), prefix };
}

/** An IPv4 address as a number; `where` (and `path`, when given: `${where}: ${path}`) name it in the error only. */
export function parseIpv4(text: string, where: string, path?: Path): number {
  const parts = String(text).split('.');
  if (parts.length !== 4 || parts.some(p => !/^[0-9]{1,3}$/.test(p) || Number(p) > 255)) {
    throw new Error(`connectivity: ${path === undefined ? where : `${where}: ${path}`}: ${text} is not an IPv4 address`);
  }
  return parts.reduce((acc, p) => acc * 256 + Number(p), 0);
}

export function inBlock(block: Cidr, ip: number): boolean {
  if (block.base === undefined) return false;
  const size = Math.pow(2, 32 - block.prefix);
  return Math.floor(ip / size) === Math.floor(block.base / size);
}

/** Whether `block` minus `except` contains the external peer. */
export function cidrContains(block: Cidr, except: Cidr[], peer: ExternalPeer): boolean {
  const ip = peer.ip;
  if (ip === undefined) return block.prefix === 0; // fqdn-only: only "anywhere" covers it
  return inBlock(block, ip) && !except.some(e => inBlock(e, ip));
}

