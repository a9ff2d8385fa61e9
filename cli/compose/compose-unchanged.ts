// Whether `compose up -d` would change anything, decided the way Compose v2
// decides it: a service's container is recreated when the hash of its
// configuration (`compose config --hash '*'`, the same function Compose
// labels its containers with) or the ID of its image differs from what the
// container's labels say, and started when it is not running; containers of
// services no longer in the file are removed (--remove-orphans). When none of
// that applies, `up` has nothing to do and devenv need not pay for it (about
// 0.7 s, most of it Compose waiting on depends_on health it already has).
import type { ContainerSummary } from '../adapters/docker.ts';

export const CONFIG_HASH_LABEL = 'com.docker.compose.config-hash';
export const IMAGE_ID_LABEL = 'com.docker.compose.image';
const ONEOFF_LABEL = 'com.docker.compose.oneoff';

/** `docker compose config --hash '*'` output: one `service hash` line per service. */
export function parseServiceHashes(stdout: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const m = line.trim().split(/\s+/);
    if (m.length === 2 && /^[0-9a-f]{64}$/.test(m[1])) out.set(m[0], m[1]);
  }
  return out;
}

/**
 * Why `compose up` must run (the first reason found), or null when every
 * service has exactly one running container created from its current
 * configuration and image, and the project has no other container.
 * `imageIds`: image reference -> the local image ID now (null: not local).
 */
export function composeUpNeeded(hashes: Map<string, string>, containers: ContainerSummary[], imageIds: Map<string, string | null>): string | null {
  if (hashes.size === 0) return 'Compose printed no service hash';
  const mine = containers.filter((c) => c.labels?.[ONEOFF_LABEL] !== 'True');
  for (const [service, hash] of hashes) {
    const of = mine.filter((c) => c.service === service);
    if (of.length !== 1) return `${service} has ${of.length} containers`;
    const c = of[0];
    if (c.state !== 'running') return `${service} is ${c.state}`;
    if (c.labels?.[CONFIG_HASH_LABEL] !== hash) return `${service}'s configuration changed`;
    const now = imageIds.get(c.image);
    if (!now || c.labels?.[IMAGE_ID_LABEL] !== now) return `${service}'s image ${c.image} changed`;
  }
  const orphan = mine.find((c) => !c.service || !hashes.has(c.service));
  if (orphan) return `${orphan.service ?? orphan.name} is no longer in the Compose file`;
  return null;
}
