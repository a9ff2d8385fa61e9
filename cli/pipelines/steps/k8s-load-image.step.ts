// The node image into kind (cli/k8s/image-loading.ts): skipped when the
// node already has that image ID.
import { DevenvError, ExitCode } from '../../errors.ts';
import { loadIfChanged } from '../../k8s/image-loading.ts';
import { nodeImageRef } from '../../k8s/images.ts';
import type { K8sContext } from '../k8s-context.ts';
import type { Step } from '../pipeline.ts';

export const k8sLoadImageStep: Step<K8sContext> = {
  name: 'Load the node image into kind',
  skip: (ctx) => (ctx.target.existingCluster ? 'existing cluster: devenv loads images only into its kind cluster' : false),
  run: async (ctx, io) => {
    const image = nodeImageRef(ctx);
    const localId = ctx.app.args.dryRun ? null : (ctx.image?.id ?? (await ctx.docker.imageId(image)));
    if (!ctx.app.args.dryRun && !localId) {
      throw new DevenvError(`${image} is not in the local Docker engine, so it cannot be loaded into kind.`, { exitCode: ExitCode.prerequisite, hint: 'let `devenv up --k8s` build it (unset BLOCKCHAIN_NODE_IMAGE), or build/pull that image first.' });
    }
    const what = await loadIfChanged(ctx, image, localId);
    io.report(what === 'present' ? `${image} already in node ${ctx.kind.controlPlane} (${localId?.slice(0, 19)})` : `${ctx.app.args.dryRun ? 'would load' : 'loaded'} ${image}`);
  },
};
