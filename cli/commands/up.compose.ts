// `devenv up` on Docker Compose: the pipeline, then the endpoints table.
// Loaded only when the command runs, so `devenv --help` stays fast.
import type { AppContext } from '../context.ts';
import { runPipeline } from '../pipelines/pipeline.ts';
import { createPipelineContext } from '../pipelines/pipeline-context.ts';
import { composeUpPipeline } from '../pipelines/compose-up.pipeline.ts';
import type { ComposeContext } from '../pipelines/compose-context.ts';
import { composeStatus, endpointsTable } from '../compose/compose-status.ts';

export async function upCompose(app: AppContext, argv: { timeout: number }): Promise<ComposeContext> {
  const ctx: ComposeContext = { ...createPipelineContext(app), timeoutSeconds: argv.timeout };
  await runPipeline(composeUpPipeline(), ctx, app.output);
  if (app.args.dryRun) return ctx;
  const rows = await composeStatus(app, ctx.docker, ctx.composeFile?.defaultServices ?? [], ctx.smoke?.nodes);
  const { text, endpoints } = endpointsTable(rows);
  const image = ctx.image ? `${ctx.image.ref}${ctx.image.built ? ' (built)' : ' (up to date)'}` : '';
  const restarted = (ctx.configRestarts ?? []).map((r) => `Restarted ${r.service}: ${r.reason}.\n`).join('');
  app.output.result(`Network up (image ${image}; height ${ctx.smoke?.webserverHeight ?? '?'}).\n${restarted}\n${text}`, { ok: true, image: ctx.image, height: ctx.smoke?.webserverHeight, restarted: ctx.configRestarts ?? [], services: rows, endpoints });
  return ctx;
}
