// test-timeout-minutes: 25
// `devenv up --k8s --watch` on a real kind cluster (devenv-x, created when
// absent and then deleted again), on a copy of the project: a source edit
// reaches the webserver pods (fast path, kubectl exec), a broken edit leaves
// the last good build answering with file:line, and a manifest edit applies
// only the object that changed.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execa } from 'execa';
import { HOST_KIND_VARIABLES, runCli } from '../helpers/cli.ts';
import { kindSkipReason } from '../helpers/kind.ts';
import { skipIf } from '../helpers/skip.ts';
import { restoreKindHost, snapshotKindHost, type KindHostState } from '../helpers/kind-host.ts';
import { copyProject, interruptKeepsRunning, startWatch, webserverHealth, type WatchRun } from './watch-project.ts';

const test = skipIf(await kindSkipReason(), suite('up --k8s --watch on kind'));
const CLUSTER = 'devenv-x';
const api = 38080;
const copy = copyProject(`clusterName: ${CLUSTER}\ncompose: { project: devenv-x }\nports: { api: ${api}, webserverP2p: 33101, miner1P2p: 33001, miner2P2p: 33002, redis: 36379 }\n`);
const kindEnv = Object.fromEntries(HOST_KIND_VARIABLES.map((k) => [k, process.env[k]]));
let run: WatchRun;
let clusterExisted = false;

const health = () => webserverHealth(api);

let hostBefore: KindHostState | undefined;

test.before(async () => {
  // What a kind cluster changes on the host (kubelet sysctls, /lib/modules, the kind network) is put back at the end.
  hostBefore = await snapshotKindHost();
  const kind = process.env.KIND ?? 'kind';
  clusterExisted = (await execa(kind, ['get', 'clusters'], { reject: false })).stdout.split('\n').includes(CLUSTER);
  run = startWatch(copy, ['--k8s', '--timeout', '600'], kindEnv);
  await run.waitFor(/^Watching .*\(build [0-9a-f]{12}\)/, 20 * 60_000);
});

test.after(async () => {
  if (run && run.child.exitCode === null) {
    run.child.kill('SIGINT');
    await run.child;
  }
  await runCli(['--config', copy.config, 'down', '--k8s', '--volumes', ...(clusterExisted ? [] : ['--cluster'])], { cwd: copy.dir, timeoutMs: 10 * 60_000, env: kindEnv });
  copy.remove();
  if (hostBefore && !clusterExisted) await restoreKindHost(hostBefore);
});

test('a source edit reaches the webserver pods with the chain kept', async () => {
  const before = await health();
  const from = run.lines.length;
  copy.edit('images/blockchain-node/src/http/routes.ts', "data: { status: 'live' }", "data: { status: 'live-kind' }");
  const line = await run.waitFor(/answering [\d.]+ s after the write|did not start|keeps running/, 5 * 60_000, from);
  const [, id] = /build ([0-9a-f]{12}) answering/.exec(line) ?? [];
  assert.ok(id, line);
  const after = await health();
  assert.is(after.build_id, id);
  assert.ok(after.height >= before.height, `height ${before.height} -> ${after.height}`);
  const live = await fetch(`http://127.0.0.1:${api}/api/health/live`).then((r) => r.json() as Promise<{ data: { status: string } }>);
  assert.is(live.data.status, 'live-kind');
});

test('a broken edit leaves the last good build answering and names the file and line', async () => {
  const good = (await health()).build_id;
  const from = run.lines.length;
  copy.edit('images/blockchain-node/src/http/routes.ts', "data: { status: 'live-kind' }", "data: { status: 'live-kind' ");
  const line = await run.waitFor(/does not compile/, 60_000, from);
  assert.match(line, /src\/http\/routes\.ts:\d+:\d+: the node does not compile/);
  await run.waitFor(new RegExp(`Build ${good} keeps running`), 10_000, from);
  assert.is((await health()).build_id, good);
  copy.edit('images/blockchain-node/src/http/routes.ts', "data: { status: 'live-kind' ", "data: { status: 'live-kind' }");
  await run.waitFor(/the bundle is unchanged|answering/, 60_000, from);
});

test('a manifest edit applies only the object that changed', async () => {
  const from = run.lines.length;
  copy.edit('manifests/redis.yaml', '    app: redis\n', '    app: redis\n    devenv.io/watch-test: "1"\n');
  const line = await run.waitFor(/applied \(|Fix:/, 120_000, from);
  assert.match(line, /applied \(applied Service\/redis\)/);
  const svc = await execa('kubectl', ['--context', `kind-${CLUSTER}`, '-n', 'blockchain', 'get', 'service', 'redis', '-o', 'jsonpath={.metadata.labels.devenv\\.io/watch-test}']);
  assert.is(svc.stdout, '1');
});

test('Ctrl-C stops watching, exit 0, the network keeps running', async () => {
  const r = await interruptKeepsRunning(run, api);
  assert.is(r.exitCode, 0, r.tail);
  assert.is(r.after, r.before);
});

test.run();
