// `healthcheck --json` and `inspect`: how devenv reads a node's height, tip
// and balances from outside, including miners, which serve no HTTP API.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { nodeBundle, startNode, stopAll, waitUntil, api, type NodeProcess } from './helpers/node-process.ts';

function run(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return nodeBundle().then(
    (bundle) =>
      new Promise((resolve) => {
        execFile(process.execPath, [bundle, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 20_000 }, (err, stdout, stderr) => {
          resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
        });
      }),
  );
}

let miner: NodeProcess | undefined;
let web: NodeProcess | undefined;

test.after(async () => stopAll([miner, web]));

test('healthcheck --json of a miner reports height, tip and peers from the P2P pong', async () => {
  miner = await startNode({ name: 'm1', role: 'miner' });
  web = await startNode({ name: 'w1', role: 'webserver', connect: `127.0.0.1:${miner.p2pPort}` });
  const state = await waitUntil('miner at height >= 2 with a peer', 60_000, async () => {
    const r = await run(['healthcheck', '--json'], { NODE_IS_MINER: 'yes', NODE_IS_WEB_SERVER: 'no', NODE_ADDR: `127.0.0.1:${miner!.p2pPort}` });
    const s = JSON.parse(r.stdout.trim());
    return r.code === 0 && s.height >= 2 && s.peers >= 1 ? s : undefined;
  });
  assert.is(state.ready, true);
  assert.match(state.tip, /^[0-9a-f]{64}$/);
  assert.match(state.reason, /^ready: 127\.0\.0\.1:\d+ answered a P2P ping \(height \d+\)$/);
});

test('healthcheck --json of a webserver reports its height from the API', async () => {
  const r = await run(['healthcheck', '--json'], { NODE_IS_MINER: 'no', NODE_IS_WEB_SERVER: 'yes', NODE_HTTP_ADDR: `127.0.0.1:${web!.httpPort}` });
  assert.is(r.code, 0, r.stdout + r.stderr);
  const s = JSON.parse(r.stdout.trim());
  assert.ok(s.ready && s.height >= 1 && s.peers >= 1, r.stdout);
});

test('healthcheck --json carries each node\'s effective settings and peers (never a key); a plain ping gets none', async () => {
  const m = await run(['healthcheck', '--json'], { NODE_IS_MINER: 'yes', NODE_IS_WEB_SERVER: 'no', NODE_ADDR: `127.0.0.1:${miner!.p2pPort}` });
  const md = JSON.parse(m.stdout.trim()).detail;
  assert.is(md.role, 'miner');
  assert.is(md.startup, 'seed');
  assert.equal(md.configuredPeers, []);
  assert.is(md.rateLimit, null);
  assert.ok(md.connectedPeers.some((p: { direction: string }) => p.direction === 'inbound'), JSON.stringify(md));
  assert.type(md.blockTargetSeconds, 'number');
  const w = await run(['healthcheck', '--json'], { NODE_IS_MINER: 'no', NODE_IS_WEB_SERVER: 'yes', NODE_HTTP_ADDR: `127.0.0.1:${web!.httpPort}`, NODE_ADDR: `127.0.0.1:${web!.p2pPort}` });
  const wd = JSON.parse(w.stdout.trim()).detail;
  assert.is(wd.role, 'webserver');
  assert.is(wd.startup, 'join');
  assert.equal(wd.configuredPeers, [`127.0.0.1:${miner!.p2pPort}`]);
  assert.equal(wd.connectedPeers.map((p: { addr: string; direction: string }) => [p.addr, p.direction]), [[`127.0.0.1:${miner!.p2pPort}`, 'outbound']]);
  assert.not.match(m.stdout + w.stdout, /key/i);
  // Without `detail: true`, a pong is what it always was.
  const pong = await new Promise<Record<string, unknown>>((resolve, reject) => {
    const sock = createConnection({ host: '127.0.0.1', port: miner!.p2pPort }, () => sock.write(JSON.stringify({ type: 'ping', nonce: 'n1' }) + '\n'));
    let buf = '';
    sock.on('data', (d) => {
      buf += d;
      const line = buf.split('\n').find((l) => l.includes('"pong"'));
      if (line) {
        sock.destroy();
        resolve(JSON.parse(line));
      }
    });
    sock.on('error', reject);
  });
  assert.is(pong.nonce, 'n1');
  assert.is(pong.detail, undefined);
});

test('a webserver with a rate-limit file reports the limits and whitelist in force', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rl-'));
  const file = join(dir, 'Settings.toml');
  writeFileSync(file, '[rate_limiter]\nredis_addr = "127.0.0.1:1"\nip_whitelist = ["10.1.2.3"]\n[[rate_limiter.limiter]]\nstrategy = "ip"\nglobal_bucket = { tokens_count = 7, add_tokens_every = 30 }\n');
  const w2 = await startNode({ name: 'w2', role: 'webserver', connect: `127.0.0.1:${miner!.p2pPort}`, env: { RL_SETTINGS_PATH: file } });
  try {
    const d = await waitUntil('w2 answers with detail', 30_000, async () => {
      const r = await run(['healthcheck', '--json'], { NODE_IS_MINER: 'no', NODE_IS_WEB_SERVER: 'yes', NODE_HTTP_ADDR: `127.0.0.1:${w2.httpPort}`, NODE_ADDR: `127.0.0.1:${w2.p2pPort}` });
      return JSON.parse(r.stdout.trim() || '{}').detail;
    });
    assert.equal(d.rateLimit, { file, redis: '127.0.0.1:1', ipWhitelist: ['10.1.2.3'], limiters: [{ global: { tokensCount: 7, windowSeconds: 30 }, perValue: {} }] });
  } finally {
    await stopAll([w2]);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('healthcheck --json when nothing listens: ready false, exit 1', async () => {
  const r = await run(['healthcheck', '--json'], { NODE_IS_MINER: 'yes', NODE_IS_WEB_SERVER: 'no', NODE_ADDR: '127.0.0.1:1' });
  assert.is(r.code, 1);
  assert.is(JSON.parse(r.stdout.trim()).ready, false);
});

test("inspect reads a running miner's store without its lock: height, tip and the coinbase balance", async () => {
  const health = (await api(web!.httpPort, '/api/health')).body.data;
  const r = await run(['inspect'], { NODE_DATA_DIR: join(miner!.dir, 'data') });
  assert.is(r.code, 0, r.stderr);
  const s = JSON.parse(r.stdout.trim());
  assert.ok(s.height >= health.height - 1, `inspect ${s.height} vs webserver ${health.height}`);
  assert.match(s.tip, /^[0-9a-f]{64}$/);
  const block = (await api(web!.httpPort, '/api/v1/blockchain/blocks/latest')).body.data;
  const coinbaseTo: string = block.transactions[0].to_address;
  assert.type(coinbaseTo, 'string');
  const b = JSON.parse((await run(['inspect', '--balance', coinbaseTo], { NODE_DATA_DIR: join(miner!.dir, 'data') })).stdout.trim());
  assert.ok(b.balances[coinbaseTo] > 0, JSON.stringify(b));
  const bad = await run(['inspect', '--frob'], { NODE_DATA_DIR: join(miner!.dir, 'data') });
  assert.is(bad.code, 2);
  assert.match(bad.stderr, /inspect: unexpected argument "--frob"/);
});

test.run();
