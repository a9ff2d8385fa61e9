// Fixed-window request counting per client IP in Redis. Redis being down must
// not take the API down: requests pass (fail open, as upstream), the outage is
// logged once, /api/health reports `degraded`, and node-redis reconnects on
// its own; the first successful command or reconnect clears the state.
import { createClient } from 'redis';
import type { Logger } from '../log.ts';
import { ipMatches, normalizeIp } from './ip-match.ts';
import type { Bucket, RateLimitSettings } from './settings.ts';

export type LimiterState = 'disabled' | 'ok' | 'degraded';

export interface RateDecision {
  limited: boolean;
  /** Present when a bucket applied and Redis answered. */
  headers?: { limit: number; remaining: number; resetSeconds: number };
}

// INCR and the window's expiry in one atomic step, on any Redis version.
const WINDOW_SCRIPT = `local c = redis.call('INCR', KEYS[1])
if c == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return c`;

const COMMAND_TIMEOUT_MS = 300;

export class RedisRateLimiter {
  private stateValue: 'ok' | 'degraded' = 'degraded';
  private outageLogged = false;
  /** Counts outages, so a reply to a command sent before one began does not end it. */
  private outageSeq = 0;
  /** While degraded and connected, a PING every second decides when the outage is over. */
  private probeTimer: NodeJS.Timeout | null = null;
  private client;

  constructor(
    private readonly settings: RateLimitSettings,
    private readonly log: Logger,
  ) {
    this.client = this.newClient();
  }

  private newClient() {
    const client = createClient({
      socket: {
        host: this.settings.redis.host,
        port: this.settings.redis.port,
        connectTimeout: 2000,
        reconnectStrategy: (retries: number) => Math.min(100 * 2 ** Math.min(retries, 5), 2000),
      },
      // Commands must fail at once while disconnected instead of queueing
      // until Redis returns and holding every request up.
      disableOfflineQueue: true,
    });
    client.on('error', (err: Error) => this.degrade(err.message || String(err)));
    // A connection is not yet a recovery: only an answered PING ends the outage.
    client.on('ready', () => void this.probe());
    return client;
  }

  /**
   * A connection that says it is ready but does not answer (seen with
   * node-redis after a command was abandoned mid-flight when Redis died) is
   * replaced by a new one.
   */
  private replaceClient(): void {
    const old = this.client;
    this.client = this.newClient();
    try {
      old.destroy();
    } catch {
      // already closed
    }
    this.client.connect().catch((err: Error) => this.degrade(err.message));
  }

  get state(): LimiterState {
    return this.stateValue;
  }

  start(): void {
    for (const w of this.settings.warnings) this.log.warn(w);
    this.log.info('rate limiter configured', { redis: `${this.settings.redis.host}:${this.settings.redis.port}`, whitelist: this.settings.ipWhitelist.join(',') });
    this.client.connect().catch((err: Error) => this.degrade(err.message));
  }

  async stop(): Promise<void> {
    if (this.probeTimer) clearInterval(this.probeTimer);
    this.probeTimer = null;
    try {
      this.client.destroy();
    } catch {
      // already closed
    }
  }

  async check(rawIp: string | undefined, now = Date.now()): Promise<RateDecision> {
    const ip = normalizeIp(rawIp);
    if (this.settings.ipWhitelist.some((e) => ipMatches(ip, e))) return { limited: false };
    const buckets = this.settings.ipLimiters
      .map((l, i) => ({ i, bucket: l.perValue.get(ip) ?? l.global }))
      .filter((b): b is { i: number; bucket: Bucket } => !!b.bucket);
    if (buckets.length === 0) return { limited: false };
    if (!this.client.isReady) {
      this.degrade('not connected');
      return { limited: false };
    }
    const seqAtStart = this.outageSeq;
    try {
      const decisions: RateDecision[] = [];
      for (const { i, bucket } of buckets) {
        const windowMs = bucket.windowSeconds * 1000;
        const window = Math.floor(now / windowMs);
        const key = `devenv:rl:ip:${i}:${ip}:${window}`;
        const count = Number(await withTimeout(this.client.eval(WINDOW_SCRIPT, { keys: [key], arguments: [String(windowMs)] })));
        decisions.push({
          limited: count > bucket.tokensCount,
          headers: {
            limit: bucket.tokensCount,
            remaining: Math.max(0, bucket.tokensCount - count),
            resetSeconds: Math.ceil(((window + 1) * windowMs - now) / 1000),
          },
        });
      }
      const tightest = decisions.find((d) => d.limited) ?? decisions.reduce((a, b) => (b.headers!.remaining < a.headers!.remaining ? b : a));
      // A command already in flight when the connection dropped may still answer.
      if (this.outageSeq === seqAtStart) this.recover();
      return tightest;
    } catch (err) {
      this.degrade((err as Error).message);
      return { limited: false };
    }
  }

  private async probe(): Promise<void> {
    const seqAtStart = this.outageSeq;
    const client = this.client;
    try {
      await withTimeout(client.ping());
      if (this.outageSeq === seqAtStart) this.recover();
    } catch (err) {
      this.degrade((err as Error).message);
      if (client === this.client && client.isReady) this.replaceClient();
    }
  }

  private degrade(reason: string): void {
    if (this.stateValue === 'ok') this.outageSeq++;
    this.stateValue = 'degraded';
    if (!this.probeTimer) {
      this.probeTimer = setInterval(() => {
        if (this.client.isReady) void this.probe();
      }, 1000);
      this.probeTimer.unref();
    }
    if (this.outageLogged) return;
    this.outageLogged = true;
    this.log.warn('rate limiter degraded: Redis unreachable, requests are not limited', { redis: `${this.settings.redis.host}:${this.settings.redis.port}`, reason });
  }

  private recover(): void {
    if (this.stateValue === 'ok') return;
    const wasOutage = this.outageLogged;
    this.stateValue = 'ok';
    if (this.probeTimer) clearInterval(this.probeTimer);
    this.probeTimer = null;
    this.outageLogged = false;
    this.log.info(wasOutage ? 'rate limiter recovered: Redis reachable again' : 'rate limiter connected to Redis');
  }
}

function withTimeout<T>(p: Promise<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`Redis did not answer within ${COMMAND_TIMEOUT_MS} ms`)), COMMAND_TIMEOUT_MS);
    p.then(
      (v) => (clearTimeout(t), resolve(v)),
      (e) => (clearTimeout(t), reject(e)),
    );
  });
}
