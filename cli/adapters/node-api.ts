// The node's HTTP API as devenv reads it (both environments): the envelope
// `{ success, data, error }`, and the chain height of GET /api/v1/blockchain.
// `fetch` is injectable so the Kubernetes steps can be tested without a network;
// the default is a plain node:http GET (httpGet below).
import { request } from 'node:http';

export interface ApiEnvelope<T> {
  success: boolean;
  data: T;
  error: string | null;
}

/** What devenv reads of an HTTP answer: the global fetch's Response is one. */
export interface HttpAnswer {
  ok: boolean;
  status: number;
  json(): Promise<unknown>;
}

export type FetchLike = (url: string, init?: { signal?: AbortSignal }) => Promise<HttpAnswer>;

/**
 * GET over node:http, the default. The global fetch (undici) costs a CLI run
 * about 0.2 s to load and compile its parser on first use, and then keeps the
 * process alive about half a second after the last request (measured on the
 * 2-core machine): too much for one request per service.
 */
export const httpGet: FetchLike = (url, init = {}) =>
  new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET', signal: init.signal, headers: { accept: 'application/json', connection: 'close' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const status = res.statusCode ?? 0;
        resolve({ ok: status >= 200 && status < 300, status, json: async () => JSON.parse(text) });
      });
    });
    req.on('error', (err) => reject(init.signal?.aborted ? (init.signal.reason ?? err) : err));
    req.end();
  });

export async function fetchApiData<T>(url: string, opts: { timeoutMs?: number; fetch?: FetchLike } = {}): Promise<T> {
  // A ref'd timer, not AbortSignal.timeout(): that one is unref'd, so a
  // request that stalls (seen through kind's port mapping while pods were
  // replaced) with nothing else pending let Node exit mid-command (code 13,
  // an unsettled top-level await). This one keeps the process alive and
  // aborts the request, body included, when it fires.
  const ms = opts.timeoutMs ?? 5000;
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(new Error(`${url} did not answer within ${ms} ms`)), ms);
  try {
    const res = await (opts.fetch ?? httpGet)(url, { signal: abort.signal });
    const body = (await res.json().catch(() => null)) as ApiEnvelope<T> | null;
    if (!res.ok || !body?.success) throw new Error(`${url} answered HTTP ${res.status}${body?.error ? `: ${body.error}` : ''}`);
    return body.data;
  } finally {
    clearTimeout(timer);
  }
}

/** The chain height (and peer count, when reported) the API reports, from one request; throws with what it answered. */
export async function fetchChainStatus(baseUrl: string, opts: { timeoutMs?: number; fetch?: FetchLike } = {}): Promise<{ height: number; peers?: number }> {
  const data = await fetchApiData<{ height?: unknown; peers?: unknown; peer_count?: unknown }>(`${baseUrl}/api/v1/blockchain`, opts);
  if (typeof data?.height !== 'number') throw new Error(`${baseUrl}/api/v1/blockchain has no numeric data.height`);
  const peers = typeof data.peers === 'number' ? data.peers : typeof data.peer_count === 'number' ? data.peer_count : undefined;
  return { height: data.height, peers };
}

/** The chain height the API reports, or throws with what it answered. */
export async function fetchChainHeight(baseUrl: string, opts: { timeoutMs?: number; fetch?: FetchLike } = {}): Promise<number> {
  return (await fetchChainStatus(baseUrl, opts)).height;
}

export interface NodeHealth {
  ready: boolean;
  height?: number;
  peers?: number;
  /** The node's effective settings and connected peers (images/blockchain-node/src/p2p/messages.ts NodeDetail). */
  detail?: NodeDetailReport;
}

/** What a node reports about itself; only the fields devenv reads. */
export interface NodeDetailReport {
  role?: string;
  instance?: number;
  startup?: string;
  blockTargetSeconds?: number | null;
  connectedPeers?: Array<{ addr: string; direction: string }>;
  rateLimit?: { ipWhitelist?: string[]; limiters?: Array<{ global: { tokensCount: number; windowSeconds: number } | null; perValue: Record<string, { tokensCount: number; windowSeconds: number }> }> } | null;
}

/** What `blockchain-node healthcheck --json` prints (its last JSON line), or null when it printed none. */
export function parseHealthcheckJson(stdout: string): NodeHealth | null {
  const line = stdout.trim().split('\n').reverse().find((l) => l.trim().startsWith('{'));
  if (!line) return null;
  try {
    const v = JSON.parse(line);
    return { ready: Boolean(v.ready), height: typeof v.height === 'number' ? v.height : undefined, peers: typeof v.peers === 'number' ? v.peers : undefined, ...(v.detail && typeof v.detail === 'object' ? { detail: v.detail } : {}) };
  } catch {
    return null;
  }
}
