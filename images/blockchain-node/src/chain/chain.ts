// The block tree and fork choice. Every valid block is kept; the tip is the
// entry with the most cumulative work, ties going to the lower hash so every
// node that has seen the same blocks picks the same tip. Switching to a
// branch that does not extend the tip (a reorg) replays the ledger from
// genesis along the new branch: simple, and cheap at devenv chain sizes.
import { checkBlock, checkHeader, type Block } from './block.ts';
import { Ledger, LedgerError, type LedgerChanges } from './ledger.ts';
import { workForBits } from './pow.ts';

export interface ChainEntry {
  block: Block;
  height: number;
  work: bigint;
  parent: ChainEntry | null;
  invalid: boolean;
}

export interface TipChange {
  tip: ChainEntry;
  previous: ChainEntry | null;
  connected: Block[];
  disconnected: Block[];
}

export type AddOutcome =
  | { status: 'duplicate' }
  | { status: 'orphan' }
  | { status: 'invalid'; reason: string }
  /** Valid, but the store could not write it, so it was not accepted. */
  | { status: 'unstored' }
  | { status: 'accepted'; accepted: Block[]; tipChanges: TipChange[] };

/** Writes an accepted block durably; false when it could not. */
export type Persist = (block: Block) => boolean;

const MAX_ORPHANS = 1000;
/** JSON bytes of all orphans together: about 3x that in heap, far under a 512Mi pod. */
export const MAX_ORPHAN_BYTES = 8 * 1024 * 1024;

export function isBetter(a: ChainEntry, b: ChainEntry | null): boolean {
  if (!b) return true;
  if (a.work !== b.work) return a.work > b.work;
  return a.block.hash < b.block.hash;
}

export class Chain {
  private readonly entries = new Map<string, ChainEntry>();
  /** Blocks whose parent we lack, with their JSON size, oldest first. */
  private readonly orphans = new Map<string, { block: Block; bytes: number }>();
  private orphanBytesTotal = 0;
  private best: ChainEntry[] = [];
  private tipLedger = new Ledger();

  get tip(): ChainEntry | null {
    return this.best.at(-1) ?? null;
  }
  get genesis(): ChainEntry | null {
    return this.best[0] ?? null;
  }
  /** Height of the tip; -1 before the genesis block is known. */
  get height(): number {
    return this.best.length - 1;
  }
  /** The network's difficulty, fixed by its genesis block. */
  get bits(): number | null {
    return this.genesis?.block.header.bits ?? null;
  }
  get ledger(): Ledger {
    return this.tipLedger;
  }
  get blockCount(): number {
    return this.entries.size;
  }
  get orphanCount(): number {
    return this.orphans.size;
  }
  get orphanBytes(): number {
    return this.orphanBytesTotal;
  }

  has(hash: string): boolean {
    return this.entries.has(hash) || this.orphans.has(hash);
  }
  entry(hash: string): ChainEntry | undefined {
    return this.entries.get(hash);
  }
  isOnBestChain(hash: string): boolean {
    const e = this.entries.get(hash);
    return !!e && this.best[e.height] === e;
  }
  atHeight(height: number): ChainEntry | undefined {
    return this.best[height];
  }

  /**
   * Hashes a peer can use to find where our chain and theirs diverge: from
   * `fromHash` (a block we hold, default the tip) back to genesis, dense near
   * the start and then doubling its steps.
   */
  locator(fromHash?: string): string[] {
    const out: string[] = [];
    let e: ChainEntry | null | undefined = fromHash === undefined ? this.tip : this.entries.get(fromHash);
    let step = 1;
    while (e && e.height > 0) {
      out.push(e.block.hash);
      if (out.length >= 10) step *= 2;
      const target = Math.max(0, e.height - step);
      // On the best chain jump by index; a side branch is walked up to where it joins.
      while (e && e.height > target && this.best[e.height] !== e) e = e.parent;
      if (e && e.height > target) e = this.best[target];
    }
    if (this.genesis) out.push(this.genesis.block.hash);
    return out;
  }

  /** Best-chain blocks after the first locator hash we share (from genesis if none). */
  blocksAfter(locator: readonly string[], limit: number): Block[] {
    let start = 0;
    for (const hash of locator) {
      if (this.isOnBestChain(hash)) {
        start = this.entries.get(hash)!.height + 1;
        break;
      }
    }
    return this.best.slice(start, start + limit).map((e) => e.block);
  }

  /**
   * Validates and connects a block (and the orphans it unblocks). `persist`
   * is called for each block after it validated and before it enters the
   * chain; when it returns false nothing of that block is committed, and the
   * outcome is `unstored` (or the blocks accepted until then).
   */
  addBlock(block: Block, now = Date.now(), persist: Persist = () => true): AddOutcome {
    if (this.has(block.hash)) return { status: 'duplicate' };
    const accepted: Block[] = [];
    const tipChanges: TipChange[] = [];
    const first = this.connect(block, now, persist, accepted, tipChanges);
    if (first.status !== 'accepted') return first;
    // Blocks that arrived before their parent can now be connected.
    const queue = [block.hash];
    while (queue.length > 0) {
      const parentHash = queue.shift()!;
      for (const { block: orphan } of [...this.orphans.values()]) {
        if (orphan.header.prevHash !== parentHash) continue;
        this.dropOrphan(orphan.hash);
        const status = this.connect(orphan, now, persist, accepted, tipChanges).status;
        if (status === 'accepted') queue.push(orphan.hash);
        if (status === 'unstored') queue.length = 0;
      }
    }
    return { status: 'accepted', accepted, tipChanges };
  }

  private connect(block: Block, now: number, persist: Persist, accepted: Block[], tipChanges: TipChange[]): AddOutcome {
    const h = block.header;
    // Cheap checks against the network's difficulty before any signature, and
    // an orphan is kept only on those: it is fully checked when it connects.
    const headerProblem = checkHeader(block, h.height === 0 ? null : this.bits, now);
    if (headerProblem) return { status: 'invalid', reason: headerProblem };
    if (h.height > 0 && !this.entries.has(h.prevHash)) {
      this.keepOrphan(block);
      return { status: 'orphan' };
    }
    const problem = checkBlock(block, now);
    if (problem) return { status: 'invalid', reason: problem };
    let entry: ChainEntry;
    if (h.height === 0) {
      if (this.genesis) return { status: 'invalid', reason: `different genesis block (ours is ${this.genesis.block.hash})` };
      entry = { block, height: 0, work: workForBits(h.bits), parent: null, invalid: false };
    } else {
      const parent = this.entries.get(h.prevHash)!;
      if (parent.invalid) return { status: 'invalid', reason: 'builds on an invalid block' };
      if (h.height !== parent.height + 1) return { status: 'invalid', reason: `height ${h.height} does not follow ${parent.height}` };
      if (h.timestamp <= parent.block.header.timestamp) return { status: 'invalid', reason: 'block timestamp is not after its parent' };
      entry = { block, height: h.height, work: parent.work + workForBits(h.bits), parent, invalid: false };
    }
    const switchTo = isBetter(entry, this.tip) ? this.prepareTip(entry) : null;
    if (typeof switchTo === 'string') {
      // Kept (marked invalid) so that its descendants are refused at once.
      entry.invalid = true;
      this.entries.set(block.hash, entry);
      return { status: 'invalid', reason: switchTo };
    }
    // Written before it is accepted: a block the store did not take never
    // enters the chain, so memory and disk cannot disagree.
    if (!persist(block)) return { status: 'unstored' };
    this.entries.set(block.hash, entry);
    if (switchTo) tipChanges.push(switchTo.commit());
    accepted.push(block);
    return { status: 'accepted', accepted, tipChanges };
  }

  /** The ledger of the new tip, computed without touching the current one; or why it fails. */
  private prepareTip(entry: ChainEntry): { commit: () => TipChange } | string {
    const previous = this.tip;
    if (entry.parent === previous) {
      let changes: LedgerChanges;
      try {
        changes = this.tipLedger.prepare(entry.block);
      } catch (err) {
        if (err instanceof LedgerError) return err.message;
        throw err;
      }
      return {
        commit: () => {
          this.tipLedger.commit(changes);
          this.best.push(entry);
          return { tip: entry, previous, connected: [entry.block], disconnected: [] };
        },
      };
    }
    const path: ChainEntry[] = [];
    for (let e: ChainEntry | null = entry; e; e = e.parent) path.push(e);
    path.reverse();
    const ledger = new Ledger();
    for (const e of path) {
      try {
        ledger.applyBlock(e.block);
      } catch (err) {
        if (!(err instanceof LedgerError)) throw err;
        e.invalid = true;
        return err.message;
      }
    }
    return {
      commit: () => {
        let fork = 0;
        while (fork < path.length && this.best[fork] === path[fork]) fork++;
        const disconnected = this.best.slice(fork).map((e) => e.block);
        this.best = path;
        this.tipLedger = ledger;
        return { tip: entry, previous, connected: path.slice(fork).map((e) => e.block), disconnected };
      },
    };
  }

  private keepOrphan(block: Block): void {
    const bytes = JSON.stringify(block).length;
    if (bytes > MAX_ORPHAN_BYTES) return;
    while (this.orphans.size >= MAX_ORPHANS || this.orphanBytesTotal + bytes > MAX_ORPHAN_BYTES) {
      const oldest = this.orphans.keys().next().value;
      if (oldest === undefined) break;
      this.dropOrphan(oldest);
    }
    this.orphans.set(block.hash, { block, bytes });
    this.orphanBytesTotal += bytes;
  }

  private dropOrphan(hash: string): void {
    const o = this.orphans.get(hash);
    if (!o) return;
    this.orphans.delete(hash);
    this.orphanBytesTotal -= o.bytes;
  }
}
