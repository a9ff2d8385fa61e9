// Hosts whose Docker cannot start privileged containers: the host's init
// dropped a capability (CAP_SYS_RESOURCE) from every bounding set, and
// `docker run --privileged` asks for all of them, so runc fails with "unable
// to apply caps: operation not permitted". kind always runs its node
// containers privileged. For kind's commands only, devenv puts a `docker`
// shim first on PATH that turns --privileged into every capability but that
// one (plus what --privileged also grants: unmasked /proc and /sys, every
// device), and drops it from `docker exec` (the process gets the container's
// capabilities anyway). Everything else passes through untouched; nothing
// else devenv runs sees the shim.
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { DockerEngine } from './docker.ts';

/** What --privileged becomes on `docker run` / `docker create`. */
export const PRIVILEGED_REPLACEMENT = [
  '--cap-add=ALL',
  '--cap-drop=SYS_RESOURCE',
  '--security-opt',
  'systempaths=unconfined',
  '--security-opt',
  'label=disable',
  '--device-cgroup-rule=a *:* rwm',
  '--device=/dev/kmsg',
];

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export const KIND_DOCKER_SHIM = `#!/usr/bin/env bash
# Written by devenv for kind only (see cli/adapters/kind-docker-shim.ts): this
# host's Docker cannot start --privileged containers.
set -u
PRIV_FLAGS=(${PRIVILEGED_REPLACEMENT.map(quote).join(' ')})
self_dir="$(cd "$(dirname "\${BASH_SOURCE[0]}")" && pwd)"
real="\${DEVENV_REAL_DOCKER:-}"
if [[ -z "$real" ]]; then
  IFS=: read -ra dirs <<<"$PATH"
  for d in "\${dirs[@]}"; do [[ "$d" != "$self_dir" && -x "$d/docker" ]] && { real="$d/docker"; break; }; done
fi
[[ -n "$real" ]] || { echo "devenv kind docker shim: no docker on PATH" >&2; exit 127; }
# The subcommand: the first argument that is neither a global flag nor its value.
sub=""; skip=0
for a in "$@"; do
  if (( skip )); then skip=0; continue; fi
  case $a in
    --config|--context|-c|-H|--host|-l|--log-level|--tlscacert|--tlscert|--tlskey) skip=1 ;;
    -*) ;;
    *) sub=$a; break ;;
  esac
done
case $sub in
  run|create|exec)
    out=()
    for a in "$@"; do
      if [[ $a == --privileged || $a == --privileged=true ]]; then
        [[ $sub == exec ]] || out+=("\${PRIV_FLAGS[@]}")
      else out+=("$a"); fi
    done
    exec "$real" "\${out[@]}" ;;
  *) exec "$real" "$@" ;;
esac
`;

/** Writes the shim (once per content) under the cache dir; returns the directory to put first on PATH. */
export function ensureKindDockerShim(cacheDir: string): string {
  const hash = createHash('sha256').update(KIND_DOCKER_SHIM).digest('hex').slice(0, 12);
  const dir = join(cacheDir, 'kind-docker-shim', hash);
  const file = join(dir, 'docker');
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, KIND_DOCKER_SHIM);
    chmodSync(tmp, 0o755);
    renameSync(tmp, file);
  }
  return dir;
}

/** The environment kind runs with when the shim applies: PATH with the shim first. */
export function kindShimEnv(shimDir: string, env: NodeJS.ProcessEnv): Record<string, string> {
  return { PATH: [shimDir, env.PATH ?? ''].filter(Boolean).join(delimiter) };
}

export type PrivilegedProbe =
  | { verdict: 'ok'; image: string }
  | { verdict: 'blocked'; image: string; detail: string }
  | { verdict: 'unknown'; image: string | null; detail: string };

/** runc's words when the capability set of --privileged cannot be applied. */
const CAPS_BLOCKED = /unable to apply caps|apply caps: operation not permitted/i;

/** Reads the probe's outcome: the daemon's error text is the only signal Docker gives. */
export function classifyPrivilegedStart(image: string, error: string | null): PrivilegedProbe {
  if (error === null) return { verdict: 'ok', image };
  if (CAPS_BLOCKED.test(error)) return { verdict: 'blocked', image, detail: error.trim().split('\n').pop()!.slice(-200) };
  return { verdict: 'unknown', image, detail: error.trim().split('\n').pop()!.slice(-200) };
}

/** The one sentence doctor and the preflight say when the probe finds the blocker. */
export const PRIVILEGED_BLOCKED_SENTENCE =
  'This Docker host cannot start privileged containers (its init dropped a capability, CAP_SYS_RESOURCE, from every bounding set), so devenv runs kind through a docker shim that grants every capability but that one; nothing else changes.';

/**
 * Starts a tiny --privileged container (of PREFERRED when the local Docker has
 * it, else of the smallest local image) and says whether kind's node
 * containers can start here as kind starts them.
 */
export async function probePrivilegedContainers(docker: DockerEngine, preferred: string | null): Promise<PrivilegedProbe> {
  const image = preferred && (await docker.imageId(preferred)) ? preferred : await docker.smallestLocalImage();
  if (!image) return { verdict: 'unknown', image: null, detail: 'no local image to start a probe container from' };
  return classifyPrivilegedStart(image, await docker.privilegedStartError(image));
}
