// Kubernetes objects as devenv holds them: the JSON (what is applied), the
// located tree (where each value was written) and `lineOf(path)`; plus the
// few structural facts the commands need (containers, images, namespaces).
// Pure: no I/O.
import type { Location as Loc } from '../errors.ts';
import { formatImageRef, parseImageRef } from './image-ref.ts';
import { isClusterScoped, podMetadataPath, podSpecPath, at } from './kinds.ts';
import type { Generator } from './kustomization.ts';
import { fromPlain, locOf, toPlain, type FieldPath, type LMap } from './located-yaml.ts';

export type { FieldPath } from './located-yaml.ts';

/** A Kubernetes object as plain JSON. */
export interface K8sObject {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string>; [k: string]: unknown };
  [key: string]: any;
}

export interface ManifestObject {
  kind: string;
  name: string;
  /**
   * Where `kubectl apply` puts it: metadata.namespace, else the
   * kustomization's namespace, else --namespace, else `default`; '' for
   * cluster-scoped kinds.
   */
  namespace: string;
  /** The JSON, as applied. */
  object: K8sObject;
  /** The same object as a located tree. */
  node: LMap;
  /** File and line of the object (its first key). */
  file: string;
  line: number;
  /** Where the deepest existing field of `path` was written (file and line). */
  locOf(path: FieldPath): Loc;
  lineOf(path: FieldPath): number;
  /** Generated ConfigMaps and Secrets: their generator (its name without the hash). */
  generator?: Generator;
}

export function manifestObject(node: LMap, opts: { namespace: string; generator?: Generator; object?: K8sObject }): ManifestObject {
  const object = (opts.object ?? toPlain(node)) as K8sObject;
  const kind = String(object.kind ?? '');
  const file = node.loc.file ?? '';
  return {
    kind,
    name: String(object.metadata?.name ?? ''),
    namespace: isClusterScoped(kind) ? '' : String(object.metadata?.namespace ?? opts.namespace),
    object,
    node,
    file,
    line: node.loc.line ?? 1,
    locOf: (path) => {
      const l = locOf(node, path);
      return { file: l.file ?? file, line: l.line ?? node.loc.line ?? 1 };
    },
    lineOf: (path) => locOf(node, path).line ?? node.loc.line ?? 1,
    generator: opts.generator,
  };
}

/** An object known only as JSON (e.g. `kubectl get -o json`), located at `file:line` as a whole. */
export function jsonObject(object: K8sObject, loc: { file: string; line?: number } = { file: '(rendered)', line: 1 }, namespace = 'default'): ManifestObject {
  return manifestObject(fromPlain(object, loc) as LMap, { namespace, object });
}

/** kind/namespace/name: the identity of an object in a cluster. */
export function objectKey(o: { kind: string; namespace: string; name: string }): string {
  return `${o.kind}/${o.namespace}/${o.name}`;
}

export function objectName(o: K8sObject): string {
  return o.metadata?.name ?? '(unnamed)';
}

/** `StatefulSet/web`, as kubectl names objects. */
export function objectRef(o: K8sObject): string {
  return `${o.kind ?? '(no kind)'}/${objectName(o)}`;
}

/** The pod template spec of a workload, its path inside the object, and the pod labels. */
export function podSpecOf(o: K8sObject): { spec: any; path: FieldPath; labels: Record<string, string> } | null {
  const path = podSpecPath(o.kind);
  const spec = path ? at(o, path) : undefined;
  if (!path || !spec || typeof spec !== 'object') return null;
  return { spec, path, labels: at(o, [...podMetadataPath(o.kind)!, 'labels']) ?? {} };
}

export interface ContainerAt {
  container: any;
  /** Path of the container inside the object (for locating it in the source). */
  path: FieldPath;
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

/** kustomize's `images:` entry applied to one reference (newName, newTag, digest). */
export function retagImage(image: string, rule: { newName?: string; newTag?: string; digest?: string }): string {
  const ref = parseImageRef(image);
  return formatImageRef({
    name: rule.newName ?? ref.name,
    tag: rule.digest ? undefined : (rule.newTag ?? ref.tag),
    digest: rule.digest ?? (rule.newTag ? undefined : ref.digest),
  });
}

/** Moves namespaced objects (and the Namespace itself) to another namespace. */
export function moveToNamespace(objects: K8sObject[], from: string, to: string): K8sObject[] {
  if (from === to) return objects;
  return objects.map((o) => {
    const copy = structuredClone(o);
    if (copy.kind === 'Namespace') {
      if (copy.metadata?.name === from) copy.metadata.name = to;
    } else if (!isClusterScoped(copy.kind) && (copy.metadata?.namespace ?? from) === from) {
      copy.metadata = { ...copy.metadata, namespace: to };
    }
    return copy;
  });
}
