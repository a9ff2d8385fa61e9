import { composeFor, findComposeCli } from '../../compose/compose-project.ts';
import { composeUpNeeded, parseServiceHashes } from '../../compose/compose-unchanged.ts';
import type { ComposeContext } from '../compose-context.ts';
import type { Step } from '../pipeline.ts';

/**
 * Why `compose up` must run, or null when it would change nothing (Compose
 * v2's own recreate rule, compose-unchanged.ts). v1 labels its containers
 * differently: it always runs `up`.
 */
async function whyUp(ctx: ComposeContext): Promise<string | null> {
  const compose = ctx.compose!;
  if (compose.cli.flavor !== 'v2') return 'Compose v1';
  const res = await compose.run(['config', '--hash', '*'], { check: false, timeoutMs: 60_000 });
  if (res.exitCode !== 0) return `\`compose config --hash\` failed (exit ${res.exitCode})`;
  const containers = await ctx.docker.listContainers({ label: [`com.docker.compose.project=${compose.project.name}`] });
  const refs = [...new Set(containers.map((c) => c.image))];
  const ids = await Promise.all(refs.map((r) => ctx.docker.imageId(r)));
  return composeUpNeeded(parseServiceHashes(res.stdout), containers, new Map(refs.map((r, i) => [r, ids[i]])));
}

/** `compose up -d`: Compose itself recreates only what changed (the image tag, the file); with nothing changed it is not run. */
export const composeUpStep: Step<ComposeContext> = {
  name: 'Start the services (compose up -d)',
  run: async (ctx, io) => {
    // The preflight already found the Compose CLI; the image tag is new.
    ctx.compose = composeFor(ctx.app, ctx.composeCli ?? (await findComposeCli(ctx.app)), ctx.image?.ref);
    if (!ctx.app.args.dryRun) {
      const why = await whyUp(ctx);
      if (!why) {
        io.report('nothing changed: every container runs its current configuration and image (compose up not needed)');
        return;
      }
      io.report(`compose up: ${why}`);
    }
    const res = await ctx.compose.run(['up', '-d', '--no-build', '--remove-orphans'], { timeoutMs: 300_000, onLine: (l) => io.report(l) });
    if (!res.dryRun) io.report('containers started');
  },
};
