// The continuous miner of a miner-role node: mines on the current tip with the
// current mempool and starts over whenever either changes.
import { setTimeout as sleep } from 'node:timers/promises';
import { MAX_TXS_PER_BLOCK, templateWithCoinbase, type Block } from '../chain/block.ts';
import type { Chain } from '../chain/chain.ts';
import type { Mempool } from '../chain/mempool.ts';
import { mineBlock } from './mine-block.ts';

export interface MinerDeps {
  chain: Chain;
  mempool: Mempool;
  address: string;
  dutyCycle: number;
  onBlock: (block: Block) => void;
}

export class Miner {
  private running = false;
  private stale = false;
  private loop: Promise<void> | null = null;
  private hashes = 0;
  private readonly startedAt = Date.now();

  constructor(private readonly deps: MinerDeps) {}

  get address(): string {
    return this.deps.address;
  }
  get isRunning(): boolean {
    return this.running;
  }
  /** Average hashes per second since start. */
  get hashRate(): number {
    return Math.round(this.hashes / Math.max(1, (Date.now() - this.startedAt) / 1000));
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** The tip or the mempool changed: abandon the current template. */
  invalidate(): void {
    this.stale = true;
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  private async run(): Promise<void> {
    const { chain, mempool } = this.deps;
    while (this.running) {
      const tip = chain.tip;
      if (!tip || chain.bits === null) {
        await sleep(250);
        continue;
      }
      this.stale = false;
      const template = templateWithCoinbase({
        height: tip.height + 1,
        prevHash: tip.block.hash,
        parentTimestamp: tip.block.header.timestamp,
        bits: chain.bits,
        version: chain.version ?? undefined,
        miner: this.deps.address,
        transfers: mempool.select(MAX_TXS_PER_BLOCK - 1),
      });
      const block = await mineBlock(template, {
        dutyCycle: this.deps.dutyCycle,
        shouldStop: () => this.stale || !this.running,
        onHashes: (n) => (this.hashes += n),
      });
      if (block && this.running) this.deps.onBlock(block);
      // mineBlock returns without yielding when the first hashes find a block
      // (a few bits): yield here, or at such a difficulty the loop would run
      // on microtasks alone and starve P2P, HTTP and timers.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}
