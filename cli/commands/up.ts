import type { CommandModule } from 'yargs';
import type { AppContext, GlobalArgs } from '../context.ts';
import { usageError } from '../errors.ts';
import { runCommand } from './run-command.ts';
import { K8S_OPTION, KUBECONFIG_OPTION } from './k8s-options.ts';

interface UpArgs {
  compose?: boolean;
  timeout: number;
  k8s?: boolean;
  kubeconfig?: string;
  watch?: boolean;
}

/** Ctrl-C while watching: stop after the change in flight (a second Ctrl-C exits at once). */
function interruptSignal(app: AppContext): AbortSignal {
  const ctl = new AbortController();
  process.once('SIGINT', () => {
    app.output.info('Stopping the watch after the change in flight (Ctrl-C again to exit now); the environment keeps running.');
    ctl.abort();
    process.once('SIGINT', () => process.exit(130));
  });
  return ctl.signal;
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
      .option('watch', { type: 'boolean', describe: 'After up: watch the node sources, image files and Compose file / manifests, and put each change into the running environment' })
      .option('timeout', { type: 'number', default: 180, describe: 'Seconds to wait for every service to become healthy' })
      .check((argv) => {
        // yargs turns `--timeout abc` into NaN, and a wait bounded by NaN never ends.
        if (!Number.isFinite(argv.timeout) || argv.timeout <= 0) {
          throw usageError(`--timeout must be a number of seconds greater than 0${Number.isNaN(argv.timeout) ? '; what was given is not a number' : `, not ${argv.timeout}`}.`, 'e.g. `devenv up --timeout 300`.');
        }
        if (argv.watch && argv.dryRun) throw usageError('--watch and --dry-run do not go together: a dry run changes nothing to watch.', 'drop one of them.');
        return true;
      })
      .example('$0 up', 'miners, webserver and Redis on Docker Compose, then the endpoints')
      .example('$0 up --dry-run', 'print every command and Docker API call, run nothing')
      .example('$0 up --watch', 'up, then each saved change of the node runs in seconds (Ctrl-C leaves it running)')
      .example('$0 up --k8s --dry-run', 'the kind plan: cluster config, images, apply order, waits'),
  // Implementations load on use: declaring commands must not load Docker, listr2 or kubectl code.
  handler: runCommand<UpArgs>(async (app, argv) => {
    if (argv.k8s) {
      const ctx = await (await import('./up.k8s.ts')).upK8s(app, argv);
      if (argv.watch && ctx) await (await import('../watch/watch.k8s.ts')).watchK8s(app, ctx, interruptSignal(app));
      return;
    }
    const ctx = await (await import('./up.compose.ts')).upCompose(app, argv);
    if (argv.watch) await (await import('../watch/watch.compose.ts')).watchCompose(app, ctx, interruptSignal(app));
  }),
};
