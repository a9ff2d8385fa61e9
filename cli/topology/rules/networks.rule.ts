// Compose `networks:` segment a project: two services that share no network
// cannot reach each other. Kubernetes pods all reach each other unless a
// NetworkPolicy says otherwise, so the segmentation is lost in a migration
// without one. Each service that Compose keeps apart from others is reported:
// warn where no NetworkPolicy selects its pods, info (compare by hand) where
// one does.
import { matchesSelector } from '../../manifests/kinds.ts';
import { side, type Finding } from '../finding.ts';
import type { Rule } from '../rule.ts';

export const networksRule: Rule = {
  id: 'networks',
  description: 'Services Compose keeps apart (no shared network) are kept apart in Kubernetes by a NetworkPolicy.',
  check(ctx) {
    const out: Finding[] = [];
    const services = ctx.groups.flatMap((g) => g.pairs.map((p) => ({ g, c: p.compose })));
    const policies = ctx.kubernetes.objects.filter((o) => o.kind === 'NetworkPolicy' && o.namespace === ctx.namespace);
    const seen = new Set<string>();
    for (const { g, c } of services) {
      if (seen.has(c.name)) continue;
      seen.add(c.name);
      const mine = new Set(c.networks?.value ?? ['default']);
      const apart = services.filter((o) => o.g !== g && !(o.c.networks?.value ?? ['default']).some((n) => mine.has(n))).map((o) => o.c.name);
      if (!apart.length) continue;
      const names = [...new Set(apart)];
      const w = g.workload.sidecarOf ? ctx.kubernetes.workloads.find((x) => x.name === g.workload.sidecarOf!.workload) ?? g.workload : g.workload;
      const policy = policies.find((o) => {
        const sel = o.object.spec?.podSelector;
        const all = !sel || (Object.keys(sel.matchLabels ?? {}).length === 0 && !(sel.matchExpressions ?? []).length);
        return all || matchesSelector(sel, w.labels);
      });
      const nets = [...mine].join(', ');
      const compose = side(`networks: ${nets}`, c.networks?.loc ?? c.loc);
      if (policy) {
        out.push({ rule: 'networks', service: g.name, subject: 'networks', severity: 'info', compose, kubernetes: side(`NetworkPolicy ${policy.name}`, policy.node.loc), message: `in Compose ${c.name} (networks ${nets}) cannot reach or be reached by ${names.join(', ')}; NetworkPolicy ${policy.name} selects its pods: check it keeps them apart.`, fix: `allow ingress to ${w.name} only from the pods of the services on ${nets}.` });
        continue;
      }
      out.push({
        rule: 'networks',
        service: g.name,
        subject: 'networks',
        severity: 'warn',
        compose,
        kubernetes: side(null, w.loc),
        message: `in Compose ${c.name} is on ${nets} only: ${names.join(', ')} ${names.length > 1 ? 'share' : 'shares'} no network with it and cannot reach it. No NetworkPolicy selects the pods of ${w.kind} ${w.name}: every pod in the cluster reaches it.`,
        fix: `add a NetworkPolicy selecting ${w.name}'s pods that allows ingress only from the services on ${nets}.`,
      });
    }
    return out;
  },
};
