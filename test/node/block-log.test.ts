import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BlockLog } from '../../images/blockchain-node/src/store/block-log.ts';

let dir = '';
test.before.each(() => {
  dir = mkdtempSync(join(tmpdir(), 'block-log-'));
});
test.after.each(() => rmSync(dir, { recursive: true, force: true }));

function write(path: string, n: number): number {
  const { log } = BlockLog.open(path);
  for (let i = 0; i < n; i++) log.append({ i, pad: 'x'.repeat(50) });
  const size = log.bytes;
  log.close();
  return size;
}

test('records survive close and reopen in order', () => {
  const path = join(dir, 'blocks.log');
  write(path, 3);
  const { log, records, discarded } = BlockLog.open<{ i: number }>(path);
  log.close();
  assert.equal(records.map((r) => r.i), [0, 1, 2]);
  assert.is(discarded, undefined);
});

test('a torn final record is detected, discarded and truncated away', () => {
  const path = join(dir, 'blocks.log');
  const full = write(path, 3);
  truncateSync(path, full - 10);
  const opened = BlockLog.open<{ i: number }>(path);
  assert.equal(opened.records.map((r) => r.i), [0, 1]);
  assert.ok(opened.discarded);
  assert.match(opened.discarded!.reason, /truncated record payload/);
  assert.is(statSync(path).size, opened.discarded!.offset, 'the file ends after the last good record');
  opened.log.append({ i: 9 });
  opened.log.close();
  const again = BlockLog.open<{ i: number }>(path);
  again.log.close();
  assert.equal(again.records.map((r) => r.i), [0, 1, 9], 'appends after recovery are readable');
});

test('a torn record header and a corrupted payload are both caught', () => {
  const path = join(dir, 'blocks.log');
  write(path, 2);
  appendFileSync(path, Buffer.from([0, 0, 0]));
  const a = BlockLog.open(path);
  a.log.close();
  assert.is(a.records.length, 2);
  assert.match(a.discarded!.reason, /truncated record header/);

  const bytes = readFileSync(path);
  bytes[bytes.length - 3] ^= 0xff;
  writeFileSync(path, bytes);
  const b = BlockLog.open(path);
  b.log.close();
  assert.is(b.records.length, 1);
  assert.match(b.discarded!.reason, /checksum mismatch/);
});

test.run();
