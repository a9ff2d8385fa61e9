// Compose Specification interpolation: $VAR, ${VAR}, ${VAR:-default},
// ${VAR-default}, ${VAR:?error}, ${VAR?error}, ${VAR:+alt}, ${VAR+alt}, and $$
// for a literal dollar; defaults may nest. A required variable that is unset
// does not stop the check: the value is marked unresolved and the variable
// named, because migrate-check compares files, it does not start containers.
import type { InterpolatedVar } from '../../manifests/located-yaml.ts';

export interface VarSource {
  /** The shell environment (wins, as in `docker compose`). */
  environment: Record<string, string | undefined>;
  /** The project's .env file. */
  envFile: Record<string, string>;
}

export interface Interpolated {
  value: string;
  vars: InterpolatedVar[];
  /** A `${VAR:?msg}` whose variable is unset: the message, else null. */
  missingRequired: string | null;
}

export class InterpolationSyntaxError extends Error {}

function lookup(name: string, src: VarSource): { value: string | undefined; source: InterpolatedVar['source'] } {
  const e = src.environment[name];
  if (e !== undefined) return { value: e, source: 'environment' };
  if (Object.hasOwn(src.envFile, name)) return { value: src.envFile[name], source: 'env-file' };
  return { value: undefined, source: 'unset' };
}

/** Index of the `}` closing the `${` that starts at `open`, honouring nesting. */
function closingBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '$' && text[i + 1] === '$') {
      i++;
      continue;
    }
    if (text[i] === '$' && text[i + 1] === '{') {
      depth++;
      i++;
      continue;
    }
    if (text[i] === '}') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

export function interpolate(text: string, src: VarSource): Interpolated {
  const vars: InterpolatedVar[] = [];
  let missingRequired: string | null = null;
  const note = (v: InterpolatedVar) => {
    if (!vars.some((x) => x.name === v.name)) vars.push(v);
  };

  const expand = (s: string): string => {
    let out = '';
    for (let i = 0; i < s.length; i++) {
      const c = s[i];
      if (c !== '$') {
        out += c;
        continue;
      }
      const next = s[i + 1];
      if (next === '$') {
        out += '$';
        i++;
        continue;
      }
      if (next === '{') {
        const end = closingBrace(s, i);
        if (end < 0) throw new InterpolationSyntaxError(`unclosed \${ in "${s}"`);
        out += expandBraced(s.slice(i + 2, end));
        i = end;
        continue;
      }
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(s.slice(i + 1));
      if (!m) {
        out += '$';
        continue;
      }
      const { value, source } = lookup(m[0], src);
      note({ name: m[0], source, required: false });
      out += value ?? '';
      i += m[0].length;
    }
    return out;
  };

  const expandBraced = (body: string): string => {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([\s\S]*))?$/.exec(body);
    if (!m) throw new InterpolationSyntaxError(`invalid interpolation format for "\${${body}}"`);
    const [, name, op, rest = ''] = m;
    const { value, source } = lookup(name, src);
    const unsetOrEmpty = value === undefined || value === '';
    const missing = op?.startsWith(':') ? unsetOrEmpty : value === undefined;
    switch (op) {
      case undefined:
        note({ name, source, required: false });
        return value ?? '';
      case ':-':
      case '-':
        note({ name, source: missing ? 'default' : source, required: false });
        return missing ? expand(rest) : value!;
      case ':?':
      case '?':
        note({ name, source, required: true });
        if (missing) {
          missingRequired ??= `${name}: ${expand(rest) || 'required variable is missing a value'}`;
          return '';
        }
        return value!;
      case ':+':
      case '+':
        note({ name, source, required: false });
        return missing ? '' : expand(rest);
      default:
        throw new InterpolationSyntaxError(`invalid interpolation operator in "\${${body}}"`);
    }
  };

  const value = expand(text);
  return { value, vars, missingRequired };
}
