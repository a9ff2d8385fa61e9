import type { CommandModule } from 'yargs';
import type { GlobalArgs } from '../context.ts';
import { runCommand } from './run-command.ts';
import { K8S_OPTION, KUBECONFIG_OPTION } from './k8s-options.ts';

interface LogsArgs {
  compose?: boolean;
  service?: string;
  k8s?: boolean;
  kubeconfig?: string;
  follow: boolean;
  tail: number;
}

export const logsCommand: CommandModule<GlobalArgs, GlobalArgs & LogsArgs> = {
  command: 'logs [service]',
  describe: "Show the services' logs (all, or one service)",
  builder: (y) =>
    y
      .positional('service', { type: 'string', describe: 'e.g. webserver_1' })
      .option('compose', { type: 'boolean', describe: 'Docker Compose environment (the default)' })
      // --k8s: the body is in <command>.k8s.ts, Compose's in <command>.compose.ts
      .option('k8s', K8S_OPTION)
      .option('kubeconfig', KUBECONFIG_OPTION)
      .conflicts('compose', 'k8s')
      .option('follow', { alias: 'f', type: 'boolean', default: false, describe: 'Keep streaming new lines' })
      .option('tail', { type: 'number', default: 100, describe: 'Lines per service to start with' })
      .example('$0 logs webserver_1 --follow', "stream the webserver's log"),
  handler: runCommand<LogsArgs>(async (app, argv) =>
    argv.k8s ? (await import('./logs.k8s.ts')).logsK8s(app, argv) : (await import('./logs.compose.ts')).logsCompose(app, argv),
  ),
};
