import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  advertisedAddress,
  chainPeerForPod,
  deriveInstance,
  instanceFromName,
  parseHostPort,
} from '../../images/blockchain-node/src/config/identity.ts';
import { loadConfig, roleFrom } from '../../images/blockchain-node/src/config/node-config.ts';

test('instance number: INSTANCE_NUMBER wins, then POD_NAME ordinal + 1, then Compose names, then 1', () => {
  assert.equal(deriveInstance({ instanceNumber: '3', podName: 'miner-0', names: ['miner_2'] }), { instance: 3, source: 'INSTANCE_NUMBER' });
  assert.equal(deriveInstance({ podName: 'miner-0', names: ['miner_2'] }), { instance: 1, source: 'POD_NAME' });
  assert.equal(deriveInstance({ podName: 'webserver-4', names: [] }), { instance: 5, source: 'POD_NAME' });
  assert.equal(deriveInstance({ names: [undefined, 'miner_2'] }), { instance: 2, source: 'hostname' });
  assert.equal(deriveInstance({ names: ['3f2a9c0d1e4b'] }), { instance: 1, source: 'default' });
  assert.throws(() => deriveInstance({ instanceNumber: 'zero', names: [] }), /INSTANCE_NUMBER "zero"/);
  assert.throws(() => deriveInstance({ instanceNumber: '0', names: [] }), />= 1/);
});

test('Compose names: the service suffix counts, not the replica index', () => {
  assert.is(instanceFromName('devenv-miner_2-1'), 2);
  assert.is(instanceFromName('miner_2'), 2);
  assert.is(instanceFromName('webserver_1'), 1);
  assert.is(instanceFromName('devenv-miner-3'), 3, 'a scaled service: replica index is the instance');
  assert.is(instanceFromName('miner-0'), null, 'ordinal 0 is not an instance number');
  assert.is(instanceFromName('abcdef'), null);
});

test('Kubernetes chain topology: pod k>0 peers with k-1 in its own namespace', () => {
  const base = { headlessService: 'miner-headless', clusterDomain: 'cluster.local', port: 2001 };
  assert.is(chainPeerForPod({ ...base, podName: 'miner-0', namespace: 'blockchain' }), null);
  assert.is(chainPeerForPod({ ...base, podName: 'miner-1', namespace: 'blockchain' }), 'miner-0.miner-headless.blockchain.svc.cluster.local:2001');
  assert.is(chainPeerForPod({ ...base, podName: 'miner-2', namespace: 'devenv-test' }), 'miner-1.miner-headless.devenv-test.svc.cluster.local:2001');
});

const env = (e: Record<string, string>) => ({ env: e, hostname: 'host-abc', interfaceAddresses: ['10.1.2.3'], cwd: '/app', readNamespaceFile: () => undefined });

test('loadConfig derives the upstream miner from POD_NAME and POD_NAMESPACE', () => {
  const c = loadConfig(env({ NODE_IS_MINER: 'yes', NODE_IS_WEB_SERVER: 'no', NODE_CONNECT_NODES: 'local', POD_NAME: 'miner-1', POD_NAMESPACE: 'ns-from-env' }));
  assert.equal(c.peers, ['miner-0.miner-headless.ns-from-env.svc.cluster.local:2001']);
  assert.is(c.seed, false);
  assert.is(c.instance, 2);
  const custom = loadConfig(env({ NODE_IS_MINER: 'yes', NODE_IS_WEB_SERVER: 'no', POD_NAME: 'miner-3', POD_NAMESPACE: 'x', NODE_HEADLESS_SERVICE: 'm-h' }));
  assert.equal(custom.peers, ['miner-2.m-h.x.svc.cluster.local:2001']);
  const seed = loadConfig(env({ NODE_IS_MINER: 'yes', NODE_IS_WEB_SERVER: 'no', POD_NAME: 'miner-0', POD_NAMESPACE: 'x' }));
  assert.ok(seed.seed);
  assert.equal(seed.peers, []);
  assert.throws(
    () => loadConfig(env({ NODE_IS_MINER: 'yes', NODE_IS_WEB_SERVER: 'no', POD_NAME: 'miner-1' })),
    /POD_NAMESPACE/,
    'no namespace: a clear error, never a hard-coded default',
  );
  const fromFile = loadConfig({ ...env({ NODE_IS_MINER: 'yes', NODE_IS_WEB_SERVER: 'no', POD_NAME: 'miner-1' }), readNamespaceFile: () => 'sa-ns\n' });
  assert.equal(fromFile.peers, ['miner-0.miner-headless.sa-ns.svc.cluster.local:2001']);
});

test('loadConfig: hostnames in NODE_CONNECT_NODES, paths, defaults', () => {
  const c = loadConfig(env({ NODE_CONNECT_NODES: 'miner_1:2001, miner-service.blockchain.svc.cluster.local:2001' }));
  assert.is(c.role, 'webserver');
  assert.equal(c.peers, ['miner_1:2001', 'miner-service.blockchain.svc.cluster.local:2001']);
  assert.is(c.dataDir, '/app/data');
  assert.is(c.walletFile, '/app/wallets/wallets.dat');
  assert.is(c.walletDir, '/app/wallets');
  assert.equal(c.p2p, { host: '0.0.0.0', port: 2001 });
  assert.equal(c.http, { host: '0.0.0.0', port: 8080 });
  assert.throws(() => loadConfig(env({ NODE_CONNECT_NODES: 'miner_1' })), /not host:port/);
  assert.throws(() => loadConfig(env({ NODE_DIFFICULTY_BITS: '99' })), /NODE_DIFFICULTY_BITS/);
});

test('roles: both yes is refused; no/no is a relay', () => {
  assert.throws(() => roleFrom({ NODE_IS_MINER: 'yes', NODE_IS_WEB_SERVER: 'yes' }), /both "yes"/);
  assert.is(roleFrom({ NODE_IS_MINER: 'no', NODE_IS_WEB_SERVER: 'no' }), 'relay');
  assert.is(roleFrom({}), 'webserver');
  assert.throws(() => roleFrom({ NODE_IS_MINER: 'maybe' }), /NODE_IS_MINER/);
});

test('advertised address is never 0.0.0.0 or loopback for a wildcard bind', () => {
  const bind = { host: '0.0.0.0', port: 2001 };
  assert.is(advertisedAddress({ bind, podIp: '10.244.1.7', interfaceAddresses: ['172.18.0.2'], hostname: 'h' }), '10.244.1.7:2001');
  assert.is(advertisedAddress({ bind, interfaceAddresses: ['127.0.0.1', '172.18.0.2'], hostname: 'h' }), '172.18.0.2:2001');
  assert.is(advertisedAddress({ bind, interfaceAddresses: [], hostname: 'miner_1' }), 'miner_1:2001');
  assert.is(advertisedAddress({ bind: { host: '::', port: 2001 }, interfaceAddresses: ['127.0.0.1'], hostname: 'box' }), 'box:2001');
  assert.is(advertisedAddress({ bind: { host: '127.0.0.1', port: 5 }, interfaceAddresses: ['10.0.0.1'], hostname: 'h' }), '127.0.0.1:5', 'a loopback bind only answers on loopback');
  assert.is(advertisedAddress({ explicit: 'miner_1:2001', bind, interfaceAddresses: [], hostname: 'h' }), 'miner_1:2001');
});

test('host:port parsing', () => {
  assert.equal(parseHostPort('[::1]:8080', 'x'), { host: '::1', port: 8080 });
  assert.throws(() => parseHostPort('host:99999', 'NODE_ADDR'), /NODE_ADDR "host:99999"/);
});

test.run();
