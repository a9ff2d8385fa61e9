// `healthcheck --json` and `inspect`: how devenv reads a node's height, tip
// and balances from outside, including miners, which serve no HTTP API.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
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
