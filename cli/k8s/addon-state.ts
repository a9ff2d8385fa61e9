// Whether the metrics-server addon is already in the cluster as devenv would
// apply it, so a warm `up --k8s` neither applies it again nor waits for the
// Metrics API: every applied object carries the hash of the rendered addon
// (its image included), and the addon counts as present when its Deployment
// carries that hash and has an available replica, and each APIService
// carries it and is Available (the API server reaches metrics-server: what
// `kubectl top nodes` needs). Pure: objects in, a reason or null out.
import { createHash } from 'node:crypto';
import type { K8sObject } from '../manifests/objects.ts';

export const ADDON_HASH_ANNOTATION = 'devenv/addon-hash';

/** The objects with the hash of their rendered content on each (the hash is of the objects without it). */
export function withAddonHash(objects: K8sObject[]): { objects: K8sObject[]; hash: string } {
  const hash = createHash('sha256').update(JSON.stringify(objects)).digest('hex').slice(0, 16);
  const out = objects.map((o) => ({ ...o, metadata: { ...o.metadata, annotations: { ...(o.metadata?.annotations as Record<string, string> | undefined), [ADDON_HASH_ANNOTATION]: hash } } }));
  return { objects: out, hash };
}

/** The `TYPE/NAME` references that decide presence: the Deployments and APIServices. */
export function addonProbeRefs(objects: K8sObject[]): string[] {
  return objects.filter((o) => o.kind === 'Deployment' || o.kind === 'APIService').map((o) => `${o.kind === 'Deployment' ? 'deployment.apps' : 'apiservice.apiregistration.k8s.io'}/${o.metadata?.name}`);
}

const key = (o: { kind?: string; metadata?: { name?: string } }) => `${o.kind}/${o.metadata?.name}`;

/** Why the addon must be applied (a sentence), or null when the live objects show it applied with this hash and serving. */
export function addonNotPresent(expected: K8sObject[], hash: string, live: any[]): string | null {
  const probes = expected.filter((o) => o.kind === 'Deployment' || o.kind === 'APIService');
  if (probes.length === 0) return 'the addon has no Deployment or APIService to check';
  const byKey = new Map(live.map((o) => [key(o), o]));
  for (const o of probes) {
    const l = byKey.get(key(o));
    if (!l) return `${key(o)} is not in the cluster`;
    if (l.metadata?.annotations?.[ADDON_HASH_ANNOTATION] !== hash) return `${key(o)} differs from the rendered addon`;
    if (o.kind === 'Deployment') {
      if (!((l.status?.availableReplicas ?? 0) >= 1)) return `${key(o)} has no available replica`;
      if ((l.status?.observedGeneration ?? 0) < (l.metadata?.generation ?? 0)) return `${key(o)} is still rolling out`;
    } else if (!(l.status?.conditions ?? []).some((c: any) => c.type === 'Available' && c.status === 'True')) {
      return `${key(o)} is not Available`;
    }
  }
  return null;
}
