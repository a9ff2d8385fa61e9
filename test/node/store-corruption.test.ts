// Issue 15, defect 5: only a torn tail may be cut. A damaged record in the
// middle of the block log is a loud error that keeps the file (and a copy),
// keeps every valid record after it, and lets the node refetch what is
// missing from its peers.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BlockLog } from '../../images/blockchain-node/src/store/block-log.ts';
import type { Block } from '../../images/blockchain-node/src/chain/block.ts';
import { child, genesis } from './helpers/chain-fixtures.ts';
import { blocksPath, startInProcessNode, stopInProcess, writeStore, type InProcessNode } from './helpers/in-process-node.ts';
import { waitUntil } from './helpers/node-process.ts';

let dir = '';
let nodes: InProcessNode[] = [];
test.before.each(() => {
  dir = mkdtempSync(join(tmpdir(), 'store-corrupt-'));
});
test.after.each(async () => {
  await stopInProcess(nodes);
  nodes = [];
  rmSync(dir, { recursive: true, force: true });
});

/** Writes n records and returns the byte offset where each starts. */
function writeRecords(path: string, n: number): number[] {
  const { log } = BlockLog.open(path);
  const starts: number[] = [];
  for (let i = 0; i < n; i++) {
    starts.push(log.bytes);
    log.append({ i, pad: 'x'.repeat(40) });
  }
  log.close();
  return starts;
}

function flip(path: string, offset: number): void {
  const bytes = readFileSync(path);
  bytes[offset] ^= 0x01;
  writeFileSync(path, bytes);
}

test('one flipped byte in record 10 of 1000: the other 999 records are kept and the file is not cut', () => {
  const path = join(dir, 'blocks.log');
  const starts = writeRecords(path, 1000);
  flip(path, starts[10] + 20);
  const size = statSync(path).size;
  const opened = BlockLog.open<{ i: number }>(path);
  opened.log.append({ i: 1000 });
  opened.log.close();
  assert.is(opened.records.length, 999);
  assert.ok(!opened.records.some((r) => r.i === 10));
  assert.is(opened.records.at(-1)!.i, 999);
  assert.is(opened.discarded, undefined, 'nothing cut');
  assert.equal(opened.corrupt?.spans.map((s) => [s.offset, s.bytes, s.reason]), [[starts[10], starts[11] - starts[10], 'checksum mismatch']]);
  assert.ok(statSync(path).size > size, 'the file kept its bytes and took the append');
  assert.ok(existsSync(opened.corrupt!.copy));
  assert.is(statSync(opened.corrupt!.copy).size, size, 'the copy is the file as found');
  const again = BlockLog.open<{ i: number }>(path);
  again.log.close();
  assert.is(again.records.length, 1000, 'the append after the damage reads back');
});

test('a damaged length field in the middle is skipped too; a torn tail after it is still cut', () => {
  const path = join(dir, 'blocks.log');
  const starts = writeRecords(path, 50);
  flip(path, starts[20] + 1);
  const full = statSync(path).size;
  writeFileSync(path, readFileSync(path).subarray(0, full - 7));
  const opened = BlockLog.open<{ i: number }>(path);
  opened.log.close();
  assert.equal(opened.records.map((r) => r.i), [...Array.from({ length: 20 }, (_, i) => i), ...Array.from({ length: 28 }, (_, i) => 21 + i)]);
  assert.is(opened.corrupt?.spans.length, 1);
  assert.match(opened.discarded!.reason, /truncated record payload/);
  assert.is(statSync(path).size, starts[49], 'only the torn last record was cut');
});

test('a node with a damaged store keeps it, says so, and gets the missing block back from a peer', async () => {
  const blocks: Block[] = [genesis(1)];
  for (let i = 0; i < 30; i++) blocks.push(child(blocks.at(-1)!, 'minerminerminer1'));
  const seed = await startInProcessNode({ name: 'seed', blocks });
  nodes.push(seed);
  writeStore(dir, blocks);
  const path = blocksPath(dir);
  const records = BlockLog.readRecords(path).length;
  // Damage the record of block 10: its offset is where block 10's JSON starts, minus the header.
  const at = readFileSync(path).indexOf(Buffer.from(JSON.stringify(blocks[10])));
  flip(path, at + 30);
  const damagedSize = statSync(path).size;
  const node = await startInProcessNode({ name: 'damaged', dir, connect: seed.addr });
  nodes.push(node);
  assert.match(node.logs(), /ERROR block store has damaged records before valid ones/);
  assert.is(node.node.chain.height, 9, 'loaded up to the damage; the rest waits for block 10');
  await waitUntil('the node back at height 30', 15_000, () => node.node.chain.height === 30);
  assert.is(node.node.chain.tip!.block.hash, blocks[30].hash);
  assert.ok(statSync(path).size >= damagedSize, 'nothing was cut');
  assert.is(BlockLog.readRecords(path).length, records, 'the refetched block 10 replaced the damaged one; blocks 11-30 were not written twice');
  assert.ok(existsSync(`${path}.corrupt-at-${at - 8}`));
});

test.run();
