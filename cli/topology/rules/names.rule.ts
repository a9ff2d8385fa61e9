// Names Kubernetes rejects. Compose accepts `queue_1` as a service name and
// host name; the API server rejects it as a Service name, pod hostname or
// subdomain, so `kubectl apply` fails before anything runs.
import { nameProblem, nameRuleOf, suggestName, type NameRule } from '../../manifests/names.ts';
import type { Loc } from '../model.ts';
import { side, type Finding } from '../finding.ts';
import type { Rule } from '../rule.ts';

export const namesRule: Rule = {
  id: 'names',
  description: 'Every Service name is a DNS-1035 label and every workload name, pod hostname and subdomain a name the API server accepts.',
  check(ctx) {
    const out: Finding[] = [];
    const composeFor = (workload: string) => ctx.pairing.pairs.find((p) => p.workload.name === workload)?.compose;
    const report = (service: string, subject: string, name: string, rule: NameRule, loc: Loc, composeLoc: Loc | undefined) => {
      const problem = nameProblem(name, rule);
      if (!problem) return;
      out.push({
        rule: 'names',
        severity: 'error',
        service,
        subject,
        message: `${subject} "${name}" ${problem}: the API server rejects it and \`kubectl apply\` fails.`,
        compose: composeLoc ? side(name, composeLoc) : null,
        kubernetes: side(name, loc),
        fix: `name it ${suggestName(name, rule)} (and use that name wherever it is dialled).`,
      });
    };
    for (const svc of ctx.kubernetes.networkNames) {
      const target = ctx.kubernetes.workloads.find((w) => Object.keys(svc.selector).length && Object.entries(svc.selector).every(([k, v]) => w.labels?.[k] === v));
      const c = ctx.compose.workloads.find((s) => s.name === svc.name);
      report(target?.name ?? svc.name, `Service name`, svc.name, 'dns-1035-label', svc.loc, c?.loc);
    }
    for (const w of ctx.kubernetes.workloads) {
      report(w.name, `${w.kind} name`, w.name, nameRuleOf(w.kind) ?? 'dns-1123-subdomain', w.loc, composeFor(w.name)?.loc);
      for (const [field, fact] of [['hostname', w.hostname], ['subdomain', w.subdomain]] as const) {
        if (fact) report(w.name, `pod ${field}`, fact.value, 'dns-1123-label', fact.loc, composeFor(w.name)?.loc);
      }
    }
    return out;
  },
};
