// Issue 12, item 4: the chain keeps its block interval near the target. The
// required difficulty is computed from the chain alone, so every node agrees
// on it, and a block with any other difficulty is rejected. Blocks are built
// at 1 to 6 bits with chosen timestamps: the whole file runs in milliseconds
// of hashing.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BLOCK_VERSION_RETARGET, blockTemplate, templateWithCoinbase, type Block } from '../../images/blockchain-node/src/chain/block.ts';
import { Chain } from '../../images/blockchain-node/src/chain/chain.ts';
import { ZERO_HASH } from '../../images/blockchain-node/src/chain/hash.ts';
import { MAX_RETARGET_STEP_BITS, RETARGET_INTERVAL, retargetBits } from '../../images/blockchain-node/src/chain/retarget.ts';
import { child, genesis, mine } from './helpers/chain-fixtures.ts';
import { startInProcessNode, stopInProcess, type InProcessNode } from './helpers/in-process-node.ts';
import { waitUntil } from './helpers/node-process.ts';

const MINER = 'retargetminer0001';
const START = 1_700_000_000_000;

const retargetingGenesis = (bits: number, targetSeconds: number): Block =>
  mine(blockTemplate({ height: 0, prevHash: ZERO_HASH, bits, txs: [], timestamp: START, version: BLOCK_VERSION_RETARGET, targetSeconds }));

function nextBlock(parent: Block, bits: number, gapMs: number, miner = MINER): Block {
  const t = templateWithCoinbase({ height: parent.header.height + 1, prevHash: parent.hash, bits, miner, transfers: [], version: parent.header.version });
  t.header.timestamp = parent.header.timestamp + gapMs;
  return mine(t);
}

/** `count` blocks after `from`, each `gapMs` after its parent, all at `bits`. */
function run(from: Block, count: number, bits: number, gapMs: number): Block[] {
  const out: Block[] = [];
  let tip = from;
  for (let i = 0; i < count; i++) out.push((tip = nextBlock(tip, bits, gapMs)));
  return out;
}

function chainOf(blocks: Block[]): Chain {
  const chain = new Chain();
  for (const b of blocks) {
    const outcome = chain.addBlock(b, START + 10 ** 9);
    assert.is(outcome.status, 'accepted', `block ${b.header.height}: ${outcome.status === 'invalid' ? outcome.reason : outcome.status}`);
  }
  return chain;
}

test('retargetBits: up when blocks came fast, down when slow, by whole bits and at most two per step', () => {
  const expected = 45_000;
  assert.is(retargetBits(10, expected, expected), 10, 'on target');
  assert.is(retargetBits(10, expected * 1.5, expected), 10, 'inside the band: no flapping');
  assert.is(retargetBits(10, expected / 1.5, expected), 10, 'inside the band: no flapping');
  assert.is(retargetBits(10, expected / 2, expected), 11);
  assert.is(retargetBits(10, expected / 4, expected), 12);
  assert.is(retargetBits(10, 0, expected), 10 + MAX_RETARGET_STEP_BITS, 'bounded however fast');
  assert.is(retargetBits(10, expected * 2, expected), 9);
  assert.is(retargetBits(10, expected * 1000, expected), 10 - MAX_RETARGET_STEP_BITS, 'bounded however slow');
  assert.is(retargetBits(2, expected * 1000, expected), 1, 'never below one bit');
});

test('blocks far faster than the target: the difficulty rises at the retarget height, by at most the bound', () => {
  const g = retargetingGenesis(2, 5);
  const fast = run(g, RETARGET_INTERVAL - 1, 2, 100);
  const chain = chainOf([g, ...fast]);
  assert.is(chain.height, RETARGET_INTERVAL - 1);
  assert.is(chain.targetSeconds, 5);
  assert.is(chain.bits, 2 + MAX_RETARGET_STEP_BITS);
  // Heights inside a window keep the parent's difficulty.
  assert.is(chain.entry(fast[3].hash)!.childBits, 2);
});

test('blocks far slower than the target: the difficulty falls, by at most the bound', () => {
  const g = retargetingGenesis(6, 5);
  const chain = chainOf([g, ...run(g, RETARGET_INTERVAL - 1, 6, 60_000)]);
  assert.is(chain.bits, 6 - MAX_RETARGET_STEP_BITS);
});

test('blocks on target: the difficulty stays', () => {
  const g = retargetingGenesis(4, 5);
  const chain = chainOf([g, ...run(g, RETARGET_INTERVAL - 1, 4, 5_000)]);
  assert.is(chain.bits, 4);
});

test('a block with any difficulty but the required one is rejected, easier or harder', () => {
  const g = retargetingGenesis(2, 5);
  const fast = run(g, RETARGET_INTERVAL - 1, 2, 100);
  const chain = chainOf([g, ...fast]);
  const tip = fast.at(-1)!;
  assert.equal(chain.addBlock(nextBlock(tip, 2, 100), START + 10 ** 9), { status: 'invalid', reason: 'difficulty 2 bits, the network uses 4' });
  assert.equal(chain.addBlock(nextBlock(tip, 5, 100), START + 10 ** 9), { status: 'invalid', reason: 'difficulty 5 bits, the network uses 4' });
  // Inside a window too: the parent's bits, not the genesis's nor the next retarget's.
  const inside = chainOf([g, ...fast.slice(0, 3)]);
  assert.equal(inside.addBlock(nextBlock(fast[2], 3, 100), START + 10 ** 9), { status: 'invalid', reason: 'difficulty 3 bits, the network uses 2' });
  assert.is(chain.addBlock(nextBlock(tip, 4, 100), START + 10 ** 9).status, 'accepted');
  assert.is(chain.height, RETARGET_INTERVAL);
});

test('a retargeting chain refuses version 1 blocks and target intervals outside the genesis', () => {
  const g = retargetingGenesis(2, 5);
  const chain = chainOf([g]);
  assert.equal(chain.addBlock(child(g, MINER), START + 10 ** 9), { status: 'invalid', reason: "block version 1, the network's is 2" });
  const noTarget = mine(blockTemplate({ height: 0, prevHash: ZERO_HASH, bits: 2, txs: [], timestamp: START, version: BLOCK_VERSION_RETARGET }));
  assert.equal(new Chain().addBlock(noTarget, START), { status: 'invalid', reason: 'a version 2 genesis block needs a target interval of 1 to 3600 seconds' });
});

test('the target interval is committed to by proof of work: changing it breaks the genesis hash', () => {
  const g = retargetingGenesis(2, 5);
  const forged: Block = { ...g, header: { ...g.header, targetSeconds: 600 } };
  assert.equal(new Chain().addBlock(forged, START), { status: 'invalid', reason: 'block hash does not match its header' });
});

test('an existing chain (version 1 genesis with fixed bits) still loads and never retargets', () => {
  const g = genesis(3, START);
  const blocks: Block[] = [g];
  // child() spaces blocks one second apart: far off any target, yet the bits stay.
  for (let i = 0; i < 2 * RETARGET_INTERVAL; i++) blocks.push(child(blocks.at(-1)!, MINER));
  const chain = chainOf(blocks);
  assert.is(chain.height, 2 * RETARGET_INTERVAL);
  assert.is(chain.bits, 3);
  assert.is(chain.targetSeconds, null);
});

let nodes: InProcessNode[] = [];
test.after.each(async () => {
  await stopInProcess(nodes);
  nodes = [];
});

test('two nodes agree on the required difficulty, and the syncing node logs the difficulty in force', async () => {
  const g = retargetingGenesis(2, 5);
  // Ten fast blocks, then three at the raised difficulty.
  const chainBlocks = [g, ...run(g, RETARGET_INTERVAL - 1, 2, 100)];
  let tip = chainBlocks.at(-1)!;
  for (let i = 0; i < 3; i++) chainBlocks.push((tip = nextBlock(tip, 4, 100)));
  const seed = await startInProcessNode({ name: 'seed', blocks: chainBlocks });
  nodes.push(seed);
  assert.is(seed.node.chain.height, RETARGET_INTERVAL + 2);
  const peer = await startInProcessNode({ name: 'peer', connect: seed.addr });
  nodes.push(peer);
  await waitUntil('the peer to sync', 20_000, () => peer.node.chain.tip?.block.hash === tip.hash);
  assert.is(peer.node.chain.bits, 4);
  assert.is(seed.node.chain.bits, 4);
  assert.match(peer.logs(), /INFO  difficulty retargeted difficulty_bits=4 previous_bits=2 height=10 block_target_seconds=5/);
});

test('a miner mining far faster than the target raises its own difficulty and logs it', async () => {
  const miner = await startInProcessNode({
    name: 'miner',
    env: { NODE_IS_MINER: 'yes', NODE_MINING_ADDRESS: MINER, NODE_MINING_DUTY_CYCLE: '1', BLOCK_TARGET_SECONDS: '60' },
  });
  nodes.push(miner);
  await waitUntil('a retarget', 20_000, () => miner.node.chain.height >= RETARGET_INTERVAL);
  const chain = miner.node.chain;
  assert.is(chain.targetSeconds, 60);
  assert.is(chain.atHeight(RETARGET_INTERVAL)!.block.header.bits, 1 + MAX_RETARGET_STEP_BITS);
  assert.match(miner.logs(), /created genesis block .*difficulty_bits=1 block_target_seconds=60/);
  assert.match(miner.logs(), /INFO  difficulty retargeted difficulty_bits=3 previous_bits=1 height=10 block_target_seconds=60/);
});

test.run();
