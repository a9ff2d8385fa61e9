// Storage that never binds or is never used: a storageClassName the cluster
// does not have leaves the claim Pending (and its pod unscheduled), and a
// PersistentVolumeClaim no pod mounts holds a volume for nothing.
import { podSpecOf } from '../../manifests/objects.ts';
import { finding, type ManifestFinding, type ManifestRule } from './rule.ts';

export const storageRule: ManifestRule = {
  id: 'storage',
  description: 'Every storageClassName is one the target cluster has (kind: standard) or one the manifests define, and every PersistentVolumeClaim is mounted by a pod.',
  check(ctx) {
    const out: ManifestFinding[] = [];
    const known = new Set([...(ctx.storageClasses ?? ['standard']), ...ctx.objects.filter((o) => o.kind === 'StorageClass').map((o) => o.name)]);
    const claimed = new Set<string>();
    for (const w of ctx.objects) {
      const pod = podSpecOf(w.object);
      if (!pod) continue;
      for (const v of Array.isArray(pod.spec.volumes) ? pod.spec.volumes : []) if (v?.persistentVolumeClaim?.claimName) claimed.add(`${w.namespace}/${v.persistentVolumeClaim.claimName}`);
      (Array.isArray(w.object.spec?.volumeClaimTemplates) ? w.object.spec.volumeClaimTemplates : []).forEach((t: any, i: number) => {
        const sc = t?.spec?.storageClassName;
        if (typeof sc === 'string' && sc && !known.has(sc)) out.push(finding('storage', 'warn', w, ['spec', 'volumeClaimTemplates', i, 'spec', 'storageClassName'], `storageClassName ${sc} does not exist on the target cluster (it has ${[...known].join(', ')}): the claims stay Pending and the pods never start.`, `use ${[...known][0]}, or leave storageClassName out to get the default class.`));
      });
    }
    for (const at of ctx.objects) {
      if (at.kind !== 'PersistentVolumeClaim') continue;
      const sc = at.object.spec?.storageClassName;
      if (typeof sc === 'string' && sc && !known.has(sc)) out.push(finding('storage', 'warn', at, ['spec', 'storageClassName'], `storageClassName ${sc} does not exist on the target cluster (it has ${[...known].join(', ')}): the claim stays Pending.`, `use ${[...known][0]}, or leave storageClassName out to get the default class.`));
      if (!claimed.has(`${at.namespace}/${at.name}`)) out.push(finding('storage', 'warn', at, ['metadata', 'name'], `PersistentVolumeClaim ${at.name} is mounted by no pod in the manifests: it holds a volume for nothing.`, `mount it (volumes: - persistentVolumeClaim: { claimName: ${at.name} }) or remove it.`));
    }
    return out;
  },
};
