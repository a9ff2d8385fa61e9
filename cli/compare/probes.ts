// The run-time probes `devenv compare` runs against one side's API (through
// its host port) and nodes. Bounded: every request has a timeout, every loop
// a count. fetch and sleep are passed in, so tests can drive them.
import type { ApiProbe, ChainProbe, PersistenceProbe, RateLimitProbe, RestartProbe, RuntimeNode } from './observations.ts';

export type Fetch = typeof fetch;
export interface ProbeDeps {
  fetch: Fetch;
  sleep(ms: number): Promise<void>;
  now(): number;
}

const TIMEOUT_MS = 5000;

async function ask(deps: ProbeDeps, url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await deps.fetch(url, { headers, signal: AbortSignal.timeout(TIMEOUT_MS) });
  const text = await res.text();
  let body: any = null;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.status, body, headers: res.headers };
}

const keysOf = (v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.keys(v).sort() : []);

/** The API contract: health, the read API's envelope and fields, and the error statuses (404, 401, 403, 400). */
export async function probeApi(deps: ProbeDeps, base: string, keys: { wallet?: string }): Promise<ApiProbe[]> {
  const asks: Array<[string, string, Record<string, string>]> = [
    ['GET /api/health/live', '/api/health/live', {}],
    ['GET /api/health/ready', '/api/health/ready', {}],
    ['GET /api/v1/blockchain', '/api/v1/blockchain', {}],
    ['GET an unknown route (404)', '/api/v1/no-such-route', {}],
    ['GET /api/admin/peers without a key (401)', '/api/admin/peers', {}],
    ['GET a block by a malformed hash (400)', '/api/v1/blockchain/blocks/not-a-hash', {}],
  ];
  if (keys.wallet) asks.push(['GET /api/admin/peers with the wallet key (403)', '/api/admin/peers', { 'X-API-Key': keys.wallet }]);
  const out: ApiProbe[] = [];
  for (const [name, path, headers] of asks) {
    const r = await ask(deps, `${base}${path}`, headers);
    out.push({ name, status: r.status, envelope: r.body === undefined ? null : keysOf(r.body), dataFields: keysOf(r.body?.data) });
  }
  return out;
}

/**
 * A burst of requests at once from this client: the limit it is told, and how
 * many get 429. The burst is three times the side's own limit (and 50), at
 * most `maxBurst`, so a bucket that refills while the burst is under way is
 * still drained on either side.
 */
export async function probeRateLimit(deps: ProbeDeps, base: string, maxBurst: number): Promise<RateLimitProbe> {
  const first = await ask(deps, `${base}/api/v1/blockchain`);
  const limit = Number(first.headers.get('x-ratelimit-limit'));
  const burst = Number.isFinite(limit) && limit > 0 ? Math.min(maxBurst, limit * 3 + 50) : Math.min(maxBurst, 150);
  const answers = await Promise.all(Array.from({ length: burst }, () => ask(deps, `${base}/api/v1/blockchain`).catch(() => null)));
  const limited = answers.filter((a) => a?.status === 429);
  const names = limited.length ? [...limited[0]!.headers.keys()].filter((h) => /^(x-ratelimit-|retry-after$)/.test(h)).sort() : [];
  return {
    limit: first.headers.get('x-ratelimit-limit'),
    sent: burst + 1,
    ok: answers.filter((a) => a?.status === 200).length + (first.status === 200 ? 1 : 0),
    limited: limited.length + (first.status === 429 ? 1 : 0),
    headersOn429: names,
  };
}

/** The webserver's height (health: never rate limited). */
export async function apiHeight(deps: ProbeDeps, base: string): Promise<number> {
  const r = await ask(deps, `${base}/api/health`);
  const h = r.body?.data?.height;
  if (typeof h !== 'number') throw new Error(`${base}/api/health answered ${r.status} without a height`);
  return h;
}

/** The chain watched for `seconds`: it grows, its block interval, how far the webserver is behind the miners. */
export async function probeChain(deps: ProbeDeps, base: string, nodes: () => Promise<RuntimeNode[]>, seconds: number): Promise<ChainProbe> {
  const t0 = deps.now();
  const heightStart = await apiHeight(deps, base);
  let heightEnd = heightStart;
  // Until the height moves (at most `seconds`, a request a second): a dev chain makes a block every few seconds.
  while (deps.now() - t0 < seconds * 1000) {
    await deps.sleep(1000);
    heightEnd = await apiHeight(deps, base);
    if (heightEnd > heightStart) break;
  }
  const blocks = await ask(deps, `${base}/api/v1/blockchain/blocks?limit=11`);
  const list: Array<{ timestamp: string | null }> = blocks.body?.data?.blocks ?? [];
  const times = list.map((b) => (b.timestamp ? Date.parse(b.timestamp) : NaN)).filter((t) => !Number.isNaN(t));
  const gaps = times.slice(1).map((t, i) => (times[i] - t) / 1000).filter((g) => g >= 0).sort((a, b) => a - b);
  const all = await nodes();
  const target = all.find((n) => n.blockTargetSeconds !== null)?.blockTargetSeconds ?? null;
  const miners = all.filter((n) => n.role === 'miner' && n.height !== null).map((n) => n.height!);
  const web = all.filter((n) => n.role === 'webserver' && n.height !== null).map((n) => n.height!);
  return {
    heightStart,
    heightEnd,
    seconds: (deps.now() - t0) / 1000,
    targetSeconds: target,
    medianInterval: gaps.length ? gaps[Math.floor(gaps.length / 2)] : null,
    webserverLag: miners.length && web.length ? Math.max(0, Math.max(...miners) - Math.min(...web)) : null,
  };
}

/** What a side can do to one of its nodes and to itself. */
export interface SideControl {
  /** Stops the node (container stop / pod delete) and has it started again (container start / the StatefulSet). */
  bounce(node: RuntimeNode): Promise<void>;
  /** `devenv down` (volumes kept) and `devenv up` again. */
  downUp(): Promise<void>;
}

async function until<T>(deps: ProbeDeps, seconds: number, f: () => Promise<T | null>): Promise<T | null> {
  const t0 = deps.now();
  for (;;) {
    const v = await f().catch(() => null);
    if (v !== null) return v;
    if (deps.now() - t0 > seconds * 1000) return null;
    await deps.sleep(1000);
  }
}

/** One miner (the last of them, not the seed) stopped and started: back, caught up, nothing lost. */
export async function probeRestart(deps: ProbeDeps, nodes: () => Promise<RuntimeNode[]>, control: SideControl, seconds: number): Promise<RestartProbe> {
  const before = await nodes();
  const miners = before.filter((n) => n.role === 'miner').sort((a, b) => a.logical.localeCompare(b.logical) || a.name.localeCompare(b.name));
  const victim = miners.find((n) => n.startup === 'join') ?? miners[miners.length - 1];
  if (!victim) throw new Error('no miner is running');
  const heightBefore = victim.height ?? 0;
  const t0 = deps.now();
  await control.bounce(victim);
  const back = await until(deps, seconds, async () => (await nodes()).find((n) => n.name === victim.name && n.height !== null) ?? null);
  const backAt = deps.now();
  const caught = back
    ? await until(deps, seconds, async () => {
        const now = await nodes();
        const me = now.find((n) => n.name === victim.name);
        const top = Math.max(...now.filter((n) => n.role === 'miner' && n.name !== victim.name).map((n) => n.height ?? 0));
        return me?.height !== null && me?.height !== undefined && me.height >= top - 1 ? { me: me.height, top } : null;
      })
    : null;
  return {
    node: victim.name,
    logical: victim.logical,
    cameBack: back !== null,
    caughtUp: caught !== null,
    keptBlocks: back !== null && (back.height ?? -1) >= heightBefore,
    seconds: (backAt - t0) / 1000,
    detail: caught ? `height ${caught.me}, highest other miner ${caught.top}` : back ? 'did not reach the other miners' : 'did not come back',
  };
}

/** The chain survives `down` and `up`: the height does not fall and the block at the old height is the same block. */
export async function probePersistence(deps: ProbeDeps, base: string, control: SideControl): Promise<PersistenceProbe> {
  const t0 = deps.now();
  const heightBefore = await apiHeight(deps, base);
  const at = await ask(deps, `${base}/api/v1/blockchain/blocks?limit=1&offset=0`);
  const tipBefore: string | undefined = at.body?.data?.blocks?.[0]?.hash;
  await control.downUp();
  const heightAfter = (await until(deps, 120, () => apiHeight(deps, base))) ?? -1;
  const found = tipBefore ? await ask(deps, `${base}/api/v1/blockchain/blocks/${tipBefore}`).catch(() => null) : null;
  return { heightBefore, heightAfter, tipKept: found?.status === 200, seconds: (deps.now() - t0) / 1000 };
}
