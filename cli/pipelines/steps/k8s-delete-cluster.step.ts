import type { K8sContext } from '../../k8s/k8s-context.ts';
import type { Step } from '../pipeline.ts';

export function k8sDeleteClusterStep(opts: { cluster: boolean }): Step<K8sContext> {
  return {
    name: 'Delete the kind cluster',
    skip: (ctx) => {
      if (ctx.target.skipKind) return `${ctx.target.description} is not devenv's to delete`;
      if (!opts.cluster) return `kept (\`devenv down --k8s --cluster\` deletes it)`;
      if (!ctx.app.args.dryRun && !ctx.clusterExists) return `kind cluster ${ctx.kind.name} does not exist`;
      return false;
    },
    run: async (ctx, io) => {
      io.report(`kind delete cluster --name ${ctx.kind.name}: the namespace, its PVCs and metrics-server go with it`);
      await ctx.kind.delete();
      ctx.deleted = { ...(ctx.deleted ?? { namespace: ctx.namespace, pvcs: [] }), cluster: ctx.kind.name };
    },
  };
}
