// A block is a header (what proof of work commits to) plus its transactions.
// The header is hashed as fixed-width binary so every node, whatever JSON key
// order it received, computes the same hash.
import { merkleRoot, sha256, ZERO_HASH } from './hash.ts';
import { BLOCK_REWARD, checkTransaction, createCoinbase, MAX_FUTURE_DRIFT_MS, type Transaction } from './transaction.ts';
import { meetsDifficulty } from './pow.ts';
import { MAX_TARGET_SECONDS, MIN_TARGET_SECONDS } from './retarget.ts';

/** Chains whose genesis is version 1 keep the genesis difficulty for ever (chains made before retargeting). */
export const BLOCK_VERSION_FIXED = 1;
/** Version 2 chains retarget; their genesis header carries the target interval. */
export const BLOCK_VERSION_RETARGET = 2;
/** The version a template gets unless told: existing (fixed-difficulty) chains. */
export const BLOCK_VERSION = BLOCK_VERSION_FIXED;
export const MAX_TXS_PER_BLOCK = 1000;

export interface BlockHeader {
  version: number;
  height: number;
  prevHash: string;
  merkleRoot: string;
  timestamp: number;
  bits: number;
  nonce: number;
  /**
   * Seconds between blocks the network aims for: on a version 2 genesis only,
   * where proof of work commits to it, so every node retargets toward the
   * seed's value.
   */
  targetSeconds?: number;
}

export interface Block {
  hash: string;
  header: BlockHeader;
  txs: Transaction[];
}

export const HEADER_BYTES = 88;
/** A header with a target interval appends it after the nonce, so the nonce offset is the same. */
export const HEADER_WITH_TARGET_BYTES = 92;
export const NONCE_OFFSET = 84;

export function encodeHeader(h: BlockHeader): Buffer {
  const buf = Buffer.alloc(h.targetSeconds === undefined ? HEADER_BYTES : HEADER_WITH_TARGET_BYTES);
  if (h.targetSeconds !== undefined) buf.writeUInt32BE(h.targetSeconds, HEADER_BYTES);
  buf.writeUInt32BE(h.version, 0);
  buf.writeUInt32BE(h.height, 4);
  buf.write(h.prevHash, 8, 32, 'hex');
  buf.write(h.merkleRoot, 40, 32, 'hex');
  buf.writeBigUInt64BE(BigInt(h.timestamp), 72);
  buf.writeUInt32BE(h.bits, 80);
  buf.writeUInt32BE(h.nonce, NONCE_OFFSET);
  return buf;
}

export const headerHash = (h: BlockHeader): string => sha256(encodeHeader(h)).toString('hex');

export function blockTemplate(opts: {
  height: number;
  prevHash: string;
  bits: number;
  txs: Transaction[];
  timestamp?: number;
  version?: number;
  /** Genesis of a retargeting chain only. */
  targetSeconds?: number;
}): Omit<Block, 'hash'> {
  return {
    header: {
      version: opts.version ?? BLOCK_VERSION,
      height: opts.height,
      prevHash: opts.prevHash,
      merkleRoot: merkleRoot(opts.txs.map((t) => t.id)),
      timestamp: opts.timestamp ?? Date.now(),
      bits: opts.bits,
      nonce: 0,
      ...(opts.targetSeconds === undefined ? {} : { targetSeconds: opts.targetSeconds }),
    },
    txs: opts.txs,
  };
}

export function templateWithCoinbase(opts: {
  height: number;
  prevHash: string;
  bits: number;
  miner: string;
  transfers: Transaction[];
  /** The chain's version (its genesis's); default version 1. */
  version?: number;
  /** A block must be timestamped after its parent, even when this clock is behind. */
  parentTimestamp?: number;
}): Omit<Block, 'hash'> {
  const timestamp = opts.parentTimestamp === undefined ? undefined : Math.max(Date.now(), opts.parentTimestamp + 1);
  return blockTemplate({ ...opts, timestamp, txs: [createCoinbase(opts.miner, opts.height), ...opts.transfers] });
}

/**
 * Why a block's header is unacceptable, from checks that cost a hash or two
 * (no signatures): version, hash, the network's difficulty when known, proof
 * of work, timestamp, size, merkle root. Run first on every block, orphans
 * included, so a block that claims an easy difficulty costs us nothing.
 */
export function checkHeader(block: Block, networkBits: number | null, now = Date.now()): string | null {
  const h = block.header;
  if (h.version !== BLOCK_VERSION_FIXED && h.version !== BLOCK_VERSION_RETARGET) return `unsupported block version ${h.version}`;
  const carriesTarget = h.version === BLOCK_VERSION_RETARGET && h.height === 0;
  if (!carriesTarget && h.targetSeconds !== undefined) return 'only the genesis block of a version 2 chain carries a target interval';
  if (carriesTarget && (h.targetSeconds === undefined || h.targetSeconds < MIN_TARGET_SECONDS || h.targetSeconds > MAX_TARGET_SECONDS)) {
    return `a version 2 genesis block needs a target interval of ${MIN_TARGET_SECONDS} to ${MAX_TARGET_SECONDS} seconds`;
  }
  if (networkBits !== null && h.bits !== networkBits) return `difficulty ${h.bits} bits, the network uses ${networkBits}`;
  if (headerHash(h) !== block.hash) return 'block hash does not match its header';
  if (!meetsDifficulty(block.hash, h.bits)) return 'insufficient proof of work';
  if (h.timestamp > now + MAX_FUTURE_DRIFT_MS) return 'block timestamp too far in the future';
  if (block.txs.length > MAX_TXS_PER_BLOCK) return 'too many transactions';
  if (merkleRoot(block.txs.map((t) => t.id)) !== h.merkleRoot) return 'merkle root does not match the transactions';
  return null;
}

/**
 * Why a block is invalid on its own (header, coinbase, signatures), or null.
 * Linkage and balances need the chain.
 */
export function checkBlock(block: Block, now = Date.now(), networkBits: number | null = null): string | null {
  return checkHeader(block, networkBits, now) ?? checkBody(block);
}

function checkBody(block: Block): string | null {
  const h = block.header;
  if (h.height === 0) {
    if (h.prevHash !== ZERO_HASH) return 'genesis block must have a zero previous hash';
    if (block.txs.length !== 0) return 'genesis block must be empty';
    return null;
  }
  const [coinbase, ...rest] = block.txs;
  if (!coinbase || coinbase.kind !== 'coinbase') return 'first transaction must be the coinbase';
  if (coinbase.amount !== BLOCK_REWARD) return `coinbase must pay exactly ${BLOCK_REWARD}`;
  if (coinbase.height !== h.height) return 'coinbase height does not match the block';
  const seen = new Set<string>();
  for (const tx of block.txs) {
    if (seen.has(tx.id)) return `duplicate transaction ${tx.id}`;
    seen.add(tx.id);
    const why = checkTransaction(tx, h.timestamp);
    if (why) return `transaction ${tx.id}: ${why}`;
  }
  if (rest.some((t) => t.kind === 'coinbase')) return 'more than one coinbase';
  return null;
}
