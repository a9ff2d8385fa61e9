// Shared test doubles for the kind wrapper: fake `kind` executables (a real
// kind cluster cannot start here, and the real binary cannot be downloaded),
// a loopback HTTP server standing in for the release download, and a runner
// for scripts/kind.mjs as a separate process.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../..', import.meta.url));
export const kindScript = join(root, 'scripts/kind.mjs');

/** A shell script that answers `version` like kind does and echoes other args, exiting with `exitCode`. */
export function fakeKindScript(version: string, exitCode = 0): string {
  return [
    '#!/bin/sh',
    `if [ "$1" = version ]; then echo "kind ${version} go1.24.6 linux/amd64"; exit 0; fi`,
    // Each argument bracketed, so tests can see they arrived as one array element each.
    `printf 'fake-kind ran:'; printf ' [%s]' "$@"; echo`,
    `exit ${exitCode}`,
    '',
  ].join('\n');
}

export function writeExecutable(path: string, body: string, mode = 0o755): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, body);
  chmodSync(path, mode);
  return path;
}

export const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

export interface Sandbox {
  dir: string;
  /** An empty PATH entry, so no real kind on this machine is ever picked up. */
  emptyBin: string;
  cacheDir: string;
  cleanup(): void;
}

export function sandbox(): Sandbox {
  const dir = mkdtempSync(join(tmpdir(), 'devenv-kind-test-'));
  const emptyBin = join(dir, 'empty-bin');
  mkdirSync(emptyBin);
  return { dir, emptyBin, cacheDir: join(dir, 'cache'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Every file under a folder (relative paths), [] if it does not exist. */
export function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return (readdirSync(dir, { recursive: true }) as string[]).filter((rel) => !statSync(join(dir, rel)).isDirectory()).sort();
}

export interface TestServer {
  base: string;
  port: number;
  requests: string[];
  close(): Promise<void>;
}

/** A loopback HTTP server (port 0) with a route table: path -> handler. */
export async function startServer(routes: Record<string, (req: IncomingMessage, res: ServerResponse) => void>): Promise<TestServer> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(req.url ?? '');
    const handler = routes[req.url ?? ''];
    if (handler) handler(req, res);
    else {
      res.statusCode = 404;
      res.end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    base: `http://127.0.0.1:${port}`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A loopback port with nothing listening (bound, then released). */
export async function deadPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs `node scripts/kind.mjs ...args` with exactly `env` (plus nothing inherited), bounded by timeoutMs. */
export function runCli(
  args: string[],
  env: Record<string, string>,
  opts: { timeoutMs?: number; onStdout?: (stdoutSoFar: string, child: ChildProcess) => void } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [kindScript, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
      opts.onStdout?.(stdout, child);
    });
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`devenv-kind ${args.join(' ')} did not finish within ${opts.timeoutMs ?? 20000} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, opts.timeoutMs ?? 20000);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}
