// What the blockchain node does with its environment, where the manifests
// rely on it (see the node contract): a miner whose NODE_CONNECT_NODES is
// `local` and whose POD_NAME ends in ordinal k > 0 dials
// miner-(k-1).<NODE_HEADLESS_SERVICE>.<POD_NAMESPACE>.svc.<domain>:<P2P port>;
// and `blockchain-node healthcheck` checks readiness on a known endpoint.
// Only workloads whose environment speaks the contract (NODE_IS_MINER, ...)
// are read this way.
import type { EnvEntry } from './env-view.ts';
import type { Health } from './model.ts';

export const PEER_KEY = 'NODE_CONNECT_NODES';

export function speaksContract(env: Map<string, EnvEntry>): boolean {
  return env.has('NODE_IS_MINER') || env.has('NODE_IS_WEB_SERVER') || env.has(PEER_KEY);
}

function role(env: Map<string, EnvEntry>): 'miner' | 'webserver' | 'relay' {
  const yes = (k: string, dflt: string) => ((env.get(k)?.text ?? dflt).trim().toLowerCase() === 'yes');
  if (yes('NODE_IS_MINER', 'no')) return 'miner';
  return yes('NODE_IS_WEB_SERVER', 'yes') ? 'webserver' : 'relay';
}

function portOf(addr: string | null | undefined, dflt: number): number {
  const m = /:(\d+)$/.exec(addr ?? '');
  return m ? Number(m[1]) : dflt;
}

export interface EffectivePeers {
  /** The value the node dials (NODE_CONNECT_NODES, or the derived upstream). */
  value: string;
  /** How it was derived, when it is not the variable's own value. */
  derivation?: string;
}

/** The peers a Kubernetes replica dials, applying the chain-topology derivation. */
export function effectivePeers(env: Map<string, EnvEntry>, namespace: string): EffectivePeers | null {
  if (!speaksContract(env)) return null;
  const connect = (env.get(PEER_KEY)?.text ?? 'local').trim() || 'local';
  if (connect !== 'local') return { value: connect };
  const podName = env.get('POD_NAME')?.text;
  const m = podName ? /^(.*)-(\d+)$/.exec(podName) : null;
  if (role(env) !== 'miner' || !m || Number(m[2]) === 0) return { value: 'local' };
  const headless = env.get('NODE_HEADLESS_SERVICE')?.text?.trim() || 'miner-headless';
  const ns = env.get('POD_NAMESPACE')?.text?.trim() || namespace;
  const domain = env.get('NODE_CLUSTER_DOMAIN')?.text?.trim() || 'cluster.local';
  const port = portOf(env.get('NODE_ADDR')?.text, 2001);
  const value = `${m[1]}-${Number(m[2]) - 1}.${headless}.${ns}.svc.${domain}:${port}`;
  return { value, derivation: `derived by the node from POD_NAME=${podName} and ${PEER_KEY}=local (chain topology)` };
}

/** The probe `blockchain-node healthcheck` amounts to, for this replica's role. */
export function healthcheckEquivalent(command: string[] | undefined, env: Map<string, EnvEntry>): Pick<Health, 'kind' | 'path' | 'port'> | null {
  if (!command || !/(^|\/)blockchain-node$/.test(command[0] ?? '') || command[1] !== 'healthcheck') return null;
  if (role(env) === 'webserver') return { kind: 'http', path: '/api/health/ready', port: portOf(env.get('NODE_HTTP_ADDR')?.text, 8080) };
  return { kind: 'tcp', port: portOf(env.get('NODE_ADDR')?.text, 2001) };
}
