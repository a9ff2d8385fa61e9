// Turns untrusted JSON (from peers, the store or HTTP) into typed blocks and
// transactions, or throws DecodeError saying which field is wrong. Only shape
// is checked here; hashes, signatures and proof of work are checked by
// checkBlock/checkTransaction.
import type { Block, BlockHeader } from './block.ts';
import type { Transaction } from './transaction.ts';

export class DecodeError extends Error {}

type Obj = Record<string, unknown>;

export function obj(v: unknown, what: string): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new DecodeError(`${what} must be an object`);
  return v as Obj;
}
export function str(o: Obj, key: string, what: string, max = 256): string {
  const v = o[key];
  if (typeof v !== 'string' || v.length > max) throw new DecodeError(`${what}.${key} must be a string of at most ${max} characters`);
  return v;
}
export function int(o: Obj, key: string, what: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max) {
    throw new DecodeError(`${what}.${key} must be a whole number between ${min} and ${max}`);
  }
  return v;
}
export function arr(o: Obj, key: string, what: string, max: number): unknown[] {
  const v = o[key];
  if (!Array.isArray(v) || v.length > max) throw new DecodeError(`${what}.${key} must be a list of at most ${max} items`);
  return v;
}

export function decodeTransaction(v: unknown): Transaction {
  const o = obj(v, 'transaction');
  const kind = o.kind;
  if (kind === 'coinbase') {
    return {
      kind,
      id: str(o, 'id', 'coinbase', 64),
      to: str(o, 'to', 'coinbase', 128),
      amount: int(o, 'amount', 'coinbase', 1),
      height: int(o, 'height', 'coinbase', 0, 0xffffffff),
    };
  }
  if (kind === 'transfer') {
    return {
      kind,
      id: str(o, 'id', 'transfer', 64),
      from: str(o, 'from', 'transfer', 128),
      to: str(o, 'to', 'transfer', 128),
      amount: int(o, 'amount', 'transfer', 1),
      nonce: int(o, 'nonce', 'transfer', 1),
      timestamp: int(o, 'timestamp', 'transfer'),
      publicKey: str(o, 'publicKey', 'transfer', 64),
      signature: str(o, 'signature', 'transfer', 128),
    };
  }
  throw new DecodeError('transaction.kind must be "coinbase" or "transfer"');
}

export function decodeBlock(v: unknown, maxTxs = 1000): Block {
  const o = obj(v, 'block');
  const h = obj(o.header, 'block.header');
  const header: BlockHeader = {
    version: int(h, 'version', 'header', 0, 0xffffffff),
    height: int(h, 'height', 'header', 0, 0xffffffff),
    prevHash: str(h, 'prevHash', 'header', 64),
    merkleRoot: str(h, 'merkleRoot', 'header', 64),
    timestamp: int(h, 'timestamp', 'header'),
    bits: int(h, 'bits', 'header', 1, 255),
    nonce: int(h, 'nonce', 'header', 0, 0xffffffff),
  };
  if (h.targetSeconds !== undefined) header.targetSeconds = int(h, 'targetSeconds', 'header', 0, 0xffffffff);
  if (!/^[0-9a-f]{64}$/.test(header.prevHash) || !/^[0-9a-f]{64}$/.test(header.merkleRoot)) {
    throw new DecodeError('header hashes must be 64 lowercase hex characters');
  }
  return { hash: str(o, 'hash', 'block', 64), header, txs: arr(o, 'txs', 'block', maxTxs).map(decodeTransaction) };
}
