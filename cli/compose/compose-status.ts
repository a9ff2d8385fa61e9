// `devenv status --compose` and the endpoints table printed after `up`.
import type { AppContext } from '../context.ts';
import type { ContainerSummary, DockerEngine } from '../adapters/docker.ts';
import { formatTable } from '../output.ts';
import { fetchChainStatus, type NodeHealth } from '../adapters/node-api.ts';
import { probeNode } from './node-probe.ts';

export interface ServiceStatus {
  service: string;
  container: string | null;
  state: string;
  health: string;
  image: string | null;
  ports: string[];
  height: number | null;
  peers: number | null;
}

function formatPorts(c: ContainerSummary): string[] {
  return [...c.ports].sort((a, b) => a.hostPort - b.hostPort).map((p) => `${p.hostIp || "0.0.0.0"}:${p.hostPort}->${p.containerPort}`);
}

/**
 * One row per service. `known`: heights and peers just read from the nodes
 * (by `up`'s smoke check), used as they are instead of asking each node again.
 */
export async function composeStatus(app: AppContext, docker: DockerEngine, services: string[], known: Record<string, NodeHealth> = {}): Promise<ServiceStatus[]> {
  const containers = await docker.listContainers({ label: [`com.docker.compose.project=${app.config.compose.project}`] });
  const names = [...new Set([...services, ...containers.map((c) => c.service ?? c.name)])];
  const out: ServiceStatus[] = [];
  for (const service of names) {
    const c = containers.find((x) => (x.service ?? x.name) === service);
    const row: ServiceStatus = { service, container: c?.name ?? null, state: c?.state ?? 'absent', health: c?.health ?? '-', image: c?.image ?? null, ports: c ? formatPorts(c) : [], height: null, peers: null };
    const seen = known[service];
    if (seen && c?.state === 'running') {
      row.height = seen.height ?? null;
      row.peers = seen.peers ?? null;
    } else if (c?.state === 'running' && service !== 'redis') {
      const api = c.ports.find((p) => p.containerPort === 8080);
      if (api) {
        try {
          const d = await fetchChainStatus(`http://127.0.0.1:${api.hostPort}`, { timeoutMs: 3000 });
          row.height = d.height;
          row.peers = d.peers ?? null;
        } catch {
          /* not answering: shown as '-' */
        }
      }
      if (row.height === null) {
        const p = await probeNode(docker, c.id, c.ports);
        row.height = p?.height ?? null;
        row.peers = p?.peers ?? null;
      }
    }
    out.push(row);
  }
  return out;
}

export function formatStatusTable(rows: ServiceStatus[]): string {
  return formatTable(
    ['SERVICE', 'STATE', 'HEALTH', 'HEIGHT', 'PEERS', 'IMAGE', 'PORTS'],
    rows.map((r) => [r.service, r.state, r.health, r.height ?? '-', r.peers ?? '-', r.image ?? '-', r.ports.join(', ') || '-']),
  );
}

export function endpointsTable(rows: ServiceStatus[]): { text: string; endpoints: Array<{ service: string; url: string }> } {
  const endpoints: Array<{ service: string; url: string }> = [];
  for (const r of rows) {
    for (const p of r.ports) {
      const m = /^(.*):(\d+)->(\d+)$/.exec(p);
      if (!m) continue;
      const [, ip, host, container] = m;
      const hostIp = ip === '0.0.0.0' ? '127.0.0.1' : ip;
      const url = container === '8080' ? `http://${hostIp}:${host}/api/v1/blockchain` : container === '6379' ? `redis://${hostIp}:${host}` : `tcp://${hostIp}:${host} (P2P)`;
      endpoints.push({ service: r.service, url });
    }
  }
  return { text: formatTable(['SERVICE', 'ENDPOINT'], endpoints.map((e) => [e.service, e.url])), endpoints };
}
