// `devenv compare`: both environments up, the same run-time checks on each,
// side by side, a verdict a row (cli/compare/). Exit 0 when every row is the
// same or accepted, 4 on a difference, 1 when a side cannot be checked.
import type { CommandModule } from 'yargs';
import type { AppContext, GlobalArgs } from '../context.ts';
import { ExitCode, usageError } from '../errors.ts';
import { Output } from '../output.ts';
import { runCommand } from './run-command.ts';

interface CompareArgs {
  up: boolean;
  skip?: string[];
  accept?: string;
  html?: string;
  chainSeconds?: number;
}

const SKIPPABLE = ['restart', 'persistence'];

/** The commands' own up and down, with progress on stderr and their results dropped (compare prints one result). */
function sideLifecycles(app: AppContext) {
  const toStderr = { write: (s: string) => process.stderr.write(s) };
  const quiet: AppContext = { ...app, output: new Output(app.output.mode === 'tty' || app.output.mode === 'json' ? 'plain' : app.output.mode, app.redactor, app.args.verbose, { write: () => true }, toStderr) };
  return {
    compose: {
      up: async () => void (await (await import('./up.compose.ts')).upCompose(quiet, { timeout: 300 })),
      down: async () => {
        const { openCompose } = await import('../compose/compose-project.ts');
        await (await openCompose(quiet)).run(['down', '--remove-orphans'], { timeoutMs: 180_000 });
      },
    },
    kubernetes: {
      up: async () => void (await (await import('./up.k8s.ts')).runK8sUp(quiet, {})),
      down: async () => void (await (await import('./down.k8s.ts')).k8sDown(quiet, {})),
    },
  };
}

export const compareCommand: CommandModule<GlobalArgs, GlobalArgs & CompareArgs> = {
  command: 'compare',
  describe: 'Run the same checks against the Compose and the Kubernetes environment and show them side by side (exit 4 on a difference)',
  builder: (y) =>
    y
      .option('up', { type: 'boolean', default: true, describe: 'Bring up each side first (`devenv up`, `devenv up --k8s`: fast when already up); --no-up checks what runs' })
      .option('skip', { type: 'string', array: true, describe: `Leave out checks that stop things: ${SKIPPABLE.join(', ')}` })
      .option('accept', { type: 'string', describe: 'Accepted differences (rules runtime-<check>; default: migrate-check.accept.yaml at the repository root)' })
      .option('html', { type: 'string', describe: 'Also write one self-contained page: both topologies drawn, the findings and these rows' })
      .option('chain-seconds', { type: 'number', describe: 'How long each chain is watched at most, until it grows (default 45)' })
      .example('$0 compare', 'both environments up, every check, side by side')
      .example('$0 compare --no-up --skip restart persistence --json', 'quick, machine-readable, on what runs now')
      .example('$0 compare --html compare.html', 'the picture and the rows in one page'),
  handler: runCommand<CompareArgs>(async (app, argv) => {
    const skip = (argv.skip ?? []).flatMap((s) => s.split(',')).filter(Boolean);
    const bad = skip.find((s) => !SKIPPABLE.includes(s));
    if (bad) throw usageError(`--skip ${bad} is not a check that can be left out.`, `use one of: ${SKIPPABLE.join(', ')}.`);
    if (argv.html === '') throw usageError('--html needs a path.', 'write --html FILE.');
    const chainSeconds = argv.chainSeconds ?? 45;
    if (!(chainSeconds > 0 && chainSeconds <= 300)) throw usageError('--chain-seconds must be between 1 and 300.', 'write --chain-seconds 45.');
    const { checkFiles, runCompare } = await import('../compare/run-compare.ts');
    const { formatCompareText, verdictLine } = await import('../compare/format.ts');
    const checked = await checkFiles(app, argv.accept);
    const deps = { fetch: (...a: Parameters<typeof fetch>) => fetch(...a), sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, ms)), now: () => Date.now() };
    const result = await runCompare(app, checked, { up: argv.up, skip, chainSeconds, burst: 1000 }, deps, sideLifecycles(app));
    if (argv.html) {
      const { writeFileSync } = await import('node:fs');
      const { resolve } = await import('node:path');
      const { formatHtmlReport } = await import('../report/migrate-check.html.ts');
      try {
        writeFileSync(resolve(app.cwd, argv.html), app.output.redact(formatHtmlReport({ ...checked, runtime: result })));
      } catch (e) {
        throw usageError(`cannot write ${argv.html} (${(e as NodeJS.ErrnoException).code ?? 'error'}).`, 'pass --html a path in an existing, writable directory.');
      }
      app.output.info(`Wrote the page to ${argv.html}.`);
    }
    const data = { schemaVersion: 1, sides: result.sides, rows: result.rows, summary: result.summary, seconds: Math.round(result.seconds) };
    app.output.result(formatCompareText(result.rows, result.summary, { compose: `${result.sides.compose.label} (${result.sides.compose.api})`, kubernetes: `${result.sides.kubernetes.label} (${result.sides.kubernetes.api})` }), data);
    if (!app.output.json) app.output.info(`${verdictLine(result.summary)} (${Math.round(result.seconds)} s)`);
    return result.summary.exitCode === 0 ? ExitCode.ok : result.summary.exitCode === 4 ? ExitCode.drift : ExitCode.failure;
  }),
};
