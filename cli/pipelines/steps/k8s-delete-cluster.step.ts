// `devenv down --k8s --cluster`: delete the kind cluster devenv created, and
// with it everything in it: the namespace, its PersistentVolumeClaims (the
// chains and wallets, with or without --volumes: the user asked for the
// cluster to go) and metrics-server. Said before it happens. An existing
// cluster (DEVENV_KUBECONFIG, --kubeconfig) is never deleted.
import type { K8sContext, K8sDownFlags } from '../k8s-context.ts';
import type { Step } from '../pipeline.ts';

export function k8sDeleteClusterStep(opts: K8sDownFlags): Step<K8sContext> {
  return {
    name: 'Delete the kind cluster (--cluster; its PVCs go with it)',
    skip: (ctx) => {
      if (ctx.target.existingCluster) return `${ctx.target.description} is not devenv's to delete`;
      if (!opts.cluster) return `kept (\`devenv down --k8s --cluster\` deletes it)`;
      if (!ctx.app.args.dryRun && !ctx.clusterExists) return `kind cluster ${ctx.kind.name} does not exist`;
      return false;
    },
    run: async (ctx, io) => {
      const warning = `--cluster: deleting kind cluster ${ctx.kind.name}; namespace ${ctx.namespace}, its PersistentVolumeClaims (the chains and wallets of its pods) and metrics-server go with it.`;
      ctx.app.output.info(warning);
      io.report(warning);
      await ctx.kind.delete();
      ctx.deleted = { ...(ctx.deleted ?? { objects: [], pvcs: [] }), cluster: ctx.kind.name };
    },
  };
}
