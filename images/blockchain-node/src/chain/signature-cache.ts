// Remembers transfers whose ed25519 signature verified. A transfer is checked
// when it reaches the mempool and again in the block that mines it; with the
// cache the second check costs a hash (the id is still recomputed from the
// content every time, so a cached id cannot vouch for other content).
export class SignatureCache {
  private readonly verified = new Set<string>();

  constructor(private readonly capacity: number) {}

  /** `id` must already match the transfer's content. */
  check(id: string, signature: string, verify: () => boolean): boolean {
    const key = id + signature;
    if (this.verified.has(key)) return true;
    if (!verify()) return false;
    if (this.verified.size >= this.capacity) this.verified.delete(this.verified.values().next().value!);
    this.verified.add(key);
    return true;
  }
}

/** Twice the mempool, so a full pool stays cached until its transfers are mined. */
export const signatureCache = new SignatureCache(10_000);
