import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LineDecoder, OversizeError } from '../../images/blockchain-node/src/p2p/line-decoder.ts';
import { decodeMessage, encodeMessage } from '../../images/blockchain-node/src/p2p/messages.ts';
import { backoffDelay } from '../../images/blockchain-node/src/p2p/backoff.ts';
import { child, genesis } from './helpers/chain-fixtures.ts';

test('line decoder reassembles split messages and keeps partial tails', () => {
  const d = new LineDecoder(100);
  assert.equal(d.push(Buffer.from('{"a":1}\n{"b"')), ['{"a":1}']);
  assert.equal(d.push(Buffer.from(':2}\n\n')), ['{"b":2}', '']);
});

test('line decoder refuses a message over the limit, with or without newline', () => {
  assert.throws(() => new LineDecoder(10).push(Buffer.from('x'.repeat(11))), (e: unknown) => e instanceof OversizeError);
  const d = new LineDecoder(10);
  d.push(Buffer.from('x'.repeat(6)));
  assert.throws(() => d.push(Buffer.from('y'.repeat(6) + '\n')), (e: unknown) => e instanceof OversizeError);
});

test('blocks round-trip through the wire format', () => {
  const g = genesis();
  const b = child(g, 'minerminerminer1');
  const m = decodeMessage(encodeMessage({ type: 'block', block: b }).trim());
  assert.equal(m, { type: 'block', block: b });
});

const malformed: [string, RegExp][] = [
  ['not json', /not JSON/],
  ['[1,2]', /message must be an object/],
  ['{"type":"warp"}', /unknown message type "warp"/],
  ['{"type":"block","block":{"hash":"x","header":{},"txs":[]}}', /header\.version/],
  ['{"type":"get_blocks","locator":["nothex"]}', /locator entries must be block hashes/],
  ['{"type":"hello","version":1,"nodeId":"n","addr":"a:1","height":0,"work":"12abc","tip":null,"genesis":null}', /hello\.work/],
  ['{"type":"tx","tx":{"kind":"coinbase","id":"a","to":"b","amount":1,"height":1}}', /only transfers are relayed/],
];
for (const [line, why] of malformed) {
  test(`malformed message is a DecodeError: ${line.slice(0, 40)}`, () => {
    assert.throws(() => decodeMessage(line), why);
  });
}

test('backoff grows and is capped', () => {
  const mid = () => 0.5;
  assert.is(backoffDelay(0, mid), 500);
  assert.is(backoffDelay(3, mid), 4000);
  assert.is(backoffDelay(50, mid), 30_000);
});

test.run();
