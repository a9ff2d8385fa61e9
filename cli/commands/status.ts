import type { CommandModule } from 'yargs';
import type { GlobalArgs } from '../context.ts';
import { configPath } from '../config.ts';
import { checkComposeFile } from '../compose/compose-file.ts';
import { composeStatus, formatStatusTable } from '../compose/compose-status.ts';
import { createPipelineContext } from '../pipelines/pipeline-context.ts';
import { runCommand } from './run-command.ts';

interface StatusArgs {
  compose?: boolean;
}

export const statusCommand: CommandModule<GlobalArgs, GlobalArgs & StatusArgs> = {
  command: 'status',
  describe: 'Per service: state, health, chain height, peers, image and ports',
  builder: (y) => y.option('compose', { type: 'boolean', describe: 'Docker Compose environment (the default)' }).example('$0 status --json', 'the same as JSON'),
  handler: runCommand<StatusArgs>(async (app) => {
    const { docker } = createPipelineContext(app);
    await docker.ping();
    const file = checkComposeFile(configPath(app.config, app.config.compose.file), app.cwd);
    const rows = await composeStatus(app, docker, file.defaultServices);
    app.output.result(formatStatusTable(rows), { project: app.config.compose.project, services: rows });
  }),
};
