// What hostile peers cost the reference node, measured in one process:
//   1. event-loop time of a block with an unknown parent that claims 1-bit
//      difficulty on an 8-bit network and carries 999 valid transfers;
//   2. resident memory while 20 peers ask for blocks and never read.
// Run: node --import tsx scripts/bench-node-hostile-peers.ts
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { blockTemplate, templateWithCoinbase, type Block } from '../images/blockchain-node/src/chain/block.ts';
import { Chain } from '../images/blockchain-node/src/chain/chain.ts';
import { ZERO_HASH } from '../images/blockchain-node/src/chain/hash.ts';
import { signTransfer } from '../images/blockchain-node/src/chain/transaction.ts';
import { loadConfig } from '../images/blockchain-node/src/config/node-config.ts';
import { createLogger } from '../images/blockchain-node/src/log.ts';
import { BlockchainNode } from '../images/blockchain-node/src/node.ts';
import { BlockLog } from '../images/blockchain-node/src/store/block-log.ts';
import { mine } from '../test/node/helpers/chain-fixtures.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

function cheapBlocks(): void {
  const chain = new Chain();
  chain.addBlock(mine(blockTemplate({ height: 0, prevHash: ZERO_HASH, bits: 8, txs: [], timestamp: 1_700_000_000_000 })));
  const key = generateKeyPairSync('ed25519').privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');
  const times: number[] = [];
  for (let round = 0; round < 3; round++) {
    const transfers = Array.from({ length: 999 }, (_, i) => signTransfer({ to: 'recipient000000001', amount: 1, nonce: round * 1000 + i + 1, timestamp: 1_700_000_000_000 }, key));
    const cheap = mine(templateWithCoinbase({ height: 5, prevHash: String(round).padStart(64, 'a'), bits: 1, miner: 'cheapminer000001', transfers }));
    const t0 = performance.now();
    const outcome = chain.addBlock(cheap);
    times.push(performance.now() - t0);
    if (round === 0) console.log(`cheap block: ${outcome.status}${outcome.status === 'invalid' ? ` (${outcome.reason})` : ''}`);
  }
  console.log(`cheap block, event-loop time per block: ${times.map((t) => t.toFixed(1)).join(' / ')} ms`);
}

async function slowReaders(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-readers-'));
  const { log: store } = BlockLog.open(join(dir, 'blocks.log'));
  let tip = mine(blockTemplate({ height: 0, prevHash: ZERO_HASH, bits: 1, txs: [], timestamp: 1_700_000_000_000 }));
  const genesisHash = tip.hash;
  store.append(tip);
  for (let i = 0; i < 200; i++) {
    const t = templateWithCoinbase({ height: i + 1, prevHash: tip.hash, bits: 1, miner: 'minerminerminer1', transfers: [] });
    t.header.timestamp = tip.header.timestamp + 1000;
    store.append((tip = mine(t)));
  }
  store.close();
  const config = loadConfig({
    env: { NODE_IS_MINER: 'no', NODE_IS_WEB_SERVER: 'no', NODE_ADDR: '127.0.0.1:0', NODE_DATA_DIR: dir, WALLET_FILE: join(dir, 'w', 'wallets.dat') },
    hostname: 'bench',
    interfaceAddresses: [],
    cwd: dir,
  });
  const node = await BlockchainNode.start(config, createLogger('error'));
  const before = process.memoryUsage().rss;
  const sockets: Socket[] = [];
  const ask = JSON.stringify({ type: 'get_blocks', locator: [genesisHash] }) + '\n';
  const hello = JSON.stringify({ type: 'hello', version: 1, nodeId: '', addr: '127.0.0.1:1', height: -1, work: '0', tip: null, genesis: null });
  for (let i = 0; i < 20; i++) {
    const s = createConnection({ host: '127.0.0.1', port: node.network.listenPort });
    await new Promise((r) => s.once('connect', r));
    s.on('error', () => {});
    s.pause();
    s.write(hello.replace('"nodeId":""', `"nodeId":"reader${i}"`) + '\n' + ask.repeat(300));
    sockets.push(s);
  }
  let peak = before;
  for (let i = 0; i < 40; i++) {
    await sleep(250);
    peak = Math.max(peak, process.memoryUsage().rss);
  }
  console.log(`20 peers asking for 300 batches each (~80 kB) and never reading: RSS ${mb(before)} before, peak ${mb(peak)} (+${mb(peak - before)}), peers still connected ${node.network.peerCount}`);
  for (const s of sockets) s.destroy();
  await node.stop();
  rmSync(dir, { recursive: true, force: true });
}

cheapBlocks();
await slowReaders();
