// `devenv down --k8s`: the pipeline (cli/pipelines/k8s-down.pipeline.ts),
// then what was deleted and what was kept. Loaded only when the command runs.
import type { AppContext } from '../context.ts';
import { createK8sContext, type K8sDeps, type K8sDownFlags } from '../pipelines/k8s-context.ts';
import { k8sDownPipeline } from '../pipelines/k8s-down.pipeline.ts';
import { runPipeline } from '../pipelines/pipeline.ts';

export interface K8sDownOptions {
  /** Also delete the kind cluster (everything in it, PVCs included). */
  cluster?: boolean;
  /** Delete the namespace and its PVCs (the chains and wallets); without it they are kept. */
  volumes?: boolean;
  kubeconfig?: string;
  timeoutSeconds?: number;
  deps?: Partial<K8sDeps>;
}

const list = (names: string[]) => (names.length ? `: ${names.join(', ')}` : '');

export async function k8sDown(app: AppContext, opts: K8sDownOptions = {}): Promise<{ text: string; data: Record<string, unknown> } | null> {
  const flags: K8sDownFlags = { cluster: opts.cluster ?? false, volumes: opts.volumes ?? false };
  const ctx = createK8sContext(app, opts);
  await runPipeline(k8sDownPipeline(flags), ctx, app.output);
  if (app.args.dryRun) return null;
  const d = ctx.deleted;
  const k = ctx.kept;
  let text: string;
  if (d?.cluster) {
    text = `Deleted kind cluster ${d.cluster}, and with it namespace ${ctx.namespace}, its PVCs (the chains and wallets) and metrics-server.`;
  } else if (d?.namespace) {
    text = `Deleted namespace ${d.namespace} on ${ctx.target.description}${d.pvcs.length ? ` and its ${d.pvcs.length} PVC(s)${list(d.pvcs)}` : ''}; the cluster is kept (\`devenv down --k8s --cluster\` deletes it).`;
  } else if (d && k) {
    const what = d.objects.length ? `Deleted ${d.objects.length} object(s) in namespace ${ctx.namespace} on ${ctx.target.description}` : `Nothing left to delete in namespace ${ctx.namespace} on ${ctx.target.description}`;
    const kept = k.pvcs.length
      ? `kept the namespace and its ${k.pvcs.length} PVC(s)${list(k.pvcs)} (the chains and wallets: \`devenv up --k8s\` re-binds them, \`devenv down --k8s --volumes\` deletes them)`
      : 'kept the namespace (it has no PVCs)';
    text = `${what}; ${kept}.`;
  } else {
    text = `Nothing to delete: ${ctx.target.existingCluster ? ctx.target.description : `kind cluster ${ctx.kind.name}`} has no devenv environment.`;
  }
  return { text, data: { ok: true, target: ctx.target.description, namespace: ctx.namespace, deleted: d ?? null, kept: k ?? null } };
}

export async function downK8s(app: AppContext, argv: { cluster?: boolean; volumes?: boolean; kubeconfig?: string }): Promise<void> {
  const res = await k8sDown(app, { cluster: argv.cluster, volumes: argv.volumes, kubeconfig: argv.kubeconfig });
  if (res) app.output.result(res.text, res.data);
}
