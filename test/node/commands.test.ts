// The bundle's sub-commands as a user (or a Kubernetes init container) runs them.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile, spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { parseWaitForArgs } from '../../images/blockchain-node/src/commands/wait-for.ts';
import { freePort, nodeBundle } from './helpers/node-process.ts';

function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; ms: number }> {
  const started = Date.now();
  return nodeBundle().then(
    (bundle) =>
      new Promise((resolve) => {
        execFile(process.execPath, [bundle, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 20_000 }, (err, stdout, stderr) => {
          const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
          resolve({ code, out: stdout + stderr, ms: Date.now() - started });
        });
      }),
  );
}

test('wait-for parses addresses and --timeout', () => {
  assert.equal(parseWaitForArgs(['miner-0.miner-headless.ns.svc.cluster.local:2001', '--timeout', '30']), {
    targets: ['miner-0.miner-headless.ns.svc.cluster.local:2001'],
    timeoutSeconds: 30,
  });
  assert.equal(parseWaitForArgs(['a:1', 'b:2', '--timeout=5']).targets, ['a:1', 'b:2']);
  assert.throws(() => parseWaitForArgs([]), /at least one host:port/);
  assert.throws(() => parseWaitForArgs(['nohost']), /not host:port/);
  assert.throws(() => parseWaitForArgs(['a:1', '--timeout', '-3']), /--timeout/);
});

test('wait-for exits 0 once a late listener comes up', async () => {
  const port = await freePort();
  let server: Server | undefined;
  // The listener opens once wait-for has said it is waiting (not after a fixed delay: a busy machine may start the node later than that).
  const bundle = await nodeBundle();
  const child = spawn(process.execPath, [bundle, 'wait-for', `127.0.0.1:${port}`, '--timeout', '15'], { env: { PATH: process.env.PATH ?? '' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const onData = (d: Buffer) => {
    out += d;
    if (!server && out.includes('waiting for')) server = createServer((s) => s.destroy()).listen(port, '127.0.0.1');
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  try {
    const code = await new Promise<number | null>((res) => child.on('close', res));
    assert.is(code, 0, out);
    assert.match(out, `waiting for 127.0.0.1:${port} (ECONNREFUSED)`);
    assert.match(out, `127.0.0.1:${port} is accepting connections`);
  } finally {
    clearTimeout(killer);
    server?.close();
  }
});

test('wait-for times out with exit 1 naming what is down', async () => {
  const port = await freePort();
  const r = await run(['wait-for', `127.0.0.1:${port}`, '--timeout', '1']);
  assert.is(r.code, 1);
  assert.match(r.out, `timed out after 1s waiting for 127.0.0.1:${port} (ECONNREFUSED)`);
  assert.ok(r.ms < 10_000);
});

test('healthcheck exits 1 with a reason when nothing listens', async () => {
  const port = await freePort();
  const web = await run(['healthcheck'], { NODE_HTTP_ADDR: `0.0.0.0:${port}` });
  assert.is(web.code, 1);
  assert.match(web.out, `not ready: http://127.0.0.1:${port}/api/health/ready did not answer (ECONNREFUSED)`);
  const miner = await run(['healthcheck'], { NODE_IS_MINER: 'yes', NODE_IS_WEB_SERVER: 'no', NODE_ADDR: `127.0.0.1:${port}` });
  assert.is(miner.code, 1);
  assert.match(miner.out, `not ready: 127.0.0.1:${port} (ECONNREFUSED)`);
});

test('healthcheck of a P2P port that is not a node fails within its timeout', async () => {
  const server = createServer((s) => s.write('SSH-2.0-OpenSSH\r\n'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const port = (server.address() as { port: number }).port;
    const r = await run(['healthcheck'], { NODE_IS_MINER: 'yes', NODE_IS_WEB_SERVER: 'no', NODE_ADDR: `127.0.0.1:${port}` });
    assert.is(r.code, 1);
    assert.match(r.out, /not ready: .*(not the node protocol|did not answer a ping)/);
  } finally {
    server.close();
  }
});

test('unknown commands are usage errors (exit 2)', async () => {
  const r = await run(['frobnicate']);
  assert.is(r.code, 2);
  assert.match(r.out, 'unknown command "frobnicate"');
  assert.match(r.out, 'wait-for HOST:PORT');
});

test.run();
