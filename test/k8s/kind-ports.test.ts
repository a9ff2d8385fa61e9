// The kind cluster's host ports: chosen when it is created (the Compose ports,
// or the side-by-side set while the Compose network holds them, or
// devenv.yaml's k8s.ports), read back from an existing cluster's node
// container, and the errors when an existing cluster's mappings collide.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cpSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { parse } from 'yaml';
import { defaultConfig, parseConfigText, applyEnvOverrides } from '../../cli/config.ts';
import { DevenvError, ExitCode } from '../../cli/errors.ts';
import { chooseKindHostPorts, kindPortsMismatch, publishedKindHostPorts, SIDE_BY_SIDE_PORTS } from '../../cli/k8s/kind-ports.ts';
import { runK8sUp } from '../../cli/commands/up.k8s.ts';
import { composePreflightStep } from '../../cli/pipelines/steps/compose-preflight.step.ts';
import { runPipeline } from '../../cli/pipelines/pipeline.ts';
import type { ComposeContext } from '../../cli/pipelines/compose-context.ts';
import type { ContainerSummary } from '../../cli/adapters/docker.ts';
import { FakeRunner } from '../helpers/fake-runner.ts';
import { FakeDocker } from '../helpers/fake-docker.ts';
import { fakeDeps, fakeDocker, repoRoot, testApp } from './helpers.ts';
import { join } from 'node:path';
import { toYamlStream } from '../../cli/k8s/apply-phases.ts';
import { loadManifests } from '../../cli/manifests/render.ts';

const KIND = '/usr/local/bin/kind';
const RENDERED = toYamlStream((await loadManifests([join(repoRoot, 'manifests')], { cwd: repoRoot, virtualFiles: new Map([[join(repoRoot, 'manifests/secrets.env'), readFileSync(join(repoRoot, 'manifests/secrets.env.example'), 'utf8')]]) })).objects.map((o) => o.object));
const TAG = 'blockchain-node:0123456789ab';
const fakeBuild = { name: 'Build the node image', run: (ctx: any) => { ctx.image = { ref: TAG, id: 'sha256:11', built: false, hash: '0123456789ab', external: false }; } };

const summary = (over: Partial<ContainerSummary>): ContainerSummary => ({ id: 'c', name: 'c', image: 'x', imageId: 'sha256:x', state: 'running', health: 'none', ports: [], ...over });
const composeApi = summary({ id: 'web', name: 'devenv-webserver_1-1', service: 'webserver_1', project: 'devenv', ports: [{ hostIp: '127.0.0.1', hostPort: 8080, containerPort: 8080 }, { hostIp: '127.0.0.1', hostPort: 2101, containerPort: 2001 }] });
const kindNode = (cluster: string, api: number, p2p: number) => summary({ id: 'kn', name: `${cluster}-control-plane`, kindCluster: cluster, ports: [{ hostIp: '127.0.0.1', hostPort: 41234, containerPort: 6443 }, { hostIp: '127.0.0.1', hostPort: api, containerPort: 30080 }, { hostIp: '127.0.0.1', hostPort: p2p, containerPort: 32101 }] });

test('choice: the Compose ports when free; the side-by-side set when Compose holds them; k8s.ports when set', () => {
  const cfg = defaultConfig('/x');
  assert.equal(chooseKindHostPorts(cfg, () => 'free').ports, { api: 8080, webserverP2p: 2101 });
  const held = chooseKindHostPorts(cfg, (p) => (p === 8080 ? 'compose' : 'free'));
  assert.equal(held.ports, SIDE_BY_SIDE_PORTS);
  assert.match(held.why, /Compose network holds host port 8080/);
  // Held by something else: the same ports (the preflight then names the holder).
  assert.equal(chooseKindHostPorts(cfg, () => 'other').ports, { api: 8080, webserverP2p: 2101 });
  const set = parseConfigText('k8s:\n  ports:\n    api: 9080\n', 'devenv.yaml', '/x');
  assert.equal(chooseKindHostPorts(set, () => 'free'), { ports: { api: 9080, webserverP2p: SIDE_BY_SIDE_PORTS.webserverP2p }, why: 'k8s.ports in devenv.yaml' });
  assert.equal(applyEnvOverrides(cfg, { DEVENV_K8S_API_PORT: '9181' }).k8s.ports, { api: 9181 });
});

test('config: k8s.ports keys are checked like ports (file, line, allowed keys)', () => {
  const err = (() => { try { parseConfigText('k8s:\n  ports:\n    web: 1\n', 'devenv.yaml', '/x'); } catch (e) { return e; } })();
  assert.instance(err, DevenvError);
  assert.equal((err as DevenvError).location?.line, 3);
  assert.match((err as DevenvError).hint ?? '', /api, webserverP2p/);
});

test('an existing cluster: its published ports are read from the node container; a devenv.yaml asking for others is an error with the fix', () => {
  const published = publishedKindHostPorts(kindNode('devenv', 8080, 2101).ports);
  assert.equal(published, { api: 8080, webserverP2p: 2101 });
  const cfg = parseConfigText('k8s:\n  ports:\n    api: 18080\n', 'devenv.yaml', '/x');
  const m = kindPortsMismatch(cfg, published);
  assert.ok(m);
  assert.match(m!.what, /k8s\.ports\.api is 18080 but the cluster publishes 8080/);
  assert.match(m!.fix, /k8s\.ports\.api: 8080/);
  assert.match(m!.fix, /devenv down --k8s --cluster/);
  assert.is(kindPortsMismatch(defaultConfig('/x'), published), null, 'no k8s.ports: whatever the cluster publishes is used');
});

function coldRunner() {
  return new FakeRunner()
    .on(['kubectl', 'version', '--client', '-o', 'json'], { stdout: '{"clientVersion":{"gitVersion":"v1.32.4"}}' })
    .on([KIND, 'get', 'clusters'], { stdout: '' });
}

test('up --k8s while the Compose network holds 8080 and 2101: the new cluster publishes 18080 and 12101, and the endpoints say so', async () => {
  const t = testApp();
  try {
    // Stop right after the cluster exists: what matters is the kind config and the preflight's choice.
    // Any command after `kind create` is unknown to the fake runner and ends the run there.
    const fake = coldRunner().on((argv) => argv[0] === KIND && argv[1] === 'create', {}).on((argv) => argv[0] === 'kubectl' && argv[1] === 'kustomize', { stdout: RENDERED });
    t.app.runner = fake;
    const docker = fakeDocker({ images: { [TAG]: 'sha256:11' }, containers: [composeApi] });
    const deps = fakeDeps({ portState: async (port) => (port === 8080 || port === 2101 ? { port, free: false, holder: { pid: 7, command: 'docker-proxy' } } : { port, free: true }) });
    await runK8sUp(t.app, { buildSteps: [fakeBuild], base: { app: t.app, docker }, deps }).catch(() => undefined);
    const kindConfig = parse(readFileSync(`${t.root}/.devenv/kind-devenv.yaml`, 'utf8'));
    assert.equal(kindConfig.nodes[0].extraPortMappings.map((m: any) => [m.containerPort, m.hostPort]), [[30080, 18080], [32101, 12101]]);
    assert.ok(t.stdout.join('').includes('host ports: API 18080, webserver P2P 12101 (the Compose network holds host ports 8080, 2101'), t.stdout.join(''));
  } finally {
    t.cleanup();
  }
});

test('up --k8s: an existing cluster created with other ports than k8s.ports: exit 3 before anything is applied, both numbers and the fix', async () => {
  const t = testApp();
  try {
    t.app.config = parseConfigText('k8s:\n  ports:\n    api: 18080\n    webserverP2p: 12101\n', 'devenv.yaml', t.root);
    const fake = coldRunner().on([KIND, 'get', 'clusters'], { stdout: 'devenv\n' });
    t.app.runner = fake;
    const docker = fakeDocker({ images: { [TAG]: 'sha256:11' }, containers: [kindNode('devenv', 8080, 2101)] });
    const err = await runK8sUp(t.app, { buildSteps: [fakeBuild], base: { app: t.app, docker }, deps: fakeDeps() }).catch((e) => e);
    assert.instance(err, DevenvError);
    assert.is(err.exitCode, ExitCode.prerequisite);
    assert.match(err.message, /k8s\.ports\.api is 18080 but the cluster publishes 8080; k8s\.ports\.webserverP2p is 12101 but the cluster publishes 2101/);
    assert.match(err.hint, /k8s\.ports\.api: 8080 and k8s\.ports\.webserverP2p: 2101/);
    assert.not.ok(fake.lines.some((l) => l.includes('apply')));
  } finally {
    t.cleanup();
  }
});

function listen(): Promise<Server> {
  return new Promise((res) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => res(srv));
  });
}

test('up (Compose) where a kind cluster publishes the API port: exit 3 naming the cluster, and the way to run both', async () => {
  const srv = await listen();
  const t = testApp();
  try {
    const port = (srv.address() as { port: number }).port;
    t.app.config = { ...t.app.config, ports: { ...t.app.config.ports, api: port } };
    const docker = new FakeDocker({ containers: [kindNode('devenv', port, 2101)] });
    const ctx: ComposeContext = { app: t.app, docker, timeoutSeconds: 10 };
    cpSync(join(repoRoot, 'compose'), `${t.root}/compose`, { recursive: true, filter: (src) => !src.endsWith('/.env') && !src.includes('.devenv-v1.') });
    t.app.env.DEVENV_COMPOSE = 'v2';
    const err = await runPipeline([composePreflightStep], ctx, t.app.output).then(() => undefined, (e: unknown) => e);
    assert.instance(err, DevenvError);
    assert.is((err as DevenvError).exitCode, ExitCode.prerequisite);
    assert.match((err as DevenvError).message, new RegExp(`host port ${port} \\(HTTP API \\(webserver\\)\\) is published by kind cluster devenv`));
    assert.match((err as DevenvError).hint ?? '', /devenv down --k8s --cluster/);
  } finally {
    srv.close();
    t.cleanup();
  }
});

test.run();
