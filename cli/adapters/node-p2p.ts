// A node's state through its P2P port: one `ping` line, one `pong` line back
// carrying height, tip and peers (the protocol of images/blockchain-node,
// src/p2p/messages.ts; the node's own healthcheck asks the same way). From
// the host this is a TCP round trip, where `docker exec ... healthcheck`
// starts a Node.js process in the container (about half a second).
import { randomBytes } from 'node:crypto';
import { createConnection } from 'node:net';
import type { NodeHealth } from './node-api.ts';

const MAX_LINE = 64 * 1024;

/** The node's answer, or throws saying why there was none. */
export function pingNodeP2p(host: string, port: number, timeoutMs = 3000): Promise<NodeHealth> {
  const nonce = randomBytes(8).toString('hex');
  const addr = `${host}:${port}`;
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host, port });
    let buffered = '';
    const finish = (err: Error | null, value?: NodeHealth) => {
      clearTimeout(timer);
      socket.destroy();
      if (err) reject(err);
      else resolve(value!);
    };
    const timer = setTimeout(() => finish(new Error(`${addr} did not answer a P2P ping within ${timeoutMs} ms`)), timeoutMs);
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(`${JSON.stringify({ type: 'ping', nonce })}\n`));
    socket.on('data', (chunk: string) => {
      buffered += chunk;
      if (buffered.length > MAX_LINE) return finish(new Error(`${addr} sent a line longer than ${MAX_LINE} bytes`));
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        let m: { type?: unknown; nonce?: unknown; height?: unknown; peers?: unknown };
        try {
          m = JSON.parse(line);
        } catch {
          return finish(new Error(`${addr} does not speak the node's P2P protocol`));
        }
        // A node greets with `hello` first; only our pong answers.
        if (m.type === 'pong' && m.nonce === nonce) {
          return finish(null, { ready: true, height: typeof m.height === 'number' ? m.height : undefined, peers: typeof m.peers === 'number' ? m.peers : undefined });
        }
      }
    });
    socket.on('error', (err: NodeJS.ErrnoException) => finish(new Error(`${addr}: ${err.code ?? err.message}`)));
    socket.on('end', () => finish(new Error(`${addr} closed the connection without answering the ping`)));
  });
}
