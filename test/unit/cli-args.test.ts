import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from '../helpers/cli.ts';

test('--help lists every command and the exit codes', async () => {
  const r = await runCli(['--help']);
  assert.is(r.exitCode, 0);
  for (const c of ['up', 'down', 'status', 'logs [service]', 'doctor']) assert.match(r.stdout, new RegExp(`devenv ${c.replace(/[[\]]/g, '\\$&')}\\s`));
  for (const f of ['--dry-run', '--json', '--verbose', '--config']) assert.ok(r.stdout.includes(f), f);
  assert.match(r.stdout, /3 missing prerequisite/);
});

test('an unknown command is a usage error (exit 2) with a hint, no stack trace', async () => {
  const r = await runCli(['upp']);
  assert.is(r.exitCode, 2);
  assert.match(r.stderr, /^error: Did you mean up\? Fix: run `devenv --help`/m);
  assert.not.match(r.stderr, /at .*\.js:\d+/);
});

test('no command at all is a usage error', async () => {
  const r = await runCli([]);
  assert.is(r.exitCode, 2);
  assert.match(r.stderr, /Name a command/);
});

test('an unknown option is rejected', async () => {
  const r = await runCli(['doctor', '--frobnicate']);
  assert.is(r.exitCode, 2);
  assert.match(r.stderr, /Unknown argument: frobnicate/);
});

test('up --help documents --compose and --timeout', async () => {
  const r = await runCli(['up', '--help']);
  assert.is(r.exitCode, 0);
  assert.match(r.stdout, /--compose/);
  assert.match(r.stdout, /--timeout/);
});

test('up --timeout must be a positive number (a NaN bound would wait forever)', async () => {
  const nan = await runCli(['up', '--timeout', 'abc', '--dry-run']);
  assert.is(nan.exitCode, 2);
  assert.match(nan.stderr, /^error: --timeout must be a number of seconds greater than 0; what was given is not a number\. Fix:/m);
  const zero = await runCli(['up', '--timeout=0', '--dry-run']);
  assert.is(zero.exitCode, 2);
  assert.match(zero.stderr, /--timeout must be a number of seconds greater than 0, not 0\./);
});

test.run();
