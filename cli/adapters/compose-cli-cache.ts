// Which Compose CLI this machine has, detected once: `docker compose version`
// costs about 100 ms per `up`, and its answer only changes when a binary
// does. The answer is cached under the devenv cache directory, keyed by the
// identity (path, size, mtime) of every file that decides it: `docker` and
// `docker-compose` as found on PATH, and the Compose plugin in each directory
// the Docker CLI searches. Any change there (an upgrade, a new plugin, another
// PATH) is a different key, and the CLI is detected again.
import { join } from 'node:path';
import { binaryIdentity as identity, cachedAnswer, onPath, type BinaryIdentity } from './binary-cache.ts';
import type { ComposeCli } from './compose.ts';

/** The directories the Docker CLI looks in for plugins, user's first. */
export function dockerPluginDirs(env: NodeJS.ProcessEnv): string[] {
  const config = env.DOCKER_CONFIG || join(env.HOME ?? '', '.docker');
  return [join(config, 'cli-plugins'), '/usr/local/lib/docker/cli-plugins', '/usr/local/libexec/docker/cli-plugins', '/usr/lib/docker/cli-plugins', '/usr/libexec/docker/cli-plugins'];
}

/** What the detection depends on: the binaries on PATH and every Compose plugin candidate (present or not). */
export function composeCliIdentity(env: NodeJS.ProcessEnv): BinaryIdentity[] {
  const docker = onPath('docker', env);
  const v1 = onPath('docker-compose', env);
  return [
    docker ? identity(docker) : { path: 'docker (not on PATH)', size: null, mtimeMs: null },
    v1 ? identity(v1) : { path: 'docker-compose (not on PATH)', size: null, mtimeMs: null },
    ...dockerPluginDirs(env).map((d) => identity(join(d, 'docker-compose'))),
  ];
}

export function composeCliCacheFile(cacheDir: string): string {
  return join(cacheDir, 'compose-cli.json');
}

function isComposeCli(cli: unknown): cli is ComposeCli {
  const c = cli as ComposeCli | null;
  return (c?.flavor === 'v2' || c?.flavor === 'v1') && Array.isArray(c.argv) && typeof c.version === 'string';
}

/** `detect` runs only when the cache has no entry for these binaries; a found CLI is remembered. */
export function cachedComposeCli(opts: { env: NodeJS.ProcessEnv; cacheFile: string; detect: () => Promise<ComposeCli | null> }): Promise<ComposeCli | null> {
  return cachedAnswer({ key: composeCliIdentity(opts.env), file: opts.cacheFile, valid: isComposeCli, compute: opts.detect });
}
