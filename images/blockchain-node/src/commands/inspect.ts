// `blockchain-node inspect [--balance ADDRESS]...`: the chain a node has
// stored, read from its data directory without taking the lock, so it works
// beside the running node (miners serve no HTTP API). Prints one JSON line.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Chain } from '../chain/chain.ts';
import { decodeBlock } from '../chain/decode.ts';
import { BlockLog } from '../store/block-log.ts';

export interface InspectArgs {
  balances: string[];
}

export function parseInspectArgs(argv: string[]): InspectArgs {
  const balances: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--balance' && argv[i + 1]) balances.push(argv[++i]);
    else throw new Error(`unexpected argument "${argv[i]}"`);
  }
  return { balances };
}

export function inspectStore(dataDir: string, args: InspectArgs): { height: number; tip: string | null; blocks: number; balances: Record<string, number> } {
  const path = join(dataDir, 'blocks.log');
  const chain = new Chain();
  const records = existsSync(path) ? BlockLog.readRecords(path) : [];
  for (const r of records) {
    try {
      chain.addBlock(decodeBlock(r));
    } catch {
      /* the running node skipped it too */
    }
  }
  const balances = Object.fromEntries(args.balances.map((a) => [a, chain.ledger.account(a).balance]));
  return { height: chain.height, tip: chain.tip?.block.hash ?? null, blocks: records.length, balances };
}

export function inspect(env: NodeJS.ProcessEnv, argv: string[], out: (line: string) => void = console.log): number {
  const dataDir = resolve(process.cwd(), env.NODE_DATA_DIR?.trim() || 'data');
  out(JSON.stringify(inspectStore(dataDir, parseInspectArgs(argv))));
  return 0;
}
