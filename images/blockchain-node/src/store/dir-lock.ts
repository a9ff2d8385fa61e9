// Exclusive lock on a data directory. The lock is a Unix socket in the
// directory that the holder listens on: a live holder answers with its pid,
// a dead one leaves a socket nobody answers (ECONNREFUSED), so a lock left by a
// killed process is taken over without guessing from pids. That also works
// between containers sharing a volume, where pids mean nothing (every
// container's node is PID 1). Where the filesystem cannot hold a socket, a
// pid file is the fallback: stale when its pid is dead on this host, or is our
// own pid (a restarted container is PID 1 again).
//
// Acquisition is atomic. A lock file is never created by opening a path and
// never removed to be replaced: the contender prepares its socket (or pid
// file) under a private name and hard-links it to the lock name, which fails
// if the name exists. A stale lock is not removed either: it is superseded by
// the next generation (`LOCK.sock` -> `LOCK.sock.1` -> ...), and the holder is
// whoever made the highest generation. Two contenders that both find the same
// stale lock race for the same next name, and link() lets exactly one win.
import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, readdirSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { createConnection, createServer, type Server } from 'node:net';
import { hostname } from 'node:os';
import { join } from 'node:path';

export interface LockHolder {
  pid: number;
  hostname: string;
  since: string;
}

export class LockError extends Error {
  constructor(
    readonly dir: string,
    readonly holder: LockHolder | null,
  ) {
    const who = holder ? `held by pid ${holder.pid} on host ${holder.hostname} since ${holder.since}` : 'held by another process';
    super(`could not acquire lock on ${dir}: ${who}`);
    this.name = 'LockError';
  }
}

export interface DirLock {
  readonly dir: string;
  readonly mode: 'socket' | 'pidfile';
  release(): Promise<void>;
}

const SOCKET_NAME = 'LOCK.sock';
const PIDFILE_NAME = 'LOCK.pid';
// sun_path is 108 bytes on Linux, 104 on macOS; the private name is the longest one we bind.
const MAX_SOCKET_PATH = 100;
const PRIVATE_NAME_BYTES = 'LOCK.4294967295.0123abcd.tmp'.length + 1;
const PROBE_TIMEOUT_MS = 1500;
// Each attempt ends in a lock, a LockError, or a lost race that is re-read.
const MAX_ATTEMPTS = 50;
const SOCKET_UNSUPPORTED = new Set(['EPERM', 'EACCES', 'ENOTSUP', 'EOPNOTSUPP', 'EINVAL', 'ENAMETOOLONG', 'EXDEV', 'EMLINK']);

type Liveness = { state: 'live'; holder: LockHolder | null } | { state: 'dead' } | { state: 'gone' };

/** How one kind of lock file is made, named and probed. */
interface LockKind {
  mode: DirLock['mode'];
  base: string;
  probe(path: string): Promise<Liveness>;
}

export async function acquireDirLock(dir: string): Promise<DirLock> {
  mkdirSync(dir, { recursive: true });
  const me: LockHolder = { pid: process.pid, hostname: hostname(), since: new Date().toISOString() };
  const privatePath = join(dir, `LOCK.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  if (Buffer.byteLength(dir) + PRIVATE_NAME_BYTES <= MAX_SOCKET_PATH) {
    let server: Server | null = null;
    const close = async () => {
      const s = server;
      server = null;
      if (s) await new Promise<void>((done) => s.close(() => done()));
    };
    try {
      server = await listenPrivate(privatePath, me);
      return await acquireGeneration(dir, privatePath, socketKind, close);
    } catch (err) {
      await close();
      removeQuietly(privatePath);
      const code = (err as NodeJS.ErrnoException).code ?? '';
      if (!SOCKET_UNSUPPORTED.has(code)) throw err;
    }
  }
  writePrivatePidFile(privatePath, me);
  try {
    return await acquireGeneration(dir, privatePath, pidFileKind, async () => {});
  } catch (err) {
    removeQuietly(privatePath);
    throw err;
  }
}

/**
 * Links the prepared private file to the next free generation of the lock
 * name, unless the current highest generation is live. Holds iff, after the
 * link, no higher generation exists; older generations are cleared.
 */
async function acquireGeneration(dir: string, privatePath: string, kind: LockKind, close: () => Promise<void>): Promise<DirLock> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const top = highestGeneration(dir, kind.base);
    let target = 0;
    if (top) {
      const live = await kind.probe(join(dir, top.name));
      if (live.state === 'live') {
        await close();
        removeQuietly(privatePath);
        throw new LockError(dir, live.holder);
      }
      if (live.state === 'gone') continue;
      target = top.generation + 1;
    }
    const name = generationName(kind.base, target);
    try {
      linkSync(privatePath, join(dir, name));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw err;
    }
    const now = highestGeneration(dir, kind.base);
    if (now && now.generation > target) {
      // Our name was free only because an older generation had been cleared:
      // someone holds a newer one. Step back and look at theirs.
      removeQuietly(join(dir, name));
      continue;
    }
    removeQuietly(privatePath);
    for (const old of generations(dir, kind.base)) if (old.generation < target) removeQuietly(join(dir, old.name));
    const path = join(dir, name);
    return {
      dir,
      mode: kind.mode,
      release: async () => {
        removeQuietly(path);
        await close();
      },
    };
  }
  await close();
  removeQuietly(privatePath);
  throw new LockError(dir, null);
}

function generationName(base: string, generation: number): string {
  return generation === 0 ? base : `${base}.${generation}`;
}

function generations(dir: string, base: string): { name: string; generation: number }[] {
  const pattern = new RegExp(`^${base.replace('.', '\\.')}(?:\\.(\\d+))?$`);
  const out: { name: string; generation: number }[] = [];
  for (const name of readdirSync(dir)) {
    const m = pattern.exec(name);
    if (m) out.push({ name, generation: m[1] === undefined ? 0 : Number(m[1]) });
  }
  return out;
}

function highestGeneration(dir: string, base: string): { name: string; generation: number } | null {
  let top: { name: string; generation: number } | null = null;
  for (const g of generations(dir, base)) if (!top || g.generation > top.generation) top = g;
  return top;
}

function parseHolder(text: string): LockHolder | null {
  try {
    const v = JSON.parse(text) as Partial<LockHolder>;
    if (typeof v.pid !== 'number') return null;
    return { pid: v.pid, hostname: String(v.hostname ?? '?'), since: String(v.since ?? '?') };
  } catch {
    return null;
  }
}

const socketKind: LockKind = {
  mode: 'socket',
  base: SOCKET_NAME,
  probe: (path) =>
    new Promise((resolve) => {
      let text = '';
      const sock = createConnection(path);
      const timer = setTimeout(() => {
        sock.destroy();
        // Connected but silent (a stopped process still accepts): still held.
        resolve({ state: 'live', holder: parseHolder(text) });
      }, PROBE_TIMEOUT_MS);
      sock.on('data', (d) => (text += d.toString('utf8')));
      sock.on('end', () => {
        clearTimeout(timer);
        resolve({ state: 'live', holder: parseHolder(text) });
      });
      sock.on('error', (err: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        // Only a refused connection proves the holder is gone; anything else
        // (a full backlog, say) may be a live holder.
        if (err.code === 'ECONNREFUSED') resolve({ state: 'dead' });
        else if (err.code === 'ENOENT') resolve({ state: 'gone' });
        else resolve({ state: 'live', holder: null });
      });
    }),
};

const pidFileKind: LockKind = {
  mode: 'pidfile',
  base: PIDFILE_NAME,
  probe: async (path) => {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      return { state: 'gone' };
    }
    // The file is complete before it gets its name, so unreadable content is
    // not a half-written lock but garbage: it protects nobody.
    const holder = parseHolder(text);
    return holder && !isStale(holder) ? { state: 'live', holder } : { state: 'dead' };
  },
};

function listenPrivate(path: string, me: LockHolder): Promise<Server> {
  const server: Server = createServer((conn) => conn.end(JSON.stringify(me) + '\n'));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => {
      server.off('error', reject);
      server.on('error', () => {});
      // The lock must not keep the process alive on its own.
      server.unref();
      resolve(server);
    });
  });
}

function writePrivatePidFile(path: string, me: LockHolder): void {
  const fd = openSync(path, 'wx', 0o644);
  try {
    writeSync(fd, JSON.stringify(me) + '\n');
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export function isStale(holder: LockHolder, self = { pid: process.pid, hostname: hostname() }): boolean {
  if (holder.hostname !== self.hostname) return false;
  if (holder.pid === self.pid) return true;
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}
