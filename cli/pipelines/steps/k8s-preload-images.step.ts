// The other images the manifests run (redis): loaded into kind when the
// local Docker has them, so an offline machine with pre-pulled images never
// needs a registry. Images not present locally are left to the node to pull.
// (The metrics-server image is loaded by its own step, before it is applied.)
import { preloadImages } from '../../k8s/image-loading.ts';
import { imagePins, nodeImageRef, pinnedImage } from '../../k8s/images.ts';
import { imagesOf } from '../../manifests/objects.ts';
import type { K8sContext } from '../k8s-context.ts';
import type { Step } from '../pipeline.ts';

/** The images the applied manifests run, pinned, other than the node image. */
function otherImages(ctx: K8sContext): string[] {
  const pins = imagePins(ctx);
  const node = nodeImageRef(ctx);
  const pinned = imagesOf((ctx.rendered?.phases ?? []).flatMap((p) => p.objects)).map((i) => pinnedImage(i, pins));
  return [...new Set(pinned)].filter((i) => i !== node);
}

export const k8sPreloadImagesStep: Step<K8sContext> = {
  name: 'Preload the other images into kind',
  skip: (ctx) => (ctx.target.existingCluster ? 'existing cluster: devenv loads images only into its kind cluster' : otherImages(ctx).length === 0 ? 'no other images' : false),
  run: async (ctx, io) => {
    const done = await preloadImages(ctx, otherImages(ctx), (l) => io.report(l));
    if (done.length) io.report(done.join('; '));
  },
};
