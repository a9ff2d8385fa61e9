// The node's HTTP API as devenv reads it (both environments): the envelope
// `{ success, data, error }`, and the chain height of GET /api/v1/blockchain.
// `fetch` is injectable so the Kubernetes steps can be tested without a network.

export interface ApiEnvelope<T> {
  success: boolean;
  data: T;
  error: string | null;
}

export type FetchLike = (url: string, init?: { signal?: AbortSignal }) => Promise<Response>;

export async function fetchApiData<T>(url: string, opts: { timeoutMs?: number; fetch?: FetchLike } = {}): Promise<T> {
  const res = await (opts.fetch ?? fetch)(url, { signal: AbortSignal.timeout(opts.timeoutMs ?? 5000) });
  const body = (await res.json().catch(() => null)) as ApiEnvelope<T> | null;
  if (!res.ok || !body?.success) throw new Error(`${url} answered HTTP ${res.status}${body?.error ? `: ${body.error}` : ''}`);
  return body.data;
}

/** The chain height the API reports, or throws with what it answered. */
export async function fetchChainHeight(baseUrl: string, opts: { timeoutMs?: number; fetch?: FetchLike } = {}): Promise<number> {
  const data = await fetchApiData<{ height?: unknown }>(`${baseUrl}/api/v1/blockchain`, opts);
  if (typeof data?.height !== 'number') throw new Error(`${baseUrl}/api/v1/blockchain has no numeric data.height`);
  return data.height;
}
