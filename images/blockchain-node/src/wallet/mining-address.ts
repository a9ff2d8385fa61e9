// Where a miner's coinbase goes, in the contract's order: NODE_MINING_ADDRESS;
// entry INSTANCE_NUMBER-1 of WALLET_ADDRESS_POOL; the address cached in
// <wallet dir>/mining_address.txt; a new wallet (whose address is then cached).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { isAddress } from '../chain/transaction.ts';
import { StartupError } from '../config/startup-error.ts';

export const ADDRESS_PLACEHOLDER = 'your-wallet-address-here';

export type MiningAddressSource = 'NODE_MINING_ADDRESS' | 'WALLET_ADDRESS_POOL' | 'cache' | 'new-wallet';

export interface MiningAddressInput {
  miningAddress?: string;
  addressPool?: string;
  instance: number;
  cachePath: string;
  createWallet: () => { address: string };
}

const unsetIfPlaceholder = (v: string | undefined): string | undefined => {
  const t = v?.trim();
  return !t || t === ADDRESS_PLACEHOLDER ? undefined : t;
};

export function resolveMiningAddress(input: MiningAddressInput): { address: string; source: MiningAddressSource } {
  const explicit = unsetIfPlaceholder(input.miningAddress);
  if (explicit) {
    if (!isAddress(explicit)) throw new StartupError(`NODE_MINING_ADDRESS "${explicit}" is not a valid address (8-128 letters or digits)`);
    return { address: explicit, source: 'NODE_MINING_ADDRESS' };
  }
  const pool = unsetIfPlaceholder(input.addressPool);
  if (pool) {
    const entries = pool.split(',').map((s) => s.trim());
    const entry = entries[input.instance - 1];
    if (entries.length < input.instance || !entry) {
      throw new StartupError(
        `WALLET_ADDRESS_POOL has ${entries.length} address(es) but this node is instance ${input.instance}: ` +
          `it needs at least ${input.instance} (entry ${input.instance} is used, counting from 1)`,
      );
    }
    const address = unsetIfPlaceholder(entry);
    if (!address || !isAddress(address)) {
      throw new StartupError(`WALLET_ADDRESS_POOL entry ${input.instance} ("${entry}") is not a valid address`);
    }
    return { address, source: 'WALLET_ADDRESS_POOL' };
  }
  if (existsSync(input.cachePath)) {
    const cached = unsetIfPlaceholder(readFileSync(input.cachePath, 'utf8'));
    if (cached) {
      if (!isAddress(cached)) throw new StartupError(`${input.cachePath} holds "${cached}", which is not a valid address`);
      return { address: cached, source: 'cache' };
    }
  }
  const { address } = input.createWallet();
  mkdirSync(dirname(input.cachePath), { recursive: true });
  writeFileSync(input.cachePath, address + '\n');
  return { address, source: 'new-wallet' };
}
