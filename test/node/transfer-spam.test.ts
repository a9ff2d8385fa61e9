// Issue 15, defect 8: a signed transfer that fails against balances must not
// be free to repeat. The mempool remembers it until the tip moves, and the
// peer that keeps sending such transfers is disconnected.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Chain } from '../../images/blockchain-node/src/chain/chain.ts';
import { Mempool } from '../../images/blockchain-node/src/chain/mempool.ts';
import { child, genesis, wallet } from './helpers/chain-fixtures.ts';
import { startInProcessNode, stopInProcess, type InProcessNode } from './helpers/in-process-node.ts';
import { P2pClient, waitUntil } from './helpers/node-process.ts';

let node: InProcessNode | undefined;
let client: P2pClient | undefined;
test.after(async () => {
  client?.close();
  await stopInProcess([node]);
});

test('2000 copies of an unfundable transfer cost the sender its connection', async () => {
  node = await startInProcessNode({ name: 'target', blocks: [genesis(1)] });
  client = await P2pClient.handshake(node.node.network.listenPort);
  const broke = wallet();
  const tx = broke.transfer('recipient000000001', 5, 1);
  const line = JSON.stringify({ type: 'tx', tx }) + '\n';
  client.sendRaw(line.repeat(2000));
  await waitUntil('the spammer to be disconnected', 10_000, () => client!.closed);
  assert.is(node.node.mempool.size, 0);
  assert.match(node.logs(), /peer disconnected .*reason="misbehaviour score 100 \(transfer [0-9a-f]+ rejected: already rejected at this tip\)"/);
  assert.match(node.logs(), /insufficient balance/);
});

test('a rejected transfer is remembered only until the tip moves', () => {
  const alice = wallet();
  const chain = new Chain();
  const g = genesis(1);
  chain.addBlock(g);
  const mempool = new Mempool();
  const tx = alice.transfer('recipient000000001', 5, 1);
  assert.match((mempool.add(tx, chain.ledger) as { reason: string }).reason, /insufficient balance/);
  assert.equal(mempool.add(tx, chain.ledger), { status: 'rejected', reason: 'already rejected at this tip', cause: 'state' });
  const funding = child(g, alice.address);
  const r = chain.addBlock(funding);
  if (r.status === 'accepted') for (const c of r.tipChanges) mempool.retarget(chain.ledger, c.disconnected, c.connected);
  assert.equal(mempool.add(tx, chain.ledger), { status: 'added' });
});

test.run();
