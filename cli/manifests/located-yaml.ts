// YAML as a tree that remembers where every value was written: the one
// YAML-with-lines reader of devenv (Compose files, manifests, kustomizations,
// accept and mapping files). Anchors and merge keys (`<<: *node`) are resolved
// here, and an inherited value keeps the line of the anchor it came from, so a
// finding about a merged healthcheck points at the healthcheck, not at the
// service that merged it. Documents that hold nothing (a `---` followed only
// by comments, a trailing `---`, an empty file) are skipped, as kubectl does.
import { isAlias, isCollection, isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node as YamlNode } from 'yaml';
import { usageError } from '../errors.ts';
import { timed } from '../timing.ts';
import { parseBlockYaml } from './block-yaml.ts';
import type { FieldPath, LMap, LNode, LScalar } from './located-node.ts';
import type { Location as Loc } from '../errors.ts';

export type { FieldPath, InterpolatedVar, LMap, LNode, LScalar, LSeq } from './located-node.ts';

class Builder {
  // yaml's Alias.resolve walks the whole document per alias; one walk here
  // keeps a file with hundreds of `<<: *node` linear.
  private readonly anchors = new Map<string, Array<{ offset: number; node: unknown }>>();

  constructor(
    doc: Document.Parsed,
    private readonly lc: LineCounter,
    private readonly file: string,
  ) {
    const walk = (n: unknown) => {
      if (isPair(n)) {
        walk(n.key);
        walk(n.value);
        return;
      }
      if (!n || isAlias(n)) return;
      const node = n as YamlNode;
      if ((node as { anchor?: string }).anchor) {
        const name = (node as { anchor?: string }).anchor!;
        if (!this.anchors.has(name)) this.anchors.set(name, []);
        this.anchors.get(name)!.push({ offset: node.range?.[0] ?? 0, node });
      }
      if (isCollection(node)) for (const i of node.items) walk(i);
    };
    walk(doc.contents);
  }

  private resolveAlias(source: string, offset: number): unknown {
    const list = this.anchors.get(source) ?? [];
    let found: unknown;
    for (const a of list) if (a.offset < offset) found = a.node;
    return found;
  }

  loc(node: { range?: [number, number, number] | null } | null | undefined): Loc {
    const line = node?.range ? this.lc.linePos(node.range[0]).line : undefined;
    return { file: this.file, line };
  }

  build(node: unknown, fallback: Loc, depth = 0): LNode {
    if (depth > 200) throw usageError('YAML nesting is too deep (an alias cycle?).', 'remove the recursive anchor.', fallback);
    if (isAlias(node)) {
      const target = this.resolveAlias(node.source, node.range?.[0] ?? Number.MAX_SAFE_INTEGER);
      if (!target) throw usageError(`unknown YAML alias *${node.source}.`, `define the anchor &${node.source} before using it.`, this.loc(node));
      return this.build(target, fallback, depth + 1);
    }
    if (isMap(node)) {
      const out: LMap = { kind: 'map', entries: new Map(), keyLocs: new Map(), loc: this.loc(node) };
      const merged: Array<[string, LNode, Loc]> = [];
      for (const pair of node.items) {
        const keyNode = pair.key as YamlNode | null;
        const key = isScalar(keyNode) ? String(keyNode.value) : String(keyNode ?? '');
        const keyLoc = this.loc(keyNode as any);
        if (key === '<<' && !(isScalar(keyNode) && keyNode.type !== 'PLAIN')) {
          for (const [k, v, l] of this.mergeSources(pair.value, keyLoc, depth)) merged.push([k, v, l]);
          continue;
        }
        const value = pair.value === null || pair.value === undefined ? this.nullAt(keyLoc) : this.build(pair.value, keyLoc, depth + 1);
        out.entries.set(key, value);
        out.keyLocs.set(key, keyLoc);
      }
      // Explicit keys win over merged ones; earlier merge sources win over later ones.
      for (const [k, v, l] of merged) {
        if (!out.entries.has(k)) {
          out.entries.set(k, v);
          out.keyLocs.set(k, l);
        }
      }
      return out;
    }
    if (isSeq(node)) {
      return { kind: 'seq', items: node.items.map((i) => (i === null ? this.nullAt(this.loc(node)) : this.build(i, this.loc(node), depth + 1))), loc: this.loc(node) };
    }
    if (isScalar(node)) {
      const loc = this.loc(node);
      const block = node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED';
      const v = node.value;
      const value = v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : typeof v === 'bigint' ? Number(v) : String(v);
      return { kind: 'scalar', value, loc, contentLine: (loc.line ?? 1) + (block ? 1 : 0), tag: node.tag };
    }
    return this.nullAt(fallback);
  }

  private nullAt(loc: Loc): LScalar {
    return { kind: 'scalar', value: null, loc, contentLine: loc.line ?? 1 };
  }

  private mergeSources(value: unknown, keyLoc: Loc, depth: number): Array<[string, LNode, Loc]> {
    const sources = isSeq(value) ? value.items : [value];
    const out: Array<[string, LNode, Loc]> = [];
    for (const s of sources) {
      const built = this.build(s, keyLoc, depth + 1);
      if (built.kind !== 'map') throw usageError('a merge key (<<) must point at a mapping.', 'merge an anchored mapping, e.g. `<<: *defaults`.', built.loc);
      for (const [k, v] of built.entries) if (!out.some(([ek]) => ek === k)) out.push([k, v, built.keyLocs.get(k) ?? v.loc]);
    }
    return out;
  }
}

/** Every document of a (multi-document) YAML text; a syntax error is a usage error with its line. */
export function parseLocatedYaml(text: string, file: string, opts: { version?: '1.1' | '1.2' } = {}): LNode[] {
  // Most files are plain block YAML: read fast; the rest (and every error) by the general parser.
  return timed('parse', () => parseBlockYaml(text, file, opts.version ?? '1.2') ?? parseWithYaml(text, file, opts));
}

/** The general parser (yaml): every document, a syntax error as a usage error with its line. */
export function parseWithYaml(text: string, file: string, opts: { version?: '1.1' | '1.2' } = {}): LNode[] {
  const lc = new LineCounter();
  // Manifests are read as YAML 1.1, as kubectl reads them (an unquoted `yes` is a boolean there).
  const docs = parseAllDocuments(text, { lineCounter: lc, uniqueKeys: true, prettyErrors: false, merge: false, version: opts.version ?? '1.2' });
  const list = Array.isArray(docs) ? docs : [];
  const out: LNode[] = [];
  for (const doc of list) {
    const err = doc.errors[0];
    if (err) {
      const line = err.linePos?.[0]?.line ?? lc.linePos(err.pos[0]).line;
      throw usageError(`invalid YAML: ${err.message.split('\n')[0]}`, 'fix the YAML syntax at that line.', { file, line });
    }
    // Nothing in it (only comments, a trailing `---`, `~`): kubectl skips such documents.
    if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) continue;
    out.push(new Builder(doc, lc, file).build(doc.contents, { file, line: 1 }));
  }
  return out;
}

// ---- small accessors, so loaders read like the format they read ----

export function get(node: LNode | undefined, key: string): LNode | undefined {
  return node?.kind === 'map' ? node.entries.get(key) : undefined;
}

export function getPath(node: LNode | undefined, ...keys: string[]): LNode | undefined {
  let n = node;
  for (const k of keys) n = get(n, k);
  return n;
}

export function str(node: LNode | undefined): string | undefined {
  if (node?.kind !== 'scalar' || node.value === null) return undefined;
  return String(node.value);
}

export function num(node: LNode | undefined): number | undefined {
  if (node?.kind !== 'scalar' || node.value === null || node.value === '') return undefined;
  const n = Number(node.value);
  return Number.isFinite(n) ? n : undefined;
}

export function bool(node: LNode | undefined): boolean | undefined {
  if (node?.kind !== 'scalar') return undefined;
  if (typeof node.value === 'boolean') return node.value;
  if (node.value === 'true') return true;
  if (node.value === 'false') return false;
  return undefined;
}

export function items(node: LNode | undefined): LNode[] {
  return node?.kind === 'seq' ? node.items : [];
}

export function entries(node: LNode | undefined): Array<[string, LNode, Loc]> {
  if (node?.kind !== 'map') return [];
  return [...node.entries].map(([k, v]) => [k, v, node.keyLocs.get(k) ?? v.loc]);
}

export function keyLoc(node: LNode | undefined, key: string): Loc | undefined {
  return node?.kind === 'map' ? node.keyLocs.get(key) : undefined;
}

/** Plain JavaScript value (for parts compared as data, like labels). */
export function toPlain(node: LNode | undefined): unknown {
  if (!node) return undefined;
  if (node.kind === 'scalar') return node.value;
  if (node.kind === 'seq') return node.items.map(toPlain);
  return Object.fromEntries([...node.entries].map(([k, v]) => [k, toPlain(v)]));
}

/** Where the deepest field of `path` that exists was written (its key for a map entry, its first key for a list item). */
export function locOf(node: LNode, path: FieldPath): Loc {
  let n: LNode | undefined = node;
  let found: Loc = node.loc;
  for (const seg of path) {
    if (n?.kind === 'map' && typeof seg === 'string' && n.entries.has(seg)) {
      found = n.keyLocs.get(seg) ?? found;
      n = n.entries.get(seg);
      // A value set elsewhere (a kustomization's `images:`) is where it was written, not where its key was.
      if (n?.kind === 'scalar' && n.loc.line && n.loc.file !== found.file) found = n.loc;
    } else if (n?.kind === 'seq' && typeof seg === 'number' && n.items[seg]) {
      n = n.items[seg];
      found = n.loc.line ? n.loc : found;
    } else break;
  }
  return found;
}

/** A located tree for plain data (a generated or computed value): every node at `loc`. */
export function fromPlain(value: unknown, loc: Loc): LNode {
  if (Array.isArray(value)) return { kind: 'seq', loc, items: value.map((v) => fromPlain(v, loc)) };
  if (value && typeof value === 'object') {
    const m: LMap = { kind: 'map', entries: new Map(), keyLocs: new Map(), loc };
    for (const [k, v] of Object.entries(value)) {
      m.entries.set(k, fromPlain(v, loc));
      m.keyLocs.set(k, loc);
    }
    return m;
  }
  const v = value === undefined ? null : (value as string | number | boolean | null);
  return { kind: 'scalar', value: v, loc, contentLine: loc.line ?? 1 };
}
