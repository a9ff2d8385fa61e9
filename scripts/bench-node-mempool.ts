// Event-loop time the reference node spends per new block with a full
// mempool (5000 transfers): validating the block (999 of those transfers)
// and bringing the mempool up to the new tip. Run: node --import tsx scripts/bench-node-mempool.ts
import { generateKeyPairSync } from 'node:crypto';
import { blockTemplate, templateWithCoinbase, type Block } from '../images/blockchain-node/src/chain/block.ts';
import { Chain } from '../images/blockchain-node/src/chain/chain.ts';
import { ZERO_HASH } from '../images/blockchain-node/src/chain/hash.ts';
import { Mempool, MAX_MEMPOOL } from '../images/blockchain-node/src/chain/mempool.ts';
import { addressFromPublicKey, publicKeyHex, signTransfer, type Transfer } from '../images/blockchain-node/src/chain/transaction.ts';
import { mine } from '../test/node/helpers/chain-fixtures.ts';

const SENDERS = 100;
const PER_SENDER = MAX_MEMPOOL / SENDERS;

const next = (parent: Block, miner: string, transfers: Transfer[] = []) => {
  const t = templateWithCoinbase({ height: parent.header.height + 1, prevHash: parent.hash, bits: 1, miner, transfers });
  t.header.timestamp = parent.header.timestamp + 1000;
  return mine(t);
};

function setup(): { chain: Chain; mempool: Mempool; tip: Block } {
  const chain = new Chain();
  let tip = mine(blockTemplate({ height: 0, prevHash: ZERO_HASH, bits: 1, txs: [], timestamp: 1_700_000_000_000 }));
  chain.addBlock(tip);
  const keys = Array.from({ length: SENDERS }, () => {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    return { address: addressFromPublicKey(publicKeyHex(publicKey)), pk: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64') };
  });
  // Each sender gets 2 coinbases (100 coins) so it can pay 50 transfers of 1 and still have funds.
  for (const k of keys) for (let i = 0; i < 2; i++) chain.addBlock((tip = next(tip, k.address)));
  const mempool = new Mempool();
  for (let n = 1; n <= PER_SENDER; n++) {
    for (const k of keys) {
      const r = mempool.add(signTransfer({ to: 'recipient000000001', amount: 1, nonce: n, timestamp: 1_700_000_000_000 + n }, k.pk), chain.ledger);
      if (r.status !== 'added') throw new Error(`setup: ${JSON.stringify(r)}`);
    }
  }
  return { chain, mempool, tip };
}

const { chain, mempool, tip: start } = setup();
console.log(`mempool: ${mempool.size} transfers from ${SENDERS} senders`);
let tip = start;
const validate: number[] = [];
const retarget: number[] = [];
// Five blocks of 10 transfers keep the pool near 5000; the last block takes 999.
for (const take of [10, 10, 10, 10, 10, 999]) {
  const block = next(tip, 'benchminer000001', mempool.select(take));
  let t0 = performance.now();
  const outcome = chain.addBlock(block);
  validate.push(performance.now() - t0);
  if (outcome.status !== 'accepted') throw new Error(JSON.stringify(outcome));
  t0 = performance.now();
  for (const change of outcome.tipChanges) mempool.retarget(chain.ledger, change.disconnected, change.connected);
  retarget.push(performance.now() - t0);
  tip = block;
  console.log(`block of ${take} transfers: validate ${validate.at(-1)!.toFixed(0)} ms, mempool update ${retarget.at(-1)!.toFixed(0)} ms, mempool left ${mempool.size}`);
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`median of the 10-transfer blocks: validate ${median(validate.slice(0, 5)).toFixed(1)} ms, mempool update ${median(retarget.slice(0, 5)).toFixed(1)} ms`);
