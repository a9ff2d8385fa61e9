// The Compose environment end to end on a real Docker engine: up, status, a
// transaction across the network, down/up keeping the chain, warm-up
// idempotence, config edits (restart of exactly the services that mount the
// file; a broken file changes nothing), restart after the node exits, a taken port, down --volumes.
// Uses the default project and host ports; CI provides the daemon and the
// offline base images (NODE_IMAGE, REDIS_IMAGE).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer, type Server } from 'node:net';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execa } from 'execa';
import { repoRoot, runCli } from '../helpers/cli.ts';
import { dockerSkipReason } from '../helpers/docker.ts';
import { skipIf } from '../helpers/skip.ts';
import { until } from '../helpers/until.ts';
import { parseEnvFile } from '../../cli/env-file.ts';

const test = skipIf(await dockerSkipReason(), suite('compose e2e'));
const API = 'http://127.0.0.1:8080';
const UP_TIMEOUT = 10 * 60_000;

async function status() {
  const r = await runCli(['status', '--json']);
  assert.is(r.exitCode, 0, r.stderr);
  return JSON.parse(r.stdout).services as Array<{ service: string; container: string; state: string; health: string; image: string; height: number | null; peers: number | null }>;
}

async function containerIds(): Promise<Record<string, string>> {
  const r = await execa('docker', ['ps', '-a', '--filter', 'label=com.docker.compose.project=devenv', '--format', '{{.Label "com.docker.compose.service"}} {{.ID}}']);
  return Object.fromEntries(r.stdout.split('\n').filter(Boolean).map((l) => l.split(' ')));
}

async function api(method: string, path: string, body?: unknown, key?: string, timeoutMs = 10_000) {
  const res = await fetch(`${API}${path}`, { method, headers: { 'content-type': 'application/json', ...(key ? { 'x-api-key': key } : {}) }, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(timeoutMs) });
  return { status: res.status, body: (await res.json()) as any };
}

async function inspect(service: string, args: string[] = []) {
  const id = (await containerIds())[service];
  const r = await execa('docker', ['exec', id, 'blockchain-node', 'inspect', ...args], { reject: false, timeout: 30_000 });
  assert.is(r.exitCode, 0, `inspect on ${service}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

async function projectVolumes(): Promise<string[]> {
  const r = await execa('docker', ['volume', 'ls', '-q', '--filter', 'label=com.docker.compose.project=devenv']);
  return r.stdout.split('\n').filter(Boolean).sort();
}

test.before(async () => {
  await runCli(['down', '--volumes'], { timeoutMs: UP_TIMEOUT });
});

test.after(async () => {
  await runCli(['down', '--volumes'], { timeoutMs: UP_TIMEOUT });
});

let heightBeforeDown = 0;

test('up: builds, starts four healthy services, prints the endpoints', async () => {
  const r = await runCli(['up'], { timeoutMs: UP_TIMEOUT });
  assert.is(r.exitCode, 0, `${r.stdout}\n${r.stderr}`);
  assert.match(r.stdout, /webserver_1\s+http:\/\/127\.0\.0\.1:8080\/api\/v1\/blockchain/);
  assert.match(r.stdout, /miner_1\s+tcp:\/\/127\.0\.0\.1:2001 \(P2P\)/);
  const s = await status();
  assert.equal(s.map((x) => x.service).sort(), ['miner_1', 'miner_2', 'redis', 'webserver_1']);
  for (const x of s) {
    assert.is(x.state, 'running', x.service);
    assert.is(x.health, 'healthy', x.service);
  }
  assert.ok((s.find((x) => x.service === 'webserver_1')!.height ?? 0) > 0);
  const keys = parseEnvFile(readFileSync(`${repoRoot}compose/.env`, 'utf8')).values;
  for (const k of ['BITCOIN_API_ADMIN_KEY', 'BITCOIN_API_WALLET_KEY']) {
    assert.ok((keys.get(k) ?? '').length >= 16, `${k} generated`);
    assert.not.ok(r.stdout.includes(keys.get(k)!) || r.stderr.includes(keys.get(k)!), `${k} must not be printed`);
  }
});

test('a transaction through webserver_1 is mined and visible on miner_2', async () => {
  const keys = parseEnvFile(readFileSync(`${repoRoot}compose/.env`, 'utf8')).values;
  const admin = keys.get('BITCOIN_API_ADMIN_KEY')!;
  const wallet = keys.get('BITCOIN_API_WALLET_KEY')!;
  const a = await api('POST', '/api/wallet/wallet', {}, wallet);
  const b = await api('POST', '/api/wallet/wallet', {}, wallet);
  assert.is(a.status, 201, JSON.stringify(a.body));
  assert.is(b.status, 201, JSON.stringify(b.body));
  const from = a.body.data.address;
  const to = b.body.data.address;
  // Proof of work on the webserver itself: seconds on a loaded 2-core machine.
  const mined = await api('POST', '/api/admin/mining/generatetoaddress', { nblocks: 1, address: from }, admin, 180_000);
  assert.is(mined.status, 200, JSON.stringify(mined.body));
  const tx = await until('funds and a transaction accepted', async () => {
    const r = await api('POST', '/api/wallet/transactions', { from_address: from, to_address: to, amount: 7 }, wallet);
    return r.status === 201 ? r : undefined;
  }, 60_000);
  assert.ok(tx.body.success);
  await until('the transfer mined (balance 7 on the webserver)', async () => (await api('GET', `/api/v1/wallet/${to}/balance`)).body.data?.balance === 7);
  await until('the transfer visible on miner_2', async () => (await inspect('miner_2', ['--balance', to])).balances?.[to] === 7);
});

test('down keeps the volumes; up again keeps the chain', async () => {
  heightBeforeDown = (await api('GET', '/api/v1/blockchain')).body.data.height;
  const vols = await projectVolumes();
  assert.is(vols.length, 6);
  const down = await runCli(['down'], { timeoutMs: UP_TIMEOUT });
  assert.is(down.exitCode, 0, down.stderr);
  assert.match(down.stdout, /kept 6 volume\(s\)/);
  assert.equal(await containerIds(), {});
  assert.equal(await projectVolumes(), vols);
  const up = await runCli(['up'], { timeoutMs: UP_TIMEOUT });
  assert.is(up.exitCode, 0, up.stderr);
  const h = (await api('GET', '/api/v1/blockchain')).body.data.height;
  assert.ok(h >= heightBeforeDown, `height ${h} after restart, ${heightBeforeDown} before`);
});

test('a warm up rebuilds nothing and recreates nothing', async () => {
  const before = await containerIds();
  const imagesBefore = (await status()).map((s) => `${s.service}=${s.image}`).sort();
  const r = await runCli(['up'], { timeoutMs: UP_TIMEOUT });
  assert.is(r.exitCode, 0, r.stderr);
  assert.match(r.stdout, /\(up to date\)/);
  assert.not.match(r.stderr, /Step \d+\/\d+/);
  assert.equal(await containerIds(), before);
  assert.equal((await status()).map((s) => `${s.service}=${s.image}`).sort(), imagesBefore);
});

async function startedAt(): Promise<Record<string, string>> {
  const ids = await containerIds();
  const r = await execa('docker', ['inspect', '--format', '{{.State.StartedAt}}', ...Object.values(ids)]);
  const times = r.stdout.split('\n');
  return Object.fromEntries(Object.keys(ids).map((service, i) => [service, times[i]]));
}

test('an edited Settings.toml restarts webserver_1 only, once; a broken one changes nothing, exit 2', async () => {
  const settings = `${repoRoot}compose/Settings.toml`;
  const original = readFileSync(settings, 'utf8');
  try {
    const ids = await containerIds();
    const before = await startedAt();
    writeFileSync(settings, `${original}\n# edited by the e2e test ${Date.now()}\n`);
    const r = await runCli(['up'], { timeoutMs: UP_TIMEOUT });
    assert.is(r.exitCode, 0, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /Restarted webserver_1: compose\/Settings\.toml changed/);
    assert.equal(await containerIds(), ids, 'restarted, not recreated');
    const after = await startedAt();
    assert.is.not(after.webserver_1, before.webserver_1, 'webserver_1 started again');
    for (const s of ['miner_1', 'miner_2', 'redis']) assert.is(after[s], before[s], `${s} mounts no config file: not restarted`);

    const again = await runCli(['up'], { timeoutMs: UP_TIMEOUT });
    assert.is(again.exitCode, 0, again.stderr);
    assert.not.match(again.stdout, /Restarted/);
    assert.equal(await startedAt(), after, 'nothing changed: nothing restarted');

    writeFileSync(settings, `${original}\nbroken = \n`);
    const broken = await runCli(['up'], { timeoutMs: UP_TIMEOUT });
    assert.is(broken.exitCode, 2, broken.stderr);
    assert.match(broken.stderr, /compose\/Settings\.toml:\d+:\d+: compose\/Settings\.toml is not valid TOML/);
    assert.equal(await startedAt(), after, 'a broken file restarts nothing');
  } finally {
    writeFileSync(settings, original);
  }
});

test('after a change to the node sources only the node containers are recreated', async () => {
  // A copy of the build context inside the checkout (so the bundler finds
  // node_modules) with one log message changed: a real source change.
  const ctxDir = `${repoRoot}.devenv/test-context-${process.pid}`;
  rmSync(ctxDir, { recursive: true, force: true });
  cpSync(`${repoRoot}images/blockchain-node`, ctxDir, { recursive: true, filter: (src) => !src.includes('/dist') });
  const main = `${ctxDir}/src/main.ts`;
  const original = readFileSync(main, 'utf8');
  assert.ok(original.includes('run the node (configured by environment variables)'), 'the string the test changes is still in main.ts');
  // A marker unique to this run, so the image cannot exist from an earlier run.
  writeFileSync(main, original.replace('run the node (configured by environment variables)', `run the node (configured by environment variables, change ${Date.now()})`));
  const cfg = `${ctxDir}.devenv.yaml`;
  let changedImage: string | undefined;
  writeFileSync(cfg, `compose:\n  file: ${repoRoot}compose/docker-compose.yml\nimage:\n  context: ${ctxDir}\n`);
  try {
    const before = await containerIds();
    const height = (await api('GET', '/api/v1/blockchain')).body.data.height;
    const r = await runCli(['up', '--config', cfg], { timeoutMs: UP_TIMEOUT });
    assert.is(r.exitCode, 0, `${r.stdout}\n${r.stderr}`);
    const built = /image (blockchain-node:[0-9a-f]{12}) \(built\)/.exec(r.stdout);
    assert.ok(built, `a new image is built: ${r.stdout}`);
    changedImage = built[1];
    const after = await containerIds();
    assert.is(after.redis, before.redis, 'redis is not recreated');
    for (const s of ['miner_1', 'miner_2', 'webserver_1']) assert.is.not(after[s], before[s], `${s} is recreated on the new image`);
    assert.ok((await api('GET', '/api/v1/blockchain')).body.data.height >= height, 'the chain survives the recreation');
    // Back to the checkout's own image for the tests that follow.
    const back = await runCli(['up'], { timeoutMs: UP_TIMEOUT });
    assert.is(back.exitCode, 0, back.stderr);
  } finally {
    rmSync(ctxDir, { recursive: true, force: true });
    rmSync(cfg, { force: true });
    if (changedImage) await execa('docker', ['rmi', changedImage], { reject: false });
  }
});

test("miner_2's node exits on its own: the restart policy brings it back and it catches up", async () => {
  const id = (await containerIds()).miner_2;
  const restarts = async () => Number((await execa('docker', ['inspect', '-f', '{{.RestartCount}}', id])).stdout);
  const before = await restarts();
  // SIGTERM to PID 1 from inside (the image has no kill binary; node is there): the
  // node shuts down cleanly and exits 0 on its own; this is not `docker stop`.
  await execa('docker', ['exec', id, 'node', '-e', "process.kill(1, 'SIGTERM')"]);
  await until('miner_2 restarted', async () => (await restarts()) > before, 60_000);
  await until('miner_2 healthy again and caught up', async () => {
    const s = await status();
    const m2 = s.find((x) => x.service === 'miner_2')!;
    const m1 = s.find((x) => x.service === 'miner_1')!;
    return m2.health === 'healthy' && m2.height !== null && m1.height !== null && m2.height >= m1.height - 1;
  });
});

test('port 8080 taken by another process: up fails before creating anything, names the holder, exit 3', async () => {
  const down = await runCli(['down'], { timeoutMs: UP_TIMEOUT });
  assert.is(down.exitCode, 0);
  const srv: Server = createServer();
  await new Promise<void>((res) => srv.listen(8080, '127.0.0.1', () => res()));
  try {
    const r = await runCli(['up'], { timeoutMs: UP_TIMEOUT });
    assert.is(r.exitCode, 3);
    assert.match(r.stderr, new RegExp(`host port 8080 \\(HTTP API \\(webserver\\)\\) is taken by pid ${process.pid} `));
    assert.equal(await containerIds(), {});
  } finally {
    srv.close();
  }
});

test("down --volumes removes this project's volumes and nothing else", async () => {
  await execa('docker', ['volume', 'create', 'devenv-test-sentinel']);
  try {
    const r = await runCli(['down', '--volumes'], { timeoutMs: UP_TIMEOUT });
    assert.is(r.exitCode, 0, r.stderr);
    assert.match(r.stderr, /deleting 6 volume\(s\) of project devenv: devenv_miner_1_data/);
    assert.equal(await projectVolumes(), []);
    const sentinel = await execa('docker', ['volume', 'inspect', 'devenv-test-sentinel'], { reject: false });
    assert.is(sentinel.exitCode, 0, 'a volume of another project must survive');
  } finally {
    await execa('docker', ['volume', 'rm', 'devenv-test-sentinel'], { reject: false });
  }
});

test('the Compose v1 fallback (docker-compose 1.29) brings the same file up', async () => {
  const v1 = await execa('docker-compose', ['version', '--short'], { reject: false });
  assert.is(v1.exitCode, 0, 'docker-compose v1 must be installed (CI installs it)');
  const r = await runCli(['up'], { timeoutMs: UP_TIMEOUT, env: { DEVENV_COMPOSE: 'v1' } });
  assert.is(r.exitCode, 0, `${r.stdout}\n${r.stderr}`);
  const s = await status();
  assert.is(s.filter((x) => x.health === 'healthy').length, 4);
  const down = await runCli(['down', '--volumes'], { timeoutMs: UP_TIMEOUT, env: { DEVENV_COMPOSE: 'v1' } });
  assert.is(down.exitCode, 0, down.stderr);
  assert.equal(await containerIds(), {});
});

test.run();
