// The node's HTTP API as seen from the host through kind's port mapping
// (host port -> NodePort 30080 -> webserver-service -> a webserver pod).
import type { AppContext } from '../context.ts';
import { fetchChainHeight, type FetchLike } from '../adapters/node-api.ts';
import { bindAddress } from './kind-config.ts';

type ApiContext = { app: Pick<AppContext, 'env' | 'config'>; hostPorts?: { api: number } };

/** The API through the cluster's published host port (the preflight reads it; else the Compose port). */
export function apiBase(ctx: ApiContext): string {
  const host = bindAddress(ctx.app.env);
  return `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${ctx.hostPorts?.api ?? ctx.app.config.ports.api}`;
}

/** The chain height GET /api/v1/blockchain reports, or throws with what it answered. */
export function fetchHeight(ctx: ApiContext & { deps: { fetch: FetchLike } }, timeoutMs = 3000): Promise<number> {
  return fetchChainHeight(apiBase(ctx), { timeoutMs, fetch: ctx.deps.fetch });
}
