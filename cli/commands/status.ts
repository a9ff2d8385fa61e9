import type { CommandModule } from 'yargs';
import type { GlobalArgs } from '../context.ts';
import { configPath } from '../config.ts';
import { checkComposeFile } from '../compose/compose-file.ts';
import { composeStatus, formatStatusTable } from '../compose/compose-status.ts';
import { createPipelineContext } from '../pipelines/pipeline-context.ts';
import { runCommand } from './run-command.ts';
import { K8S_OPTION, KUBECONFIG_OPTION, statusK8s } from '../k8s/k8s-commands.ts';

interface StatusArgs {
  compose?: boolean;
  k8s?: boolean;
  kubeconfig?: string;
}

export const statusCommand: CommandModule<GlobalArgs, GlobalArgs & StatusArgs> = {
  command: 'status',
  describe: 'Per service: state, health, chain height, peers, image and ports',
  builder: (y) =>
    y
      .option('compose', { type: 'boolean', describe: 'Docker Compose environment (the default)' })
      // --k8s: cli/k8s/k8s-commands.ts
      .option('k8s', K8S_OPTION)
      .option('kubeconfig', KUBECONFIG_OPTION)
      .conflicts('compose', 'k8s')
      .example('$0 status --json', 'the same as JSON'),
  handler: runCommand<StatusArgs>(async (app, argv) => {
    if (argv.k8s) return statusK8s(app, argv);
    const { docker } = createPipelineContext(app);
    await docker.ping();
    const file = checkComposeFile(configPath(app.config, app.config.compose.file), app.cwd);
    const rows = await composeStatus(app, docker, file.defaultServices);
    app.output.result(formatStatusTable(rows), { project: app.config.compose.project, services: rows });
  }),
};
