// Which host ports a kind cluster publishes the webserver's NodePorts on.
// kind fixes a cluster's port mappings when it creates it, so the choice is
// made then: `k8s.ports` from devenv.yaml when set; else the Compose ports
// (the API on the same host port as Compose) when they are free; else, when
// the Compose network holds them, the side-by-side set, so both environments
// run at once (`devenv compare`). An existing cluster is asked, never assumed.
import type { DevenvConfig } from '../config.ts';
import { NODE_PORTS } from './kind-config.ts';

export interface KindHostPorts {
  api: number;
  webserverP2p: number;
}

/** The Kubernetes side's host ports while Compose holds its own (unless devenv.yaml sets k8s.ports). */
export const SIDE_BY_SIDE_PORTS: KindHostPorts = { api: 18080, webserverP2p: 12101 };

/** Who holds a host port now: nobody, this project's Compose network, or something else. */
export type PortHolderKind = 'free' | 'compose' | 'other';

export interface KindPortChoice {
  ports: KindHostPorts;
  /** One line for the progress output: why these ports. */
  why: string;
}

export function chooseKindHostPorts(cfg: Pick<DevenvConfig, 'ports' | 'k8s'>, holder: (port: number) => PortHolderKind): KindPortChoice {
  const set = cfg.k8s.ports;
  if (set.api !== undefined || set.webserverP2p !== undefined) {
    return {
      ports: { api: set.api ?? SIDE_BY_SIDE_PORTS.api, webserverP2p: set.webserverP2p ?? SIDE_BY_SIDE_PORTS.webserverP2p },
      why: 'k8s.ports in devenv.yaml',
    };
  }
  const same = { api: cfg.ports.api, webserverP2p: cfg.ports.webserverP2p };
  const composeHolds = [same.api, same.webserverP2p].filter((p) => holder(p) === 'compose');
  if (composeHolds.length === 0) return { ports: same, why: 'the same host ports as Compose' };
  return {
    ports: { ...SIDE_BY_SIDE_PORTS },
    why: `the Compose network holds host port${composeHolds.length > 1 ? 's' : ''} ${composeHolds.join(', ')}: side by side (set k8s.ports in devenv.yaml to choose)`,
  };
}

/** The host ports a kind node container publishes for the webserver NodePorts (null: not published). */
export function publishedKindHostPorts(ports: Array<{ hostPort: number; containerPort: number }>): Partial<KindHostPorts> {
  const host = (nodePort: number) => ports.find((p) => p.containerPort === nodePort && p.hostPort > 0)?.hostPort;
  const out: Partial<KindHostPorts> = {};
  const api = host(NODE_PORTS.api);
  const p2p = host(NODE_PORTS.webserverP2p);
  if (api !== undefined) out.api = api;
  if (p2p !== undefined) out.webserverP2p = p2p;
  return out;
}

/**
 * A devenv.yaml that sets k8s.ports for a cluster created with other
 * mappings: the one-paragraph problem and its fix (null when they agree).
 */
export function kindPortsMismatch(cfg: Pick<DevenvConfig, 'k8s' | 'clusterName'>, published: Partial<KindHostPorts>): { what: string; fix: string } | null {
  const wanted = cfg.k8s.ports;
  const differs = (['api', 'webserverP2p'] as const).filter((k) => wanted[k] !== undefined && published[k] !== undefined && wanted[k] !== published[k]);
  if (differs.length === 0) return null;
  const list = differs.map((k) => `k8s.ports.${k} is ${wanted[k]} but the cluster publishes ${published[k]}`).join('; ');
  return {
    what: `kind cluster ${cfg.clusterName} was created with other host ports than devenv.yaml asks for (${list}); kind fixes port mappings when it creates a cluster.`,
    fix: `set ${differs.map((k) => `k8s.ports.${k}: ${published[k]}`).join(' and ')} in devenv.yaml, or recreate the cluster with \`devenv down --k8s --cluster\` then \`devenv up --k8s\` (the cluster's volumes, the chains, go with it).`,
  };
}
