// `devenv down --k8s`: delete the namespace (and say that its PVCs, the
// chains and wallets, go with it); with --cluster delete the kind cluster.
import type { AppContext } from '../context.ts';
import { createK8sContext, type K8sContext, type K8sDeps } from '../k8s/k8s-context.ts';
import { runPipeline, type PipelineItem } from './pipeline.ts';
import { k8sDeleteClusterStep } from './steps/k8s-delete-cluster.step.ts';
import { k8sDeleteNamespaceStep } from './steps/k8s-delete-namespace.step.ts';
import { k8sPreflightStep } from './steps/k8s-preflight.step.ts';

export interface K8sDownOptions {
  /** Also delete the kind cluster. */
  cluster?: boolean;
  kubeconfig?: string;
  timeoutSeconds?: number;
  deps?: Partial<K8sDeps>;
}

export function k8sDownPipeline(opts: { cluster: boolean }): Array<PipelineItem<K8sContext>> {
  return [k8sPreflightStep('devenv down --k8s', { ports: false }), k8sDeleteNamespaceStep(opts), k8sDeleteClusterStep(opts)];
}

export async function k8sDown(app: AppContext, opts: K8sDownOptions = {}): Promise<{ text: string; data: Record<string, unknown> } | null> {
  const cluster = opts.cluster ?? false;
  const ctx = createK8sContext(app, opts);
  await runPipeline(k8sDownPipeline({ cluster }), ctx, app.output);
  if (app.args.dryRun) return null;
  const d = ctx.deleted;
  const text = d?.cluster
    ? `Deleted kind cluster ${d.cluster} (namespace ${ctx.namespace}, its PVCs and metrics-server with it).`
    : d
      ? `Deleted namespace ${d.namespace} on ${ctx.target.description}${d.pvcs.length ? ` and its ${d.pvcs.length} PVC(s): ${d.pvcs.join(', ')}` : ''}; the cluster is kept (\`devenv down --k8s --cluster\` deletes it).`
      : `Nothing to delete: ${ctx.target.skipKind ? ctx.target.description : `kind cluster ${ctx.kind.name}`} has no devenv environment.`;
  return { text, data: { ok: true, target: ctx.target.description, namespace: ctx.namespace, deleted: d ?? null } };
}
