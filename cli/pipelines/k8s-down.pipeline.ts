// `devenv down --k8s`: the data survives unless the user asks to delete it,
// as with `devenv down` on Compose. By default it deletes what devenv
// applied (rendered from the manifests) except the namespace and the
// PersistentVolumeClaims, and says which claims (chains, wallets) it kept;
// the next `up --k8s` re-binds them. --volumes deletes the namespace, its
// PVCs with it (named first). --cluster deletes the kind cluster, and
// everything in it (said first).
import type { AppContext } from '../context.ts';
import { createK8sContext, type K8sContext, type K8sDeps } from '../k8s/k8s-context.ts';
import { runPipeline, type PipelineItem } from './pipeline.ts';
import { k8sDeleteClusterStep } from './steps/k8s-delete-cluster.step.ts';
import { k8sDeleteNamespaceStep } from './steps/k8s-delete-namespace.step.ts';
import { k8sDeleteWorkloadsStep, k8sRenderForDeleteStep, type K8sDownFlags } from './steps/k8s-delete-workloads.step.ts';
import { k8sPreflightStep } from './steps/k8s-preflight.step.ts';

export interface K8sDownOptions {
  /** Also delete the kind cluster (everything in it, PVCs included). */
  cluster?: boolean;
  /** Delete the namespace and its PVCs (the chains and wallets); without it they are kept. */
  volumes?: boolean;
  kubeconfig?: string;
  timeoutSeconds?: number;
  deps?: Partial<K8sDeps>;
}

export function k8sDownPipeline(opts: K8sDownFlags): Array<PipelineItem<K8sContext>> {
  return [
    k8sPreflightStep('devenv down --k8s', { ports: false }),
    k8sRenderForDeleteStep(opts),
    k8sDeleteWorkloadsStep(opts),
    k8sDeleteNamespaceStep(opts),
    k8sDeleteClusterStep(opts),
  ];
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
    text = `Nothing to delete: ${ctx.target.skipKind ? ctx.target.description : `kind cluster ${ctx.kind.name}`} has no devenv environment.`;
  }
  return { text, data: { ok: true, target: ctx.target.description, namespace: ctx.namespace, deleted: d ?? null, kept: k ?? null } };
}
