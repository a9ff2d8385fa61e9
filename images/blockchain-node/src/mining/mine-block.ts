// Searches nonces for one block template in short slices. Between slices it
// yields to the event loop (P2P and HTTP stay responsive) and sleeps long
// enough that mining uses about `dutyCycle` of one core.
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { encodeHeader, NONCE_OFFSET, type Block } from '../chain/block.ts';
import { digestMeetsDifficulty } from '../chain/pow.ts';

export interface MineOptions {
  /** Fraction of one core to use, in (0, 1]. */
  dutyCycle: number;
  sliceMs?: number;
  /** Checked between slices: the template is outdated or mining should stop. */
  shouldStop: () => boolean;
  onHashes?: (count: number) => void;
}

const CHECK_CLOCK_EVERY = 512;

export async function mineBlock(template: Omit<Block, 'hash'>, opts: MineOptions): Promise<Block | null> {
  const sliceMs = opts.sliceMs ?? 10;
  const pauseMs = opts.dutyCycle >= 1 ? 0 : (sliceMs * (1 - opts.dutyCycle)) / opts.dutyCycle;
  const header = { ...template.header, nonce: 0 };
  let buf = encodeHeader(header);
  let nonce = 0;
  for (;;) {
    const sliceEnd = performance.now() + sliceMs;
    let hashes = 0;
    while (performance.now() < sliceEnd) {
      for (let i = 0; i < CHECK_CLOCK_EVERY; i++) {
        buf.writeUInt32BE(nonce, NONCE_OFFSET);
        const digest = createHash('sha256').update(buf).digest();
        hashes++;
        if (digestMeetsDifficulty(digest, header.bits)) {
          opts.onHashes?.(hashes);
          const found = { ...header, nonce };
          return { hash: digest.toString('hex'), header: found, txs: template.txs };
        }
        if (nonce === 0xffffffff) {
          // Nonce space exhausted: a new timestamp gives a fresh search space.
          header.timestamp = Math.max(Date.now(), header.timestamp + 1);
          buf = encodeHeader(header);
          nonce = 0;
        } else {
          nonce++;
        }
      }
    }
    opts.onHashes?.(hashes);
    if (pauseMs > 0) await sleep(pauseMs);
    else await new Promise((resolve) => setImmediate(resolve));
    if (opts.shouldStop()) return null;
  }
}
