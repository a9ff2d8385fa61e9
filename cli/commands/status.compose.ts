// `devenv status` on Docker Compose: one row per service of the file.
import type { AppContext } from '../context.ts';
import { configPath } from '../config.ts';
import { createPipelineContext } from '../pipelines/pipeline-context.ts';
import { checkComposeFile } from '../compose/compose-file.ts';
import { composeStatus, formatStatusTable } from '../compose/compose-status.ts';

export async function statusCompose(app: AppContext): Promise<void> {
  const { docker } = createPipelineContext(app);
  await docker.ping();
  const file = checkComposeFile(configPath(app.config, app.config.compose.file), app.cwd);
  const rows = await composeStatus(app, docker, file.defaultServices);
  app.output.result(formatStatusTable(rows), { project: app.config.compose.project, services: rows });
}
