// What `devenv down --k8s` deletes when the data is kept: the objects devenv
// renders from the manifests (what `up --k8s` applied) except the Namespace
// and PersistentVolumeClaims, i.e. the StatefulSets, Deployments, Services,
// ConfigMaps, Secrets, HPAs and PDBs. The claims the StatefulSets made from
// their volumeClaimTemplates (miner-data-miner-0, ...) are not rendered
// objects, so they are never named: they stay, with the chains and wallets
// on them, and the next `up --k8s` re-binds them by name. Cluster-scoped
// objects are left alone too (deleting the namespace would not delete them
// either). Pure: objects in, references out.
import { PHASE_ORDER, splitApplyPhases } from './apply-phases.ts';
import { CLUSTER_SCOPED_KINDS } from '../manifests/kinds.ts';
import type { K8sObject } from '../manifests/objects.ts';

/** Kinds `down --k8s` keeps unless `--volumes`. */
const KEPT_KINDS = new Set(['Namespace', 'PersistentVolumeClaim']);

/**
 * `statefulset.apps/miner`, `service/redis`, `horizontalpodautoscaler.autoscaling/miner-hpa`:
 * kubectl's own `-o name` form (lower-case kind, dot, API group), which
 * kubectl resolves without ambiguity.
 */
export function kubectlRef(o: K8sObject): string {
  const api = o.apiVersion ?? 'v1';
  const group = api.includes('/') ? api.slice(0, api.indexOf('/')) : '';
  return `${(o.kind ?? '').toLowerCase()}${group ? `.${group}` : ''}/${o.metadata?.name ?? ''}`;
}

/**
 * The objects to delete, in reverse apply order: HPAs and PDBs first (so
 * nothing scales what is going away), then the nodes and their Services, the
 * backing services, and the config and secrets last.
 */
export function deleteTargets(objects: K8sObject[]): K8sObject[] {
  const kept = objects.filter((o) => !KEPT_KINDS.has(o.kind ?? '') && !CLUSTER_SCOPED_KINDS.has(o.kind ?? '') && o.kind && o.metadata?.name);
  const phases = splitApplyPhases(kept);
  return [...PHASE_ORDER].reverse().flatMap((id) => phases.find((p) => p.id === id)!.objects);
}
