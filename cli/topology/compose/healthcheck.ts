// Compose healthcheck forms: ["CMD", ...], ["CMD-SHELL", "..."], a plain string
// (CMD-SHELL), ["NONE"] and `disable: true`. An URL in the command (curl, wget)
// gives the endpoint, so it can be compared with an httpGet probe.
import { get, items, num, str, bool, type LNode } from '../../manifests/located-yaml.ts';
import type { Health } from '../model.ts';
import { parseDuration } from '../units.ts';

export function splitShellWords(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quote: string | null = null;
  let has = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = null;
      else if (c === '\\' && quote === '"' && i + 1 < text.length) cur += text[++i];
      else cur += c;
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
      has = true;
    } else if (c === '\\' && i + 1 < text.length) {
      cur += text[++i];
      has = true;
    } else if (/\s/.test(c)) {
      if (has || cur) out.push(cur);
      cur = '';
      has = false;
    } else {
      cur += c;
      has = true;
    }
  }
  if (has || cur) out.push(cur);
  return out;
}

/** The endpoint an exec health command calls, when it calls an URL. */
export function endpointOfCommand(words: string[]): { path?: string; port?: number } {
  for (const w of words) {
    const m = /https?:\/\/(?:\[[^\]]+\]|[^/:\s'"]+)(?::(\d+))?(\/[^\s'"]*)?/.exec(w);
    if (m) return { port: m[1] ? Number(m[1]) : w.startsWith('https') ? 443 : 80, path: m[2] ?? '/' };
  }
  return {};
}

export function parseHealthcheck(node: LNode | undefined): Health | undefined {
  if (!node || node.kind !== 'map') return undefined;
  const loc = node.loc;
  if (bool(get(node, 'disable')) === true) return { purpose: 'healthcheck', kind: 'disabled', loc };
  const test = get(node, 'test');
  let command: string[] | undefined;
  if (test?.kind === 'scalar' && test.value !== null) command = ['CMD-SHELL', String(test.value)];
  else if (test?.kind === 'seq') command = items(test).map((i) => str(i) ?? '');
  if (command && command[0] === 'NONE') return { purpose: 'healthcheck', kind: 'disabled', loc };
  const words = !command ? [] : command[0] === 'CMD-SHELL' ? splitShellWords(command.slice(1).join(' ')) : command[0] === 'CMD' ? command.slice(1) : command;
  const ep = endpointOfCommand(words);
  const timing = (key: string, dflt: number) => parseDuration(str(get(node, key)) ?? null) ?? dflt;
  return {
    purpose: 'healthcheck',
    kind: 'exec',
    command: words,
    path: ep.path,
    port: ep.port,
    intervalSeconds: timing('interval', 30),
    timeoutSeconds: timing('timeout', 30),
    retries: num(get(node, 'retries')) ?? 3,
    startSeconds: timing('start_period', 0),
    loc: test?.loc ?? loc,
  };
}
