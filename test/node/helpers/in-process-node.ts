// Runs a BlockchainNode inside the test process on loopback port 0: no
// bundle, no child process, so a test can preload its store, look at its
// chain directly and read its log lines.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Block } from '../../../images/blockchain-node/src/chain/block.ts';
import { loadConfig, type NodeConfig } from '../../../images/blockchain-node/src/config/node-config.ts';
import { createLogger } from '../../../images/blockchain-node/src/log.ts';
import { BlockchainNode, type NodeDeps } from '../../../images/blockchain-node/src/node.ts';
import { BlockLog } from '../../../images/blockchain-node/src/store/block-log.ts';

export interface InProcessNode {
  node: BlockchainNode;
  /** host:port other nodes dial. */
  addr: string;
  dir: string;
  lines: string[];
  logs(): string;
  stop(): Promise<void>;
}

export interface InProcessOptions {
  name: string;
  /** NODE_CONNECT_NODES; default `local` (a seed). */
  connect?: string;
  /** Written to the store before start (genesis first). */
  blocks?: readonly Block[];
  dir?: string;
  env?: Record<string, string>;
  deps?: NodeDeps;
}

export function blocksPath(dir: string): string {
  return join(dir, 'data', 'blocks.log');
}

export function writeStore(dir: string, blocks: readonly Block[]): void {
  mkdirSync(join(dir, 'data'), { recursive: true });
  const { log } = BlockLog.open(blocksPath(dir));
  for (const b of blocks) log.append(b);
  log.close();
}

export function inProcessConfig(dir: string, o: InProcessOptions): NodeConfig {
  return loadConfig({
    env: {
      NODE_IS_MINER: 'no',
      NODE_IS_WEB_SERVER: 'no',
      NODE_ADDR: '127.0.0.1:0',
      NODE_CONNECT_NODES: o.connect ?? 'local',
      NODE_DATA_DIR: join(dir, 'data'),
      WALLET_FILE: join(dir, 'wallets', 'wallets.dat'),
      NODE_DIFFICULTY_BITS: '1',
      LOG_LEVEL: 'debug',
      ...o.env,
    },
    hostname: o.name,
    interfaceAddresses: [],
    cwd: dir,
  });
}

export async function startInProcessNode(o: InProcessOptions): Promise<InProcessNode> {
  const dir = o.dir ?? mkdtempSync(join(tmpdir(), `inproc-${o.name}-`));
  if (o.blocks) writeStore(dir, o.blocks);
  const lines: string[] = [];
  const log = createLogger('debug', (l) => lines.push(l));
  const node = await BlockchainNode.start(inProcessConfig(dir, o), log, o.deps);
  return {
    node,
    addr: `127.0.0.1:${node.network.listenPort}`,
    dir,
    lines,
    logs: () => lines.join('\n'),
    stop: () => node.stop(),
  };
}

export async function stopInProcess(nodes: (InProcessNode | undefined)[], removeDirs = true): Promise<void> {
  await Promise.all(nodes.map((n) => n?.stop()));
  if (removeDirs) for (const n of nodes) if (n) rmSync(n.dir, { recursive: true, force: true });
}
