// What the loaders read but do not compare (a Compose key such as cap_add, a
// pod securityContext, a kustomize patch without kubectl): reported so a
// reviewer checks it by hand, never silently dropped.
import { side, type Finding } from '../finding.ts';
import type { Rule } from '../rule.ts';

export const unsupportedRule: Rule = {
  id: 'unsupported',
  description: 'Input the loaders did not compare (unknown Compose keys, Kubernetes-only pod settings, kustomize features without kubectl) is listed.',
  check(ctx) {
    const out: Finding[] = [];
    for (const [platform, list] of [['compose', ctx.compose.unsupported], ['kubernetes', ctx.kubernetes.unsupported]] as const) {
      for (const u of list) {
        const group = ctx.groups.find((g) => g.workload.name === u.service || g.pairs.some((p) => p.compose.name === u.service));
        const s = side(u.key, u.loc);
        out.push({
          rule: 'unsupported',
          severity: u.severity,
          service: group?.name ?? u.service ?? platform,
          subject: u.key,
          compose: platform === 'compose' ? s : null,
          kubernetes: platform === 'kubernetes' ? s : null,
          message: u.message,
          fix: u.severity === 'info' ? 'nothing to do, or compare it by hand.' : 'compare it by hand; accept the finding with a reason once checked.',
        });
      }
    }
    return out;
  },
};
