// A StatefulSet's serviceName must be a headless Service: it is what gives
// miner-0, miner-1 their DNS names, which the chain topology dials.
import { finding, objectsOfKind, type ManifestFinding, type ManifestRule } from './rule.ts';

export const statefulSetServiceRule: ManifestRule = {
  id: 'statefulset-service',
  description: "Every StatefulSet's serviceName names a headless Service (clusterIP: None) in its namespace.",
  check(ctx) {
    const out: ManifestFinding[] = [];
    for (const at of objectsOfKind(ctx, 'StatefulSet')) {
      const name = at.object.spec?.serviceName;
      const ns = at.namespace;
      if (!name) {
        out.push(finding('statefulset-service', 'error', at, ['spec'], 'the StatefulSet has no serviceName, so its pods get no stable DNS names.', 'set spec.serviceName to a headless Service selecting its pods.'));
        continue;
      }
      const svc = objectsOfKind(ctx, 'Service', ns).find((s) => s.object.metadata?.name === name);
      if (!svc) {
        const headless = objectsOfKind(ctx, 'Service', ns).filter((s) => s.object.spec?.clusterIP === 'None').map((s) => s.object.metadata?.name);
        out.push(finding('statefulset-service', 'error', at, ['spec', 'serviceName'], `serviceName "${name}" names no Service in namespace ${ns}.`, headless.length ? `use one of the headless Services (${headless.join(', ')}) or add ${name}.` : `add a headless Service ${name} (clusterIP: None) selecting the pods.`));
      } else if (svc.object.spec?.clusterIP !== 'None') {
        out.push(finding('statefulset-service', 'error', at, ['spec', 'serviceName'], `serviceName "${name}" is not headless (clusterIP is ${svc.object.spec?.clusterIP ?? 'allocated'}), so pods get no per-pod DNS records.`, `set clusterIP: None on Service ${name} (${svc.file}:${svc.line}).`));
      }
    }
    return out;
  },
};
