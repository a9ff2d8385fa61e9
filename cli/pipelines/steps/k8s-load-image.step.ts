// The node image into kind. kind has no registry: `kind load docker-image`
// copies the image from the local Docker into the node's containerd. Skipped
// when the node already has that image ID (the check kind itself makes, done
// here so the skip is visible and no `docker save` runs).
import { DevenvError, ExitCode } from '../../errors.ts';
import type { K8sContext } from '../k8s-context.ts';
import type { Step } from '../pipeline.ts';

export function nodeImageRef(ctx: K8sContext): string {
  return ctx.image?.ref ?? ctx.app.env.BLOCKCHAIN_NODE_IMAGE ?? `${ctx.app.config.image.name}:dev`;
}

/** Loads one image unless the node has the same ID; returns what happened, for the report. */
export async function loadIfChanged(ctx: K8sContext, image: string, localId: string | null): Promise<'loaded' | 'present'> {
  const nodeId = await ctx.kind.nodeImageId(image);
  if (localId && nodeId === localId) return 'present';
  await ctx.kind.loadImage(image);
  ctx.loadedImages.push(image);
  return 'loaded';
}

export const k8sLoadImageStep: Step<K8sContext> = {
  name: 'Load the node image into kind',
  skip: (ctx) => (ctx.target.skipKind ? 'existing cluster: devenv loads images only into its kind cluster' : false),
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
