// Translating host names: Compose service names and Kubernetes DNS names
// (pod names through a headless Service, Service names with any suffix) are
// compared by what they reach: workload, ordinal and container port.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { materialize } from './helpers.ts';
import { buildContext } from '../../cli/topology/rule.ts';
import { loadCompose } from '../../cli/topology/compose.loader.ts';
import { loadKubernetes } from '../../cli/topology/kubernetes.loader.ts';
import { pairServices } from '../../cli/topology/pairing.ts';

async function book() {
  const dir = materialize('base');
  const compose = loadCompose({ cwd: dir, files: ['compose/docker-compose.yml'], environment: {} });
  const k8s = await loadKubernetes({ cwd: dir, manifests: ['manifests'], defaultNamespace: 'chain' });
  return buildContext(compose, k8s, pairServices(compose.workloads, k8s.workloads, null)).addresses;
}

test('miner_1:2001 equals every spelling of miner-0 through the headless Service', async () => {
  const a = await book();
  const c = a.analyzeCompose('miner_1:2001', 'NODE_CONNECT_NODES');
  for (const k of ['miner-0.miner-headless.chain.svc.cluster.local:2001', 'miner-0.miner-headless.chain.svc:2001', 'miner-0.miner-headless.chain:2001', 'miner-0.miner-headless:2001']) {
    assert.is(a.compare(c, a.analyzeKubernetes(k, 'NODE_CONNECT_NODES')), 'equal', k);
  }
});

test('a Service in front of several replicas is load-balanced; another ordinal differs', async () => {
  const a = await book();
  const c = a.analyzeCompose('miner_1:2001', 'NODE_CONNECT_NODES');
  assert.is(a.compare(c, a.analyzeKubernetes('miner-headless.chain.svc.cluster.local:2001', 'X')), 'load-balanced');
  assert.is(a.compare(c, a.analyzeKubernetes('miner-1.miner-headless:2001', 'X')), 'different');
  assert.is(a.compare(c, a.analyzeKubernetes('miner-0.miner-headless:2002', 'X')), 'different');
});

test('a Service port is followed to its targetPort: webserver-service:2101 reaches 2001', async () => {
  const a = await book();
  const c = a.analyzeCompose('webserver_1:2001', 'PEER');
  // webserver has one replica: the Service and the pod are the same instance.
  assert.is(a.compare(c, a.analyzeKubernetes('webserver-service:2101', 'PEER')), 'equal');
  assert.is(a.compare(c, a.analyzeKubernetes('webserver-service:8080', 'PEER')), 'different');
});

test('names that reach nothing are unresolved, with the reason', async () => {
  const a = await book();
  const c = a.analyzeCompose('redis:6379', 'REDIS');
  for (const [k, reason] of [
    ['redis.other.svc.cluster.local:6379', /namespace other/],
    ['miner-7.miner-headless:2001', /ordinal 7 never exists/],
    ['redis:6380', /has no port 6380/],
    ['cache.chain.svc.cluster.local:6379', /no Service or pod/],
  ] as const) {
    const k8s = a.analyzeKubernetes(k, 'REDIS');
    assert.is(a.compare(c, k8s), 'unresolved', k);
    const t = k8s.refs[0].target;
    assert.ok(t.kind === 'unresolved' && reason.test(t.reason), `${k}: ${JSON.stringify(t)}`);
  }
  assert.is(a.compare(c, a.analyzeKubernetes('redis:6379', 'REDIS')), 'equal');
});

test('only address-shaped words count: a bare name needs a host-like key', async () => {
  const a = await book();
  assert.equal(a.analyzeCompose('redis', 'CACHE_NAME').refs, []);
  assert.is(a.analyzeCompose('redis', 'REDIS_HOST').refs.length, 1);
  assert.is(a.analyzeCompose('redis://redis/0', 'ANYTHING').refs.length, 1);
  assert.equal(a.analyzeCompose('localhost:8080', 'URL').refs, []);
});

test.run();
