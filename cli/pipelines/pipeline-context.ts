// State shared by the steps of `up` (both environments): a typed context
// instead of variables captured across closures.
import type { AppContext } from '../context.ts';
import { DockerClient, type DockerEngine } from '../adapters/docker.ts';

export interface BuiltImage {
  /** e.g. blockchain-node:3f9a1c2b7d10 */
  ref: string;
  id: string | null;
  /** False when an image with this content hash already existed. */
  built: boolean;
  hash: string;
  /** True when BLOCKCHAIN_NODE_IMAGE named an image and devenv built nothing. */
  external: boolean;
}

export interface PipelineContext {
  app: AppContext;
  docker: DockerEngine;
  image?: BuiltImage;
}

export function createPipelineContext(app: AppContext): PipelineContext {
  return { app, docker: new DockerClient(app.env, app.plan, app.redactor, app.args.dryRun) };
}
