// Wraps a command body: builds the AppContext from the global flags, runs the
// body, sets the exit code it returns. Errors propagate to cli/main.ts, the
// only place that turns them into messages and exit codes.
import type { ArgumentsCamelCase } from 'yargs';
import type { AppContext, GlobalArgs } from '../context.ts';
import { ExitCode } from '../errors.ts';
import { formatPlanEntry } from '../plan.ts';
import { mark } from '../timing.ts';

export type CommandBody<A> = (app: AppContext, argv: ArgumentsCamelCase<GlobalArgs & A>) => Promise<ExitCode | void>;

export function runCommand<A>(body: CommandBody<A>) {
  return async (argv: ArgumentsCamelCase<GlobalArgs & A>) => {
    mark('command');
    const { createAppContext } = await import('../context.ts');
    const app = createAppContext(argv);
    mark('context');
    const code = (await body(app, argv)) ?? ExitCode.ok;
    if (argv.dryRun) printPlan(app);
    process.exitCode = code;
  };
}

/** Under --dry-run: the ordered plan on stdout, as text or as one JSON document. */
function printPlan(app: AppContext): void {
  const entries = app.plan.entries;
  if (app.output.json) {
    // --json promises one result document: a read-only command (validate,
    // migrate-check) that already printed its report keeps that one.
    if (!app.output.resultPrinted) app.output.result('', { dryRun: true, plan: entries });
    return;
  }
  const lines = entries.map((e, i) => `${String(i + 1).padStart(3)}. ${formatPlanEntry(e)}`);
  app.output.result(['dry run: nothing was executed. Plan:', ...lines].join('\n'));
}
