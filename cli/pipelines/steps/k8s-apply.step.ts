// Server-side apply of every rendered object in one `kubectl apply
// --server-side --field-manager=devenv -f -` (a JSON List), in the dependency order of the
// apply phases (cli/k8s/apply-phases.ts): kubectl applies a stream object by
// object, so the namespace exists before what lives in it, config and
// secrets before the workloads that read them, and so on; one kubectl start
// instead of one per phase. The node image gets the tag devenv built and
// loaded (never the manifests' placeholder), redis the configured image.
import { PHASE_ORDER, PHASE_TITLES, toApplyList } from '../../k8s/apply-phases.ts';
import { imagePins } from '../../k8s/images.ts';
import { objectRef, replaceImages } from '../../manifests/objects.ts';
import type { K8sContext } from '../k8s-context.ts';
import type { Step } from '../pipeline.ts';

export const K8S_APPLY_STEP_NAME = 'Apply the manifests (one server-side apply, in dependency order)';

export const k8sApplyStep: Step<K8sContext> = {
  name: K8S_APPLY_STEP_NAME,
  skip: (ctx) => ((ctx.rendered?.phases ?? []).some((p) => p.objects.length) ? false : 'no objects in the manifests'),
  run: async (ctx, io) => {
    const phases = PHASE_ORDER.map((id) => ctx.rendered?.phases.find((p) => p.id === id)).filter((p) => p && p.objects.length);
    const objects = replaceImages(phases.flatMap((p) => p!.objects), imagePins(ctx));
    const refs = objects.map(objectRef);
    await ctx.kubectl.applyYaml(toApplyList(objects), refs.join(', '));
    for (const p of phases) io.report(`${PHASE_TITLES[p!.id]}: ${p!.objects.map(objectRef).join(', ')}`);
  },
};

/** The apply steps of `up --k8s` (one, since every phase goes in one apply). */
export function k8sApplySteps(): Array<Step<K8sContext>> {
  return [k8sApplyStep];
}
