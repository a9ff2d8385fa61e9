// The Compose project devenv manages: which file, which name, and the
// environment that selects images and host ports. API keys are not passed
// here: Compose reads them from compose/.env itself.
import { dirname, join } from 'node:path';
import type { AppContext } from '../context.ts';
import { configPath } from '../config.ts';
import { Compose, COMPOSE_MISSING_HINT, detectCompose, type ComposeCli, type ComposeProject } from '../adapters/compose.ts';
import { cachedComposeCli, composeCliCacheFile } from '../adapters/compose-cli-cache.ts';
import { prerequisiteError } from '../errors.ts';
import { devenvCacheDir } from '../../scripts/kind.mjs';

function composeProjectEnv(app: AppContext, nodeImageRef?: string): Record<string, string> {
  const { images, ports } = app.config;
  const env: Record<string, string> = {
    NODE_IMAGE: images.nodeBase,
    REDIS_IMAGE: images.redis,
    DEVENV_API_PORT: String(ports.api),
    DEVENV_WEBSERVER_P2P_PORT: String(ports.webserverP2p),
    DEVENV_MINER1_P2P_PORT: String(ports.miner1P2p),
    DEVENV_MINER2_P2P_PORT: String(ports.miner2P2p),
    DEVENV_REDIS_PORT: String(ports.redis),
  };
  if (nodeImageRef) env.BLOCKCHAIN_NODE_IMAGE = nodeImageRef;
  return env;
}

export function composeProject(app: AppContext, nodeImageRef?: string): ComposeProject {
  return { name: app.config.compose.project, file: configPath(app.config, app.config.compose.file), env: composeProjectEnv(app, nodeImageRef) };
}

/** compose/.env sits next to the Compose file, where Compose looks for it. */
export function composeDotEnvPath(app: AppContext): string {
  return join(dirname(configPath(app.config, app.config.compose.file)), '.env');
}

/**
 * The Compose CLI to use; DEVENV_COMPOSE=v1|v2 forces a flavour (tests use it
 * to exercise the v1 fallback). Detected once per machine: the answer is
 * cached under the devenv cache directory until a Compose binary changes
 * (compose-cli-cache.ts).
 */
export async function findComposeCli(app: AppContext): Promise<ComposeCli> {
  const forced = app.env.DEVENV_COMPOSE;
  if (forced === 'v1') return { flavor: 'v1', argv: ['docker-compose'], version: 'forced by DEVENV_COMPOSE' };
  if (forced === 'v2') return { flavor: 'v2', argv: ['docker', 'compose'], version: 'forced by DEVENV_COMPOSE' };
  const cli = app.runner.dryRun
    ? await detectCompose(app.runner)
    : await cachedComposeCli({ env: app.env, cacheFile: composeCliCacheFile(devenvCacheDir(app.env)), detect: () => detectCompose(app.runner) });
  if (!cli) throw prerequisiteError('neither `docker compose` (v2) nor `docker-compose` (v1) was found.', COMPOSE_MISSING_HINT);
  return cli;
}

/** devenv's Compose project through that CLI, running the given node image. */
export function composeFor(app: AppContext, cli: ComposeCli, nodeImageRef?: string): Compose {
  return new Compose(cli, app.runner, app.plan, composeProject(app, nodeImageRef), app.env);
}

export async function openCompose(app: AppContext, nodeImageRef?: string): Promise<Compose> {
  return composeFor(app, await findComposeCli(app), nodeImageRef);
}
