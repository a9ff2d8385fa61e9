// `docker compose -f a.yml -f b.yml`: later files override earlier ones, by the
// Compose Specification's merge rules. Mappings merge key by key; environment,
// labels and depends_on merge by key whatever their syntax; ports and expose
// append; volumes merge by container path; command, entrypoint and anything
// scalar are replaced.
import type { LMap, LNode, LScalar } from '../../manifests/located-yaml.ts';

const KEYED_LISTS = new Set(['environment', 'labels', 'extra_hosts', 'sysctls', 'annotations']);
const APPENDED = new Set(['ports', 'expose', 'dns', 'dns_search', 'env_file', 'cap_add', 'cap_drop', 'devices', 'security_opt', 'tmpfs', 'configs', 'secrets', 'profiles', 'external_links', 'links']);
const REPLACED = new Set(['command', 'entrypoint', 'test']);

/** A list of "K=V" (or "K") entries as a mapping; a mapping is returned as is. */
export function keyedListToMap(node: LNode): LNode {
  if (node.kind !== 'seq') return node;
  const out: LMap = { kind: 'map', entries: new Map(), keyLocs: new Map(), loc: node.loc };
  for (const item of node.items) {
    if (item.kind !== 'scalar' || item.value === null) continue;
    const text = String(item.value);
    const eq = text.indexOf('=');
    const key = eq < 0 ? text : text.slice(0, eq);
    const value: LScalar = { kind: 'scalar', value: eq < 0 ? null : text.slice(eq + 1), loc: item.loc, contentLine: item.contentLine };
    const i = item.interpolation;
    // `- KEY=${VAR}`: the key was written before the `=`, the value after it.
    if (i && eq >= 0) value.interpolation = { ...i, raw: i.raw.slice(i.raw.indexOf('=') + 1) };
    out.entries.set(key, value);
    out.keyLocs.set(key, item.loc);
  }
  return out;
}

export function dependsOnToMap(node: LNode): LNode {
  if (node.kind !== 'seq') return node;
  const out: LMap = { kind: 'map', entries: new Map(), keyLocs: new Map(), loc: node.loc };
  for (const item of node.items) {
    if (item.kind !== 'scalar' || item.value === null) continue;
    const cond: LMap = { kind: 'map', entries: new Map(), keyLocs: new Map(), loc: item.loc };
    cond.entries.set('condition', { kind: 'scalar', value: 'service_started', loc: item.loc, contentLine: item.contentLine });
    cond.keyLocs.set('condition', item.loc);
    out.entries.set(String(item.value), cond);
    out.keyLocs.set(String(item.value), item.loc);
  }
  return out;
}

function volumeTarget(item: LNode): string | undefined {
  if (item.kind === 'map') {
    const t = item.entries.get('target');
    return t?.kind === 'scalar' && t.value !== null ? String(t.value) : undefined;
  }
  if (item.kind === 'scalar' && item.value !== null) {
    const parts = String(item.value).split(':');
    return parts.length === 1 ? parts[0] : parts[1];
  }
  return undefined;
}

function mergeMaps(base: LMap, over: LMap, path: string[]): LMap {
  const out: LMap = { kind: 'map', entries: new Map(base.entries), keyLocs: new Map(base.keyLocs), loc: base.loc };
  for (const [key, value] of over.entries) {
    const prev = out.entries.get(key);
    out.entries.set(key, prev ? mergeNode(prev, value, [...path, key]) : value);
    out.keyLocs.set(key, over.keyLocs.get(key) ?? value.loc);
  }
  return out;
}

function mergeNode(base: LNode, over: LNode, path: string[]): LNode {
  const key = path[path.length - 1];
  const inService = path[0] === 'services' && path.length === 3;
  if (inService && KEYED_LISTS.has(key)) {
    const a = keyedListToMap(base);
    const b = keyedListToMap(over);
    if (a.kind === 'map' && b.kind === 'map') return mergeMaps(a, b, path);
    return over;
  }
  if (inService && key === 'depends_on') {
    const a = dependsOnToMap(base);
    const b = dependsOnToMap(over);
    if (a.kind === 'map' && b.kind === 'map') return mergeMaps(a, b, path);
    return over;
  }
  if (inService && key === 'volumes' && base.kind === 'seq' && over.kind === 'seq') {
    const byTarget = new Map<string, LNode>();
    const loose: LNode[] = [];
    for (const item of [...base.items, ...over.items]) {
      const t = volumeTarget(item);
      if (t === undefined) loose.push(item);
      else byTarget.set(t, item);
    }
    return { kind: 'seq', items: [...byTarget.values(), ...loose], loc: over.loc };
  }
  if (inService && APPENDED.has(key) && base.kind === 'seq' && over.kind === 'seq') {
    const seen = new Set(base.items.map((i) => JSON.stringify(i.kind === 'scalar' ? i.value : null)));
    const extra = over.items.filter((i) => i.kind !== 'scalar' || !seen.has(JSON.stringify(i.value)));
    return { kind: 'seq', items: [...base.items, ...extra], loc: over.loc };
  }
  if (REPLACED.has(key)) return over;
  if (base.kind === 'map' && over.kind === 'map') return mergeMaps(base, over, path);
  return over;
}

/** Merges Compose documents in order, like repeated `-f` flags. */
export function mergeComposeFiles(docs: LMap[]): LMap {
  let out = docs[0];
  for (const next of docs.slice(1)) out = mergeMaps(out, next, []);
  return out;
}
