/** Exponential backoff with jitter: 0.5 s, 1 s, 2 s ... capped at 30 s. */
export function backoffDelay(attempt: number, random = Math.random, baseMs = 500, capMs = 30_000): number {
  const raw = Math.min(capMs, baseMs * 2 ** Math.min(attempt, 16));
  return Math.round(raw * (0.75 + random() * 0.5));
}
