// Builds the blockchain-node image on the offline base (no registry needed)
// and runs a miner and a webserver on a network this test creates.
import { test as uvuTest } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { skipIf } from '../helpers/skip.ts';
import { nodeBundle, waitUntil } from './helpers/node-process.ts';

const dockerReachable = spawnSync('docker', ['info'], { stdio: 'ignore', timeout: 15_000 }).status === 0;
const test = skipIf(dockerReachable ? false : 'no Docker daemon', uvuTest);

const root = fileURLToPath(new URL('../../', import.meta.url));
const id = randomBytes(4).toString('hex');
const tag = `devenv-test/blockchain-node:test-${id}`;
const network = `devenv-test-${id}`;
const miner = `devenv-test-${id}-miner_1`;
const web = `devenv-test-${id}-webserver_1`;
const MAX_IMAGE_BYTES = 250 * 1000 * 1000;

const docker = async (...args: string[]) => (await execa('docker', args, { timeout: 300_000 })).stdout.trim();
const dockerStatus = async (...args: string[]) => (await execa('docker', args, { reject: false, timeout: 60_000 })).exitCode;

async function baseImage(): Promise<string> {
  if (process.env.NODE_IMAGE) return process.env.NODE_IMAGE;
  const { stdout } = await execa('bash', [`${root}scripts/offline-images.sh`], { timeout: 15 * 60_000, stderr: 'inherit' });
  const m = /^export NODE_IMAGE=(\S+)$/m.exec(stdout);
  if (!m) throw new Error(`offline-images.sh printed no NODE_IMAGE line: ${stdout}`);
  return m[1];
}

let webPort = 0;

test.before(async () => {
  await nodeBundle();
  await docker('build', '-q', '--build-arg', `NODE_IMAGE=${await baseImage()}`, '-t', tag, `${root}images/blockchain-node`);
  await docker('network', 'create', network);
  const common = ['-d', '--network', network, '-e', 'NODE_DIFFICULTY_BITS=16', '-e', 'NODE_MINING_DUTY_CYCLE=0.25'];
  await docker('run', ...common, '--name', miner, '--network-alias', 'miner_1', '-e', 'NODE_IS_MINER=yes', '-e', 'NODE_IS_WEB_SERVER=no', '-e', 'NODE_CONNECT_NODES=local', tag);
  await docker('run', ...common, '--name', web, '-p', '127.0.0.1::8080', '-e', 'NODE_CONNECT_NODES=miner_1:2001', tag);
  webPort = Number((await docker('port', web, '8080/tcp')).split('\n')[0].split(':').pop());
});

test.after(async () => {
  await execa('docker', ['rm', '-f', '-v', miner, web], { reject: false });
  await execa('docker', ['network', 'rm', network], { reject: false });
  await execa('docker', ['image', 'rm', tag], { reject: false });
});

const health = async (path: string) => {
  const res = await fetch(`http://127.0.0.1:${webPort}${path}`, { signal: AbortSignal.timeout(5000) });
  return { status: res.status, body: (await res.json()) as { data: any } };
};

test('the image is under 250 MB and runs as uid 10001', async () => {
  const size = Number(await docker('image', 'inspect', '--format', '{{.Size}}', tag));
  assert.ok(size < MAX_IMAGE_BYTES, `image is ${Math.round(size / 1e6)} MB`);
  assert.is(await docker('image', 'inspect', '--format', '{{.Config.User}}', tag), '10001:10001');
});

test('the webserver becomes ready and its height grows', async () => {
  await waitUntil('healthcheck in the webserver container', 60_000, async () => (await dockerStatus('exec', web, 'blockchain-node', 'healthcheck')) === 0, 1000);
  const ready = await health('/api/health/ready');
  assert.is(ready.status, 200);
  const h1 = (await health('/api/health')).body.data.height as number;
  await waitUntil('the height to grow', 60_000, async () => (await health('/api/health')).body.data.height > h1, 500);
  assert.is((await health('/api/health/nonexistent')).status, 404);
  assert.is(await dockerStatus('exec', miner, 'blockchain-node', 'healthcheck'), 0, 'miner answers the P2P ping');
  const logs = await docker('logs', miner);
  assert.match(logs, /advertise=\d+\.\d+\.\d+\.\d+:2001/);
  assert.not.match(logs, /advertise=(0\.0\.0\.0|127\.)/);
});

test('a miner killed with SIGKILL restarts as PID 1 and retakes its lock', async () => {
  await docker('kill', '--signal', 'KILL', miner);
  await docker('start', miner);
  await waitUntil('the restarted miner to answer', 30_000, async () => (await dockerStatus('exec', miner, 'blockchain-node', 'healthcheck')) === 0, 500);
  const logs = await docker('logs', miner);
  assert.not.match(logs, /could not acquire lock/);
  assert.ok((logs.match(/starting blockchain node .*pid=1\b/g) ?? []).length >= 2);
});

test('docker stop: SIGTERM to PID 1 exits 0 within 5 s', async () => {
  const started = Date.now();
  await docker('stop', '--time', '10', web);
  const ms = Date.now() - started;
  assert.is(await docker('inspect', '--format', '{{.State.ExitCode}}', web), '0');
  assert.ok(ms < 5000, `stop took ${ms} ms`);
});

test.run();
