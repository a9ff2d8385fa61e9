// The API's JSON shapes (snake_case, like upstream) built from chain types.
import type { Block } from '../chain/block.ts';
import type { Chain } from '../chain/chain.ts';
import type { Transaction } from '../chain/transaction.ts';

/**
 * ISO form of a millisecond timestamp, or null when it has none: a view must
 * not throw on data the chain already holds (a store written by an older,
 * laxer node may contain any integer).
 */
export function isoTime(ms: number): string | null {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

export function txView(tx: Transaction) {
  return tx.kind === 'coinbase'
    ? { txid: tx.id, kind: tx.kind, to_address: tx.to, amount: tx.amount, height: tx.height }
    : {
        txid: tx.id,
        kind: tx.kind,
        from_address: tx.from,
        to_address: tx.to,
        amount: tx.amount,
        nonce: tx.nonce,
        timestamp: isoTime(tx.timestamp),
        public_key: tx.publicKey,
        signature: tx.signature,
      };
}

export function blockSummary(block: Block) {
  const h = block.header;
  return {
    hash: block.hash,
    height: h.height,
    prev_hash: h.prevHash,
    timestamp: isoTime(h.timestamp),
    difficulty_bits: h.bits,
    nonce: h.nonce,
    tx_count: block.txs.length,
  };
}

export function blockView(block: Block, chain: Chain) {
  const onBest = chain.isOnBestChain(block.hash);
  return {
    ...blockSummary(block),
    merkle_root: block.header.merkleRoot,
    in_best_chain: onBest,
    confirmations: onBest ? chain.height - block.header.height + 1 : 0,
    transactions: block.txs.map(txView),
  };
}
