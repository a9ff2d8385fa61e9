// An HPA on a missing target does nothing, and a Utilization target on a
// container without a request for that resource leaves the HPA unable to
// compute anything ("missing request for cpu"), silently.
import { containersOf } from '../../manifests/objects.ts';
import { finding, type ManifestFinding, type ManifestRule } from './rule.ts';

export const hpaRule: ManifestRule = {
  id: 'hpa-target',
  description: "Every HorizontalPodAutoscaler's scaleTargetRef exists, and each container of the target requests every resource the HPA measures as Utilization.",
  check(ctx) {
    const out: ManifestFinding[] = [];
    for (const at of ctx.objects) {
      if (at.object.kind !== 'HorizontalPodAutoscaler') continue;
      const ref = at.object.spec?.scaleTargetRef ?? {};
      const ns = at.namespace;
      const target = ctx.objects.find((o) => o.object.kind === ref.kind && o.object.metadata?.name === ref.name && o.namespace === ns);
      if (!target) {
        out.push(finding('hpa-target', 'error', at, ['spec', 'scaleTargetRef'], `scaleTargetRef ${ref.kind}/${ref.name} is not in the manifests (namespace ${ns}).`, 'point scaleTargetRef at the StatefulSet or Deployment to scale (kind and name).'));
        continue;
      }
      const min = at.object.spec?.minReplicas ?? 1;
      const max = at.object.spec?.maxReplicas;
      if (typeof max === 'number' && min > max) {
        out.push(finding('hpa-target', 'error', at, ['spec', 'minReplicas'], `minReplicas ${min} is above maxReplicas ${max}.`, 'make minReplicas <= maxReplicas.'));
      }
      const metrics: any[] = Array.isArray(at.object.spec?.metrics) ? at.object.spec.metrics : [];
      const containers = containersOf(target.object).filter((c) => !c.init);
      metrics.forEach((m, i) => {
        const spec = m?.type === 'Resource' ? m.resource : m?.type === 'ContainerResource' ? m.containerResource : undefined;
        if (!spec || spec.target?.type !== 'Utilization') return;
        const resource = spec.name;
        const scoped = m.type === 'ContainerResource' ? containers.filter((c) => c.container.name === spec.container) : containers;
        for (const { container, path } of scoped) {
          if (container.resources?.requests?.[resource] !== undefined) continue;
          out.push(
            finding('hpa-requests', 'error', at, ['spec', 'metrics', i], `metric ${resource} is a Utilization target, but container ${container.name} of ${target.object.kind}/${target.object.metadata?.name} requests no ${resource}, so the HPA cannot compute utilization.`, `set resources.requests.${resource} on container ${container.name} (${target.file}:${target.lineOf(path)}), or use an AverageValue target.`),
          );
        }
      });
    }
    return out;
  },
};
