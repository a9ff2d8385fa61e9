import type { CommandModule } from 'yargs';
import type { GlobalArgs } from '../context.ts';
import { openCompose } from '../compose/compose-project.ts';
import { createPipelineContext } from '../pipelines/pipeline-context.ts';
import { runCommand } from './run-command.ts';
import { K8S_OPTION, KUBECONFIG_OPTION, downK8s } from '../k8s/k8s-commands.ts';

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
      // --k8s: cli/k8s/k8s-commands.ts
      .option('k8s', K8S_OPTION)
      .option('cluster', { type: 'boolean', default: false, describe: 'With --k8s: also delete the kind cluster' })
      .option('kubeconfig', KUBECONFIG_OPTION)
      .conflicts('compose', 'k8s')
      .option('volumes', { type: 'boolean', default: false, describe: "Also delete the data (chains and wallets): Compose: this project's volumes; --k8s: the namespace and its PVCs. Kept without it" })
      .example('$0 down', 'stop the network, keep the chains')
      .example('$0 down --volumes', "stop it and delete this project's volumes")
      .example('$0 down --k8s --cluster', 'delete the namespace (and its PVCs) and the kind cluster'),
  handler: runCommand<DownArgs>(async (app, argv) => {
    if (argv.k8s) return downK8s(app, argv);
    const { docker } = createPipelineContext(app);
    const compose = await openCompose(app);
    let volumes: string[] = [];
    if (argv.volumes && !app.args.dryRun) {
      volumes = (await docker.listVolumes([`com.docker.compose.project=${app.config.compose.project}`])).map((v) => v.name).sort();
      app.output.info(volumes.length ? `deleting ${volumes.length} volume(s) of project ${app.config.compose.project}: ${volumes.join(', ')}` : `project ${app.config.compose.project} has no volumes`);
    }
    await compose.run(argv.volumes ? ['down', '--remove-orphans', '--volumes'] : ['down', '--remove-orphans'], { timeoutMs: 180_000, onLine: (l) => app.output.debug(l) });
    if (app.args.dryRun) return;
    const kept = argv.volumes ? [] : (await docker.listVolumes([`com.docker.compose.project=${app.config.compose.project}`])).map((v) => v.name);
    app.output.result(
      argv.volumes ? `Removed the containers, network and volumes of ${app.config.compose.project}.` : `Removed the containers and network of ${app.config.compose.project}; kept ${kept.length} volume(s) (devenv down --volumes deletes them).`,
      { ok: true, project: app.config.compose.project, removedVolumes: volumes, keptVolumes: kept },
    );
  }),
};
