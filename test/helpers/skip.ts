// Registers tests that cannot run on this machine as skipped, with the reason
// printed once so the test report says why (e.g. "skipped: no Docker daemon").
// Hooks are disabled too: a skipped Docker suite must not try to start containers.
import { test as uvuTest } from 'uvu';
import type { Test } from 'uvu';

export function skipIf(reason: string | false | undefined | null, test: Test = uvuTest): Test {
  if (!reason) return test;
  console.log(`skipped: ${reason}`);
  const skipping = ((name: string) => test.skip(name, () => {})) as unknown as Test;
  const noop = Object.assign(() => {}, { each: () => {} });
  Object.assign(skipping, { before: noop, after: noop, only: skipping, skip: skipping, run: () => test.run() });
  return skipping;
}
