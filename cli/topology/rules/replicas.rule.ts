// The number of instances must match: Compose counts services paired with the
// workload (miner_1, miner_2 -> 2) times their deploy.replicas; Kubernetes has
// spec.replicas, or the HPA's range when one scales the workload.
import { side, type Finding } from '../finding.ts';
import type { Rule } from '../rule.ts';

export const replicasRule: Rule = {
  id: 'replicas',
  description: 'Compose instance count equals the workload replicas; an HPA minimum above or below it, or a maximum above it, is reported.',
  check(ctx) {
    const out: Finding[] = [];
    const countOf = (g: (typeof ctx.groups)[number]) => g.pairs.reduce((n, p) => n + (p.ordinal === null ? p.compose.replicas.value : 1), 0);
    for (const g of ctx.groups) {
      const w = g.workload;
      const composeCount = countOf(g);
      // A sidecar has its pod's replicas: when it counts as many instances in Compose as the pod's main
      // service, the main container's finding says it all.
      const main = w.sidecarOf ? ctx.groups.find((x) => x.workload.name === w.sidecarOf!.workload && !x.workload.sidecarOf) : undefined;
      if (main && countOf(main) === composeCount) continue;
      const first = g.pairs[0].compose;
      const cLoc = g.pairs.length === 1 ? first.replicas.loc : first.loc;
      const names = g.pairs.map((p) => p.compose.name).join(', ');
      const hpa = w.autoscaling;
      if (w.replicas.value !== composeCount) {
        out.push({
          rule: 'replicas',
          severity: 'warn',
          service: g.name,
          subject: 'replicas',
          message: `Compose runs ${composeCount} instance(s) of ${g.name} (${names}); ${w.kind} ${w.name} runs ${w.replicas.value}.`,
          compose: side(composeCount, cLoc),
          kubernetes: side(w.replicas.value, w.replicas.loc),
          fix: w.replicas.value > composeCount
            ? `set spec.replicas to ${composeCount}, or add ${w.name}_${composeCount + 1} to Compose; if the extra replicas are intended (load balancing), accept this finding with the reason.`
            : `set spec.replicas to ${composeCount}.`,
        });
      }
      if (!hpa) continue;
      if (hpa.min.value > composeCount) {
        out.push({
          rule: 'replicas',
          severity: 'warn',
          service: g.name,
          subject: 'autoscaling.min',
          message: `HPA ${hpa.name} never runs fewer than ${hpa.min.value} replicas of ${w.name}; Compose runs ${composeCount}.`,
          compose: side(composeCount, cLoc),
          kubernetes: side(hpa.min.value, hpa.min.loc),
          fix: `set minReplicas to ${composeCount}, or accept the difference with a reason.`,
        });
      } else if (hpa.min.value < composeCount) {
        out.push({
          rule: 'replicas',
          severity: 'warn',
          service: g.name,
          subject: 'autoscaling.min',
          message: `HPA ${hpa.name} may scale ${w.name} down to ${hpa.min.value} replica(s), below the ${composeCount} Compose runs (${names}): instances Compose always has can disappear.`,
          compose: side(composeCount, cLoc),
          kubernetes: side(hpa.min.value, hpa.min.loc),
          fix: `set minReplicas to ${composeCount}.`,
        });
      }
      if (hpa.max.value > Math.max(composeCount, hpa.min.value)) {
        out.push({
          rule: 'replicas',
          severity: 'info',
          service: g.name,
          subject: 'autoscaling.max',
          message: `HPA ${hpa.name} may add replicas of ${w.name} up to ${hpa.max.value}; Compose has a fixed ${composeCount}.`,
          compose: side(composeCount, cLoc),
          kubernetes: side(hpa.max.value, hpa.max.loc),
          fix: 'nothing to do if scaling out is intended.',
        });
      }
    }
    return out;
  },
};
