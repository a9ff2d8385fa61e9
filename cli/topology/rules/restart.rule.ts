// What happens when the process exits, and how long it has to stop. Compose
// always / unless-stopped = Kubernetes Always; `no` and on-failure cannot be
// expressed by a Deployment or StatefulSet (info). A shorter termination
// grace period than Compose's stop_grace_period cuts a clean shutdown short.
import { side } from '../finding.ts';
import { instanceLabel, type Rule } from '../rule.ts';
import { FindingSet } from './merge-findings.ts';

const EQUIVALENT: Record<string, string> = { always: 'Always', 'unless-stopped': 'Always', 'on-failure': 'OnFailure', no: 'Never' };

export const restartRule: Rule = {
  id: 'restart',
  description: 'Restart policy (always/unless-stopped = Always) and stop grace period (stop_grace_period vs terminationGracePeriodSeconds) match.',
  check(ctx) {
    const set = new FindingSet();
    for (const g of ctx.groups) {
      const w = g.workload;
      for (const p of g.pairs) {
        const c = p.compose;
        const policy = c.restart.value.split(':')[0];
        const want = EQUIVALENT[policy] ?? policy;
        if (want !== w.restart.value) {
          const controller = w.kind !== 'Pod' && w.kind !== 'Job';
          set.add({
            rule: 'restart',
            service: g.name,
            subject: 'restart',
            severity: controller ? 'info' : 'warn',
            compose: side(c.restart.value, c.restart.loc),
            kubernetes: side(w.restart.value, w.restart.loc),
            message: controller ? `Compose restart policy is ${c.restart.value}; a ${w.kind} always restarts its containers (restartPolicy ${w.restart.value}).` : `Compose restart policy is ${c.restart.value}; the ${w.kind} has restartPolicy ${w.restart.value}.`,
            fix: controller ? `nothing to do; set restart: unless-stopped in Compose to match.` : `set restartPolicy: ${want}.`,
          }, instanceLabel(p));
        }
        const cGrace = c.stopGraceSeconds?.value ?? 10;
        const kGrace = w.stopGraceSeconds?.value ?? 30;
        if (cGrace !== kGrace) {
          set.add({
            rule: 'restart',
            service: g.name,
            subject: 'stop grace period',
            severity: kGrace < cGrace ? 'warn' : 'info',
            compose: side(`${cGrace}s${c.stopGraceSeconds ? '' : ' (default)'}`, c.stopGraceSeconds?.loc ?? c.loc),
            kubernetes: side(`${kGrace}s`, w.stopGraceSeconds?.loc ?? w.loc),
            message: kGrace < cGrace ? `Kubernetes kills the container ${kGrace}s after SIGTERM; Compose waits ${cGrace}s: a shutdown that needs the time is cut short.` : `Kubernetes waits ${kGrace}s after SIGTERM before killing; Compose ${cGrace}s.`,
            fix: kGrace < cGrace ? `set terminationGracePeriodSeconds: ${cGrace}.` : 'nothing to do.',
          }, instanceLabel(p));
        }
      }
    }
    return set.list();
  },
};
