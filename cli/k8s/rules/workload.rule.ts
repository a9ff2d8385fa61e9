// Mistakes in a workload's own spec that the API server rejects (a selector
// that does not match the template, requests above limits, a volumeMount of
// no volume), found with file:line before anything is applied.
import { parseCpu, parseK8sBytes } from '../../topology/units.ts';
import { matchesSelector, WORKLOAD_KINDS } from '../../manifests/kinds.ts';
import { containersOf, podSpecOf } from '../../manifests/objects.ts';
import { finding, type ManifestFinding, type ManifestRule } from './rule.ts';

const SELECTOR_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet']);

export const workloadRule: ManifestRule = {
  id: 'workload-spec',
  description: "A workload's selector matches its pod template labels, no container requests more than its limit, and every volumeMount names a volume of the pod (or a volumeClaimTemplate).",
  check(ctx) {
    const out: ManifestFinding[] = [];
    for (const at of ctx.objects) {
      if (!WORKLOAD_KINDS.has(at.kind)) continue;
      const pod = podSpecOf(at.object);
      if (!pod) continue;
      const sel = at.object.spec?.selector;
      if (SELECTOR_KINDS.has(at.kind) && sel && typeof sel === 'object' && !matchesSelector(sel, pod.labels)) {
        out.push(finding('workload-selector', 'error', at, ['spec', 'selector'], `spec.selector ${JSON.stringify(sel)} does not match the pod template labels ${JSON.stringify(pod.labels)}; the API server rejects the ${at.kind}.`, 'make spec.selector.matchLabels a subset of spec.template.metadata.labels.'));
      }
      const volumes = new Set<string>((Array.isArray(pod.spec.volumes) ? pod.spec.volumes : []).map((v: any) => v?.name));
      for (const t of Array.isArray(at.object.spec?.volumeClaimTemplates) ? at.object.spec.volumeClaimTemplates : []) volumes.add(t?.metadata?.name);
      for (const { container, path } of containersOf(at.object)) {
        (Array.isArray(container.volumeMounts) ? container.volumeMounts : []).forEach((m: any, i: number) => {
          if (m?.name && !volumes.has(m.name)) out.push(finding('volume-mount', 'error', at, [...path, 'volumeMounts', i, 'name'], `volumeMount ${m.name} of container ${container.name} names no volume of the pod${at.kind === 'StatefulSet' ? ' and no volumeClaimTemplate' : ''}; the API server rejects it.`, `add a volume named ${m.name} under spec.volumes${at.kind === 'StatefulSet' ? ' (or a volumeClaimTemplate)' : ''}, or fix the name (volumes: ${[...volumes].join(', ') || 'none'}).`));
        });
        for (const [res, parse] of [['cpu', parseCpu], ['memory', parseK8sBytes]] as const) {
          const req = container.resources?.requests?.[res];
          const lim = container.resources?.limits?.[res];
          if (req === undefined || lim === undefined) continue;
          const [r, l] = [parse(String(req)), parse(String(lim))];
          if (r !== null && l !== null && r > l) out.push(finding('resources', 'error', at, [...path, 'resources', 'requests', res], `container ${container.name} requests ${req} ${res} but is limited to ${lim}; the API server rejects a request above its limit.`, `lower requests.${res} to at most ${lim}, or raise limits.${res}.`));
        }
      }
    }
    return out;
  },
};
