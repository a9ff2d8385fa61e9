// Waits for every workload's rollout, all at once, each with its own
// progress lines. When one does not finish, the failing pods are diagnosed (container
// state, events, last log lines) and the error says what to fix.
import { DevenvError } from '../../errors.ts';
import { rolloutTargets, selectorArg } from '../../k8s/apply-phases.ts';
import type { K8sContext } from '../k8s-context.ts';
import { diagnosePod, eventLines, type PodDiagnosis } from '../../k8s/pod-diagnosis.ts';
import { nodeImageRef } from '../../k8s/images.ts';
import type { K8sObject } from '../../manifests/objects.ts';
import type { Step } from '../pipeline.ts';

/** Collects what explains a stuck rollout: each unready pod's diagnosis, events and last logs. */
async function explainRollout(ctx: K8sContext, workload: K8sObject, namespace: string): Promise<{ diagnoses: PodDiagnosis[]; details: string }> {
  const pods = (await ctx.kubectl.getJson('pods', namespace, { selector: selectorArg(workload), check: false }))?.items ?? [];
  const events = (await ctx.kubectl.getJson('events', namespace, { check: false }))?.items ?? [];
  const loaded = [nodeImageRef(ctx), ...ctx.loadedImages];
  const diagnoses = pods.map((p: any) => diagnosePod(p, events, { loadedImages: loaded, clusterName: ctx.kind.name })).filter((d: PodDiagnosis | null): d is PodDiagnosis => d !== null);
  const blocks: string[] = [];
  for (const d of diagnoses.slice(0, 2)) {
    blocks.push(`pod ${d.pod}: ${d.state}: ${d.message}`);
    const ev = eventLines(d.pod, events);
    if (ev.length) blocks.push('  events:', ...ev.map((l) => `    ${l}`));
    if (d.container && d.problem !== 'image-pull' && d.problem !== 'pvc-pending' && d.problem !== 'unschedulable') {
      const logs = await ctx.kubectl.logs({ pod: d.pod, namespace, container: d.container, tail: 20, previous: d.previousLogs });
      const text = (logs.stdout || logs.stderr).trim();
      if (text) blocks.push(`  last log lines of ${d.container}${d.previousLogs ? ' (previous run)' : ''}:`, ...text.split('\n').map((l) => `    ${l}`));
    }
  }
  return { diagnoses, details: blocks.join('\n') };
}

export const k8sRolloutStep: Step<K8sContext> = {
  name: 'Wait for the rollouts',
  run: async (ctx, io) => {
    // Which workloads, in apply order: their images do not matter here. They
    // roll out independently, so they are waited for at once; a failure is
    // explained for the first one in apply order.
    const targets = rolloutTargets(ctx.rendered?.phases ?? []);
    for (const t of targets) io.report(`waiting for ${t.ref} (up to ${ctx.timeoutSeconds}s)`);
    const results = await Promise.all(
      targets.map(async (t) => {
        const res = await ctx.kubectl.rolloutStatus(t.ref, t.namespace, ctx.timeoutSeconds, (line) => io.report(`${t.ref}: ${line}`));
        if (!res.dryRun && res.exitCode === 0) io.report(`${t.ref} rolled out`);
        return res;
      }),
    );
    const failed = targets.findIndex((_, i) => !results[i].dryRun && results[i].exitCode !== 0);
    if (failed < 0) return;
    const t = targets[failed];
    const res = results[failed];
    const { diagnoses, details } = await explainRollout(ctx, t.object, t.namespace);
    const first = diagnoses[0];
    throw new DevenvError(
      `${t.ref} did not become ready within ${ctx.timeoutSeconds}s${first ? `: pod ${first.pod} is ${first.state}: ${first.message}` : `: ${(res.stderr || res.stdout).trim().split('\n').pop()}`}`,
      { hint: first ? first.fix : `see \`kubectl ${ctx.kubectl.argv(['get', 'pods', '-n', t.namespace]).join(' ')}\` and \`devenv status --k8s\`.`, details: details || undefined },
    );
  },
};
