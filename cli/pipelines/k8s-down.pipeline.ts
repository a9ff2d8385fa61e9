// `devenv down --k8s`: the data survives unless the user asks to delete it,
// as with `devenv down` on Compose. By default it deletes what devenv
// applied (rendered from the manifests) except the namespace and the
// PersistentVolumeClaims, and says which claims (chains, wallets) it kept;
// the next `up --k8s` re-binds them. --volumes deletes the namespace, its
// PVCs with it (named first). --cluster deletes the kind cluster, and
// everything in it (said first).
import type { K8sContext, K8sDownFlags } from './k8s-context.ts';
import type { PipelineItem } from './pipeline.ts';
import { k8sDeleteClusterStep } from './steps/k8s-delete-cluster.step.ts';
import { k8sDeleteNamespaceStep } from './steps/k8s-delete-namespace.step.ts';
import { k8sDeleteWorkloadsStep, k8sRenderForDeleteStep } from './steps/k8s-delete-workloads.step.ts';
import { k8sPreflightStep } from './steps/k8s-preflight.step.ts';

export function k8sDownPipeline(opts: K8sDownFlags): Array<PipelineItem<K8sContext>> {
  return [
    k8sPreflightStep('devenv down --k8s', { ports: false }),
    k8sRenderForDeleteStep(opts),
    k8sDeleteWorkloadsStep(opts),
    k8sDeleteNamespaceStep(opts),
    k8sDeleteClusterStep(opts),
  ];
}
