// `kubectl kustomize DIR` (Kubectl.kustomize): the rendered YAML, or
// null when kubectl is not installed (callers then read the listed resources
// themselves). Under --dry-run the command is only recorded and the result is
// an empty string. A kustomization kustomize rejects is a usage error that
// carries kustomize's own message.
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
