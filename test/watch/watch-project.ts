// A throwaway copy of the project for the watch tests (they edit sources:
// never the real ones): images/, compose/, manifests/, the package files, and
// node_modules linked so the bundle resolves its dependencies; a devenv.yaml
// with the ports and names given; and `devenv up --watch` run on it, its
// stderr read line by line.
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { devenvBin, HOST_KIND_VARIABLES, repoRoot } from '../helpers/cli.ts';

export interface WatchProject {
  dir: string;
  config: string;
  /** Replaces `from` by `to` in a file of the copy (throws when `from` is not there). */
  edit(rel: string, from: string, to: string): void;
  remove(): void;
}

export function copyProject(devenvYaml: string): WatchProject {
  const dir = mkdtempSync(join(tmpdir(), 'devenv-watch-test-'));
  for (const d of ['images', 'compose', 'manifests']) {
    cpSync(join(repoRoot, d), join(dir, d), { recursive: true, filter: (src) => !/\/dist(\/|$)|\/compose\/\.env$|\/\.devenv-v1\./.test(src) });
  }
  for (const f of ['package.json', 'package-lock.json']) cpSync(join(repoRoot, f), join(dir, f));
  symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'));
  const config = join(dir, 'devenv.yaml');
  writeFileSync(config, devenvYaml);
  return {
    dir,
    config,
    edit(rel, from, to) {
      const file = join(dir, rel);
      const text = readFileSync(file, 'utf8');
      if (!text.includes(from)) throw new Error(`${rel} has no ${JSON.stringify(from)}`);
      writeFileSync(file, text.replace(from, to));
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export interface WatchRun {
  child: ResultPromise;
  /** Every stderr line so far. */
  lines: string[];
  /** Waits for a stderr line (after index `from`) matching `re`; throws with the output on timeout or exit. */
  waitFor(re: RegExp, timeoutMs: number, from?: number): Promise<string>;
}

export function startWatch(project: WatchProject, args: string[], env: Record<string, string | undefined> = {}): WatchRun {
  const child = execa(process.execPath, [devenvBin, '--config', project.config, 'up', '--watch', ...args], {
    cwd: project.dir,
    env: { CI: 'true', ...Object.fromEntries(HOST_KIND_VARIABLES.map((k) => [k, undefined])), ...env },
    reject: false,
    buffer: false,
  });
  const lines: string[] = [];
  let pending = '';
  const listeners = new Set<() => void>();
  child.stderr?.on('data', (c: Buffer) => {
    pending += c.toString();
    const parts = pending.split('\n');
    pending = parts.pop() ?? '';
    lines.push(...parts);
    listeners.forEach((l) => l());
  });
  let exited = false;
  void child.then(() => {
    exited = true;
    listeners.forEach((l) => l());
  });
  const waitFor = (re: RegExp, timeoutMs: number, from = 0) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        const hit = lines.slice(from).find((l) => re.test(l));
        if (hit !== undefined) return done(() => resolve(hit));
        if (exited) return done(() => reject(new Error(`devenv exited before a line matching ${re}:\n${lines.slice(-40).join('\n')}`)));
      };
      const timer = setTimeout(() => done(() => reject(new Error(`no line matching ${re} within ${timeoutMs} ms:\n${lines.slice(-40).join('\n')}`))), timeoutMs);
      const done = (f: () => void) => {
        clearTimeout(timer);
        listeners.delete(check);
        f();
      };
      listeners.add(check);
      check();
    });
  return { child, lines, waitFor };
}

/** What the webserver's /api/health says of the code it runs (build_id) and its chain. */
export interface WatchHealth {
  build_id: string;
  height: number;
}

export async function webserverHealth(apiPort: number): Promise<WatchHealth> {
  const res = await fetch(`http://127.0.0.1:${apiPort}/api/health`, { signal: AbortSignal.timeout(5000) });
  return ((await res.json()) as { data: WatchHealth }).data;
}

/** Ctrl-C: the watcher exits 0 and the webserver still answers with the build it had. */
export async function interruptKeepsRunning(run: WatchRun, apiPort: number): Promise<{ exitCode: number | undefined; before: string; after: string; tail: string }> {
  const before = (await webserverHealth(apiPort)).build_id;
  run.child.kill('SIGINT');
  const res = await run.child;
  return { exitCode: res.exitCode, before, after: (await webserverHealth(apiPort)).build_id, tail: run.lines.slice(-10).join('\n') };
}
