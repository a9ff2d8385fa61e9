// Polls a condition in an end-to-end test until it holds or the time is up;
// the error says what was awaited and the last failure seen.
import { setTimeout as sleep } from 'node:timers/promises';

export async function until<T>(what: string, fn: () => Promise<T | undefined | false | null>, timeoutMs = 90_000, everyMs = 1000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    await sleep(everyMs);
  }
  throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
}
