// Reads a node's chain height, so miners (which serve no HTTP) can be
// compared too: through its published P2P port when it has one (a TCP round
// trip from the host), else from inside its container with the node's own
// health sub-command (a process started in the container).
import type { ContainerSummary, DockerEngine } from '../adapters/docker.ts';
import { parseHealthcheckJson, type NodeHealth } from '../adapters/node-api.ts';
import { pingNodeP2p } from '../adapters/node-p2p.ts';

/** The node's P2P port in the container (NODE_ADDR's default, as in topology/node-contract.ts). */
export const NODE_P2P_PORT = 2001;

/** The host address of a container's published P2P port, or null when it publishes none. */
export function p2pHostAddress(ports: ContainerSummary['ports'] | undefined): { host: string; port: number } | null {
  const p = ports?.find((x) => x.containerPort === NODE_P2P_PORT);
  if (!p) return null;
  return { host: !p.hostIp || p.hostIp === '0.0.0.0' || p.hostIp === '::' ? '127.0.0.1' : p.hostIp, port: p.hostPort };
}

export async function probeNode(docker: DockerEngine, containerId: string, ports?: ContainerSummary['ports']): Promise<NodeHealth | null> {
  const p2p = p2pHostAddress(ports);
  if (p2p) {
    try {
      return await pingNodeP2p(p2p.host, p2p.port);
    } catch {
      /* not the node's protocol on that port (another NODE_ADDR?): ask inside */
    }
  }
  try {
    const res = await docker.exec(containerId, ['blockchain-node', 'healthcheck', '--json'], 10_000);
    return parseHealthcheckJson(res.stdout);
  } catch {
    return null;
  }
}
