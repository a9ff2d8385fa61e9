// The --k8s branches of up, down, status and logs: argv to options to one
// call, and the result printed. The command modules only dispatch here.
import type { AppContext } from '../context.ts';
import { k8sDown } from '../pipelines/k8s-down.pipeline.ts';
import { runK8sUp } from '../pipelines/k8s-up.pipeline.ts';
import { k8sLogs } from './k8s-logs.ts';
import { formatK8sStatus, k8sStatus } from './k8s-status.ts';


export async function upK8s(app: AppContext, argv: { timeout?: number; kubeconfig?: string }): Promise<void> {
  const res = await runK8sUp(app, { kubeconfig: argv.kubeconfig, timeoutSeconds: argv.timeout });
  if (res) app.output.result(res.text, res.data);
}

export async function downK8s(app: AppContext, argv: { cluster?: boolean; volumes?: boolean; kubeconfig?: string }): Promise<void> {
  const res = await k8sDown(app, { cluster: argv.cluster, volumes: argv.volumes, kubeconfig: argv.kubeconfig });
  if (res) app.output.result(res.text, res.data);
}

export async function statusK8s(app: AppContext, argv: { kubeconfig?: string }): Promise<void> {
  const data = await k8sStatus(app, { kubeconfig: argv.kubeconfig });
  if (!app.args.dryRun) app.output.result(formatK8sStatus(data), data);
}

export function logsK8s(app: AppContext, argv: { service?: string; follow?: boolean; tail?: number; kubeconfig?: string }): Promise<number> {
  return k8sLogs(app, { service: argv.service, follow: argv.follow, tail: argv.tail, kubeconfig: argv.kubeconfig });
}
