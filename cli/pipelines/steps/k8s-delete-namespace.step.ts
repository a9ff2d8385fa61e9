// `devenv down --k8s --volumes`: delete the namespace, and with it everything
// devenv applied and the PersistentVolumeClaims, i.e. every pod's chain data
// and wallets. Said before it happens, with the claims named. Without
// --volumes the namespace and its claims are kept
// (k8s-delete-workloads.step.ts deletes the rest).
import type { K8sContext, K8sDownFlags } from '../k8s-context.ts';
import type { Step } from '../pipeline.ts';

export function k8sDeleteNamespaceStep(opts: K8sDownFlags): Step<K8sContext> {
  return {
    name: 'Delete the namespace and its PVCs (--volumes)',
    skip: (ctx) => {
      if (opts.cluster && !ctx.target.existingCluster) return `the whole kind cluster ${ctx.kind.name} is deleted next, PVCs included`;
      if (!opts.volumes) return `namespace ${ctx.namespace} and its PVCs are kept (\`devenv down --k8s --volumes\` deletes them)`;
      if (!ctx.target.existingCluster && !ctx.app.args.dryRun && !ctx.clusterExists) return `kind cluster ${ctx.kind.name} does not exist`;
      return false;
    },
    run: async (ctx, io) => {
      const pvcs = await ctx.kubectl.getJson('persistentvolumeclaims', ctx.namespace, { check: false });
      const names: string[] = (pvcs?.items ?? []).map((p: any) => p?.metadata?.name).filter(Boolean).sort();
      const warning = `--volumes: deleting namespace ${ctx.namespace}; its PersistentVolumeClaims are deleted with it${names.length ? ` (${names.join(', ')})` : ''}, so the chains and wallets of its pods are gone.`;
      ctx.app.output.info(warning);
      io.report(warning);
      await ctx.kubectl.deleteNamespace(ctx.namespace, ctx.timeoutSeconds);
      ctx.deleted = { objects: [], namespace: ctx.namespace, pvcs: names };
    },
  };
}
