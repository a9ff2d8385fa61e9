// A Service whose selector matches no pod template has no endpoints: DNS
// resolves, connections are refused, and nothing in kubectl apply says so.
import { matchesSelector } from '../../manifests/kinds.ts';
import { containersOf, podSpecOf } from '../../manifests/objects.ts';
import { finding, type ManifestFinding, type ManifestRule } from './rule.ts';

export const serviceSelectorRule: ManifestRule = {
  id: 'service-selector',
  description: "Every Service's selector matches the pod labels of a workload in its namespace, and its named target ports exist in those pods.",
  check(ctx) {
    const out: ManifestFinding[] = [];
    const workloads = ctx.objects.filter((o) => podSpecOf(o.object));
    for (const at of ctx.objects) {
      if (at.object.kind !== 'Service') continue;
      const selector = at.object.spec?.selector;
      if (!selector || typeof selector !== 'object' || Object.keys(selector).length === 0) continue; // manual Endpoints
      const ns = at.namespace;
      const targets = workloads.filter((w) => w.namespace === ns && matchesSelector(selector, podSpecOf(w.object)!.labels));
      if (targets.length === 0) {
        const known = workloads.filter((w) => w.namespace === ns).map((w) => `${w.object.kind}/${w.object.metadata?.name} ${JSON.stringify(podSpecOf(w.object)!.labels)}`);
        out.push(
          finding('service-selector', 'error', at, ['spec', 'selector'], `selector ${JSON.stringify(selector)} matches no pod template in namespace ${ns}, so the Service has no endpoints.`, known.length ? `use the labels of the intended workload; pod labels here: ${known.join('; ')}.` : 'add the workload it should select, or fix the selector.'),
        );
        continue;
      }
      const ports: any[] = Array.isArray(at.object.spec?.ports) ? at.object.spec.ports : [];
      ports.forEach((p, i) => {
        if (typeof p?.targetPort !== 'string') return;
        const has = targets.some((t) => containersOf(t.object).some(({ container, init }) => !init && (container.ports ?? []).some((cp: any) => cp?.name === p.targetPort)));
        if (!has) {
          out.push(finding('service-target-port', 'error', at, ['spec', 'ports', i, 'targetPort'], `targetPort "${p.targetPort}" names no container port of ${targets.map((t) => `${t.object.kind}/${t.object.metadata?.name}`).join(', ')}.`, 'use a port name the selected containers declare, or a port number.'));
        }
      });
    }
    return out;
  },
};
