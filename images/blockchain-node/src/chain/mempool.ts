// Transfers waiting to be mined. Pending transfers from one sender must carry
// consecutive nonces after the sender's confirmed nonce and must not spend
// more than the confirmed balance, so the pool never holds a double spend.
import type { Block } from './block.ts';
import { Ledger, type Account } from './ledger.ts';
import { checkTransaction, type Transfer } from './transaction.ts';

export const MAX_MEMPOOL = 5000;

export type MempoolAdd = { status: 'added' } | { status: 'duplicate' } | { status: 'rejected'; reason: string };

export class Mempool {
  private readonly txs = new Map<string, Transfer>();

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
    const acc = { ...ledger.account(address) };
    for (const tx of this.txs.values()) {
      if (tx.from === address) {
        acc.balance -= tx.amount;
        acc.nonce += 1;
      }
    }
    return acc;
  }

  add(tx: Transfer, ledger: Ledger): MempoolAdd {
    if (this.txs.has(tx.id)) return { status: 'duplicate' };
    const problem = checkTransaction(tx) ?? Ledger.transferProblem(tx, this.pendingAccount(tx.from, ledger));
    if (problem) return { status: 'rejected', reason: problem };
    if (this.txs.size >= MAX_MEMPOOL) return { status: 'rejected', reason: 'mempool is full' };
    this.txs.set(tx.id, tx);
    return { status: 'added' };
  }

  /** After the tip moved: return transfers of abandoned blocks, drop what no longer fits. */
  retarget(ledger: Ledger, disconnected: readonly Block[]): void {
    const candidates = [...this.txs.values()];
    for (const block of disconnected) {
      for (const tx of block.txs) if (tx.kind === 'transfer') candidates.push(tx);
    }
    candidates.sort((a, b) => (a.from === b.from ? a.nonce - b.nonce : a.from < b.from ? -1 : 1));
    this.txs.clear();
    for (const tx of candidates) this.add(tx, ledger);
  }

  /**
   * Transfers for the next block. Insertion order already has each sender's
   * nonces ascending (add() demands the next nonce), so any prefix is valid.
   */
  select(max: number): Transfer[] {
    return [...this.txs.values()].slice(0, max);
  }
}
