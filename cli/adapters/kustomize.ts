// `kubectl kustomize DIR` (Kubectl.kustomize): the rendered YAML, or
// null when kubectl is not installed (callers then read the listed resources
// themselves). Under --dry-run the command is only recorded and the result is
// an empty string. A kustomization kustomize rejects is a usage error that
// carries kustomize's own message.
import { resolve } from 'node:path';
import { DevenvError, ExitCode, isProgramMissing } from '../errors.ts';
import type { CommandRunner } from './exec.ts';
import { Kubectl } from './kubectl.ts';

export async function renderKustomization(runner: CommandRunner, dir: string): Promise<string | null> {
  let res;
  try {
    // No cluster is involved: no target.
    res = await new Kubectl(runner, {}).kustomize(dir);
  } catch (err) {
    if (isProgramMissing(err)) return null;
    throw err;
  }
  if (res.dryRun) return '';
  if (res.exitCode !== 0) {
    const detail = (res.stderr || res.stdout).trim();
    const reason = /err="([^"]+)"/.exec(detail)?.[1] ?? detail.split('\n').pop() ?? '';
    throw new DevenvError(`\`kubectl kustomize ${dir}\` failed${reason ? `: ${reason}` : ''}.`, {
      exitCode: ExitCode.usage,
      hint: 'fix the kustomization.yaml (or the file it names) as the message says.',
      location: { file: dir },
      details: detail,
    });
  }
  return res.stdout;
}

/** How a loader renders a kustomization directory (kubectl's output, or null without kubectl). */
export type KustomizeRenderer = (dir: string) => Promise<string | null>;

/**
 * `kubectl kustomize` of `dirs`, started now, served later: the first
 * render of each of those directories gets the run already under way (any
 * other render runs as usual, and so does every render once `stillValid`
 * says an input changed). `up --k8s` starts it with the preflight, whose
 * checks wait on other processes, so the render does not wait for kubectl.
 */
export function prefetchKustomize(runner: CommandRunner, dirs: string[], stillValid: () => boolean = () => true): KustomizeRenderer {
  const started = new Map(dirs.map((d) => [resolve(d), renderKustomization(runner, d)]));
  // A run nobody asks for must not end the process with an unhandled rejection.
  for (const p of started.values()) p.catch(() => undefined);
  return (dir) => {
    const key = resolve(dir);
    const run = started.get(key);
    started.delete(key);
    // Something the render reads changed since (the keys file, rewritten): render again.
    return run && stillValid() ? run : renderKustomization(runner, dir);
  };
}
