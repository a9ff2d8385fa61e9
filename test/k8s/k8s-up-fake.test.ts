// The up --k8s and down --k8s pipelines against a fake runner that answers
// only the commands listed here (any other command fails the test): the warm
// path (cluster exists, image already in the node), exact cluster-name
// matching, missing prerequisites (exit 3, nothing created), a stuck
// rollout explained from the pod's status, and the three kinds of down: the
// data kept (exact commands; no namespace or PVC deleted), --volumes,
// --cluster.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { applyEnvOverrides } from '../../cli/config.ts';
import { DevenvError, ExitCode, prerequisiteError } from '../../cli/errors.ts';
import { toYamlStream } from '../../cli/k8s/apply-phases.ts';
import { loadManifests } from '../../cli/manifests/render.ts';
import { k8sDown } from '../../cli/commands/down.k8s.ts';
import { runK8sUp } from '../../cli/commands/up.k8s.ts';
import { FakeRunner, isMutating } from '../helpers/fake-runner.ts';
import { fakeDeps, fakeDocker, fakeHeights, RECORDED_APPLY, RECORDED_GET, repoRoot, testApp, type TestApp } from './helpers.ts';

const TAG = 'blockchain-node:0123456789ab';
const NODE_ID = 'sha256:1111111111111111111111111111111111111111111111111111111111111111';
const REDIS_ID = 'sha256:2222222222222222222222222222222222222222222222222222222222222222';
const KIND = '/usr/local/bin/kind';
const K = ['kubectl', '--context', 'kind-devenv'];
const fakeBuild = { name: 'Build the node image', run: (ctx: any) => { ctx.image = { ref: TAG, id: NODE_ID, built: false, hash: '0123456789ab', external: false }; } };

// Every test app holds a copy of manifests/ without secrets.env: one render serves them all.
const RENDERED = toYamlStream((await loadManifests([join(repoRoot, 'manifests')], { cwd: repoRoot, virtualFiles: new Map([[join(repoRoot, 'manifests/secrets.env'), readFileSync(join(repoRoot, 'manifests/secrets.env.example'), 'utf8')]]) })).objects.map((o) => o.object));
function renderedYaml(_t: TestApp): string {
  return RENDERED;
}

/** A cluster that exists and answers everything the warm path asks. */
function warmRunner(t: TestApp, fake: FakeRunner, clusters = 'devenv-old\ndevenv\n'): FakeRunner {
  const yaml = renderedYaml(t);
  let top = 0;
  return fake
    .on(['kubectl', 'version', '--client', '-o', 'json'], { stdout: '{"clientVersion":{"gitVersion":"v1.32.4"}}' })
    .on([KIND, 'get', 'clusters'], { stdout: clusters })
    .on((argv) => argv[0] === 'kubectl' && argv[1] === 'kustomize', { stdout: yaml })
    .on(['docker', 'exec', 'devenv-control-plane', 'crictl', 'inspecti', 'registry.k8s.io/metrics-server/metrics-server:v0.8.0'], { exitCode: 1 })
    .on((argv) => argv.slice(0, 5).join(' ') === 'kubectl --context kind-devenv get deployment.apps/metrics-server', { exitCode: 1, stderr: 'Error from server (NotFound): deployments.apps "metrics-server" not found' })
    .on([...K, 'top', 'nodes'], () => (++top === 1 ? { exitCode: 1, stderr: 'error: metrics not available yet' } : { stdout: 'NAME CPU(cores) CPU% MEMORY(bytes) MEMORY%\ndevenv-control-plane 180m 4% 900Mi 11%' }))
    .on(['docker', 'exec', 'devenv-control-plane', 'crictl', 'inspecti', TAG], { stdout: JSON.stringify({ status: { id: NODE_ID } }) })
    .on(['docker', 'exec', 'devenv-control-plane', 'crictl', 'inspecti', 'redis:7-alpine'], { exitCode: 1, stderr: 'no such image' })
    .on([KIND, 'load', 'docker-image', 'redis:7-alpine', '--name', 'devenv'])
    .on([KIND, 'load', 'docker-image', 'registry.k8s.io/metrics-server/metrics-server:v0.8.0', '--name', 'devenv'])
    .on([...K, 'apply', '--server-side', '--field-manager=devenv', '--force-conflicts', '-f', '-'])
    .on([...K, ...RECORDED_APPLY])
    .on((argv) => argv.slice(0, 5).join(' ') === 'kubectl --context kind-devenv rollout status', { stdout: 'rolled out' });
}

const heights = fakeHeights;

test('warm path: existing cluster, image already in the node: no create, no node-image load, one apply with the phases in order', async () => {
  const t = testApp();
  try {
    const fake = warmRunner(t, new FakeRunner());
    t.app.runner = fake;
    const MS = 'registry.k8s.io/metrics-server/metrics-server:v0.8.0';
    const res = await runK8sUp(t.app, { buildSteps: [fakeBuild], base: { app: t.app, docker: fakeDocker({ images: { [TAG]: NODE_ID, 'redis:7-alpine': REDIS_ID, [MS]: 'sha256:33' } }) }, deps: fakeDeps({ fetch: heights([0, 0, 4]) }) });
    const lines = fake.lines;
    assert.not.ok(lines.some((l) => l.includes('create cluster')), 'the existing cluster is reused');
    assert.not.ok(lines.some((l) => l.includes(`load docker-image ${TAG}`)), 'the node already has this image ID');
    assert.ok(lines.includes(`${KIND} load docker-image redis:7-alpine --name devenv`), 'redis is local and missing in the node');
    const loadMs = lines.indexOf(`${KIND} load docker-image ${MS} --name devenv`);
    const applyMs = fake.calls.findIndex((c) => c.args.includes('-f') && c.note?.startsWith('metrics-server'));
    assert.ok(loadMs >= 0 && loadMs < applyMs, 'metrics-server\'s image is in the node before metrics-server is applied');
    assert.is(lines.filter((l) => l.endsWith('top nodes')).length, 2, 'bounded retries until the Metrics API answers');
    const applies = fake.calls.filter((c) => c.args.includes('-f') && !c.note?.startsWith('metrics-server'));
    assert.equal(applies.map((c) => c.note), [
      [
        'Namespace/blockchain',
        'ConfigMap/blockchain-config, ConfigMap/rate-limit-settings, Secret/blockchain-secrets',
        'Service/redis, Deployment/redis',
        'Service/miner-headless, Service/miner-service, StatefulSet/miner, Service/webserver-headless, Service/webserver-service, StatefulSet/webserver',
        'HorizontalPodAutoscaler/webserver-hpa, HorizontalPodAutoscaler/miner-hpa, PodDisruptionBudget/miner-pdb, PodDisruptionBudget/webserver-pdb',
      ].join(', '),
    ], 'one apply, the phases in dependency order');
    assert.match(applies[0].input ?? '', new RegExp(`"image": "${TAG}"`));
    assert.not.match(applies[0].input ?? '', /blockchain-node:dev/);
    assert.equal(lines.filter((l) => l.includes('rollout status')).map((l) => l.split(' ')[5]), ['deployment/redis', 'statefulset/miner', 'statefulset/webserver']);
    assert.ok(res);
    assert.equal(res!.data.height, 4);
    assert.match(res!.text, /http:\/\/127\.0\.0\.1:8080\/api\/v1\/blockchain/);
    assert.match(res!.text, /127\.0\.0\.1:2101/);
  } finally {
    t.cleanup();
  }
});

test('an existing cluster: the privileged-container probe runs only when kind has to touch the node, once', async () => {
  const MS = 'registry.k8s.io/metrics-server/metrics-server:v0.8.0';
  // Everything already in the node: kind never runs a node command, nothing is probed.
  const t = testApp();
  try {
    const fake = warmRunner(t, new FakeRunner()).on(['docker', 'exec', 'devenv-control-plane', 'crictl', 'inspecti', 'redis:7-alpine'], { stdout: JSON.stringify({ status: { id: REDIS_ID } }) });
    t.app.runner = fake;
    const docker = fakeDocker({ images: { [TAG]: NODE_ID, 'redis:7-alpine': REDIS_ID } });
    await runK8sUp(t.app, { buildSteps: [fakeBuild], base: { app: t.app, docker }, deps: fakeDeps() });
    assert.not.ok(fake.lines.some((l) => l.includes('load docker-image')), fake.lines.join('\n'));
    assert.equal(docker.calls.filter((c) => c.startsWith('privileged')), [], 'no probe container for a warm up');
  } finally {
    t.cleanup();
  }
  // Two images to load at once (redis and metrics-server): one probe, before the first load.
  const u = testApp();
  try {
    const fake = warmRunner(u, new FakeRunner());
    u.app.runner = fake;
    const docker = fakeDocker({ images: { [TAG]: NODE_ID, 'redis:7-alpine': REDIS_ID, [MS]: 'sha256:33' } });
    await runK8sUp(u.app, { buildSteps: [fakeBuild], base: { app: u.app, docker }, deps: fakeDeps() });
    assert.is(fake.lines.filter((l) => l.includes('load docker-image')).length, 2);
    assert.is(docker.calls.filter((c) => c.startsWith('privileged')).length, 1, 'probed once for both loads');
  } finally {
    u.cleanup();
  }
});

/**
 * A cluster that keeps what is applied to it (devenv's field-manager entry,
 * a UID, a finished rollout) and answers the warm `up`'s `kubectl get -f -`
 * from that: what a real API server does, as far as the record reads it.
 */
function keepingCluster(fake: FakeRunner): { fake: FakeRunner; store: Map<string, any> } {
  const store = new Map<string, any>();
  const key = (o: any) => `${o.kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name}`;
  const ready = (o: any) => {
    const n = o.spec?.replicas ?? 1;
    if (o.kind === 'StatefulSet') return { observedGeneration: 1, replicas: n, readyReplicas: n, currentRevision: 'r1', updateRevision: 'r1' };
    if (o.kind === 'Deployment') return { observedGeneration: 1, replicas: n, updatedReplicas: n, availableReplicas: n };
    if (o.kind === 'APIService') return { conditions: [{ type: 'Available', status: 'True' }] };
    return undefined;
  };
  const keep = (items: any[]) =>
    items.map((o) => {
      const fields = { 'f:spec': o.spec?.replicas !== undefined ? { 'f:replicas': {} } : {} };
      const kept = { ...o, metadata: { ...o.metadata, uid: `uid-${key(o)}`, generation: 1, managedFields: [{ manager: 'devenv', operation: 'Apply', time: '2026-12-01T03:00:00Z', fieldsV1: fields }] }, status: ready(o) };
      store.set(key(kept), kept);
      return kept;
    });
  fake
    .on([...K, 'apply', '--server-side', '--field-manager=devenv', '--force-conflicts', '-f', '-'], (spec) => {
      keep(parseAllDocuments(spec.input ?? '').map((d) => d.toJS()));
      return {};
    })
    .on([...K, ...RECORDED_APPLY], (spec) => ({ stdout: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: keep(JSON.parse(spec.input ?? '{}').items) }) }))
    .on([...K, ...RECORDED_GET], (spec) => ({ stdout: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: JSON.parse(spec.input ?? '{}').items.map((i: any) => store.get(key(i))).filter(Boolean) }) }));
  return { fake, store };
}

test('a second up with nothing changed: one `kubectl get`, then no load, apply or rollout wait; the smoke check still runs', async () => {
  const t = testApp();
  try {
    const MS = 'registry.k8s.io/metrics-server/metrics-server:v0.8.0';
    const { fake, store } = keepingCluster(warmRunner(t, new FakeRunner()));
    t.app.runner = fake;
    const docker = () => fakeDocker({ images: { [TAG]: NODE_ID, 'redis:7-alpine': REDIS_ID, [MS]: 'sha256:33' } });
    const up = () => runK8sUp(t.app, { buildSteps: [fakeBuild], base: { app: t.app, docker: docker() }, deps: fakeDeps({ fetch: heights([7]) }) });
    await up();
    assert.ok(existsSync(join(t.root, '.devenv', 'k8s-applied-kind-devenv.json')), 'the full up recorded what it applied');
    const first = fake.calls.length;
    const res = await up();
    const second = fake.lines.slice(first);
    assert.equal(second.filter((l) => !/ version --client| get clusters| kustomize /.test(l)), [`${K.join(' ')} ${RECORDED_GET.join(' ')}`], second.join('\n'));
    assert.equal(res!.data.height, 7, 'the smoke check answered');

    // An edit by another tool (devenv's fields moved away from it): the full path again, and the apply repairs it.
    const cm = store.get('ConfigMap/blockchain/rate-limit-settings');
    cm.metadata.managedFields = [{ manager: 'kubectl-edit', operation: 'Update', fieldsV1: { 'f:data': {} } }];
    const before = fake.calls.length;
    await up();
    const third = fake.lines.slice(before);
    assert.is(third.filter((l) => l.includes(' apply ') && l.includes('--show-managed-fields')).length, 1, third.join('\n'));
    assert.is(third.filter((l) => l.includes('rollout status')).length, 3);

    // The HPA scaled the miners to 3 (it took spec.replicas from devenv's entry): a warm up leaves them alone,
    // and so does a full one (another edit by hand): the apply carries no replicas for the miners, the manifest's for the webservers.
    const miner = store.get('StatefulSet/blockchain/miner');
    miner.spec.replicas = 3;
    miner.status = { ...miner.status, replicas: 3, readyReplicas: 3 };
    miner.metadata.managedFields = [{ ...miner.metadata.managedFields[0], fieldsV1: { 'f:spec': {} } }, { manager: 'kube-controller-manager', operation: 'Update', subresource: 'scale', fieldsV1: { 'f:spec': { 'f:replicas': {} } } }];
    const warm = fake.calls.length;
    await up();
    assert.not.ok(fake.lines.slice(warm).some((l) => l.includes(' apply ')), 'the HPA scaling is not drift');
    store.get('ConfigMap/blockchain/rate-limit-settings').metadata.managedFields = [{ manager: 'kubectl-edit', operation: 'Update', fieldsV1: { 'f:data': {} } }];
    const full = fake.calls.length;
    await up();
    const applied = fake.calls.slice(full).find((c) => c.args.includes('--show-managed-fields') && c.args.includes('apply'));
    const items = JSON.parse(applied!.input!).items;
    assert.is(items.find((o: any) => o.kind === 'StatefulSet' && o.metadata.name === 'miner').spec.replicas, undefined, 'the miners\' count is the HPA\'s');
    assert.is(items.find((o: any) => o.kind === 'StatefulSet' && o.metadata.name === 'webserver').spec.replicas, 2);
  } finally {
    t.cleanup();
  }
});

test('cluster name match is exact: "devenv-old" is not "devenv", so the cluster is created', async () => {
  const t = testApp();
  try {
    const fake = warmRunner(t, new FakeRunner(), 'devenv-old\nmy-devenv\n').on((argv) => argv[0] === KIND && argv[1] === 'create', {});
    t.app.runner = fake;
    await runK8sUp(t.app, { buildSteps: [fakeBuild], base: { app: t.app, docker: fakeDocker({ images: { [TAG]: NODE_ID } }) }, deps: fakeDeps() });
    const create = fake.lines.find((l) => l.includes('create cluster'));
    assert.is(create, `${KIND} create cluster --name devenv --config ${t.root}/.devenv/kind-devenv.yaml --wait 120s`);
    assert.ok(fake.lines.indexOf(create!) < fake.lines.findIndex((l) => l.includes('apply')), 'the cluster exists before anything is applied');
    assert.not.ok(fake.lines.some((l) => l.includes('load docker-image registry.k8s.io')), 'metrics-server is not in the local Docker: the node pulls it');
  } finally {
    t.cleanup();
  }
});

test('an offline node image on a host that cannot start privileged containers: --image, kubeadm patch, local metrics-server, kind (only kind) through the shim', async () => {
  const NODE = 'devenv-offline/kind-node:v1.34.4';
  const MS_LOCAL = 'devenv-offline/metrics-server:v0.8.0';
  const t = testApp({ env: { DEVENV_KIND_NODE_IMAGE: NODE, DEVENV_CACHE_DIR: `${tmpdir()}/devenv-shim-test-${process.pid}` } });
  try {
    t.app.config = applyEnvOverrides(t.app.config, t.app.env);
    const fake = warmRunner(t, new FakeRunner(), 'other\n')
      .on((argv) => argv[0] === KIND && argv[1] === 'create', {})
      .on(['docker', 'exec', 'devenv-control-plane', 'crictl', 'inspecti', MS_LOCAL], { stdout: JSON.stringify({ status: { id: 'sha256:44' } }) });
    t.app.runner = fake;
    const docker = fakeDocker({
      images: { [TAG]: NODE_ID, [NODE]: 'sha256:55', [MS_LOCAL]: 'sha256:44' },
      labels: { [NODE]: { 'dev.devenv.kind.image-repository': 'devenv-offline', 'dev.devenv.kind.etcd-image-tag': '3.6.4-0', 'dev.devenv.kind.metrics-server-image': MS_LOCAL } },
      privilegedError: 'OCI runtime create failed: runc create failed: unable to start container process: unable to apply caps: operation not permitted: unknown',
    });
    await runK8sUp(t.app, { buildSteps: [fakeBuild], base: { app: t.app, docker }, deps: fakeDeps() });
    assert.ok(docker.calls.includes(`privileged ${NODE}`), 'the probe starts a container of the node image');
    const create = fake.calls.find((c) => c.args[0] === 'create')!;
    assert.equal([create.cmd, ...create.args], [KIND, 'create', 'cluster', '--name', 'devenv', '--image', NODE, '--config', `${t.root}/.devenv/kind-devenv.yaml`, '--wait', '120s']);
    const config = parse(readFileSync(`${t.root}/.devenv/kind-devenv.yaml`, 'utf8'));
    assert.equal(parse(config.kubeadmConfigPatches[0]), { kind: 'ClusterConfiguration', apiServer: { extraArgs: { 'enable-aggregator-routing': 'true' } }, imageRepository: 'devenv-offline', etcd: { local: { imageTag: '3.6.4-0' } } });
    // Every kind command that touches nodes runs with the shim first on PATH;
    // nothing else does (`kind get clusters` only lists containers, and is asked before the probe).
    for (const c of fake.calls) {
      const shimmed = typeof c.env?.PATH === 'string' && c.env.PATH.split(':')[0].includes('kind-docker-shim');
      assert.is(shimmed, c.cmd === KIND && c.args.join(' ') !== 'get clusters', `${c.cmd} ${c.args.join(' ')}: shim ${shimmed}`);
    }
    assert.ok(existsSync(`${fake.calls.find((c) => c.cmd === KIND && c.args[0] === 'create')!.env!.PATH!.split(':')[0]}/docker`));
    const addon = fake.calls.find((c) => c.note?.startsWith('metrics-server'))!;
    assert.match(addon.input ?? '', new RegExp(`image: ${MS_LOCAL}`));
    assert.not.match(addon.input ?? '', /registry\.k8s\.io/);
    assert.ok(t.stdout.join('').includes('cannot start privileged containers'), 'the preflight says so in one sentence');
  } finally {
    t.cleanup();
    rmSync(`${tmpdir()}/devenv-shim-test-${process.pid}`, { recursive: true, force: true });
  }
});

async function expectExit3(t: TestApp, fake: FakeRunner, opts: { docker?: ReturnType<typeof fakeDocker>; kindMissing?: boolean }): Promise<DevenvError> {
  t.app.runner = fake;
  const deps = fakeDeps(opts.kindMissing ? { resolveKind: async () => { throw prerequisiteError('kind v0.30.0 was not found (not on PATH, not cached) and could not be downloaded.', 'install kind v0.30.0 (`go install sigs.k8s.io/kind@v0.30.0`) or set KIND=/path/to/kind.'); } } : {});
  try {
    await runK8sUp(t.app, { buildSteps: [fakeBuild], base: { app: t.app, docker: opts.docker ?? fakeDocker() }, deps });
  } catch (err) {
    assert.instance(err, DevenvError);
    assert.is((err as DevenvError).exitCode, ExitCode.prerequisite);
    assert.not.ok(fake.lines.some((l) => isMutating(l.split(' '))), `nothing may be created, ran: ${fake.lines.join('; ')}`);
    return err as DevenvError;
  }
  throw new Error('expected exit 3');
}

test('kind missing: exit 3 with the fix, nothing created', async () => {
  const t = testApp();
  try {
    const fake = new FakeRunner().on(['kubectl', 'version', '--client', '-o', 'json'], { stdout: '{}' });
    const err = await expectExit3(t, fake, { kindMissing: true });
    assert.match(err.message, /kind v0\.30\.0 was not found/);
    assert.match(err.message, /nothing was created/);
    assert.match(err.hint ?? '', /go install sigs\.k8s\.io\/kind/);
  } finally {
    t.cleanup();
  }
});

test('kubectl missing: exit 3 with the fix, nothing created', async () => {
  const t = testApp();
  try {
    const fake = new FakeRunner().on(['kubectl', 'version', '--client', '-o', 'json'], { missing: true });
    const err = await expectExit3(t, fake, {});
    assert.match(err.message, /kubectl.*not found on PATH/);
    assert.match(err.hint ?? '', /install kubectl/);
  } finally {
    t.cleanup();
  }
});

test('Docker daemon down: exit 3 with the fix, nothing created', async () => {
  const t = testApp();
  try {
    const fake = new FakeRunner().on(['kubectl', 'version', '--client', '-o', 'json'], { stdout: '{}' });
    const err = await expectExit3(t, fake, { docker: fakeDocker({ down: true }) });
    assert.match(err.message, /Docker daemon is not reachable/);
    assert.match(err.hint ?? '', /start Docker/);
  } finally {
    t.cleanup();
  }
});

test('all three missing: one error lists each with its fix', async () => {
  const t = testApp();
  try {
    const fake = new FakeRunner().on(['kubectl', 'version', '--client', '-o', 'json'], { missing: true });
    const err = await expectExit3(t, fake, { docker: fakeDocker({ down: true }), kindMissing: true });
    for (const re of [/Docker/, /kind v0\.30\.0/, /kubectl/]) assert.match(err.message, re);
    for (const re of [/start Docker/, /go install/, /install kubectl/]) assert.match(err.hint ?? '', re);
  } finally {
    t.cleanup();
  }
});

test('host port taken by another process: exit 3 before kind create', async () => {
  const t = testApp();
  try {
    const fake = new FakeRunner()
      .on(['kubectl', 'version', '--client', '-o', 'json'], { stdout: '{}' })
      .on([KIND, 'get', 'clusters'], { stdout: '' });
    t.app.runner = fake;
    const deps = fakeDeps({ portState: async (port) => (port === 8080 ? { port, free: false, holder: { pid: 4242, command: 'python3 -m http.server 8080' } } : { port, free: true }) });
    const err = await runK8sUp(t.app, { buildSteps: [fakeBuild], base: { app: t.app, docker: fakeDocker() }, deps }).catch((e) => e);
    assert.instance(err, DevenvError);
    assert.is(err.exitCode, ExitCode.prerequisite);
    assert.match(err.message, /host port 8080 \(HTTP API \(webserver\)\) is taken by .*4242/);
    assert.not.ok(fake.lines.some((l) => isMutating(l.split(' '))));
  } finally {
    t.cleanup();
  }
});

test('a broken manifest stops up --k8s before kind or the cluster is touched: exit 2 at file:line', async () => {
  const t = testApp();
  try {
    const file = `${t.root}/manifests/miner.yaml`;
    writeFileSync(file, readFileSync(file, 'utf8').replace('          readinessProbe:\n            tcpSocket:\n              port: p2p', '          readinessProbe:\n            tcpSocket:\n              port: 2999'));
    const fake = new FakeRunner()
      .on(['kubectl', 'version', '--client', '-o', 'json'], { stdout: '{}' })
      .on([KIND, 'get', 'clusters'], { stdout: '' })
      .on((argv) => argv[0] === 'kubectl' && argv[1] === 'kustomize', { missing: true });
    t.app.runner = fake;
    const err = await runK8sUp(t.app, { buildSteps: [fakeBuild], base: { app: t.app, docker: fakeDocker() }, deps: fakeDeps() }).catch((e) => e);
    assert.instance(err, DevenvError);
    assert.is(err.exitCode, ExitCode.usage);
    assert.is(err.location.file, 'manifests/miner.yaml');
    assert.is(readFileSync(file, 'utf8').split('\n')[err.location.line - 1].trim(), 'port: 2999');
    assert.match(err.message, /probe-port: StatefulSet\/miner: readinessProbe/);
    assert.not.ok(fake.lines.some((l) => isMutating(l.split(' '))));
  } finally {
    t.cleanup();
  }
});

function stuckRunner(t: TestApp, pods: any[], events: any[], logs?: string): FakeRunner {
  const fake = warmRunner(t, new FakeRunner())
    .on([...K, 'rollout', 'status', 'statefulset/miner', '-n', 'blockchain', '--timeout=300s'], { exitCode: 1, stderr: 'error: timed out waiting for the condition' })
    .on([...K, 'get', 'pods', '-n', 'blockchain', '-l', 'app=miner', '-o', 'json'], { stdout: JSON.stringify({ items: pods }) })
    .on([...K, 'get', 'events', '-n', 'blockchain', '-o', 'json'], { stdout: JSON.stringify({ items: events }) });
  if (logs !== undefined) fake.on((argv) => argv[3] === 'logs', { stdout: logs });
  return fake;
}

test('stuck rollout, ImagePullBackOff: the error names the pod, the state and the kind load fix', async () => {
  const t = testApp();
  try {
    const pod = { metadata: { name: 'miner-0', namespace: 'blockchain' }, spec: { containers: [{ name: 'blockchain-node', image: TAG }] }, status: { phase: 'Pending', containerStatuses: [{ name: 'blockchain-node', ready: false, restartCount: 0, image: TAG, state: { waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${TAG}"` } } }] } };
    const events = [{ involvedObject: { kind: 'Pod', name: 'miner-0' }, type: 'Warning', reason: 'Failed', message: `Failed to pull image "${TAG}": pull access denied`, lastTimestamp: '2025-01-01T00:00:01Z' }];
    const fake = stuckRunner(t, [pod], events);
    t.app.runner = fake;
    const err = await runK8sUp(t.app, { buildSteps: [fakeBuild], base: { app: t.app, docker: fakeDocker({ images: { [TAG]: NODE_ID } }) }, deps: fakeDeps() }).catch((e) => e);
    assert.instance(err, DevenvError);
    assert.match(err.message, /statefulset\/miner did not become ready within 300s: pod miner-0 is ImagePullBackOff/);
    assert.match(err.hint, new RegExp(`kind load docker-image ${TAG} --name devenv`));
    assert.match(err.details, /pull access denied/);
    assert.not.ok(fake.lines.some((l) => l.includes(' logs ')), 'no logs for a container that never started');
    // The rollouts are waited for together; the first stuck one in apply order is the one explained.
    assert.ok(fake.lines.some((l) => l.includes('rollout status statefulset/webserver')), 'every rollout is waited for');
    assert.equal(fake.lines.filter((l) => l.includes(' get pods ')).length, 1, 'only the stuck workload is diagnosed');
  } finally {
    t.cleanup();
  }
});

test('stuck rollout, CrashLoopBackOff: the previous run\'s last log lines are in the details', async () => {
  const t = testApp();
  try {
    const pod = { metadata: { name: 'miner-1', namespace: 'blockchain' }, spec: { containers: [{ name: 'blockchain-node', image: TAG }] }, status: { phase: 'Running', containerStatuses: [{ name: 'blockchain-node', ready: false, restartCount: 5, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1, reason: 'Error' } } }] } };
    const fake = stuckRunner(t, [pod], [], 'error: could not acquire lock on /app/data (held by pid 7)');
    t.app.runner = fake;
    const err = await runK8sUp(t.app, { buildSteps: [fakeBuild], base: { app: t.app, docker: fakeDocker({ images: { [TAG]: NODE_ID } }) }, deps: fakeDeps() }).catch((e) => e);
    assert.instance(err, DevenvError);
    assert.match(err.message, /pod miner-1 is CrashLoopBackOff/);
    assert.ok(fake.lines.includes('kubectl --context kind-devenv logs miner-1 -n blockchain -c blockchain-node --tail=20 --previous'), fake.lines.join('\n'));
    assert.match(err.details, /could not acquire lock/);
  } finally {
    t.cleanup();
  }
});

const DELETE_REFS = [
  'horizontalpodautoscaler.autoscaling/webserver-hpa', 'horizontalpodautoscaler.autoscaling/miner-hpa', 'poddisruptionbudget.policy/miner-pdb', 'poddisruptionbudget.policy/webserver-pdb',
  'service/miner-headless', 'service/miner-service', 'statefulset.apps/miner', 'service/webserver-headless', 'service/webserver-service', 'statefulset.apps/webserver',
  'service/redis', 'deployment.apps/redis',
  'configmap/blockchain-config', 'configmap/rate-limit-settings', 'secret/blockchain-secrets',
];
const PVC_LIST = JSON.stringify({ items: [{ metadata: { name: 'miner-wallets-miner-0' } }, { metadata: { name: 'miner-data-miner-0' } }] });
// kubectl <= 1.32 prints `kind "name" deleted`; newer versions add ` from NS namespace`.
const DELETED = DELETE_REFS.map((r, i) => { const [kind, name] = r.split('/'); return `${kind} "${name}" deleted${i % 2 ? ' from blockchain namespace' : ''}`; }).join('\n');

/** Mutating commands on the namespace or on claims: what the keep-the-data path must never run. */
const touchesData = (l: string) => / delete /.test(l) && (/\bnamespaces?\b/.test(l.replace('delete -n blockchain', '')) || /persistentvolumeclaim|\bpvc\b/.test(l));

test('down --k8s: deletes exactly the rendered objects but the Namespace (one command), keeps the namespace and its PVCs, names them', async () => {
  const t = testApp();
  try {
    writeFileSync(`${t.root}/manifests/secrets.env`, 'BITCOIN_API_ADMIN_KEY=a\nBITCOIN_API_WALLET_KEY=b\n');
    const del = [...K, 'delete', '-n', 'blockchain', ...DELETE_REFS, '--ignore-not-found=true', '--cascade=foreground', '--wait=true', '--timeout=300s'];
    const fake = new FakeRunner()
      .on(['kubectl', 'version', '--client', '-o', 'json'], { stdout: '{}' })
      .on([KIND, 'get', 'clusters'], { stdout: 'devenv\n' })
      .on(['kubectl', 'kustomize', `${t.root}/manifests`], { stdout: renderedYaml(t) })
      .on(del, { stdout: DELETED })
      .on([...K, 'get', 'persistentvolumeclaims', '-n', 'blockchain', '-o', 'json'], { stdout: PVC_LIST });
    t.app.runner = fake;
    const res = await k8sDown(t.app, { deps: fakeDeps(), cluster: false });
    assert.equal(fake.lines, ['kubectl version --client -o json', `${KIND} get clusters`, `kubectl kustomize ${t.root}/manifests`, del.join(' '), `${K.join(' ')} get persistentvolumeclaims -n blockchain -o json`]);
    assert.not.ok(fake.lines.some(touchesData), 'neither the namespace nor a PVC is deleted');
    assert.match(res!.text, /^Deleted 15 object\(s\) in namespace blockchain on kind cluster devenv .*; kept the namespace and its 2 PVC\(s\): miner-data-miner-0, miner-wallets-miner-0 \(.*`devenv up --k8s` re-binds them, `devenv down --k8s --volumes` deletes them\)\.$/);
    assert.equal(res!.data.kept, { namespace: 'blockchain', pvcs: ['miner-data-miner-0', 'miner-wallets-miner-0'] });
    assert.equal((res!.data.deleted as any).objects, DELETE_REFS);
    assert.is((res!.data.deleted as any).namespace, undefined);
    assert.ok(t.stdout.join('').includes('kept namespace blockchain and its 2 PersistentVolumeClaim(s) (miner-data-miner-0, miner-wallets-miner-0)'));
  } finally {
    t.cleanup();
  }
});

test('down --k8s without secrets.env: renders from the .example on a copy, writes no secret, deletes the same objects', async () => {
  const t = testApp();
  try {
    const fake = new FakeRunner()
      .on(['kubectl', 'version', '--client', '-o', 'json'], { stdout: '{}' })
      .on([KIND, 'get', 'clusters'], { stdout: 'devenv\n' })
      .on((argv) => argv[0] === 'kubectl' && argv[1] === 'kustomize' && argv[2] !== `${t.root}/manifests`, { stdout: renderedYaml(t) })
      .on([...K, 'delete', '-n', 'blockchain', ...DELETE_REFS, '--ignore-not-found=true', '--cascade=foreground', '--wait=true', '--timeout=300s'])
      .on([...K, 'get', 'persistentvolumeclaims', '-n', 'blockchain', '-o', 'json'], { stdout: JSON.stringify({ items: [] }) });
    t.app.runner = fake;
    const res = await k8sDown(t.app, { deps: fakeDeps() });
    assert.not.ok(existsSync(`${t.root}/manifests/secrets.env`), 'down writes no keys');
    assert.not.ok(fake.lines.some(touchesData));
    assert.match(res!.text, /^Nothing left to delete in namespace blockchain .*; kept the namespace \(it has no PVCs\)\.$/);
  } finally {
    t.cleanup();
  }
});

test('down --k8s --volumes: says the PVCs go with the namespace, names them, deletes it, keeps the cluster', async () => {
  const t = testApp();
  try {
    const fake = new FakeRunner()
      .on(['kubectl', 'version', '--client', '-o', 'json'], { stdout: '{}' })
      .on([KIND, 'get', 'clusters'], { stdout: 'devenv\n' })
      .on([...K, 'get', 'persistentvolumeclaims', '-n', 'blockchain', '-o', 'json'], { stdout: PVC_LIST })
      .on([...K, 'delete', 'namespace', 'blockchain', '--ignore-not-found=true', '--wait=true', '--timeout=300s'], () => {
        saidBefore = t.stdout.join('');
        return {};
      });
    let saidBefore = '';
    t.app.runner = fake;
    const res = await k8sDown(t.app, { deps: fakeDeps(), cluster: false, volumes: true });
    assert.equal(fake.lines.slice(2), [`${K.join(' ')} get persistentvolumeclaims -n blockchain -o json`, `${K.join(' ')} delete namespace blockchain --ignore-not-found=true --wait=true --timeout=300s`]);
    assert.ok(saidBefore.includes('--volumes: deleting namespace blockchain; its PersistentVolumeClaims are deleted with it (miner-data-miner-0, miner-wallets-miner-0)'), 'said, with the claims named, before the namespace is deleted');
    assert.not.ok(fake.lines.some((l) => l.includes('delete cluster') || l.includes('kustomize')));
    assert.match(res!.text, /Deleted namespace blockchain .* 2 PVC\(s\): miner-data-miner-0, miner-wallets-miner-0/);
  } finally {
    t.cleanup();
  }
});

test('down --k8s --cluster: deletes the kind cluster, saying the PVCs go with it; nothing to do when it does not exist', async () => {
  const t = testApp();
  try {
    const fake = new FakeRunner()
      .on(['kubectl', 'version', '--client', '-o', 'json'], { stdout: '{}' })
      .on([KIND, 'get', 'clusters'], { stdout: 'devenv\n' }, 1)
      .on([KIND, 'delete', 'cluster', '--name', 'devenv'], () => {
        saidBefore = t.stdout.join('');
        return {};
      });
    let saidBefore = '';
    t.app.runner = fake;
    const res = await k8sDown(t.app, { deps: fakeDeps(), cluster: true });
    assert.equal(fake.lines, ['kubectl version --client -o json', `${KIND} get clusters`, `${KIND} delete cluster --name devenv`]);
    assert.ok(saidBefore.includes('--cluster: deleting kind cluster devenv; namespace blockchain, its PersistentVolumeClaims (the chains and wallets of its pods) and metrics-server go with it.'));
    assert.match(res!.text, /Deleted kind cluster devenv, and with it namespace blockchain, its PVCs/);
    fake.on([KIND, 'get', 'clusters'], { stdout: 'other\n' });
    const before = fake.lines.length;
    const again = await k8sDown(t.app, { deps: fakeDeps(), cluster: true });
    assert.not.ok(fake.lines.slice(before).some((l) => isMutating(l.split(' '))));
    assert.match(again!.text, /Nothing to delete/);
  } finally {
    t.cleanup();
  }
});

test('down --k8s --cluster on an existing cluster (DEVENV_KUBECONFIG): the cluster is not devenv\'s; the data is still kept without --volumes', async () => {
  const t = testApp({ env: { DEVENV_KUBECONFIG: '/tmp/kc' } });
  try {
    writeFileSync(`${t.root}/manifests/secrets.env`, 'BITCOIN_API_ADMIN_KEY=a\nBITCOIN_API_WALLET_KEY=b\n');
    const KC = ['kubectl', '--kubeconfig', '/tmp/kc'];
    const fake = new FakeRunner()
      .on(['kubectl', 'version', '--client', '-o', 'json'], { stdout: '{}' })
      .on(['kubectl', 'kustomize', `${t.root}/manifests`], { stdout: renderedYaml(t) })
      .on([...KC, 'delete', '-n', 'blockchain', ...DELETE_REFS, '--ignore-not-found=true', '--cascade=foreground', '--wait=true', '--timeout=300s'], { stdout: DELETED })
      .on([...KC, 'get', 'persistentvolumeclaims', '-n', 'blockchain', '-o', 'json'], { stdout: PVC_LIST });
    t.app.runner = fake;
    const res = await k8sDown(t.app, { deps: fakeDeps(), cluster: true });
    assert.not.ok(fake.lines.some((l) => l.includes('kind') && l.includes('delete')));
    assert.not.ok(fake.lines.some(touchesData));
    assert.match(res!.text, /on existing cluster \(kubeconfig \/tmp\/kc.*kept the namespace and its 2 PVC\(s\)/);
  } finally {
    t.cleanup();
  }
});

test('the fake runner throws on any command it was not told about', async () => {
  const fake = new FakeRunner().on(['kubectl', 'version'], {});
  await fake.run({ cmd: 'kubectl', args: ['version'] });
  const err = await fake.run({ cmd: 'kubectl', args: ['delete', 'namespace', 'blockchain'] }).catch((e) => e);
  assert.match(String(err), /unexpected command: kubectl delete namespace blockchain/);
  assert.equal(fake.lines, ['kubectl version', 'kubectl delete namespace blockchain']);
});

test.run();
