// Names the API server rejects (a Service `queue_1` kept from Compose): the
// schemas do not check them, `kubectl apply` fails on them.
import { nameProblem, nameRuleOf, suggestName } from '../../manifests/names.ts';
import { podSpecOf } from '../../manifests/objects.ts';
import { finding, type ManifestFinding, type ManifestRule } from './rule.ts';

export const objectNameRule: ManifestRule = {
  id: 'object-name',
  description: 'Every metadata.name, pod hostname and subdomain is a name the API server accepts (DNS-1035 label for Services, DNS-1123 otherwise).',
  check(ctx) {
    const out: ManifestFinding[] = [];
    for (const at of ctx.objects) {
      const rule = nameRuleOf(at.kind);
      const problem = at.name && rule ? nameProblem(at.name, rule) : null;
      if (problem) out.push(finding('object-name', 'error', at, ['metadata', 'name'], `${at.kind} name "${at.name}" ${problem}; the API server rejects it.`, `name it ${suggestName(at.name, rule!)} and update what refers to it.`));
      const pod = podSpecOf(at.object);
      for (const field of ['hostname', 'subdomain'] as const) {
        const v = pod?.spec?.[field];
        const p = typeof v === 'string' ? nameProblem(v, 'dns-1123-label') : null;
        if (p) out.push(finding('object-name', 'error', at, [...pod!.path, field], `pod ${field} "${v}" ${p}; the API server rejects it.`, `use ${suggestName(String(v), 'dns-1123-label')}.`));
      }
    }
    return out;
  },
};
