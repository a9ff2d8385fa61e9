// Runs the built CLI (bin/devenv.js -> dist/) as a user would, with a bounded time.
import { execa } from 'execa';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const devenvBin = `${repoRoot}bin/devenv.js`;

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export async function runCli(args: string[], opts: { cwd?: string; env?: Record<string, string | undefined>; timeoutMs?: number; extendEnv?: boolean } = {}): Promise<CliResult> {
  const res = await execa(process.execPath, [devenvBin, ...args], {
    cwd: opts.cwd ?? repoRoot,
    env: { CI: 'true', ...opts.env },
    extendEnv: opts.extendEnv ?? true,
    reject: false,
    timeout: opts.timeoutMs ?? 120_000,
  });
  return { exitCode: res.exitCode ?? 1, stdout: String(res.stdout), stderr: String(res.stderr) };
}
