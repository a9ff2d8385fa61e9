// `devenv migrate-check`: does the Kubernetes migration (manifests/) do what
// the Compose original (compose/) does? Maps flags to inputs, runs the pure
// check in cli/topology, prints the report. Exit 0 when every error and warn
// is accepted, 4 when drift is found, 2 on unreadable input.
import type { CommandModule } from 'yargs';
import type { GlobalArgs } from '../context.ts';
import { ExitCode, usageError } from '../errors.ts';
import { runCommand } from './run-command.ts';
import { mark } from '../timing.ts';

interface MigrateCheckArgs {
  compose?: string[];
  envFile?: string;
  manifests?: string[];
  namespace?: string;
  mapping?: string;
  accept?: string;
  profile?: string[];
  format?: 'table' | 'markdown' | 'json' | 'html';
  output?: string;
}

export const migrateCheckCommand: CommandModule<GlobalArgs, GlobalArgs & MigrateCheckArgs> = {
  command: 'migrate-check',
  describe: 'Compare the Compose topology with the Kubernetes manifests and report every difference (exit 4 on drift)',
  builder: (y) =>
    y
      .option('compose', { type: 'string', array: true, describe: 'Compose file(s), merged in order like `docker compose -f` (default: compose.file of devenv.yaml)' })
      .option('env-file', { type: 'string', describe: 'Env file for ${VAR} interpolation (default: .env next to the first Compose file)' })
      .option('manifests', { type: 'string', array: true, describe: 'Manifest directory (kustomization or YAML files) or file(s) (default: manifests of devenv.yaml)' })
      .option('namespace', { type: 'string', describe: 'Namespace of objects that name none where no kustomization sets one, as `kubectl apply -n` (default: default)' })
      .option('mapping', { type: 'string', describe: 'YAML file pairing Compose services with workloads: `miner_1: StatefulSet/miner#0`' })
      .option('accept', { type: 'string', describe: 'Accepted differences (default: migrate-check.accept.yaml at the repository root, when --compose and --manifests are not given)' })
      .option('profile', { type: 'string', array: true, describe: 'Compose profile(s) to activate' })
      .option('format', { choices: ['table', 'markdown', 'json', 'html'] as const, describe: 'Report format (default: table; --json = json; html: one self-contained page drawing both topologies)' })
      .option('output', { type: 'string', describe: 'Write the report to this file instead of stdout' })
      .example('$0 migrate-check', 'compose/docker-compose.yml vs manifests/')
      .example('$0 migrate-check --format markdown > report.md', 'a report for a pull request')
      .example('$0 migrate-check --compose app.yml --manifests k8s/ --json', 'another project, machine-readable')
      .example('$0 migrate-check --format html --output migrate-check.html', 'both topologies drawn side by side, differences marked'),
  handler: runCommand<MigrateCheckArgs>(async (app, argv) => {
    const { prefetchKustomize, renderKustomization } = await import('../adapters/kustomize.ts');
    const { configPath } = await import('../config.ts');
    const cfg = app.config;
    const nonEmpty = (list: string[] | undefined, flag: string) => {
      if (list && list.some((x) => !x)) throw usageError(`--${flag} needs a path.`, `write --${flag} PATH.`);
      return list && list.length ? list : undefined;
    };
    if (argv.output === '') throw usageError('--output needs a path.', 'write --output FILE.');
    const manifests = nonEmpty(argv.manifests, 'manifests') ?? [configPath(cfg, cfg.manifests)];
    // `kubectl kustomize` of each kustomization given starts now, while the
    // checker's modules load (not under --dry-run: the plan keeps its order);
    // its answer (or error) is used only when the checker asks for that
    // directory, so errors come in the usual order.
    const { findKustomization } = await import('../manifests/kustomization-files.ts');
    const { resolve } = await import('node:path');
    const dirs = app.args.dryRun ? [] : manifests.map((m) => resolve(app.cwd, m)).filter((d) => findKustomization(d));
    const render = dirs.length ? prefetchKustomize(app.runner, dirs) : (dir: string) => renderKustomization(app.runner, dir);
    const { migrateCheckWithTopologies } = await import('../topology/migrate-check.ts');
    const { formatTextReport, verdictLine } = await import('../topology/report.text.ts');
    mark('modules');
    const checked = await migrateCheckWithTopologies({
      cwd: app.cwd,
      root: cfg.root,
      composeFiles: nonEmpty(argv.compose, 'compose') ?? [configPath(cfg, cfg.compose.file)],
      envFile: argv.envFile,
      environment: app.env,
      profiles: argv.profile,
      manifests,
      namespace: argv.namespace,
      mapping: argv.mapping,
      // The repository's accept file describes the repository's own pair, not files passed by hand.
      accept: argv.accept ?? (argv.compose?.length || argv.manifests?.length ? null : undefined),
      // --dry-run records the command and returns '' (nothing ran): read the files instead.
      render: async (dir) => (await render(dir)) || null,
    });
    mark('report');
    const { report } = checked;
    const format = app.output.json ? 'json' : argv.format ?? 'table';
    const text =
      format === 'json'
        ? JSON.stringify(report, null, 2)
        : format === 'markdown'
          ? (await import('../topology/report.markdown.ts')).formatMarkdownReport(report)
          : format === 'html'
            ? (await import('../report/migrate-check.html.ts')).formatHtmlReport(checked)
            : formatTextReport(report);
    if (argv.output) {
      const { writeFileSync } = await import('node:fs');
      const { resolve } = await import('node:path');
      // The file gets what stdout would have, redacted the same way.
      try {
        writeFileSync(resolve(app.cwd, argv.output), app.output.redact(text.endsWith('\n') ? text : `${text}\n`));
      } catch (e) {
        throw usageError(`cannot write ${argv.output} (${(e as NodeJS.ErrnoException).code ?? 'error'}).`, 'pass --output a path in an existing, writable directory.');
      }
      app.output.info(`Wrote the ${format} report to ${argv.output}.`);
      app.output.info(verdictLine(report));
    } else app.output.result(text, report);
    return report.summary.exitCode === 0 ? ExitCode.ok : ExitCode.drift;
  }),
};

