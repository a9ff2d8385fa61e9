// Everything `up --compose` needs is checked before anything is created:
// the Compose file (exit 2 with file and line), the daemon and the Compose CLI
// (exit 3), and the host ports (free, or held by this very project).
import { configPath } from '../../config.ts';
import { DevenvError, ExitCode } from '../../errors.ts';
import { checkComposeFile } from '../../compose/compose-file.ts';
import { findComposeCli } from '../../compose/compose-project.ts';
import { describeHolder } from '../../adapters/ports.ts';
import { checkHostPorts, isBlocked, portsNeeded, projectHostPorts } from '../../adapters/host-ports.ts';
import type { ComposeContext } from '../compose-context.ts';
import type { Step } from '../pipeline.ts';

export const composePreflightStep: Step<ComposeContext> = {
  name: 'Preflight: Compose file, Docker daemon, Compose CLI, host ports',
  run: async (ctx, io) => {
    const { app } = ctx;
    ctx.composeFile = checkComposeFile(configPath(app.config, app.config.compose.file), app.cwd);
    io.report(`${ctx.composeFile.file}: ${ctx.composeFile.defaultServices.join(', ')}`);
    if (app.args.dryRun) {
      ctx.composeCli = await findComposeCli(app);
      return;
    }
    const info = await ctx.docker.ping();
    io.report(`Docker Engine ${info.serverVersion}`);
    ctx.composeCli = await findComposeCli(app);
    io.report(`using ${ctx.composeCli.argv.join(' ')} ${ctx.composeCli.version}`);
    const needs = portsNeeded(app).filter((n) => n.requiredFor.includes('compose'));
    for (const c of await checkHostPorts(needs, await projectHostPorts(ctx.docker, app.config.compose.project))) {
      if (isBlocked(c)) {
        throw new DevenvError(`host port ${c.port} (${c.what}) is taken by ${describeHolder(c.state.holder)}; nothing was created.`, {
          exitCode: ExitCode.prerequisite,
          hint: `stop that process, or choose another port: set ports in devenv.yaml or DEVENV_*_PORT (e.g. DEVENV_API_PORT=18080 devenv up).`,
        });
      }
    }
  },
};
