// Everything `up --compose` needs is checked before anything is created:
// the Compose file and every config file it bind-mounts (exit 2 with file and
// line), the daemon and the Compose CLI (exit 3), and the host ports (free, or
// held by this very project).
import { configPath } from '../../config.ts';
import { DevenvError, ExitCode } from '../../errors.ts';
import { checkComposeFile } from '../../compose/compose-file.ts';
import { composeProject, findComposeCli } from '../../compose/compose-project.ts';
import { loadCompose } from '../../topology/compose.loader.ts';
import { composeMountedConfigFiles, configSyntaxError } from '../../topology/mounted-config.ts';
import { describeHolder } from '../../adapters/ports.ts';
import { checkHostPorts, isBlocked, kindClusterHostPorts, portsNeeded, projectHostPorts } from '../../adapters/host-ports.ts';
import type { ComposeContext } from '../compose-context.ts';
import type { Step } from '../pipeline.ts';
import { allInOrder } from '../../all-in-order.ts';

export const composePreflightStep: Step<ComposeContext> = {
  name: 'Preflight: Compose file, mounted config files, Docker daemon, Compose CLI, host ports',
  run: async (ctx, io) => {
    const { app } = ctx;
    const composePath = configPath(app.config, app.config.compose.file);
    ctx.composeFile = checkComposeFile(composePath, app.cwd);
    io.report(`${ctx.composeFile.file}: ${ctx.composeFile.defaultServices.join(', ')}`);
    // Interpolated as Compose will see it (devenv's variables over the shell's), so
    // a bind source written with ${VAR} is the file Compose mounts.
    const topology = loadCompose({ files: [composePath], environment: { ...app.env, ...composeProject(app).env }, cwd: app.cwd });
    ctx.mountedConfig = composeMountedConfigFiles(topology);
    const broken = configSyntaxError(ctx.mountedConfig);
    if (broken) throw broken;
    if (ctx.mountedConfig.length) io.report(`mounted config parses: ${[...new Set(ctx.mountedConfig.map((f) => f.file))].join(', ')}`);
    if (app.args.dryRun) {
      ctx.composeCli = await findComposeCli(app);
      return;
    }
    // The daemon, the Compose CLI (cached per machine) and the host ports are
    // independent: asked at once, reported (and failed) in this order.
    const needs = portsNeeded(app).filter((n) => n.requiredFor.includes('compose'));
    const [info, cli, ports] = await allInOrder([
      ctx.docker.ping(),
      findComposeCli(app),
      projectHostPorts(ctx.docker, app.config.compose.project).then((owned) => checkHostPorts(needs, owned)),
    ]);
    io.report(`Docker Engine ${info.serverVersion}`);
    ctx.composeCli = cli;
    io.report(`using ${cli.argv.join(' ')} ${cli.version}`);
    for (const c of ports) {
      if (isBlocked(c)) {
        // A kind cluster's port mappings are fixed when it is created: say which cluster, and the way out.
        const kind = (await kindClusterHostPorts(ctx.docker).catch(() => [])).find((p) => p.hostPort === c.port);
        if (kind) {
          throw new DevenvError(`host port ${c.port} (${c.what}) is published by kind cluster ${kind.cluster}, whose port mappings were fixed when it was created; nothing was created.`, {
            exitCode: ExitCode.prerequisite,
            hint: `give Compose other ports (ports: in devenv.yaml, or DEVENV_*_PORT), or recreate the cluster while Compose is up so it takes the side-by-side ports: \`devenv down --k8s --cluster\` (its volumes go with it), \`devenv up\`, then \`devenv up --k8s\` (or set k8s.ports in devenv.yaml).`,
          });
        }
        throw new DevenvError(`host port ${c.port} (${c.what}) is taken by ${describeHolder(c.state.holder)}; nothing was created.`, {
          exitCode: ExitCode.prerequisite,
          hint: `stop that process, or choose another port: set ports in devenv.yaml or DEVENV_*_PORT (e.g. DEVENV_API_PORT=18080 devenv up).`,
        });
      }
    }
  },
};
