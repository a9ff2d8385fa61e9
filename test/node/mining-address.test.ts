import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveMiningAddress } from '../../images/blockchain-node/src/wallet/mining-address.ts';
import { WalletFile } from '../../images/blockchain-node/src/wallet/wallet-file.ts';

let dir = '';
test.before.each(() => {
  dir = mkdtempSync(join(tmpdir(), 'mining-address-'));
});
test.after.each(() => rmSync(dir, { recursive: true, force: true }));

const noWallet = () => {
  throw new Error('must not create a wallet');
};

test('NODE_MINING_ADDRESS comes first', () => {
  const r = resolveMiningAddress({ miningAddress: 'explicitaddr01', addressPool: 'pool1aaaaaaa,pool2bbbbbbb', instance: 2, cachePath: join(dir, 'm.txt'), createWallet: noWallet });
  assert.equal(r, { address: 'explicitaddr01', source: 'NODE_MINING_ADDRESS' });
});

test('then WALLET_ADDRESS_POOL entry INSTANCE_NUMBER-1', () => {
  const r = resolveMiningAddress({ addressPool: 'pool1aaaaaaa, pool2bbbbbbb', instance: 2, cachePath: join(dir, 'm.txt'), createWallet: noWallet });
  assert.equal(r, { address: 'pool2bbbbbbb', source: 'WALLET_ADDRESS_POOL' });
});

test('a pool too short for the instance is a clear startup error', () => {
  assert.throws(
    () => resolveMiningAddress({ addressPool: 'pool1aaaaaaa', instance: 3, cachePath: join(dir, 'm.txt'), createWallet: noWallet }),
    /WALLET_ADDRESS_POOL has 1 address\(es\) but this node is instance 3/,
  );
});

test('the placeholder counts as unset, in the variable and in the pool variable', () => {
  writeFileSync(join(dir, 'm.txt'), 'cachedaddress1\n');
  const r = resolveMiningAddress({
    miningAddress: 'your-wallet-address-here',
    addressPool: 'your-wallet-address-here',
    instance: 1,
    cachePath: join(dir, 'm.txt'),
    createWallet: noWallet,
  });
  assert.equal(r, { address: 'cachedaddress1', source: 'cache' });
});

test('without anything, a new wallet is created and its address cached', () => {
  const wallets = new WalletFile(join(dir, 'wallets', 'wallets.dat'));
  const cache = join(dir, 'wallets', 'mining_address.txt');
  const r = resolveMiningAddress({ instance: 1, cachePath: cache, createWallet: () => wallets.create() });
  assert.is(r.source, 'new-wallet');
  assert.is(readFileSync(cache, 'utf8').trim(), r.address);
  assert.ok(new WalletFile(join(dir, 'wallets', 'wallets.dat')).has(r.address), 'the key is persisted in the wallet file');
  const again = resolveMiningAddress({ instance: 1, cachePath: cache, createWallet: noWallet });
  assert.equal(again, { address: r.address, source: 'cache' });
});

test('the wallet file never stores keys readable by others and signs valid transfers', () => {
  const path = join(dir, 'w.dat');
  const wallets = new WalletFile(path);
  const { address } = wallets.create();
  assert.is(statSync(path).mode & 0o077, 0, 'mode 0600');
  const tx = new WalletFile(path).sign(address, { to: 'recipient0000001', amount: 3, nonce: 1 });
  assert.ok(tx);
  assert.is(tx!.from, address);
  assert.is(wallets.sign('unknownaddress01', { to: 'recipient0000001', amount: 3, nonce: 1 }), undefined);
  assert.ok(existsSync(path));
});

test.run();
