// Configuration file contents as comparable fields: TOML, JSON and YAML are
// parsed and flattened to dotted paths (`rate_limiter.limiter[0].strategy`);
// anything else is compared line by line. Each field keeps its line, found by
// scanning the text, since the parsers do not report positions.
import { parse as parseToml } from 'smol-toml';
import { parse as parseYaml } from 'yaml';

export type Fields = Map<string, { value: unknown; line: number }>;

export type ParsedConfig = { format: 'toml' | 'json' | 'yaml' | 'text'; fields: Fields } | { format: 'toml' | 'json' | 'yaml'; error: string; line: number; column?: number };

function formatOf(path: string): 'toml' | 'json' | 'yaml' | 'text' {
  if (/\.toml$/i.test(path)) return 'toml';
  if (/\.json$/i.test(path)) return 'json';
  if (/\.ya?ml$/i.test(path)) return 'yaml';
  return 'text';
}

function flatten(value: unknown, prefix: string, out: Map<string, unknown>): void {
  if (Array.isArray(value) && value.some((v) => v && typeof v === 'object' && !Array.isArray(v))) {
    value.forEach((v, i) => flatten(v, `${prefix}[${i}]`, out));
    return;
  }
  if (value && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
    return;
  }
  out.set(prefix, value instanceof Date ? value.toISOString() : value);
}

/** Line (1-based, within the text) of each TOML key and table. */
function tomlLines(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  const counts = new Map<string, number>();
  let prefix = '';
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/#.*$/, '').trim();
    const arr = /^\[\[\s*([^\]]+?)\s*\]\]$/.exec(line);
    const tbl = /^\[\s*([^\]]+?)\s*\]$/.exec(line);
    const clean = (s: string) => s.split('.').map((p) => p.trim().replace(/^["']|["']$/g, '')).join('.');
    if (arr) {
      const name = clean(arr[1]);
      const n = counts.get(name) ?? 0;
      counts.set(name, n + 1);
      prefix = `${name}[${n}]`;
      lines.set(prefix, i + 1);
    } else if (tbl) {
      prefix = clean(tbl[1]);
      lines.set(prefix, i + 1);
    } else {
      const kv = /^([A-Za-z0-9_."' -]+?)\s*=/.exec(line);
      if (kv) lines.set(prefix ? `${prefix}.${clean(kv[1])}` : clean(kv[1]), i + 1);
    }
  });
  return lines;
}

function keyLines(text: string, paths: string[]): Map<string, number> {
  const lines = text.split(/\r?\n/);
  const out = new Map<string, number>();
  for (const p of paths) {
    const last = p.split('.').pop()!.replace(/\[\d+\]$/, '');
    const i = lines.findIndex((l) => new RegExp(`(^|[\\s"'{,])${last.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}["']?\\s*[:=]`).test(l));
    if (i >= 0) out.set(p, i + 1);
  }
  return out;
}

function lineFor(path: string, known: Map<string, number>): number {
  let p = path;
  while (p) {
    const l = known.get(p);
    if (l !== undefined) return l;
    const cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
    if (cut <= 0) break;
    p = p.slice(0, cut);
  }
  return 1;
}

/**
 * Where a parser failed, from the fields each one sets (smol-toml: line and
 * column; yaml: linePos; JSON.parse: only "position N" in some messages).
 */
function errorPosition(e: unknown, text: string): { line: number; column?: number } {
  const err = e as { line?: unknown; column?: unknown; linePos?: Array<{ line: number; col: number }>; message?: string };
  if (typeof err.line === 'number') return { line: err.line, column: typeof err.column === 'number' ? err.column : undefined };
  if (err.linePos?.[0]) return { line: err.linePos[0].line, column: err.linePos[0].col };
  const pos = /position (\d+)/.exec(String(err.message ?? ''));
  if (pos) {
    const before = text.slice(0, Number(pos[1])).split(/\r?\n/);
    return { line: before.length, column: before.at(-1)!.length + 1 };
  }
  const m = /line (\d+)/i.exec(String(err.message ?? ''));
  return { line: m ? Number(m[1]) : 1 };
}

export function parseConfig(path: string, text: string): ParsedConfig {
  const format = formatOf(path);
  if (format === 'text') {
    const fields: Fields = new Map();
    text.split(/\r?\n/).forEach((l, i) => {
      const t = l.trimEnd();
      if (t) fields.set(`line ${i + 1}`, { value: t, line: i + 1 });
    });
    return { format, fields };
  }
  let data: unknown;
  try {
    data = format === 'toml' ? parseToml(text) : format === 'json' ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    return { format, error: (e as Error).message.split('\n')[0].replace(/^Invalid TOML document: /, ''), ...errorPosition(e, text) };
  }
  const flat = new Map<string, unknown>();
  flatten(data, '', flat);
  const known = format === 'toml' ? tomlLines(text) : keyLines(text, [...flat.keys()]);
  const fields: Fields = new Map();
  for (const [k, v] of flat) fields.set(k, { value: v, line: lineFor(k, known) });
  return { format, fields };
}
