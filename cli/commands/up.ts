import type { CommandModule } from 'yargs';
import type { GlobalArgs } from '../context.ts';
import { usageError } from '../errors.ts';
import { runCommand } from './run-command.ts';
import { K8S_OPTION, KUBECONFIG_OPTION } from './k8s-options.ts';

interface UpArgs {
  compose?: boolean;
  timeout: number;
  k8s?: boolean;
  kubeconfig?: string;
}

export const upCommand: CommandModule<GlobalArgs, GlobalArgs & UpArgs> = {
  command: 'up',
  describe: 'Build the node image and bring the whole network up (Docker Compose by default)',
  builder: (y) =>
    y
      .option('compose', { type: 'boolean', describe: 'Docker Compose environment (the default)' })
      // --k8s: the body is in <command>.k8s.ts, Compose's in <command>.compose.ts
      .option('k8s', K8S_OPTION)
      .option('kubeconfig', KUBECONFIG_OPTION)
      .conflicts('compose', 'k8s')
      .option('timeout', { type: 'number', default: 180, describe: 'Seconds to wait for every service to become healthy' })
      .check((argv) => {
        // yargs turns `--timeout abc` into NaN, and a wait bounded by NaN never ends.
        if (!Number.isFinite(argv.timeout) || argv.timeout <= 0) {
          throw usageError(`--timeout must be a number of seconds greater than 0${Number.isNaN(argv.timeout) ? '; what was given is not a number' : `, not ${argv.timeout}`}.`, 'e.g. `devenv up --timeout 300`.');
        }
        return true;
      })
      .example('$0 up', 'miners, webserver and Redis on Docker Compose, then the endpoints')
      .example('$0 up --dry-run', 'print every command and Docker API call, run nothing')
      .example('$0 up --k8s --dry-run', 'the kind plan: cluster config, images, apply order, waits'),
  // Implementations load on use: declaring commands must not load Docker, listr2 or kubectl code.
  handler: runCommand<UpArgs>(async (app, argv) =>
    argv.k8s ? (await import('./up.k8s.ts')).upK8s(app, argv) : (await import('./up.compose.ts')).upCompose(app, argv),
  ),
};
