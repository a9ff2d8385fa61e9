// A CommandRunner for tests that answers only the commands it was told about
// (matched on the whole argv) and throws on any other: a test can never fall
// through to a real kubectl, kind or docker. Every call is recorded in order,
// and in the Plan when one is given (as ExecaRunner does).
import { CommandError } from '../../cli/errors.ts';
import type { CommandResult, CommandRunner, CommandSpec } from '../../cli/adapters/exec.ts';
import { shellQuote } from '../../cli/plan.ts';
import type { Plan } from '../../cli/plan.ts';

export type Matcher = string[] | ((argv: string[], spec: CommandSpec) => boolean);

export interface FakeAnswer {
  exitCode?: number;
  stdout?: string;
  stderr?: string;
  /** Simulates a program that is not on PATH (ExecaRunner's ENOENT: exit 3). */
  missing?: boolean;
  /** Lines streamed to spec.onLine before the result. */
  lines?: string[];
}

type Responder = FakeAnswer | ((spec: CommandSpec, call: number) => FakeAnswer);

interface Rule {
  match: Matcher;
  respond: Responder;
  /** How many calls it may answer (Infinity by default). */
  times: number;
  used: number;
}

export class FakeRunner implements CommandRunner {
  readonly calls: CommandSpec[] = [];
  private readonly rules: Rule[] = [];

  constructor(private readonly opts: { dryRun?: boolean; plan?: Plan } = {}) {}

  get dryRun(): boolean {
    return this.opts.dryRun ?? false;
  }

  /** Answers commands matching `match` (an exact argv, cmd included, or a predicate). Later rules win. */
  on(match: Matcher, respond: Responder = {}, times = Infinity): this {
    this.rules.unshift({ match, respond, times, used: 0 });
    return this;
  }

  /** Every call as a shell-ish line, for order assertions. */
  get lines(): string[] {
    return this.calls.map((c) => [c.cmd, ...c.args].join(' '));
  }

  async run(spec: CommandSpec): Promise<CommandResult> {
    const argv = [spec.cmd, ...spec.args];
    this.calls.push(spec);
    this.opts.plan?.record({ kind: 'exec', argv, cwd: spec.cwd, note: spec.note, stdin: spec.input });
    const rule = this.rules.find((r) => r.used < r.times && (typeof r.match === 'function' ? r.match(argv, spec) : r.match.length === argv.length && r.match.every((a, i) => a === argv[i])));
    if (!rule) throw new Error(`FakeRunner: unexpected command: ${argv.join(' ')}`);
    rule.used++;
    if (this.dryRun) return { exitCode: 0, stdout: '', stderr: '', dryRun: true };
    const a = typeof rule.respond === 'function' ? rule.respond(spec, rule.used) : rule.respond;
    // The same error values ExecaRunner raises, so callers are tested on the fields they read.
    const commandLine = argv.map(shellQuote).join(' ');
    if (a.missing) throw new CommandError({ failure: 'not-found', program: spec.cmd, commandLine, hint: spec.missingHint ?? `install ${spec.cmd}.` });
    for (const l of a.lines ?? []) spec.onLine?.(l, 'stdout');
    const result = { exitCode: a.exitCode ?? 0, stdout: a.stdout ?? '', stderr: a.stderr ?? '', dryRun: false };
    if (result.exitCode !== 0 && spec.check !== false) {
      throw new CommandError({ failure: 'exit', program: spec.cmd, commandLine, status: result.exitCode, outputTail: result.stderr || result.stdout });
    }
    return result;
  }
}

function words(args: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--context' || args[i] === '--kubeconfig' || args[i] === '--name') i++;
    else if (!args[i].startsWith('-')) out.push(args[i]);
  }
  return out;
}

/** Commands that change something (what "nothing was created" forbids). */
export function isMutating(argv: string[]): boolean {
  const [cmd, ...rest] = argv;
  const [verb, sub] = words(rest);
  if (/kind$/.test(cmd)) return ['create', 'delete', 'load', 'export'].includes(verb);
  if (/kubectl$/.test(cmd)) return ['apply', 'create', 'delete', 'patch', 'replace', 'scale', 'label', 'annotate', 'edit', 'set'].includes(verb) || (verb === 'rollout' && sub !== 'status');
  if (/docker$/.test(cmd)) return !(['version', 'info', 'ps', 'inspect', 'images'].includes(verb) || (verb === 'image' && sub === 'inspect') || (verb === 'exec' && rest.includes('inspecti')));
  return true;
}
