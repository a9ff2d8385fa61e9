// Who this node is and whom it talks to, derived from its environment. Pure
// functions: the caller passes the environment in, tests pass fixtures.
import { isIP } from 'node:net';
import { StartupError } from './startup-error.ts';

export interface HostPort {
  host: string;
  port: number;
}

export function parseHostPort(value: string, what: string): HostPort {
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(value.trim()) ?? /^([^:\s]+):(\d+)$/.exec(value.trim());
  const port = m ? Number(m[2]) : NaN;
  if (!m || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new StartupError(`${what} "${value}" is not host:port`);
  }
  return { host: m[1], port };
}

export const formatHostPort = ({ host, port }: HostPort): string => (isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`);

export const isWildcard = (host: string): boolean => host === '0.0.0.0' || host === '::' || host === '';
export const isLoopback = (host: string): boolean =>
  host === 'localhost' || host === '::1' || /^127\./.test(host) || host === '::ffff:127.0.0.1';

/** A StatefulSet pod name `<set>-<ordinal>`. */
export function podOrdinal(podName: string | undefined): { set: string; ordinal: number } | null {
  const m = podName ? /^(.+)-(\d+)$/.exec(podName.trim()) : null;
  return m ? { set: m[1], ordinal: Number(m[2]) } : null;
}

export type InstanceSource = 'INSTANCE_NUMBER' | 'POD_NAME' | 'hostname' | 'default';

/**
 * INSTANCE_NUMBER; else StatefulSet ordinal k of POD_NAME gives k+1; else a
 * Compose name: `miner_2`, `miner-2`, or the container name
 * `<project>-miner_2-1` (the trailing `-1` is Compose's replica index, the
 * service's `_2` is the instance); else 1.
 */
export function deriveInstance(input: { instanceNumber?: string; podName?: string; names: readonly (string | undefined)[] }): {
  instance: number;
  source: InstanceSource;
} {
  const explicit = input.instanceNumber?.trim();
  if (explicit) {
    const n = Number(explicit);
    if (!Number.isInteger(n) || n < 1) throw new StartupError(`INSTANCE_NUMBER "${explicit}" must be a whole number >= 1`);
    return { instance: n, source: 'INSTANCE_NUMBER' };
  }
  const pod = podOrdinal(input.podName);
  if (pod) return { instance: pod.ordinal + 1, source: 'POD_NAME' };
  for (const name of input.names) {
    const n = instanceFromName(name);
    if (n !== null) return { instance: n, source: 'hostname' };
  }
  return { instance: 1, source: 'default' };
}

export function instanceFromName(name: string | undefined): number | null {
  if (!name) return null;
  const m = /_(\d+)-\d+$/.exec(name) ?? /_(\d+)$/.exec(name) ?? /-(\d+)$/.exec(name);
  const n = m ? Number(m[1]) : 0;
  return n >= 1 ? n : null;
}

/**
 * Kubernetes chain topology: the miner pod with ordinal k > 0 peers with the
 * pod k-1 of its StatefulSet through the headless service, in its own namespace.
 */
export function chainPeerForPod(input: {
  podName: string | undefined;
  namespace: string;
  headlessService: string;
  clusterDomain: string;
  port: number;
}): string | null {
  const pod = podOrdinal(input.podName);
  if (!pod || pod.ordinal === 0) return null;
  return `${pod.set}-${pod.ordinal - 1}.${input.headlessService}.${input.namespace}.svc.${input.clusterDomain}:${input.port}`;
}

/**
 * The address peers should dial to reach us. A wildcard bind never leaks out
 * as 0.0.0.0 and never falls back to loopback: peers in other containers
 * would dial themselves.
 */
export function advertisedAddress(input: {
  explicit?: string;
  bind: HostPort;
  podIp?: string;
  interfaceAddresses: readonly string[];
  hostname: string;
}): string {
  if (input.explicit?.trim()) return formatHostPort(parseHostPort(input.explicit, 'NODE_ADVERTISE_ADDR'));
  const port = input.bind.port;
  // A specific bind address is the only address we answer on.
  if (!isWildcard(input.bind.host)) return formatHostPort({ host: input.bind.host, port });
  if (input.podIp?.trim()) return formatHostPort({ host: input.podIp.trim(), port });
  const external = input.interfaceAddresses.find((a) => !isLoopback(a) && !isWildcard(a));
  if (external) return formatHostPort({ host: external, port });
  return formatHostPort({ host: input.hostname, port });
}
