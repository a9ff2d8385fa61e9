// The one way devenv runs an external program: an argument array (never a
// shell string), output captured, secrets redacted from everything that is
// shown, and every call recorded in the plan. Under --dry-run nothing runs:
// the command is recorded and a `dryRun` result comes back, so callers plan
// the cold path (as if nothing existed yet).
import { CommandError } from '../errors.ts';
import { type Plan, shellQuote } from '../plan.ts';
import type { Redactor } from '../redact.ts';
import { span } from '../timing.ts';

export interface CommandSpec {
  cmd: string;
  args: string[];
  cwd?: string;
  env?: Record<string, string | undefined>;
  input?: string;
  /** A file to feed to stdin (large or binary input: a bundle piped into a container). */
  inputFile?: string;
  timeoutMs?: number;
  /** When false, a non-zero exit is returned instead of thrown. Default true. */
  check?: boolean;
  /** Stream output lines as they come (logs --follow). */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  note?: string;
  /** How to explain a missing program (exit 3). */
  missingHint?: string;
}

export interface CommandResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** True when --dry-run recorded the command instead of running it. */
  dryRun: boolean;
}

export interface CommandRunner {
  run(spec: CommandSpec): Promise<CommandResult>;
  readonly dryRun: boolean;
}

export function displayCommand(cmd: string, args: string[], redactor: Redactor): string {
  return [cmd, ...args].map((a) => shellQuote(redactor.redactAssignment(a))).join(' ');
}

/** 300 -> "0.3", 15000 -> "15". */
function formatSeconds(ms: number): string {
  return ms < 10_000 ? String(Math.round(ms / 100) / 10) : String(Math.round(ms / 1000));
}

function lastLines(text: string, n: number): string {
  const lines = text.trimEnd().split('\n');
  return lines.slice(-n).join('\n');
}

let execaModule: Promise<typeof import('execa')> | undefined;
const loadExeca = () => (execaModule ??= import('execa'));

export class ExecaRunner implements CommandRunner {
  constructor(
    private readonly plan: Plan,
    private readonly redactor: Redactor,
    readonly dryRun: boolean,
    private readonly log: (line: string) => void = () => {},
  ) {}

  async run(spec: CommandSpec): Promise<CommandResult> {
    const argv = [spec.cmd, ...spec.args];
    this.plan.record({ kind: 'exec', argv, cwd: spec.cwd, note: spec.note, stdin: spec.input ?? (spec.inputFile ? `(the file ${spec.inputFile})` : undefined) });
    const shown = displayCommand(spec.cmd, spec.args, this.redactor);
    if (this.dryRun) return { exitCode: 0, stdout: '', stderr: '', dryRun: true };
    this.log(`$ ${shown}`);
    const started = performance.now();
    // Loaded on the first command: a run that spawns nothing (validate
    // answered from its cache, --help) never pays for execa.
    const { execa } = await loadExeca();
    const child = execa(spec.cmd, spec.args, {
      cwd: spec.cwd,
      env: spec.env,
      ...(spec.inputFile ? { inputFile: spec.inputFile } : { input: spec.input }),
      timeout: spec.timeoutMs,
      reject: false,
      stripFinalNewline: true,
      lines: false,
      // Streamed commands (logs --follow) may run for hours: keep only a tail.
      buffer: !spec.onLine,
    });
    const tail: string[] = [];
    if (spec.onLine) {
      for (const stream of ['stdout', 'stderr'] as const) {
        let pending = '';
        child[stream]?.on('data', (chunk: Buffer) => {
          pending += chunk.toString();
          const parts = pending.split('\n');
          pending = parts.pop() ?? '';
          for (const p of parts) {
            const line = this.redactor.redact(p);
            tail.push(line);
            if (tail.length > 50) tail.shift();
            spec.onLine!(line, stream);
          }
        });
        child[stream]?.on('end', () => pending && spec.onLine!(this.redactor.redact(pending), stream));
      }
    }
    const res = await child;
    span(`run ${spec.cmd}`, started);
    const stdout = spec.onLine ? tail.join('\n') : String(res.stdout ?? '');
    const stderr = spec.onLine ? '' : String(res.stderr ?? '');
    const code = (res as { code?: string }).code;
    if (code === 'ENOENT') {
      throw new CommandError({ failure: 'not-found', program: spec.cmd, commandLine: shown, hint: spec.missingHint ?? `install ${spec.cmd} or put it on PATH, then run \`devenv doctor\`.` });
    }
    if (res.timedOut) {
      throw new CommandError({ failure: 'timeout', program: spec.cmd, commandLine: shown, timeoutSeconds: formatSeconds(spec.timeoutMs ?? 0), outputTail: this.redactor.redact(lastLines(`${stdout}\n${stderr}`, 20)) });
    }
    const exitCode = typeof res.exitCode === 'number' ? res.exitCode : 1;
    // Output comes back raw: callers parse it (a rendered Secret's data is a
    // registered secret). Everything that shows it goes through the redactor:
    // Output, the error printer, and the pipeline's failure lines.
    const result = { exitCode, stdout, stderr, dryRun: false };
    if (exitCode !== 0 && spec.check !== false) {
      throw new CommandError({ failure: 'exit', program: spec.cmd, commandLine: shown, status: exitCode, outputTail: this.redactor.redact(lastLines(stderr || stdout, 20)) });
    }
    return result;
  }
}
