// Deleting the namespace deletes everything devenv applied, and with it the
// PersistentVolumeClaims: every pod's chain data and wallets. Said before it
// happens, with the claims named.
import type { K8sContext } from '../../k8s/k8s-context.ts';
import type { Step } from '../pipeline.ts';

export function k8sDeleteNamespaceStep(opts: { cluster: boolean }): Step<K8sContext> {
  return {
    name: 'Delete the namespace (its PVCs go with it)',
    skip: (ctx) => {
      if (opts.cluster && !ctx.target.skipKind) return `the whole kind cluster ${ctx.kind.name} is deleted next`;
      if (!ctx.target.skipKind && !ctx.app.args.dryRun && !ctx.clusterExists) return `kind cluster ${ctx.kind.name} does not exist`;
      return false;
    },
    run: async (ctx, io) => {
      const pvcs = await ctx.kubectl.getJson('persistentvolumeclaims', ctx.namespace, { check: false });
      const names: string[] = (pvcs?.items ?? []).map((p: any) => p?.metadata?.name).filter(Boolean);
      const warning = `deleting namespace ${ctx.namespace}: its PersistentVolumeClaims are deleted with it${names.length ? ` (${names.join(', ')})` : ''}, so the chains and wallets of its pods are gone.`;
      ctx.app.output.info(warning);
      io.report(warning);
      await ctx.kubectl.deleteNamespace(ctx.namespace, ctx.timeoutSeconds);
      ctx.deleted = { namespace: ctx.namespace, pvcs: names };
    },
  };
}
