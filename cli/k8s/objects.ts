// Kubernetes objects as plain JSON, and the few structural facts devenv needs
// about them (which kinds carry pods, which are cluster-scoped, which images
// they run). Pure: no I/O.

export interface K8sObject {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string>; [k: string]: unknown };
  [key: string]: any;
}

/** Kinds without a namespace (kustomize's `namespace:` leaves them alone). */
export const CLUSTER_SCOPED_KINDS = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'APIService',
  'CustomResourceDefinition',
  'PersistentVolume',
  'StorageClass',
  'PriorityClass',
  'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration',
  'IngressClass',
  'RuntimeClass',
]);

export const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'Pod']);

export function objectName(o: K8sObject): string {
  return o.metadata?.name ?? '(unnamed)';
}

/** `StatefulSet/miner`, as kubectl names objects. */
export function objectRef(o: K8sObject): string {
  return `${o.kind ?? '(no kind)'}/${objectName(o)}`;
}

/** The pod template spec of a workload, and its path inside the object. */
export function podSpecOf(o: K8sObject): { spec: any; path: Array<string | number>; labels: Record<string, string> } | null {
  switch (o.kind) {
    case 'Pod':
      return o.spec ? { spec: o.spec, path: ['spec'], labels: o.metadata?.labels ?? {} } : null;
    case 'CronJob': {
      const t = o.spec?.jobTemplate?.spec?.template;
      return t?.spec ? { spec: t.spec, path: ['spec', 'jobTemplate', 'spec', 'template', 'spec'], labels: t.metadata?.labels ?? {} } : null;
    }
    default: {
      if (!o.kind || !WORKLOAD_KINDS.has(o.kind)) return null;
      const t = o.spec?.template;
      return t?.spec ? { spec: t.spec, path: ['spec', 'template', 'spec'], labels: t.metadata?.labels ?? {} } : null;
    }
  }
}

export interface ContainerAt {
  container: any;
  /** Path of the container inside the object (for locating it in the source). */
  path: Array<string | number>;
  init: boolean;
}

export function containersOf(o: K8sObject): ContainerAt[] {
  const pod = podSpecOf(o);
  if (!pod) return [];
  const out: ContainerAt[] = [];
  for (const [field, init] of [['initContainers', true], ['containers', false]] as const) {
    const list = pod.spec[field];
    if (!Array.isArray(list)) continue;
    list.forEach((c: any, i: number) => out.push({ container: c ?? {}, path: [...pod.path, field, i], init }));
  }
  return out;
}

/** Splits `registry:5000/repo/name:tag@sha256:...` into name, tag and digest. */
export function parseImageRef(ref: string): { name: string; tag?: string; digest?: string } {
  let rest = ref;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > slash) return { name: rest.slice(0, colon), tag: rest.slice(colon + 1), digest };
  return { name: rest, digest };
}

export function formatImageRef(r: { name: string; tag?: string; digest?: string }): string {
  return `${r.name}${r.tag ? `:${r.tag}` : ''}${r.digest ? `@${r.digest}` : ''}`;
}

/** Every image the objects run (containers and init containers), in order, without duplicates. */
export function imagesOf(objects: K8sObject[]): string[] {
  const seen = new Set<string>();
  for (const o of objects) for (const { container } of containersOf(o)) if (typeof container.image === 'string') seen.add(container.image);
  return [...seen];
}

/**
 * Replaces images by repository name (what kustomize's `images:` does): every
 * container whose image name is a key of `byName` gets that full reference.
 * Returns new objects; the input is not modified.
 */
export function replaceImages(objects: K8sObject[], byName: Record<string, string>): K8sObject[] {
  return objects.map((o) => {
    const copy = structuredClone(o);
    for (const { container } of containersOf(copy)) {
      if (typeof container.image !== 'string') continue;
      const target = byName[parseImageRef(container.image).name];
      if (target) container.image = target;
    }
    return copy;
  });
}

/** Moves namespaced objects (and the Namespace itself) to another namespace. */
export function moveToNamespace(objects: K8sObject[], from: string, to: string): K8sObject[] {
  if (from === to) return objects;
  return objects.map((o) => {
    const copy = structuredClone(o);
    if (copy.kind === 'Namespace') {
      if (copy.metadata?.name === from) copy.metadata.name = to;
    } else if (!CLUSTER_SCOPED_KINDS.has(copy.kind ?? '') && (copy.metadata?.namespace ?? from) === from) {
      copy.metadata = { ...copy.metadata, namespace: to };
    }
    return copy;
  });
}

export function matchesSelector(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  if (!selector || Object.keys(selector).length === 0) return false;
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

/** A LabelSelector's matchLabels plus simple matchExpressions (In/NotIn/Exists/DoesNotExist). */
export function matchesLabelSelector(sel: any, labels: Record<string, string> | undefined): boolean {
  if (!sel || typeof sel !== 'object') return false;
  const ml: Record<string, string> = sel.matchLabels ?? {};
  const exprs: any[] = Array.isArray(sel.matchExpressions) ? sel.matchExpressions : [];
  if (Object.keys(ml).length === 0 && exprs.length === 0) return false;
  if (!Object.entries(ml).every(([k, v]) => labels?.[k] === v)) return false;
  return exprs.every((e) => {
    const v = labels?.[e.key];
    switch (e.operator) {
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
