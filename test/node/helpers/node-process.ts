// Runs blockchain-node processes on loopback for tests: free ports, own temp
// dirs, captured logs, bounded waits, and a P2P client that speaks the wire
// protocol (or deliberately does not).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleBlockchainNode } from '../../../images/blockchain-node/bundle.mjs';

let bundlePath: Promise<string> | null = null;
/** Builds dist/blockchain-node.js once per test process. */
export const nodeBundle = (): Promise<string> => (bundlePath ??= bundleBlockchainNode().then((r) => r.outFile));

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      srv.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

export async function waitUntil<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined | false> | T | undefined | false, everyMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${(lastError as Error).message})` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export async function withTimeout<T>(what: string, timeoutMs: number, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export interface NodeProcess {
  name: string;
  proc: ChildProcess;
  p2pPort: number;
  httpPort: number;
  dir: string;
  env: Record<string, string>;
  logs(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>;
}

export interface StartOptions {
  name: string;
  role: 'miner' | 'webserver' | 'relay';
  connect?: string;
  env?: Record<string, string>;
  /** Reuse a directory (restart, lock tests); by default a fresh temp dir. */
  dir?: string;
  p2pPort?: number;
  httpPort?: number;
}

export const TEST_ENV = { NODE_DIFFICULTY_BITS: '16', NODE_MINING_DUTY_CYCLE: '0.25', LOG_LEVEL: 'info' };

export async function startNode(o: StartOptions): Promise<NodeProcess> {
  const bundle = await nodeBundle();
  const dir = o.dir ?? mkdtempSync(join(tmpdir(), `node-${o.name}-`));
  const p2pPort = o.p2pPort ?? (await freePort());
  const httpPort = o.httpPort ?? (await freePort());
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    ...TEST_ENV,
    NODE_IS_MINER: o.role === 'miner' ? 'yes' : 'no',
    NODE_IS_WEB_SERVER: o.role === 'webserver' ? 'yes' : 'no',
    NODE_CONNECT_NODES: o.connect ?? 'local',
    NODE_ADDR: `127.0.0.1:${p2pPort}`,
    NODE_HTTP_ADDR: `127.0.0.1:${httpPort}`,
    NODE_DATA_DIR: join(dir, 'data'),
    WALLET_FILE: join(dir, 'wallets', 'wallets.dat'),
    ...o.env,
  };
  const proc = spawn(process.execPath, [bundle], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    name: o.name,
    proc,
    p2pPort,
    httpPort,
    dir,
    env,
    logs: () => out,
    exited,
    async stop(signal = 'SIGTERM', timeoutMs = 5000) {
      const started = Date.now();
      if (proc.exitCode !== null || proc.signalCode !== null) return { ...(await exited), ms: 0 };
      proc.kill(signal);
      const timer = setTimeout(() => proc.kill('SIGKILL'), timeoutMs);
      const r = await exited;
      clearTimeout(timer);
      return { ...r, ms: Date.now() - started };
    },
  };
}

export async function stopAll(nodes: (NodeProcess | undefined)[], removeDirs = true): Promise<void> {
  await Promise.all(nodes.map((n) => n?.stop('SIGKILL', 2000)));
  if (removeDirs) for (const n of nodes) if (n) rmSync(n.dir, { recursive: true, force: true });
}

export interface HttpResult {
  status: number;
  headers: Headers;
  body: { success: boolean; data: any; error: string | null; timestamp: string };
}

export async function api(port: number, path: string, init: { method?: string; body?: unknown; key?: string; raw?: string } = {}): Promise<HttpResult> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (init.key) headers['x-api-key'] = init.key;
  const res = await fetch(`http://127.0.0.1:${port}${path}`, {
    method: init.method ?? (init.body !== undefined || init.raw !== undefined ? 'POST' : 'GET'),
    headers,
    body: init.raw ?? (init.body === undefined ? undefined : JSON.stringify(init.body)),
    signal: AbortSignal.timeout(30_000),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as HttpResult['body'] };
}

/** A raw P2P connection: send anything, read the node's JSON lines. */
export class P2pClient {
  private buf = '';
  readonly messages: any[] = [];
  closed = false;
  private constructor(readonly socket: Socket) {
    socket.on('data', (d) => {
      this.buf += d.toString('utf8');
      let nl: number;
      while ((nl = this.buf.indexOf('\n')) >= 0) {
        const line = this.buf.slice(0, nl);
        this.buf = this.buf.slice(nl + 1);
        try {
          this.messages.push(JSON.parse(line));
        } catch {
          this.messages.push({ unparsable: line });
        }
      }
    });
    socket.on('close', () => (this.closed = true));
    socket.on('error', () => (this.closed = true));
  }

  static connect(port: number): Promise<P2pClient> {
    return new Promise((resolve, reject) => {
      const s = createConnection({ host: '127.0.0.1', port });
      s.once('connect', () => resolve(new P2pClient(s)));
      s.once('error', reject);
    });
  }

  /** Connects and completes the handshake: the node has answered our hello. */
  static async handshake(port: number): Promise<P2pClient> {
    const c = await P2pClient.connect(port);
    c.hello();
    await c.waitFor('hello', (m) => m.type === 'hello');
    return c;
  }

  sendRaw(data: string | Buffer): void {
    this.socket.write(data);
  }

  send(message: object): void {
    this.socket.write(JSON.stringify(message) + '\n');
  }

  hello(): void {
    this.send({ type: 'hello', version: 1, nodeId: 'test-client-' + Math.random().toString(16).slice(2), addr: '127.0.0.1:1', height: -1, work: '0', tip: null, genesis: null });
  }

  waitFor(what: string, pred: (m: any) => boolean, timeoutMs = 5000): Promise<any> {
    return waitUntil(what, timeoutMs, () => this.messages.find(pred), 20);
  }

  close(): void {
    this.socket.destroy();
  }
}
