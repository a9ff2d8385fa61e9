// A numeric targetPort that no container of the selected pods declares is
// most often a typo: the Service sends traffic where nothing listens.
import { matchesSelector } from '../../manifests/kinds.ts';
import { containersOf, podSpecOf } from '../../manifests/objects.ts';
import { finding, type ManifestFinding, type ManifestRule } from './rule.ts';

export const servicePortRule: ManifestRule = {
  id: 'service-target-port',
  description: "A Service's numeric targetPort is a containerPort of the pods it selects.",
  check(ctx) {
    const out: ManifestFinding[] = [];
    for (const at of ctx.objects) {
      if (at.kind !== 'Service' || !at.object.spec?.selector || !Object.keys(at.object.spec.selector).length) continue;
      const pods = ctx.objects.filter((w) => w.namespace === at.namespace && podSpecOf(w.object) && matchesSelector(at.object.spec.selector, podSpecOf(w.object)!.labels));
      if (!pods.length) continue;
      const declared = new Set(pods.flatMap((w) => containersOf(w.object).filter((c) => !c.init).flatMap((c) => (Array.isArray(c.container.ports) ? c.container.ports : []).map((p: any) => p?.containerPort))));
      (Array.isArray(at.object.spec.ports) ? at.object.spec.ports : []).forEach((p: any, i: number) => {
        const target = p?.targetPort ?? p?.port;
        if (typeof target !== 'number' || declared.has(target)) return;
        out.push(finding('service-target-port', 'warn', at, ['spec', 'ports', i, p?.targetPort === undefined ? 'port' : 'targetPort'], `port ${p.port} targets container port ${target}, which no container of ${pods.map((w) => `${w.kind}/${w.name}`).join(', ')} declares (declared: ${[...declared].join(', ') || 'none'}).`, `set targetPort to the port the container listens on${declared.size ? ` (${[...declared][0]}?)` : ''}, or declare ${target} under the container's ports.`));
      });
    }
    return out;
  },
};
