// Bounded polling: the one way devenv waits for something outside it. The
// probe is called until it reports done, at most once per interval, never
// past the deadline and never more than timeout/interval + 1 times (so a
// test's instant `sleep` cannot spin for the whole timeout).
export type Attempt<T> = { done: true; value: T } | { done: false; waiting: string };
export type PollOutcome<T> = { done: true; value: T } | { done: false; last: string };

export interface PollOptions {
  timeoutMs: number;
  intervalMs: number;
  sleep?: (ms: number) => Promise<void>;
}

export const done = <T>(value: T): Attempt<T> => ({ done: true, value });
export const waiting = (why: string): Attempt<never> => ({ done: false, waiting: why });

/** A probe that throws counts as "not yet", with its message as the reason. */
export async function pollUntil<T>(probe: (attempt: number, attempts: number) => Promise<Attempt<T>>, opts: PollOptions): Promise<PollOutcome<T>> {
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const attempts = Math.max(1, Math.ceil(opts.timeoutMs / opts.intervalMs) + 1);
  const deadline = Date.now() + opts.timeoutMs;
  let last = '';
  for (let i = 1; i <= attempts; i++) {
    let r: Attempt<T>;
    try {
      r = await probe(i, attempts);
    } catch (err) {
      r = waiting(err instanceof Error ? err.message : String(err));
    }
    if (r.done) return r;
    last = r.waiting;
    if (i === attempts || Date.now() >= deadline) break;
    await sleep(opts.intervalMs);
  }
  return { done: false, last };
}
