import { createHash } from 'node:crypto';

export const ZERO_HASH = '0'.repeat(64);

export function sha256(data: string | Uint8Array): Buffer {
  return createHash('sha256').update(data).digest();
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export const isHash = (v: unknown): v is string => typeof v === 'string' && /^[0-9a-f]{64}$/.test(v);

/** Bitcoin-style merkle root over hex ids; an odd level duplicates its last id. */
export function merkleRoot(ids: readonly string[]): string {
  if (ids.length === 0) return sha256Hex('');
  let level: Buffer[] = ids.map((id) => Buffer.from(id, 'hex'));
  while (level.length > 1) {
    const next: Buffer[] = [];
    for (let i = 0; i < level.length; i += 2) {
      const right = level[i + 1] ?? level[i];
      next.push(sha256(Buffer.concat([level[i], right])));
    }
    level = next;
  }
  return level[0].toString('hex');
}
