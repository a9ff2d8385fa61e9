// The configuration files a service reads from the host (Compose bind mounts,
// configs and secrets with a `file:`; Kubernetes generator `files:`), checked
// before anything starts and hashed so that a change can restart exactly the
// services that read it. Neither Compose nor `kubectl apply` notices a changed
// file by itself: Compose does not track bind-mounted files, and a ConfigMap
// generated without a name suffix keeps its name. Pure: texts in, verdicts out.
import { createHash } from 'node:crypto';
import { DevenvError, ExitCode } from '../errors.ts';
import { parseConfig } from './config-content.ts';
import type { Topology } from './model.ts';

export interface MountedConfigFile {
  /** Who reads it: a Compose service, or a Kubernetes generator (`ConfigMap rate-limit-settings`). */
  usedBy: string;
  /** Where it lands: the container path, or the ConfigMap/Secret key. */
  target: string;
  /** The host file as shown to the user (relative to the working directory). */
  file: string;
  /** The line of `file` holding the text's first line (1 for a whole file). */
  firstLine: number;
  /** Null when the file could not be read (missing, or too large to be configuration). */
  text: string | null;
}

/** Every file a Compose service reads from the host, per service, in file order. */
export function composeMountedConfigFiles(topology: Topology): MountedConfigFile[] {
  const out: MountedConfigFile[] = [];
  for (const w of topology.workloads) {
    for (const m of w.storage) {
      if (m.kind !== 'config') continue;
      for (const f of m.files ?? []) {
        // An inline `content:` config lives in the Compose file, which Compose itself tracks.
        if (f.content.origin === `configs.${m.source}` || f.content.origin === `secrets.${m.source}`) continue;
        out.push({ usedBy: w.name, target: f.path, file: f.content.firstLine.file, firstLine: 1, text: f.content.text });
      }
    }
  }
  return out;
}

/**
 * The first mounted file that does not parse as what its extension says
 * (TOML, JSON, YAML), as the one error `up` stops with (exit 2, at the file
 * and line); null when every file parses. Files of other types are not
 * checked: nothing says what they should be.
 */
export function configSyntaxError(files: MountedConfigFile[]): DevenvError | null {
  for (const f of files) {
    if (f.text === null) continue;
    const parsed = parseConfig(f.file, f.text);
    if (!('error' in parsed)) continue;
    const line = f.firstLine + parsed.line - 1;
    const format = parsed.format.toUpperCase();
    const readers = [...new Set(files.filter((x) => x.file === f.file).map((x) => `${x.usedBy} (${x.target})`))].join(', ');
    return new DevenvError(`${f.file} is not valid ${format}: ${parsed.error}. It is mounted into ${readers}; nothing was created or restarted.`, {
      exitCode: ExitCode.usage,
      location: { file: f.file, line, column: parsed.column },
      hint: `correct the ${format} at line ${line}${parsed.column ? `, column ${parsed.column}` : ''} of ${f.file} (a missing quote, bracket or \`=\` is the usual cause), then run the command again; what is running keeps the previous file.`,
    });
  }
  return null;
}

/** The content hash of one file (short: it is compared and shown, never trusted as a secret). */
export function fileContentHash(text: string | null): string {
  return text === null ? 'unreadable' : createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/** Per reader (service or generator), each file it reads and that file's content hash. */
export function configHashesByReader(files: MountedConfigFile[]): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>();
  for (const f of files) {
    const entry = out.get(f.usedBy) ?? {};
    entry[f.file] = fileContentHash(f.text);
    out.set(f.usedBy, entry);
  }
  return out;
}
