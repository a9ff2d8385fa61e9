// `devenv logs --k8s [service]`: the pods logsSelection() names
// (cli/k8s/logs-selection.ts), streamed with kubectl's pod prefix.
import type { AppContext } from '../context.ts';
import { ExitCode } from '../errors.ts';
import { logsSelection } from '../k8s/logs-selection.ts';
import { createK8sContext, type K8sDeps } from '../pipelines/k8s-context.ts';

async function k8sLogs(app: AppContext, opts: { service?: string; follow?: boolean; tail?: number; kubeconfig?: string; deps?: Partial<K8sDeps>; write?: (line: string) => void }): Promise<ExitCode> {
  const ctx = createK8sContext(app, opts);
  const sel = logsSelection(opts.service);
  const write = opts.write ?? ((line: string) => process.stdout.write(line + '\n'));
  const res = await ctx.kubectl.logs(
    { ...sel, namespace: ctx.namespace, allContainers: true, prefix: true, tail: opts.tail ?? 100, follow: opts.follow },
    (line, stream) => (stream === 'stdout' ? write(app.redactor.redact(line)) : app.output.warn(line)),
  );
  if (res.dryRun || res.exitCode === 0) return ExitCode.ok;
  app.output.warn((res.stderr || `kubectl logs exited with ${res.exitCode}`).trim());
  return ExitCode.failure;
}

export function logsK8s(app: AppContext, argv: { service?: string; follow?: boolean; tail?: number; kubeconfig?: string }): Promise<ExitCode> {
  return k8sLogs(app, { service: argv.service, follow: argv.follow, tail: argv.tail, kubeconfig: argv.kubeconfig });
}
