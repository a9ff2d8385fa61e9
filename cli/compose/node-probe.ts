// Reads a node's chain height from inside its container with the node's own
// health sub-command, so miners (which serve no HTTP) can be compared too.
import type { DockerEngine } from '../adapters/docker.ts';

export function parseHealthcheckJson(stdout: string): { ready: boolean; height?: number; peers?: number } | null {
  const line = stdout.trim().split('\n').reverse().find((l) => l.trim().startsWith('{'));
  if (!line) return null;
  try {
    const v = JSON.parse(line);
    return { ready: Boolean(v.ready), height: typeof v.height === 'number' ? v.height : undefined, peers: typeof v.peers === 'number' ? v.peers : undefined };
  } catch {
    return null;
  }
}

export async function probeNode(docker: DockerEngine, containerId: string): Promise<{ ready: boolean; height?: number; peers?: number } | null> {
  try {
    const res = await docker.exec(containerId, ['blockchain-node', 'healthcheck', '--json'], 10_000);
    return parseHealthcheckJson(res.stdout);
  } catch {
    return null;
  }
}
