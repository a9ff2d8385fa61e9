// The one kustomization reader: a kustomization directory as a tree of
// located objects, generators and the keys it sets, followed through nested
// kustomizations. Every key is either applied by the in-process renderer
// (APPLIED_KEYS) or reported as a note with its file and line; nothing is
// dropped silently. Reads files only.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { parseEnvFile } from '../env-file.ts';
import { usageError, type Location as Loc } from '../errors.ts';
import { bool, entries, get, items, keyLoc, parseLocatedYaml, str, type LMap, type LNode } from './located-yaml.ts';

export { findKustomization, KUSTOMIZATION_FILES } from './kustomization-files.ts';
import { findKustomization, KUSTOMIZATION_FILES } from './kustomization-files.ts';

/** Keys the in-process renderer applies; any other key is reported. */
export const APPLIED_KEYS = new Set([
  'apiVersion', 'kind', 'metadata', 'resources', 'bases', 'namespace', 'namePrefix', 'nameSuffix', 'labels', 'commonLabels',
  'commonAnnotations', 'images', 'replicas', 'configMapGenerator', 'secretGenerator', 'generatorOptions', 'sortOptions',
]);

/** Something the reader or the in-process renderer could not do exactly: said, with where. */
export interface ManifestNote {
  key: string;
  message: string;
  severity: 'info' | 'warn';
  loc: Loc;
}

export interface SourceObject {
  kind: string;
  name: string;
  namespace?: string;
  node: LMap;
  file: string;
}

export interface GeneratorEntry {
  key: string;
  value: string;
  loc: Loc;
  /** Where line 1 of the value is (for a file: the file itself). */
  contentLoc: Loc;
  /** Read from the committed `.example` of a missing input: the key is real, the value is a placeholder. */
  fromExample?: boolean;
}

export interface Generator {
  kind: 'ConfigMap' | 'Secret';
  name: string;
  namespace?: string;
  type?: string;
  loc: Loc;
  /** The generator's list item (for error messages: `kustomization.yaml:12`). */
  itemLoc: Loc;
  entries: GeneratorEntry[];
  /** Inputs listed under envs/files that do not exist (a git-ignored generated file, typically). */
  missing: Array<{ file: string; abs: string; loc: Loc; example?: string; exampleAbs?: string }>;
  hashSuffix: boolean;
  behavior?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface Kustomization {
  dir: string;
  file: string;
  node: LMap;
  namespace?: { value: string; loc: Loc };
  objects: SourceObject[];
  generators: Generator[];
  children: Kustomization[];
}

export interface ReadOptions {
  cwd: string;
  /** Contents that replace files on disk (absolute path -> text): a secrets.env not written under --dry-run. */
  virtualFiles?: Map<string, string>;
}


function stringMap(node: LNode | undefined): Record<string, string> {
  return Object.fromEntries(entries(node).map(([k, v]) => [k, str(v) ?? '']));
}

/** Reads YAML files with their lines; remembers every file it read. */
export class ManifestReader {
  readonly files: string[] = [];
  readonly notes: ManifestNote[] = [];
  constructor(readonly opts: ReadOptions) {}

  display(p: string): string {
    const r = relative(this.opts.cwd, p);
    return r && !r.startsWith('..') ? r : p;
  }

  private text(path: string): string | undefined {
    const virtual = this.opts.virtualFiles?.get(path);
    if (virtual !== undefined) return virtual;
    return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
  }

  private read(path: string): string {
    const file = this.display(path);
    if (!this.files.includes(file)) this.files.push(file);
    return this.text(path) ?? '';
  }

  /** The objects of one manifest file (a `kind: List` gives its items). */
  objectsOf(path: string): SourceObject[] {
    const file = this.display(path);
    const out: SourceObject[] = [];
    for (const doc of parseLocatedYaml(this.read(path), file, { version: '1.1' })) {
      if (doc.kind !== 'map') throw usageError('a Kubernetes manifest document must be a mapping (apiVersion, kind, metadata, ...).', 'remove the stray document or fix its indentation.', doc.loc);
      if (str(get(doc, 'kind')) === 'List' && get(doc, 'items')) {
        for (const item of items(get(doc, 'items'))) if (item.kind === 'map') out.push(this.object(item, file));
        continue;
      }
      out.push(this.object(doc, file));
    }
    return out;
  }

  private object(doc: LMap, file: string): SourceObject {
    const kind = str(get(doc, 'kind'));
    const name = str(get(get(doc, 'metadata'), 'name'));
    if (!kind) throw usageError('a Kubernetes object has no `kind` (kubectl rejects it).', 'add `apiVersion:` and `kind:` to the document.', doc.loc);
    if (!name) throw usageError(`a ${kind} has no metadata.name (kubectl apply rejects it).`, 'add `metadata: { name: ... }`.', doc.loc);
    return { kind, name, namespace: str(get(get(doc, 'metadata'), 'namespace')), node: doc, file };
  }

  /**
   * The manifest files of a directory as `kubectl apply -R -f DIR` reads them:
   * .yaml, .yml and .json, sorted, hidden entries and `*.example.yaml` skipped.
   */
  manifestFilesIn(dir: string): string[] {
    const out: string[] = [];
    for (const name of readdirSync(dir).sort()) {
      if (name.startsWith('.')) continue;
      const p = join(dir, name);
      if (statSync(p).isDirectory()) {
        if (findKustomization(p)) continue;
        out.push(...this.manifestFilesIn(p));
      } else if (/\.(ya?ml|json)$/.test(name) && !/\.example\.ya?ml$/.test(name) && !KUSTOMIZATION_FILES.includes(name)) out.push(p);
    }
    return out;
  }

  /** While `outline` runs: the resource files whose objects are parsed later, in order. */
  private deferred: Array<() => void> | undefined;

  /**
   * The kustomization tree with its keys and generators, its manifest files
   * not parsed yet: `parseObjects()` fills every `objects` list exactly as
   * `kustomization()` does. A caller starts `kubectl kustomize` in between,
   * so the child process runs while the manifests are parsed. An error comes
   * out as `kustomization()` would raise it: a manifest listed before the
   * broken place is parsed first.
   */
  outline(dir: string): { k: Kustomization; parseObjects: () => void } {
    const deferred: Array<() => void> = [];
    this.deferred = deferred;
    const parseObjects = () => {
      for (const parse of deferred.splice(0)) parse();
    };
    let k: Kustomization;
    try {
      k = this.kustomization(dir);
    } catch (err) {
      this.deferred = undefined;
      parseObjects();
      throw err;
    }
    this.deferred = undefined;
    return { k, parseObjects };
  }

  kustomization(dir: string, depth = 0): Kustomization {
    const kfile = findKustomization(dir);
    if (!kfile) throw usageError(`${this.display(dir)} has no kustomization.yaml.`, 'add one, or pass the YAML files themselves.');
    const file = this.display(kfile);
    if (depth > 20) throw usageError(`${file}: kustomizations nest too deep (a cycle in resources?).`, 'remove the cycle from the resources lists.', { file });
    const node = parseLocatedYaml(this.read(kfile), file, { version: '1.1' })[0] ?? { kind: 'map', entries: new Map(), keyLocs: new Map(), loc: { file, line: 1 } };
    if (node.kind !== 'map') throw usageError('a kustomization must be a mapping.', 'start it with `resources:`.', { file, line: 1 });
    for (const [key, , loc] of entries(node)) {
      if (!APPLIED_KEYS.has(key)) this.notes.push({ key: `kustomize:${key}`, message: `\`${key}\` is applied only by \`kubectl kustomize\`; without kubectl the objects are read as written.`, severity: 'info', loc });
    }
    const k: Kustomization = { dir, file, node, objects: [], generators: [], children: [] };
    const ns = get(node, 'namespace');
    if (str(ns)) k.namespace = { value: str(ns)!, loc: keyLoc(node, 'namespace') ?? ns!.loc };
    for (const list of ['resources', 'bases']) {
      const listNode = get(node, list);
      if (listNode && listNode.kind !== 'seq' && !(listNode.kind === 'scalar' && listNode.value === null)) throw usageError(`\`${list}\` must be a list of files or directories.`, `write \`${list}:\` followed by \`- path\` lines.`, listNode.loc);
      for (const item of items(listNode)) {
        const ref = str(item);
        if (!ref) continue;
        if (/^[a-z]+:\/\//.test(ref) || /^(git@|github\.com\/)/.test(ref) || ref.includes('?ref=')) {
          this.notes.push({ key: 'kustomize:remote', message: `remote resource ${ref} is read only by \`kubectl kustomize\`.`, severity: 'warn', loc: item.loc });
          continue;
        }
        const p = resolve(dir, ref);
        if (!existsSync(p) && !this.opts.virtualFiles?.has(p)) throw usageError(`resource ${ref} listed in ${file} does not exist.`, `fix the path in \`${list}:\` or create the file.`, item.loc);
        if (existsSync(p) && statSync(p).isDirectory()) k.children.push(this.kustomization(p, depth + 1));
        else if (this.deferred) {
          // The file is read in its place (the order of `files`), parsed by parseObjects().
          const file = this.display(p);
          if (!this.files.includes(file)) this.files.push(file);
          this.deferred.push(() => k.objects.push(...this.objectsOf(p)));
        } else k.objects.push(...this.objectsOf(p));
      }
    }
    const opts = get(node, 'generatorOptions');
    const hashOff = bool(get(opts, 'disableNameSuffixHash')) === true;
    for (const [list, kind] of [['configMapGenerator', 'ConfigMap'], ['secretGenerator', 'Secret']] as const) {
      const listNode = get(node, list);
      if (listNode && listNode.kind !== 'seq' && !(listNode.kind === 'scalar' && listNode.value === null)) throw usageError(`\`${list}\` must be a list.`, `write \`${list}:\` followed by \`- name: ...\` entries.`, listNode.loc);
      for (const g of items(listNode)) k.generators.push(this.generator(g, kind, dir, hashOff, opts));
    }
    return k;
  }

  private generator(g: LNode, kind: 'ConfigMap' | 'Secret', dir: string, hashOff: boolean, globalOpts: LNode | undefined): Generator {
    const name = str(get(g, 'name'));
    const field = kind === 'ConfigMap' ? 'configMapGenerator' : 'secretGenerator';
    if (!name) throw usageError(`a ${field} entry has no name.`, 'give every generator a name.', g.loc);
    const behavior = str(get(g, 'behavior'));
    if (behavior && behavior !== 'create') this.notes.push({ key: 'kustomize:behavior', message: `generator ${name}: behavior ${behavior} is applied only by \`kubectl kustomize\`.`, severity: 'warn', loc: get(g, 'behavior')!.loc });
    const gen: Generator = {
      kind,
      name,
      namespace: str(get(g, 'namespace')),
      type: str(get(g, 'type')),
      loc: keyLoc(g, 'name') ?? g.loc,
      itemLoc: g.loc,
      entries: [],
      missing: [],
      hashSuffix: !(hashOff || bool(get(get(g, 'options'), 'disableNameSuffixHash')) === true),
      behavior,
      labels: { ...stringMap(get(globalOpts, 'labels')), ...stringMap(getOpt(g, 'labels')) },
      annotations: { ...stringMap(get(globalOpts, 'annotations')), ...stringMap(getOpt(g, 'annotations')) },
    };
    const add = (e: GeneratorEntry) => {
      gen.entries = gen.entries.filter((x) => x.key !== e.key);
      gen.entries.push(e);
    };
    for (const item of items(get(g, 'literals'))) {
      const text = str(item) ?? '';
      const eq = text.indexOf('=');
      if (eq < 1) throw usageError(`literal "${text}" of generator ${name} is not KEY=value.`, 'write literals as KEY=value.', item.loc);
      let value = text.slice(eq + 1);
      if (/^(['"]).*\1$/s.test(value)) value = value.slice(1, -1);
      add({ key: text.slice(0, eq), value, loc: item.loc, contentLoc: item.loc });
    }
    const envItems = [...items(get(g, 'envs')), ...(get(g, 'env') ? [get(g, 'env')!] : [])];
    for (const item of envItems) {
      const ref = str(item);
      if (!ref) continue;
      const p = resolve(dir, ref);
      const text = this.text(p);
      if (text === undefined) {
        const example = this.exampleOf(p, gen, item.loc);
        if (example) {
          const parsed = parseEnvFile(readFileSync(example, 'utf8'), { dialect: 'kustomize' });
          const file = this.display(example);
          for (const [key, value] of parsed.values) add({ key, value, loc: { file, line: parsed.lines.get(key) }, contentLoc: { file, line: parsed.lines.get(key) }, fromExample: true });
        }
        continue;
      }
      const file = this.display(p);
      if (!this.files.includes(file)) this.files.push(file);
      const parsed = parseEnvFile(text, { dialect: 'kustomize' });
      for (const [key, value] of parsed.values) add({ key, value, loc: { file, line: parsed.lines.get(key) }, contentLoc: { file, line: parsed.lines.get(key) } });
    }
    for (const item of items(get(g, 'files'))) {
      const ref = str(item) ?? '';
      const eq = ref.indexOf('=');
      const key = eq > 0 ? ref.slice(0, eq) : basename(ref);
      const p = resolve(dir, eq > 0 ? ref.slice(eq + 1) : ref);
      const text = this.text(p);
      if (text === undefined) {
        const example = this.exampleOf(p, gen, item.loc);
        if (example) add({ key, value: readFileSync(example, 'utf8'), loc: item.loc, contentLoc: { file: this.display(example), line: 1 }, fromExample: true });
        continue;
      }
      const file = this.display(p);
      if (!this.files.includes(file)) this.files.push(file);
      add({ key, value: text, loc: item.loc, contentLoc: { file, line: 1 } });
    }
    return gen;
  }

  private exampleOf(p: string, gen: Generator, loc: Loc): string | undefined {
    const example = [`${p}.example`, p.replace(/(\.[^./]+)$/, '.example$1')].find((e) => e !== p && existsSync(e));
    gen.missing.push({ file: this.display(p), abs: p, loc, example: example ? this.display(example) : undefined, exampleAbs: example });
    return example;
  }
}

function getOpt(g: LNode, key: string): LNode | undefined {
  return get(get(g, 'options'), key);
}

/** Every generator with a missing input, across nested kustomizations. */
export function missingInputs(k: Kustomization): Array<Generator['missing'][number] & { generator: Generator }> {
  return [...k.generators.flatMap((g) => g.missing.map((m) => ({ ...m, generator: g }))), ...k.children.flatMap(missingInputs)];
}
