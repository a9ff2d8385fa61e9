// Objects Kubernetes has and Compose has no word for: autoscalers, disruption
// budgets, headless Services, network policies, the namespace. Listed so the
// reader sees the whole migration; they are expected differences (info).
import { side, type Finding } from '../finding.ts';
import type { Rule } from '../rule.ts';

const WHY: Record<string, string> = {
  HorizontalPodAutoscaler: 'scales the workload with load; Compose has a fixed count',
  PodDisruptionBudget: 'keeps replicas up during node drains; Compose has no nodes to drain',
  Service: 'gives each pod a stable DNS name; Compose resolves service names itself',
  NetworkPolicy: 'restricts traffic between pods; Compose networks are open inside',
  Namespace: 'scopes the objects; Compose scopes by project name',
};

export const platformObjectsRule: Rule = {
  id: 'platform-objects',
  description: 'Kubernetes-only objects (HPA, PDB, headless Services, NetworkPolicy, Namespace, ...) are listed as expected platform differences.',
  check(ctx) {
    const out: Finding[] = [];
    for (const o of ctx.kubernetes.platformObjects) {
      const group = ctx.groups.find((g) => g.workload.name === o.target);
      out.push({
        rule: 'platform-objects',
        severity: 'info',
        service: group?.name ?? o.target ?? 'cluster',
        subject: `${o.kind}/${o.name}`,
        compose: null,
        kubernetes: side(`${o.kind}/${o.name}${o.note ? ` (${o.note})` : ''}`, o.loc),
        message: `Kubernetes-only ${o.kind} ${o.name}${o.target ? ` for ${o.target}` : ''}: ${WHY[o.kind] ?? 'no Compose equivalent'}.`,
        fix: 'nothing to do.',
      });
    }
    return out;
  },
};
