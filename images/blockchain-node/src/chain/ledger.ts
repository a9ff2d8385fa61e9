// Account balances and nonces at one chain tip. A block is applied all or
// nothing: every transfer is checked against a scratch overlay first, so a
// failed block leaves the ledger untouched.
import type { Block } from './block.ts';
import type { Transaction, Transfer } from './transaction.ts';

export interface Account {
  balance: number;
  nonce: number;
}

export class LedgerError extends Error {}

export type LedgerChanges = ReadonlyMap<string, Account>;

export class Ledger {
  private readonly accounts = new Map<string, Account>();

  account(address: string): Account {
    return this.accounts.get(address) ?? { balance: 0, nonce: 0 };
  }

  /** Why this transfer cannot follow the given account state, or null. */
  static transferProblem(tx: Transfer, from: Account): string | null {
    if (tx.nonce !== from.nonce + 1) return `nonce ${tx.nonce} is not the next nonce ${from.nonce + 1} for ${tx.from}`;
    if (from.balance < tx.amount) return `insufficient balance: ${tx.from} has ${from.balance}, needs ${tx.amount}`;
    return null;
  }

  applyBlock(block: Block): void {
    this.commit(this.prepare(block));
  }

  /** The accounts the block changes, checked but not applied; throws LedgerError. */
  prepare(block: Block): LedgerChanges {
    const changed = new Map<string, Account>();
    const get = (a: string) => changed.get(a) ?? { ...this.account(a) };
    for (const tx of block.txs) applyTx(tx, get, changed);
    return changed;
  }

  commit(changes: LedgerChanges): void {
    for (const [address, account] of changes) this.accounts.set(address, account);
  }

  clone(): Ledger {
    const copy = new Ledger();
    for (const [a, acc] of this.accounts) copy.accounts.set(a, { ...acc });
    return copy;
  }
}

function applyTx(tx: Transaction, get: (a: string) => Account, changed: Map<string, Account>): void {
  if (tx.kind === 'transfer') {
    const from = get(tx.from);
    const problem = Ledger.transferProblem(tx, from);
    if (problem) throw new LedgerError(`transaction ${tx.id}: ${problem}`);
    changed.set(tx.from, { balance: from.balance - tx.amount, nonce: from.nonce + 1 });
  }
  const to = get(tx.to);
  changed.set(tx.to, { balance: to.balance + tx.amount, nonce: to.nonce });
}
