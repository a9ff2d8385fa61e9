// The one error type devenv raises on purpose. The entry point turns it into an
// exit code and a one-paragraph message with a fix; anything else is a bug and
// exits 1 (with the stack only under --verbose).

export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2,
  prerequisite: 3,
  drift: 4,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export interface Location {
  file: string;
  line?: number;
  column?: number;
}

export function formatLocation(loc: Location | undefined): string {
  if (!loc) return '';
  return loc.line ? `${loc.file}:${loc.line}${loc.column ? `:${loc.column}` : ''}` : loc.file;
}

export class DevenvError extends Error {
  readonly exitCode: ExitCode;
  readonly hint?: string;
  readonly location?: Location;
  /** Output of a failed command or other detail printed after the paragraph. */
  readonly details?: string;

  constructor(
    message: string,
    opts: { exitCode?: ExitCode; hint?: string; location?: Location; details?: string; cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'DevenvError';
    this.exitCode = opts.exitCode ?? ExitCode.failure;
    this.hint = opts.hint;
    this.location = opts.location;
    this.details = opts.details;
  }

  /** One paragraph: where, what, and how to fix it. */
  toParagraph(): string {
    const where = this.location ? `${formatLocation(this.location)}: ` : '';
    const fix = this.hint ? ` Fix: ${this.hint}` : '';
    return `${where}${this.message}${fix}`;
  }

  toJSON() {
    return {
      error: this.message,
      exitCode: this.exitCode,
      hint: this.hint ?? null,
      location: this.location ?? null,
      details: this.details ?? null,
    };
  }
}

/** How an external command failed: not on PATH, a non-zero exit, or stopped at its timeout. */
export type CommandFailure = 'not-found' | 'exit' | 'timeout';

/**
 * A failed external command, as a value (like kind's exec.RunError): what
 * ran, as a line to paste into a shell, how it failed, its exit status and
 * the tail of its output. Raised by the command runner (and its test fake);
 * callers decide by these fields, never by the message text. A program that
 * is not installed is a missing prerequisite (exit 3), anything else a failure.
 */
export class CommandError extends DevenvError {
  readonly failure: CommandFailure;
  /** The command line, secrets masked, quoted for a POSIX shell. */
  readonly commandLine: string;
  /** The program that was run (argv[0]). */
  readonly program: string;
  /** Its exit status; null when it did not exit by itself (not found, timed out). */
  readonly status: number | null;
  /** The last lines of its output (stderr, else stdout), secrets masked. */
  readonly outputTail: string;

  constructor(opts: { failure: CommandFailure; commandLine: string; program: string; status?: number | null; outputTail?: string; timeoutSeconds?: string; hint?: string }) {
    const message =
      opts.failure === 'not-found' ? `\`${opts.program}\` was not found on PATH.`
      : opts.failure === 'timeout' ? `\`${opts.commandLine}\` did not finish within ${opts.timeoutSeconds ?? '?'} s and was stopped.`
      : `\`${opts.commandLine}\` failed with exit code ${opts.status}.`;
    super(message, {
      exitCode: opts.failure === 'not-found' ? ExitCode.prerequisite : ExitCode.failure,
      hint: opts.hint,
      details: opts.failure === 'not-found' ? undefined : opts.outputTail,
    });
    this.name = 'CommandError';
    this.failure = opts.failure;
    this.commandLine = opts.commandLine;
    this.program = opts.program;
    this.status = opts.failure === 'exit' ? (opts.status ?? null) : null;
    this.outputTail = opts.outputTail ?? '';
  }
}

/** True when `err` says the program is not installed (and nothing else). */
export const isProgramMissing = (err: unknown): err is CommandError => err instanceof CommandError && err.failure === 'not-found';

export const usageError = (message: string, hint?: string, location?: Location) =>
  new DevenvError(message, { exitCode: ExitCode.usage, hint, location });

export const prerequisiteError = (message: string, hint?: string) =>
  new DevenvError(message, { exitCode: ExitCode.prerequisite, hint });
