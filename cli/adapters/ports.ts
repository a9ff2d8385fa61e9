// Host ports: is one free, and if not, who holds it. The holder lookup reads
// /proc (Linux); elsewhere it says "unknown" rather than guessing.
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { createServer } from 'node:net';

export interface PortHolder {
  pid: number;
  command: string;
}

export interface PortState {
  port: number;
  free: boolean;
  holder?: PortHolder;
}

function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen({ port, host, exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

/** Socket inodes listening on a TCP port, from the text of /proc/net/tcp or tcp6. */
export function listeningInodes(procNetTcp: string, port: number): string[] {
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  const out: string[] = [];
  for (const line of procNetTcp.split('\n').slice(1)) {
    const cols = line.trim().split(/\s+/);
    if (cols.length < 10) continue;
    const local = cols[1];
    const state = cols[3];
    if (state === '0A' && local.endsWith(`:${hex}`)) out.push(cols[9]);
  }
  return out;
}

function findPortHolder(port: number, proc = '/proc'): PortHolder | undefined {
  let inodes: string[] = [];
  for (const f of ['net/tcp', 'net/tcp6']) {
    try {
      inodes.push(...listeningInodes(readFileSync(`${proc}/${f}`, 'utf8'), port));
    } catch {
      /* not Linux, or no permission */
    }
  }
  inodes = inodes.filter((i) => i !== '0');
  if (inodes.length === 0) return undefined;
  const wanted = new Set(inodes.map((i) => `socket:[${i}]`));
  let pids: string[] = [];
  try {
    pids = readdirSync(proc).filter((d) => /^\d+$/.test(d));
  } catch {
    return undefined;
  }
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = readdirSync(`${proc}/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        if (wanted.has(readlinkSync(`${proc}/${pid}/fd/${fd}`))) {
          const cmdline = readFileSync(`${proc}/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
          return { pid: Number(pid), command: cmdline || readFileSync(`${proc}/${pid}/comm`, 'utf8').trim() };
        }
      } catch {
        /* the process went away */
      }
    }
  }
  return undefined;
}

/** `holder: false` skips the /proc scan (tens of ms per port) when the caller already knows who holds it. */
export async function portState(port: number, host = '127.0.0.1', opts: { holder?: boolean } = {}): Promise<PortState> {
  if (await isPortFree(port, host)) return { port, free: true };
  return opts.holder === false ? { port, free: false } : { port, free: false, holder: findPortHolder(port) };
}

export function describeHolder(h: PortHolder | undefined): string {
  if (!h) return 'a process devenv cannot identify';
  const cmd = h.command.length > 80 ? h.command.slice(0, 77) + '...' : h.command;
  return `pid ${h.pid} (${cmd})`;
}
