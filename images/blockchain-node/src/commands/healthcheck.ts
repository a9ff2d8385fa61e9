// `blockchain-node healthcheck`: exit 0 when this container's node is ready.
// Webserver: GET /api/health/ready answers 200. Miner and relay: the P2P port
// accepts a connection and answers a ping. One line says why on failure.
import { randomBytes } from 'node:crypto';
import { createConnection } from 'node:net';
import { roleFrom } from '../config/node-config.ts';
import { formatHostPort, isWildcard, parseHostPort, type HostPort } from '../config/identity.ts';
import { LineDecoder } from '../p2p/line-decoder.ts';
import type { NodeDetail } from '../p2p/messages.ts';

const TIMEOUT_MS = 3000;

const localTarget = (hp: HostPort): HostPort => ({ host: isWildcard(hp.host) ? '127.0.0.1' : hp.host, port: hp.port });

/** What `healthcheck --json` prints: one line devenv reads to compare nodes (miners serve no HTTP). */
export interface NodeState {
  ready: boolean;
  height?: number;
  tip?: string | null;
  peers?: number;
  /** The node's effective settings and peers (a P2P ping on loopback asks for them). */
  detail?: NodeDetail;
  reason: string;
}

export async function healthcheck(env: NodeJS.ProcessEnv, out: (line: string) => void = console.log, opts: { json?: boolean } = {}): Promise<number> {
  let state: NodeState;
  try {
    if (roleFrom(env) === 'webserver') {
      const target = localTarget(parseHostPort(env.NODE_HTTP_ADDR || '0.0.0.0:8080', 'NODE_HTTP_ADDR'));
      state = await checkHttp(`http://${formatHostPort(target)}`);
      // The webserver is a P2P node too: its settings and peers come from the same ping miners answer.
      if (opts.json && state.ready) {
        const p2p = await probeP2p(localTarget(parseHostPort(env.NODE_ADDR || '0.0.0.0:2001', 'NODE_ADDR')));
        if (p2p.detail) state.detail = p2p.detail;
      }
    } else {
      const target = localTarget(parseHostPort(env.NODE_ADDR || '0.0.0.0:2001', 'NODE_ADDR'));
      state = await probeP2p(target);
    }
  } catch (err) {
    state = { ready: false, reason: `unhealthy: ${(err as Error).message}` };
  }
  out(opts.json ? JSON.stringify(state) : state.reason);
  return state.ready ? 0 : 1;
}

export async function checkP2p(target: HostPort, out: (line: string) => void, timeoutMs = TIMEOUT_MS): Promise<number> {
  const state = await probeP2p(target, timeoutMs);
  out(state.reason);
  return state.ready ? 0 : 1;
}

async function checkHttp(base: string): Promise<NodeState> {
  const url = `${base}/api/health/ready`;
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) });
    const body = (await res.json().catch(() => null)) as { data?: { height?: number }; error?: string } | null;
    if (res.status !== 200) return { ready: false, reason: `not ready: ${url} answered ${res.status}${body?.error ? ` (${body.error})` : ''}` };
    const health = (await fetch(`${base}/api/health`, { signal: AbortSignal.timeout(TIMEOUT_MS) })
      .then((r) => r.json())
      .catch(() => null)) as { data?: { height?: number; tip?: string | null; peers?: number } } | null;
    const height = health?.data?.height ?? body?.data?.height;
    return { ready: true, height, tip: health?.data?.tip, peers: health?.data?.peers, reason: `ready: ${url} answered 200 (height ${height ?? '?'})` };
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code;
    return { ready: false, reason: `not ready: ${url} did not answer (${cause ?? (err as Error).message})` };
  }
}

function probeP2p(target: HostPort, timeoutMs = TIMEOUT_MS): Promise<NodeState> {
  const addr = formatHostPort(target);
  const nonce = randomBytes(8).toString('hex');
  return new Promise((resolve) => {
    const socket = createConnection({ host: target.host, port: target.port });
    const decoder = new LineDecoder(64 * 1024);
    const done = (state: NodeState) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(state);
    };
    const timer = setTimeout(() => done({ ready: false, reason: `not ready: ${addr} did not answer a ping within ${timeoutMs} ms` }), timeoutMs);
    socket.on('connect', () => socket.write(JSON.stringify({ type: 'ping', nonce, detail: true }) + '\n'));
    socket.on('data', (chunk: Buffer) => {
      try {
        for (const line of decoder.push(chunk)) {
          const m = JSON.parse(line) as { type?: string; nonce?: string; height?: number; tip?: string | null; peers?: number; detail?: NodeDetail };
          if (m.type === 'pong' && m.nonce === nonce) {
            return done({ ready: true, height: m.height, tip: m.tip, peers: m.peers, ...(m.detail ? { detail: m.detail } : {}), reason: `ready: ${addr} answered a P2P ping (height ${m.height ?? '?'})` });
          }
        }
      } catch {
        done({ ready: false, reason: `not ready: ${addr} sent something that is not the node protocol` });
      }
    });
    socket.on('error', (err: NodeJS.ErrnoException) => done({ ready: false, reason: `not ready: ${addr} (${err.code ?? err.message})` }));
  });
}
