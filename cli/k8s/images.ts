// The images devenv runs in the cluster, whatever the manifests name: the
// node image it built (the same content-hash tag as Compose) or was told to
// use, and the configured Redis image. Pure: the context's values in, image
// references out.
import type { DevenvConfig } from '../config.ts';
import { parseImageRef } from '../manifests/image-ref.ts';

export interface ImageChoice {
  /** What the build step produced, when it ran. */
  image?: { ref: string };
  app: { env: NodeJS.ProcessEnv; config: Pick<DevenvConfig, 'image' | 'images'> };
}

/** The node image: the one built, else BLOCKCHAIN_NODE_IMAGE, else `<image.name>:dev`. */
export function nodeImageRef(ctx: ImageChoice): string {
  return ctx.image?.ref ?? ctx.app.env.BLOCKCHAIN_NODE_IMAGE ?? `${ctx.app.config.image.name}:dev`;
}

/** Image repository name -> the reference devenv runs instead (kustomize's `images:`, by name). */
export function imagePins(ctx: ImageChoice): Record<string, string> {
  const { config } = ctx.app;
  const pins: Record<string, string> = { [config.image.name]: nodeImageRef(ctx), redis: config.images.redis };
  // The manifests may already name the configured redis image (then nothing changes).
  pins[parseImageRef(config.images.redis).name] = config.images.redis;
  return pins;
}

/** One image reference after the pins: what replaceImages() would put in its place. */
export function pinnedImage(image: string, pins: Record<string, string>): string {
  return pins[parseImageRef(image).name] ?? image;
}
