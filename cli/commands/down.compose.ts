// `devenv down` on Docker Compose: containers and network go; this project's
// volumes (the chains, the wallets) only with --volumes, named first.
import type { AppContext } from '../context.ts';
import { createPipelineContext } from '../pipelines/pipeline-context.ts';
import { openCompose } from '../compose/compose-project.ts';

export async function downCompose(app: AppContext, argv: { volumes: boolean }): Promise<void> {
  const { docker } = createPipelineContext(app);
  const compose = await openCompose(app);
  const project = app.config.compose.project;
  const projectVolumes = async () => (await docker.listVolumes([`com.docker.compose.project=${project}`])).map((v) => v.name).sort();
  let volumes: string[] = [];
  if (argv.volumes && !app.args.dryRun) {
    volumes = await projectVolumes();
    app.output.info(volumes.length ? `deleting ${volumes.length} volume(s) of project ${project}: ${volumes.join(', ')}` : `project ${project} has no volumes`);
  }
  await compose.run(argv.volumes ? ['down', '--remove-orphans', '--volumes'] : ['down', '--remove-orphans'], { timeoutMs: 180_000, onLine: (l) => app.output.debug(l) });
  if (app.args.dryRun) return;
  const kept = argv.volumes ? [] : await projectVolumes();
  app.output.result(
    argv.volumes ? `Removed the containers, network and volumes of ${project}.` : `Removed the containers and network of ${project}; kept ${kept.length} volume(s) (devenv down --volumes deletes them).`,
    { ok: true, project, removedVolumes: volumes, keptVolumes: kept },
  );
}
