// Finds and parses the Kubernetes source files behind --manifests: plain
// multi-document YAML files, directories of them, or kustomize directories
// (followed through nested kustomizations). The result is both the objects as
// written (for the fallback when kubectl is absent) and an index by kind and
// name, so objects rendered by `kubectl kustomize` can be traced back to the
// file and line they were written at.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { usageError } from '../../errors.ts';
import { entries, get, items, keyLoc, parseLocatedYaml, str, bool, type LMap, type LNode } from '../located-yaml.ts';
import type { Loc, Unsupported } from '../model.ts';
import { parseEnvFile } from '../../env-file.ts';

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
}

export interface Generator {
  kind: 'ConfigMap' | 'Secret';
  name: string;
  namespace?: string;
  type?: string;
  loc: Loc;
  entries: GeneratorEntry[];
  /** Files listed under envs/files that do not exist (a git-ignored generated file, typically). */
  missing: Array<{ file: string; loc: Loc; example?: string }>;
  hashSuffix: boolean;
  behavior?: string;
}

export interface Kustomization {
  dir: string;
  file: string;
  node: LMap;
  namespace?: { value: string; loc: Loc };
  namePrefix?: string;
  nameSuffix?: string;
  objects: SourceObject[];
  generators: Generator[];
  children: Kustomization[];
}

export interface ManifestSources {
  /** Kustomize roots among the inputs, rendered as a whole. */
  kustomizations: Kustomization[];
  /** Objects from plain files and directories (not under a kustomization). */
  plainObjects: SourceObject[];
  files: string[];
  unsupported: Unsupported[];
}

const KUSTOMIZATION_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

export function kustomizationFile(dir: string): string | null {
  for (const n of KUSTOMIZATION_NAMES) if (existsSync(join(dir, n))) return join(dir, n);
  return null;
}

// Keys the fallback reader applies; the others only `kubectl kustomize` can.
const FALLBACK_KEYS = new Set(['apiVersion', 'kind', 'metadata', 'resources', 'bases', 'namespace', 'configMapGenerator', 'secretGenerator', 'generatorOptions', 'images', 'replicas', 'labels', 'commonLabels', 'commonAnnotations', 'namePrefix', 'nameSuffix', 'sortOptions', 'buildMetadata']);

class Reader {
  readonly files: string[] = [];
  readonly unsupported: Unsupported[] = [];
  constructor(readonly cwd: string) {}

  display(p: string): string {
    const r = relative(this.cwd, p);
    return r && !r.startsWith('..') ? r : p;
  }

  parseFile(path: string): LNode[] {
    const file = this.display(path);
    if (!this.files.includes(file)) this.files.push(file);
    return parseLocatedYaml(readFileSync(path, 'utf8'), file);
  }

  objectsOf(path: string): SourceObject[] {
    const file = this.display(path);
    const out: SourceObject[] = [];
    for (const doc of this.parseFile(path)) {
      if (doc.kind !== 'map') throw usageError('a Kubernetes document must be a mapping with `kind` and `metadata`.', 'check the indentation of this document.', doc.loc);
      const kind = str(get(doc, 'kind'));
      if (kind === 'List') {
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
    if (!kind) throw usageError('a Kubernetes object has no `kind`.', 'add `kind:` (and `apiVersion:`) to the document.', doc.loc);
    if (!name) throw usageError(`a ${kind} has no metadata.name.`, 'add `metadata: { name: ... }`.', doc.loc);
    return { kind, name, namespace: str(get(get(doc, 'metadata'), 'namespace')), node: doc, file };
  }

  yamlFilesIn(dir: string): string[] {
    const out: string[] = [];
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) {
        if (!name.startsWith('.')) out.push(...this.yamlFilesIn(p));
      } else if (/\.ya?ml$/.test(name) && !/\.example\.ya?ml$/.test(name)) out.push(p);
    }
    return out;
  }

  kustomization(dir: string, depth = 0): Kustomization {
    const kfile = kustomizationFile(dir);
    if (!kfile) throw usageError(`${this.display(dir)} has no kustomization.yaml.`, 'add one, or pass the YAML files themselves.');
    if (depth > 20) throw usageError('kustomizations nest too deep (a cycle?).', 'check the resources lists.', { file: this.display(kfile) });
    const node = this.parseFile(kfile)[0];
    const file = this.display(kfile);
    if (!node || node.kind !== 'map') throw usageError('kustomization.yaml must be a mapping.', 'start it with `resources:`.', { file, line: 1 });
    for (const [key, , loc] of entries(node)) {
      if (!FALLBACK_KEYS.has(key)) this.unsupported.push({ key: `kustomize:${key}`, message: `\`${key}\` is applied only by \`kubectl kustomize\`; without kubectl on PATH the objects are compared as written.`, severity: 'info', loc });
    }
    const k: Kustomization = { dir, file, node, objects: [], generators: [], children: [] };
    const ns = get(node, 'namespace');
    if (str(ns)) k.namespace = { value: str(ns)!, loc: ns!.loc };
    k.namePrefix = str(get(node, 'namePrefix'));
    k.nameSuffix = str(get(node, 'nameSuffix'));
    for (const list of ['resources', 'bases']) {
      for (const item of items(get(node, list))) {
        const ref = str(item);
        if (!ref) continue;
        if (/^(https?:|git@|github\.com\/)/.test(ref) || ref.includes('?ref=')) {
          this.unsupported.push({ key: 'kustomize:remote', message: `remote resource ${ref} is not read by migrate-check.`, severity: 'warn', loc: item.loc });
          continue;
        }
        const p = resolve(dir, ref);
        if (!existsSync(p)) throw usageError(`resource ${ref} listed in ${file} does not exist.`, 'fix the path in `resources:` or create the file.', item.loc);
        if (statSync(p).isDirectory()) k.children.push(this.kustomization(p, depth + 1));
        else k.objects.push(...this.objectsOf(p));
      }
    }
    const hashOff = bool(get(get(node, 'generatorOptions'), 'disableNameSuffixHash')) === true;
    for (const [list, kind] of [['configMapGenerator', 'ConfigMap'], ['secretGenerator', 'Secret']] as const) {
      for (const g of items(get(node, list))) k.generators.push(this.generator(g, kind, dir, hashOff));
    }
    return k;
  }

  private generator(g: LNode, kind: 'ConfigMap' | 'Secret', dir: string, hashOff: boolean): Generator {
    const name = str(get(g, 'name'));
    if (!name) throw usageError(`a ${kind} generator has no name.`, 'add `name:` to the generator entry.', g.loc);
    const gen: Generator = {
      kind,
      name,
      namespace: str(get(g, 'namespace')),
      type: str(get(g, 'type')),
      loc: keyLoc(g, 'name') ?? g.loc,
      entries: [],
      missing: [],
      hashSuffix: !(hashOff || bool(get(get(g, 'options'), 'disableNameSuffixHash')) === true),
      behavior: str(get(g, 'behavior')),
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
      if (/^(['"]).*\1$/.test(value)) value = value.slice(1, -1);
      add({ key: text.slice(0, eq), value, loc: item.loc, contentLoc: item.loc });
    }
    const envItems = [...items(get(g, 'envs')), ...(get(g, 'env') ? [get(g, 'env')!] : [])];
    for (const item of envItems) {
      const ref = str(item);
      if (!ref) continue;
      const p = resolve(dir, ref);
      if (!existsSync(p)) {
        const example = [`${p}.example`, p.replace(/(\.[^./]+)$/, '.example$1')].find((e) => existsSync(e));
        gen.missing.push({ file: this.display(p), loc: item.loc, example: example ? this.display(example) : undefined });
        if (example) {
          // The committed example names the keys; their values are unknown.
          const parsed = parseEnvFile(readFileSync(example, 'utf8'), { dialect: 'kustomize' });
          const file = this.display(example);
          for (const [key, line] of parsed.lines) add({ key, value: '', loc: { file, line }, contentLoc: { file, line } });
        }
        continue;
      }
      const file = this.display(p);
      this.files.push(file);
      const parsed = parseEnvFile(readFileSync(p, 'utf8'), { dialect: 'kustomize' });
      for (const [key, value] of parsed.values) {
        const line = parsed.lines.get(key)!;
        add({ key, value, loc: { file, line }, contentLoc: { file, line } });
      }
    }
    for (const item of items(get(g, 'files'))) {
      const ref = str(item) ?? '';
      const eq = ref.indexOf('=');
      const key = eq > 0 ? ref.slice(0, eq) : basename(ref);
      const p = resolve(dir, eq > 0 ? ref.slice(eq + 1) : ref);
      if (!existsSync(p)) {
        gen.missing.push({ file: this.display(p), loc: item.loc });
        continue;
      }
      const file = this.display(p);
      this.files.push(file);
      add({ key, value: readFileSync(p, 'utf8'), loc: item.loc, contentLoc: { file, line: 1 } });
    }
    return gen;
  }
}

/** Reads every --manifests input; YAML errors and missing files are usage errors with file and line. */
export function readManifestSources(inputs: string[], cwd: string): ManifestSources {
  const reader = new Reader(cwd);
  const kustomizations: Kustomization[] = [];
  const plainObjects: SourceObject[] = [];
  for (const input of inputs) {
    const p = resolve(cwd, input);
    if (!existsSync(p)) throw usageError(`manifests path ${input} does not exist.`, 'pass an existing directory or YAML file to --manifests, or set `manifests` in devenv.yaml.');
    if (statSync(p).isDirectory()) {
      if (kustomizationFile(p)) kustomizations.push(reader.kustomization(p));
      else {
        const files = reader.yamlFilesIn(p);
        if (!files.length) throw usageError(`${input} holds no YAML files.`, 'pass the directory with the manifests (or a kustomization).');
        for (const f of files) plainObjects.push(...reader.objectsOf(f));
      }
    } else if (KUSTOMIZATION_NAMES.includes(basename(p))) kustomizations.push(reader.kustomization(dirname(p)));
    else plainObjects.push(...reader.objectsOf(p));
  }
  return { kustomizations, plainObjects, files: [...new Set(reader.files)], unsupported: reader.unsupported };
}

/** Every generator with a missing input file, across nested kustomizations. */
export function missingGeneratorFiles(k: Kustomization): Array<Generator['missing'][number] & { generator: string }> {
  return [...k.generators.flatMap((g) => g.missing.map((m) => ({ ...m, generator: g.name }))), ...k.children.flatMap(missingGeneratorFiles)];
}

