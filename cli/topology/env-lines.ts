// `KEY=value` lines (quotes, `export `, comments), as Compose reads .env and
// env_file, and kustomize reads a generator's `envs:` file. One parser, so the
// two sides read the same file the same way.
export function parseEnvLines(text: string): { values: Record<string, string>; lines: Record<string, number> } {
  const values: Record<string, string> = {};
  const lines: Record<string, number> = {};
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/.exec(line);
    if (!m) return;
    let v = m[2];
    if ((v.startsWith('"') && v.endsWith('"') && v.length > 1) || (v.startsWith("'") && v.endsWith("'") && v.length > 1)) {
      const dq = v.startsWith('"');
      v = v.slice(1, -1);
      if (dq) v = v.replace(/\\n/g, '\n').replace(/\\"/g, '"');
    } else {
      v = v.replace(/\s+#.*$/, '');
    }
    values[m[1]] = v;
    lines[m[1]] = i + 1;
  });
  return { values, lines };
}
