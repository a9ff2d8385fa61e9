// Configuration file contents as comparable fields: TOML, JSON and YAML are
// parsed and flattened to dotted paths (`rate_limiter.limiter[0].strategy`);
// anything else is compared line by line. Each field keeps its line, found by
// scanning the text, since the parsers do not report positions.
import { parse as parseToml } from 'smol-toml';
import { parse as parseYaml } from 'yaml';

export type Fields = Map<string, { value: unknown; line: number }>;

export type ParsedConfig = { format: 'toml' | 'json' | 'yaml' | 'text'; fields: Fields } | { format: 'toml' | 'json' | 'yaml'; error: string; line: number };

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
    const m = /line (\d+)/i.exec((e as Error).message);
    return { format, error: (e as Error).message.split('\n')[0], line: m ? Number(m[1]) : 1 };
  }
  const flat = new Map<string, unknown>();
  flatten(data, '', flat);
  const known = format === 'toml' ? tomlLines(text) : keyLines(text, [...flat.keys()]);
  const fields: Fields = new Map();
  for (const [k, v] of flat) fields.set(k, { value: v, line: lineFor(k, known) });
  return { format, fields };
}
