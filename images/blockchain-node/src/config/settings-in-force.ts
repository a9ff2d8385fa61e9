// Settings that were given but cannot apply to this node, each with why: the
// node says so at start instead of quietly ignoring them (a miner-only
// setting on a webserver, a difficulty or block target on a node that takes
// it from the network's genesis block).
import type { NodeConfig } from './node-config.ts';

const MINER_ONLY = ['NODE_MINING_DUTY_CYCLE', 'NODE_MINING_ADDRESS', 'WALLET_ADDRESS_POOL'];
const WEBSERVER_ONLY = ['NODE_HTTP_ADDR', 'RL_SETTINGS_PATH', 'BITCOIN_API_ADMIN_KEY', 'BITCOIN_API_WALLET_KEY'];

export function inapplicableSettings(env: Record<string, string | undefined>, config: NodeConfig): string[] {
  const given = (name: string) => (env[name] ?? '').trim() !== '';
  const out: string[] = [];
  if (given('NODE_DIFFICULTY_BITS') && !config.seed) {
    out.push(`NODE_DIFFICULTY_BITS=${env.NODE_DIFFICULTY_BITS} is ignored: only the seed's value counts; this node takes the difficulty from the genesis block`);
  }
  if (given('BLOCK_TARGET_SECONDS') && !config.seed) {
    out.push(`BLOCK_TARGET_SECONDS=${env.BLOCK_TARGET_SECONDS} is ignored: only the seed's value counts; this node takes the block target from the genesis block`);
  }
  if (config.role !== 'miner') {
    for (const name of MINER_ONLY.filter(given)) out.push(`${name} is ignored: this node is a ${config.role}, not a miner`);
  }
  if (config.role !== 'webserver') {
    // Named, never valued: two of these are API keys.
    for (const name of WEBSERVER_ONLY.filter(given)) out.push(`${name} is ignored: this node is a ${config.role}, not a webserver`);
  }
  return out;
}
