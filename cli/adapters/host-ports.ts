// The host ports each environment publishes, and their state: free, held by
// this devenv Compose project (fine: `up` again reuses them), or taken by
// another process (named when /proc tells who). Shared by doctor and by the
// preflight steps of `up`.
import type { DockerEngine } from './docker.ts';
import { portState, type PortState } from './ports.ts';

/** The two environments devenv brings up. */
export type Mode = 'compose' | 'k8s';

export interface PortNeed {
  port: number;
  what: string;
  requiredFor: Mode[];
}

/** The host ports of devenv.yaml's `ports:` (DevenvConfig['ports']; spelled out so adapters/ does not import the config). */
export interface ComposeHostPorts {
  api: number;
  webserverP2p: number;
  miner1P2p: number;
  miner2P2p: number;
  redis: number;
}

export function portsNeeded(ctx: { config: { ports: ComposeHostPorts } }): PortNeed[] {
  const p = ctx.config.ports;
  return [
    { port: p.api, what: 'HTTP API (webserver)', requiredFor: ['compose', 'k8s'] },
    { port: p.miner1P2p, what: 'miner_1 P2P', requiredFor: ['compose'] },
    { port: p.miner2P2p, what: 'miner_2 P2P', requiredFor: ['compose'] },
    { port: p.webserverP2p, what: 'webserver P2P', requiredFor: ['compose', 'k8s'] },
    { port: p.redis, what: 'Redis', requiredFor: ['compose'] },
  ];
}

export interface HostPortCheck extends PortNeed {
  state: PortState;
  /** The service of this devenv project publishing it, when it is ours. */
  ownedBy?: string;
}

/** Host ports published by the containers of this Compose project, by service. */
export async function projectHostPorts(docker: Pick<DockerEngine, 'listContainers'>, project: string): Promise<Map<number, string>> {
  const ours = await docker.listContainers({ label: [`com.docker.compose.project=${project}`] });
  return new Map(ours.flatMap((c) => c.ports.map((p) => [p.hostPort, c.service ?? c.name] as const)));
}

/** All ports at once; a port this project's container publishes needs no search for its holder. */
export async function checkHostPorts(needs: PortNeed[], projectPorts: Map<number, string>): Promise<HostPortCheck[]> {
  return Promise.all(
    needs.map(async (need) => {
      const ownedBy = projectPorts.get(need.port);
      return { ...need, state: await portState(need.port, undefined, { holder: ownedBy === undefined }), ownedBy };
    }),
  );
}

/** Taken, and not by this project. */
export const isBlocked = (c: HostPortCheck): boolean => !c.state.free && c.ownedBy === undefined;

/** The label kind puts on its node containers: the cluster's name. */
export const KIND_CLUSTER_LABEL = 'io.x-k8s.kind.cluster';

/** Host ports published by kind node containers (any cluster, or one), with the cluster that holds each. */
export async function kindClusterHostPorts(docker: Pick<DockerEngine, 'listContainers'>, cluster?: string): Promise<Array<{ cluster: string; hostPort: number; containerPort: number }>> {
  const nodes = await docker.listContainers({ label: [cluster ? `${KIND_CLUSTER_LABEL}=${cluster}` : KIND_CLUSTER_LABEL] });
  return nodes.flatMap((c) => c.ports.map((p) => ({ cluster: c.kindCluster ?? cluster ?? c.name, hostPort: p.hostPort, containerPort: p.containerPort })));
}
