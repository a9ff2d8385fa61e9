// Account-model transfers signed with ed25519. A transfer carries its sender's
// public key; the sender address is derived from it, so nobody can spend from
// an address without the matching private key. Nonces make every transfer from
// one address unique and ordered, which is what rules out a double spend.
import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { sha256Hex } from './hash.ts';
import { signatureCache } from './signature-cache.ts';

export const BLOCK_REWARD = 50;
export const MAX_AMOUNT = 1e15;
/** How far ahead of the reference clock a timestamp may be (block or transfer). */
export const MAX_FUTURE_DRIFT_MS = 2 * 60 * 60 * 1000;

export interface Transfer {
  kind: 'transfer';
  id: string;
  from: string;
  to: string;
  amount: number;
  nonce: number;
  timestamp: number;
  publicKey: string;
  signature: string;
}

export interface Coinbase {
  kind: 'coinbase';
  id: string;
  to: string;
  amount: number;
  height: number;
}

export type Transaction = Transfer | Coinbase;

// Addresses are 40 hex chars derived from a key, but a mining address may be any
// operator-supplied token (for example a Base58 address from another chain).
export const isAddress = (v: unknown): v is string => typeof v === 'string' && /^[A-Za-z0-9]{8,128}$/.test(v);

const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export function publicKeyFromHex(hex: string): KeyObject {
  return createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(hex, 'hex')]), format: 'der', type: 'spki' });
}

export function publicKeyHex(key: KeyObject): string {
  const der = key.export({ format: 'der', type: 'spki' });
  return der.subarray(der.length - 32).toString('hex');
}

export function addressFromPublicKey(publicKeyHexValue: string): string {
  return sha256Hex(Buffer.from(publicKeyHexValue, 'hex')).slice(0, 40);
}

function transferBody(t: Omit<Transfer, 'id' | 'signature' | 'kind'>): string {
  return JSON.stringify(['transfer', t.from, t.to, t.amount, t.nonce, t.timestamp, t.publicKey]);
}

export function transferId(t: Omit<Transfer, 'id' | 'signature' | 'kind'>): string {
  return sha256Hex(transferBody(t));
}

export function coinbaseId(to: string, amount: number, height: number): string {
  return sha256Hex(JSON.stringify(['coinbase', to, amount, height]));
}

export function createCoinbase(to: string, height: number): Coinbase {
  return { kind: 'coinbase', id: coinbaseId(to, BLOCK_REWARD, height), to, amount: BLOCK_REWARD, height };
}

export function signTransfer(
  fields: { to: string; amount: number; nonce: number; timestamp?: number },
  privateKeyPkcs8Base64: string,
): Transfer {
  const privateKey = createPrivateKey({ key: Buffer.from(privateKeyPkcs8Base64, 'base64'), format: 'der', type: 'pkcs8' });
  const publicKey = publicKeyHex(createPublicKey(privateKey));
  const unsigned = {
    from: addressFromPublicKey(publicKey),
    to: fields.to,
    amount: fields.amount,
    nonce: fields.nonce,
    timestamp: fields.timestamp ?? Date.now(),
    publicKey,
  };
  const id = transferId(unsigned);
  const signature = sign(null, Buffer.from(id, 'hex'), privateKey).toString('hex');
  return { kind: 'transfer', id, ...unsigned, signature };
}

/**
 * Why a transaction is not valid on its own (no chain state), or null.
 * `clock` is now for the mempool, and the block's timestamp for a transfer
 * inside a block, so a block's validity does not depend on when it is read.
 */
export function checkTransaction(tx: Transaction, clock = Date.now()): string | null {
  if (!isAddress(tx.to)) return 'invalid recipient address';
  if (!Number.isSafeInteger(tx.amount) || tx.amount <= 0 || tx.amount > MAX_AMOUNT) return 'invalid amount';
  if (tx.kind === 'coinbase') {
    return tx.id === coinbaseId(tx.to, tx.amount, tx.height) ? null : 'coinbase id does not match its content';
  }
  if (!Number.isSafeInteger(tx.nonce) || tx.nonce < 1) return 'invalid nonce';
  if (!Number.isSafeInteger(tx.timestamp) || tx.timestamp < 0) return 'invalid timestamp';
  if (tx.timestamp > clock + MAX_FUTURE_DRIFT_MS) return 'timestamp too far in the future';
  if (!/^[0-9a-f]{64}$/.test(tx.publicKey)) return 'invalid public key';
  if (!/^[0-9a-f]{128}$/.test(tx.signature)) return 'invalid signature encoding';
  if (addressFromPublicKey(tx.publicKey) !== tx.from) return 'sender address does not match the public key';
  if (tx.from === tx.to) return 'sender and recipient are the same address';
  if (tx.id !== transferId(tx)) return 'transaction id does not match its content';
  const signed = signatureCache.check(tx.id, tx.signature, () => {
    try {
      return verify(null, Buffer.from(tx.id, 'hex'), publicKeyFromHex(tx.publicKey), Buffer.from(tx.signature, 'hex'));
    } catch {
      return false;
    }
  });
  return signed ? null : 'bad signature';
}
