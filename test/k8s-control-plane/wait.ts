// Polls until a condition holds; on time-out the error says what was awaited
// and shows the state that explains why (e.g. `kubectl get pods,pvc`).
export async function waitUntil(
  what: string,
  timeoutMs: number,
  check: () => Promise<boolean>,
  explain?: () => string | Promise<string>,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) {
      const detail = explain ? `\n${await explain()}` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${detail}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}
