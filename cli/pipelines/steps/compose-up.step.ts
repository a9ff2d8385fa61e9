import { composeFor, findComposeCli } from '../../compose/compose-project.ts';
import type { ComposeContext } from '../compose-context.ts';
import type { Step } from '../pipeline.ts';

/** `compose up -d`: Compose itself recreates only what changed (the image tag, the file). */
export const composeUpStep: Step<ComposeContext> = {
  name: 'Start the services (compose up -d)',
  run: async (ctx, io) => {
    // The preflight already found the Compose CLI; the image tag is new.
    ctx.compose = composeFor(ctx.app, ctx.composeCli ?? (await findComposeCli(ctx.app)), ctx.image?.ref);
    const res = await ctx.compose.run(['up', '-d', '--no-build', '--remove-orphans'], { timeoutMs: 300_000, onLine: (l) => io.report(l) });
    if (!res.dryRun) io.report('containers started');
  },
};
