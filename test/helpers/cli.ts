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

/**
 * What the host's kind setup exports (`eval "$(scripts/kind-node-image.sh)"`,
 * as CI does): they change every `--k8s` plan, so the CLI runs without them
 * unless a test passes them on purpose (the kind end-to-end test does).
 */
export const HOST_KIND_VARIABLES = ['KIND', 'DEVENV_KIND_NODE_IMAGE', 'DEVENV_METRICS_SERVER_IMAGE'] as const;

export async function runCli(args: string[], opts: { cwd?: string; env?: Record<string, string | undefined>; timeoutMs?: number; extendEnv?: boolean } = {}): Promise<CliResult> {
  const res = await execa(process.execPath, [devenvBin, ...args], {
    cwd: opts.cwd ?? repoRoot,
    // An undefined value leaves the variable out of the child's environment.
    env: { CI: 'true', ...Object.fromEntries(HOST_KIND_VARIABLES.map((k) => [k, undefined])), ...opts.env },
    extendEnv: opts.extendEnv ?? true,
    reject: false,
    timeout: opts.timeoutMs ?? 120_000,
  });
  return { exitCode: res.exitCode ?? 1, stdout: String(res.stdout), stderr: String(res.stderr) };
}
