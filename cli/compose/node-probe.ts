// Reads a node's chain height from inside its container with the node's own
// health sub-command, so miners (which serve no HTTP) can be compared too.
import type { DockerEngine } from '../adapters/docker.ts';
import { parseHealthcheckJson, type NodeHealth } from '../adapters/node-api.ts';

export async function probeNode(docker: DockerEngine, containerId: string): Promise<NodeHealth | null> {
  try {
    const res = await docker.exec(containerId, ['blockchain-node', 'healthcheck', '--json'], 10_000);
    return parseHealthcheckJson(res.stdout);
  } catch {
    return null;
  }
}
