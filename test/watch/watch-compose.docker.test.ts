// test-timeout-minutes: 12
// `devenv up --watch` on Docker Compose, on a copy of the project: a source
// edit reaches the running webserver (fast path, the chain stays); a broken
// edit and a node that crashes on start leave the last good build answering
// and say why; a Dockerfile edit takes the full path (new image, node
// containers recreated); Ctrl-C stops watching and leaves the network up.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execa } from 'execa';
import { runCli } from '../helpers/cli.ts';
import { dockerSkipReason } from '../helpers/docker.ts';
import { skipIf } from '../helpers/skip.ts';
import { copyProject, interruptKeepsRunning, startWatch, webserverHealth, type WatchRun } from './watch-project.ts';

const test = skipIf(await dockerSkipReason(), suite('up --watch on Compose'));
const project = 'devenv-x';
const api = 38080;
const copy = copyProject(`compose: { project: ${project} }\nports: { api: ${api}, webserverP2p: 33101, miner1P2p: 33001, miner2P2p: 33002, redis: 36379 }\n`);
let run: WatchRun;

const health = () => webserverHealth(api);
async function liveStatus(): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${api}/api/health/live`, { signal: AbortSignal.timeout(3000) });
  return ((await res.json()) as { data: { status: string } }).data.status;
}
async function nodeImages(): Promise<string[]> {
  const ps = await execa('docker', ['ps', '--filter', `label=com.docker.compose.project=${project}`, '--format', '{{.Label "com.docker.compose.service"}}={{.Image}}']);
  return ps.stdout.split('\n').filter((l) => !l.startsWith('redis=')).sort();
}

test.before(async () => {
  run = startWatch(copy, ['--timeout', '240']);
  await run.waitFor(/^Watching .*\(build [0-9a-f]{12}\)/, 8 * 60_000);
});

test.after(async () => {
  if (run && run.child.exitCode === null) run.child.kill('SIGKILL');
  await runCli(['--config', copy.config, 'down', '--volumes'], { cwd: copy.dir, timeoutMs: 180_000 });
  copy.remove();
});

test('a source edit reaches the running webserver: new build id, new behaviour, same chain', async () => {
  const before = await health();
  const from = run.lines.length;
  copy.edit('images/blockchain-node/src/http/routes.ts', "data: { status: 'live' }", "data: { status: 'live-edited' }");
  await run.waitFor(/fast path/, 30_000, from);
  const answered = await run.waitFor(/build [0-9a-f]{12} answering [\d.]+ s after the write|did not start|keeps running/, 60_000, from);
  const [, id] = /build ([0-9a-f]{12}) answering/.exec(answered) ?? [];
  assert.ok(id, answered);
  assert.is.not(id, before.build_id);
  const after = await health();
  assert.is(after.build_id, id);
  assert.is(await liveStatus(), 'live-edited');
  // The chain and its volume stayed: the height did not go back.
  assert.ok(after.height >= before.height, `height ${before.height} -> ${after.height}`);
});

test('a broken edit leaves the last good build running and names the file and line', async () => {
  const good = (await health()).build_id;
  const from = run.lines.length;
  copy.edit('images/blockchain-node/src/http/routes.ts', "data: { status: 'live-edited' }", "data: { status: 'live-edited' ");
  const line = await run.waitFor(/does not compile/, 60_000, from);
  assert.match(line, /images\/blockchain-node\/src\/http\/routes\.ts:\d+:\d+: the node does not compile/);
  await run.waitFor(new RegExp(`Build ${good} keeps running`), 10_000, from);
  assert.is((await health()).build_id, good);
  assert.is(await liveStatus(), 'live-edited');
  copy.edit('images/blockchain-node/src/http/routes.ts', "data: { status: 'live-edited' ", "data: { status: 'live-edited' }");
  await run.waitFor(/the bundle is unchanged|answering/, 60_000, from);
});

test('a node that crashes on start: the last good build answers again, and the reason is shown', async () => {
  const good = (await health()).build_id;
  const from = run.lines.length;
  copy.edit('images/blockchain-node/src/commands/run.ts', '    node = await BlockchainNode.start(config, log);', "    if (config) throw new Error('boom-on-start');\n    node = await BlockchainNode.start(config, log);");
  const line = await run.waitFor(/did not start|keeps running/, 120_000, from);
  assert.match(line, /did not start: .*boom-on-start/);
  assert.match(line, new RegExp(`Build ${good} keeps running`));
  assert.is((await health()).build_id, good);
  copy.edit('images/blockchain-node/src/commands/run.ts', "    if (config) throw new Error('boom-on-start');\n", '');
});

test('a Dockerfile edit takes the full path: a new image, only the node containers recreated', async () => {
  const before = await nodeImages();
  const redisBefore = (await execa('docker', ['ps', '-q', '--filter', `label=com.docker.compose.project=${project}`, '--filter', 'label=com.docker.compose.service=redis'])).stdout.trim();
  const from = run.lines.length;
  copy.edit('images/blockchain-node/Dockerfile', 'WORKDIR /app', 'LABEL io.devenv.watch-test="1"\nWORKDIR /app');
  await run.waitFor(/full path/, 30_000, from);
  const answered = await run.waitFor(/answering [\d.]+ s after the write|did not start|keeps running/, 180_000, from);
  assert.match(answered, /answering/);
  const after = await nodeImages();
  assert.is(after.length, 3, after.join(', '));
  for (const [i, line] of after.entries()) assert.is.not(line, before[i], 'the node containers run the new image');
  const label = await execa('docker', ['image', 'inspect', after[0].split('=')[1], '--format', '{{index .Config.Labels "io.devenv.watch-test"}}']);
  assert.is(label.stdout.trim(), '1');
  const redisAfter = (await execa('docker', ['ps', '-q', '--filter', `label=com.docker.compose.project=${project}`, '--filter', 'label=com.docker.compose.service=redis'])).stdout.trim();
  assert.is(redisAfter, redisBefore, 'redis was not recreated');
});

test('Ctrl-C stops watching, exit 0, the network keeps running', async () => {
  const r = await interruptKeepsRunning(run, api);
  assert.is(r.exitCode, 0, r.tail);
  assert.is(r.after, r.before);
});

test.run();
