// `blockchain-node` / `blockchain-node run`: start the node and keep it up
// until SIGTERM or SIGINT, then shut down cleanly and exit 0.
import { ApiServer, noRateLimiter, type RateLimiter } from '../http/api-server.ts';
import { loadConfig, type NodeConfig } from '../config/node-config.ts';
import { formatHostPort } from '../config/identity.ts';
import { inapplicableSettings } from '../config/settings-in-force.ts';
import { StartupError } from '../config/startup-error.ts';
import { createLogger, type Logger } from '../log.ts';
import { BlockchainNode } from '../node.ts';
import { RedisRateLimiter } from '../ratelimit/rate-limiter.ts';
import { loadRateLimitSettings, type RateLimitSettings } from '../ratelimit/settings.ts';
import { LockError } from '../store/dir-lock.ts';
import { BUILD_ID, installReloadHandler, markStartFailed, markStarted } from '../live/live-reload.ts';

const SHUTDOWN_DEADLINE_MS = 4000;

export async function runNode(env: NodeJS.ProcessEnv): Promise<void> {
  let config: NodeConfig;
  try {
    config = loadConfig({ env });
  } catch (err) {
    return fatal(createLogger('info'), err);
  }
  const log = createLogger(config.logLevel);
  log.info('starting blockchain node', {
    role: config.role,
    instance: config.instance,
    instance_source: config.instanceSource,
    p2p: formatHostPort(config.p2p),
    http: config.role === 'webserver' ? formatHostPort(config.http) : undefined,
    advertise: config.advertise,
    connect: config.seed ? 'local (seed)' : config.peers.join(','),
    data_dir: config.dataDir,
    wallet_file: config.walletFile,
    pid: process.pid,
    build_id: BUILD_ID,
  });
  for (const warning of inapplicableSettings(env, config)) log.warn(warning);

  let limiter: RedisRateLimiter | null = null;
  let node: BlockchainNode | null = null;
  let api: ApiServer | null = null;
  let rateLimitSettings: RateLimitSettings | null = null;
  let shuttingDown = false;

  const shutdown = async (signal: string) => {
    if (shuttingDown) {
      log.warn('second signal during shutdown: exiting now', { signal });
      process.exit(1);
    }
    shuttingDown = true;
    log.info('shutting down', { signal });
    setTimeout(() => {
      log.error('shutdown did not finish in time: exiting', { deadline_ms: SHUTDOWN_DEADLINE_MS });
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    await api?.stop();
    await node?.stop();
    await limiter?.stop();
    log.info('stopped', { height: node?.chain.height });
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  // devenv up --watch: SIGHUP to PID 1 runs a new bundle in this process (live/live-reload.ts).
  installReloadHandler(log, async () => {
    await api?.stop();
    await node?.stop();
    await limiter?.stop();
  });
  process.on('uncaughtException', (err) => {
    log.error('uncaught exception', { error: err.message, stack: err.stack?.split('\n')[1]?.trim() });
    void node?.stop().finally(() => process.exit(1));
    setTimeout(() => process.exit(1), 2000).unref();
  });

  try {
    if (config.role === 'webserver') {
      if (!config.adminKey) log.warn('BITCOIN_API_ADMIN_KEY is not set: admin routes refuse every request');
      if (!config.walletKey) log.warn('BITCOIN_API_WALLET_KEY is not set: only the admin key opens wallet routes');
      if (config.rateLimitSettingsPath) {
        rateLimitSettings = loadRateLimitSettings(config.rateLimitSettingsPath);
        limiter = new RedisRateLimiter(rateLimitSettings, log);
      }
      else log.info('rate limiting disabled: RL_SETTINGS_PATH is not set');
    }
    node = await BlockchainNode.start(config, log);
    node.rateLimitSettings = rateLimitSettings;
    if (config.role === 'webserver') {
      limiter?.start();
      const rl: RateLimiter = limiter ?? noRateLimiter;
      api = new ApiServer(node, { admin: config.adminKey, wallet: config.walletKey }, rl, log);
      await api.start(config.http);
    }
    if (shuttingDown) return;
    // The difficulty in force is the chain's (its genesis block's, then its retargets'), whatever was configured.
    log.info('node started', {
      role: config.role,
      height: node.chain.height,
      ready: node.ready,
      difficulty_bits: node.chain.bits ?? 'from the genesis block (not received yet)',
      block_target_seconds: node.chain.genesis ? (node.chain.targetSeconds ?? 'none (fixed difficulty)') : undefined,
    });
    markStarted();
  } catch (err) {
    await api?.stop();
    await node?.stop();
    await limiter?.stop();
    return fatal(log, err);
  }
}

function fatal(log: Logger, err: unknown): never {
  if (err instanceof StartupError || err instanceof LockError) {
    log.error(err.message);
  } else {
    const e = err as NodeJS.ErrnoException;
    log.error(`failed to start: ${e.message}`, { code: e.code });
  }
  markStartFailed((err as Error)?.message ?? String(err));
  process.exit(1);
}
