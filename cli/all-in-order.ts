// Independent work started at once, its failures reported as if it had run in
// order: the first rejection in list order wins (not the first in time), so a
// dead Docker daemon is reported as such even when the port check that also
// needs it happens to fail sooner. Everything settles before anything throws,
// so no promise is left to reject unobserved.
export async function allInOrder<T extends readonly unknown[]>(work: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const settled = await Promise.allSettled(work as readonly Promise<unknown>[]);
  for (const s of settled) if (s.status === 'rejected') throw s.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<unknown>).value) as unknown as T;
}
