// test-timeout-minutes: 40
// `devenv up --k8s` on a real kind cluster: a node image built with no
// registry (scripts/kind-node-image.sh), real kubelet, containerd, probes,
// PVCs on local-path, metrics-server, kube-proxy and the NodePort through
// kind's port mapping to 127.0.0.1:8080. The cluster is this test's own
// (devenv-test, from a devenv.yaml in a temp dir) and is deleted at the end;
// the host settings the kubelet changes are restored.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import { HOST_KIND_VARIABLES, repoRoot, runCli } from '../helpers/cli.ts';
import { kindSkipReason } from '../helpers/kind.ts';
import { readSysctls, restoreKindHost, snapshotKindHost, type KindHostState } from '../helpers/kind-host.ts';
import { skipIf } from '../helpers/skip.ts';
import { until } from '../helpers/until.ts';
import { parseEnvFile } from '../../cli/env-file.ts';
import { readFileSync } from 'node:fs';

const test = skipIf(await kindSkipReason(), suite('devenv up --k8s on a real kind cluster'));

const CLUSTER = 'devenv-test';
const CONTEXT = `kind-${CLUSTER}`;
const NS = 'blockchain';
const API = 'http://127.0.0.1:8080';
const UP_TIMEOUT = 20 * 60_000;

let dir = '';
let configFile = '';
let hostBefore: KindHostState;
let volumesBefore: string[] = [];
const measured: Record<string, string> = {};

function measure(what: string, value: string) {
  measured[what] = value;
  console.log(`measured: ${what}: ${value}`);
}

// The kind binary and node image this host exported (kindSkipReason checked them).
const kindEnv = Object.fromEntries(HOST_KIND_VARIABLES.map((k) => [k, process.env[k]]));
const cli = (args: string[], timeoutMs = UP_TIMEOUT) => runCli([...args, '--config', configFile], { timeoutMs, env: kindEnv });
const kubectl = (args: string[], opts: { reject?: boolean; timeoutMs?: number } = {}) =>
  execa('kubectl', ['--context', CONTEXT, ...args], { reject: opts.reject ?? true, timeout: opts.timeoutMs ?? 60_000 });
const getJson = async (args: string[]) => JSON.parse((await kubectl([...args, '-o', 'json'])).stdout);
const events = (stdout: string) => stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
const stepDone = (evs: any[], step: string) => evs.find((e) => e.step === step && e.status === 'done');
/** compare's rows with another verdict, one line each: what each side showed. */
const notSame = (doc: any, ok: string[]) =>
  doc.rows.filter((row: any) => !ok.includes(row.verdict)).map((row: any) => `${row.verdict} ${row.check}/${row.service}/${row.subject}: ${row.compose.shown ?? row.compose.error} | ${row.kubernetes.shown ?? row.kubernetes.error}`);
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function api(path: string, key?: string) {
  const res = await fetch(`${API}${path}`, { headers: key ? { 'x-api-key': key } : {}, signal: AbortSignal.timeout(10_000) });
  return { status: res.status, body: (await res.json().catch(() => null)) as any };
}

async function nodeHealth(pod: string): Promise<{ ready: boolean; height: number; peers: number }> {
  const r = await kubectl(['exec', '-n', NS, pod, '-c', 'blockchain-node', '--', 'blockchain-node', 'healthcheck', '--json'], { reject: false, timeoutMs: 20_000 });
  const line = r.stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(line);
}

const dockerLines = async (args: string[]) => (await execa('docker', args)).stdout.split('\n').filter(Boolean);
const kindClusters = async () => (await execa(process.env.KIND || 'kind', ['get', 'clusters'], { reject: false })).stdout.split('\n').map((l) => l.trim());

async function deleteCluster() {
  if ((await kindClusters()).includes(CLUSTER)) await cli(['down', '--k8s', '--cluster', '--volumes'], 5 * 60_000);
}

test.before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'devenv-kind-e2e-'));
  configFile = join(dir, 'devenv.yaml');
  writeFileSync(
    configFile,
    [
      `clusterName: ${CLUSTER}`,
      `manifests: ${join(repoRoot, 'manifests')}`,
      'image:',
      `  context: ${join(repoRoot, 'images/blockchain-node')}`,
      'compose:',
      `  file: ${join(repoRoot, 'compose/docker-compose.yml')}`,
      `  project: ${CLUSTER}`,
      // The cluster publishes the API on 8080; the Compose side of `devenv compare` runs beside it.
      'k8s:',
      '  ports: { api: 8080, webserverP2p: 2101 }',
      'ports: { api: 8090, webserverP2p: 2191, miner1P2p: 2091, miner2P2p: 2092, redis: 6389 }',
      '',
    ].join('\n'),
  );
  hostBefore = await snapshotKindHost();
  volumesBefore = await dockerLines(['volume', 'ls', '-q']);
  await deleteCluster();
});

test.after(async () => {
  await deleteCluster().catch(() => undefined);
  await cli(['down', '--volumes'], 3 * 60_000).catch(() => undefined);
  if (hostBefore) await restoreKindHost(hostBefore);
  rmSync(dir, { recursive: true, force: true });
  console.log(`measured: summary ${JSON.stringify(measured)}`);
});

let upData: any;

test('up --k8s from nothing: cluster, metrics-server, node image loaded, five pods Ready with their real probes, every PVC Bound', async () => {
  const started = Date.now();
  const r = await cli(['up', '--k8s', '--json']);
  const total = Date.now() - started;
  assert.is(r.exitCode, 0, `${r.stdout.slice(-4000)}\n${r.stderr.slice(-4000)}`);
  const evs = events(r.stdout);
  upData = evs[evs.length - 1];
  assert.ok(upData.ok, 'the last line is the result');
  for (const step of ['Create the kind cluster', 'Install metrics-server', 'Load the node image into kind', 'Wait for the rollouts', 'Wait for the Metrics API']) assert.ok(stepDone(evs, step), `${step} finished`);
  assert.ok(upData.loadedImages.some((i: string) => i.startsWith('blockchain-node:')), `the node image was loaded: ${upData.loadedImages}`);
  measure('up --k8s cold (no cluster)', secs(total));
  measure('kind create cluster (incl. control plane Ready)', secs(stepDone(evs, 'Create the kind cluster').durationMs));
  measure('metrics-server applied (its image loaded first)', secs(stepDone(evs, 'Install metrics-server').durationMs));
  measure('Metrics API wait after the rollouts', secs(stepDone(evs, 'Wait for the Metrics API').durationMs));
  measure('node image load', secs(stepDone(evs, 'Load the node image into kind').durationMs));
  measure('rollouts (all pods Ready)', secs(stepDone(evs, 'Wait for the rollouts').durationMs));
  const smoke = stepDone(evs, 'Smoke check: the API answers and the chain grows');
  assert.ok(smoke, 'the smoke check ran');
  measure('first block through the NodePort (smoke check)', secs(smoke.durationMs));

  const [node] = (await getJson(['get', 'nodes'])).items;
  const ready = node.status.conditions.find((c: any) => c.type === 'Ready');
  assert.is(ready.status, 'True');
  const nodeStarted = (await execa('docker', ['inspect', '--format', '{{.State.StartedAt}}', `${CLUSTER}-control-plane`])).stdout.trim();
  measure('node Ready after its container started', secs(Date.parse(ready.lastTransitionTime) - Date.parse(nodeStarted)));
  assert.match(node.status.nodeInfo.kubeletVersion, /^v1\.34\./);

  const ms = await getJson(['get', 'deployment', '-n', 'kube-system', 'metrics-server']);
  assert.is(ms.status.readyReplicas, 1, 'metrics-server Ready');

  const pods = (await getJson(['get', 'pods', '-n', NS])).items as any[];
  const names = pods.map((p) => p.metadata.name).sort();
  assert.equal(names.filter((n) => !n.startsWith('redis-')), ['miner-0', 'miner-1', 'webserver-0', 'webserver-1']);
  assert.is(names.filter((n) => n.startsWith('redis-')).length, 1);
  for (const p of pods) {
    assert.is(p.status.phase, 'Running', `${p.metadata.name} Running`);
    assert.ok(p.status.containerStatuses.every((c: any) => c.ready), `${p.metadata.name} Ready`);
    for (const c of p.spec.containers) assert.ok(c.readinessProbe, `${p.metadata.name}/${c.name} has a real readiness probe`);
  }
  const pvcs = (await getJson(['get', 'pvc', '-n', NS])).items as any[];
  assert.ok(pvcs.length >= 4, `PVCs: ${pvcs.map((c) => c.metadata.name)}`);
  for (const c of pvcs) assert.is(c.status.phase, 'Bound', `${c.metadata.name} Bound`);
});

test('a second up --k8s: the cluster is as the first left it, so nothing is loaded, applied or waited for; nothing changes', async () => {
  const before = (await getJson(['get', 'statefulsets', '-n', NS])).items.map((s: any) => `${s.metadata.name}#${s.metadata.generation}`);
  const started = Date.now();
  const r = await cli(['up', '--k8s', '--json']);
  measure('up --k8s warm (nothing changed)', secs(Date.now() - started));
  assert.is(r.exitCode, 0, r.stderr.slice(-3000));
  const evs = events(r.stdout);
  assert.equal(evs[evs.length - 1].loadedImages, []);
  assert.ok(evs.some((e) => e.step === 'Compare the cluster with the last up' && /^unchanged since the last up: 16 objects/.test(e.message ?? '')), evs.filter((e) => e.step?.startsWith('Compare')).map((e) => e.message).join('\n'));
  for (const step of ['Create the kind cluster', 'Load the node image into kind', 'Install metrics-server', 'Apply the manifests (one server-side apply, in dependency order)', 'Wait for the rollouts']) {
    assert.ok(evs.some((e) => e.step === step && e.status === 'skipped'), `${step} skipped`);
  }
  assert.ok(stepDone(evs, 'Smoke check: the API answers and the chain grows'), 'the smoke check still runs');
  const after = (await getJson(['get', 'statefulsets', '-n', NS])).items.map((s: any) => `${s.metadata.name}#${s.metadata.generation}`);
  assert.equal(after, before, 'no StatefulSet changed');
});

test('an edit by another tool (kubectl patch of a ConfigMap devenv applied): the next up --k8s takes the full path and puts it back', async () => {
  const original = (await getJson(['get', 'configmap', 'rate-limit-settings', '-n', NS])).data;
  const key = Object.keys(original)[0];
  await kubectl(['patch', 'configmap', 'rate-limit-settings', '-n', NS, '--type', 'merge', '-p', JSON.stringify({ data: { [key]: 'edited by hand' } })]);
  const r = await cli(['up', '--k8s', '--json']);
  assert.is(r.exitCode, 0, r.stderr.slice(-3000));
  const evs = events(r.stdout);
  assert.ok(evs.some((e) => e.step === 'Compare the cluster with the last up' && /full up: ConfigMap\/rate-limit-settings .*changed since the last apply/.test(e.message ?? '')), evs.filter((e) => e.step?.startsWith('Compare')).map((e) => e.message).join('\n'));
  assert.ok(stepDone(evs, 'Apply the manifests (one server-side apply, in dependency order)'), 'applied again');
  assert.equal((await getJson(['get', 'configmap', 'rate-limit-settings', '-n', NS])).data, original, 'the value devenv applies is back');
});

test('the API on 127.0.0.1:8080 (kind port mapping -> NodePort) honours the node contract', async () => {
  const keys = parseEnvFile(readFileSync(join(repoRoot, 'manifests/secrets.env'), 'utf8'), { dialect: 'kustomize' }).entries;
  const key = (k: string) => keys.find((e: any) => e.key === k)!.value as string;
  const admin = key('BITCOIN_API_ADMIN_KEY');
  const wallet = key('BITCOIN_API_WALLET_KEY');
  assert.is((await api('/api/health/live')).status, 200);
  assert.is((await api('/api/health/ready')).status, 200);
  const chain = await api('/api/v1/blockchain');
  assert.is(chain.status, 200);
  assert.is(chain.body.success, true);
  assert.is(chain.body.error, null);
  assert.type(chain.body.data.height, 'number');
  const missing = await api('/api/v1/no-such-route');
  assert.is(missing.status, 404);
  assert.is(missing.body.success, false);
  assert.is((await api('/api/admin/peers')).status, 401, 'no key');
  assert.is((await api('/api/admin/peers', wallet)).status, 403, 'the wallet key on an admin route');
  const peers = await api('/api/admin/peers', admin);
  assert.is(peers.status, 200, 'the admin key');

  // Over the configured limit (100 per window for one client: behind
  // kube-proxy every outside client is the node's address, one bucket).
  const statuses: number[] = [];
  for (let i = 0; i < 8; i++) statuses.push(...(await Promise.all(Array.from({ length: 20 }, () => api('/api/v1/blockchain').then((r) => r.status)))));
  const limited = statuses.filter((s) => s === 429).length;
  assert.ok(limited > 0, `no 429 in 160 requests: ${JSON.stringify(statuses)}`);
  assert.ok(statuses.filter((s) => s === 200).length >= 90, 'the first ~100 pass');
  measure('rate limit through the NodePort', `${statuses.filter((s) => s === 200).length} x 200, ${limited} x 429 of 160`);
  await sleep(2500);
});

test('the chain grows and both webservers follow the miners', async () => {
  const h0 = (await nodeHealth('miner-0')).height;
  const started = Date.now();
  const h1 = await until('miner-0 to mine a block', async () => {
    const h = (await nodeHealth('miner-0')).height;
    return h > h0 ? h : false;
  }, 4 * 60_000);
  measure('a new block on miner-0', `${secs(Date.now() - started)} (height ${h0} -> ${h1})`);
  await until('webservers within 1 block of the miners', async () => {
    const [m0, m1, w0, w1] = await Promise.all(['miner-0', 'miner-1', 'webserver-0', 'webserver-1'].map(nodeHealth));
    const top = Math.max(m0.height, m1.height);
    return w0.height >= top - 1 && w1.height >= top - 1 && m1.height >= top - 1 && w0.peers >= 1 && w1.peers >= 1 && m1.peers >= 1;
  }, 2 * 60_000);
  const viaApi = (await api('/api/v1/blockchain')).body.data.height;
  assert.ok(viaApi >= h1 - 1, `the API through the NodePort reports ${viaApi}, miner-0 had ${h1}`);
});

test('metrics: kubectl top pods has figures, and every HPA reads a current CPU value within 3 minutes', async () => {
  const started = Date.now();
  const top = await until('kubectl top pods', async () => {
    const r = await kubectl(['top', 'pods', '-n', NS, '--no-headers'], { reject: false });
    const rows = r.stdout.trim().split('\n').filter(Boolean);
    return r.exitCode === 0 && rows.length >= 5 && rows.every((l) => /\d+m\s+\d+Mi/.test(l)) ? rows : false;
  }, 3 * 60_000, 5000);
  assert.ok(top.some((l) => l.startsWith('miner-0 ')));
  const hpas = await until('HPA CPU metrics', async () => {
    const items = (await getJson(['get', 'hpa', '-n', NS])).items as any[];
    const cpu = items.map((h) => h.status?.currentMetrics?.find((m: any) => m.resource?.name === 'cpu')?.resource?.current?.averageUtilization);
    return items.length >= 1 && cpu.every((v) => typeof v === 'number') ? items.map((h, i) => `${h.metadata.name} cpu ${cpu[i]}%`) : false;
  }, 3 * 60_000, 5000);
  measure('HPA metrics available', `${secs(Date.now() - started)} after the first check (${hpas.join(', ')})`);
});

test('status --k8s shows real heights, peers and restarts; logs --k8s shows node lines', async () => {
  const r = await cli(['status', '--k8s', '--json'], 120_000);
  assert.is(r.exitCode, 0, r.stderr);
  const data = JSON.parse(r.stdout.trim().split('\n').pop()!);
  const byName = Object.fromEntries(data.pods.map((p: any) => [p.name, p]));
  for (const name of ['miner-0', 'miner-1', 'webserver-0', 'webserver-1']) {
    assert.type(byName[name].height, 'number', `${name} height`);
    assert.ok(byName[name].height > 0, `${name} height > 0`);
    assert.ok(byName[name].peers >= 1, `${name} has peers`);
    assert.type(byName[name].restarts, 'number');
  }
  assert.type(data.height, 'number', 'the API height through the NodePort');
  const text = await cli(['status', '--k8s'], 120_000);
  assert.match(text.stdout, /POD\s+ROLE\s+READY\s+STATUS\s+RESTARTS\s+HEIGHT\s+PEERS/);
  assert.match(text.stdout, /miner-0\s+miner\s+1\/1\s+Running\s+\d+\s+\d+\s+\d+/);
  const logs = await cli(['logs', '--k8s', 'miner', '--tail', '20'], 120_000);
  assert.is(logs.exitCode, 0, logs.stderr);
  assert.match(logs.stdout, /miner-\d.*\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z (INFO|WARN|DEBUG)/);
});

test('a deleted miner pod is recreated and catches up', async () => {
  const before = await getJson(['get', 'pod', '-n', NS, 'miner-1']);
  await kubectl(['delete', 'pod', '-n', NS, 'miner-1', '--wait=true'], { timeoutMs: 120_000 });
  const started = Date.now();
  await until('miner-1 recreated and Ready', async () => {
    const p = await getJson(['get', 'pod', '-n', NS, 'miner-1']);
    return p.metadata.uid !== before.metadata.uid && p.status.containerStatuses?.every((c: any) => c.ready);
  }, 4 * 60_000);
  await until('miner-1 caught up with miner-0', async () => {
    const [m0, m1] = await Promise.all([nodeHealth('miner-0'), nodeHealth('miner-1')]);
    return m1.height >= m0.height - 1 && m1.height > 0;
  }, 3 * 60_000);
  measure('deleted miner pod back and caught up', secs(Date.now() - started));
});

test('compare: Compose beside the cluster, every check on both sides, the same or accepted (exit 0), within 90 s once both are up', async () => {
  const up = await cli(['up'], UP_TIMEOUT);
  assert.is(up.exitCode, 0, up.stderr.slice(-3000));
  const started = Date.now();
  // The repository's accept file (the test's devenv.yaml lives in a temp dir).
  const r = await cli(['compare', '--no-up', '--json', '--accept', join(repoRoot, 'migrate-check.accept.yaml')], 5 * 60_000);
  measured.compare = secs(Date.now() - started);
  // --json: progress events, then the one result document.
  const doc = events(r.stdout).find((e) => Array.isArray(e.rows));
  assert.ok(doc, r.stdout.slice(-3000) + r.stderr.slice(-3000));
  assert.equal(notSame(doc, ['same', 'accepted']), []);
  assert.is(r.exitCode, 0, r.stderr.slice(-2000));
  for (const check of ['api', 'rate-limit', 'chain', 'peers', 'config', 'restart', 'persistence']) assert.ok(doc.rows.some((row: any) => row.check === check), `a ${check} row`);
  assert.equal(doc.sides.kubernetes.api, 'http://127.0.0.1:8080');
  assert.equal(doc.sides.compose.api, 'http://127.0.0.1:8090');
  assert.not.match(r.stdout + r.stderr, /change-me|BITCOIN_API_(ADMIN|WALLET)_KEY=/);
  console.log(`measured: compare, both up, every check: ${measured.compare}`);
});

test('compare: the rate limit changed in the Kubernetes ConfigMap turns exactly the rows that show it into different (exit 4); --html draws it', async () => {
  try {
    const copy = join(dir, 'manifests');
    cpSync(join(repoRoot, 'manifests'), copy, { recursive: true });
    const settings = join(copy, 'config/Settings.toml');
    writeFileSync(settings, readFileSync(settings, 'utf8').replace('tokens_count = 100', 'tokens_count = 60'));
    const changed = join(dir, 'devenv-changed.yaml');
    writeFileSync(changed, readFileSync(configFile, 'utf8').replace(`manifests: ${join(repoRoot, 'manifests')}`, `manifests: ${copy}`));
    const apply = await runCli(['up', '--k8s', '--config', changed], { timeoutMs: UP_TIMEOUT, env: kindEnv });
    assert.is(apply.exitCode, 0, apply.stderr.slice(-3000));
    const page = join(dir, 'compare.html');
    const r = await runCli(['compare', '--no-up', '--skip', 'restart', 'persistence', '--json', '--html', page, '--accept', join(repoRoot, 'migrate-check.accept.yaml'), '--config', changed], { timeoutMs: 5 * 60_000, env: kindEnv });
    const doc = events(r.stdout).find((e) => Array.isArray(e.rows));
    assert.ok(doc, r.stdout.slice(-3000) + r.stderr.slice(-3000));
    const differ = doc.rows.filter((row: any) => row.verdict === 'different').map((row: any) => `${row.check}/${row.subject}`);
    assert.equal(differ.sort(), ['config/rate limits in force', 'rate-limit/limit per client (X-RateLimit-Limit)'], notSame(doc, ['same', 'accepted']).join('\n'));
    assert.is(r.exitCode, 4);
    const html = readFileSync(page, 'utf8');
    // Kept with the other pages of the run (test-results/, the CI artifact).
    mkdirSync(join(repoRoot, 'test-results'), { recursive: true });
    writeFileSync(join(repoRoot, 'test-results', 'compare-kind.html'), html);
    assert.match(html, /<tr class="row different"[^>]*>.*limit per client/);
    assert.match(html, /class="node [^"]*runtime-differs/);
    // Back to the repository's manifests for the tests that follow.
    const back = await cli(['up', '--k8s'], UP_TIMEOUT);
    assert.is(back.exitCode, 0, back.stderr.slice(-3000));
  } finally {
    // The Compose side goes, with its volumes, whatever happened above.
    const gone = await cli(['down', '--volumes'], 3 * 60_000);
    assert.is(gone.exitCode, 0, gone.stderr);
  }
});

test('down --k8s then up --k8s keeps the chain; --volumes deletes the PVCs; --cluster deletes the cluster', async () => {
  const height = (await api('/api/v1/blockchain')).body.data.height as number;
  const down = await cli(['down', '--k8s'], 5 * 60_000);
  assert.is(down.exitCode, 0, down.stderr);
  assert.ok((await getJson(['get', 'pvc', '-n', NS])).items.length >= 4, 'PVCs kept by a plain down');
  const up = await cli(['up', '--k8s'], UP_TIMEOUT);
  assert.is(up.exitCode, 0, up.stderr.slice(-3000));
  const after = await until('the API after up', async () => (await api('/api/v1/blockchain')).body?.data?.height as number, 3 * 60_000);
  assert.ok(after >= height, `height ${after} after down/up, ${height} before`);

  const volumes = await cli(['down', '--k8s', '--volumes'], 5 * 60_000);
  assert.is(volumes.exitCode, 0, volumes.stderr);
  const ns = await kubectl(['get', 'namespace', NS], { reject: false });
  assert.is.not(ns.exitCode, 0, 'namespace (and its PVCs) deleted');
  const pvs = await until('the PVs released and deleted', async () => {
    const left = (await getJson(['get', 'pv'])).items.filter((v: any) => v.spec?.claimRef?.namespace === NS);
    return left.length === 0 ? 'none' : false;
  }, 2 * 60_000);
  assert.is(pvs, 'none');

  const cluster = await cli(['down', '--k8s', '--cluster'], 5 * 60_000);
  assert.is(cluster.exitCode, 0, cluster.stderr);
  assert.not.ok((await kindClusters()).includes(CLUSTER), 'kind get clusters no longer lists it');
  assert.equal(await dockerLines(['ps', '-a', '--filter', `label=io.x-k8s.kind.cluster=${CLUSTER}`, '--format', '{{.Names}}']), []);
});

test('nothing of the test is left: no volume it created, and the kubelet host settings are restored on exit', async () => {
  const now = await dockerLines(['volume', 'ls', '-q']);
  assert.equal(now.filter((v) => !volumesBefore.includes(v)), [], 'no new Docker volume');
  // The after hook restores the sysctls; check the mechanism here on the values the kubelet wrote.
  const current = await readSysctls();
  await restoreKindHost({ ...hostBefore, libModules: true, kindNetwork: true });
  assert.equal(await readSysctls(), hostBefore.sysctls, `restored from ${JSON.stringify(current)}`);
});

test.run();
