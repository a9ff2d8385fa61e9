// The plan recorder: every external action (a command line or a Docker API
// call) is recorded here before it runs. Under --dry-run nothing runs and the
// recorded plan is what devenv prints, in order. Entries are redacted on entry.
import type { Redactor } from './redact.ts';

export type PlanEntry =
  | { kind: 'exec'; argv: string[]; cwd?: string; note?: string; stdin?: string }
  | { kind: 'docker'; call: string; args: Record<string, unknown>; note?: string }
  | { kind: 'file'; path: string; content: string; note?: string }
  | { kind: 'wait'; what: string; timeoutSeconds: number; note?: string };

export class Plan {
  readonly entries: PlanEntry[] = [];
  constructor(private readonly redactor: Redactor) {}

  record(entry: PlanEntry): PlanEntry {
    const clean = this.redactEntry(entry);
    this.entries.push(clean);
    return clean;
  }

  private redactEntry(e: PlanEntry): PlanEntry {
    const r = this.redactor;
    switch (e.kind) {
      case 'exec':
        return { ...e, argv: e.argv.map((a) => r.redactAssignment(a)), stdin: e.stdin === undefined ? undefined : r.redact(e.stdin) };
      case 'docker':
        return { ...e, args: JSON.parse(r.redact(JSON.stringify(e.args))) };
      case 'file':
        return { ...e, content: r.redact(e.content) };
      default:
        return e;
    }
  }
}

/** Quote one argument the way a POSIX shell would need it, for display only. */
export function shellQuote(arg: string): string {
  if (arg === '') return "''";
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function formatPlanEntry(e: PlanEntry): string {
  switch (e.kind) {
    case 'exec':
      return `${e.cwd ? `(cd ${shellQuote(e.cwd)}) ` : ''}${e.argv.map(shellQuote).join(' ')}${e.stdin !== undefined ? ' <<stdin' : ''}${e.note ? `  # ${e.note}` : ''}`;
    case 'docker':
      return `docker-api ${e.call} ${JSON.stringify(e.args)}${e.note ? `  # ${e.note}` : ''}`;
    case 'file':
      return `write ${e.path}${e.note ? `  # ${e.note}` : ''}\n${e.content.replace(/^/gm, '    | ')}`;
    case 'wait':
      return `wait ${e.what} (timeout ${e.timeoutSeconds}s)${e.note ? `  # ${e.note}` : ''}`;
  }
}
