// devenv's entry point: declares the commands with yargs and is the only place
// that turns errors into exit codes and printed paragraphs.
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { DevenvError, ExitCode } from './errors.ts';
import { sessionRedactor } from './redact.ts';
import { commands } from './commands/index.ts';
import { mark, timings } from './timing.ts';

// The bundle (yargs with it) is loaded: the first point of the run's timings.
mark('main');

function buildParser(argv: string[]) {
  let parser = yargs(argv)
    .scriptName('devenv')
    .usage('$0 <command> [options]\n\nThe whole local environment of a blockchain network, on Docker Compose or kind.')
    .option('dry-run', { type: 'boolean', default: false, describe: 'Print every command and Docker API call in order; execute nothing' })
    .option('json', { type: 'boolean', default: false, describe: 'Machine-readable output (JSON)' })
    .option('verbose', { type: 'boolean', default: false, describe: 'Show commands as they run, and stack traces' })
    .option('config', { type: 'string', describe: 'Path to devenv.yaml (default: ./devenv.yaml when present)' })
    .strict()
    .demandCommand(1, 'Name a command; see the list above.')
    .recommendCommands()
    .help()
    .alias('h', 'help')
    .version()
    .wrap(Math.min(100, process.stdout.columns || 100))
    .epilogue('Exit codes: 0 ok, 1 failure, 2 usage or config error, 3 missing prerequisite, 4 drift found by migrate-check.')
    .fail((msg, err) => {
      throw err ?? new DevenvError(msg, { exitCode: ExitCode.usage, hint: 'run `devenv --help` for the commands and options.' });
    });
  for (const c of commands) parser = parser.command(c as any);
  return parser;
}

function printError(err: unknown, json: boolean, verbose: boolean): number {
  const redactor = sessionRedactor(process.env);
  if (err instanceof DevenvError) {
    if (json) process.stdout.write(redactor.redact(JSON.stringify(err.toJSON())) + '\n');
    else {
      process.stderr.write(redactor.redact(`error: ${err.toParagraph()}`) + '\n');
      if (err.details) process.stderr.write(redactor.redact(err.details.replace(/^/gm, '  | ')) + '\n');
      if (verbose && err.stack) process.stderr.write(redactor.redact(err.stack) + '\n');
    }
    return err.exitCode;
  }
  const e = err instanceof Error ? err : new Error(String(err));
  const message = `internal error: ${e.message}. This is a devenv bug; rerun with --verbose for the stack trace and report it.`;
  if (json) process.stdout.write(redactor.redact(JSON.stringify({ error: message, exitCode: ExitCode.failure })) + '\n');
  else process.stderr.write(redactor.redact(message) + '\n');
  if (verbose && e.stack) process.stderr.write(redactor.redact(e.stack) + '\n');
  return ExitCode.failure;
}

// DEVENV_TIMINGS=1 (npm run bench): the run's marks and spans, one JSON line on stderr at exit.
// `cpu`: milliseconds of CPU this process used (user + system; child processes not included).
if (process.env.DEVENV_TIMINGS === '1') {
  process.on('exit', () => {
    const { user, system } = process.cpuUsage();
    process.stderr.write(`devenv-timings ${JSON.stringify({ ...timings(), cpu: Math.round((user + system) / 100) / 10 })}\n`);
  });
}

const raw = hideBin(process.argv);
try {
  await buildParser(raw).parseAsync();
} catch (err) {
  process.exitCode = printError(err, raw.includes('--json'), raw.includes('--verbose'));
}
