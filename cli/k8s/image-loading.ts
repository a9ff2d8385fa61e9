// Images into the kind node. kind has no registry: `kind load docker-image`
// copies an image from the local Docker into the node's containerd. An image
// the node already has with the same ID is not loaded again (the check kind
// itself makes, done here so the skip is visible and no `docker save` runs);
// one the local Docker lacks is left for the node to pull.
import type { KindEngine } from '../adapters/kind.ts';
import type { DockerEngine } from '../adapters/docker.ts';

export interface ImageLoadTarget {
  app: { args: { dryRun: boolean } };
  kind: Pick<KindEngine, 'nodeImageId' | 'loadImage'>;
  docker: Pick<DockerEngine, 'imageId'>;
  /** Every image loaded in this run, for the result and the rollout diagnosis. */
  loadedImages: string[];
}

/** Loads one image unless the node has the same ID; returns what happened, for the report. */
export async function loadIfChanged(t: ImageLoadTarget, image: string, localId: string | null): Promise<'loaded' | 'present'> {
  const nodeId = await t.kind.nodeImageId(image);
  if (localId && nodeId === localId) return 'present';
  await t.kind.loadImage(image);
  t.loadedImages.push(image);
  return 'loaded';
}

/** Loads each image the local Docker has and the node lacks; returns one line per image. */
export async function preloadImages(t: ImageLoadTarget, images: string[], report: (line: string) => void): Promise<string[]> {
  const done: string[] = [];
  for (const image of images) {
    if (t.app.args.dryRun) {
      await t.kind.nodeImageId(image);
      await t.kind.loadImage(image, 'only when the local Docker has the image and the node lacks it');
      continue;
    }
    const localId = await t.docker.imageId(image);
    done.push(localId ? `${image}: ${await loadIfChanged(t, image, localId)}` : `${image}: not in the local Docker, the node pulls it`);
    report(done[done.length - 1]);
  }
  return done;
}
