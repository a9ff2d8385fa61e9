// Server-side apply, one phase at a time (cli/k8s/apply-phases.ts), each
// phase one `kubectl apply --server-side --field-manager=devenv -f -` with the
// phase's objects on stdin. The node image gets the tag devenv built and
// loaded (never the manifests' placeholder), redis the configured image:
// each phase's objects are pinned once, when that phase is applied.
import { PHASE_ORDER, PHASE_TITLES, toYamlStream, type PhaseId } from '../../k8s/apply-phases.ts';
import { imagePins } from '../../k8s/images.ts';
import { objectRef, replaceImages } from '../../manifests/objects.ts';
import type { K8sContext } from '../k8s-context.ts';
import type { Step } from '../pipeline.ts';

function k8sApplyStep(id: PhaseId): Step<K8sContext> {
  const phaseObjects = (ctx: K8sContext) => ctx.rendered?.phases.find((p) => p.id === id)?.objects ?? [];
  return {
    name: PHASE_TITLES[id],
    skip: (ctx) => (phaseObjects(ctx).length ? false : 'no objects of this phase in the manifests'),
    run: async (ctx, io) => {
      const objects = replaceImages(phaseObjects(ctx), imagePins(ctx));
      const refs = objects.map(objectRef);
      await ctx.kubectl.applyYaml(toYamlStream(objects), refs.join(', '));
      io.report(refs.join(', '));
    },
  };
}

export function k8sApplySteps(): Array<Step<K8sContext>> {
  return PHASE_ORDER.map(k8sApplyStep);
}
