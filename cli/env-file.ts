// The one reader of `KEY=value` env files (pure: text in, entries out).
//
// Two readers of the same format disagreed before; now every caller uses this:
// dev-secrets (compose/.env, manifests/secrets.env), the Compose side of the
// topology loader (.env, env_file), and the kustomize generators' `envs:`
// files (the built-in renderer and the Kubernetes side of the topology loader).
//
// The `compose` dialect (the default) is Docker Compose's env-file syntax
// (https://docs.docker.com/compose/how-tos/environment-variables/variable-interpolation/#env-file-syntax),
// as compose-go reads it:
//   - blank lines and lines whose first non-blank character is `#` are ignored;
//   - `KEY=value` (or `KEY: value`), with an optional `export ` prefix; spaces
//     around the separator are ignored; a key is letters, digits, `_`, `.`, `-`;
//   - unquoted: the rest of the line, trimmed; ` #` (a space, then `#`) starts
//     an inline comment (`a#b` and `a\t#b` are values);
//   - 'single quoted': used literally, except `\'` is a quote;
//   - "double quoted": `\n` `\r` `\t` `\a` `\b` `\f` `\v` `\\` `\"` `\$` are
//     escapes, any other backslash is kept; after the closing quote the line
//     may hold a `# comment`;
//   - quoted values may span lines;
//   - a bare `KEY` (no separator) takes its value from `lookup`, and is left
//     out when lookup does not know it (Compose looks in the environment).
// Not done here: Compose's interpolation of `$VAR`/`${VAR}` in unquoted and
// double-quoted values (they are returned as written; `\$` gives `$`). Where
// Compose rejects the file (a bad key, an unterminated quote) the statement is
// skipped and reported in `errors`.
//
// The `kustomize` dialect is how kustomize reads a generator's `envs:` file
// (checked against `kubectl kustomize`, kustomize v5): comment and blank lines
// are skipped, the line is split at its first `=`, and key and value are taken
// literally: no quote removal, no inline comment, no `export` prefix.

export type EnvFileDialect = 'compose' | 'kustomize';

export interface EnvFileEntry {
  key: string;
  value: string;
  /** 1-based line of the key. */
  line: number;
  /** 1-based line where the value ends (a quoted value may span lines). */
  endLine: number;
  /** How the value was written (always null in the kustomize dialect). */
  quote: '"' | "'" | null;
}

export interface EnvFileError {
  line: number;
  message: string;
}

export interface ParsedEnvFile {
  /** Every assignment in file order (a repeated key appears each time). */
  entries: EnvFileEntry[];
  /** The value of each key (the last assignment wins). */
  values: Map<string, string>;
  /** The line of the assignment `values` holds. */
  lines: Map<string, number>;
  /** Statements Compose would reject; they are skipped. */
  errors: EnvFileError[];
}

export interface EnvFileOptions {
  dialect?: EnvFileDialect;
  /** Value of a bare `KEY` line (default: none, the line is left out). */
  lookup?: (key: string) => string | undefined;
}

export function parseEnvFile(text: string, opts: EnvFileOptions = {}): ParsedEnvFile {
  const src = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const entries: EnvFileEntry[] = [];
  const errors: EnvFileError[] = [];
  if ((opts.dialect ?? 'compose') === 'kustomize') parseKustomize(src, opts.lookup, entries);
  else parseCompose(src, opts.lookup, entries, errors);
  const values = new Map<string, string>();
  const lines = new Map<string, number>();
  for (const e of entries) {
    values.set(e.key, e.value);
    lines.set(e.key, e.line);
  }
  return { entries, values, lines, errors };
}

/** Spaces and tabs, not line breaks (compose-go's isSpace). */
const isBlank = (c: string | undefined) => c === ' ' || c === '\t' || c === '\v' || c === '\f' || c === '\r' || c === '\u0085' || c === '\u00a0';
const KEY_CHAR = /^[\p{L}\p{N}_.-]$/u;

/** Go's escapes in a double-quoted string; `\$` is a literal `$`; anything else keeps its backslash. */
const DOUBLE_QUOTE_ESCAPES: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', '"': '"', $: '$' };

function unescapeDouble(raw: string): string {
  return raw.replace(/\\([\s\S])/g, (m, c: string) => DOUBLE_QUOTE_ESCAPES[c] ?? m);
}

function unescapeSingle(raw: string): string {
  return raw.replace(/\\([\s\S])/g, (m, c: string) => (c === "'" ? "'" : m));
}

function parseCompose(src: string, lookup: EnvFileOptions['lookup'], entries: EnvFileEntry[], errors: EnvFileError[]): void {
  const n = src.length;
  // Line numbers: offsets of each line start, searched by position.
  const starts = [0];
  for (let k = src.indexOf('\n'); k >= 0; k = src.indexOf('\n', k + 1)) starts.push(k + 1);
  const lineOf = (pos: number) => {
    let lo = 0, hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  const endOfLine = (pos: number) => {
    const k = src.indexOf('\n', pos);
    return k < 0 ? n : k;
  };

  let i = 0;
  while (i < n) {
    // The next statement: skip whitespace (line breaks too) and comment lines.
    while (i < n && /\s/.test(src[i])) i++;
    if (i >= n) break;
    if (src[i] === '#') {
      i = endOfLine(i);
      continue;
    }
    const line = lineOf(i);
    if (src.startsWith('export', i) && isBlank(src[i + 6])) {
      i += 6;
      while (isBlank(src[i])) i++;
    }
    // The key runs to `=`, `:` or the end of the line.
    let j = i;
    let bad: string | undefined;
    while (j < n && src[j] !== '=' && src[j] !== ':' && src[j] !== '\n') {
      if (!isBlank(src[j]) && !KEY_CHAR.test(src[j])) {
        bad = src[j];
        break;
      }
      j++;
    }
    const key = src.slice(i, j).replace(/\s+$/, '');
    if (bad !== undefined || key === '' || /\s/.test(key)) {
      const message = bad !== undefined ? `unexpected character ${JSON.stringify(bad)} in variable name` : key === '' ? 'a line with no variable name' : `variable name ${JSON.stringify(key)} contains a space`;
      errors.push({ line, message });
      i = endOfLine(i);
      continue;
    }
    if (j >= n || src[j] === '\n') {
      // A bare KEY: inherited from the environment.
      const v = lookup?.(key);
      if (v !== undefined) entries.push({ key, value: v, line, endLine: line, quote: null });
      i = j;
      continue;
    }
    i = j + 1;
    while (isBlank(src[i])) i++;
    const q = src[i];
    if (q === '"' || q === "'") {
      let k = i + 1;
      while (k < n && src[k] !== q) k += src[k] === '\\' ? 2 : 1;
      if (k >= n) {
        errors.push({ line, message: `unterminated quoted value ${src.slice(i, endOfLine(i))}` });
        i = endOfLine(i);
        continue;
      }
      const raw = src.slice(i + 1, k);
      entries.push({ key, value: q === '"' ? unescapeDouble(raw) : unescapeSingle(raw), line, endLine: lineOf(k), quote: q });
      // Whatever follows the closing quote is read as the next statement (a `# comment`, usually).
      i = k + 1;
      continue;
    }
    const end = endOfLine(i);
    let value = src.slice(i, end);
    const comment = value.indexOf(' #');
    if (comment >= 0) value = value.slice(0, comment);
    entries.push({ key, value: value.replace(/\s+$/, ''), line, endLine: line, quote: null });
    i = end;
  }
}

function parseKustomize(src: string, lookup: EnvFileOptions['lookup'], entries: EnvFileEntry[]): void {
  src.split('\n').forEach((rawLine, idx) => {
    const text = rawLine.replace(/\r$/, '').replace(/^\s+/, '');
    if (!text || text.startsWith('#')) return;
    const eq = text.indexOf('=');
    const line = idx + 1;
    if (eq < 0) entries.push({ key: text, value: lookup?.(text) ?? '', line, endLine: line, quote: null });
    else entries.push({ key: text.slice(0, eq), value: text.slice(eq + 1), line, endLine: line, quote: null });
  });
}
