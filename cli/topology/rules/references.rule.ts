// A pod that names a ConfigMap, Secret or key that does not exist does not
// start (CreateContainerConfigError), unless the reference is optional. A
// Service that selects no pods has no endpoints.
import { side, type Finding } from '../finding.ts';
import type { ConfigData } from '../model.ts';
import type { Rule } from '../rule.ts';

export const referencesRule: Rule = {
  id: 'references',
  description: 'Every ConfigMap, Secret and key a workload references exists in the manifests (unless optional), and every Service selects a workload.',
  check(ctx) {
    const out: Finding[] = [];
    const k8s = ctx.kubernetes;
    const find = (kind: 'ConfigMap' | 'Secret', name: string): ConfigData | undefined => k8s.configData.find((d) => d.kind === kind && d.name === name);
    for (const w of k8s.workloads) {
      const service = ctx.groups.find((g) => g.workload === w)?.name ?? w.name;
      for (const e of w.env) {
        if (e.value.kind !== 'configMap' && e.value.kind !== 'secret') continue;
        if (e.value.value !== null || e.value.optional) continue;
        const kind = e.value.kind === 'configMap' ? 'ConfigMap' : 'Secret';
        const data = find(kind, e.value.name);
        if (data?.incomplete) continue;
        const what = e.value.key === '*' ? `${kind} ${e.value.name}` : data ? `key ${e.value.key} of ${kind} ${e.value.name}` : `${kind} ${e.value.name}`;
        out.push({
          rule: 'references',
          severity: 'error',
          service,
          subject: e.name.startsWith('\0') ? `envFrom ${kind} ${e.value.name}` : e.name,
          message: `${w.kind} ${w.name} reads ${what}, which the manifests do not define: the pod will not start.`,
          compose: null,
          kubernetes: side(what, e.loc),
          fix: data ? `add ${e.value.key} to ${kind} ${e.value.name}${data.generated ? ' (its generator)' : ''}, or mark the reference optional.` : `define ${kind} ${e.value.name}, or fix the name.`,
        });
      }
      for (const m of w.storage) {
        if (m.kind !== 'config' || !m.files) continue;
        for (const f of m.files) {
          if (f.content.text !== null) continue;
          const ref = /^(ConfigMap|Secret) (\S+)/.exec(f.content.origin);
          if (!ref || find(ref[1] as 'ConfigMap' | 'Secret', ref[2])?.incomplete) continue;
          out.push({
            rule: 'references',
            severity: 'error',
            service,
            subject: m.target,
            message: `the volume mounted at ${m.target} reads ${f.content.origin}, which the manifests do not define.`,
            compose: null,
            kubernetes: side(f.content.origin, m.loc),
            fix: `define ${ref[1]} ${ref[2]} with that key, or fix the volume.`,
          });
        }
      }
    }
    for (const svc of k8s.networkNames) {
      if (svc.type === 'ExternalName' || Object.keys(svc.selector).length === 0) continue;
      const selected = k8s.workloads.some((w) => Object.entries(svc.selector).every(([k, v]) => w.labels?.[k] === v));
      if (selected) continue;
      out.push({
        rule: 'references',
        severity: 'warn',
        service: svc.name,
        subject: 'selector',
        message: `Service ${svc.name} selects ${Object.entries(svc.selector).map(([k, v]) => `${k}=${v}`).join(', ')}, which no workload's pods carry: it has no endpoints.`,
        compose: null,
        kubernetes: side(JSON.stringify(svc.selector), svc.loc),
        fix: 'fix the selector or the pod template labels.',
      });
    }
    return out;
  },
};
