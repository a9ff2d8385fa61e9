// What survives a restart, and who shares it. A Compose named volume per
// instance is a volumeClaimTemplate (a PVC per pod); a PVC that several
// replicas mount at once is an error, because the node's store takes an
// exclusive lock on its data directory (the second replica fails with
// "could not acquire lock"); an emptyDir, or no volume, where Compose keeps a
// named volume loses the data whenever the pod is replaced.
import { side } from '../finding.ts';
import type { Mount } from '../model.ts';
import { instanceLabel, type Rule } from '../rule.ts';
import { FindingSet } from './merge-findings.ts';

const describe = (m: Mount) => `${m.kind} (${m.source})${m.readOnly ? ', read-only' : ''}`;

export const volumesRule: Rule = {
  id: 'volumes',
  description: 'Each Compose mount has the same kind of storage at the same path: named volume per instance = volumeClaimTemplate; shared by replicas = error (data-directory lock); named volume vs emptyDir or nothing = data loss.',
  check(ctx) {
    const set = new FindingSet();
    for (const g of ctx.groups) {
      const w = g.workload;
      const kMounts = w.storage.filter((m) => m.kind !== 'config');
      for (const m of kMounts) {
        if (m.kind !== 'persistent-shared' || ctx.addresses.maxReplicas(w.name) <= 1) continue;
        const c = g.pairs.flatMap((p) => p.compose.storage).find((x) => x.target === m.target);
        set.add({
          rule: 'volumes',
          severity: 'error',
          service: g.name,
          subject: m.target,
          message: `${m.source} at ${m.target} is one volume shared by all ${ctx.addresses.maxReplicas(w.name)} replicas of ${w.name}: the second replica cannot take the data-directory lock (could not acquire lock), or they corrupt each other's data.`,
          compose: c ? side(describe(c), c.loc) : null,
          kubernetes: side(describe(m), m.loc),
          fix: `${w.kind === 'StatefulSet' ? 'replace the volume with a volumeClaimTemplate' : `make ${w.name} a StatefulSet with a volumeClaimTemplate`}, so each replica gets its own PVC.`,
        });
      }
      for (const p of g.pairs) {
        const label = instanceLabel(p);
        for (const cm of p.compose.storage) {
          if (cm.kind === 'config') continue;
          const km = kMounts.find((m) => m.target === cm.target);
          const base = { rule: 'volumes', service: g.name, subject: cm.target, compose: side(describe(cm), cm.loc) };
          if (!km) {
            const persistent = cm.kind === 'persistent-per-replica' || cm.kind === 'persistent-shared';
            set.add({ ...base, severity: persistent ? 'error' : cm.kind === 'host-path' ? 'warn' : 'info', kubernetes: side(null, w.container ?? w.loc), message: persistent ? `${cm.target} is a named volume in Compose but has no volume in ${w.kind} ${w.name}: its data lives in the container and is lost whenever the pod is replaced.` : `${cm.target} (${cm.kind} in Compose) has no volume in Kubernetes.`, fix: persistent ? `add a volumeClaimTemplate (StatefulSet) mounted at ${cm.target}.` : `mount an equivalent volume at ${cm.target} if the container needs it.` }, label);
            continue;
          }
          if (km.readOnly !== cm.readOnly) {
            set.add({ ...base, severity: 'warn', subject: `${cm.target} readOnly`, kubernetes: side(describe(km), km.loc), message: `${cm.target} is ${cm.readOnly ? 'read-only' : 'writable'} in Compose but ${km.readOnly ? 'read-only' : 'writable'} in Kubernetes.`, fix: `set readOnly: ${cm.readOnly} on the volumeMount.` }, label);
          }
          if (km.kind === cm.kind || km.kind === 'persistent-shared') continue;
          if (cm.kind === 'persistent-per-replica' && km.kind === 'ephemeral') {
            set.add({ ...base, severity: 'error', kubernetes: side(describe(km), km.loc), message: `${cm.target} is a named volume in Compose (kept across restarts) but ${km.source} in Kubernetes: the data is lost whenever the pod is replaced.`, fix: `use a volumeClaimTemplate (StatefulSet) for ${cm.target}.` }, label);
          } else if (cm.kind === 'persistent-shared' && km.kind === 'persistent-per-replica') {
            set.add({ ...base, severity: 'warn', kubernetes: side(describe(km), km.loc), message: `Compose shares ${cm.source} at ${cm.target} between ${(cm.sharedBy ?? []).join(', ')}; Kubernetes gives each replica its own volume, so they no longer see each other's files.`, fix: 'nothing to do if the sharing in Compose was the bug (a data directory); otherwise use a ReadWriteMany PVC.' }, label);
          } else if (cm.kind === 'ephemeral' || km.kind === 'persistent-per-replica') {
            set.add({ ...base, severity: 'info', kubernetes: side(describe(km), km.loc), message: `${cm.target} is ${cm.kind} in Compose and ${km.kind} in Kubernetes.`, fix: 'nothing to do if the difference is intended.' }, label);
          } else {
            set.add({ ...base, severity: 'warn', kubernetes: side(describe(km), km.loc), message: `${cm.target} is ${cm.kind} (${cm.source}) in Compose but ${km.kind} (${km.source}) in Kubernetes.`, fix: `use the same kind of storage for ${cm.target}.` }, label);
          }
        }
      }
      const composeTargets = new Set(g.pairs.flatMap((p) => p.compose.storage.map((m) => m.target)));
      for (const km of kMounts) {
        if (composeTargets.has(km.target) || (km.kind === 'persistent-shared' && ctx.addresses.maxReplicas(w.name) > 1)) continue;
        set.add({ rule: 'volumes', service: g.name, subject: km.target, severity: km.kind === 'persistent-shared' ? 'warn' : 'info', compose: null, kubernetes: side(describe(km), km.loc), message: `Kubernetes mounts ${describe(km)} at ${km.target}; Compose mounts nothing there.`, fix: 'nothing to do if the image expects it (e.g. a VOLUME in the Dockerfile).' });
      }
    }
    return set.list();
  },
};
