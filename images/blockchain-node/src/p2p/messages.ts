// The P2P protocol: one JSON object per line. decodeMessage() validates the
// shape of everything a peer sends before the node acts on it.
import type { Block } from '../chain/block.ts';
import { arr, decodeBlock, decodeTransaction, DecodeError, int, obj, str } from '../chain/decode.ts';
import type { Transfer } from '../chain/transaction.ts';

export const PROTOCOL_VERSION = 1;
export const MAX_BLOCKS_PER_MESSAGE = 200;
export const MAX_LOCATOR = 64;
export const MAX_ADDRS = 64;
export const MAX_TXS_PER_MESSAGE = 1000;

export interface Hello {
  type: 'hello';
  version: number;
  nodeId: string;
  addr: string;
  height: number;
  /** Cumulative work of the tip, decimal (it outgrows JSON numbers). */
  work: string;
  tip: string | null;
  genesis: string | null;
}

/**
 * What a node says about itself to a local `healthcheck --json` (devenv
 * compares it across environments): its effective settings, never a key.
 */
export interface NodeDetail {
  role: string;
  instance: number;
  instanceSource: string;
  /** seed: creates the genesis block when its store is empty; join: syncs from its peers. */
  startup: 'seed' | 'join';
  advertise: string;
  configuredPeers: string[];
  /** The peers it has a handshake with, by the address each advertised. */
  connectedPeers: Array<{ addr: string; direction: string }>;
  difficultyBits: number | null;
  blockTargetSeconds: number | null;
  rateLimit: { file: string; redis: string; ipWhitelist: string[]; limiters: Array<{ global: { tokensCount: number; windowSeconds: number } | null; perValue: Record<string, { tokensCount: number; windowSeconds: number }> }> } | null;
}

export type Message =
  | Hello
  // detail: asks for the node's effective settings and peer list (answered only on loopback).
  | { type: 'ping'; nonce: string; detail?: boolean }
  // A pong carries the answering node's state so `healthcheck --json` can report it.
  | { type: 'pong'; nonce: string; height?: number; tip?: string | null; peers?: number; detail?: NodeDetail }
  | { type: 'get_blocks'; locator: string[] }
  | { type: 'blocks'; blocks: Block[] }
  | { type: 'block'; block: Block }
  | { type: 'tx'; tx: Transfer }
  | { type: 'get_mempool' }
  | { type: 'mempool'; txs: Transfer[] }
  | { type: 'get_peers' }
  | { type: 'peers'; addrs: string[] }
  | { type: 'error'; message: string };

export { DecodeError };

function transfer(v: unknown): Transfer {
  const tx = decodeTransaction(v);
  if (tx.kind !== 'transfer') throw new DecodeError('only transfers are relayed');
  return tx;
}

export function decodeMessage(line: string): Message {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    throw new DecodeError('message is not JSON');
  }
  const o = obj(raw, 'message');
  switch (o.type) {
    case 'hello': {
      const work = str(o, 'work', 'hello', 100);
      if (!/^\d+$/.test(work)) throw new DecodeError('hello.work must be a decimal string');
      return {
        type: 'hello',
        version: int(o, 'version', 'hello'),
        nodeId: str(o, 'nodeId', 'hello', 64),
        addr: str(o, 'addr', 'hello', 300),
        height: int(o, 'height', 'hello', -1),
        work,
        tip: o.tip === null ? null : str(o, 'tip', 'hello', 64),
        genesis: o.genesis === null ? null : str(o, 'genesis', 'hello', 64),
      };
    }
    case 'ping':
      return o.detail === true ? { type: 'ping', nonce: str(o, 'nonce', 'ping', 64), detail: true } : { type: 'ping', nonce: str(o, 'nonce', 'ping', 64) };
    case 'pong':
      return { type: 'pong', nonce: str(o, 'nonce', 'pong', 64) };
    case 'get_blocks':
      return { type: 'get_blocks', locator: arr(o, 'locator', 'get_blocks', MAX_LOCATOR).map((h) => hash(h)) };
    case 'blocks':
      return { type: 'blocks', blocks: arr(o, 'blocks', 'blocks', MAX_BLOCKS_PER_MESSAGE).map((b) => decodeBlock(b)) };
    case 'block':
      return { type: 'block', block: decodeBlock(o.block) };
    case 'tx':
      return { type: 'tx', tx: transfer(o.tx) };
    case 'get_mempool':
      return { type: 'get_mempool' };
    case 'mempool':
      return { type: 'mempool', txs: arr(o, 'txs', 'mempool', MAX_TXS_PER_MESSAGE).map(transfer) };
    case 'get_peers':
      return { type: 'get_peers' };
    case 'peers':
      return {
        type: 'peers',
        addrs: arr(o, 'addrs', 'peers', MAX_ADDRS).map((a) => {
          if (typeof a !== 'string' || a.length > 300) throw new DecodeError('peers.addrs must be strings');
          return a;
        }),
      };
    case 'error':
      return { type: 'error', message: str(o, 'message', 'error', 1000) };
    default:
      throw new DecodeError(`unknown message type ${JSON.stringify(o.type)}`);
  }
}

function hash(v: unknown): string {
  if (typeof v !== 'string' || !/^[0-9a-f]{64}$/.test(v)) throw new DecodeError('locator entries must be block hashes');
  return v;
}

export const encodeMessage = (m: Message): string => JSON.stringify(m) + '\n';
