// DEVENV_TIMINGS=1 (what `npm run bench` sets): the CLI prints where its time
// went as one JSON line on stderr at exit, with the marks and spans of the
// run, and changes nothing else; without it nothing is printed.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from '../helpers/cli.ts';

// One manifest file: read like `kubectl apply -f`, no kubectl, no cluster;
// never from validate's cache, so every phase runs.
const ARGS = ['validate', '--json', '--no-cache', '--manifests', 'manifests/redis.yaml'];

test('DEVENV_TIMINGS=1: one devenv-timings line with the phases of the run, the same stdout', async () => {
  const plain = await runCli(ARGS, { env: { DEVENV_TIMINGS: undefined } });
  const timed = await runCli(ARGS, { env: { DEVENV_TIMINGS: '1' } });
  assert.is(timed.exitCode, plain.exitCode);
  assert.is(timed.stdout, plain.stdout);
  assert.not.match(plain.stderr, /devenv-timings/);
  const lines = timed.stderr.split('\n').filter((l) => l.startsWith('devenv-timings '));
  assert.is(lines.length, 1, timed.stderr);
  const t = JSON.parse(lines[0].slice('devenv-timings '.length)) as { entries: Array<{ name: string; start: number; duration: number }>; now: number; cpu: number };
  const names = new Set(t.entries.map((e) => e.name));
  for (const n of ['main', 'command', 'context', 'modules', 'parse', 'schemas', 'rules', 'report']) assert.ok(names.has(n), `${n} in ${[...names].join(', ')}`);
  const at = (n: string) => t.entries.find((e) => e.name === n)!.start;
  assert.ok(at('main') <= at('command') && at('command') <= at('context') && at('context') <= at('modules') && at('modules') <= at('report') && at('report') <= t.now, JSON.stringify(t));
  for (const e of t.entries) assert.ok(e.duration >= 0 && e.start >= 0, JSON.stringify(e));
  assert.ok(t.cpu > 0, `cpu ${t.cpu}`);
});

test.run();
