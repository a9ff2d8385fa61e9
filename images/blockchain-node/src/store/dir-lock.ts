// Exclusive lock on a data directory. The lock is a Unix socket in the
// directory that the holder listens on: a live holder answers with its pid,
// a dead one leaves a socket nobody answers (ECONNREFUSED), so a lock left by a
// killed process is taken over without guessing from pids. That also works
// between containers sharing a volume, where pids mean nothing (every
// container's node is PID 1). Where the filesystem cannot hold a socket, a
// pid file is the fallback: stale when its pid is dead on this host, or is our
// own pid (a restarted container is PID 1 again).
import { mkdirSync, openSync, readFileSync, unlinkSync, writeFileSync, closeSync } from 'node:fs';
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
const INFO_NAME = 'LOCK';
// sun_path is 108 bytes on Linux, 104 on macOS.
const MAX_SOCKET_PATH = 100;
const PROBE_TIMEOUT_MS = 1500;
const SOCKET_UNSUPPORTED = new Set(['EPERM', 'EACCES', 'ENOTSUP', 'EOPNOTSUPP', 'EINVAL', 'ENAMETOOLONG']);

export async function acquireDirLock(dir: string): Promise<DirLock> {
  mkdirSync(dir, { recursive: true });
  const me: LockHolder = { pid: process.pid, hostname: hostname(), since: new Date().toISOString() };
  const socketPath = join(dir, SOCKET_NAME);
  if (Buffer.byteLength(socketPath) <= MAX_SOCKET_PATH) {
    const probe = await probeSocket(socketPath);
    if (probe.held) throw new LockError(dir, probe.holder ?? readInfo(dir));
    try {
      return await listenLock(dir, socketPath, me);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? '';
      if (code === 'EADDRINUSE') throw new LockError(dir, readInfo(dir));
      if (!SOCKET_UNSUPPORTED.has(code)) throw err;
    }
  }
  return pidFileLock(dir, me);
}

function readInfo(dir: string): LockHolder | null {
  try {
    return parseHolder(readFileSync(join(dir, INFO_NAME), 'utf8'));
  } catch {
    return null;
  }
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

function probeSocket(path: string): Promise<{ held: boolean; holder?: LockHolder | null }> {
  return new Promise((resolve) => {
    let text = '';
    const sock = createConnection(path);
    const timer = setTimeout(() => {
      sock.destroy();
      // Connected but silent (a stopped process still accepts): still held.
      resolve({ held: true, holder: parseHolder(text) });
    }, PROBE_TIMEOUT_MS);
    sock.on('data', (d) => (text += d.toString('utf8')));
    sock.on('end', () => {
      clearTimeout(timer);
      resolve({ held: true, holder: parseHolder(text) });
    });
    // ENOENT: no lock. ECONNREFUSED: its holder died. Anything else: not a live lock either.
    sock.on('error', () => {
      clearTimeout(timer);
      resolve({ held: false });
    });
  });
}

function listenLock(dir: string, socketPath: string, me: LockHolder): Promise<DirLock> {
  try {
    unlinkSync(socketPath);
  } catch {
    // absent: nothing to clear
  }
  const server: Server = createServer((conn) => conn.end(JSON.stringify(me) + '\n'));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => {
      server.off('error', reject);
      server.on('error', () => {});
      // The lock must not keep the process alive on its own.
      server.unref();
      writeFileSync(join(dir, INFO_NAME), JSON.stringify(me) + '\n');
      resolve({
        dir,
        mode: 'socket',
        release: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            removeQuietly(join(dir, INFO_NAME));
          }),
      });
    });
  });
}

function pidFileLock(dir: string, me: LockHolder): DirLock {
  const path = join(dir, INFO_NAME);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeFileSync(fd, JSON.stringify(me) + '\n');
      closeSync(fd);
      return { dir, mode: 'pidfile', release: async () => removeQuietly(path) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = readInfo(dir);
      if (holder && !isStale(holder)) throw new LockError(dir, holder);
      removeQuietly(path);
    }
  }
  throw new LockError(dir, readInfo(dir));
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
