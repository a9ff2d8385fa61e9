// The other images the manifests run (redis): loaded into kind when the
// local Docker has them, so an offline machine with pre-pulled images never
// needs a registry. Images not present locally are left to the node to pull.
// (The metrics-server image is loaded by its own step, before it is applied.)
import { imagesOf } from '../../manifests/objects.ts';
import type { K8sContext } from '../../k8s/k8s-context.ts';
import type { Step } from '../pipeline.ts';
import { finalPhases } from './k8s-apply.step.ts';
import { loadIfChanged, nodeImageRef } from './k8s-load-image.step.ts';

export function otherImages(ctx: K8sContext): string[] {
  const node = nodeImageRef(ctx);
  return imagesOf(finalPhases(ctx).flatMap((p) => p.objects)).filter((i) => i !== node);
}

/** Loads each image the local Docker has and the node lacks; returns one line per image. */
export async function preload(ctx: K8sContext, images: string[], report: (line: string) => void): Promise<string[]> {
  const done: string[] = [];
  for (const image of images) {
    if (ctx.app.args.dryRun) {
      await ctx.kind.nodeImageId(image);
      await ctx.kind.loadImage(image, 'only when the local Docker has the image and the node lacks it');
      continue;
    }
    const localId = await ctx.docker.imageId(image);
    done.push(localId ? `${image}: ${await loadIfChanged(ctx, image, localId)}` : `${image}: not in the local Docker, the node pulls it`);
    report(done[done.length - 1]);
  }
  return done;
}

export const k8sPreloadImagesStep: Step<K8sContext> = {
  name: 'Preload the other images into kind',
  skip: (ctx) => (ctx.target.skipKind ? 'existing cluster: devenv loads images only into its kind cluster' : otherImages(ctx).length === 0 ? 'no other images' : false),
  run: async (ctx, io) => {
    const done = await preload(ctx, otherImages(ctx), (l) => io.report(l));
    if (done.length) io.report(done.join('; '));
  },
};
