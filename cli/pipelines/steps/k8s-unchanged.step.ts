// A warm `up --k8s`: one `kubectl get` tells whether the cluster is exactly
// as the last `up` left it (cli/k8s/apply-record.ts): the same apply, every
// object still the one devenv applied with devenv's fields untouched, every
// workload rolled out, metrics-server as rendered and serving. Then the
// image loads, the apply and the rollout waits have nothing to do and are
// skipped (the smoke check still runs); anything else takes the full path,
// and this step says why.
import { addonNotPresent, withAddonHash } from '../../k8s/addon-state.ts';
import { applyLookup, asLiveK8sObjects, desiredApply, notAsApplied, parseLiveObjects, type LiveObject } from '../../k8s/apply-record.ts';
import { lastApplyRecord, liveObjects } from '../k8s-live.ts';
import { imagePins } from '../../k8s/images.ts';
import { installedAddon, kubeContextName, type K8sContext } from '../k8s-context.ts';
import type { Step } from '../pipeline.ts';

export const k8sUnchangedStep: Step<K8sContext> = {
  name: 'Compare the cluster with the last up',
  skip: (ctx) => (ctx.app.args.dryRun ? 'dry run: the plan shows the full path' : ctx.clusterExists === false ? 'a new cluster' : false),
  run: async (ctx, io) => {
    const context = kubeContextName(ctx);
    const addon = installedAddon(ctx);
    const expect = { context, ...desiredApply(ctx.rendered?.phases ?? [], imagePins(ctx), addon) };
    const record = lastApplyRecord(ctx);
    const early = notAsApplied(record, expect, null);
    if (!record) {
      io.report(`full up: ${early}`);
      return;
    }
    // The cluster is read even when the record already says "full": the
    // apply leaves the replicas an HPA has taken to it (leaveReplicasToHpa).
    // The preflight's lookup of the last apply serves when the objects are the same set.
    const res = await liveObjects(ctx, early ? record.lookup : applyLookup(expect.objects, addon));
    let live: LiveObject[] | null = null;
    try {
      live = res.exitCode === 0 ? parseLiveObjects(res.stdout) : null;
    } catch {
      live = null;
    }
    ctx.live = live ?? [];
    if (early || !live) {
      io.report(`full up: ${early ?? `\`kubectl get\` did not answer (exit ${res.exitCode}): ${(res.stderr || res.stdout).trim().split('\n').pop()}`}`);
      return;
    }
    const why = notAsApplied(record, expect, live) ?? (addon ? addonNotPresent(addon, withAddonHash(addon).hash, asLiveK8sObjects(live)) : null);
    if (why) {
      io.report(`full up: ${why}`);
      return;
    }
    ctx.unchanged = 'unchanged since the last up';
    io.report(`${ctx.unchanged}: ${expect.objects.length} objects as devenv applied them, every workload rolled out${addon ? ', metrics-server serving' : ''}`);
  },
};
