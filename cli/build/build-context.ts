// What goes into the node image: the files of the build context that
// .dockerignore does not exclude. The same list is hashed for the image tag
// and sent to the daemon, so the tag changes exactly when the image would.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

interface IgnoreRule {
  negate: boolean;
  re: RegExp;
  text: string;
}

function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') {
      if (glob[i + 1] === '*') {
        re += '.*';
        i++;
        if (glob[i + 1] === '/') i++;
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  // A pattern naming a directory excludes everything under it.
  return new RegExp(`^${re}(/.*)?$`);
}

export interface IgnoreMatcher {
  (path: string): boolean;
  /** Whether a negation rule may re-include something under this directory. */
  mayReinclude(dir: string): boolean;
}

/** A .dockerignore matcher: returns true when a context-relative path is excluded (last matching rule wins). */
export function dockerignoreMatcher(text: string): IgnoreMatcher {
  const rules: IgnoreRule[] = [];
  for (const raw of text.split('\n')) {
    let line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const negate = line.startsWith('!');
    if (negate) line = line.slice(1).trim();
    line = line.replace(/^\/+/, '').replace(/\/+$/, '');
    if (line) rules.push({ negate, re: globToRegExp(line), text: line });
  }
  const matcher = ((path: string) => {
    let excluded = false;
    for (const r of rules) if (r.re.test(path)) excluded = !r.negate;
    return excluded;
  }) as IgnoreMatcher;
  matcher.mayReinclude = (dir: string) => rules.some((r) => r.negate && (r.text.startsWith(`${dir}/`) || /^[*?]/.test(r.text)));
  return matcher;
}

/** Context-relative paths of the files sent to the daemon, sorted. */
export function listContextFiles(contextDir: string): string[] {
  const ignoreFile = join(contextDir, '.dockerignore');
  const ignored = dockerignoreMatcher(existsSync(ignoreFile) ? readFileSync(ignoreFile, 'utf8') : '');
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const abs = join(dir, name);
      const rel = relative(contextDir, abs).split(sep).join('/');
      // Dockerfile and .dockerignore are always sent, even when ignored.
      const always = rel === 'Dockerfile' || rel === '.dockerignore';
      const isDir = statSync(abs).isDirectory();
      // An excluded directory is still entered when a `!` rule may bring back a file inside it.
      if (isDir) {
        if (!ignored(rel) || ignored.mayReinclude(rel)) walk(abs);
      } else if (always || !ignored(rel)) out.push(rel);
    }
  };
  walk(contextDir);
  return out;
}

/** A short, stable hash of the files, build args and base image identity. */
export function buildInputsHash(contextDir: string, files: string[], buildArgs: Record<string, string>, baseImageId: string | null): string {
  const h = createHash('sha256');
  for (const f of [...files].sort()) {
    h.update(`file ${f}\0`);
    h.update(readFileSync(join(contextDir, f)));
    h.update('\0');
  }
  for (const k of Object.keys(buildArgs).sort()) h.update(`arg ${k}=${buildArgs[k]}\0`);
  h.update(`base ${baseImageId ?? 'absent'}\0`);
  return h.digest('hex').slice(0, 12);
}
