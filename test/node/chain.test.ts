import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkBlock, headerHash } from '../../images/blockchain-node/src/chain/block.ts';
import { Chain } from '../../images/blockchain-node/src/chain/chain.ts';
import { Mempool } from '../../images/blockchain-node/src/chain/mempool.ts';
import { leadingZeroBits, digestMeetsDifficulty } from '../../images/blockchain-node/src/chain/pow.ts';
import { checkTransaction, BLOCK_REWARD } from '../../images/blockchain-node/src/chain/transaction.ts';
import { child, genesis, mine, wallet } from './helpers/chain-fixtures.ts';

const MINER = 'minerminerminer1';

test('leading zero bits are counted from the hash and the raw digest alike', () => {
  assert.is(leadingZeroBits('0f' + 'f'.repeat(62)), 4);
  assert.is(leadingZeroBits('00' + '1' + 'f'.repeat(61)), 11);
  const digest = Buffer.from('001f' + 'f'.repeat(60), 'hex');
  assert.ok(digestMeetsDifficulty(digest, 11));
  assert.not.ok(digestMeetsDifficulty(digest, 12));
});

test('a mined block validates; tampering with any part is rejected', () => {
  const g = genesis();
  const b = child(g, MINER);
  assert.is(checkBlock(b), null);
  assert.match(checkBlock({ ...b, header: { ...b.header, nonce: b.header.nonce + 1 } })!, /hash does not match/);
  const rehashed = { ...b.header, timestamp: b.header.timestamp + 1 };
  assert.match(checkBlock({ ...b, header: rehashed, hash: headerHash(rehashed) }) ?? 'insufficient proof of work', /proof of work|^null$/);
  const stolenCoinbase = { ...b.txs[0], to: 'thiefthiefthief1' };
  assert.match(checkBlock({ ...b, txs: [stolenCoinbase] })!, /coinbase id does not match/);
  const inflated = mine({ header: { ...b.header, nonce: 0 }, txs: [{ ...b.txs[0], amount: 1000 }] });
  assert.match(checkBlock(inflated)!, /merkle root|coinbase/);
});

test('proof of work below the difficulty is rejected', () => {
  const g = genesis(6);
  // Find a header hash that fails 6 bits but is otherwise consistent.
  let header = { ...g.header, nonce: 0 };
  while (leadingZeroBits(headerHash(header)) >= 6) header = { ...header, nonce: header.nonce + 1 };
  assert.is(checkBlock({ ...g, header, hash: headerHash(header) }), 'insufficient proof of work');
});

test('bad signatures and forged senders are rejected', () => {
  const alice = wallet();
  const bob = wallet();
  const tx = alice.transfer(bob.address, 5, 1);
  assert.is(checkTransaction(tx), null);
  const flipped = tx.signature.slice(0, -2) + (tx.signature.endsWith('00') ? '01' : '00');
  assert.is(checkTransaction({ ...tx, signature: flipped }), 'bad signature');
  assert.match(checkTransaction({ ...tx, amount: 6 })!, /id does not match/);
  assert.match(checkTransaction({ ...tx, from: bob.address })!, /does not match the public key/);
  const g = genesis();
  const b = child(g, MINER, [tx]);
  const forged = { ...b.txs[1], signature: flipped };
  const tampered = mine({ header: { ...b.header, nonce: 0 }, txs: [b.txs[0], forged] });
  assert.match(checkBlock(tampered)!, /bad signature/);
});

test('the chain follows the most work and reorgs; balances and mempool follow', () => {
  const alice = wallet();
  const bob = wallet();
  const chain = new Chain();
  const mempool = new Mempool();
  const g = genesis();
  assert.is(chain.addBlock(g).status, 'accepted');
  const a1 = child(g, alice.address);
  chain.addBlock(a1);
  const pay = alice.transfer(bob.address, 20, 1);
  assert.equal(mempool.add(pay, chain.ledger), { status: 'added' });
  const a2 = child(a1, MINER, [pay]);
  chain.addBlock(a2);
  mempool.retarget(chain.ledger, []);
  assert.is(mempool.size, 0, 'mined transfer leaves the mempool');
  assert.is(chain.ledger.account(bob.address).balance, 20);
  assert.is(chain.height, 2);

  // A competing branch from a1 that is longer: b2, b3 (without the payment).
  const b2 = child(a1, 'otherminer000001', [], 7);
  const side = chain.addBlock(b2);
  assert.is(side.status, 'accepted');
  if (side.status === 'accepted') for (const c of side.tipChanges) mempool.retarget(chain.ledger, c.disconnected);
  assert.is(chain.tip!.block.hash, [a2, b2].sort((x, y) => (x.hash < y.hash ? -1 : 1))[0].hash, 'equal work: lower hash wins');
  const b3 = child(b2, 'otherminer000001');
  const reorg = chain.addBlock(b3);
  assert.is(reorg.status, 'accepted');
  assert.is(chain.tip!.block.hash, b3.hash);
  assert.is(chain.height, 3);
  assert.ok(!chain.isOnBestChain(a2.hash));
  assert.is(chain.ledger.account(bob.address).balance, 0, 'payment undone by the reorg');
  assert.is(chain.ledger.account(alice.address).balance, BLOCK_REWARD);
  if (reorg.status === 'accepted') for (const c of reorg.tipChanges) mempool.retarget(chain.ledger, c.disconnected);
  assert.ok(mempool.has(pay.id), 'the reorged-out transfer is back in the mempool');
});

test('orphans connect when their parent arrives', () => {
  const chain = new Chain();
  const g = genesis();
  const b1 = child(g, MINER);
  const b2 = child(b1, MINER);
  chain.addBlock(g);
  assert.is(chain.addBlock(b2).status, 'orphan');
  const r = chain.addBlock(b1);
  assert.is(r.status, 'accepted');
  if (r.status === 'accepted') assert.equal(r.accepted.map((b) => b.hash), [b1.hash, b2.hash]);
  assert.is(chain.height, 2);
});

test('double spends are refused by the mempool and by block validation', () => {
  const alice = wallet();
  const chain = new Chain();
  const g = genesis();
  chain.addBlock(g);
  const a1 = child(g, alice.address);
  chain.addBlock(a1);
  const mempool = new Mempool();
  const first = alice.transfer('recipient0000001', 30, 1);
  const again = alice.transfer('recipient0000002', 30, 1);
  const tooMuch = alice.transfer('recipient0000002', 30, 2);
  assert.equal(mempool.add(first, chain.ledger), { status: 'added' });
  assert.is(mempool.add(again, chain.ledger).status, 'rejected');
  assert.is(mempool.add(tooMuch, chain.ledger).status, 'rejected');
  const bad = child(a1, MINER, [first, again]);
  const r = chain.addBlock(bad);
  assert.is(r.status, 'invalid');
  assert.is(chain.tip!.block.hash, a1.hash);
  // A child of the invalid block is invalid too.
  assert.is(chain.addBlock(child(bad, MINER)).status, 'invalid');
});

test('blocks with another difficulty or wrong height do not connect', () => {
  const chain = new Chain();
  const g = genesis(6);
  chain.addBlock(g);
  const easier = mine({ header: { ...child(g, MINER).header, bits: 2, nonce: 0 }, txs: child(g, MINER).txs });
  const r = chain.addBlock(easier);
  assert.is(r.status, 'invalid');
  assert.is(chain.addBlock(genesis(6, 1_700_000_000_001)).status, 'invalid', 'a second genesis is refused');
});

test('locator and blocksAfter find where two chains diverge', () => {
  const chain = new Chain();
  let b = genesis();
  chain.addBlock(b);
  const all = [b];
  for (let i = 0; i < 30; i++) {
    b = child(b, MINER);
    chain.addBlock(b);
    all.push(b);
  }
  const loc = chain.locator();
  assert.is(loc[0], all[30].hash);
  assert.is(loc.at(-1), all[0].hash);
  assert.equal(chain.blocksAfter([all[25].hash], 100).map((x) => x.header.height), [26, 27, 28, 29, 30]);
  assert.is(chain.blocksAfter(['f'.repeat(64)], 2)[0].header.height, 0, 'unknown locator: from genesis');
});

test.run();
