import type { CommandModule } from 'yargs';
import type { GlobalArgs } from '../context.ts';
import { runCommand } from './run-command.ts';
import { K8S_OPTION, KUBECONFIG_OPTION } from './k8s-options.ts';

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
      // --k8s: the body is in <command>.k8s.ts, Compose's in <command>.compose.ts
      .option('k8s', K8S_OPTION)
      .option('kubeconfig', KUBECONFIG_OPTION)
      .conflicts('compose', 'k8s')
      .example('$0 status --json', 'the same as JSON'),
  handler: runCommand<StatusArgs>(async (app, argv) =>
    argv.k8s ? (await import('./status.k8s.ts')).statusK8s(app, argv) : (await import('./status.compose.ts')).statusCompose(app),
  ),
};
