// Issue 15, defect 2: blocks that cost the sender nothing must cost the node
// little. The network's difficulty is checked before any signature, orphans
// are bounded by bytes, and a peer that sends easy or unconnectable work is
// disconnected.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { templateWithCoinbase, type Block } from '../../images/blockchain-node/src/chain/block.ts';
import { Chain, MAX_ORPHAN_BYTES } from '../../images/blockchain-node/src/chain/chain.ts';
import { genesis, mine, wallet } from './helpers/chain-fixtures.ts';
import { startInProcessNode, stopInProcess, type InProcessNode } from './helpers/in-process-node.ts';
import { P2pClient, waitUntil } from './helpers/node-process.ts';

const NETWORK_BITS = 8;
const spender = wallet();
// 999 valid, self-signed transfers: what makes a block expensive to check.
const transfers = Array.from({ length: 999 }, (_, i) => spender.transfer('recipient000000001', 1, i + 1));

function unconnectedBlock(bits: number, height: number, txs = transfers, salt = 0): Block {
  const t = templateWithCoinbase({ height, prevHash: (salt + 1).toString(16).padStart(64, 'a'), bits, miner: 'cheapminer000001', transfers: txs });
  return mine(t);
}

let node: InProcessNode | undefined;
let client: P2pClient | undefined;
test.after.each(async () => {
  client?.close();
  await stopInProcess([node]);
  node = undefined;
});

async function connectedClient(): Promise<P2pClient> {
  const g = genesis(NETWORK_BITS);
  node = await startInProcessNode({ name: 'target', blocks: [g] });
  return P2pClient.handshake(node.node.network.listenPort);
}

test('a block claiming an easier difficulty is rejected before its signatures, not kept, and its sender disconnected', async () => {
  client = await connectedClient();
  const cheap = unconnectedBlock(1, 5);
  client.send({ type: 'block', block: cheap });
  await waitUntil('the rejection', 5000, () => /block rejected .*reason="difficulty 1 bits, the network uses 8"/.test(node!.logs()));
  assert.is(node!.node.chain.orphanCount, 0, 'not kept as an orphan');
  client.send({ type: 'block', block: unconnectedBlock(1, 6, transfers, 1) });
  await waitUntil('the peer to be disconnected', 5000, () => client!.closed);
  assert.match(node!.logs(), /peer disconnected .*reason="misbehaviour score 100/);
});

test('a stream of blocks that never connect costs the peer its connection', async () => {
  client = await connectedClient();
  for (let i = 0; i < 30 && !client.closed; i++) {
    client.send({ type: 'block', block: unconnectedBlock(NETWORK_BITS, 10 + i, [], i) });
    await new Promise((r) => setTimeout(r, 5));
  }
  await waitUntil('the peer to be disconnected', 5000, () => client!.closed);
  assert.match(node!.logs(), /blocks that do not connect to our chain/);
  assert.ok(node!.node.chain.orphanCount <= 20, `${node!.node.chain.orphanCount} orphans kept`);
});

test('the orphan pool is bounded by bytes, not only by count', () => {
  const chain = new Chain();
  const g = genesis(1);
  chain.addBlock(g);
  const txs = transfers.slice(0, 60);
  let offered = 0;
  for (let i = 0; i < 400; i++) {
    const heavy = unconnectedBlock(1, 2 + i, txs, i);
    assert.is(chain.addBlock(heavy).status, 'orphan');
    offered += JSON.stringify(heavy).length;
  }
  assert.ok(offered > MAX_ORPHAN_BYTES, 'the test offers more than the bound');
  assert.ok(chain.orphanBytes <= MAX_ORPHAN_BYTES, `${chain.orphanBytes} bytes of orphans kept`);
  assert.ok(chain.orphanCount < 400);
});

test.run();
