import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { done, pollUntil, waiting } from '../../cli/adapters/poll.ts';

test('returns the first done value; sleeps between attempts only', async () => {
  const sleeps: number[] = [];
  const r = await pollUntil(async (i) => (i === 3 ? done('ok') : waiting(`not yet ${i}`)), { timeoutMs: 10_000, intervalMs: 500, sleep: async (ms) => void sleeps.push(ms) });
  assert.equal(r, { done: true, value: 'ok' });
  assert.equal(sleeps, [500, 500]);
});

test('an instant sleep cannot spin: at most timeout/interval + 1 attempts, then the last reason', async () => {
  let calls = 0;
  const r = await pollUntil(async (i, attempts) => {
    calls++;
    return waiting(`attempt ${i}/${attempts}`);
  }, { timeoutMs: 3000, intervalMs: 1000, sleep: async () => {} });
  assert.is(calls, 4);
  assert.equal(r, { done: false, last: 'attempt 4/4' });
});

test('a probe that throws is "not yet", with its message', async () => {
  const r = await pollUntil(async () => { throw new Error('connection refused'); }, { timeoutMs: 1000, intervalMs: 1000, sleep: async () => {} });
  assert.equal(r, { done: false, last: 'connection refused' });
});

test('the deadline bounds a slow probe with a real clock', async () => {
  const started = Date.now();
  const r = await pollUntil(async () => { await new Promise((res) => setTimeout(res, 60)); return waiting('slow'); }, { timeoutMs: 100, intervalMs: 10 });
  assert.is(r.done, false);
  assert.ok(Date.now() - started < 1000, `${Date.now() - started} ms`);
});

test.run();
