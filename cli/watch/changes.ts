// What a burst of file changes means for `devenv up --watch` (pure): which
// files are watched, and per batch which path to take. The node's sources
// take the fast path (new bundle into the running nodes); the Dockerfile,
// .dockerignore and the package files take the full path (new image,
// recreate the node containers or roll the pods); the Compose file or the
// manifests re-apply only what changed.
import { dirname, join, relative, sep } from 'node:path';

export interface WatchLayout {
  /** The image's build context (the node's sources live under it). */
  contextDir: string;
  /** Files whose change needs a new image: Dockerfile, .dockerignore, package.json and lock files. */
  imageFiles: string[];
  /** The Compose file (Compose) or the manifests directory (Kubernetes). */
  composeFile?: string;
  manifestsDir?: string;
}

export type ChangeKind = 'source' | 'image' | 'compose' | 'manifests' | 'ignored';

/** Directories no change under which means anything: build output and dependencies. */
const IGNORED_DIRS = ['dist', 'node_modules', '.git'];

const isUnder = (path: string, dir: string) => path === dir || path.startsWith(dir.endsWith(sep) ? dir : dir + sep);

export function classifyChange(path: string, layout: WatchLayout): ChangeKind {
  if (layout.imageFiles.includes(path)) return 'image';
  if (layout.composeFile && path === layout.composeFile) return 'compose';
  if (layout.manifestsDir && isUnder(path, layout.manifestsDir)) {
    // Editors' swap and backup files are not manifests.
    return /\.(ya?ml|env|toml)$/.test(path) ? 'manifests' : 'ignored';
  }
  if (isUnder(path, layout.contextDir)) {
    const rel = relative(layout.contextDir, path).split(sep);
    if (rel.some((part) => IGNORED_DIRS.includes(part))) return 'ignored';
    const base = rel[rel.length - 1];
    if (base.startsWith('.') || base.endsWith('~') || /\.sw[a-p]$/.test(base)) return 'ignored';
    // What the bundle is made of (an editor's or sed's temporary files are not).
    return /\.(ts|mts|cts|js|mjs|cjs|json)$/.test(base) ? 'source' : 'ignored';
  }
  return 'ignored';
}

export interface ChangeBatch {
  /** The changed paths that matter, by kind. */
  source: string[];
  image: string[];
  compose: string[];
  manifests: string[];
  /** Node code: 'full' (new image) wins over 'fast' (new bundle); null when the node is unchanged. */
  nodePath: 'fast' | 'full' | null;
}

export function planBatch(paths: Iterable<string>, layout: WatchLayout): ChangeBatch {
  const batch: ChangeBatch = { source: [], image: [], compose: [], manifests: [], nodePath: null };
  for (const p of new Set(paths)) {
    const kind = classifyChange(p, layout);
    if (kind !== 'ignored') batch[kind].push(p);
  }
  for (const k of ['source', 'image', 'compose', 'manifests'] as const) batch[k].sort();
  batch.nodePath = batch.image.length ? 'full' : batch.source.length ? 'fast' : null;
  return batch;
}

export const isEmptyBatch = (b: ChangeBatch) => !b.nodePath && !b.compose.length && !b.manifests.length;

/**
 * The image files of a context: Dockerfile and .dockerignore in it, and the
 * package.json / package-lock.json esbuild resolves the node's dependencies
 * from (the context's own, and the nearest ancestor's that has one).
 */
export function imageFilesOf(contextDir: string, dockerfile: string, hasFile: (p: string) => boolean): string[] {
  const files = [join(contextDir, dockerfile), join(contextDir, '.dockerignore'), join(contextDir, 'package.json'), join(contextDir, 'package-lock.json')];
  for (let dir = dirname(contextDir); ; dir = dirname(dir)) {
    if (hasFile(join(dir, 'package.json'))) {
      files.push(join(dir, 'package.json'), join(dir, 'package-lock.json'));
      break;
    }
    if (dirname(dir) === dir) break;
  }
  return files;
}

export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

/**
 * Collects paths until no new one arrives for `quietMs` (an editor's save is
 * often several writes: truncate, write, rename), then hands the set over.
 * Timers are injectable for tests.
 */
export class Debouncer {
  private pending = new Set<string>();
  private timer: unknown = null;
  constructor(
    private readonly quietMs: number,
    private readonly flush: (paths: string[]) => void,
    private readonly timers: Timers = { set: (fn, ms) => setTimeout(fn, ms), clear: (h) => clearTimeout(h as NodeJS.Timeout) },
  ) {}

  add(path: string): void {
    this.pending.add(path);
    if (this.timer) this.timers.clear(this.timer);
    this.timer = this.timers.set(() => {
      this.timer = null;
      const paths = [...this.pending];
      this.pending.clear();
      this.flush(paths);
    }, this.quietMs);
  }

  cancel(): void {
    if (this.timer) this.timers.clear(this.timer);
    this.timer = null;
    this.pending.clear();
  }
}
