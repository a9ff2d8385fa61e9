// `devenv up --watch` on Compose: after the `up` pipeline, the watch loop
// with the Compose target. The image build is the pipeline's own step.
import { existsSync } from 'node:fs';
import type { AppContext } from '../context.ts';
import { configPath } from '../config.ts';
import { DevenvError, ExitCode } from '../errors.ts';
import { buildImageStep } from '../pipelines/steps/build-image.step.ts';
import type { ComposeContext } from '../pipelines/compose-context.ts';
import { findComposeCli } from '../compose/compose-project.ts';
import { imageFilesOf, type WatchLayout } from './changes.ts';
import { ComposeWatchTarget } from './compose-target.ts';
import { runWatch, type ChangeOutcome } from './watch-loop.ts';

export function watchLayout(app: AppContext, topology: { composeFile?: string; manifestsDir?: string }): WatchLayout {
  const contextDir = configPath(app.config, app.config.image.context);
  return { contextDir, imageFiles: imageFilesOf(contextDir, app.config.image.dockerfile, existsSync), ...topology };
}

/** --watch builds the node itself: an image named by BLOCKCHAIN_NODE_IMAGE cannot be rebuilt. */
export function requireBuiltImage(ctx: { image?: { ref: string; external: boolean } }): string {
  if (!ctx.image || ctx.image.external) {
    throw new DevenvError('--watch rebuilds the node, but BLOCKCHAIN_NODE_IMAGE names an image devenv does not build.', { exitCode: ExitCode.usage, hint: 'unset BLOCKCHAIN_NODE_IMAGE to watch the reference node sources, or run `devenv up` without --watch.' });
  }
  return ctx.image.ref;
}

export async function watchCompose(app: AppContext, ctx: ComposeContext, signal: AbortSignal, onOutcome?: (o: ChangeOutcome) => void): Promise<ChangeOutcome[]> {
  const ref = requireBuiltImage(ctx);
  const cli = ctx.composeCli ?? (await findComposeCli(app));
  const target = new ComposeWatchTarget(app, ctx.docker, cli, ref);
  const silentIo = { report: (line: string) => app.output.debug(line) };
  return runWatch({
    app,
    target,
    layout: watchLayout(app, { composeFile: configPath(app.config, app.config.compose.file) }),
    buildImage: async () => {
      await buildImageStep.run(ctx, silentIo);
      return requireBuiltImage(ctx);
    },
    signal,
    print: (line) => app.output.info(line),
    onOutcome: (o) => {
      if (app.output.json) app.output.event({ event: 'watch', ...o });
      onOutcome?.(o);
    },
  });
}
