// Three real node processes on loopback: a seed miner, a second miner and a
// webserver, each with its own ports and directories.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { WalletFile } from '../../images/blockchain-node/src/wallet/wallet-file.ts';
import { api, freePort, nodeBundle, P2pClient, startNode, stopAll, waitUntil, withTimeout, type NodeProcess } from './helpers/node-process.ts';

const ADMIN = 'test-admin-key';
const WALLET = 'test-wallet-key';
const keys = { BITCOIN_API_ADMIN_KEY: ADMIN, BITCOIN_API_WALLET_KEY: WALLET };

let m1: NodeProcess, m2: NodeProcess, web: NodeProcess;
let funded = '';

test.before(async () => {
  // The webserver's wallet file is prepared first so the seed miner can mine
  // to an address whose key the webserver holds.
  const webDir = mkdtempSync(join(tmpdir(), 'node-web-'));
  funded = new WalletFile(join(webDir, 'wallets', 'wallets.dat')).create().address;
  m1 = await startNode({ name: 'm1', role: 'miner', env: { NODE_MINING_ADDRESS: funded, NODE_MAX_MESSAGE_BYTES: '65536' } });
  m2 = await startNode({ name: 'm2', role: 'miner', connect: `127.0.0.1:${m1.p2pPort}` });
  web = await startNode({ name: 'web', role: 'webserver', connect: `localhost:${m1.p2pPort}`, dir: webDir, env: keys });
});

test.after(async () => {
  await stopAll([m1, m2, web]);
});

async function p2pHeight(port: number): Promise<number> {
  const c = await P2pClient.connect(port);
  try {
    c.hello();
    return (await c.waitFor('hello', (m) => m.type === 'hello')).height;
  } finally {
    c.close();
  }
}

test('the webserver becomes ready and its height follows the miners', async () => {
  await waitUntil('webserver ready', 20_000, async () => (await api(web.httpPort, '/api/health/ready')).status === 200);
  await waitUntil('a few blocks', 30_000, async () => (await api(web.httpPort, '/api/v1/blockchain')).body.data.height >= 5);
  for (const miner of [m1, m2]) {
    const target = await p2pHeight(miner.p2pPort);
    await waitUntil(`webserver to reach ${miner.name}'s height ${target}`, 10_000, async () => (await api(web.httpPort, '/api/v1/blockchain')).body.data.height >= target);
  }
  const health = await api(web.httpPort, '/health');
  assert.is(health.status, 200);
  assert.is(health.body.data.rate_limiter, 'disabled');
  assert.ok(health.body.data.peers >= 1);
  assert.match(m2.logs(), /peer connected peer=127\.0\.0\.1:\d+ direction=outbound/);
});

test('a transfer signed by the webserver is mined and visible on every node', async () => {
  await waitUntil('coinbase funds', 30_000, async () => (await api(web.httpPort, `/api/v1/wallet/${funded}/balance`)).body.data.balance >= 100);
  const created = await api(web.httpPort, '/api/wallet/wallet', { body: {}, key: WALLET });
  assert.is(created.status, 201);
  const to = created.body.data.address as string;
  const sent = await api(web.httpPort, '/api/wallet/transactions', { body: { from_address: funded, to_address: to, amount: 42 }, key: WALLET });
  assert.is(sent.status, 201, JSON.stringify(sent.body));
  const txid = sent.body.data.txid as string;

  const blockHash = await waitUntil('the transfer in a block with 2 confirmations', 40_000, async () => {
    const list = await api(web.httpPort, '/api/v1/blockchain/blocks?limit=50');
    for (const b of list.body.data.blocks) {
      if (b.tx_count < 2) continue;
      const full = await api(web.httpPort, `/api/v1/blockchain/blocks/${b.hash}`);
      if (full.body.data.transactions.some((t: any) => t.txid === txid) && full.body.data.confirmations >= 2) return b.hash as string;
    }
    return undefined;
  });
  assert.is((await api(web.httpPort, `/api/v1/wallet/${to}/balance`)).body.data.balance, 42);

  const block = (await api(web.httpPort, `/api/v1/blockchain/blocks/${blockHash}`)).body.data;
  for (const miner of [m1, m2]) {
    // The block is on the miner's best chain iff asking for what follows its
    // parent returns it first.
    await waitUntil(`${miner.name} to have the transfer's block on its best chain`, 15_000, async () => {
      const c = await P2pClient.connect(miner.p2pPort);
      try {
        c.hello();
        c.send({ type: 'get_blocks', locator: [block.prev_hash] });
        const reply = await c.waitFor('blocks', (m) => m.type === 'blocks');
        const first = reply.blocks[0];
        return first?.hash === blockHash && first.txs.some((t: any) => t.id === txid);
      } finally {
        c.close();
      }
    });
  }
  const mempool = await api(web.httpPort, '/api/v1/transactions/mempool');
  assert.not.ok(mempool.body.data.transactions.some((t: any) => t.txid === txid));
});

test('API: auth, validation, unknown routes', async () => {
  assert.is((await api(web.httpPort, '/api/wallet/transactions', { body: {} })).status, 401);
  assert.is((await api(web.httpPort, '/api/wallet/wallet', { body: {}, key: 'nope' })).status, 401);
  assert.is((await api(web.httpPort, '/api/admin/mining/generatetoaddress', { body: { nblocks: 1, address: funded }, key: WALLET })).status, 403);
  assert.is((await api(web.httpPort, '/api/admin/blockchain', { key: WALLET })).status, 403);
  assert.is((await api(web.httpPort, '/api/admin/blockchain', { key: ADMIN })).status, 200);
  const bad = await api(web.httpPort, '/api/wallet/transactions', { raw: '{"from_address":', key: WALLET });
  assert.is(bad.status, 400);
  assert.match(bad.body.error!, /malformed JSON/);
  const badAmount = await api(web.httpPort, '/api/wallet/transactions', { body: { from_address: funded, to_address: funded + 'x', amount: -1 }, key: WALLET });
  assert.is(badAmount.status, 400);
  assert.match(badAmount.body.error!, /amount/);
  const missing = await api(web.httpPort, '/api/health/nothing');
  assert.is(missing.status, 404);
  assert.is(missing.body.success, false);
  assert.is((await api(web.httpPort, '/')).status, 404);
  assert.is((await api(web.httpPort, '/api/v1/blockchain/blocks/zz')).status, 400);
  assert.is((await api(web.httpPort, '/api/v1/wallet/not-an-address!/balance')).status, 400);
  assert.is((await api(web.httpPort, '/api/v1/blockchain/blocks?limit=0')).status, 400);
  assert.is((await api(web.httpPort, '/api/health', { method: 'DELETE' })).status, 405);
  assert.is((await api(web.httpPort, `/api/v1/blockchain/blocks/${'a'.repeat(64)}`)).status, 404);
  const gen = await api(web.httpPort, '/api/admin/mining/generatetoaddress', { body: { nblocks: 1, address: 'generated0000001' }, key: ADMIN });
  assert.is(gen.status, 200);
  assert.is(gen.body.data.blocks.length, 1);
  assert.ok(!web.logs().includes(ADMIN) && !web.logs().includes(WALLET), 'keys never appear in the log');
});

test('healthcheck sub-command: a miner answers the P2P ping, a webserver is ready', async () => {
  const bundle = await nodeBundle();
  const check = (env: Record<string, string>) => spawnSync(process.execPath, [bundle, 'healthcheck'], { env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8', timeout: 15_000 });
  const miner = check({ NODE_IS_MINER: 'yes', NODE_IS_WEB_SERVER: 'no', NODE_ADDR: m1.env.NODE_ADDR });
  assert.is(miner.status, 0, miner.stdout);
  assert.match(miner.stdout, /answered a P2P ping/);
  const webCheck = check({ NODE_HTTP_ADDR: web.env.NODE_HTTP_ADDR });
  assert.is(webCheck.status, 0, webCheck.stdout);
  assert.match(webCheck.stdout, /ready: .*answered 200/);
});

test('a second node on the same data directory fails with the lock error', async () => {
  const intruder = await startNode({ name: 'intruder', role: 'miner', dir: m2.dir, connect: `127.0.0.1:${m1.p2pPort}` });
  const { code } = await withTimeout('the second node to exit', 15_000, intruder.exited);
  assert.is(code, 1);
  assert.match(intruder.logs(), `could not acquire lock on ${join(m2.dir, 'data')}: held by pid ${m2.proc.pid}`);
  assert.is(m2.proc.exitCode, null, 'the holder keeps running');
});

test('malformed and oversized P2P messages do not crash the node', async () => {
  const c = await P2pClient.connect(m1.p2pPort);
  c.hello();
  c.sendRaw('this is not json\n');
  await c.waitFor('an error reply', (m) => m.type === 'error' && /not JSON/.test(m.message));
  c.sendRaw('{"type":"block","block":{"hash":1}}\n{"type":"nonsense"}\n[]\n');
  await waitUntil('disconnect after repeated garbage', 5000, () => c.closed);
  assert.match(m1.logs(), /peer misbehaved .*score=100/);

  const big = await P2pClient.connect(m1.p2pPort);
  big.sendRaw('{"type":"ping","nonce":"' + 'x'.repeat(70_000));
  await waitUntil('disconnect after an oversized message', 5000, () => big.closed);
  assert.match(m1.logs(), /peer sent an oversized message/);

  const probe = await P2pClient.connect(m1.p2pPort);
  probe.send({ type: 'ping', nonce: 'still-alive' });
  await probe.waitFor('pong', (m) => m.type === 'pong' && m.nonce === 'still-alive');
  probe.close();
  assert.is(m1.proc.exitCode, null);
});

test('SIGTERM exits 0 within 5 s and a restart keeps the chain', async () => {
  const before = (await api(web.httpPort, '/api/v1/blockchain')).body.data;
  const stopped = await web.stop('SIGTERM', 10_000);
  assert.is(stopped.code, 0, web.logs().split('\n').slice(-5).join('\n'));
  assert.ok(stopped.ms < 5000, `took ${stopped.ms} ms`);
  assert.match(web.logs(), /shutting down signal=SIGTERM/);

  // Restart isolated from the miners (its peer is a closed port), so what it
  // serves can only come from its own store.
  const closedPort = await freePort();
  web = await startNode({ name: 'web', role: 'webserver', dir: web.dir, connect: `127.0.0.1:${closedPort}`, env: keys, httpPort: web.httpPort });
  await waitUntil('restarted webserver ready', 15_000, async () => (await api(web.httpPort, '/api/health/ready')).status === 200);
  const after = (await api(web.httpPort, '/api/v1/blockchain')).body.data;
  assert.ok(after.height >= before.height, `height ${after.height} after restart, ${before.height} before`);
  const old = await api(web.httpPort, `/api/v1/blockchain/blocks/${before.tip}`);
  assert.is(old.status, 200, 'the pre-shutdown tip is still stored');

  const m2Stop = await m2.stop('SIGINT', 10_000);
  assert.is(m2Stop.code, 0, 'SIGINT shuts down cleanly too');
  assert.ok(m2Stop.ms < 5000, `miner took ${m2Stop.ms} ms`);
  assert.match(m2.logs(), /shutting down signal=SIGINT/);
});

test.run();
