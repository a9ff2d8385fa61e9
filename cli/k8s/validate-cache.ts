// `devenv validate` answered from a cache when nothing it reads changed:
// the same devenv build, the same kubectl binary, the same flags, targets and
// kind config, and the same content of every file under the targets and of
// every file the render read. Rendering with kubectl is most of
// a validate run (a process start, then the schemas); an unchanged tree, the
// common case in an edit loop or a pre-commit hook, costs a walk and a hash.
// Never cached: a tree with a remote resource (kubectl fetches it), a render
// that failed (it may be kubectl's, not the tree's), a run from sources
// instead of the bundle (the code has no identity then).
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { binaryIdentity, onPath } from '../adapters/binary-cache.ts';

/** The bundle's identity: its chunk names are content hashes; the entry and the installed packages by size and mtime. */
export function codeIdentity(moduleUrl: string): string | null {
  const here = fileURLToPath(moduleUrl);
  const dist = dirname(here);
  if (basename(dist) !== 'dist') return null;
  try {
    const names = readdirSync(dist).filter((n) => n.endsWith('.js')).sort();
    const lock = binaryIdentity(join(dist, '..', 'node_modules', '.package-lock.json'));
    const entry = binaryIdentity(join(dist, 'devenv.js'));
    return createHash('sha256').update(JSON.stringify([names, entry, lock])).digest('hex');
  } catch {
    return null;
  }
}

/** What the answer depends on besides the files: the cache entry's name. */
export function validateCacheKey(opts: { code: string; cwd: string; targets: string[]; kindConfig: unknown; kubectl: boolean; env: NodeJS.ProcessEnv }): string {
  const kubectl = opts.kubectl ? onPath('kubectl', opts.env) : null;
  const parts = [opts.code, opts.cwd, opts.targets, opts.kindConfig ?? null, opts.kubectl, kubectl ? binaryIdentity(kubectl) : null];
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32);
}

const SKIP_DIRS = new Set(['node_modules', '.git']);
/** A walk past this many files gives up: such a target is not cached (`--manifests .` at a big root). */
const MAX_FILES = 5000;

function hashFile(h: ReturnType<typeof createHash>, path: string): void {
  h.update(path).update('\0');
  try {
    h.update(readFileSync(path));
  } catch {
    h.update('(absent)');
  }
  h.update('\0');
}

/** Every file under each target (a file or a directory; .git and node_modules left out): path and content, hashed; null past MAX_FILES. */
export function targetsStamp(cwd: string, targets: string[]): string | null {
  const h = createHash('sha256');
  let count = 0;
  const walk = (path: string) => {
    if (++count > MAX_FILES) return;
    let st;
    try {
      st = statSync(path);
    } catch {
      h.update(`${path}\0(absent)\0`);
      return;
    }
    if (!st.isDirectory()) return hashFile(h, path);
    for (const e of readdirSync(path, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (SKIP_DIRS.has(e.name)) continue;
      const p = join(path, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) hashFile(h, p);
    }
  };
  for (const t of targets) walk(resolve(cwd, t));
  return count > MAX_FILES ? null : h.digest('hex');
}

/** The targets' stamp (targetsStamp) and every file the render read (those outside the targets too), hashed together. */
export function inputsStamp(cwd: string, walked: string, extraFiles: string[]): string {
  const h = createHash('sha256').update(walked);
  for (const f of [...extraFiles].sort()) hashFile(h, resolve(cwd, f));
  return h.digest('hex');
}

/** Entries kept: every build of devenv and every project is its own key. */
const KEEP_ENTRIES = 64;

function pruneOldest(dir: string, keep: number): void {
  const entries = readdirSync(dir)
    .filter((n) => !n.endsWith('.tmp'))
    .map((n) => ({ path: join(dir, n), at: statSync(join(dir, n)).mtimeMs }))
    .sort((a, b) => b.at - a.at);
  for (const e of entries.slice(keep)) rmSync(e.path, { force: true });
}

interface Entry<R> {
  stamp: string;
  extraFiles: string[];
  report: R;
}

export function validateCacheFile(cacheDir: string, key: string): string {
  return join(cacheDir, 'validate', `${key}.json`);
}

/** The cached report when every input is as it was (`walked`: the targets' stamp, taken once per run), else null. */
export function readValidateCache<R>(file: string, cwd: string, walked: string): R | null {
  try {
    const entry = JSON.parse(readFileSync(file, 'utf8')) as Entry<R>;
    if (typeof entry?.stamp !== 'string' || !Array.isArray(entry.extraFiles) || entry.extraFiles.length > MAX_FILES) return null;
    return inputsStamp(cwd, walked, entry.extraFiles) === entry.stamp ? entry.report : null;
  } catch {
    return null;
  }
}

/**
 * Written whole and renamed into place; a cache that cannot be written only
 * costs the next run. `before`: the targets' stamp taken before the run
 * read them, so an edit made during the run is a different stamp next time.
 */
export function writeValidateCache<R>(file: string, cwd: string, before: string, extraFiles: string[], report: R): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    const stamp = inputsStamp(cwd, before, extraFiles);
    writeFileSync(tmp, JSON.stringify({ stamp, extraFiles, report } satisfies Entry<R>));
    renameSync(tmp, file);
    pruneOldest(dirname(file), KEEP_ENTRIES);
  } catch {
    /* read-only cache */
  }
}

/**
 * `up --k8s` checks the rendered manifests with validate's rules before it
 * applies anything; when the same build of devenv passed the same objects,
 * read from the same files, the answer is known. The marker of that pass
 * (null when there is no code identity): an empty file named by the hash.
 */
export function rulesPassedMarker(cacheDir: string, code: string | null, objects: unknown, files: string[], cwd: string): string | null {
  if (!code) return null;
  const h = createHash('sha256').update(code).update('\0').update(JSON.stringify(objects)).update('\0');
  for (const f of [...new Set(files)].sort()) hashFile(h, resolve(cwd, f));
  return join(cacheDir, 'checked', h.digest('hex').slice(0, 32));
}

/** Remembers a pass (best effort: a cache that cannot be written only costs the next run the check). */
export function markRulesPassed(marker: string): void {
  try {
    mkdirSync(dirname(marker), { recursive: true });
    writeFileSync(marker, '');
    pruneOldest(dirname(marker), KEEP_ENTRIES);
  } catch {
    /* read-only cache */
  }
}
