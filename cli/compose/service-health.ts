// Turns the containers of a Compose project into one line of progress per
// service and a verdict: every expected service running and, when it has a
// healthcheck, healthy.
import type { ContainerSummary } from '../adapters/docker.ts';

export interface ServiceHealth {
  service: string;
  state: string;
  health: string;
  ready: boolean;
  containerId?: string;
  /** The container's published ports (the smoke check reaches a miner's P2P port through them). */
  ports?: ContainerSummary['ports'];
}

export function serviceHealth(expected: string[], containers: ContainerSummary[]): ServiceHealth[] {
  return expected.map((service) => {
    const c = containers.find((x) => x.service === service);
    if (!c) return { service, state: 'missing', health: 'none', ready: false };
    const ready = c.state === 'running' && (c.health === 'healthy' || c.health === 'none');
    return { service, state: c.state, health: c.health, ready, containerId: c.id, ports: c.ports };
  });
}

export function describeHealth(list: ServiceHealth[]): string {
  return list.map((s) => `${s.service}: ${s.ready ? 'healthy' : s.state === 'running' ? s.health : s.state}`).join(', ');
}
