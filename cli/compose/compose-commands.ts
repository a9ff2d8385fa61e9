// The Compose bodies of up, down, status and logs: argv to options to one
// pipeline or adapter call, and the result printed. The command modules load
// this file only when a Compose command runs, so `devenv --help` stays fast.
import type { AppContext } from '../context.ts';
import { configPath } from '../config.ts';
import { runPipeline } from '../pipelines/pipeline.ts';
import { createPipelineContext } from '../pipelines/pipeline-context.ts';
import { composeUpPipeline } from '../pipelines/compose-up.pipeline.ts';
import type { ComposeContext } from '../pipelines/compose-context.ts';
import { checkComposeFile } from './compose-file.ts';
import { openCompose } from './compose-project.ts';
import { composeStatus, endpointsTable, formatStatusTable } from './compose-status.ts';

export async function upCompose(app: AppContext, argv: { timeout: number }): Promise<void> {
  const ctx: ComposeContext = { ...createPipelineContext(app), timeoutSeconds: argv.timeout };
  await runPipeline(composeUpPipeline(), ctx, app.output);
  if (app.args.dryRun) return;
  const rows = await composeStatus(app, ctx.docker, ctx.composeFile?.defaultServices ?? []);
  const { text, endpoints } = endpointsTable(rows);
  const image = ctx.image ? `${ctx.image.ref}${ctx.image.built ? ' (built)' : ' (up to date)'}` : '';
  app.output.result(`Network up (image ${image}; height ${ctx.smoke?.webserverHeight ?? '?'}).\n\n${text}`, { ok: true, image: ctx.image, height: ctx.smoke?.webserverHeight, services: rows, endpoints });
}

export async function downCompose(app: AppContext, argv: { volumes: boolean }): Promise<void> {
  const { docker } = createPipelineContext(app);
  const compose = await openCompose(app);
  const project = app.config.compose.project;
  const projectVolumes = async () => (await docker.listVolumes([`com.docker.compose.project=${project}`])).map((v) => v.name).sort();
  let volumes: string[] = [];
  if (argv.volumes && !app.args.dryRun) {
    volumes = await projectVolumes();
    app.output.info(volumes.length ? `deleting ${volumes.length} volume(s) of project ${project}: ${volumes.join(', ')}` : `project ${project} has no volumes`);
  }
  await compose.run(argv.volumes ? ['down', '--remove-orphans', '--volumes'] : ['down', '--remove-orphans'], { timeoutMs: 180_000, onLine: (l) => app.output.debug(l) });
  if (app.args.dryRun) return;
  const kept = argv.volumes ? [] : await projectVolumes();
  app.output.result(
    argv.volumes ? `Removed the containers, network and volumes of ${project}.` : `Removed the containers and network of ${project}; kept ${kept.length} volume(s) (devenv down --volumes deletes them).`,
    { ok: true, project, removedVolumes: volumes, keptVolumes: kept },
  );
}

export async function statusCompose(app: AppContext): Promise<void> {
  const { docker } = createPipelineContext(app);
  await docker.ping();
  const file = checkComposeFile(configPath(app.config, app.config.compose.file), app.cwd);
  const rows = await composeStatus(app, docker, file.defaultServices);
  app.output.result(formatStatusTable(rows), { project: app.config.compose.project, services: rows });
}

export async function logsCompose(app: AppContext, argv: { service?: string; follow: boolean; tail: number }): Promise<number | void> {
  const compose = await openCompose(app);
  const args = ['logs', '--no-color', '--tail', String(argv.tail), ...(argv.follow ? ['--follow'] : []), ...(argv.service ? [argv.service] : [])];
  const print = app.output.json ? (line: string) => app.output.event({ event: 'log-line', line }) : (line: string) => process.stdout.write(app.redactor.redact(line) + '\n');
  const res = await compose.run(args, { onLine: print, check: false });
  if (res.exitCode !== 0 && !res.dryRun) {
    app.output.warn(res.stderr.trim() || `compose logs exited with ${res.exitCode}`);
    return 1;
  }
}
