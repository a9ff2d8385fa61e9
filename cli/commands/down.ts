import type { CommandModule } from 'yargs';
import type { GlobalArgs } from '../context.ts';
import { openCompose } from '../compose/compose-project.ts';
import { createPipelineContext } from '../pipelines/pipeline-context.ts';
import { runCommand } from './run-command.ts';

interface DownArgs {
  compose?: boolean;
  volumes: boolean;
}

export const downCommand: CommandModule<GlobalArgs, GlobalArgs & DownArgs> = {
  command: 'down',
  describe: 'Stop and remove the containers and network; volumes (the chains, the wallets) are kept unless --volumes',
  builder: (y) =>
    y
      .option('compose', { type: 'boolean', describe: 'Docker Compose environment (the default)' })
      .option('volumes', { type: 'boolean', default: false, describe: "Also delete this project's volumes (chain data and wallets)" })
      .example('$0 down', 'stop the network, keep the chains')
      .example('$0 down --volumes', "stop it and delete this project's volumes"),
  handler: runCommand<DownArgs>(async (app, argv) => {
    const { docker } = createPipelineContext(app);
    const compose = await openCompose(app);
    let volumes: string[] = [];
    if (argv.volumes && !app.args.dryRun) {
      volumes = (await docker.listVolumes([`com.docker.compose.project=${app.config.compose.project}`])).map((v) => v.name);
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
