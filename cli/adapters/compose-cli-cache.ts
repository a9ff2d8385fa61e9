// Which Compose CLI this machine has, detected once: `docker compose version`
// costs about 100 ms per `up`, and its answer only changes when a binary
// does. The answer is cached under the devenv cache directory, keyed by the
// identity (path, size, mtime) of every file that decides it: `docker` and
// `docker-compose` as found on PATH, and the Compose plugin in each directory
// the Docker CLI searches. Any change there (an upgrade, a new plugin, another
// PATH) is a different key, and the CLI is detected again.
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import type { ComposeCli } from './compose.ts';

export interface BinaryIdentity {
  path: string;
  /** null: no such file (its later appearance changes the key too). */
  size: number | null;
  mtimeMs: number | null;
}

function identity(path: string): BinaryIdentity {
  try {
    const s = statSync(path);
    return { path, size: s.size, mtimeMs: s.mtimeMs };
  } catch {
    return { path, size: null, mtimeMs: null };
  }
}

/** The first executable file named `name` on PATH, or null. */
function onPath(name: string, env: NodeJS.ProcessEnv): string | null {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const p = join(dir, name);
    try {
      if (statSync(p).isFile()) return p;
    } catch {
      /* not here */
    }
  }
  return null;
}

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

interface CacheEntry {
  key: BinaryIdentity[];
  cli: ComposeCli;
}

function sameKey(a: BinaryIdentity[], b: BinaryIdentity[]): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The cached CLI when the binaries are the ones it was detected with, else null. */
export function readCachedComposeCli(file: string, key: BinaryIdentity[]): ComposeCli | null {
  try {
    const entry = JSON.parse(readFileSync(file, 'utf8')) as CacheEntry;
    if (!Array.isArray(entry?.key) || !sameKey(entry.key, key)) return null;
    const { cli } = entry;
    if ((cli?.flavor !== 'v2' && cli?.flavor !== 'v1') || !Array.isArray(cli.argv) || typeof cli.version !== 'string') return null;
    return cli;
  } catch {
    return null;
  }
}

/** Written whole and renamed into place, so a concurrent `up` reads the old entry or the new one. */
export function writeCachedComposeCli(file: string, key: BinaryIdentity[], cli: ComposeCli): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify({ key, cli } satisfies CacheEntry, null, 2)}\n`);
    renameSync(tmp, file);
  } catch {
    /* a read-only cache only costs the next run a detection */
  }
}

/** `detect` runs only when the cache has no entry for these binaries; a found CLI is remembered. */
export async function cachedComposeCli(opts: { env: NodeJS.ProcessEnv; cacheFile: string; detect: () => Promise<ComposeCli | null> }): Promise<ComposeCli | null> {
  const key = composeCliIdentity(opts.env);
  const hit = readCachedComposeCli(opts.cacheFile, key);
  if (hit) return hit;
  const cli = await opts.detect();
  if (cli) writeCachedComposeCli(opts.cacheFile, key, cli);
  return cli;
}
