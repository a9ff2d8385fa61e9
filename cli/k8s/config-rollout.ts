// A ConfigMap or Secret change rolls the pods that use it. The manifests
// generate their ConfigMap and Secret without kustomize's name suffix, so a
// changed Settings.toml keeps the object's name and `kubectl apply` would
// update it while every pod kept the old file (a subPath mount is never
// refreshed). devenv writes a hash of the config each workload references
// onto its pod template: changed config, changed template, a rollout;
// unchanged config, the same template, nothing. Pure: objects in, objects out.
import { createHash } from 'node:crypto';
import { podMetadataPath, podSpecPath, at } from '../manifests/kinds.ts';
import type { K8sObject, ManifestObject } from '../manifests/objects.ts';
import type { MountedConfigFile } from '../topology/mounted-config.ts';

/** The pod template annotation holding the hash of the ConfigMaps and Secrets the pods use. */
export const CONFIG_HASH_ANNOTATION = 'devenv/config-hash';

type ConfigKind = 'ConfigMap' | 'Secret';

/** Every ConfigMap and Secret a pod spec names: volumes (projected too), env valueFrom and envFrom. */
export function configReferences(podSpec: any): Array<{ kind: ConfigKind; name: string }> {
  const refs: Array<{ kind: ConfigKind; name: string }> = [];
  const add = (kind: ConfigKind, name: unknown) => {
    if (typeof name === 'string' && name && !refs.some((r) => r.kind === kind && r.name === name)) refs.push({ kind, name });
  };
  for (const v of podSpec?.volumes ?? []) {
    add('ConfigMap', v?.configMap?.name);
    add('Secret', v?.secret?.secretName);
    for (const s of v?.projected?.sources ?? []) {
      add('ConfigMap', s?.configMap?.name);
      add('Secret', s?.secret?.name);
    }
  }
  for (const c of [...(podSpec?.initContainers ?? []), ...(podSpec?.containers ?? [])]) {
    for (const e of c?.env ?? []) {
      add('ConfigMap', e?.valueFrom?.configMapKeyRef?.name);
      add('Secret', e?.valueFrom?.secretKeyRef?.name);
    }
    for (const e of c?.envFrom ?? []) {
      add('ConfigMap', e?.configMapRef?.name);
      add('Secret', e?.secretRef?.name);
    }
  }
  return refs;
}

const sorted = (m: Record<string, unknown> | undefined) => Object.fromEntries(Object.entries(m ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** The hash of what the pods see of the given objects (their data, in a stable order). */
export function configContentHash(objects: K8sObject[]): string {
  const h = createHash('sha256');
  for (const o of objects) {
    h.update(`${o.kind}/${o.metadata?.name}\n`);
    h.update(JSON.stringify({ data: sorted(o.data), binaryData: sorted(o.binaryData), stringData: sorted(o.stringData) }));
    h.update('\n');
  }
  return h.digest('hex').slice(0, 16);
}

/**
 * Returns the objects with CONFIG_HASH_ANNOTATION on the pod template of every
 * workload that references a ConfigMap or Secret among them (in its
 * namespace); other objects are returned as they are. The input is not modified.
 */
export function annotateConfigHashes(objects: K8sObject[]): K8sObject[] {
  const configs = objects.filter((o) => o.kind === 'ConfigMap' || o.kind === 'Secret');
  return objects.map((o) => {
    const specPath = podSpecPath(o.kind);
    const metaPath = podMetadataPath(o.kind);
    if (!specPath || !metaPath) return o;
    const used = configReferences(at(o, specPath))
      .map((r) => configs.find((c) => c.kind === r.kind && c.metadata?.name === r.name && (c.metadata?.namespace ?? '') === (o.metadata?.namespace ?? '')))
      .filter((c): c is K8sObject => c !== undefined)
      .sort((a, b) => `${a.kind}/${a.metadata?.name}`.localeCompare(`${b.kind}/${b.metadata?.name}`));
    if (!used.length) return o;
    const copy = structuredClone(o);
    let meta: any = copy;
    for (const key of metaPath) meta = meta[key] ??= {};
    meta.annotations = { ...meta.annotations, [CONFIG_HASH_ANNOTATION]: configContentHash(used) };
    return copy;
  });
}

/**
 * The files kustomize generators read whole (`files:` of a configMapGenerator
 * or secretGenerator), one per generator key, for the syntax check before
 * anything is applied. Env files and literals are not configuration files.
 */
export function generatorConfigFiles(objects: ManifestObject[]): MountedConfigFile[] {
  const out: MountedConfigFile[] = [];
  const seen = new Set<string>();
  for (const { generator: g } of objects) {
    if (!g || seen.has(`${g.kind}/${g.name}`)) continue;
    seen.add(`${g.kind}/${g.name}`);
    for (const e of g.entries) {
      // A `files:` entry's value lives in its own file; an env file's and a literal's next to the key.
      if (e.contentLoc.file === e.loc.file) continue;
      out.push({ usedBy: `${g.kind} ${g.name}`, target: e.key, file: e.contentLoc.file, firstLine: e.contentLoc.line ?? 1, text: e.value });
    }
  }
  return out;
}
