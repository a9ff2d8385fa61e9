// One line per event on stdout: `<ISO time> <LEVEL> <message> key=value...`.
// Values are quoted when they contain spaces; secrets are never passed in.
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type LogFields = Record<string, string | number | boolean | bigint | null | undefined>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

/** Accepts `debug`, `INFO`, `trace` and Rust-style `info,hyper=warn` (first entry wins). */
export function parseLogLevel(value: string | undefined): LogLevel {
  const first = (value ?? '').split(',')[0].trim().toLowerCase();
  if (first === 'trace') return 'debug';
  if (first === 'warning') return 'warn';
  return first in ORDER ? (first as LogLevel) : 'info';
}

function formatValue(v: LogFields[string]): string {
  const s = String(v);
  return /[\s"=]/.test(s) || s === '' ? JSON.stringify(s) : s;
}

export function formatLine(level: LogLevel, msg: string, fields: LogFields = {}, now = new Date()): string {
  const kv = Object.entries(fields)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${formatValue(v)}`)
    .join(' ');
  return `${now.toISOString()} ${level.toUpperCase().padEnd(5)} ${msg.replace(/\n/g, ' ')}${kv ? ' ' + kv : ''}`;
}

export function createLogger(level: LogLevel, write: (line: string) => void = (l) => process.stdout.write(l + '\n')): Logger {
  const min = ORDER[level];
  const at = (lvl: LogLevel) => (msg: string, fields?: LogFields) => {
    if (ORDER[lvl] >= min) write(formatLine(lvl, msg, fields));
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
