// Starts a node in this process on an existing data directory, submits the
// blocks in a JSON file one by one, and prints one JSON line: each outcome,
// the height in memory and the store error. Run under `prlimit --fsize` it
// meets a real short write and EFBIG, as on a full disk.
import { readFileSync } from 'node:fs';
import type { Block } from '../../../images/blockchain-node/src/chain/block.ts';
import { startInProcessNode } from './in-process-node.ts';

const [dir, blocksFile] = process.argv.slice(2);
const blocks = JSON.parse(readFileSync(blocksFile, 'utf8')) as Block[];
const n = await startInProcessNode({ name: 'submitter', dir });
const outcomes: string[] = [];
for (const b of blocks) {
  try {
    outcomes.push(n.node.submitBlock(b, 'test').status);
  } catch (err) {
    outcomes.push(`threw ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}
console.log(JSON.stringify({ outcomes, height: n.node.chain.height, storeError: n.node.storeError ?? null }));
await n.stop();
