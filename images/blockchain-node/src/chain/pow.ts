// Proof of work: the header hash must start with `bits` zero bits. A block's
// work is the expected number of hashes to find it, 2^bits.

export const MIN_BITS = 1;
export const MAX_BITS = 64;

export function leadingZeroBits(hashHex: string): number {
  let bits = 0;
  for (const ch of hashHex) {
    const nibble = parseInt(ch, 16);
    if (nibble === 0) {
      bits += 4;
      continue;
    }
    return bits + Math.clz32(nibble) - 28;
  }
  return bits;
}

export const meetsDifficulty = (hashHex: string, bits: number): boolean => leadingZeroBits(hashHex) >= bits;

/** Same check on a raw digest without converting it to hex (the mining hot loop). */
export function digestMeetsDifficulty(digest: Uint8Array, bits: number): boolean {
  let remaining = bits;
  for (let i = 0; remaining > 0; i++) {
    const byte = digest[i];
    if (remaining >= 8) {
      if (byte !== 0) return false;
      remaining -= 8;
    } else {
      return byte >> (8 - remaining) === 0;
    }
  }
  return true;
}

export const workForBits = (bits: number): bigint => 1n << BigInt(bits);
