// `kubectl kustomize` prints objects with their keys sorted and references
// rewritten, so its output's line numbers mean nothing to the reader. This maps
// each rendered value back to the same path in the object as written: list
// items by their `name` (or mountPath, containerPort, key) rather than index,
// since patches may insert; a value the sources do not have (added by a
// transformer) takes its nearest written ancestor's line.
import type { LMap, LNode, LSeq } from './located-yaml.ts';
import type { Location as Loc } from '../errors.ts';

const ITEM_KEYS = ['name', 'mountPath', 'containerPort', 'key', 'path', 'port'];

function itemId(node: LNode): string | undefined {
  if (node.kind !== 'map') return undefined;
  for (const k of ITEM_KEYS) {
    const v = node.entries.get(k);
    if (v?.kind === 'scalar' && v.value !== null) return `${k}=${String(v.value)}`;
  }
  return undefined;
}

function matchItem(item: LNode, index: number, source: LSeq | undefined): LNode | undefined {
  if (!source) return undefined;
  const id = itemId(item);
  if (id !== undefined) return source.items.find((s) => itemId(s) === id);
  return source.items[index];
}

export function relocate(rendered: LNode, source: LNode | undefined, fallback: Loc): LNode {
  const loc = source?.loc.line ? source.loc : fallback;
  if (rendered.kind === 'scalar') {
    const same = source?.kind === 'scalar';
    return { ...rendered, loc, contentLine: same ? source.contentLine : (loc.line ?? 1) };
  }
  if (rendered.kind === 'seq') {
    const src = source?.kind === 'seq' ? source : undefined;
    return { kind: 'seq', loc, items: rendered.items.map((item, i) => relocate(item, matchItem(item, i, src), loc)) };
  }
  const src = source?.kind === 'map' ? (source as LMap) : undefined;
  const out: LMap = { kind: 'map', entries: new Map(), keyLocs: new Map(), loc };
  for (const [k, v] of rendered.entries) {
    const keyLoc = src?.keyLocs.get(k) ?? loc;
    out.entries.set(k, relocate(v, src?.entries.get(k), keyLoc));
    out.keyLocs.set(k, keyLoc);
  }
  return out;
}
