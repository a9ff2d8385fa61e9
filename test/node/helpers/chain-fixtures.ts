// Builds small valid chains for tests: blocks mined synchronously at a low
// difficulty, wallets as raw key pairs.
import { generateKeyPairSync } from 'node:crypto';
import { blockTemplate, headerHash, templateWithCoinbase, type Block } from '../../../images/blockchain-node/src/chain/block.ts';
import { ZERO_HASH } from '../../../images/blockchain-node/src/chain/hash.ts';
import { meetsDifficulty } from '../../../images/blockchain-node/src/chain/pow.ts';
import { addressFromPublicKey, publicKeyHex, signTransfer, type Transfer } from '../../../images/blockchain-node/src/chain/transaction.ts';

export const TEST_BITS = 6;

export function mine(template: Omit<Block, 'hash'>): Block {
  const header = { ...template.header };
  for (;;) {
    const hash = headerHash(header);
    if (meetsDifficulty(hash, header.bits)) return { hash, header, txs: template.txs };
    header.nonce++;
  }
}

export const genesis = (bits = TEST_BITS, timestamp = 1_700_000_000_000): Block =>
  mine(blockTemplate({ height: 0, prevHash: ZERO_HASH, bits, txs: [], timestamp }));

export function child(parent: Block, miner: string, transfers: Transfer[] = [], salt = 0): Block {
  const t = templateWithCoinbase({
    height: parent.header.height + 1,
    prevHash: parent.hash,
    bits: parent.header.bits,
    miner,
    transfers,
  });
  t.header.timestamp = parent.header.timestamp + 1000 + salt;
  return mine(t);
}

export interface TestWallet {
  address: string;
  privateKey: string;
  transfer(to: string, amount: number, nonce: number): Transfer;
}

export function wallet(): TestWallet {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const pk = privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');
  return {
    address: addressFromPublicKey(publicKeyHex(publicKey)),
    privateKey: pk,
    transfer: (to, amount, nonce) => signTransfer({ to, amount, nonce, timestamp: 1_700_000_000_000 + nonce }, pk),
  };
}
