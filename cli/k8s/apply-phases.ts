// The order devenv applies objects in, so each one finds what it refers to:
// the namespace; configuration and secrets (pods fail to start without them);
// the backing services the nodes wait for (Deployments: redis); the nodes
// (StatefulSets and their Services); then what acts on running workloads
// (HPAs, PDBs). Pure: objects in, phases out.
import { stringify } from 'yaml';
import { matchesSelector } from '../manifests/kinds.ts';
import { podSpecOf, replaceImages, type K8sObject } from '../manifests/objects.ts';

export type PhaseId = 'namespace' | 'config' | 'backing' | 'nodes' | 'scaling';

export interface ApplyPhase {
  id: PhaseId;
  title: string;
  objects: K8sObject[];
}

export const PHASE_TITLES: Record<PhaseId, string> = {
  namespace: 'Apply the namespace',
  config: 'Apply config and secrets',
  backing: 'Apply backing services (Deployments: redis)',
  nodes: 'Apply the nodes (StatefulSets and their Services)',
  scaling: 'Apply autoscaling and disruption budgets',
};

export const PHASE_ORDER: PhaseId[] = ['namespace', 'config', 'backing', 'nodes', 'scaling'];

const CONFIG_KINDS = new Set(['ConfigMap', 'Secret', 'ServiceAccount', 'Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding', 'PersistentVolumeClaim', 'LimitRange', 'ResourceQuota', 'NetworkPolicy', 'StorageClass', 'PriorityClass']);
const SCALING_KINDS = new Set(['HorizontalPodAutoscaler', 'PodDisruptionBudget']);

function phaseOf(o: K8sObject, deployments: K8sObject[]): PhaseId {
  const kind = o.kind ?? '';
  if (kind === 'Namespace') return 'namespace';
  if (CONFIG_KINDS.has(kind)) return 'config';
  if (SCALING_KINDS.has(kind)) return 'scaling';
  if (kind === 'Deployment') return 'backing';
  if (kind === 'Service') {
    const sel = o.spec?.selector;
    const ns = o.metadata?.namespace;
    if (deployments.some((d) => d.metadata?.namespace === ns && matchesSelector(sel, podSpecOf(d)?.labels))) return 'backing';
  }
  return 'nodes';
}

export function splitApplyPhases(objects: K8sObject[]): ApplyPhase[] {
  const deployments = objects.filter((o) => o.kind === 'Deployment');
  const by = new Map<PhaseId, K8sObject[]>(PHASE_ORDER.map((id) => [id, []]));
  for (const o of objects) by.get(phaseOf(o, deployments))!.push(o);
  return PHASE_ORDER.map((id) => ({ id, title: PHASE_TITLES[id], objects: by.get(id)! }));
}

/**
 * YAML 1.1 on purpose: kubectl reads YAML 1.1, where a plain `yes` or `no`
 * is a boolean, so strings like "yes" must be written quoted (a ConfigMap
 * value `yes` would otherwise be rejected as "expected string, got bool").
 */
export function toYamlStream(objects: K8sObject[]): string {
  return objects.map((o) => stringify(o, { lineWidth: 0, version: '1.1' })).join('---\n');
}

/** `deployment/redis`, `statefulset/miner`, ... in apply order: what `kubectl rollout status` waits for. */
export function rolloutTargets(phases: ApplyPhase[]): Array<{ ref: string; namespace: string; object: K8sObject }> {
  return phases.flatMap((p) =>
    p.objects
      .filter((o) => o.kind === 'Deployment' || o.kind === 'StatefulSet' || o.kind === 'DaemonSet')
      .map((o) => ({ ref: `${o.kind!.toLowerCase()}/${o.metadata?.name}`, namespace: o.metadata?.namespace ?? 'default', object: o })),
  );
}

/** A workload's pod selector as a kubectl -l argument. */
export function selectorArg(o: K8sObject): string {
  const ml: Record<string, string> = o.spec?.selector?.matchLabels ?? {};
  return Object.entries(ml)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

/**
 * The objects as one JSON List, what devenv pipes to `kubectl apply -f -`:
 * kubectl applies the items in order, and reads JSON about three times faster
 * than the same objects as a YAML stream (measured on the warm `up --k8s`:
 * 0.3-0.4 s against 0.9-1.5 s for this project's 16 objects). Indented, so
 * the dry-run plan stays readable.
 */
export function toApplyList(objects: K8sObject[]): string {
  return `${JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }, null, 2)}\n`;
}

/** What `up --k8s` applies: every phase's objects in phase order, each image pinned to what devenv runs (name -> reference). */
export function objectsToApply(phases: ApplyPhase[], pins: Record<string, string>): K8sObject[] {
  const ordered = PHASE_ORDER.map((id) => phases.find((p) => p.id === id)).filter((p): p is ApplyPhase => Boolean(p && p.objects.length));
  return replaceImages(ordered.flatMap((p) => p.objects), pins);
}
