// Client addresses and whitelist entries: exact IPs or IPv4 CIDR ranges.
import { isIP } from 'node:net';

export const normalizeIp = (ip: string | undefined): string => (ip ?? '').replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');

export function isValidWhitelistEntry(entry: string): boolean {
  const [addr, bits, extra] = entry.split('/');
  if (extra !== undefined) return false;
  if (bits === undefined) return isIP(addr) !== 0;
  const n = Number(bits);
  return isIP(addr) === 4 && Number.isInteger(n) && n >= 0 && n <= 32;
}

const ipv4ToInt = (ip: string): number => ip.split('.').reduce((acc, o) => ((acc << 8) | Number(o)) >>> 0, 0);

export function ipMatches(ip: string, entry: string): boolean {
  const client = normalizeIp(ip);
  const [addr, bits] = entry.split('/');
  if (bits === undefined) return normalizeIp(addr) === client;
  if (isIP(client) !== 4) return false;
  const n = Number(bits);
  const mask = n === 0 ? 0 : (0xffffffff << (32 - n)) >>> 0;
  return (ipv4ToInt(client) & mask) === (ipv4ToInt(addr) & mask);
}
