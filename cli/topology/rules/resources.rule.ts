// CPU and memory: Compose deploy.resources.limits / reservations (or
// mem_limit, cpus) against the container's limits / requests. A limit Compose
// sets and Kubernetes drops lets a pod take the node; requests and limits only
// Kubernetes has are the platform's scheduling, listed once as info.
import { side } from '../finding.ts';
import type { Fact, Resources } from '../model.ts';
import { instanceLabel, type Rule } from '../rule.ts';
import { formatBytes, formatCpu } from '../units.ts';
import { FindingSet } from './merge-findings.ts';

const FIELDS: Array<{ key: keyof Resources; compose: string; k8s: string; fmt: (n: number) => string }> = [
  { key: 'cpuLimit', compose: 'deploy.resources.limits.cpus', k8s: 'limits.cpu', fmt: formatCpu },
  { key: 'memoryLimit', compose: 'deploy.resources.limits.memory', k8s: 'limits.memory', fmt: formatBytes },
  { key: 'cpuRequest', compose: 'deploy.resources.reservations.cpus', k8s: 'requests.cpu', fmt: formatCpu },
  { key: 'memoryRequest', compose: 'deploy.resources.reservations.memory', k8s: 'requests.memory', fmt: formatBytes },
];

export const resourcesRule: Rule = {
  id: 'resources',
  description: 'Compose CPU/memory limits and reservations match the container limits and requests; Kubernetes-only requests/limits are info.',
  check(ctx) {
    const set = new FindingSet();
    for (const g of ctx.groups) {
      const k = g.workload.resources;
      const k8sOnly = new Map<string, Fact<number>>();
      for (const p of g.pairs) {
        const c = p.compose.resources;
        for (const f of FIELDS) {
          const cv = c[f.key];
          const kv = k[f.key];
          if (!cv && kv) k8sOnly.set(f.k8s, kv);
          if (!cv) continue;
          const base = { rule: 'resources', service: g.name, subject: f.k8s, compose: side(f.fmt(cv.value), cv.loc) };
          if (!kv) {
            set.add({ ...base, severity: 'warn', kubernetes: side(null, g.workload.container ?? g.workload.loc), message: `Compose sets ${f.compose} to ${f.fmt(cv.value)}; ${g.workload.name} has no ${f.k8s}.`, fix: `set resources.${f.k8s}: ${f.fmt(cv.value)}.` }, instanceLabel(p));
          } else if (Math.abs(cv.value - kv.value) > 1e-9 * Math.max(1, cv.value)) {
            set.add({ ...base, severity: 'warn', kubernetes: side(f.fmt(kv.value), kv.loc), message: `${f.compose} is ${f.fmt(cv.value)} in Compose but ${f.k8s} is ${f.fmt(kv.value)} in Kubernetes.`, fix: `set resources.${f.k8s} to ${f.fmt(cv.value)}, or change Compose.` }, instanceLabel(p));
          }
        }
      }
      if (k8sOnly.size) {
        const first = [...k8sOnly.values()][0];
        set.add({ rule: 'resources', service: g.name, subject: 'resources', severity: 'info', compose: null, kubernetes: side([...k8sOnly].map(([n, v]) => `${n} ${n.includes('cpu') ? formatCpu(v.value) : formatBytes(v.value)}`).join(', '), first.loc), message: `Kubernetes-only scheduling and limits for ${g.workload.name}: ${[...k8sOnly].map(([n, v]) => `${n} ${n.includes('cpu') ? formatCpu(v.value) : formatBytes(v.value)}`).join(', ')}.`, fix: 'nothing to do; mirror them in deploy.resources if Compose should be limited too.' });
      }
    }
    return set.list();
  },
};
