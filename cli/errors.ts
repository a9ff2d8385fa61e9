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

export const usageError = (message: string, hint?: string, location?: Location) =>
  new DevenvError(message, { exitCode: ExitCode.usage, hint, location });

export const prerequisiteError = (message: string, hint?: string) =>
  new DevenvError(message, { exitCode: ExitCode.prerequisite, hint });
