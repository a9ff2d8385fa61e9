// Issue 15, defect 3: a new tip must cost the mempool only what it touches.
// Mined transfers leave, transfers the tip invalidates are dropped, the rest
// stay, and no signature is verified twice.
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Chain } from '../../images/blockchain-node/src/chain/chain.ts';
import { Mempool } from '../../images/blockchain-node/src/chain/mempool.ts';
import type { Block } from '../../images/blockchain-node/src/chain/block.ts';
import { child, genesis, wallet } from './helpers/chain-fixtures.ts';

const MINER = 'minerminerminer1';

// Counts every ed25519 verification the node runs: the ESM binding of
// node:crypto's verify follows the CommonJS export once synced.
const crypto = createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto');
const realVerify = crypto.verify;
let verifications = 0;
crypto.verify = ((...args: Parameters<typeof realVerify>) => {
  verifications++;
  return realVerify(...args);
}) as typeof realVerify;
syncBuiltinESMExports();
const TO = 'recipient000000001';

function funded() {
  const alice = wallet();
  const bob = wallet();
  const chain = new Chain();
  let tip = genesis(1);
  chain.addBlock(tip);
  for (const w of [alice, bob, alice, bob]) chain.addBlock((tip = child(tip, w.address)));
  return { alice, bob, chain, tip };
}

function apply(chain: Chain, mempool: Mempool, block: Block): void {
  const outcome = chain.addBlock(block);
  assert.is(outcome.status, 'accepted', outcome.status === 'invalid' ? outcome.reason : outcome.status);
  if (outcome.status === 'accepted') for (const c of outcome.tipChanges) mempool.retarget(chain.ledger, c.disconnected, c.connected);
}

test('a new block removes what it mined, drops what it invalidates, keeps the rest, and verifies only unseen signatures', () => {
  const { alice, bob, chain, tip } = funded();
  const mempool = new Mempool();
  const pooled = [alice.transfer(TO, 10, 1), alice.transfer(TO, 10, 2), alice.transfer(TO, 10, 3), bob.transfer(TO, 5, 1), bob.transfer(TO, 5, 2)];
  for (const tx of pooled) assert.is(mempool.add(tx, chain.ledger).status, 'added');
  // Bob spends nonce 1 elsewhere: his pooled nonces 1 and 2 no longer follow.
  const bobElsewhere = bob.transfer('elsewhere00000001', 99, 1);
  const before = verifications;
  apply(chain, mempool, child(tip, MINER, [pooled[0], bobElsewhere]));
  assert.is(verifications - before, 1, 'only the transfer never seen before was verified');
  assert.equal(mempool.list().map((t) => t.id), [pooled[1].id, pooled[2].id]);
  assert.equal(mempool.pendingAccount(alice.address, chain.ledger), { balance: 100 - 30, nonce: 3 });
  assert.equal(mempool.pendingAccount(bob.address, chain.ledger), { balance: 1, nonce: 1 });
  // What is left is still minable in select() order.
  apply(chain, mempool, child(chain.tip!.block, MINER, mempool.select(10)));
  assert.is(mempool.size, 0);
  assert.is(chain.ledger.account(TO).balance, 30);
});

test('a reorg returns the abandoned transfers without verifying their signatures again', () => {
  const { alice, chain, tip } = funded();
  const mempool = new Mempool();
  const pay = [alice.transfer(TO, 10, 1), alice.transfer(TO, 10, 2)];
  for (const tx of pay) mempool.add(tx, chain.ledger);
  apply(chain, mempool, child(tip, MINER, [pay[0]]));
  assert.equal(mempool.list().map((t) => t.id), [pay[1].id]);
  const before = verifications;
  const other = child(tip, 'otherminer000001', [], 7);
  apply(chain, mempool, other);
  apply(chain, mempool, child(chain.entry(other.hash)!.block, 'otherminer000001'));
  assert.is(chain.ledger.account(TO).balance, 0, 'the payment was reorganised away');
  assert.equal(mempool.list().map((t) => t.id), [pay[0].id, pay[1].id], 'both transfers are pending again, in nonce order');
  assert.is(verifications - before, 0);
});

test.run();
