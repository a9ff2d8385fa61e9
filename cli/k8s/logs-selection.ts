// What `devenv logs --k8s [service]` streams: a role (miner, webserver,
// redis), a pod (miner-0), or a Compose service name (miner_1 is miner-0:
// instance k is ordinal k-1). Pure: a name in, a pod or a selector out.
import { usageError } from '../errors.ts';

const K8S_ROLES = ['miner', 'webserver', 'redis'] as const;

export interface LogsSelection {
  pod?: string;
  selector?: string;
}

/** Maps what the user typed to a pod or a label selector. */
export function logsSelection(service: string | undefined): LogsSelection {
  if (!service) return { selector: 'app.kubernetes.io/part-of=devenv' };
  if ((K8S_ROLES as readonly string[]).includes(service)) return { selector: `app=${service}` };
  const compose = /^(miner|webserver)_(\d+)$/.exec(service);
  if (compose && Number(compose[2]) >= 1) return { pod: `${compose[1]}-${Number(compose[2]) - 1}` };
  if (/^(miner|webserver)-\d+$/.test(service) || /^redis-[a-z0-9]+-[a-z0-9]+$/.test(service)) return { pod: service };
  throw usageError(`unknown service "${service}".`, `name a role (${K8S_ROLES.join(', ')}), a pod (miner-0, webserver-1) or a Compose service (miner_1, webserver_1).`);
}
