// Issue 15, defect 4: a failed write (a full disk) must not corrupt the
// store. The block is written before it is accepted; a partial record is cut
// off again; the node stops accepting blocks and says why.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { ftruncateSync, mkdtempSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BlockLog, type FileIo } from '../../images/blockchain-node/src/store/block-log.ts';
import type { Block } from '../../images/blockchain-node/src/chain/block.ts';
import { child, genesis } from './helpers/chain-fixtures.ts';
import { blocksPath, startInProcessNode, stopInProcess, writeStore, type InProcessNode } from './helpers/in-process-node.ts';
import { skipIf } from '../helpers/skip.ts';

/** Real writes for the first `okAppends` records; then half a record reaches the disk and it is full. */
function diskFullAfter(okAppends: number): FileIo & { appends: number } {
  let writes = 0;
  let full = false;
  const io = {
    appends: 0,
    writeSync(fd: number, buffer: Buffer, offset: number): number {
      if (offset === 0) io.appends = ++writes;
      if (full || io.appends > okAppends) {
        if (!full) {
          full = true;
          return writeSync(fd, buffer, offset, Math.ceil((buffer.length - offset) / 2));
        }
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      }
      return writeSync(fd, buffer, offset);
    },
    fsyncSync: () => {},
    // Freeing space (a truncate) works on a full disk.
    ftruncateSync: (fd: number, length: number) => ftruncateSync(fd, length),
  };
  return io;
}

let dir = '';
let node: InProcessNode | undefined;
test.before.each(() => {
  dir = mkdtempSync(join(tmpdir(), 'store-fail-'));
});
test.after.each(async () => {
  await stopInProcess([node], false);
  node = undefined;
  rmSync(dir, { recursive: true, force: true });
});

test('a short write followed by ENOSPC leaves the log ending after the last good record', () => {
  const path = join(dir, 'blocks.log');
  const { log } = BlockLog.open(path, diskFullAfter(3));
  for (let i = 0; i < 3; i++) log.append({ i, pad: 'x'.repeat(100) });
  const good = log.bytes;
  assert.throws(() => log.append({ i: 3, pad: 'x'.repeat(100) }), /ENOSPC/);
  assert.is(statSync(path).size, good, 'the partial record was cut off');
  assert.throws(() => log.append({ i: 4 }), /ENOSPC/, 'still full');
  log.close();
  const reopened = BlockLog.open<{ i: number }>(path);
  reopened.log.close();
  assert.equal(reopened.records.map((r) => r.i), [0, 1, 2]);
  assert.is(reopened.discarded, undefined, 'no torn tail to discard');
});

test('a node whose store fails stops accepting blocks, says why, and restarts with every block it accepted', async () => {
  const blocks: Block[] = [genesis(1)];
  for (let i = 0; i < 7; i++) blocks.push(child(blocks.at(-1)!, 'minerminerminer1'));
  // The store holds genesis and 1..3; then the disk fills up.
  node = await startInProcessNode({ name: 'full', dir, blocks: blocks.slice(0, 4), deps: { blockLogIo: diskFullAfter(0) } });
  assert.is(node.node.chain.height, 3);
  const outcomes = blocks.slice(4).map((b) => node!.node.submitBlock(b, 'test').status);
  assert.equal(outcomes, ['unstored', 'unstored', 'unstored', 'unstored']);
  assert.is(node.node.chain.height, 3, 'blocks the store did not take were not accepted');
  assert.is(node.node.ready, false);
  assert.match(node.node.storeError ?? '', /block store write failed: ENOSPC/);
  assert.match(node.logs(), /ERROR block store write failed: no more blocks are accepted/);
  await node.stop();

  node = await startInProcessNode({ name: 'restarted', dir });
  assert.is(node.node.chain.height, 3);
  assert.not.match(node.logs(), /discarded a torn record/);
  for (const b of blocks.slice(4)) assert.is(node.node.submitBlock(b, 'test').status, 'accepted');
  assert.is(node.node.chain.height, 7);
  assert.ok(statSync(blocksPath(dir)).size > 0);
});

const submitter = fileURLToPath(new URL('./helpers/submit-blocks.ts', import.meta.url));
const hasPrlimit = spawnSync('prlimit', ['--version'], { stdio: 'ignore' }).status === 0;

/** Runs a node process on `dir` that submits `blocks`, under a file-size limit when given. */
function submitInProcess(blocks: Block[], fsizeLimit?: number): { outcomes: string[]; height: number; storeError: string | null } {
  const file = join(dir, 'submit.json');
  writeFileSync(file, JSON.stringify(blocks));
  const node = [process.execPath, '--import', 'tsx', submitter, dir, file];
  const [cmd, ...args] = fsizeLimit === undefined ? node : ['prlimit', `--fsize=${fsizeLimit}`, ...node];
  return JSON.parse(execFileSync(cmd, args, { encoding: 'utf8', timeout: 60_000 }).trim().split('\n').at(-1)!);
}

skipIf(hasPrlimit ? false : 'prlimit is not installed')('a real short write and EFBIG (prlimit --fsize): the height in memory is the height after a restart', () => {
  const blocks: Block[] = [genesis(1)];
  for (let i = 0; i < 7; i++) blocks.push(child(blocks.at(-1)!, 'minerminerminer1'));
  writeStore(dir, blocks.slice(0, 4));
  const size = statSync(blocksPath(dir)).size;
  // Room for half of the next record: the first append is cut short, then EFBIG.
  const limited = submitInProcess(blocks.slice(4), size + Math.floor(JSON.stringify(blocks[4]).length / 2));
  assert.equal(limited.outcomes, ['unstored', 'unstored', 'unstored', 'unstored']);
  assert.match(limited.storeError ?? '', /EFBIG/);
  assert.is(statSync(blocksPath(dir)).size, size, 'the short write was cut off');
  const restarted = submitInProcess([]);
  assert.is(restarted.height, limited.height, 'the restart has what the node had accepted');
  assert.is(restarted.height, 3);
});

test.run();
