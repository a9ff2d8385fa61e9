// Start order. Compose's depends_on (service_started / service_healthy) has
// two Kubernetes equivalents: an init container that waits for the
// dependency's address, or, between ordinals of one StatefulSet, the
// OrderedReady pod management that starts miner-1 only once miner-0 is ready.
// A missing wait is a warning where Compose waits for health or completion,
// and information where it only orders the start.
import { describeTarget } from '../addresses.ts';
import { side } from '../finding.ts';
import { instanceLabel, type Rule } from '../rule.ts';
import { FindingSet } from './merge-findings.ts';

export const dependenciesRule: Rule = {
  id: 'dependencies',
  description: 'Each depends_on has an equivalent: an init container waiting on the dependency\'s address, or OrderedReady ordering (with a readiness probe) between ordinals of one StatefulSet.',
  check(ctx) {
    const set = new FindingSet();
    for (const g of ctx.groups) {
      const w = g.workload;
      const hasReadiness = w.health.some((h) => h.purpose === 'readiness');
      for (const p of g.pairs) {
        const label = instanceLabel(p);
        for (const d of p.compose.dependencies) {
          const dep = ctx.pairing.pairs.find((x) => x.compose.name === d.target);
          if (!dep) continue;
          const cSide = side(`${d.target} (${d.condition === 'healthy' ? 'service_healthy' : d.condition === 'completed' ? 'service_completed_successfully' : 'service_started'})`, d.loc);
          const base = { rule: 'dependencies', service: g.name, subject: `depends_on ${d.target}`, compose: cSide };
          if (dep.workload === w) {
            if (dep.ordinal !== null && p.ordinal !== null && dep.ordinal < p.ordinal) {
              const ordered = w.podManagement?.value === 'OrderedReady';
              if (ordered && (hasReadiness || d.condition === 'started')) continue;
              set.add({ ...base, severity: 'warn', kubernetes: side(w.podManagement ? `podManagementPolicy ${w.podManagement.value}` : w.kind, w.podManagement?.loc ?? w.loc), message: ordered ? `${w.name}-${p.ordinal} waits for ${w.name}-${dep.ordinal} only until it runs: without a readiness probe OrderedReady cannot wait for healthy.` : `${w.name}-${p.ordinal} may start before ${w.name}-${dep.ordinal} is ready (Compose waits for ${d.target} to be healthy).`, fix: ordered ? 'add a readinessProbe.' : 'set podManagementPolicy: OrderedReady, or add an init container that waits for the upstream pod.' }, label);
            }
            continue;
          }
          const pod = (x: typeof w) => x.sidecarOf?.workload ?? x.name;
          if (pod(dep.workload) === pod(w)) {
            set.add({ ...base, severity: 'info', kubernetes: side(`same pod as ${dep.workload.name}`, w.container ?? w.loc), message: `${w.name} and ${dep.workload.name} are containers of one pod: they start together, so the order Compose gives them is gone.`, fix: `nothing to do if ${p.compose.name} retries until ${d.target} answers; otherwise make it wait for localhost.` }, label);
            continue;
          }
          const want = ctx.addresses.composeTarget(dep.compose);
          const waits = w.dependencies
            .map((x) => ({ dep: x, r: ctx.addresses.resolveK8s(x.target.toLowerCase().replace(/\$\(POD_NAMESPACE\)/gi, ctx.namespace), x.port) }))
            .filter((x) => x.r && x.r.target.kind === 'workload' && want.kind === 'workload' && x.r.target.workload === want.workload);
          if (!waits.length && ctx.addresses.servicesOf(dep.workload.sidecarOf?.workload ?? dep.workload.name).length === 0) {
            set.add({ ...base, severity: 'error', kubernetes: side(null, dep.workload.loc), message: `\`${d.target}\` resolves in Compose; no Service selects ${dep.workload.name} in namespace ${ctx.namespace}, so ${w.name} cannot reach it at all.`, fix: `add a Service named ${d.target.replace(/_/g, '-')} selecting the pods of ${dep.workload.name}.` }, label);
            continue;
          }
          if (!waits.length) {
            // A plain depends_on only orders the start (Compose does not wait for the dependency to answer):
            // a client that retries, which a pod restarted by Kubernetes is, behaves the same. Said, not alarmed.
            set.add({ ...base, severity: d.condition === 'started' ? 'info' : 'warn', kubernetes: side(w.dependencies.length ? w.dependencies.map((x) => `${x.target}${x.port ? `:${x.port}` : ''}`).join(', ') : null, w.dependencies[0]?.loc ?? w.container ?? w.loc), message: `Compose starts ${p.compose.name} after ${d.target}${d.condition === 'healthy' ? ' is healthy' : ''}; in Kubernetes nothing makes ${w.name} wait for ${dep.workload.name}.`, fix: `add an init container that waits for ${dep.workload.name}'s Service address (e.g. \`wait-for ${dep.workload.name}:<port>\`), or make sure the app retries until it is up.` }, label);
            continue;
          }
          const t = waits[0].r!.target;
          const ordinalWanted = want.kind === 'workload' ? want.ordinal : '*';
          if (t.kind === 'workload' && ordinalWanted !== '*' && t.ordinal === '*' && ctx.addresses.maxReplicas(dep.workload.name) > 1) {
            set.add({ ...base, severity: 'info', kubernetes: side(`${waits[0].dep.target}:${waits[0].dep.port ?? ''}`, waits[0].dep.loc), message: `Compose waits for ${d.target} (${describeTarget(want)}); the init container waits for ${describeTarget(t)}.`, fix: 'nothing to do if any replica being up is enough.' }, label);
          }
        }
      }
    }
    return set.list();
  },
};
