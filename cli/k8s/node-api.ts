// The node's HTTP API as seen from the host through kind's port mapping
// (host port -> NodePort 30080 -> webserver-service -> a webserver pod).
import { bindAddress } from './kind-config.ts';
import type { K8sContext } from './k8s-context.ts';
import { fetchChainHeight } from '../adapters/node-api.ts';

export function apiBase(ctx: Pick<K8sContext, 'app'>): string {
  const host = bindAddress(ctx.app.env);
  return `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${ctx.app.config.ports.api}`;
}

/** The chain height GET /api/v1/blockchain reports, or throws with what it answered. */
export function fetchHeight(ctx: Pick<K8sContext, 'app' | 'deps'>, timeoutMs = 3000): Promise<number> {
  return fetchChainHeight(apiBase(ctx), { timeoutMs, fetch: ctx.deps.fetch });
}
