// `up --k8s` starts `kubectl kustomize` with the preflight and the render
// takes that run: started at once, served to the first render of that
// directory only, and run again when an input changed in between (the keys
// file rewritten) or for any other directory.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { prefetchKustomize } from '../../cli/manifests/render.ts';
import { FakeRunner } from '../helpers/fake-runner.ts';

test('started before anyone asks, served once, then run as usual', async () => {
  let n = 0;
  const runner = new FakeRunner().on((argv) => argv[0] === 'kubectl' && argv[1] === 'kustomize', () => ({ stdout: `render ${++n}` }));
  const render = prefetchKustomize(runner, ['/m']);
  assert.equal(runner.lines, ['kubectl kustomize /m'], 'the run starts at once');
  assert.is(await render('/m/'), 'render 1', 'the same directory, however written');
  assert.is(runner.calls.length, 1, 'served from the run already under way');
  assert.is(await render('/m'), 'render 2', 'a second render runs kubectl again');
  assert.is(await render('/other'), 'render 3');
});

test('an input changed since the start: rendered again; a failed run nobody asks for is not an unhandled rejection', async () => {
  let n = 0;
  const runner = new FakeRunner().on((argv) => argv[1] === 'kustomize' && argv[2] === '/m', () => ({ stdout: `render ${++n}` }));
  let valid = true;
  const render = prefetchKustomize(runner, ['/m'], () => valid);
  valid = false;
  assert.is(await render('/m'), 'render 2');
  const failing = new FakeRunner().on((argv) => argv[1] === 'kustomize', { exitCode: 1, stderr: 'Error: bad kustomization' });
  prefetchKustomize(failing, ['/broken']);
  await new Promise((r) => setTimeout(r, 20));
});

test.run();
