// Issue 15, defect 7: untrusted timestamps. A transfer or block from far in
// the future, or a block older than its parent, is refused; and the API
// views never answer 500 because of a timestamp already stored.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { signTransfer } from '../../images/blockchain-node/src/chain/transaction.ts';
import { templateWithCoinbase, type Block } from '../../images/blockchain-node/src/chain/block.ts';
import { ApiServer, noRateLimiter } from '../../images/blockchain-node/src/http/api-server.ts';
import { blockView, txView } from '../../images/blockchain-node/src/http/views.ts';
import { Chain } from '../../images/blockchain-node/src/chain/chain.ts';
import { child, genesis, mine, wallet } from './helpers/chain-fixtures.ts';
import { startInProcessNode, stopInProcess, type InProcessNode } from './helpers/in-process-node.ts';
import { api } from './helpers/node-process.ts';

const FAR_FUTURE = 9e15;
const alice = wallet();
let node: InProcessNode | undefined;
let server: ApiServer | undefined;

test.after(async () => {
  await server?.stop();
  await stopInProcess([node]);
});

test('a transfer timestamped 9e15 ms is refused, and the mempool and latest-block views keep answering 200', async () => {
  const g = genesis(1);
  const funded = child(g, alice.address);
  node = await startInProcessNode({ name: 'web', blocks: [g, funded] });
  server = new ApiServer(node.node, {}, noRateLimiter, node.node.log);
  await server.start({ host: '127.0.0.1', port: 0 });
  const future = signTransfer({ to: 'recipient000000001', amount: 1, nonce: 1, timestamp: FAR_FUTURE }, alice.privateKey);
  const r = node.node.submitTx(future, 'test');
  assert.equal(r, { status: 'rejected', reason: 'timestamp too far in the future', cause: 'invalid' });
  const now = signTransfer({ to: 'recipient000000001', amount: 1, nonce: 1 }, alice.privateKey);
  assert.is(node.node.submitTx(now, 'test').status, 'added');
  const mempool = await api(server.port, '/api/v1/transactions/mempool');
  assert.is(mempool.status, 200);
  assert.is(mempool.body.data.transactions[0].timestamp, new Date(now.timestamp).toISOString());
  assert.is((await api(server.port, '/api/v1/blockchain/blocks/latest')).status, 200);
  assert.is((await api(server.port, `/api/v1/blockchain/blocks/${funded.hash}`)).status, 200);
});

test('a block carrying a far-future transfer, or timestamped before its parent, is refused', () => {
  const chain = new Chain();
  const g = genesis(1);
  const funded = child(g, alice.address);
  chain.addBlock(g);
  chain.addBlock(funded);
  const future = signTransfer({ to: 'recipient000000001', amount: 1, nonce: 1, timestamp: FAR_FUTURE }, alice.privateKey);
  const carrying = child(funded, 'minerminerminer1', [future]);
  const r = chain.addBlock(carrying);
  assert.is(r.status, 'invalid');
  assert.match(r.status === 'invalid' ? r.reason : '', /timestamp too far in the future/);
  const t = templateWithCoinbase({ height: 2, prevHash: funded.hash, bits: 1, miner: 'minerminerminer1', transfers: [] });
  t.header.timestamp = funded.header.timestamp - 1;
  const older: Block = mine(t);
  const o = chain.addBlock(older);
  assert.equal(o, { status: 'invalid', reason: 'block timestamp is not after its parent' });
  const later = templateWithCoinbase({ height: 2, prevHash: funded.hash, bits: 1, miner: 'minerminerminer1', transfers: [], parentTimestamp: Date.now() + 60_000 });
  assert.ok(later.header.timestamp > Date.now(), 'a template follows a parent whose clock is ahead');
  assert.is(chain.addBlock(mine(later)).status, 'accepted');
});

test('views render a stored out-of-range timestamp as null instead of throwing', () => {
  const g = genesis(1);
  const odd = { ...child(g, alice.address), header: { ...child(g, alice.address).header, timestamp: FAR_FUTURE } };
  const tx = { ...alice.transfer('recipient000000001', 1, 1), timestamp: FAR_FUTURE };
  assert.is(txView(tx).timestamp, null);
  const chain = new Chain();
  chain.addBlock(g);
  assert.is(blockView({ ...odd, txs: [odd.txs[0], tx] }, chain).timestamp, null);
});

test.run();
