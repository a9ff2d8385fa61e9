// Answers that only change when a binary does (which Compose CLI there is,
// kubectl's client version), remembered under the devenv cache directory and
// keyed by the identity (path, size, mtime) of every file that decides them.
// Any change there (an upgrade, another PATH) is a different key, and the
// answer is asked for again.
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';

export interface BinaryIdentity {
  path: string;
  /** null: no such file (its later appearance changes the key too). */
  size: number | null;
  mtimeMs: number | null;
}

export function binaryIdentity(path: string): BinaryIdentity {
  try {
    const s = statSync(path);
    return { path, size: s.size, mtimeMs: s.mtimeMs };
  } catch {
    return { path, size: null, mtimeMs: null };
  }
}

/** The first file named `name` on PATH, or null. */
export function onPath(name: string, env: NodeJS.ProcessEnv): string | null {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const p = join(dir, name);
    try {
      if (statSync(p).isFile()) return p;
    } catch {
      /* not here */
    }
  }
  return null;
}

function sameKey(a: BinaryIdentity[], b: BinaryIdentity[]): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The cached value when the binaries are the ones it was found with (and `valid` accepts it), else null. */
export function readCachedAnswer<T>(file: string, key: BinaryIdentity[], valid: (v: unknown) => v is T): T | null {
  try {
    const entry = JSON.parse(readFileSync(file, 'utf8')) as { key?: BinaryIdentity[]; value?: unknown };
    if (!Array.isArray(entry?.key) || !sameKey(entry.key, key)) return null;
    return valid(entry.value) ? entry.value : null;
  } catch {
    return null;
  }
}

/** Written whole and renamed into place, so a concurrent run reads the old entry or the new one. */
export function writeCachedAnswer(file: string, key: BinaryIdentity[], value: unknown): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify({ key, value }, null, 2)}\n`);
    renameSync(tmp, file);
  } catch {
    /* a read-only cache only costs the next run the question */
  }
}

/** `compute` runs only when the cache has no answer for these binaries; a non-null answer is remembered. */
export async function cachedAnswer<T>(opts: { key: BinaryIdentity[]; file: string; valid: (v: unknown) => v is T; compute: () => Promise<T | null> }): Promise<T | null> {
  const hit = readCachedAnswer(opts.file, opts.key, opts.valid);
  if (hit !== null) return hit;
  const value = await opts.compute();
  if (value !== null) writeCachedAnswer(opts.file, opts.key, value);
  return value;
}
