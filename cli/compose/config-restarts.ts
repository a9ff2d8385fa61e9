// Which Compose services to restart after `compose up -d` because a file they
// bind-mount changed. Compose recreates a container when its configuration
// changes but never looks inside a bind-mounted file, so devenv remembers the
// content hash of each file per container (a state file under .devenv/, keyed
// by container ID: a recreated container starts a new record). Pure: the
// hashes, the containers and the remembered state in, the restarts and the
// state to remember out.

/** What devenv remembers: per container ID, its service and the hash of each file it mounts. */
export interface ConfigHashState {
  containers: Record<string, { service: string; files: Record<string, string> }>;
}

export interface ServiceConfigFiles {
  service: string;
  /** Host file (as shown) -> content hash now. */
  files: Record<string, string>;
  /** Host file -> last modification (ms since the epoch): for containers started before devenv kept a record. */
  modifiedMs: Record<string, number>;
}

export interface RunningContainer {
  id: string;
  service: string;
  /** When its current run started (ms since the epoch). */
  startedMs: number;
}

export interface ConfigRestart {
  service: string;
  /** The mounted files that changed since the service's container started. */
  files: string[];
  /** One line for the user: which files, and how devenv knows. */
  reason: string;
}

export function emptyConfigHashState(): ConfigHashState {
  return { containers: {} };
}

/** A state file as read from disk, or an empty state when it is not one (devenv rewrites it). */
export function parseConfigHashState(text: string | null): ConfigHashState {
  if (text === null) return emptyConfigHashState();
  try {
    const data = JSON.parse(text) as Partial<ConfigHashState>;
    return data && typeof data.containers === 'object' && data.containers !== null ? { containers: data.containers } : emptyConfigHashState();
  } catch {
    return emptyConfigHashState();
  }
}

/**
 * The services to restart, each once, in the order given, and the state to
 * remember (only the containers running now, each with today's hashes).
 * A container devenv has a record of is restarted when a file's hash differs
 * from the record; one it has none of (started by an older devenv, or by
 * hand) when a file was modified after the container started.
 */
export function planConfigRestarts(services: ServiceConfigFiles[], containers: RunningContainer[], state: ConfigHashState): { restarts: ConfigRestart[]; next: ConfigHashState } {
  const next = emptyConfigHashState();
  const restarts: ConfigRestart[] = [];
  for (const s of services) {
    const changed = new Set<string>();
    let how = '';
    for (const c of containers.filter((x) => x.service === s.service)) {
      const record = state.containers[c.id];
      for (const [file, hash] of Object.entries(s.files)) {
        if (record) {
          if (record.files[file] !== hash) {
            changed.add(file);
            how ||= 'its content differs from what the running container started with';
          }
        } else if ((s.modifiedMs[file] ?? 0) > c.startedMs) {
          changed.add(file);
          how ||= 'it was modified after the running container started';
        }
      }
      next.containers[c.id] = { service: s.service, files: { ...s.files } };
    }
    if (changed.size) {
      const files = [...changed];
      restarts.push({ service: s.service, files, reason: `${files.join(', ')} changed (${how})` });
    }
  }
  return { restarts, next };
}
