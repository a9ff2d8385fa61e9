import type { CommandModule } from 'yargs';
import type { GlobalArgs } from '../context.ts';
import { openCompose } from '../compose/compose-project.ts';
import { runCommand } from './run-command.ts';
import { K8S_OPTION, KUBECONFIG_OPTION, logsK8s } from '../k8s/k8s-commands.ts';

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
      // --k8s: cli/k8s/k8s-commands.ts
      .option('k8s', K8S_OPTION)
      .option('kubeconfig', KUBECONFIG_OPTION)
      .conflicts('compose', 'k8s')
      .option('follow', { alias: 'f', type: 'boolean', default: false, describe: 'Keep streaming new lines' })
      .option('tail', { type: 'number', default: 100, describe: 'Lines per service to start with' })
      .example('$0 logs webserver_1 --follow', "stream the webserver's log"),
  handler: runCommand<LogsArgs>(async (app, argv) => {
    if (argv.k8s) return logsK8s(app, argv);
    const compose = await openCompose(app);
    const args = ['logs', '--no-color', '--tail', String(argv.tail), ...(argv.follow ? ['--follow'] : []), ...(argv.service ? [argv.service] : [])];
    const res = await compose.run(args, { onLine: (line) => process.stdout.write(app.redactor.redact(line) + '\n'), check: false });
    if (res.exitCode !== 0 && !res.dryRun) {
      app.output.warn(res.stderr.trim() || `compose logs exited with ${res.exitCode}`);
      return 1;
    }
  }),
};
