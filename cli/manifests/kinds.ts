// The one list of kinds devenv knows structurally (which carry pods, which
// have no namespace), where a kind keeps its pod template, and the one label
// selector matcher. Pure.
import type { FieldPath } from './located-yaml.ts';

/** Kinds without a namespace: kustomize's `namespace:` and `kubectl apply -n` leave them alone. */
export const CLUSTER_SCOPED_KINDS = new Set([
  'Namespace',
  'Node',
  'PersistentVolume',
  'StorageClass',
  'CSIDriver',
  'CSINode',
  'VolumeAttachment',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'APIService',
  'PriorityClass',
  'RuntimeClass',
  'IngressClass',
  'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'CertificateSigningRequest',
  'FlowSchema',
  'PriorityLevelConfiguration',
]);

/** Kinds that run pods, each with the path of its pod template spec. */
const POD_SPEC_PATHS: Record<string, FieldPath> = {
  Pod: ['spec'],
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  ReplicationController: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

export const WORKLOAD_KINDS = new Set(Object.keys(POD_SPEC_PATHS));

/** Workloads that run to completion: no Service traffic, no probes needed. */
export const BATCH_KINDS = new Set(['Job', 'CronJob']);

export function isClusterScoped(kind: string | undefined): boolean {
  return CLUSTER_SCOPED_KINDS.has(kind ?? '');
}

/** Path of the pod spec inside an object of this kind; null for kinds that run no pods. */
export function podSpecPath(kind: string | undefined): FieldPath | null {
  return POD_SPEC_PATHS[kind ?? ''] ?? null;
}

/** Path of the pod template's metadata (the labels a Service selects). */
export function podMetadataPath(kind: string | undefined): FieldPath | null {
  const p = podSpecPath(kind);
  return p ? (kind === 'Pod' ? ['metadata'] : [...p.slice(0, -1), 'metadata']) : null;
}

export function at(value: unknown, path: FieldPath): any {
  let v: any = value;
  for (const seg of path) v = v == null ? undefined : v[seg];
  return v;
}

/**
 * A label selector: a Service's plain map, or a LabelSelector with
 * matchLabels and matchExpressions (In, NotIn, Exists, DoesNotExist). An
 * empty selector selects nothing here (a Service without one manages no
 * endpoints; a workload without one is rejected).
 */
export function matchesSelector(selector: unknown, labels: Record<string, string> | undefined): boolean {
  if (!selector || typeof selector !== 'object') return false;
  const sel = selector as { matchLabels?: Record<string, string>; matchExpressions?: any[] };
  const isLabelSelector = 'matchLabels' in sel || 'matchExpressions' in sel;
  const ml: Record<string, string> = isLabelSelector ? (sel.matchLabels ?? {}) : (selector as Record<string, string>);
  const exprs: any[] = isLabelSelector && Array.isArray(sel.matchExpressions) ? sel.matchExpressions : [];
  if (Object.keys(ml).length === 0 && exprs.length === 0) return false;
  if (!Object.entries(ml).every(([k, v]) => labels?.[k] === String(v))) return false;
  return exprs.every((e) => {
    const v = labels?.[e?.key];
    switch (e?.operator) {
      case 'In':
        return v !== undefined && (e.values ?? []).includes(v);
      case 'NotIn':
        return v === undefined || !(e.values ?? []).includes(v);
      case 'Exists':
        return v !== undefined;
      case 'DoesNotExist':
        return v === undefined;
      default:
        return false;
    }
  });
}
