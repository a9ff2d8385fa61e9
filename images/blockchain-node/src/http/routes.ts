// The route table. Each route names its access level; the server enforces
// auth, rate limiting (health routes are exempt) and the envelope.
import { isHash } from '../chain/hash.ts';
import { isAddress } from '../chain/transaction.ts';
import type { BlockchainNode } from '../node.ts';
import type { LimiterState } from '../ratelimit/rate-limiter.ts';
import type { Access } from './auth.ts';
import { HttpError } from './envelope.ts';
import { blockSummary, blockView, txView } from './views.ts';
import { BUILD_ID } from '../live/live-reload.ts';

export interface RouteContext {
  node: BlockchainNode;
  params: string[];
  query: URLSearchParams;
  body: Record<string, unknown> | null;
  limiterState: LimiterState;
}

export interface RouteResult {
  status?: number;
  data: unknown;
  error?: string;
}

export interface Route {
  method: 'GET' | 'POST';
  pattern: RegExp;
  access: Access;
  health?: boolean;
  handler: (ctx: RouteContext) => RouteResult | Promise<RouteResult>;
}

const MAX_GENERATE = 100;
const ADDRESS = '([^/]+)';

function intParam(q: URLSearchParams, name: string, fallback: number, min: number, max: number): number {
  const raw = q.get(name);
  if (raw === null) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new HttpError(400, `query parameter ${name} must be a whole number between ${min} and ${max}`);
  return n;
}

function field<T>(body: Record<string, unknown> | null, name: string, check: (v: unknown) => v is T, what: string): T {
  const v = body?.[name];
  if (!check(v)) throw new HttpError(400, `field ${name} ${what}`);
  return v;
}

const isPositiveInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v > 0;

function address(raw: string): string {
  if (!isAddress(raw)) throw new HttpError(400, `"${raw}" is not a valid address`);
  return raw;
}

const live = (): RouteResult => ({ data: { status: 'live' } });

function ready({ node }: RouteContext): RouteResult {
  if (node.ready) return { data: { status: 'ready', height: node.chain.height } };
  const why = node.isStopping ? 'shutting down' : (node.storeError ?? 'waiting for the genesis block from a peer');
  return { status: 503, data: { status: 'not_ready', reason: why }, error: `not ready: ${why}` };
}

function health({ node, limiterState }: RouteContext): RouteResult {
  return {
    data: {
      status: node.storeError ? 'store_failed' : !node.ready ? 'starting' : limiterState === 'degraded' ? 'degraded' : 'ok',
      ready: node.ready,
      role: node.config.role,
      instance: node.config.instance,
      height: node.chain.height,
      tip: node.chain.tip?.block.hash ?? null,
      peers: node.network.peerCount,
      mempool_size: node.mempool.size,
      rate_limiter: limiterState,
      store_error: node.storeError,
      uptime_seconds: Math.round((Date.now() - node.startedAt) / 1000),
      build_id: BUILD_ID,
    },
  };
}

function blockchain({ node }: RouteContext): RouteResult {
  const c = node.chain;
  return {
    data: {
      height: c.height,
      tip: c.tip?.block.hash ?? null,
      genesis: c.genesis?.block.hash ?? null,
      difficulty_bits: c.bits,
      cumulative_work: (c.tip?.work ?? 0n).toString(),
      peers: node.network.peerCount,
      known_blocks: c.blockCount,
      mempool_size: node.mempool.size,
    },
  };
}

function blocks({ node, query }: RouteContext): RouteResult {
  const limit = intParam(query, 'limit', 20, 1, 100);
  const offset = intParam(query, 'offset', 0, 0, Number.MAX_SAFE_INTEGER);
  const out = [];
  for (let h = node.chain.height - offset; h >= 0 && out.length < limit; h--) out.push(blockSummary(node.chain.atHeight(h)!.block));
  return { data: { height: node.chain.height, offset, limit, blocks: out } };
}

function latest({ node }: RouteContext): RouteResult {
  const tip = node.chain.tip;
  if (!tip) throw new HttpError(404, 'the chain has no blocks yet');
  return { data: blockView(tip.block, node.chain) };
}

function blockByHash({ node, params }: RouteContext): RouteResult {
  if (!isHash(params[0])) throw new HttpError(400, `"${params[0]}" is not a block hash (64 hex characters)`);
  const e = node.chain.entry(params[0]);
  if (!e) throw new HttpError(404, `no block ${params[0]}`);
  return { data: blockView(e.block, node.chain) };
}

function miningInfo({ node }: RouteContext): RouteResult {
  return {
    data: {
      is_miner: node.config.role === 'miner',
      mining_address: node.miner?.address ?? null,
      hash_rate: node.miner?.hashRate ?? 0,
      duty_cycle: node.config.role === 'miner' ? node.config.dutyCycle : null,
      difficulty_bits: node.chain.bits,
      height: node.chain.height,
      next_height: node.chain.height + 1,
      mempool_size: node.mempool.size,
    },
  };
}

function balance({ node, params }: RouteContext): RouteResult {
  const a = address(params[0]);
  const confirmed = node.chain.ledger.account(a);
  const pending = node.mempool.pendingAccount(a, node.chain.ledger);
  return { data: { address: a, balance: confirmed.balance, nonce: confirmed.nonce, spendable_after_pending: pending.balance, height: node.chain.height } };
}

const mempool = ({ node }: RouteContext): RouteResult => ({
  data: { count: node.mempool.size, transactions: node.mempool.list().map(txView) },
});

function newWallet({ node }: RouteContext): RouteResult {
  const w = node.wallets.create();
  node.log.info('wallet created', { address: w.address });
  return { status: 201, data: { address: w.address, public_key: w.publicKey } };
}

function sendTransaction({ node, body }: RouteContext): RouteResult {
  const from = field(body, 'from_address', isAddress, 'must be an address');
  const to = field(body, 'to_address', isAddress, 'must be an address');
  const amount = field(body, 'amount', isPositiveInt, 'must be a whole number > 0');
  const result = node.createTransfer(from, to, amount);
  if ('error' in result) throw new HttpError(400, result.error);
  return { status: 201, data: txView(result.tx) };
}

async function generateToAddress({ node, body }: RouteContext): Promise<RouteResult> {
  const n = field(body, 'nblocks', (v): v is number => isPositiveInt(v) && v <= MAX_GENERATE, `must be a whole number from 1 to ${MAX_GENERATE}`);
  const to = field(body, 'address', isAddress, 'must be an address');
  const result = await node.generateToAddress(n, to);
  if (!Array.isArray(result)) throw new HttpError(409, result.error);
  return { data: { address: to, blocks: result, height: node.chain.height } };
}

const addresses = ({ node }: RouteContext): RouteResult => ({ data: { addresses: node.wallets.addresses() } });
const peers = ({ node }: RouteContext): RouteResult => ({ data: { count: node.network.peerCount, peers: node.network.peerInfo() } });

const get = (path: string, access: Access, handler: Route['handler'], healthRoute = false): Route => ({
  method: 'GET',
  pattern: new RegExp(`^${path}/?$`),
  access,
  handler,
  health: healthRoute,
});
const post = (path: string, access: Access, handler: Route['handler']): Route => ({ method: 'POST', pattern: new RegExp(`^${path}/?$`), access, handler });

function readRoutes(prefix: string, access: Access): Route[] {
  return [
    get(`${prefix}/blockchain`, access, blockchain),
    get(`${prefix}/blockchain/blocks`, access, blocks),
    get(`${prefix}/blockchain/blocks/latest`, access, latest),
    get(`${prefix}/blockchain/blocks/([^/]+)`, access, blockByHash),
    get(`${prefix}/mining/info`, access, miningInfo),
    get(`${prefix}/wallet/${ADDRESS}/balance`, access, balance),
    get(`${prefix}/transactions/mempool`, access, mempool),
  ];
}

export const routes: Route[] = [
  ...['/api/health', '/health'].flatMap((p) => [get(`${p}/live`, 'public', live, true), get(`${p}/ready`, 'public', ready, true), get(p, 'public', health, true)]),
  ...readRoutes('/api/v1', 'public'),
  post('/api/wallet/wallet', 'wallet', newWallet),
  post('/api/wallet/transactions', 'wallet', sendTransaction),
  ...readRoutes('/api/admin', 'admin'),
  get('/api/admin/wallet/addresses', 'admin', addresses),
  get('/api/admin/peers', 'admin', peers),
  post('/api/admin/mining/generatetoaddress', 'admin', generateToAddress),
];
