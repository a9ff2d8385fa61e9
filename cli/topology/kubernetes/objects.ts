// The Kubernetes objects to compare, each with file:line into the sources.
// A kustomization is rendered with `kubectl kustomize` when the injected
// renderer can (exact: patches, transformers, generated names); otherwise the
// listed resources and generators are read directly, applying namespace,
// images and replicas, and reporting what only kustomize could apply.
import { relative } from 'node:path';
import { get, getPath, items, parseLocatedYaml, str, num, type LMap, type LNode, type LScalar } from '../located-yaml.ts';
import type { Loc, Unsupported } from '../model.ts';
import { missingGeneratorFiles, type Generator, type Kustomization, type ManifestSources, type SourceObject } from './sources.ts';
import { relocate } from './relocate.ts';

export interface K8sObject {
  kind: string;
  name: string;
  namespace: string;
  node: LMap;
  /** For generated ConfigMaps and Secrets: the generator (its name without the hash). */
  generator?: Generator;
}

/** Renders a kustomize directory; null when it cannot (no kubectl, dry run). */
export type KustomizeRenderer = (dir: string) => Promise<string | null>;

export interface CollectedObjects {
  objects: K8sObject[];
  render: 'kubectl-kustomize' | 'files';
  notes: Unsupported[];
}

const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'PersistentVolume', 'StorageClass', 'PriorityClass', 'IngressClass']);

function scalar(value: string, loc: Loc, contentLine = loc.line ?? 1): LScalar {
  return { kind: 'scalar', value, loc, contentLine };
}

function map(loc: Loc, pairs: Array<[string, LNode, Loc?]>): LMap {
  const m: LMap = { kind: 'map', entries: new Map(), keyLocs: new Map(), loc };
  for (const [k, v, l] of pairs) {
    m.entries.set(k, v);
    m.keyLocs.set(k, l ?? v.loc);
  }
  return m;
}

/** A generator as the object it produces; Secret values go under stringData (not base64). */
export function generatedObject(g: Generator, name: string): LMap {
  const data = map(g.loc, g.entries.map((e) => [e.key, scalar(e.value, e.contentLoc, e.contentLoc.line ?? 1), e.loc]));
  return map(g.loc, [
    ['kind', scalar(g.kind, g.loc)],
    ['metadata', map(g.loc, [['name', scalar(name, g.loc)]])],
    [g.kind === 'Secret' ? 'stringData' : 'data', data],
    ...(g.type ? ([['type', scalar(g.type, g.loc)]] as Array<[string, LNode]>) : []),
  ]);
}

function allGenerators(k: Kustomization): Array<{ g: Generator; k: Kustomization }> {
  return [...k.children.flatMap(allGenerators), ...k.generators.map((g) => ({ g, k }))];
}

function allObjects(k: Kustomization): SourceObject[] {
  return [...k.children.flatMap(allObjects), ...k.objects];
}

function affixes(k: Kustomization): Array<[string, string]> {
  const own: [string, string] = [k.namePrefix ?? '', k.nameSuffix ?? ''];
  return [own, ...k.children.flatMap(affixes).map(([p, s]) => [own[0] + p, s + own[1]] as [string, string])];
}

// ---- fallback: the files as written, with the transforms a reader can apply ----

function applyImages(node: LMap, k: Kustomization): void {
  const rules = items(get(k.node, 'images'));
  if (!rules.length) return;
  const spec = node.entries.get('kind') && (getPath(node, 'spec', 'template', 'spec') ?? getPath(node, 'spec', 'jobTemplate', 'spec', 'template', 'spec') ?? get(node, 'spec'));
  for (const list of ['containers', 'initContainers']) {
    for (const c of items(get(spec, list))) {
      const img = get(c, 'image');
      if (img?.kind !== 'scalar' || img.value === null) continue;
      const text = String(img.value);
      const repo = text.replace(/@.*$/, '').replace(/:[^:/]+$/, '');
      for (const r of rules) {
        if (str(get(r, 'name')) !== repo) continue;
        const newName = str(get(r, 'newName')) ?? repo;
        const digest = str(get(r, 'digest'));
        const tag = str(get(r, 'newTag'));
        const oldTag = /:([^:/@]+)(@|$)/.exec(text)?.[1];
        img.value = digest ? `${newName}@${digest}` : tag ? `${newName}:${tag}` : oldTag ? `${newName}:${oldTag}` : newName;
        img.loc = r.loc;
        img.contentLine = r.loc.line ?? 1;
      }
    }
  }
}

function applyReplicas(o: K8sObject, k: Kustomization): void {
  for (const r of items(get(k.node, 'replicas'))) {
    if (str(get(r, 'name')) !== o.name) continue;
    const count = num(get(r, 'count'));
    const spec = get(o.node, 'spec');
    if (count === undefined || spec?.kind !== 'map') continue;
    const loc = get(r, 'count')!.loc;
    spec.entries.set('replicas', { kind: 'scalar', value: count, loc, contentLine: loc.line ?? 1 });
    spec.keyLocs.set('replicas', loc);
  }
}

function fallbackObjects(k: Kustomization, defaultNs: string): K8sObject[] {
  const out: K8sObject[] = [];
  for (const child of k.children) out.push(...fallbackObjects(child, defaultNs));
  for (const s of k.objects) out.push({ kind: s.kind, name: s.name, namespace: s.namespace ?? defaultNs, node: s.node });
  for (const g of k.generators) out.push({ kind: g.kind, name: g.name, namespace: g.namespace ?? defaultNs, node: generatedObject(g, g.name), generator: g });
  for (const o of out) {
    if (k.namespace && !CLUSTER_SCOPED.has(o.kind)) o.namespace = k.namespace.value;
    applyImages(o.node, k);
    applyReplicas(o, k);
  }
  return out;
}

// ---- rendered: kubectl kustomize output traced back to the sources ----

function renderedObjects(text: string, k: Kustomization, cwd: string, defaultNs: string): K8sObject[] {
  const label = `kubectl kustomize ${relative(cwd, k.dir) || '.'}`;
  const docs = parseLocatedYaml(text, label);
  const sources = allObjects(k);
  const gens = allGenerators(k);
  const fx = affixes(k);
  const out: K8sObject[] = [];
  for (const doc of docs) {
    if (doc.kind !== 'map') continue;
    const kind = str(get(doc, 'kind')) ?? '';
    const name = str(getPath(doc, 'metadata', 'name')) ?? '';
    const namespace = str(getPath(doc, 'metadata', 'namespace')) ?? defaultNs;
    const gen = gens.find(({ g, k: gk }) => {
      if (g.kind !== kind) return false;
      const base = (gk.namePrefix ?? '') + g.name + (gk.nameSuffix ?? '');
      return fx.some(([p, s]) => {
        const full = p + g.name + s;
        return name === full || name === base || new RegExp(`^${escapeRe(full)}-[a-z0-9]{10}$`).test(name);
      });
    });
    if (gen) {
      out.push({ kind, name, namespace, node: generatedObject(gen.g, name), generator: gen.g });
      continue;
    }
    const candidates = fx.map(([p, s]) => (name.startsWith(p) && name.endsWith(s) ? name.slice(p.length, name.length - s.length || undefined) : null)).filter((n): n is string => n !== null);
    const src = sources.find((s) => s.kind === kind && (s.name === name || candidates.includes(s.name)));
    out.push({ kind, name, namespace, node: relocate(doc, src?.node, src?.node.loc ?? { file: k.file, line: 1 }) as LMap });
  }
  return out;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export async function collectObjects(sources: ManifestSources, opts: { render?: KustomizeRenderer; defaultNamespace: string; cwd: string }): Promise<CollectedObjects> {
  const notes: Unsupported[] = [];
  const objects: K8sObject[] = sources.plainObjects.map((s) => ({ kind: s.kind, name: s.name, namespace: s.namespace ?? opts.defaultNamespace, node: s.node }));
  let rendered = 0;
  for (const k of sources.kustomizations) {
    const missing = missingGeneratorFiles(k);
    for (const m of missing) {
      notes.push({
        key: 'kustomize:generator-input',
        message: `${m.file}, an input of generator ${m.generator}, does not exist (generated and git-ignored?); ${m.example ? `its keys are taken from ${m.example}, its values are unknown` : 'its keys are unknown'}. The kustomization was read without \`kubectl kustomize\`, which refuses a missing input.`,
        severity: 'info',
        loc: m.loc,
      });
    }
    const text = missing.length === 0 && opts.render ? await opts.render(k.dir) : null;
    if (text !== null) {
      rendered++;
      objects.push(...renderedObjects(text, k, opts.cwd, opts.defaultNamespace));
      continue;
    }
    if (missing.length === 0) {
      notes.push({ key: 'kustomize:not-rendered', message: `\`kubectl kustomize\` was not run (kubectl is not on PATH, or --dry-run); the listed resources and generators were read directly.`, severity: 'info', loc: { file: k.file, line: 1 } });
    }
    objects.push(...fallbackObjects(k, k.namespace?.value ?? opts.defaultNamespace));
  }
  const fellBack = rendered < sources.kustomizations.length;
  notes.push(...sources.unsupported.filter((u) => fellBack || u.key === 'kustomize:remote'));
  return { objects, render: sources.kustomizations.length && !fellBack ? 'kubectl-kustomize' : 'files', notes };
}
