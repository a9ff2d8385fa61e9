import type { CommandModule } from 'yargs';
import type { GlobalArgs } from '../context.ts';
import { runPipeline } from '../pipelines/pipeline.ts';
import { createPipelineContext } from '../pipelines/pipeline-context.ts';
import { composeUpPipeline } from '../pipelines/compose-up.pipeline.ts';
import type { ComposeContext } from '../pipelines/compose-context.ts';
import { composeStatus, endpointsTable } from '../compose/compose-status.ts';
import { runCommand } from './run-command.ts';
import { K8S_OPTION, KUBECONFIG_OPTION, upK8s } from '../k8s/k8s-commands.ts';

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
      // --k8s: cli/k8s/k8s-commands.ts
      .option('k8s', K8S_OPTION)
      .option('kubeconfig', KUBECONFIG_OPTION)
      .conflicts('compose', 'k8s')
      .option('timeout', { type: 'number', default: 180, describe: 'Seconds to wait for every service to become healthy' })
      .example('$0 up', 'miners, webserver and Redis on Docker Compose, then the endpoints')
      .example('$0 up --dry-run', 'print every command and Docker API call, run nothing')
      .example('$0 up --k8s --dry-run', 'the kind plan: cluster config, images, apply order, waits'),
  handler: runCommand<UpArgs>(async (app, argv) => {
    if (argv.k8s) return upK8s(app, argv);
    const ctx: ComposeContext = { ...createPipelineContext(app), timeoutSeconds: argv.timeout };
    await runPipeline(composeUpPipeline(), ctx, app.output);
    if (app.args.dryRun) return;
    const rows = await composeStatus(app, ctx.docker, ctx.composeFile?.defaultServices ?? []);
    const { text, endpoints } = endpointsTable(rows);
    const image = ctx.image ? `${ctx.image.ref}${ctx.image.built ? ' (built)' : ' (up to date)'}` : '';
    app.output.result(`Network up (image ${image}; height ${ctx.smoke?.webserverHeight ?? '?'}).\n\n${text}`, { ok: true, image: ctx.image, height: ctx.smoke?.webserverHeight, services: rows, endpoints });
  }),
};
