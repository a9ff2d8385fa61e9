// Where devenv's words go. Progress and logs go to stderr so that stdout holds
// only the result (a table, or JSON with --json). Everything shown passes
// through the redactor.
import type { Redactor } from './redact.ts';

export type OutputMode = 'tty' | 'plain' | 'json';

/** TTY: listr2's default renderer; non-TTY or CI=true: plain lines; --json: JSON events. */
export function chooseOutputMode(opts: { json?: boolean; isTTY?: boolean; env?: NodeJS.ProcessEnv }): OutputMode {
  if (opts.json) return 'json';
  const env = opts.env ?? {};
  const ci = env.CI !== undefined && env.CI !== '' && env.CI !== 'false' && env.CI !== '0';
  if (!opts.isTTY || ci || env.TERM === 'dumb') return 'plain';
  return 'tty';
}

export interface Writable {
  write(chunk: string): unknown;
}

export class Output {
  constructor(
    readonly mode: OutputMode,
    private readonly redactor: Redactor,
    readonly verbose = false,
    private readonly stdout: Writable = process.stdout,
    private readonly stderr: Writable = process.stderr,
  ) {}

  get json(): boolean {
    return this.mode === 'json';
  }

  redact(text: string): string {
    return this.redactor.redact(text);
  }

  /** A progress or log line (stderr; a JSON event under --json). */
  info(message: string): void {
    if (this.json) this.event({ event: 'log', level: 'info', message });
    else this.stderr.write(this.redactor.redact(message) + '\n');
  }

  warn(message: string): void {
    if (this.json) this.event({ event: 'log', level: 'warn', message });
    else this.stderr.write(this.redactor.redact(`warning: ${message}`) + '\n');
  }

  debug(message: string): void {
    if (!this.verbose) return;
    if (this.json) this.event({ event: 'log', level: 'debug', message });
    else this.stderr.write(this.redactor.redact(message) + '\n');
  }

  /** One JSON object per line on stdout (only meaningful under --json). */
  event(data: Record<string, unknown>): void {
    this.stdout.write(this.redactor.redact(JSON.stringify({ ts: new Date().toISOString(), ...data })) + '\n');
  }

  /**
   * The command's result on stdout: text for people, or one JSON document on
   * one line (the last line, after any progress events of a pipeline).
   */
  /** Whether the command printed its result (a dry-run plan then goes with it, not after it). */
  resultPrinted = false;

  result(text: string, data?: unknown): void {
    this.resultPrinted = true;
    if (this.json) this.stdout.write(this.redactor.redact(JSON.stringify(data ?? { result: text })) + '\n');
    else this.stdout.write(this.redactor.redact(text.endsWith('\n') ? text : text + '\n'));
  }
}

/** A fixed-width text table; columns sized to their widest cell. */
export function formatTable(headers: string[], rows: Array<Array<string | number>>): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  return cells.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ')).join('\n');
}
