// Transfers waiting to be mined. Pending transfers from one sender must carry
// consecutive nonces after the sender's confirmed nonce and must not spend
// more than the confirmed balance, so the pool never holds a double spend.
// Each sender's queue and pending spend are indexed, so admission and a new
// tip cost time in proportion to the transfers they touch, not to the pool.
import type { Block } from './block.ts';
import { Ledger, type Account } from './ledger.ts';
import { checkTransaction, type Transfer } from './transaction.ts';

export const MAX_MEMPOOL = 5000;

/**
 * `invalid`: wrong on its own (signature, fields); `state`: does not follow the
 * sender's nonce or balance at our tip; `full`: no room, nobody's fault.
 */
export type RejectCause = 'invalid' | 'state' | 'full';
export type MempoolAdd = { status: 'added' } | { status: 'duplicate' } | { status: 'rejected'; reason: string; cause: RejectCause };

/** Rejected ids remembered until the tip moves (what fails now may fit a later tip). */
const MAX_RECENTLY_REJECTED = 10_000;

interface SenderQueue {
  /** Ascending, consecutive nonces. */
  txs: Transfer[];
  spent: number;
}

export class Mempool {
  /** Insertion order: each sender's nonces ascending, so any prefix is minable. */
  private readonly txs = new Map<string, Transfer>();
  private readonly senders = new Map<string, SenderQueue>();
  /** Ids that failed against the current tip: a copy is refused without any work. */
  private readonly recentlyRejected = new Set<string>();

  get size(): number {
    return this.txs.size;
  }
  has(id: string): boolean {
    return this.txs.has(id);
  }
  list(): Transfer[] {
    return [...this.txs.values()];
  }

  /** The sender's account as if every pending transfer of theirs were mined. */
  pendingAccount(address: string, ledger: Ledger): Account {
    const acc = ledger.account(address);
    const q = this.senders.get(address);
    return q ? { balance: acc.balance - q.spent, nonce: acc.nonce + q.txs.length } : { ...acc };
  }

  add(tx: Transfer, ledger: Ledger): MempoolAdd {
    if (this.txs.has(tx.id)) return { status: 'duplicate' };
    if (this.recentlyRejected.has(tx.id)) return { status: 'rejected', reason: 'already rejected at this tip', cause: 'state' };
    const invalid = checkTransaction(tx);
    if (invalid) return { status: 'rejected', reason: invalid, cause: 'invalid' };
    const problem = Ledger.transferProblem(tx, this.pendingAccount(tx.from, ledger));
    if (problem) {
      if (this.recentlyRejected.size >= MAX_RECENTLY_REJECTED) this.recentlyRejected.clear();
      this.recentlyRejected.add(tx.id);
      return { status: 'rejected', reason: problem, cause: 'state' };
    }
    if (this.txs.size >= MAX_MEMPOOL) return { status: 'rejected', reason: 'mempool is full', cause: 'full' };
    this.insert(tx);
    return { status: 'added' };
  }

  /**
   * After the tip moved. Without a reorg (`connected` given, nothing
   * disconnected) only the senders of the new blocks' transfers are looked
   * at: what was mined leaves, and what no longer follows their new nonce or
   * balance is dropped. A reorg returns the abandoned blocks' transfers and
   * re-admits everything against the new tip. Signatures are not checked
   * again: everything here was checked on entry or in an accepted block.
   */
  retarget(ledger: Ledger, disconnected: readonly Block[], connected?: readonly Block[]): void {
    this.recentlyRejected.clear();
    if (connected && disconnected.length === 0) {
      const mined = new Set<string>();
      const touched = new Set<string>();
      for (const block of connected) {
        for (const tx of block.txs) {
          if (tx.kind !== 'transfer') continue;
          touched.add(tx.from);
          mined.add(tx.id);
        }
      }
      for (const sender of touched) this.revalidateSender(sender, ledger, mined);
      return;
    }
    const candidates = [...this.txs.values()];
    for (const block of disconnected) {
      for (const tx of block.txs) if (tx.kind === 'transfer' && !this.txs.has(tx.id)) candidates.push(tx);
    }
    candidates.sort((a, b) => (a.from === b.from ? a.nonce - b.nonce : a.from < b.from ? -1 : 1));
    this.txs.clear();
    this.senders.clear();
    for (const tx of candidates) {
      if (this.txs.size >= MAX_MEMPOOL) break;
      if (!this.txs.has(tx.id) && !Ledger.transferProblem(tx, this.pendingAccount(tx.from, ledger))) this.insert(tx);
    }
  }

  /**
   * Transfers for the next block. Insertion order already has each sender's
   * nonces ascending (add() demands the next nonce), so any prefix is valid.
   */
  select(max: number): Transfer[] {
    const out: Transfer[] = [];
    for (const tx of this.txs.values()) {
      if (out.length >= max) break;
      out.push(tx);
    }
    return out;
  }

  private insert(tx: Transfer): void {
    this.txs.set(tx.id, tx);
    const q = this.senders.get(tx.from) ?? { txs: [], spent: 0 };
    q.txs.push(tx);
    q.spent += tx.amount;
    this.senders.set(tx.from, q);
  }

  /**
   * Drops the sender's mined transfers, then keeps the longest run of the
   * rest that still follows the ledger. One pass over the sender's queue.
   */
  private revalidateSender(sender: string, ledger: Ledger, mined: ReadonlySet<string>): void {
    const q = this.senders.get(sender);
    if (!q) return;
    const acc = ledger.account(sender);
    let nonce = acc.nonce;
    let balance = acc.balance;
    const kept: Transfer[] = [];
    let valid = true;
    for (const tx of q.txs) {
      if (mined.has(tx.id)) {
        this.txs.delete(tx.id);
        continue;
      }
      valid &&= !Ledger.transferProblem(tx, { nonce, balance });
      if (!valid) {
        this.txs.delete(tx.id);
        continue;
      }
      nonce++;
      balance -= tx.amount;
      kept.push(tx);
    }
    if (kept.length === 0) this.senders.delete(sender);
    else this.senders.set(sender, { txs: kept, spent: kept.reduce((n, t) => n + t.amount, 0) });
  }
}
