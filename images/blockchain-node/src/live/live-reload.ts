// Live reload, for `devenv up --watch`: a new bundle replaces the running
// code without recreating the container, so the chain, the volumes and the
// container's network identity stay.
//
// Why in-process (the node re-runs itself) rather than a container restart:
// - On Kubernetes a restarted container starts from the image again: a bundle
//   copied into the container's filesystem would be gone. The process that
//   stays (PID 1) has to load the new code itself.
// - On Compose `docker restart` keeps the copied file, but costs ~1.7 s per
//   container here (stop, start, then the health check's start period);
//   stopping the node and importing the new bundle takes a fraction of that.
//   One mechanism for both sides.
//
// The protocol, all in LIVE_DIR (container filesystem, owned by the node's
// user; only PID 1, the container's node, takes part, so a node run on a
// host is never affected):
//   `blockchain-node reload` (run by `docker exec -i` / `kubectl exec -i`)
//   writes stdin to <id>.mjs and `requested`, sends SIGHUP to PID 1 and waits
//   until `running` names the new id (exit 0) or `failed` says why (exit 1).
//   PID 1 on SIGHUP stops the node (HTTP, P2P, store lock, Redis) as on
//   SIGTERM, forgets its signal handlers and imports <id>.mjs, whose main()
//   starts the node again. Once a node has started it writes `running`; a
//   live bundle that started also becomes `good`.
//   At container start (Compose's restart keeps the container filesystem),
//   PID 1 runs the `good` bundle instead of the image's, so a restart does
//   not silently go back to older code. A bundle that crashes on start never
//   becomes `good`: the restarted container runs the last good code again.
//   (On Kubernetes the filesystem is new after a restart: the image's code
//   runs, and devenv pushes the last good bundle again when it sees that.)
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Logger } from '../log.ts';

declare const __DEVENV_BUILD_ID: string | undefined;

/** The build id baked into the bundle at bundle time (`source` when run from the TypeScript sources). */
export const BUILD_ID: string = typeof __DEVENV_BUILD_ID === 'string' ? __DEVENV_BUILD_ID : 'source';

export const LIVE_DIR = '/tmp/devenv-live';

const isContainerNode = () => process.pid === 1;
/** Set on the process by a reload: the imported bundle is the one asked for, not the `good` one. */
const RELOADING = Symbol.for('devenv.live-reload');
const reloading = () => Boolean((globalThis as Record<symbol, unknown>)[RELOADING]);
const read = (name: string) => (existsSync(join(LIVE_DIR, name)) ? readFileSync(join(LIVE_DIR, name), 'utf8').trim() : '');
const write = (name: string, text: string | Buffer) => {
  mkdirSync(LIVE_DIR, { recursive: true });
  writeFileSync(join(LIVE_DIR, `.${name}.tmp`), text);
  renameSync(join(LIVE_DIR, `.${name}.tmp`), join(LIVE_DIR, name));
};

/** The build id in a bundle's banner, or null. */
export function bundleBuildId(text: string): string | null {
  return /^const __DEVENV_BUILD_ID = "([0-9a-f]{12})";$/m.exec(text.slice(0, 1000))?.[1] ?? null;
}

/** At container start: runs the last good live bundle instead of this code; true when it did. */
export async function runGoodLiveBundle(): Promise<boolean> {
  if (!isContainerNode() || reloading()) return false;
  // Nothing runs yet: `reload` waits for the node to write this again.
  rmSync(join(LIVE_DIR, 'running'), { force: true });
  const good = read('good');
  if (!good || good === BUILD_ID || !existsSync(join(LIVE_DIR, `${good}.mjs`))) return false;
  await import(pathToFileURL(join(LIVE_DIR, `${good}.mjs`)).href);
  return true;
}

/** Called once the node has started: tells `reload` (and devenv) which code runs. */
export function markStarted(): void {
  if (!isContainerNode()) return;
  if (existsSync(join(LIVE_DIR, `${BUILD_ID}.mjs`))) write('good', BUILD_ID);
  write('running', BUILD_ID);
}

/** PID 1 only: SIGHUP stops the node and starts the requested bundle in this process. */
export function installReloadHandler(log: Logger, stopNode: () => Promise<void>): void {
  if (!isContainerNode()) return;
  let busy = false;
  process.on('SIGHUP', () => {
    const id = read('requested');
    const file = join(LIVE_DIR, `${id}.mjs`);
    if (busy || !id || !existsSync(file)) {
      log.warn('SIGHUP without a new bundle to run: ignored', { requested: id || null });
      return;
    }
    busy = true;
    void (async () => {
      log.info('reloading: stopping this build, then starting the new one', { from: BUILD_ID, to: id });
      await stopNode();
      for (const s of ['SIGTERM', 'SIGINT', 'SIGHUP', 'uncaughtException'] as const) process.removeAllListeners(s);
      try {
        (globalThis as Record<symbol, unknown>)[RELOADING] = id;
        await import(`${pathToFileURL(file).href}?load=${Date.now()}`);
      } catch (err) {
        const why = `${(err as Error).message}`.split('\n')[0];
        log.error('the new build failed to load', { build_id: id, error: why });
        write('failed', `${id} ${why}`);
        process.exit(1);
      }
    })();
  });
}

/** Records that a started build failed to start (for `reload` to report). */
export function markStartFailed(reason: string): void {
  if (isContainerNode() && read('requested') === BUILD_ID) write('failed', `${BUILD_ID} ${reason}`);
}

/** `blockchain-node reload`: stdin is the new bundle; exit 0 once PID 1 runs it. */
export async function reloadCommand(input: NodeJS.ReadableStream, out: (l: string) => void, err: (l: string) => void, timeoutMs = 30_000): Promise<number> {
  const chunks: Buffer[] = [];
  for await (const c of input) chunks.push(Buffer.from(c as Buffer));
  const bundle = Buffer.concat(chunks);
  const id = bundleBuildId(bundle.subarray(0, 1000).toString('utf8'));
  if (!id) {
    err('reload: stdin is not a node bundle with a build id (pipe dist/blockchain-node.js into `blockchain-node reload`)');
    return 2;
  }
  write(`${id}.mjs`, bundle);
  rmSync(join(LIVE_DIR, 'failed'), { force: true });
  if (read('running') === id) {
    out(`running ${id}`);
    return 0;
  }
  write('requested', id);
  process.kill(1, 'SIGHUP');
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    if (read('running') === id) {
      out(`running ${id}`);
      return 0;
    }
    const failed = read('failed');
    if (failed.startsWith(`${id} `)) {
      err(`reload: build ${id} did not start: ${failed.slice(id.length + 1)}`);
      return 1;
    }
  }
  err(`reload: build ${id} was not running after ${timeoutMs / 1000} s`);
  return 1;
}
