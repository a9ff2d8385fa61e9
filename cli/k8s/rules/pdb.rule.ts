// A PodDisruptionBudget that selects nothing protects nothing.
import { matchesSelector } from '../../manifests/kinds.ts';
import { podSpecOf } from '../../manifests/objects.ts';
import { finding, type Finding, type ManifestRule } from './rule.ts';

export const pdbRule: ManifestRule = {
  id: 'pdb-selector',
  description: "Every PodDisruptionBudget's selector matches the pods of a workload in its namespace.",
  check(ctx) {
    const out: Finding[] = [];
    for (const at of ctx.objects) {
      if (at.object.kind !== 'PodDisruptionBudget') continue;
      const ns = at.namespace;
      const sel = at.object.spec?.selector;
      const hit = ctx.objects.some((o) => o.namespace === ns && podSpecOf(o.object) && matchesSelector(sel, podSpecOf(o.object)!.labels));
      if (!hit) out.push(finding('pdb-selector', 'warning', at, ['spec', 'selector'], `selector ${JSON.stringify(sel ?? {})} matches no pod template in namespace ${ns}.`, 'use the pod labels of the workload the budget should protect.'));
    }
    return out;
  },
};
