// A PodDisruptionBudget that selects nothing protects nothing.
import { matchesSelector } from '../../manifests/kinds.ts';
import { podSpecOf } from '../../manifests/objects.ts';
import { finding, type ManifestFinding, type ManifestRule } from './rule.ts';

export const pdbRule: ManifestRule = {
  id: 'pdb-selector',
  description: "Every PodDisruptionBudget's selector matches the pods of a workload in its namespace, and its minAvailable is below the smallest replica count (HPA minReplicas), or a node drain blocks.",
  check(ctx) {
    const out: ManifestFinding[] = [];
    for (const at of ctx.objects) {
      if (at.object.kind !== 'PodDisruptionBudget') continue;
      const ns = at.namespace;
      const sel = at.object.spec?.selector;
      const targets = ctx.objects.filter((o) => o.namespace === ns && podSpecOf(o.object) && matchesSelector(sel, podSpecOf(o.object)!.labels));
      if (!targets.length) {
        out.push(finding('pdb-selector', 'warn', at, ['spec', 'selector'], `selector ${JSON.stringify(sel ?? {})} matches no pod template in namespace ${ns}.`, 'use the pod labels of the workload the budget should protect.'));
        continue;
      }
      // A budget the workload can never satisfy at its smallest size blocks every node drain.
      const minAvailable = at.object.spec?.minAvailable;
      if (typeof minAvailable !== 'number') continue;
      for (const t of targets) {
        const hpa = ctx.objects.find((h) => h.kind === 'HorizontalPodAutoscaler' && h.namespace === ns && h.object.spec?.scaleTargetRef?.kind === t.kind && h.object.spec?.scaleTargetRef?.name === t.name);
        const smallest = hpa ? (hpa.object.spec?.minReplicas ?? 1) : (t.object.spec?.replicas ?? 1);
        if (minAvailable < smallest) continue;
        out.push(finding('pdb-selector', 'warn', at, ['spec', 'minAvailable'], `minAvailable ${minAvailable} is >= the ${hpa ? `minReplicas of HorizontalPodAutoscaler ${hpa.name}` : 'replicas'} of ${t.kind}/${t.name} (${smallest}): no pod may ever be evicted, so a node drain blocks.`, `set minAvailable below ${smallest} (or use maxUnavailable: 1).`));
      }
    }
    return out;
  },
};
