// After `compose up -d`: restart exactly the services whose bind-mounted
// config files changed since their container started. Compose recreates a
// container when the Compose file or the image changes, never when a mounted
// file does, so without this the webserver would keep serving the old
// Settings.toml while `up` said "Network up". The hashes devenv remembers
// live in .devenv/config-hashes-<project>.json, keyed by container ID.
import { join, resolve } from 'node:path';
import { modifiedMs, readTextIfPresent, writeStateFile } from '../../adapters/state-file.ts';
import { parseConfigHashState, planConfigRestarts, type RunningContainer, type ServiceConfigFiles } from '../../compose/config-restarts.ts';
import { configHashesByReader } from '../../topology/mounted-config.ts';
import type { ComposeContext } from '../compose-context.ts';
import type { Step } from '../pipeline.ts';

export function configHashStatePath(root: string, project: string): string {
  return join(root, '.devenv', `config-hashes-${project}.json`);
}

export const composeConfigRestartStep: Step<ComposeContext> = {
  name: 'Restart the services whose mounted config files changed',
  skip: (ctx) => (ctx.mountedConfig?.length ? false : 'no service bind-mounts a config file'),
  run: async (ctx, io) => {
    const { app } = ctx;
    const files = ctx.mountedConfig ?? [];
    if (app.args.dryRun) {
      // Which containers run (and since when) is only known once `compose up` ran.
      io.report(`would restart any of ${[...new Set(files.map((f) => f.usedBy))].join(', ')} whose mounted files changed since it started`);
      return;
    }
    const services: ServiceConfigFiles[] = [...configHashesByReader(files)].map(([service, hashes]) => ({
      service,
      files: hashes,
      modifiedMs: Object.fromEntries(Object.keys(hashes).map((f) => [f, modifiedMs(resolve(app.cwd, f))])),
    }));
    const project = app.config.compose.project;
    const containers: RunningContainer[] = [];
    for (const c of await ctx.docker.listContainers({ label: [`com.docker.compose.project=${project}`] })) {
      if (!c.service || !services.some((s) => s.service === c.service)) continue;
      const startedMs = Date.parse((await ctx.docker.inspectHealth(c.id)).startedAt);
      containers.push({ id: c.id, service: c.service, startedMs: Number.isNaN(startedMs) ? 0 : startedMs });
    }
    const statePath = configHashStatePath(app.config.root, project);
    const { restarts, next } = planConfigRestarts(services, containers, parseConfigHashState(readTextIfPresent(statePath)));
    if (restarts.length) {
      if (!ctx.compose) throw new Error('compose-config-restart runs after compose up, which sets ctx.compose');
      for (const r of restarts) io.report(`restarting ${r.service}: ${r.reason}`);
      await ctx.compose.run(['restart', ...restarts.map((r) => r.service)], { timeoutMs: 120_000, onLine: (l) => io.report(l) });
    } else {
      io.report('no mounted config file changed');
    }
    ctx.configRestarts = restarts;
    writeStateFile(statePath, `${JSON.stringify(next, null, 2)}\n`, { plan: app.plan, dryRun: false, note: 'content hashes of the mounted config files, per container' });
  },
};
