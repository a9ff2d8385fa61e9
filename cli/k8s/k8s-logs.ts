// `devenv logs --k8s [service]`: a role (miner, webserver, redis), a pod
// (miner-0), or a Compose service name (miner_1 is miner-0: instance k is
// ordinal k-1), streamed with kubectl's pod prefix.
import type { AppContext } from '../context.ts';
import { usageError } from '../errors.ts';
import { createK8sContext, type K8sDeps } from './k8s-context.ts';

export const K8S_ROLES = ['miner', 'webserver', 'redis'] as const;

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

export async function k8sLogs(app: AppContext, opts: { service?: string; follow?: boolean; tail?: number; kubeconfig?: string; deps?: Partial<K8sDeps>; write?: (line: string) => void }): Promise<number> {
  const ctx = createK8sContext(app, opts);
  const sel = logsSelection(opts.service);
  const write = opts.write ?? ((line: string) => process.stdout.write(line + '\n'));
  const res = await ctx.kubectl.logs(
    { ...sel, namespace: ctx.namespace, allContainers: true, prefix: true, tail: opts.tail ?? 100, follow: opts.follow },
    (line, stream) => (stream === 'stdout' ? write(app.redactor.redact(line)) : app.output.warn(line)),
  );
  if (res.dryRun || res.exitCode === 0) return 0;
  app.output.warn((res.stderr || `kubectl logs exited with ${res.exitCode}`).trim());
  return 1;
}
