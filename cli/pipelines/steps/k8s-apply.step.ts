// Server-side apply, one phase at a time (cli/k8s/apply-phases.ts), each
// phase one `kubectl apply --server-side --field-manager=devenv -f -` with the
// phase's objects on stdin. The node image gets the tag devenv built and
// loaded (never the manifests' placeholder), redis the configured image.
import { PHASE_ORDER, PHASE_TITLES, toYamlStream, type ApplyPhase, type PhaseId } from '../../k8s/apply-phases.ts';
import type { K8sContext } from '../../k8s/k8s-context.ts';
import { parseImageRef } from '../../manifests/image-ref.ts';
import { objectRef, replaceImages } from '../../manifests/objects.ts';
import type { Step } from '../pipeline.ts';
import { nodeImageRef } from './k8s-load-image.step.ts';

/** The rendered phases with the images devenv actually runs. */
export function finalPhases(ctx: K8sContext): ApplyPhase[] {
  if (!ctx.rendered) return [];
  const byName: Record<string, string> = {
    [ctx.app.config.image.name]: nodeImageRef(ctx),
    redis: ctx.app.config.images.redis,
  };
  // The manifests may already name the configured redis image (then nothing changes).
  byName[parseImageRef(ctx.app.config.images.redis).name] = ctx.app.config.images.redis;
  return ctx.rendered.phases.map((p) => ({ ...p, objects: replaceImages(p.objects, byName) }));
}

export function k8sApplyStep(id: PhaseId): Step<K8sContext> {
  return {
    name: PHASE_TITLES[id],
    skip: (ctx) => (finalPhases(ctx).find((p) => p.id === id)?.objects.length ? false : 'no objects of this phase in the manifests'),
    run: async (ctx, io) => {
      const phase = finalPhases(ctx).find((p) => p.id === id)!;
      const refs = phase.objects.map(objectRef);
      await ctx.kubectl.applyYaml(toYamlStream(phase.objects), refs.join(', '));
      io.report(refs.join(', '));
    },
  };
}

export function k8sApplySteps(): Array<Step<K8sContext>> {
  return PHASE_ORDER.map(k8sApplyStep);
}
