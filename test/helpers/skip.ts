// Registers tests that cannot run on this machine as skipped, with the reason
// printed once so the test report says why (e.g. "skipped: no Docker daemon").
// Hooks are disabled too: a skipped Docker suite must not try to start containers.
// Under DEVENV_TEST_NO_SKIP=1 (CI) scripts/run-tests.mjs counts every skip as a failure.
import { test as uvuTest } from 'uvu';
import type { Test } from 'uvu';

export function skipIf(reason: string | false | undefined | null, test: Test = uvuTest): Test {
  if (!reason) return test;
  console.log(`skipped: ${reason}`);
  const skip = (name?: string) => test.skip(name, () => {});
  const noHook = Object.assign(() => {}, { each: () => {} });
  const skipping: Test = Object.assign(skip, { before: noHook, after: noHook, only: skip, skip, run: () => test.run() });
  return skipping;
}
