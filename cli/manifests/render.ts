// The one renderer: manifest inputs (kustomization directories, directories
// of manifests, files) to objects that carry their JSON and the file:line of
// every value. A kustomization is rendered by `kubectl kustomize` (through the
// injected adapter call) and each rendered object is traced back to where it
// was written; without kubectl (or under --dry-run) the in-process renderer
// applies every key the reader claims (resources, generators with kustomize's
// name hash, namespace, name prefix/suffix with references, labels, common
// labels and annotations, images, replicas) and the rest is reported.
import { cpSync, existsSync, mkdirSync, mkdtempSync, statSync, writeFileSync, copyFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import type { CommandRunner } from '../adapters/exec.ts';
import { renderKustomization } from '../adapters/kustomize.ts';
import { usageError } from '../errors.ts';
import { isClusterScoped, podMetadataPath, podSpecPath } from './kinds.ts';
import { findKustomization, KUSTOMIZATION_FILES, ManifestReader, missingInputs, type Generator, type Kustomization, type ManifestNote } from './kustomization.ts';
import { entries, fromPlain, get, getPath, items, parseLocatedYaml, str, num, toPlain, type LMap, type LNode, type LScalar, type FieldPath } from './located-yaml.ts';
import { manifestObject, retagImage, type ManifestObject } from './objects.ts';
import { relocate } from './relocate.ts';
import type { Location as Loc } from '../errors.ts';

/** `kubectl kustomize DIR` through the adapter: the YAML, null when kubectl is missing, '' under --dry-run. */
export type { KustomizeRenderer } from '../adapters/kustomize.ts';
export { prefetchKustomize } from '../adapters/kustomize.ts';
import type { KustomizeRenderer } from '../adapters/kustomize.ts';

export type Renderer = 'kubectl' | 'builtin' | 'file';

export interface LoadManifestsOptions {
  cwd: string;
  /** Absent: never run kubectl (the in-process renderer only). */
  kustomize?: KustomizeRenderer;
  virtualFiles?: Map<string, string>;
  /** Namespace of objects that name none where no kustomization sets one (`--namespace`); default `default`. */
  namespace?: string;
  /**
   * A generator input that does not exist: `example` renders with its
   * committed `.example` (an error when there is none); `error` is a usage
   * error; `tolerate` takes the keys from the example (values are
   * placeholders) or leaves them unknown, and says so.
   */
  missingInputs?: 'example' | 'error' | 'tolerate';
  /**
   * Called with the objects as written (apiVersion and kind known) while
   * `kubectl kustomize` runs, so a caller can prepare per-kind work (schema
   * validators) in the time the child process takes.
   */
  onSources?: (objects: Array<{ apiVersion?: string; kind: string }>) => void;
}

export interface LoadedManifests {
  objects: ManifestObject[];
  /** kubectl: every kustomization rendered by kubectl; builtin: at least one by the in-process renderer; file: no kustomization. */
  renderer: Renderer;
  notes: ManifestNote[];
  files: string[];
  /** Missing generator inputs that were read from their `.example` (shown paths). */
  examplesUsed: string[];
}

// ---- located trees: small constructors and setters ----

function scalar(value: string | number | boolean | null, loc: Loc): LScalar {
  return { kind: 'scalar', value, loc, contentLine: loc.line ?? 1 };
}

function newMap(loc: Loc, pairs: Array<[string, LNode, Loc?]> = []): LMap {
  const m: LMap = { kind: 'map', entries: new Map(), keyLocs: new Map(), loc };
  for (const [k, v, l] of pairs) set(m, k, v, l);
  return m;
}

function set(m: LMap, key: string, value: LNode, loc: Loc = value.loc): void {
  m.entries.set(key, value);
  if (!m.keyLocs.has(key) || loc !== value.loc) m.keyLocs.set(key, loc);
}

/** The map at `path` under `node`, created (located at `loc`) where missing; undefined when a non-map is in the way. */
function mapAt(node: LMap, path: string[], loc: Loc): LMap | undefined {
  let m: LMap = node;
  for (const k of path) {
    let next = m.entries.get(k);
    if (!next || (next.kind === 'scalar' && next.value === null)) {
      next = newMap(loc);
      set(m, k, next, loc);
    }
    if (next.kind !== 'map') return undefined;
    m = next;
  }
  return m;
}

function clone(n: LNode): LNode {
  if (n.kind === 'scalar') return { ...n };
  if (n.kind === 'seq') return { kind: 'seq', loc: n.loc, items: n.items.map(clone) };
  const m: LMap = { kind: 'map', entries: new Map(), keyLocs: new Map(n.keyLocs), loc: n.loc };
  for (const [k, v] of n.entries) m.entries.set(k, clone(v));
  return m;
}

// ---- generators ----

/**
 * kustomize's content hash of a generated ConfigMap or Secret (api/hasher):
 * sha256 of `{"data":...,"kind":...,"name":"","type":...}` as Go encodes it
 * (the name is empty there: checked against `kubectl kustomize`), its first
 * 10 hex characters with 0 1 3 a e replaced so no word can appear.
 */
export function kustomizeHash(o: { kind: string; type?: string; data: Record<string, string> }): string {
  const sorted = Object.fromEntries(Object.entries(o.data).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const doc = o.kind === 'Secret' ? { data: sorted, kind: 'Secret', name: '', type: o.type ?? 'Opaque' } : { data: sorted, kind: 'ConfigMap', name: '' };
  // Go's json.Marshal escapes <, > and & (and U+2028/9); kustomize hashes that text.
  const json = JSON.stringify(doc).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  const hex = createHash('sha256').update(json).digest('hex').slice(0, 10);
  return hex.replace(/[013ae]/g, (c) => ({ '0': 'g', '1': 'h', '3': 'k', a: 'm', e: 't' })[c]!);
}

/** A generator as the object it produces, each key located at its line in the env file (or the literal, or the generator). */
export function generatedNode(g: Generator): LMap {
  const data = newMap(g.loc);
  // kustomize prints data keys sorted.
  for (const e of [...g.entries].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))) {
    const value = g.kind === 'Secret' ? Buffer.from(e.value).toString('base64') : e.value;
    set(data, e.key, { kind: 'scalar', value, loc: e.contentLoc, contentLine: e.contentLoc.line ?? 1 }, e.loc);
  }
  const metadata = newMap(g.loc, [['name', scalar(g.name, g.loc)]]);
  if (g.namespace) set(metadata, 'namespace', scalar(g.namespace, g.loc));
  if (Object.keys(g.labels).length) set(metadata, 'labels', fromPlain(g.labels, g.loc));
  if (Object.keys(g.annotations).length) set(metadata, 'annotations', fromPlain(g.annotations, g.loc));
  return newMap(g.itemLoc, [
    ['apiVersion', scalar('v1', g.loc)],
    ['kind', scalar(g.kind, g.loc)],
    ['metadata', metadata],
    ...(g.entries.length || g.kind === 'ConfigMap' ? ([['data', data]] as Array<[string, LNode]>) : []),
    ...(g.kind === 'Secret' ? ([['type', scalar(g.type ?? 'Opaque', g.loc)]] as Array<[string, LNode]>) : []),
  ]);
}

// ---- the in-process renderer ----

interface Item {
  node: LMap;
  /** Name as written (references in the sources use it). */
  origName: string;
  /** Every name it had on the way up (a parent's `replicas:` may use any). */
  names: string[];
  generator?: Generator;
}

const kindOf = (n: LMap) => str(get(n, 'kind')) ?? '';
const nameOf = (n: LMap) => str(getPath(n, 'metadata', 'name')) ?? '';

/** Where other objects name an object of a kind: [holder kind or '*' for pod specs, path from the pod spec or the object]. */
const POD_REFERENCES: Array<{ kind: string; path: string[] }> = [
  { kind: 'ConfigMap', path: ['volumes', '*', 'configMap', 'name'] },
  { kind: 'ConfigMap', path: ['volumes', '*', 'projected', 'sources', '*', 'configMap', 'name'] },
  { kind: 'ConfigMap', path: ['@containers', '*', 'envFrom', '*', 'configMapRef', 'name'] },
  { kind: 'ConfigMap', path: ['@containers', '*', 'env', '*', 'valueFrom', 'configMapKeyRef', 'name'] },
  { kind: 'Secret', path: ['volumes', '*', 'secret', 'secretName'] },
  { kind: 'Secret', path: ['volumes', '*', 'projected', 'sources', '*', 'secret', 'name'] },
  { kind: 'Secret', path: ['@containers', '*', 'envFrom', '*', 'secretRef', 'name'] },
  { kind: 'Secret', path: ['@containers', '*', 'env', '*', 'valueFrom', 'secretKeyRef', 'name'] },
  { kind: 'Secret', path: ['imagePullSecrets', '*', 'name'] },
  { kind: 'PersistentVolumeClaim', path: ['volumes', '*', 'persistentVolumeClaim', 'claimName'] },
  { kind: 'ServiceAccount', path: ['serviceAccountName'] },
];

function scalarsAt(node: LNode | undefined, path: string[]): LScalar[] {
  if (!node) return [];
  if (!path.length) return node.kind === 'scalar' ? [node] : [];
  const [head, ...rest] = path;
  if (head === '*') return items(node).flatMap((i) => scalarsAt(i, rest));
  if (head === '@containers') return ['containers', 'initContainers', 'ephemeralContainers'].flatMap((f) => scalarsAt(get(node, f), rest));
  return scalarsAt(get(node, head), rest);
}

/** Every place in `node` that names an object of `kind`. */
function referencesIn(node: LMap): Array<{ kind: string; at: LScalar }> {
  const out: Array<{ kind: string; at: LScalar }> = [];
  const kind = kindOf(node);
  const pp = podSpecPath(kind);
  const pod = pp ? getPath(node, ...(pp as string[])) : undefined;
  for (const r of POD_REFERENCES) for (const s of scalarsAt(pod, r.path)) out.push({ kind: r.kind, at: s });
  if (kind === 'StatefulSet') for (const s of scalarsAt(node, ['spec', 'serviceName'])) out.push({ kind: 'Service', at: s });
  if (kind === 'HorizontalPodAutoscaler') {
    const ref = getPath(node, 'spec', 'scaleTargetRef');
    for (const s of scalarsAt(ref, ['name'])) out.push({ kind: str(get(ref, 'kind')) ?? '', at: s });
  }
  if (kind === 'Ingress') {
    for (const s of scalarsAt(node, ['spec', 'defaultBackend', 'service', 'name'])) out.push({ kind: 'Service', at: s });
    for (const s of scalarsAt(node, ['spec', 'rules', '*', 'http', 'paths', '*', 'backend', 'service', 'name'])) out.push({ kind: 'Service', at: s });
  }
  if (kind === 'RoleBinding' || kind === 'ClusterRoleBinding') {
    for (const s of items(getPath(node, 'subjects'))) if (str(get(s, 'kind')) === 'ServiceAccount' && get(s, 'name')?.kind === 'scalar') out.push({ kind: 'ServiceAccount', at: get(s, 'name') as LScalar });
  }
  return out;
}

function addLabels(item: Item, pairs: Record<string, string>, loc: Loc, where: { selectors: boolean; templates: boolean }): void {
  const n = item.node;
  const kind = kindOf(n);
  const put = (path: string[]) => {
    const m = mapAt(n, path, loc);
    if (m) for (const [k, v] of Object.entries(pairs)) set(m, k, scalar(v, loc), loc);
  };
  put(['metadata', 'labels']);
  const meta = podMetadataPath(kind);
  if (where.templates && meta && kind !== 'Pod') put([...(meta as string[]), 'labels']);
  if (where.templates && kind === 'CronJob') put(['spec', 'jobTemplate', 'metadata', 'labels']);
  if (!where.selectors) return;
  if (kind === 'Service') put(['spec', 'selector']);
  if (['Deployment', 'ReplicaSet', 'DaemonSet', 'StatefulSet'].includes(kind)) put(['spec', 'selector', 'matchLabels']);
  if (kind === 'StatefulSet') for (const t of items(getPath(n, 'spec', 'volumeClaimTemplates'))) if (t.kind === 'map') { const m = mapAt(t, ['metadata', 'labels'], loc); if (m) for (const [k, v] of Object.entries(pairs)) set(m, k, scalar(v, loc), loc); }
  if (kind === 'PodDisruptionBudget') put(['spec', 'selector', 'matchLabels']);
  if (kind === 'NetworkPolicy') put(['spec', 'podSelector', 'matchLabels']);
}

function addAnnotations(item: Item, pairs: Record<string, string>, loc: Loc): void {
  const n = item.node;
  const kind = kindOf(n);
  const paths = [['metadata', 'annotations'], ...(podMetadataPath(kind) && kind !== 'Pod' ? [[...(podMetadataPath(kind) as string[]), 'annotations']] : []), ...(kind === 'CronJob' ? [['spec', 'jobTemplate', 'metadata', 'annotations']] : [])];
  for (const path of paths) {
    const m = mapAt(n, path, loc);
    if (m) for (const [k, v] of Object.entries(pairs)) set(m, k, scalar(v, loc), loc);
  }
}

function stringPairs(node: LNode | undefined): Record<string, string> {
  return Object.fromEntries(entries(node).map(([k, v]) => [k, str(v) ?? '']));
}

/** One kustomization level: its children's output and its own objects, then its transforms. */
function buildLevel(k: Kustomization): Item[] {
  const out: Item[] = k.children.flatMap(buildLevel);
  for (const s of k.objects) out.push({ node: clone(s.node) as LMap, origName: s.name, names: [s.name] });
  for (const g of k.generators) out.push({ node: generatedNode(g), origName: g.name, names: [g.name], generator: g });
  const node = k.node;
  const loc = (key: string) => node.keyLocs.get(key) ?? node.loc;

  const prefix = str(get(node, 'namePrefix')) ?? '';
  const suffix = str(get(node, 'nameSuffix')) ?? '';
  if (prefix || suffix) {
    for (const it of out) {
      const kind = kindOf(it.node);
      if (kind === 'Namespace' || kind === 'CustomResourceDefinition') continue;
      const n = getPath(it.node, 'metadata', 'name') as LScalar;
      n.value = `${prefix}${String(n.value)}${suffix}`;
      it.names.push(String(n.value));
    }
  }
  if (k.namespace) {
    for (const it of out) {
      if (isClusterScoped(kindOf(it.node))) continue;
      const meta = mapAt(it.node, ['metadata'], k.namespace.loc)!;
      set(meta, 'namespace', scalar(k.namespace.value, k.namespace.loc), k.namespace.loc);
    }
  }
  const common = stringPairs(get(node, 'commonLabels'));
  if (Object.keys(common).length) for (const it of out) addLabels(it, common, loc('commonLabels'), { selectors: true, templates: true });
  for (const l of items(get(node, 'labels'))) {
    const pairs = stringPairs(get(l, 'pairs'));
    const selectors = str(get(l, 'includeSelectors')) === 'true' || get(l, 'includeSelectors')?.kind === 'scalar' && (get(l, 'includeSelectors') as LScalar).value === true;
    const templates = selectors || (get(l, 'includeTemplates') as LScalar | undefined)?.value === true;
    for (const it of out) addLabels(it, pairs, l.loc, { selectors, templates });
  }
  const annotations = stringPairs(get(node, 'commonAnnotations'));
  if (Object.keys(annotations).length) for (const it of out) addAnnotations(it, annotations, loc('commonAnnotations'));

  for (const rule of items(get(node, 'images'))) {
    const name = str(get(rule, 'name'));
    if (!name) continue;
    const r = { newName: str(get(rule, 'newName')), newTag: str(get(rule, 'newTag')), digest: str(get(rule, 'digest')) };
    for (const it of out) {
      const pp = podSpecPath(kindOf(it.node));
      if (!pp) continue;
      for (const img of scalarsAt(getPath(it.node, ...(pp as string[])), ['@containers', '*', 'image'])) {
        const text = String(img.value ?? '');
        if (text.replace(/@.*$/, '').replace(/:[^:/]+$/, '') !== name) continue;
        img.value = retagImage(text, r);
        img.loc = rule.loc;
        img.contentLine = rule.loc.line ?? 1;
      }
    }
  }
  for (const r of items(get(node, 'replicas'))) {
    const name = str(get(r, 'name'));
    const count = num(get(r, 'count'));
    if (!name || count === undefined) continue;
    for (const it of out) {
      if (!podSpecPath(kindOf(it.node)) || !it.names.includes(name)) continue;
      const spec = mapAt(it.node, ['spec'], r.loc)!;
      const at = get(r, 'count')!.loc;
      set(spec, 'replicas', scalar(count, at), at);
    }
  }
  return out;
}

/** The in-process render of a kustomization tree. */
function renderInProcess(k: Kustomization): Item[] {
  const out = buildLevel(k);
  // As kustomize does last: hash suffixes on generated names, then every reference follows its object's new name.
  for (const it of out) {
    if (!it.generator?.hashSuffix) continue;
    const obj = toPlain(it.node) as any;
    const name = getPath(it.node, 'metadata', 'name') as LScalar;
    name.value = `${String(name.value)}-${kustomizeHash({ kind: it.generator.kind, type: obj.type, data: obj.data ?? {} })}`;
  }
  const renamed = new Map<string, string>();
  for (const it of out) if (nameOf(it.node) !== it.origName) renamed.set(`${kindOf(it.node)}/${it.origName}`, nameOf(it.node));
  if (renamed.size) {
    for (const it of out) {
      for (const ref of referencesIn(it.node)) {
        const to = renamed.get(`${ref.kind}/${String(ref.at.value)}`);
        if (to) ref.at.value = to;
      }
    }
  }
  return out;
}

// ---- kubectl kustomize, traced back ----

function allSources(k: Kustomization): Array<{ kind: string; name: string; node: LMap }> {
  return [...k.children.flatMap(allSources), ...k.objects];
}

function allGenerators(k: Kustomization): Generator[] {
  return [...k.children.flatMap(allGenerators), ...k.generators];
}

/** The in-process render, as a guide to trace kubectl's output back: it names every object as kubectl does (prefixes, suffixes, hashes), and its nodes carry the source lines. */
function guideOf(k: Kustomization): Item[] {
  try {
    return renderInProcess(k);
  } catch {
    return [];
  }
}

function traceBack(text: string, k: Kustomization, label: string, guide: Item[]): Array<{ node: LMap; generator?: Generator; object: any }> {
  const byId = new Map(guide.map((g) => [`${kindOf(g.node)}/${nameOf(g.node)}`, g]));
  const sources = allSources(k);
  const gens = allGenerators(k);
  const out: Array<{ node: LMap; generator?: Generator; object: any }> = [];
  for (const doc of parseLocatedYaml(text, label, { version: '1.1' })) {
    if (doc.kind !== 'map') continue;
    const kind = kindOf(doc);
    const name = nameOf(doc);
    const g = byId.get(`${kind}/${name}`);
    const generator = g?.generator ?? gens.find((x) => x.kind === kind && (x.name === name || name.startsWith(`${x.name}-`) || name.endsWith(x.name)));
    const src = g?.node ?? (generator ? generatedNode(generator) : sources.find((s) => s.kind === kind && (s.name === name || name.includes(s.name)))?.node);
    const node = relocate(doc, src, src?.loc ?? { file: k.file, line: 1 }) as LMap;
    out.push({ node, generator, object: toPlain(doc) });
  }
  return out;
}

/** Runs `kubectl kustomize` on a throwaway copy whose missing inputs are filled (examples, virtual files). */
async function kubectlRender(kustomize: KustomizeRenderer, k: Kustomization, fills: Array<{ abs: string; text?: string; from?: string }>): Promise<string | null> {
  if (!fills.length) return kustomize(k.dir);
  const tmp = mkdtempSync(join(tmpdir(), 'devenv-render-'));
  try {
    const copy = join(tmp, basename(k.dir));
    cpSync(k.dir, copy, { recursive: true });
    for (const f of fills) {
      const rel = relative(k.dir, f.abs);
      if (rel.startsWith('..')) continue;
      mkdirSync(dirname(join(copy, rel)), { recursive: true });
      if (f.text !== undefined) writeFileSync(join(copy, rel), f.text);
      else if (f.from) copyFileSync(f.from, join(copy, rel));
    }
    return await kustomize(copy);
  } finally {
    // Removed in the background (the process waits for it before it exits) while the output is traced back.
    void rm(tmp, { recursive: true, force: true }).catch(() => undefined);
  }
}

function missingInputError(m: ReturnType<typeof missingInputs>[number]): never {
  const generated = /secrets\.env$/.test(m.file) ? ' It is generated by `devenv up --k8s`;' : '';
  throw usageError(
    `${m.file} does not exist (an input of ${m.generator.kind === 'Secret' ? 'secretGenerator' : 'configMapGenerator'} ${m.generator.name}).${generated}`,
    m.example ? `copy ${m.example} to ${m.file}, or run \`devenv up --k8s\`.` : 'create it or remove the reference.',
    m.generator.itemLoc,
  );
}

async function loadKustomization(reader: ManifestReader, dir: string, opts: LoadManifestsOptions): Promise<{ objects: ManifestObject[]; renderer: Renderer; examplesUsed: string[] }> {
  // The kustomization files first: what kubectl needs is known before the manifests are parsed.
  const { k, parseObjects } = reader.outline(dir);
  const mode = opts.missingInputs ?? 'error';
  const missing = missingInputs(k);
  const noExample = missing.filter((m) => !m.example);
  const unusable = mode !== 'tolerate' ? (mode === 'error' ? missing : noExample) : [];
  // kubectl runs in its own process while this one parses the manifests, renders the guide and the caller prepares.
  const rendering = opts.kustomize && !unusable.length && noExample.length === 0 ? kubectlRender(opts.kustomize, k, missing.map((m) => ({ abs: m.abs, from: m.exampleAbs }))) : undefined;
  // Awaited below; a parse error thrown meanwhile must not leave its rejection unhandled.
  rendering?.catch(() => undefined);
  parseObjects();
  if (unusable.length) missingInputError(unusable[0]);
  const examplesUsed = missing.filter((m) => m.example).map((m) => m.file);
  const fallbackNs = opts.namespace ?? 'default';
  for (const m of missing) {
    reader.notes.push({
      key: 'kustomize:generator-input',
      message: `${m.file}, an input of generator ${m.generator.name}, does not exist (generated and git-ignored?); ${m.example ? `its keys are taken from ${m.example}` : 'its keys are unknown'}.`,
      severity: 'info',
      loc: m.loc,
    });
  }

  if (rendering) {
    const guide = guideOf(k);
    opts.onSources?.(guide.map((g) => ({ apiVersion: str(get(g.node, 'apiVersion')), kind: kindOf(g.node) })));
    const text = await rendering;
    // null: kubectl is not installed; '': --dry-run recorded the command without running it.
    if (text && text.trim()) {
      const label = `kubectl kustomize ${reader.display(dir) || '.'}`;
      const objects = traceBack(text, k, label, guide).map((r) => manifestObject(r.node, { namespace: fallbackNs, generator: r.generator, object: r.object }));
      return { objects, renderer: 'kubectl', examplesUsed };
    }
  }
  const objects = renderInProcess(k).map((it) => manifestObject(it.node, { namespace: fallbackNs, generator: it.generator }));
  reader.notes.push({ key: 'kustomize:not-rendered', message: '`kubectl kustomize` was not run (kubectl is not on PATH, or --dry-run, or an input is missing); the in-process renderer rendered it.', severity: 'info', loc: { file: reader.display(findKustomization(dir)!), line: 1 } });
  return { objects, renderer: 'builtin', examplesUsed };
}

/**
 * Loads manifest inputs: a kustomization directory (rendered), a directory
 * without one (its manifest files, like `kubectl apply -R -f DIR`), a
 * kustomization.yaml, or a manifest file. Broken input is a usage error
 * with file and line.
 */
export async function loadManifests(inputs: string[], opts: LoadManifestsOptions): Promise<LoadedManifests> {
  if (!inputs.length) throw usageError('no manifests given.', 'pass --manifests DIR|FILE.');
  const reader = new ManifestReader({ cwd: opts.cwd, virtualFiles: opts.virtualFiles });
  const objects: ManifestObject[] = [];
  const examplesUsed: string[] = [];
  const renderers: Renderer[] = [];
  const ns = opts.namespace ?? 'default';
  const plain = (path: string) => reader.objectsOf(path).map((s) => manifestObject(s.node, { namespace: ns }));
  for (const input of inputs) {
    const p = resolve(opts.cwd, input);
    if (!existsSync(p)) throw usageError(`${input} does not exist.`, 'pass a kustomization directory, a directory of manifests or a manifest file.');
    const dir = statSync(p).isDirectory() ? p : KUSTOMIZATION_FILES.includes(basename(p)) ? dirname(p) : null;
    if (dir && findKustomization(dir)) {
      const r = await loadKustomization(reader, dir, opts);
      objects.push(...r.objects);
      examplesUsed.push(...r.examplesUsed);
      renderers.push(r.renderer);
    } else if (dir) {
      const files = reader.manifestFilesIn(dir);
      if (!files.length) throw usageError(`${input} holds no manifest files (.yaml, .yml, .json) and no kustomization.yaml.`, 'pass the directory with the manifests, or a kustomization.');
      for (const f of files) objects.push(...plain(f));
      renderers.push('file');
    } else {
      objects.push(...plain(p));
      renderers.push('file');
    }
  }
  const renderer: Renderer = renderers.includes('builtin') ? 'builtin' : renderers.includes('kubectl') ? 'kubectl' : 'file';
  const notes = renderer === 'builtin' ? reader.notes : reader.notes.filter((n) => n.key === 'kustomize:remote' || n.key === 'kustomize:generator-input');
  return { objects, renderer, notes, files: [...new Set(reader.files)], examplesUsed };
}

export type { FieldPath };

export interface RenderedManifests extends LoadedManifests {
  /** The path as given (for messages). */
  target: string;
  /** The notes as `file:line: message` lines. */
  warnings: string[];
}

/** `kubectl kustomize` through the kustomize adapter. */
export function kubectlKustomize(runner: CommandRunner): KustomizeRenderer {
  return (dir) => renderKustomization(runner, dir);
}

/** One target as `up --k8s`, `down --k8s` and `validate` read it: kubectl (unless `kubectl: false`), a missing generator input from its `.example` with `exampleFallback`. */
export async function renderManifests(runner: CommandRunner, target: string, opts: { cwd: string; virtualFiles?: Map<string, string>; exampleFallback?: boolean; kubectl?: boolean; namespace?: string; onSources?: LoadManifestsOptions['onSources']; kustomize?: KustomizeRenderer }): Promise<RenderedManifests> {
  const r = await loadManifests([target], {
    cwd: opts.cwd,
    onSources: opts.onSources,
    kustomize: opts.kubectl === false ? undefined : (opts.kustomize ?? kubectlKustomize(runner)),
    virtualFiles: opts.virtualFiles,
    missingInputs: opts.exampleFallback ? 'example' : 'error',
    namespace: opts.namespace,
  });
  const warnings = r.notes.filter((n) => n.key !== 'kustomize:not-rendered' && n.key !== 'kustomize:generator-input').map((n) => `${n.loc.file}:${n.loc.line ?? 1}: ${n.message}`);
  return { ...r, target, warnings };
}
