// Issue 15, defect 11: the node logs the difficulty in force (its chain's),
// not the configured one, and warns about every setting it cannot apply.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inapplicableSettings } from '../../images/blockchain-node/src/config/settings-in-force.ts';
import { genesis } from './helpers/chain-fixtures.ts';
import { inProcessConfig, startInProcessNode, stopInProcess, writeStore, type InProcessNode } from './helpers/in-process-node.ts';
import { startNode, stopAll, waitUntil, type NodeProcess } from './helpers/node-process.ts';

const processes: NodeProcess[] = [];
let node: InProcessNode | undefined;
test.after(async () => {
  await stopInProcess([node]);
  await stopAll(processes);
});

test('settings that cannot apply to the role or to a non-seed are named, never valued', () => {
  const env = { NODE_DIFFICULTY_BITS: '12', NODE_MINING_DUTY_CYCLE: '0.5', BITCOIN_API_ADMIN_KEY: 'secret-admin-key', NODE_CONNECT_NODES: 'miner_1:2001' };
  const config = inProcessConfig(mkdtempSync(join(tmpdir(), 'cfg-')), { name: 'relay', connect: 'miner_1:2001', env });
  const warnings = inapplicableSettings(env, config);
  assert.equal(warnings, [
    "NODE_DIFFICULTY_BITS=12 is ignored: only the seed's value counts; this node takes the difficulty from the genesis block",
    'NODE_MINING_DUTY_CYCLE is ignored: this node is a relay, not a miner',
    'BITCOIN_API_ADMIN_KEY is ignored: this node is a relay, not a webserver',
  ]);
  assert.not.ok(warnings.join().includes('secret-admin-key'));
  const seed = inProcessConfig(mkdtempSync(join(tmpdir(), 'cfg-')), { name: 'seed', env: { NODE_DIFFICULTY_BITS: '12' } });
  assert.equal(inapplicableSettings({ NODE_DIFFICULTY_BITS: '12' }, seed), []);
});

test('a seed whose stored genesis has another difficulty warns that its setting does not apply', async () => {
  const g = genesis(1);
  node = await startInProcessNode({ name: 'seed', blocks: [g], env: { NODE_DIFFICULTY_BITS: '12' } });
  assert.is(node.node.chain.bits, 1);
  assert.match(node.logs(), /WARN  NODE_DIFFICULTY_BITS=12 does not apply: the genesis block in the store fixes 1 bits/);
});

test('a block target on a non-seed is named as ignored; on a seed over a stored genesis, why it does not apply', async () => {
  const env = { BLOCK_TARGET_SECONDS: '30' };
  const relay = inProcessConfig(mkdtempSync(join(tmpdir(), 'cfg-')), { name: 'relay', connect: 'miner_1:2001', env });
  assert.equal(inapplicableSettings(env, relay), [
    "BLOCK_TARGET_SECONDS=30 is ignored: only the seed's value counts; this node takes the block target from the genesis block",
  ]);
  // A version 1 genesis: the chain predates retargeting and keeps its bits.
  await stopInProcess([node]);
  node = await startInProcessNode({ name: 'seed', blocks: [genesis(1)], env });
  assert.is(node.node.chain.targetSeconds, null);
  assert.match(node.logs(), /WARN  BLOCK_TARGET_SECONDS=30 does not apply: the chain in the store predates retargeting: its difficulty is fixed/);
});

test('a new seed commits its block target to the genesis block', async () => {
  await stopInProcess([node]);
  node = await startInProcessNode({ name: 'seed', env: { BLOCK_TARGET_SECONDS: '30' } });
  assert.is(node.node.chain.targetSeconds, 30);
  assert.match(node.logs(), /created genesis block .*block_target_seconds=30/);
  assert.not.match(node.logs(), /BLOCK_TARGET_SECONDS=30 does not apply/);
});

test('the start-up log reports the chain difficulty in force, on the seed and on a node that receives the genesis', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'node-seed-'));
  writeStore(dir, [genesis(1)]);
  const seed = await startNode({ name: 'seed', role: 'relay', dir, env: { NODE_DIFFICULTY_BITS: '16' } });
  processes.push(seed);
  await waitUntil('the seed to start', 20_000, () => /node started/.test(seed.logs()));
  assert.match(seed.logs(), /INFO  node started .*difficulty_bits=1\b/);
  assert.not.match(seed.logs(), /starting blockchain node .*difficulty_bits=16/);
  const relay = await startNode({ name: 'relay', role: 'relay', connect: `127.0.0.1:${seed.p2pPort}`, env: { NODE_DIFFICULTY_BITS: '16' } });
  processes.push(relay);
  await waitUntil('the relay to receive the genesis', 20_000, () => /received the genesis block/.test(relay.logs()));
  assert.match(relay.logs(), /WARN  NODE_DIFFICULTY_BITS=16 is ignored: only the seed's value counts/);
  assert.match(relay.logs(), /INFO  received the genesis block: the network difficulty is in force difficulty_bits=1 /);
});

test.run();
