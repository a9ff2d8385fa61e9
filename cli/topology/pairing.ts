// Which Compose service runs as which Kubernetes workload. In order: an
// explicit mapping file; the naming convention (`miner_1`, `miner_2` ->
// StatefulSet `miner` ordinals 0 and 1; `redis` -> `redis`, `_` read as `-`);
// then the same image repository and a shared container port. What stays
// unpaired on either side is reported by the pairing rule.
import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { usageError } from '../errors.ts';
import { entries, parseLocatedYaml, str } from '../manifests/located-yaml.ts';
import { parseImageRef } from '../manifests/image-ref.ts';
import type { Loc, Workload } from './model.ts';

export interface Pair {
  compose: Workload;
  workload: Workload;
  /** The StatefulSet ordinal this Compose service is; null when it stands for the whole workload. */
  ordinal: number | null;
  via: 'mapping' | 'convention' | 'image' | 'sidecar';
  mappingLoc?: Loc;
}

export interface Pairing {
  pairs: Pair[];
  unpairedCompose: Workload[];
  unpairedKubernetes: Workload[];
}

export interface MappingEntry {
  compose: string;
  workload: string;
  kind?: string;
  ordinal: number | null;
  loc: Loc;
}

/**
 * Mapping file: one line per Compose service, `compose-service: [Kind/]workload[#ordinal]`,
 * e.g. `miner_1: StatefulSet/miner#0`, `redis: redis`.
 */
export function readMappingFile(path: string, cwd: string): MappingEntry[] {
  const file = relative(cwd, path) || path;
  if (!existsSync(path)) throw usageError(`mapping file ${file} does not exist.`, 'pass an existing file to --mapping.');
  const doc = parseLocatedYaml(readFileSync(path, 'utf8'), file)[0];
  if (!doc) return [];
  if (doc.kind !== 'map') throw usageError('the mapping file must be a mapping of Compose service to workload.', 'write lines like `miner_1: StatefulSet/miner#0`.', doc.loc);
  return entries(doc).map(([compose, v, loc]) => {
    const text = str(v);
    const m = text ? /^(?:([A-Za-z]+)\/)?([a-z0-9]([-a-z0-9.]*[a-z0-9])?)(?:#(\d+))?$/.exec(text.trim()) : null;
    if (!m) throw usageError(`mapping of \`${compose}\` must be "[Kind/]workload[#ordinal]", not ${JSON.stringify(text ?? null)}.`, 'e.g. `miner_1: StatefulSet/miner#0` or `redis: redis`.', v.loc.line ? v.loc : loc);
    return { compose, kind: m[1], workload: m[2], ordinal: m[4] === undefined ? null : Number(m[4]), loc };
  });
}

const dns = (s: string) => s.toLowerCase().replace(/_/g, '-');

const repository = (image: string) => parseImageRef(image).canonical;

/**
 * `sidecars` are the second containers of workload pods (`api/proxy`): a
 * Compose service that is not a workload of its own pairs with the container
 * of the same name, or else of the same image repository (via `sidecar`).
 */
export function pairServices(compose: Workload[], kubernetes: Workload[], mapping: MappingEntry[] | null, sidecars: Workload[] = []): Pairing {
  const pairs: Pair[] = [];
  const taken = new Set<Workload>();
  const usedOrdinals = new Map<Workload, Set<number | null>>();
  const add = (c: Workload, w: Workload, ordinal: number | null, via: Pair['via'], mappingLoc?: Loc) => {
    pairs.push({ compose: c, workload: w, ordinal, via, mappingLoc });
    taken.add(c);
    usedOrdinals.set(w, (usedOrdinals.get(w) ?? new Set()).add(ordinal));
  };

  for (const m of mapping ?? []) {
    const c = compose.find((s) => s.name === m.compose);
    if (!c) throw usageError(`the mapping names Compose service \`${m.compose}\`, which the Compose files do not define.`, `remove the line or fix the name; services: ${compose.map((s) => s.name).join(', ')}.`, m.loc);
    const w = kubernetes.find((k) => k.name === m.workload && (!m.kind || k.kind === m.kind));
    if (!w) throw usageError(`the mapping names workload ${m.kind ? `${m.kind}/` : ''}${m.workload}, which the manifests do not define.`, `workloads: ${kubernetes.map((k) => `${k.kind}/${k.name}`).join(', ')}.`, m.loc);
    add(c, w, m.ordinal, 'mapping', m.loc);
  }

  // Convention: an instance suffix names the ordinal; a bare name pairs with the same name.
  for (const c of compose) {
    if (taken.has(c)) continue;
    const exact = kubernetes.find((k) => dns(k.name) === dns(c.name));
    if (exact) {
      add(c, exact, null, 'convention');
      continue;
    }
    const m = /^(.+?)[_-](\d+)$/.exec(c.name);
    if (!m || Number(m[2]) < 1) continue;
    const w = kubernetes.find((k) => dns(k.name) === dns(m[1]));
    const ordinal = Number(m[2]) - 1;
    if (w && !usedOrdinals.get(w)?.has(ordinal)) add(c, w, ordinal, 'convention');
  }

  // Same image repository and at least one common container port, when that is unambiguous.
  for (const c of compose) {
    if (taken.has(c) || !c.image.value) continue;
    const candidates = kubernetes.filter((k) => repository(k.image.value) === repository(c.image.value) && (c.ports.length === 0 || c.ports.some((p) => k.ports.some((q) => q.port === p.port))));
    const free = candidates.filter((k) => !usedOrdinals.has(k));
    const pick = free.length === 1 ? free[0] : candidates.length === 1 ? candidates[0] : undefined;
    if (pick && !usedOrdinals.get(pick)?.has(null)) add(c, pick, null, 'image');
  }

  // A service that became a second container of a pod: by container name, else by image.
  for (const c of compose) {
    if (taken.has(c)) continue;
    const byName = sidecars.filter((k) => dns(k.sidecarOf!.container) === dns(c.name));
    const byImage = sidecars.filter((k) => c.image.value && repository(k.image.value) === repository(c.image.value) && !usedOrdinals.has(k));
    const pick = byName.length === 1 ? byName[0] : byImage.length === 1 ? byImage[0] : undefined;
    if (pick && !usedOrdinals.has(pick)) add(c, pick, null, 'sidecar');
  }

  // Several Compose services on one workload without ordinals: number them in Compose order.
  for (const w of kubernetes) {
    const ps = pairs.filter((p) => p.workload === w);
    if (ps.length > 1 && ps.some((p) => p.ordinal === null)) {
      const used = new Set(ps.map((p) => p.ordinal).filter((o): o is number => o !== null));
      let next = 0;
      for (const p of ps) {
        if (p.ordinal !== null) continue;
        while (used.has(next)) next++;
        p.ordinal = next;
        used.add(next);
      }
    }
  }

  const pairedK8s = new Set(pairs.map((p) => p.workload));
  return {
    pairs,
    unpairedCompose: compose.filter((c) => !taken.has(c)),
    unpairedKubernetes: kubernetes.filter((k) => !pairedK8s.has(k)),
  };
}
