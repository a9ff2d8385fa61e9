// `blockchain-node wait-for host:port [host:port...] [--timeout SECONDS]`:
// exits 0 once every address accepts a TCP connection. Kubernetes init
// containers use it, so the image needs no busybox or netcat.
import { createConnection } from 'node:net';
import { parseHostPort, type HostPort } from '../config/identity.ts';

export const DEFAULT_WAIT_SECONDS = 300;

export interface WaitForArgs {
  targets: string[];
  timeoutSeconds: number;
}

export function parseWaitForArgs(argv: readonly string[]): WaitForArgs {
  const targets: string[] = [];
  let timeoutSeconds = DEFAULT_WAIT_SECONDS;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const inline = /^--timeout=(.*)$/.exec(a);
    if (a === '--timeout' || inline) {
      const v = inline ? inline[1] : argv[++i];
      const n = Number(v);
      if (v === undefined || !Number.isFinite(n) || n <= 0) throw new Error(`--timeout needs a number of seconds > 0, got "${v ?? ''}"`);
      timeoutSeconds = n;
    } else if (a.startsWith('-')) {
      throw new Error(`unknown option ${a}`);
    } else {
      parseHostPort(a, 'wait-for address');
      targets.push(a);
    }
  }
  if (targets.length === 0) throw new Error('wait-for needs at least one host:port');
  return { targets, timeoutSeconds };
}

function tryConnect(t: HostPort, timeoutMs: number): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: t.host, port: t.port });
    const timer = setTimeout(() => finish('connect timeout'), timeoutMs);
    function finish(problem: string | null) {
      clearTimeout(timer);
      socket.destroy();
      resolve(problem);
    }
    socket.once('connect', () => finish(null));
    socket.once('error', (err: NodeJS.ErrnoException) => finish(err.code ?? err.message));
  });
}

export async function waitFor(args: WaitForArgs, out: (line: string) => void = console.log): Promise<number> {
  const deadline = Date.now() + args.timeoutSeconds * 1000;
  const pending = new Map(args.targets.map((t) => [t, '']));
  const reported = new Map<string, number>();
  for (;;) {
    await Promise.all(
      [...pending.keys()].map(async (t) => {
        const problem = await tryConnect(parseHostPort(t, 'address'), 2000);
        if (problem === null) {
          pending.delete(t);
          out(`${t} is accepting connections`);
          return;
        }
        pending.set(t, problem);
        const last = reported.get(t) ?? 0;
        if (Date.now() - last >= 10_000) {
          reported.set(t, Date.now());
          out(`waiting for ${t} (${problem})`);
        }
      }),
    );
    if (pending.size === 0) return 0;
    if (Date.now() >= deadline) {
      out(`timed out after ${args.timeoutSeconds}s waiting for ${[...pending].map(([t, why]) => `${t} (${why})`).join(', ')}`);
      return 1;
    }
    await new Promise((r) => setTimeout(r, Math.min(1000, Math.max(0, deadline - Date.now()))));
  }
}
