// The webserver's rate limiter against a real redis-server on loopback:
// limits, exempt health routes, whitelist, fail-open while Redis is down and
// automatic recovery when it comes back on the same port.
import { test as uvuTest } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { skipIf } from '../helpers/skip.ts';
import { api, freePort, startNode, stopAll, waitUntil, type NodeProcess } from './helpers/node-process.ts';
import { RedisServer, redisServerAvailable } from './helpers/redis-server.ts';

const test = skipIf(redisServerAvailable() ? false : 'redis-server is not installed', uvuTest);

const LIMIT = 5;
const WINDOW_SECONDS = 600;
let redis: RedisServer;
let web: NodeProcess, whitelisted: NodeProcess;
let settingsDir = '';

function settings(whitelist: string[]): string {
  const path = join(settingsDir, `Settings-${whitelist.length}.toml`);
  writeFileSync(
    path,
    `[rate_limiter]
redis_addr = "127.0.0.1:${redis.port}"
ip_whitelist = ${JSON.stringify(whitelist)}

[[rate_limiter.limiter]]
strategy = "ip"
global_bucket = { tokens_count = ${LIMIT}, add_tokens_every = ${WINDOW_SECONDS} }
`,
  );
  return path;
}

/** Fixed windows are aligned to the clock: do not start a count right before a boundary. */
async function awayFromWindowEdge(): Promise<void> {
  const left = WINDOW_SECONDS * 1000 - (Date.now() % (WINDOW_SECONDS * 1000));
  if (left < 10_000) await new Promise((r) => setTimeout(r, left + 100));
}

const limiterState = async (n: NodeProcess) => (await api(n.httpPort, '/api/health')).body.data.rate_limiter as string;

test.before(async () => {
  settingsDir = mkdtempSync(join(tmpdir(), 'rl-settings-'));
  redis = new RedisServer(await freePort());
  await redis.start();
  const env = (whitelist: string[]) => ({ RL_SETTINGS_PATH: settings(whitelist), NODE_DIFFICULTY_BITS: '8' });
  web = await startNode({ name: 'rl-web', role: 'webserver', env: env([]) });
  whitelisted = await startNode({ name: 'rl-white', role: 'webserver', env: env(['10.0.0.0/8', '127.0.0.1']) });
  for (const n of [web, whitelisted]) {
    await waitUntil(`${n.name} ready with Redis connected`, 20_000, async () => (await limiterState(n)) === 'ok');
  }
});

test.after(async () => {
  await stopAll([web, whitelisted]);
  await redis?.stop();
  rmSync(settingsDir, { recursive: true, force: true });
});

async function exhaust(n: NodeProcess): Promise<void> {
  await awayFromWindowEdge();
  for (let i = 1; i <= LIMIT; i++) {
    const r = await api(n.httpPort, '/api/v1/blockchain');
    assert.is(r.status, 200, `request ${i}`);
    assert.is(r.headers.get('x-ratelimit-limit'), String(LIMIT));
    assert.is(r.headers.get('x-ratelimit-remaining'), String(LIMIT - i));
  }
  const over = await api(n.httpPort, '/api/v1/blockchain');
  assert.is(over.status, 429);
  assert.is(over.body.success, false);
  assert.is(over.headers.get('x-ratelimit-limit'), String(LIMIT));
  assert.is(over.headers.get('x-ratelimit-remaining'), '0');
  assert.ok(Number(over.headers.get('retry-after')) > 0);
}

test('the request after the limit gets 429 with X-RateLimit headers', async () => {
  await exhaust(web);
  assert.is((await api(web.httpPort, '/api/v1/mining/info')).status, 429, 'the limit is per client, across routes');
  assert.is((await api(web.httpPort, '/no/such/route')).status, 429, 'unknown routes count too');
});

test('health routes are never limited', async () => {
  for (let i = 0; i < 3 * LIMIT; i++) {
    for (const path of ['/api/health/live', '/api/health/ready', '/api/health', '/health/live', '/health/ready', '/health']) {
      const r = await api(web.httpPort, path);
      assert.is(r.status, 200, path);
      assert.is(r.headers.get('x-ratelimit-limit'), null);
    }
  }
});

test('whitelisted clients are not counted', async () => {
  for (let i = 0; i < 3 * LIMIT; i++) {
    const r = await api(whitelisted.httpPort, '/api/v1/blockchain');
    assert.is(r.status, 200);
    assert.is(r.headers.get('x-ratelimit-limit'), null);
  }
});

test('Redis down: requests pass, health says degraded, logged once; recovery is automatic', async () => {
  await redis.stop();
  for (let i = 0; i < 3; i++) assert.is((await api(web.httpPort, '/api/v1/blockchain')).status, 200, 'fail open');
  await waitUntil('degraded state', 10_000, async () => (await limiterState(web)) === 'degraded');
  const health = await api(web.httpPort, '/api/health');
  assert.is(health.body.data.status, 'degraded');
  await new Promise((r) => setTimeout(r, 1500));
  for (let i = 0; i < 3; i++) assert.is((await api(web.httpPort, '/api/v1/blockchain')).status, 200);
  const outageLines = web.logs().split('\n').filter((l) => l.includes('rate limiter degraded'));
  assert.is(outageLines.length, 1, outageLines.join('\n'));

  await redis.start();
  await waitUntil('recovery after Redis returns', 15_000, async () => (await limiterState(web)) === 'ok');
  assert.match(web.logs(), /rate limiter recovered/);
  // The new Redis is empty: counting starts again, and limits again.
  await exhaust(web);
});

test.run();
