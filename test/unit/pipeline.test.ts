import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chooseOutputMode, Output } from '../../cli/output.ts';
import { rendererFor, runPipeline, stepNames, type PipelineItem } from '../../cli/pipelines/pipeline.ts';
import { Redactor } from '../../cli/redact.ts';

test('renderer choice: TTY default, CI or pipe plain lines, --json events', () => {
  assert.is(chooseOutputMode({ isTTY: true, env: {} }), 'tty');
  assert.is(chooseOutputMode({ isTTY: true, env: { CI: 'true' } }), 'plain');
  assert.is(chooseOutputMode({ isTTY: true, env: { CI: 'false' } }), 'tty');
  assert.is(chooseOutputMode({ isTTY: false, env: {} }), 'plain');
  assert.is(chooseOutputMode({ isTTY: true, env: { TERM: 'dumb' } }), 'plain');
  assert.is(chooseOutputMode({ isTTY: true, env: {}, json: true }), 'json');
  assert.is(rendererFor('tty'), 'default');
  assert.is(rendererFor('plain'), 'simple');
  assert.is(rendererFor('json'), 'silent');
});

function capture() {
  const out: string[] = [];
  const output = new Output('json', new Redactor({ MY_SECRET: 'hunter2-secret' }), false, { write: (s: string) => out.push(s) }, { write: () => {} });
  return { out, output };
}

test('steps run in order, skip reasons are reported, groups run concurrently', async () => {
  const order: string[] = [];
  const ctx = { n: 0 };
  let concurrentPeak = 0;
  let running = 0;
  const slow = (name: string) => ({
    name,
    run: async () => {
      running++;
      concurrentPeak = Math.max(concurrentPeak, running);
      await new Promise((r) => setTimeout(r, 50));
      order.push(name);
      running--;
    },
  });
  const items: Array<PipelineItem<typeof ctx>> = [
    { name: 'first', run: (c) => { c.n++; order.push('first'); } },
    { name: 'skipped', skip: () => 'nothing to do', run: () => { order.push('skipped'); } },
    { name: 'group', concurrent: true, steps: [slow('a'), slow('b')] },
    { name: 'last', run: (c, io) => { io.report('value hunter2-secret'); order.push(`last:${c.n}`); } },
  ];
  const { out, output } = capture();
  await runPipeline(items, ctx, output);
  assert.equal(order.slice(0, 1), ['first']);
  assert.equal(order.slice(1, 3).sort(), ['a', 'b']);
  assert.is(order[3], 'last:1');
  assert.is(concurrentPeak, 2);
  assert.equal(stepNames(items), ['first', 'skipped', 'a', 'b', 'last']);
  const events = out.map((l) => JSON.parse(l));
  assert.ok(events.some((e) => e.step === 'skipped' && e.status === 'skipped' && e.message === 'nothing to do'));
  assert.ok(events.some((e) => e.step === 'first' && e.status === 'done'));
  const output_ = events.find((e) => e.step === 'last' && e.status === 'output');
  assert.is(output_.message, 'value ***');
});

test('a failing step stops the pipeline and is reported as failed', async () => {
  const ran: string[] = [];
  const items: Array<PipelineItem<object>> = [
    { name: 'boom', run: () => { throw new Error('broken'); } },
    { name: 'after', run: () => { ran.push('after'); } },
  ];
  const { out, output } = capture();
  try {
    await runPipeline(items, {}, output);
    assert.unreachable();
  } catch (e) {
    assert.is((e as Error).message, 'broken');
  }
  assert.equal(ran, []);
  assert.ok(out.map((l) => JSON.parse(l)).some((e) => e.step === 'boom' && e.status === 'failed' && e.message === 'broken'));
});

test('a failing step whose message carries a secret is masked before anything prints it', async () => {
  const { out, output } = capture();
  try {
    await runPipeline([{ name: 'leaky', run: () => { throw new Error('kubectl said hunter2-secret'); } }], {}, output);
    assert.unreachable();
  } catch (e) {
    assert.is((e as Error).message, 'kubectl said ***');
  }
  assert.ok(out.map((l) => JSON.parse(l)).some((e) => e.step === 'leaky' && e.message === 'kubectl said ***'));
  assert.not.ok(out.join('').includes('hunter2-secret'));
});

test.run();
