import type { CommandModule } from 'yargs';
import type { GlobalArgs } from '../context.ts';
import { runCommand } from './run-command.ts';
import { K8S_OPTION, KUBECONFIG_OPTION } from './k8s-options.ts';

interface DownArgs {
  compose?: boolean;
  volumes: boolean;
  k8s?: boolean;
  cluster?: boolean;
  kubeconfig?: string;
}

export const downCommand: CommandModule<GlobalArgs, GlobalArgs & DownArgs> = {
  command: 'down',
  describe: 'Stop and remove the containers and network; volumes (the chains, the wallets) are kept unless --volumes',
  builder: (y) =>
    y
      .option('compose', { type: 'boolean', describe: 'Docker Compose environment (the default)' })
      // --k8s: the body is in <command>.k8s.ts, Compose's in <command>.compose.ts
      .option('k8s', K8S_OPTION)
      .option('cluster', { type: 'boolean', default: false, describe: 'With --k8s: also delete the kind cluster' })
      .option('kubeconfig', KUBECONFIG_OPTION)
      .conflicts('compose', 'k8s')
      .option('volumes', { type: 'boolean', default: false, describe: "Also delete the data (chains and wallets): Compose: this project's volumes; --k8s: the namespace and its PVCs. Kept without it" })
      .example('$0 down', 'stop the network, keep the chains')
      .example('$0 down --volumes', "stop it and delete this project's volumes")
      .example('$0 down --k8s --cluster', 'delete the namespace (and its PVCs) and the kind cluster'),
  handler: runCommand<DownArgs>(async (app, argv) =>
    argv.k8s ? (await import('./down.k8s.ts')).downK8s(app, argv) : (await import('./down.compose.ts')).downCompose(app, argv),
  ),
};
