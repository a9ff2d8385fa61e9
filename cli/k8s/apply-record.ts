// What the last `up --k8s` applied, so a warm `up --k8s` can tell in one
// `kubectl get` that there is nothing to do: the same objects (a hash of the
// exact apply list, images pinned, and of the metrics-server addon), each
// still the object devenv applied (same UID) with devenv's field-manager entry
// unchanged (server-side apply keeps, per manager, the fields it owns and
// when it last changed them: an edit of one of those fields by anyone else,
// `kubectl edit` or a controller, moves the field to that manager and changes
// devenv's entry; a no-op apply leaves it as it was), and every workload
// rolled out. Then the apply, the image loads and the rollout waits are
// skipped; anything else takes the full path. The record keeps UIDs and
// field names, never a value. Pure.
import { createHash } from 'node:crypto';
import type { K8sObject } from '../manifests/objects.ts';
import { join } from 'node:path';
import { FIELD_MANAGER } from '../adapters/kubectl.ts';
import { ADDON_HASH_ANNOTATION, withAddonHash } from './addon-state.ts';
import { objectsToApply, toApplyList, type ApplyPhase } from './apply-phases.ts';

export interface LiveObject {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
  uid: string;
  generation: number | null;
  addonHash: string;
  replicas: number | null;
  /** devenv's managedFields entry as kubectl printed it ('' when devenv manages nothing in it). */
  devenvFields: string;
  status: any;
}

export interface ApplyRecord {
  version: 1;
  /** The kubectl context the objects were applied to. */
  context: string;
  /** Hash of what was applied: the apply list and the addon. */
  hash: string;
  /** objectKey -> the object as applied. */
  objects: Record<string, { uid: string; fields: string }>;
  /** The List `kubectl get -f -` reads to look them up (and the addon's probes): a warm `up` starts it first thing. */
  lookup: string;
}

/** `apps/StatefulSet/blockchain/miner`: the API group (not its version), kind, namespace, name. */
export function objectKey(o: { apiVersion?: string; kind?: string; namespace?: string; name?: string }): string {
  const group = (o.apiVersion ?? '').includes('/') ? o.apiVersion!.split('/')[0] : '';
  return `${group}/${o.kind ?? ''}/${o.namespace ?? ''}/${o.name ?? ''}`;
}

const keyOf = (o: K8sObject) => objectKey({ apiVersion: o.apiVersion, kind: o.kind, namespace: o.metadata?.namespace, name: o.metadata?.name });

/**
 * The objects in kubectl's `-o json` output (one object, or a List), reduced
 * to what the record and the check read: no data, no spec but the replicas.
 */
export function parseLiveObjects(stdout: string): LiveObject[] {
  if (!stdout.trim()) return [];
  const doc = JSON.parse(stdout);
  const items: any[] = doc?.kind === 'List' || Array.isArray(doc?.items) ? (doc.items ?? []) : [doc];
  return items.map((o) => {
    const m = o?.metadata ?? {};
    const entry = (m.managedFields ?? []).find((f: any) => f?.manager === FIELD_MANAGER && f?.operation === 'Apply' && !f?.subresource);
    return {
      apiVersion: o?.apiVersion ?? '',
      kind: o?.kind ?? '',
      namespace: m.namespace ?? '',
      name: m.name ?? '',
      uid: m.uid ?? '',
      generation: typeof m.generation === 'number' ? m.generation : null,
      addonHash: m.annotations?.[ADDON_HASH_ANNOTATION] ?? '',
      replicas: typeof o?.spec?.replicas === 'number' ? o.spec.replicas : null,
      devenvFields: entry ? JSON.stringify(entry) : '',
      status: o?.status ?? null,
    };
  });
}

/**
 * What `up --k8s` applies (the objects, images pinned, and the exact List
 * kubectl reads) and the hash it is recorded under: the List's and the
 * metrics-server addon's (null: no addon is installed, e.g. an existing cluster).
 */
export function desiredApply(phases: ApplyPhase[], pins: Record<string, string>, addon: K8sObject[] | null): { objects: K8sObject[]; list: string; hash: string } {
  const objects = objectsToApply(phases, pins);
  const list = toApplyList(objects);
  const addonHash = addon ? withAddonHash(addon).hash : '';
  return { objects, list, hash: createHash('sha256').update(list).update('\0').update(addonHash).digest('hex').slice(0, 24) };
}

/** Where the record of the last apply to a context lives (under the project's git-ignored .devenv/). */
export function applyRecordPath(root: string, context: string): string {
  return join(root, '.devenv', `k8s-applied-${context.replace(/[^A-Za-z0-9_.-]/g, '_')}.json`);
}

/** The record of an apply, from the applied objects as kubectl printed them (parseLiveObjects). */
export function applyRecord(context: string, hash: string, applied: LiveObject[], lookup: string): ApplyRecord {
  const objects: ApplyRecord['objects'] = {};
  for (const o of applied) objects[objectKey(o)] = { uid: o.uid, fields: o.devenvFields };
  return { version: 1, context, hash, objects, lookup };
}

export function parseApplyRecord(text: string | null): ApplyRecord | null {
  if (!text) return null;
  try {
    const r = JSON.parse(text);
    return r && r.version === 1 && typeof r.hash === 'string' && typeof r.lookup === 'string' && r.objects && typeof r.objects === 'object' ? (r as ApplyRecord) : null;
  } catch {
    return null;
  }
}

/**
 * The List `kubectl get -f -` reads to find the applied objects and the
 * addon's Deployment and APIService (whose status says it serves): names
 * only, no data, so nothing secret is sent or read.
 */
export function applyLookup(objects: K8sObject[], addon: K8sObject[] | null): string {
  const probes = (addon ?? []).filter((o) => o.kind === 'Deployment' || o.kind === 'APIService');
  const items = [...objects, ...probes].map((o) => ({ apiVersion: o.apiVersion, kind: o.kind, metadata: { name: o.metadata?.name, ...(o.metadata?.namespace ? { namespace: o.metadata.namespace } : {}) } }));
  return JSON.stringify({ apiVersion: 'v1', kind: 'List', items });
}

const describe = (o: { kind?: string; name?: string; namespace?: string }) => `${o.kind}/${o.name}${o.namespace ? ` (namespace ${o.namespace})` : ''}`;

/**
 * Why a workload is not rolled out (kubectl rollout status's conditions), or
 * null when it is: the controller saw the latest spec, every replica is
 * ready, and all run the current template.
 */
export function rolloutIncomplete(o: LiveObject): string | null {
  const s = o.status ?? {};
  const want = o.replicas ?? 1;
  if (o.kind !== 'Deployment' && o.kind !== 'StatefulSet' && o.kind !== 'DaemonSet') return null;
  if ((s.observedGeneration ?? 0) < (o.generation ?? 0)) return `${describe(o)} is still rolling out (spec not yet observed)`;
  if (o.kind === 'DaemonSet') {
    const desired = s.desiredNumberScheduled ?? 0;
    if ((s.updatedNumberScheduled ?? 0) < desired || (s.numberAvailable ?? 0) < desired) return `${describe(o)} has ${s.numberAvailable ?? 0}/${desired} pods available`;
    return null;
  }
  if (o.kind === 'Deployment') {
    if ((s.updatedReplicas ?? 0) < want || (s.replicas ?? 0) > (s.updatedReplicas ?? 0) || (s.availableReplicas ?? 0) < want) return `${describe(o)} has ${s.availableReplicas ?? 0}/${want} replicas available`;
    return null;
  }
  if ((s.readyReplicas ?? 0) < want) return `${describe(o)} has ${s.readyReplicas ?? 0}/${want} replicas ready`;
  if (s.updateRevision && s.currentRevision !== s.updateRevision) return `${describe(o)} is still rolling out (revision ${s.updateRevision})`;
  return null;
}

/**
 * Why the cluster is not as the last `up` left it (a sentence), or null when
 * it is: the same hash, every expected object live with the UID and devenv
 * fields it had after the apply, every workload rolled out. `live` null:
 * only what the record alone can tell (whether a `kubectl get` is worth it).
 */
export function notAsApplied(record: ApplyRecord | null, expect: { context: string; hash: string; objects: K8sObject[] }, live: LiveObject[] | null): string | null {
  if (!record) return 'no record of an earlier `up --k8s`';
  if (record.context !== expect.context) return `the last apply went to context ${record.context}`;
  if (record.hash !== expect.hash) return 'the manifests, images or addon changed since the last apply';
  if (!live) return null;
  const byKey = new Map(live.map((o) => [objectKey(o), o]));
  const scaled = autoscaledKeys(expect.objects);
  for (const o of expect.objects) {
    const key = keyOf(o);
    const was = record.objects[key];
    const now = byKey.get(key);
    const what = describe({ kind: o.kind, name: o.metadata?.name, namespace: o.metadata?.namespace });
    if (!was) return `${what} was not in the last apply`;
    if (!now) return `${what} is not in the cluster`;
    if (now.uid !== was.uid) return `${what} was deleted and created again since the last apply`;
    const fields = scaled.has(key) ? withoutReplicas : (f: string) => f;
    if (fields(now.devenvFields) !== fields(was.fields)) return `${what} was changed since the last apply (by another tool, \`kubectl edit\` or a controller)`;
    const rollout = rolloutIncomplete(now);
    if (rollout) return rollout;
  }
  return null;
}

/** The workloads an HPA in the same set scales: their spec.replicas is the HPA's to change. */
function autoscaledKeys(objects: K8sObject[]): Set<string> {
  const keys = new Set<string>();
  for (const o of objects) {
    const ref = o.kind === 'HorizontalPodAutoscaler' ? o.spec?.scaleTargetRef : null;
    if (ref?.kind && ref?.name) keys.add(objectKey({ apiVersion: ref.apiVersion, kind: ref.kind, namespace: o.metadata?.namespace, name: ref.name }));
  }
  return keys;
}

/**
 * devenv's managedFields entry without spec.replicas: when the HPA scales a
 * workload, that field moves to the controller (devenv's entry loses it and
 * keeps its time), which is the autoscaling working, not drift.
 */
function withoutReplicas(entry: string): string {
  try {
    const e = JSON.parse(entry);
    delete e?.fieldsV1?.['f:spec']?.['f:replicas'];
    return JSON.stringify(e);
  } catch {
    return entry;
  }
}

/**
 * The objects to apply with spec.replicas left out of each workload an HPA
 * in the same set scales, once the HPA controller owns that field (the live
 * object has it, devenv's entry no longer does): applying the manifest's
 * count would scale the workload back down, and leaving a field out of a
 * server-side apply when another manager owns it only drops devenv's claim
 * (the hand-over the Kubernetes documentation describes). Where devenv
 * still owns it (the HPA never scaled), nothing changes.
 */
export function leaveReplicasToHpa(objects: K8sObject[], live: LiveObject[]): { objects: K8sObject[]; left: Array<{ ref: string; replicas: number }> } {
  const scaled = autoscaledKeys(objects);
  const byKey = new Map(live.map((o) => [objectKey(o), o]));
  const left: Array<{ ref: string; replicas: number }> = [];
  const out = objects.map((o) => {
    const now = byKey.get(keyOf(o));
    if (!scaled.has(keyOf(o)) || o.spec?.replicas === undefined || !now || now.replicas === null || !now.devenvFields) return o;
    let owned = true;
    try {
      owned = JSON.parse(now.devenvFields)?.fieldsV1?.['f:spec']?.['f:replicas'] !== undefined;
    } catch {
      owned = true;
    }
    if (owned) return o;
    const { replicas: _manifest, ...spec } = o.spec;
    left.push({ ref: `${o.kind}/${o.metadata?.name}`, replicas: now.replicas });
    return { ...o, spec };
  });
  return { objects: out, left };
}

/** The live objects as the K8sObject shape the addon check reads (kind, name, the hash annotation, generation, status). */
export function asLiveK8sObjects(live: LiveObject[]): K8sObject[] {
  return live.map((o) => ({
    apiVersion: o.apiVersion,
    kind: o.kind,
    metadata: { name: o.name, namespace: o.namespace || undefined, generation: o.generation ?? undefined, annotations: o.addonHash ? { [ADDON_HASH_ANNOTATION]: o.addonHash } : {} },
    status: o.status ?? {},
  }));
}
