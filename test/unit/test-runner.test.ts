// scripts/run-tests.mjs on the tiny files in test/fixtures/runner: nothing
// passes by not running. A filter matching no file, an error in a uvu hook,
// and (under DEVENV_TEST_NO_SKIP=1, as .ci/run sets it) a skipped test are
// failures with a message; a passing file and a plain skip stay green.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execa } from 'execa';
import { repoRoot } from '../helpers/cli.ts';

async function runner(filters: string[], env: Record<string, string> = {}) {
  const res = await execa(process.execPath, ['scripts/run-tests.mjs', ...filters], {
    cwd: repoRoot,
    // No build: these files start no CLI, and a rebuild would pull dist/ from under the CLI tests running beside this one.
    env: { DEVENV_TEST_DIR: 'test/fixtures/runner', DEVENV_TEST_BUILD: '0', DEVENV_TEST_NO_SKIP: '', ...env },
    reject: false,
    timeout: 60_000,
  });
  const lines = String(res.stdout).split('\n');
  return { code: res.exitCode, stdout: String(res.stdout), counts: lines.filter((l) => /^\d+ passed, \d+ failed, \d+ skipped$/.test(l)).pop() };
}

test('a passing file: exit 0 and its counts', async () => {
  const r = await runner(['passes']);
  assert.is(r.counts, '1 passed, 0 failed, 0 skipped', r.stdout);
  assert.is(r.code, 0);
});

test('a filter that matches no file fails and names the filter', async () => {
  const r = await runner(['passes', 'no-such-test-file']);
  assert.is(r.code, 1, r.stdout);
  assert.match(r.stdout, 'no test file matches the filter "no-such-test-file"');
  assert.is(r.counts, '0 passed, 1 failed, 0 skipped');
});

test('an error in a before hook is printed and counted (uvu alone swallows it)', async () => {
  const r = await runner(['before-hook-throws']);
  assert.is(r.code, 1, r.stdout);
  assert.match(r.stdout, 'hook failed: before hook of suite "setup fails": Error: the fixture server did not start');
  assert.is(r.counts, '0 passed, 1 failed, 0 skipped');
});

test('an error in an after hook is printed and counted, and the tests that passed still count', async () => {
  const r = await runner(['after-hook-throws']);
  assert.is(r.code, 1, r.stdout);
  assert.match(r.stdout, 'hook failed: after hook of suite "teardown fails": Error: the fixture server did not stop');
  assert.is(r.counts, '1 passed, 1 failed, 0 skipped');
});

test('a skip is reported with its reason and is not a failure by default', async () => {
  const r = await runner(['skips']);
  assert.is(r.code, 0, r.stdout);
  assert.match(r.stdout, 'skipped: no fixture daemon');
  assert.is(r.counts, '1 passed, 0 failed, 1 skipped');
});

test('DEVENV_TEST_NO_SKIP=1 turns every skip into a failure, with the reason', async () => {
  const r = await runner(['skips', 'passes'], { DEVENV_TEST_NO_SKIP: '1' });
  assert.is(r.code, 1, r.stdout);
  assert.match(r.stdout, /FAIL test\/fixtures\/runner\/skips\.test\.ts/);
  assert.match(r.stdout, 'skipped: no fixture daemon');
  assert.match(r.stdout, 'DEVENV_TEST_NO_SKIP=1: 1 skip(s) counted as failures');
  assert.is(r.counts, '2 passed, 1 failed, 0 skipped');
});

test.run();
