// Server-side apply of every rendered object in one `kubectl apply
// --server-side --field-manager=devenv -f -` (a JSON List), in the dependency order of the
// apply phases (cli/k8s/apply-phases.ts): kubectl applies a stream object by
// object, so the namespace exists before what lives in it, config and
// secrets before the workloads that read them, and so on; one kubectl start
// instead of one per phase. The node image gets the tag devenv built and
// loaded (never the manifests' placeholder), redis the configured image.
import { PHASE_ORDER, PHASE_TITLES, toApplyList } from '../../k8s/apply-phases.ts';
import { applyLookup, desiredApply, leaveReplicasToHpa, parseLiveObjects } from '../../k8s/apply-record.ts';
import { imagePins } from '../../k8s/images.ts';
import { objectRef } from '../../manifests/objects.ts';
import { installedAddon, type K8sContext } from '../k8s-context.ts';
import type { Step } from '../pipeline.ts';

export const K8S_APPLY_STEP_NAME = 'Apply the manifests (one server-side apply, in dependency order)';

export const k8sApplyStep: Step<K8sContext> = {
  name: K8S_APPLY_STEP_NAME,
  skip: (ctx) => ((ctx.rendered?.phases ?? []).some((p) => p.objects.length) ? false : 'no objects in the manifests'),
  run: async (ctx, io) => {
    const phases = PHASE_ORDER.map((id) => ctx.rendered?.phases.find((p) => p.id === id)).filter((p) => p && p.objects.length);
    const desired = desiredApply(ctx.rendered?.phases ?? [], imagePins(ctx), installedAddon(ctx));
    const { objects, left } = leaveReplicasToHpa(desired.objects, ctx.live ?? []);
    const list = left.length ? toApplyList(objects) : desired.list;
    const hash = desired.hash;
    for (const l of left) io.report(`${l.ref}: replicas left as scaled (${l.replicas} now; an HPA manages them)`);
    // kubectl prints each applied object's UID and devenv's fields: the
    // record a later `up` compares the cluster with (cli/k8s/apply-record.ts).
    const res = await ctx.kubectl.applyRecorded(list, objects.map(objectRef).join(', '));
    if (!res.dryRun) ctx.applied = recordable(res.stdout, hash, applyLookup(objects, installedAddon(ctx)));
    for (const p of phases) io.report(`${PHASE_TITLES[p!.id]}: ${p!.objects.map(objectRef).join(', ')}`);
  },
};

/** What the record keeps of this apply; nothing (the next `up` takes the full path) when kubectl's output is not the JSON asked for. */
function recordable(stdout: string, hash: string, lookup: string): K8sContext['applied'] {
  try {
    return { hash, objects: parseLiveObjects(stdout), lookup };
  } catch {
    return undefined;
  }
}

/** The apply steps of `up --k8s` (one, since every phase goes in one apply). */
export function k8sApplySteps(): Array<Step<K8sContext>> {
  return [k8sApplyStep];
}
