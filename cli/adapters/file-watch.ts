// Watching files for `devenv up --watch`: one non-recursive fs.watch
// (inotify) per directory, reporting absolute paths. Directories, not files:
// an editor (or sed -i) that saves by writing a temporary file and renaming
// it over the old one would end a watch on the file, and Node 20's recursive
// mode on Linux loses a file replaced that way. A directory created later is
// watched from then on; build output and dependencies are skipped.
import { existsSync, readdirSync, statSync, watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';

export interface WatchedDir {
  dir: string;
  recursive: boolean;
}

export interface FileWatch {
  close(): void;
}

const SKIPPED = new Set(['node_modules', 'dist', '.git']);

export function watchDirs(dirs: WatchedDir[], onPath: (path: string) => void, onError: (err: Error) => void): FileWatch {
  const watchers = new Map<string, FSWatcher>();
  const add = (dir: string, recursive: boolean) => {
    if (watchers.has(dir) || !existsSync(dir)) return;
    let w: FSWatcher;
    try {
      w = watch(dir, { persistent: true }, (_event, name) => {
        if (!name) return;
        const path = join(dir, name.toString());
        if (recursive && !SKIPPED.has(name.toString()) && isDir(path)) add(path, true);
        onPath(path);
      });
    } catch (err) {
      return onError(err as Error);
    }
    w.on('error', onError);
    watchers.set(dir, w);
    if (!recursive) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory() && !SKIPPED.has(entry.name)) add(join(dir, entry.name), true);
    }
  };
  for (const { dir, recursive } of dirs) add(dir, recursive);
  return { close: () => watchers.forEach((w) => w.close()) };
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
