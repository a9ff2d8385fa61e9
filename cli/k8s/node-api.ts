// The node's HTTP API as seen from the host through kind's port mapping
// (host port -> NodePort 30080 -> webserver-service -> a webserver pod).
import { bindAddress } from './kind-config.ts';
import type { K8sContext } from './k8s-context.ts';

export function apiBase(ctx: Pick<K8sContext, 'app'>): string {
  const host = bindAddress(ctx.app.env);
  return `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${ctx.app.config.ports.api}`;
}

/** The chain height GET /api/v1/blockchain reports, or throws with what it answered. */
export async function fetchHeight(ctx: Pick<K8sContext, 'app' | 'deps'>, timeoutMs = 3000): Promise<number> {
  const res = await ctx.deps.fetch(`${apiBase(ctx)}/api/v1/blockchain`, { signal: AbortSignal.timeout(timeoutMs) });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  const body: any = await res.json();
  const height = body?.data?.height;
  if (typeof height !== 'number') throw new Error(`no data.height in ${JSON.stringify(body).slice(0, 120)}`);
  return height;
}
