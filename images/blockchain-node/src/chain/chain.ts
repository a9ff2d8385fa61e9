// The block tree and fork choice. Every valid block is kept; the tip is the
// entry with the most cumulative work, ties going to the lower hash so every
// node that has seen the same blocks picks the same tip. Switching to a
// branch that does not extend the tip (a reorg) replays the ledger from
// genesis along the new branch: simple, and cheap at devenv chain sizes.
// The difficulty a block must have is a function of its ancestors only (see
// retarget.ts), so nodes that hold the same blocks require the same bits.
import { BLOCK_VERSION_RETARGET, checkBlock, checkHeader, type Block } from './block.ts';
import { Ledger, LedgerError, type LedgerChanges } from './ledger.ts';
import { workForBits } from './pow.ts';
import { isRetargetHeight, MAX_RETARGET_STEP_BITS, RETARGET_INTERVAL, retargetBits } from './retarget.ts';

export interface ChainEntry {
  block: Block;
  height: number;
  work: bigint;
  parent: ChainEntry | null;
  invalid: boolean;
  /** The difficulty a child of this block must have. */
  childBits: number;
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
  /** The difficulty the next block on the tip must have (a version 1 chain: its genesis's, for ever). */
  get bits(): number | null {
    return this.tip?.childBits ?? null;
  }
  /** The genesis block's version: every block of the chain has it. */
  get version(): number | null {
    return this.genesis?.block.header.version ?? null;
  }
  /** The block interval the chain retargets toward; null for a fixed-difficulty chain. */
  get targetSeconds(): number | null {
    return this.genesis?.block.header.targetSeconds ?? null;
  }
  get retargets(): boolean {
    return this.version === BLOCK_VERSION_RETARGET;
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
    const known = h.height === 0 ? undefined : this.entries.get(h.prevHash);
    // Cheap checks against the difficulty the chain requires before any
    // signature, and an orphan is kept only on those: it is fully checked when
    // it connects. A retargeting chain cannot tell an orphan's required bits
    // without its parent, so only a version 1 chain checks them exactly.
    const requiredBits = h.height === 0 ? null : known ? known.childBits : this.retargets ? null : this.bits;
    const headerProblem = checkHeader(block, requiredBits, now);
    if (headerProblem) return { status: 'invalid', reason: headerProblem };
    const version = this.version;
    if (h.height > 0 && version !== null && h.version !== version) return { status: 'invalid', reason: `block version ${h.version}, the network's is ${version}` };
    if (h.height > 0 && !known) {
      // Not kept when it is easier than one retarget below our tip could make
      // it (cheap to forge); not invalid either: an honest peer far ahead may
      // have such a block, and it arrives again, in order, when we sync.
      const tipBits = this.bits;
      if (!(this.retargets && tipBits !== null && h.bits < tipBits - MAX_RETARGET_STEP_BITS)) this.keepOrphan(block);
      return { status: 'orphan' };
    }
    const problem = checkBlock(block, now);
    if (problem) return { status: 'invalid', reason: problem };
    let entry: ChainEntry;
    if (h.height === 0) {
      if (this.genesis) return { status: 'invalid', reason: `different genesis block (ours is ${this.genesis.block.hash})` };
      entry = { block, height: 0, work: workForBits(h.bits), parent: null, invalid: false, childBits: h.bits };
    } else {
      const parent = this.entries.get(h.prevHash)!;
      if (parent.invalid) return { status: 'invalid', reason: 'builds on an invalid block' };
      if (h.height !== parent.height + 1) return { status: 'invalid', reason: `height ${h.height} does not follow ${parent.height}` };
      if (h.timestamp <= parent.block.header.timestamp) return { status: 'invalid', reason: 'block timestamp is not after its parent' };
      entry = { block, height: h.height, work: parent.work + workForBits(h.bits), parent, invalid: false, childBits: h.bits };
    }
    entry.childBits = this.childBits(entry);
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

  /**
   * The difficulty a child of `entry` must have: the same as `entry`'s, except
   * on a retargeting chain at a retarget height, where it moves toward the
   * target by the time the last RETARGET_INTERVAL blocks (ending at `entry`) took.
   */
  private childBits(entry: ChainEntry): number {
    const bits = entry.block.header.bits;
    const target = entry.height === 0 ? entry.block.header.targetSeconds : this.targetSeconds;
    if (entry.block.header.version !== BLOCK_VERSION_RETARGET || target == null || !isRetargetHeight(entry.height + 1)) return bits;
    let first = entry;
    while (first.height > entry.height + 1 - RETARGET_INTERVAL && first.parent) first = first.parent;
    const intervals = entry.height - first.height;
    const actualMs = entry.block.header.timestamp - first.block.header.timestamp;
    return retargetBits(bits, actualMs, intervals * target * 1000);
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
